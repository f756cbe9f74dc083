package bundle

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// shortReader returns at most n bytes a Read, as a decompressor may, and
// is no io.Seeker, as Open's stream is not (archive/tar skips data by
// seeking where it can).
type shortReader struct {
	r io.Reader
	n int
}

func (s *shortReader) Read(p []byte) (int, error) {
	if len(p) > s.n {
		p = p[:s.n]
	}
	return s.r.Read(p)
}

// tarStream is what Open asks of a tar reader.
type tarStream interface {
	Next() (*tar.Header, error)
	Read([]byte) (int, error)
}

// tarTrace reads a tar stream through r as Open would, but also leaves
// members half read (the bits of skip), and reads on after an error, and
// writes down every header (the fields Open reads), every byte and every
// error.
func tarTrace(r tarStream, skip uint16) string {
	var b strings.Builder
	for i := 0; i < 40; i++ {
		hdr, err := r.Next()
		if err != nil {
			fmt.Fprintf(&b, "next: %v\n", err)
			_, err = r.Next()
			n, rerr := r.Read(make([]byte, 10))
			fmt.Fprintf(&b, "again: %v; read %d %v\n", err, n, rerr)
			return b.String()
		}
		fmt.Fprintf(&b, "header %q %q %d %v\n", hdr.Name, hdr.Typeflag, hdr.Size, hdr.PAXRecords)
		want := hdr.Size
		if skip&(1<<(i%16)) != 0 {
			want /= 2
		}
		if want > 1<<20 {
			want = 1 << 20
		}
		data := make([]byte, want)
		n, err := io.ReadFull(r, data)
		fmt.Fprintf(&b, "data %q %v\n", data[:n], err)
		if err != nil {
			n, err := r.Read(make([]byte, 10))
			fmt.Fprintf(&b, "read again: %d %v\n", n, err)
		}
	}
	return b.String()
}

// tarSeeds are tar streams of every kind: as Writer writes them, in each
// of archive/tar's formats, with PAX records, long names, a prefix,
// empty and odd-sized members, a directory, a name ValidName refuses, and
// each of them cut short, with a byte changed, and followed by a block of
// zeros or of other bytes after its end (or the first half of it).
func tarSeeds(t testing.TB) [][]byte {
	type member struct {
		name   string
		size   int
		typ    byte
		format tar.Format
		pax    map[string]string
	}
	archives := [][]member{
		{{name: ManifestName, size: 300}, {name: "device.json", size: 1646}, {name: "raw/slmgr-dlv.txt", size: 0}, {name: "raw/x.txt", size: 512}},
		{{name: ManifestName, size: 10, format: tar.FormatPAX}, {name: "a.txt", size: 3, format: tar.FormatGNU}},
		{{name: ManifestName, size: 10, pax: map[string]string{"comment": "x"}}, {name: "b.txt", size: 1, pax: map[string]string{"GNU.sparse.major": "1"}}},
		{{name: strings.Repeat("d/", 60) + "long.txt", size: 5}, {name: "dir/", typ: tar.TypeDir}, {name: "../up.txt", size: 1}, {name: "日本.txt", size: 2}},
		{{name: "x/" + strings.Repeat("y", 99), size: 7}, {name: "link", typ: tar.TypeSymlink}, {name: "c.txt", size: 1 << 10}},
		{{name: ManifestName, size: 1}, {name: "../up.txt", size: 1}, {name: "/abs.txt", size: 1}, {name: "CON.txt", size: 1}, {name: "a\\b.txt", size: 1}},
	}
	var seeds [][]byte
	for _, a := range archives {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for _, m := range a {
			typ := m.typ
			if typ == 0 {
				typ = tar.TypeReg
			}
			hdr := &tar.Header{Name: m.name, Typeflag: typ, Size: int64(m.size), Mode: 0o644, ModTime: time.Unix(1_700_000_000, 0),
				Format: m.format, PAXRecords: m.pax}
			if typ == tar.TypeSymlink {
				hdr.Linkname = "target"
			}
			if err := tw.WriteHeader(hdr); err != nil {
				t.Fatal(err)
			}
			tw.Write(bytes.Repeat([]byte{'z'}, m.size))
		}
		tw.Close()
		whole := buf.Bytes()
		seeds = append(seeds, whole)
		// After the end-of-archive blocks, or the first of them: more
		// zeros, and a block that is not.
		seeds = append(seeds, append(append([]byte(nil), whole...), make([]byte, 512)...))
		seeds = append(seeds, append(append([]byte(nil), whole[:len(whole)-512]...), bytes.Repeat([]byte{'z'}, 512)...))
		for _, cut := range []int{0, 100, 511, 512, 513, 700, 1024, len(whole) - 1024, len(whole) - 600, len(whole) - 512, len(whole) - 1} {
			if cut >= 0 && cut < len(whole) {
				seeds = append(seeds, whole[:cut])
			}
		}
		for _, at := range []int{0, 100, 124, 148, 156, 257, 263, 345, 508, 512 + 124} {
			if at < len(whole) {
				changed := append([]byte(nil), whole...)
				changed[at] ^= 0x81
				seeds = append(seeds, changed)
			}
		}
	}
	return seeds
}

