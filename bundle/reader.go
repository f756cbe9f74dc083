package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
)

// ageIntro is the first line of every binary age file (C2SP age.md).
const ageIntro = "age-encryption.org/v1\n"

// Bundle is a bundle that [Open] has decrypted and checked in full.
type Bundle struct {
	Manifest Manifest
	Members  []Member // in manifest order, each one's size and SHA-256 checked
	SHA256   string   // of the encrypted file as read, lowercase hex
	Size     int64    // of the encrypted file, bytes
}

// Member returns the data of the named member and whether it exists.
func (b *Bundle) Member(name string) ([]byte, bool) {
	for _, m := range b.Members {
		if m.Name == name {
			return m.Data, true
		}
	}
	return nil, false
}

// Open reads a whole bundle from src, decrypting with the first identity
// that matches, and checks it completely before returning: the age layer
// authenticates every byte to the end of the file, the manifest comes first
// and is valid, every member is a plain file with a clean name, is listed,
// is not repeated, and has the listed size and SHA-256, and no listed
// member is missing. Nothing is written anywhere.
//
// On failure the error wraps one of [ErrWrongKey], [ErrNotBundle],
// [ErrTampered], [ErrTooLarge], [ErrUnsupportedVersion],
// [ErrManifestMismatch] or [ErrInsecureMember] (member errors are
// [*MemberError]); an error reading src itself is returned wrapped but not
// classified, since it says nothing about the bundle. When src holds no
// byte at all, the error wraps [ErrEmpty] as well as ErrNotBundle: a
// copy cut short, to be made again.
func Open(src io.Reader, lim Limits, identities ...age.Identity) (*Bundle, error) {
	if len(identities) == 0 {
		return nil, errors.New("bundle: no identity to decrypt with")
	}
	lim = lim.withDefaults()
	o := opener{lim: lim, sum: sha256.New()}
	o.file = &trackReader{r: &capReader{r: io.TeeReader(src, o.sum), n: lim.maxFile(),
		over: fmt.Errorf("%w: the file is larger than a bundle within the limits can be", ErrTooLarge)}}
	b, err := o.open(identities)
	if err != nil {
		return nil, err
	}
	b.SHA256 = hex.EncodeToString(o.sum.Sum(nil))
	b.Size = o.file.n
	return b, nil
}

// opener holds the layers of one Open call, each wrapped in a trackReader
// so that a failure is blamed on the innermost layer that failed: the file
// (an I/O error), age (tampered), zstd (not a bundle, or too large), tar.
type opener struct {
	lim  Limits
	sum  hash.Hash
	file *trackReader // ciphertext
	age  *trackReader // plaintext: zstd
	zstd *trackReader // decompressed: tar
	cap  *capReader
}

func (o *opener) open(identities []age.Identity) (*Bundle, error) {
	// Look at the intro line ourselves: age only says "failed to read
	// header", which cannot tell a stray file from a cut-off bundle.
	// The header is read here too, up to its end: age reads each of its
	// lines whole, however long, and a forged file of one endless line
	// would cost memory in proportion to its size.
	// A bundle is a few KiB: the first read mostly holds all of it.
	head := make([]byte, 0, 4<<10)
	for !headerEnds(head) && len(head) < maxHeader {
		if len(head) == cap(head) {
			grown := make([]byte, len(head), 2*cap(head))
			copy(grown, head)
			head = grown
		}
		if cap(head) > maxHeader {
			head = head[:len(head):maxHeader]
		}
		n, err := o.file.Read(head[len(head):cap(head)])
		head = head[:len(head)+n]
		if o.file.err != nil {
			return nil, o.readErr()
		}
		if err != nil { // io.EOF
			break
		}
	}
	n := len(head)
	k := len(ageIntro)
	if n < k {
		k = n
	}
	switch {
	case n == 0:
		return nil, emptyError{}
	case string(head[:k]) != ageIntro[:k]:
		return nil, fmt.Errorf("%w: not an age-encrypted file", ErrNotBundle)
	case n < len(ageIntro):
		return nil, fmt.Errorf("%w: file ends inside the age header", ErrTampered)
	case n >= maxHeader && !headerEnds(head):
		return nil, fmt.Errorf("%w: age header over %d bytes", ErrTooLarge, maxHeader)
	}

	if plain, ok := decryptHeader(head, o.file, identities); ok {
		defer plain.release()
		return o.openPayload(plain)
	}
	plain, err := age.Decrypt(io.MultiReader(bytes.NewReader(head), o.file), identities...)
	if err != nil {
		var noMatch *age.NoIdentityMatchError
		switch {
		case o.file.err != nil:
			return nil, o.readErr()
		case errors.As(err, &noMatch):
			return nil, ErrWrongKey
		default:
			return nil, fmt.Errorf("%w: age header: %s", ErrTampered, cutText(err.Error()))
		}
	}
	return o.openPayload(plain)
}

