package bundle

import (
	"archive/tar"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
)

// Header holds what the writer puts in the manifest besides the members.
type Header struct {
	ID        string    // bundle ID; empty means a fresh [NewID]
	CreatedAt time.Time // device clock; zero means time.Now()
	TimeZone  string    // device time zone name, optional
	Generator string    // program and version, e.g. "actcourier-collector 1.2.0"
}

// Writer builds one bundle. Members are collected with [Writer.Add] and the
// whole bundle is encoded by [Writer.Close]: the manifest comes first and
// lists every member's SHA-256, so nothing can be written before the last
// member is known. Bundles are small (a collection is tens of KiB), so the
// members are held in memory.
//
// The output is age(zstd(tar)); dst receives only ciphertext.
type Writer struct {
	dst        io.Writer
	recipients []age.Recipient
	m          Manifest
	data       [][]byte
	names      map[string]bool
	closed     bool
}

// NewWriter returns a Writer that will encrypt to every recipient given. It
// returns [ErrNoRecipient] without any, and an error if hdr.ID is set but is
// not a valid bundle ID.
func NewWriter(dst io.Writer, hdr Header, recipients ...age.Recipient) (*Writer, error) {
	if len(recipients) == 0 {
		return nil, ErrNoRecipient
	}
	id := hdr.ID
	if id == "" {
		var err error
		if id, err = NewID(); err != nil {
			return nil, err
		}
	} else if !ValidID(id) {
		return nil, fmt.Errorf("bundle: invalid bundle ID %q: want 32 lowercase hex digits", id)
	}
	created := hdr.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	return &Writer{
		dst:        dst,
		recipients: recipients,
		m: Manifest{
			Format:    FormatName,
			Version:   Version,
			ID:        id,
			CreatedAt: created.Truncate(time.Second),
			TimeZone:  hdr.TimeZone,
			Generator: hdr.Generator,
			Members:   []Entry{},
		},
		names: map[string]bool{},
	}, nil
}

// Manifest returns a copy of the manifest as it stands.
func (w *Writer) Manifest() Manifest {
	m := w.m
	m.Members = append([]Entry(nil), w.m.Members...)
	return m
}

// Add adds a member. The name must pass [ValidName], must not be
// "manifest.json" and must not repeat; otherwise Add returns an error
// wrapping [ErrInsecureMember]. The data is kept, not copied: do not change
// it before Close.
func (w *Writer) Add(name string, data []byte) error {
	if w.closed {
		return errors.New("bundle: Add after Close")
	}
	if !ValidName(name) || name == ManifestName {
		return &MemberError{name, fmt.Errorf("%w: name not allowed", ErrInsecureMember)}
	}
	if w.names[name] {
		return &MemberError{name, fmt.Errorf("%w: added twice", ErrInsecureMember)}
	}
	sum := sha256.Sum256(data)
	w.names[name] = true
	w.m.Members = append(w.m.Members, Entry{Name: name, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])})
	w.data = append(w.data, data)
	return nil
}

// Close encodes the bundle to dst. It does not close dst. On error, dst
// holds a partial bundle that must be discarded; [WriteFile] does that.
func (w *Writer) Close() error {
	if w.closed {
		return errors.New("bundle: Close called twice")
	}
	w.closed = true

	manifest, err := json.MarshalIndent(w.m, "", "  ")
	if err != nil {
		return fmt.Errorf("bundle: encode manifest: %w", err)
	}
	manifest = append(manifest, '\n')

	ew, err := age.Encrypt(w.dst, w.recipients...)
	if err != nil {
		return fmt.Errorf("bundle: encrypt: %w", err)
	}
	// One goroutine and a 1 MiB window: the collector runs on old 32-bit
	// machines, and readers refuse windows over 8 MiB.
	zw, err := zstd.NewWriter(ew, zstd.WithEncoderConcurrency(1), zstd.WithWindowSize(1<<20))
	if err != nil {
		return fmt.Errorf("bundle: compress: %w", err)
	}
	tw := tar.NewWriter(zw)
	mtime := w.m.CreatedAt
	put := func(name string, data []byte) error {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     name,
			Mode:     0o644,
			Size:     int64(len(data)),
			ModTime:  mtime,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("bundle: write %s: %w", name, err)
		}
		if _, err := tw.Write(data); err != nil {
			return fmt.Errorf("bundle: write %s: %w", name, err)
		}
		return nil
	}
	if err := put(ManifestName, manifest); err != nil {
		zw.Close()
		return err
	}
	for i, e := range w.m.Members {
		if err := put(e.Name, w.data[i]); err != nil {
			zw.Close()
			return err
		}
	}
	if err := tw.Close(); err != nil {
		zw.Close()
		return fmt.Errorf("bundle: finish tar: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("bundle: finish zstd: %w", err)
	}
	if err := ew.Close(); err != nil {
		return fmt.Errorf("bundle: finish age: %w", err)
	}
	return nil
}

// Encode writes a complete bundle with the given members to dst and returns
// its manifest. It is NewWriter, Add for each member, and Close.
func Encode(dst io.Writer, hdr Header, members []Member, recipients ...age.Recipient) (Manifest, error) {
	w, err := NewWriter(dst, hdr, recipients...)
	if err != nil {
		return Manifest{}, err
	}
	for _, m := range members {
		if err := w.Add(m.Name, m.Data); err != nil {
			return Manifest{}, err
		}
	}
	if err := w.Close(); err != nil {
		return Manifest{}, err
	}
	return w.Manifest(), nil
}