// TestTarReader: the tar reader reads every seed as archive/tar reads it,
// in reads of any size, its members read whole or in part, also where
// GODEBUG has archive/tar refuse names that are not local.
func TestTarReader(t *testing.T) {
	for _, godebug := range []string{"", "tarinsecurepath=0"} {
		t.Setenv("GODEBUG", godebug)
		for i, data := range tarSeeds(t) {
			for _, chunk := range []int{1, 7, 512, 4096} {
				for _, skip := range []uint16{0, 0xffff, 0x5555} {
					want := tarTrace(tar.NewReader(&shortReader{bytes.NewReader(data), chunk}), skip)
					got := tarTrace(newTarReader(&shortReader{bytes.NewReader(data), chunk}), skip)
					if got != want {
						t.Fatalf("GODEBUG=%s, seed %d (%d bytes), reads of %d, skip %#x:\n%s\narchive/tar:\n%s", godebug, i, len(data), chunk, skip, got, want)
					}
				}
			}
		}
	}
}

// FuzzTarReader holds the tar reader to archive/tar on any input: the
// same headers, data and errors, in the same order. Seeds are tarSeeds
// and the vectors' tar streams.
func FuzzTarReader(f *testing.F) {
	for _, s := range tarSeeds(f) {
		f.Add(s, uint16(512), uint16(0))
	}
	for _, t := range vectorTars(f) {
		f.Add(t, uint16(4096), uint16(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk, skip uint16) {
		n := int(chunk%4096) + 1
		want := tarTrace(tar.NewReader(&shortReader{bytes.NewReader(data), n}), skip)
		got := tarTrace(newTarReader(&shortReader{bytes.NewReader(data), n}), skip)
		if got != want {
			t.Fatalf("reads of %d, skip %#x:\n%s\narchive/tar:\n%s", n, skip, got, want)
		}
	})
}

// errOnce is a reader of data that fails once, with iotest.ErrTimeout,
// when at bytes are read, and reads on after it: an error that does not
// stick, at any offset.
type errOnce struct {
	data []byte
	at   int
	read int
}

func (e *errOnce) Read(p []byte) (int, error) {
	if e.read == e.at {
		e.read++ // once
		e.at = -1
		return 0, iotest.ErrTimeout
	}
	if e.at > e.read && len(p) > e.at-e.read {
		p = p[:e.at-e.read]
	}
	n := copy(p, e.data)
	e.data = e.data[n:]
	if e.at >= 0 {
		e.read += n
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// TestTarReaderReadError: a read error is returned as archive/tar returns
// it, wherever it falls (a header, data, padding, the end), also from a
// reader that reads on after it.
func TestTarReaderReadError(t *testing.T) {
	data := tarSeeds(t)[0]
	for at := 0; at <= len(data); at++ {
		for _, chunk := range []int{1, 512} {
			want := tarTrace(tar.NewReader(&shortReader{&errOnce{data: data, at: at}, chunk}), 0)
			got := tarTrace(newTarReader(&shortReader{&errOnce{data: data, at: at}, chunk}), 0)
			if got != want {
				t.Fatalf("error after %d bytes, reads of %d:\n%.800s\narchive/tar:\n%.800s", at, chunk, got, want)
			}
		}
	}
}