// openPayload reads the decrypted payload: zstd, then tar.
func (o *opener) openPayload(plain io.Reader) (*Bundle, error) {
	o.age = &trackReader{r: plain}
	zd, err := getDecoder(o.lim)
	if err != nil {
		return nil, fmt.Errorf("bundle: zstd: %w", err)
	}
	defer putDecoder(o.lim, zd)
	if err := zd.Reset(o.age); err != nil {
		return nil, o.blame("zstd frame", err)
	}
	o.zstd = &trackReader{r: zd}
	o.cap = &capReader{r: o.zstd, n: o.lim.maxStream()}
	tr := newTarReader(o.cap)

	m, err := o.readManifest(tr)
	if err != nil {
		return nil, err
	}
	members, err := o.readMembers(tr, m)
	if err != nil {
		return nil, err
	}
	// Read to the very end: age authenticates the last chunk only when it
	// is read, so a file cut inside the tar padding is caught here.
	if _, err := io.Copy(io.Discard, o.cap); err != nil {
		return nil, o.blame("read after archive end", err)
	}
	return &Bundle{Manifest: *m, Members: members}, nil
}

// failed reports whether a layer below tar has failed; tar may still have
// reported a clean io.EOF at a header boundary.
func (o *opener) failed() bool {
	return o.file.err != nil || o.age.err != nil || o.zstd.err != nil || o.cap.hit
}

// blame turns an error seen at the tar layer into the error of the
// innermost layer that failed.
func (o *opener) blame(step string, err error) error {
	var zerr error
	if o.zstd != nil {
		zerr = o.zstd.err
	}
	switch {
	case o.file.err != nil:
		return o.readErr()
	case o.age != nil && o.age.err != nil:
		return fmt.Errorf("%w: %v", ErrTampered, o.age.err)
	case errors.Is(zerr, zstd.ErrWindowSizeExceeded), errors.Is(zerr, zstd.ErrDecoderSizeExceeded),
		errors.Is(zerr, zstd.ErrFrameSizeExceeded):
		return fmt.Errorf("%w: zstd: %v", ErrTooLarge, zerr)
	case zerr != nil:
		return fmt.Errorf("%w: zstd: %v", ErrNotBundle, zerr)
	case o.cap != nil && o.cap.hit:
		return fmt.Errorf("%w: more than %d decompressed bytes", ErrTooLarge, o.lim.maxStream())
	}
	return fmt.Errorf("%w: %s: %v", ErrNotBundle, step, err)
}

// isRegular reports whether a tar member is a plain regular file. A PAX
// sparse file (GNU.sparse.* records, versions 0.0, 0.1 and 1.0) says it is
// regular, and archive/tar expands its holes: it is not one.
func isRegular(h *tar.Header) bool {
	for k := range h.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return false
		}
	}
	return h.Typeflag == tar.TypeReg || h.Typeflag == '\x00'
}

func (o *opener) readManifest(tr *tarReader) (*Manifest, error) {
	hdr, err := tr.Next()
	if err == io.EOF && !o.failed() {
		return nil, fmt.Errorf("%w: empty archive", ErrNotBundle)
	}
	if err != nil {
		return nil, o.blame("read tar", err)
	}
	if hdr.Name != ManifestName {
		return nil, fmt.Errorf("%w: first member is %s, not %s", ErrNotBundle, shown(hdr.Name), ManifestName)
	}
	if !isRegular(hdr) {
		return nil, memberError(hdr.Name, fmt.Errorf("%w: not a regular file", ErrInsecureMember))
	}
	if hdr.Size > o.lim.MaxManifestSize {
		return nil, memberError(hdr.Name, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, hdr.Size, o.lim.MaxManifestSize))
	}
	data := make([]byte, hdr.Size)
	if _, err := io.ReadFull(tr, data); err != nil {
		return nil, o.blame("read manifest", err)
	}

	// One decode in the common case: a manifest of this format and major
	// version, as Writer writes it (decodeManifest), else as encoding/json
	// reads it. Anything else is decoded again below, to blame the right
	// thing.
	var m Manifest
	ok := decodeManifest(data, &m)
	if !ok {
		m = Manifest{}
		ok = json.Unmarshal(data, &m) == nil
	}
	if ok && m.Format == FormatName {
		if major, _, ok := parseVersion(m.Version); ok && major == majorVersion {
			if err := m.check(o.lim); err != nil {
				return nil, err
			}
			return &m, nil
		}
	}
	// Format and version first: a later major version may change any other
	// field, and must be reported as such, not as a malformed manifest.
	var head struct {
		Format  any `json:"format"`
		Version any `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%w: manifest is not JSON: %v", ErrNotBundle, err)
	}
	if head.Format != FormatName {
		return nil, fmt.Errorf("%w: manifest format is %s, want %q", ErrNotBundle, shown(fmt.Sprint(head.Format)), FormatName)
	}
	v, _ := head.Version.(string)
	if major, _, ok := parseVersion(v); ok && major != majorVersion {
		return nil, fmt.Errorf("%w: version %s (this program reads %d.x; update it)", ErrUnsupportedVersion, shown(v), majorVersion)
	}
	m = Manifest{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrManifestMismatch, err)
	}
	if err := m.check(o.lim); err != nil {
		return nil, err
	}
	return &m, nil
}

func (o *opener) readMembers(tr *tarReader, m *Manifest) ([]Member, error) {
	index := make(map[string]int, len(m.Members))
	for i, e := range m.Members {
		index[e.Name] = i
	}
	members := make([]Member, len(m.Members))
	seen := make([]bool, len(m.Members))
	for {
		hdr, err := tr.Next()
		if err == io.EOF && !o.failed() {
			break
		}
		if err != nil {
			return nil, o.blame("read tar", err)
		}
		name := hdr.Name
		if !isRegular(hdr) {
			return nil, memberError(name, fmt.Errorf("%w: not a regular file (tar type %q, or sparse)", ErrInsecureMember, hdr.Typeflag))
		}
		if strings.EqualFold(name, ManifestName) {
			return nil, memberError(name, fmt.Errorf("%w: second manifest", ErrInsecureMember))
		}
		if !ValidName(name) {
			return nil, memberError(name, fmt.Errorf("%w: name not allowed", ErrInsecureMember))
		}
		i, ok := index[name]
		if !ok {
			return nil, memberError(name, fmt.Errorf("%w: not listed in the manifest", ErrManifestMismatch))
		}
		if seen[i] {
			return nil, memberError(name, fmt.Errorf("%w: appears twice", ErrInsecureMember))
		}
		seen[i] = true
		want := m.Members[i]
		if hdr.Size != want.Size {
			return nil, memberError(name, fmt.Errorf("%w: %d bytes, manifest says %d", ErrManifestMismatch, hdr.Size, want.Size))
		}
		data := make([]byte, hdr.Size)
		if _, err := io.ReadFull(tr, data); err != nil {
			return nil, o.blame("read member "+name, err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != want.SHA256 {
			return nil, memberError(name, fmt.Errorf("%w: SHA-256 differs from the manifest", ErrManifestMismatch))
		}
		members[i] = Member{Name: name, Data: data}
	}
	for i, ok := range seen {
		if !ok {
			return nil, memberError(m.Members[i].Name, fmt.Errorf("%w: listed but missing", ErrManifestMismatch))
		}
	}
	return members, nil
}

// trackReader remembers the first error other than io.EOF that its reader
// returned, and counts bytes.
type trackReader struct {
	r   io.Reader
	n   int64
	err error
}

func (t *trackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}

// maxHeader bounds an age header: a bundle's holds one or two recipient
// stanzas of about 100 bytes each.
const maxHeader = 64 << 10

// headerEnds reports whether an age header ends within head: its last
// line, "--- " and the MAC, ends in a newline (C2SP age.md).
func headerEnds(head []byte) bool {
	i := bytes.Index(head, []byte("\n--- "))
	return i >= 0 && bytes.IndexByte(head[i+1:], '\n') >= 0
}

// readErr is the error of reading the file: an I/O error, wrapped but not
// classified, or ErrTooLarge from the file's capReader.
func (o *opener) readErr() error {
	if errors.Is(o.file.err, ErrTooLarge) {
		return o.file.err
	}
	return fmt.Errorf("bundle: read: %w", o.file.err)
}

// capReader fails with over (errCap when nil) once more than n bytes
// are read through it: the encrypted file is bounded before anything is
// decrypted, the decompressed stream before it is all inflated.
type capReader struct {
	r    io.Reader
	n    int64
	over error
	hit  bool
}

var errCap = errors.New("decompressed size limit reached")

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		// Allow a clean EOF exactly at the limit.
		var one [1]byte
		if n, err := c.r.Read(one[:]); n == 0 {
			return 0, err
		}
		c.hit = true
		if c.over != nil {
			return 0, c.over
		}
		return 0, errCap
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// decoders keeps zstd decoders for reuse, one pool per Limits: making a
// decoder costs more than decoding a typical bundle, and an importer opens
// thousands.
var decoders sync.Map // Limits → *sync.Pool

func getDecoder(lim Limits) (*zstd.Decoder, error) {
	if p, ok := decoders.Load(lim); ok {
		if d, ok := p.(*sync.Pool).Get().(*zstd.Decoder); ok {
			return d, nil
		}
	}
	return zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(lim.MaxWindow),
		zstd.WithDecoderMaxMemory(uint64(lim.maxStream())))
}

func putDecoder(lim Limits, d *zstd.Decoder) {
	d.Reset(nil) // drop the reference to the payload
	p, _ := decoders.LoadOrStore(lim, &sync.Pool{})
	p.(*sync.Pool).Put(d)
}
