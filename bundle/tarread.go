package bundle

import (
	"archive/tar"
	"bytes"
	"io"
)

// tarReader reads a bundle's tar stream exactly as archive/tar's Reader
// reads it, for the parts of a header Open uses (Name, Typeflag, Size,
// PAXRecords): the headers that Writer writes, plain USTAR headers of
// regular files with a valid member name, it parses itself, and from the
// first other block on (PAX or GNU headers, a prefix, base-256 numbers,
// a name ValidName refuses, the end-of-archive blocks, a broken block…)
// it hands the stream to archive/tar, which then reads every header and
// every byte that follows. A block it cannot read whole is an error, as
// it is to archive/tar.
//
// Why: archive/tar parses every field of every header, makes strings of
// the owner names, and looks for non-ASCII bytes in every block of a
// USTAR header with a function call per byte (bytes.IndexFunc), only to
// guess its format; for the bench's 10,000 bundles of four members that
// was 8 % of the import's CPU (docs/performance.md). FuzzTarReader reads
// any input with both and holds them to the same headers, data and
// errors.
type tarReader struct {
	r      io.Reader
	tr     *tar.Reader // archive/tar, once it has the stream
	blk    [blockSize]byte
	remain int64 // bytes of the current member's data not read yet
	pad    int64 // zero bytes after its data, to the next block
	err    error // the first error, io.EOF included, returned ever after as tar.Reader does
}

const blockSize = 512

func newTarReader(r io.Reader) *tarReader { return &tarReader{r: r} }

// Next is tar.Reader's Next. A header parsed here holds only Name,
// Typeflag (tar.TypeReg) and Size.
func (t *tarReader) Next() (*tar.Header, error) {
	if t.tr != nil {
		return t.tr.Next()
	}
	if t.err != nil {
		return nil, t.err
	}
	hdr, err := t.next()
	t.err = err
	return hdr, err
}

func (t *tarReader) next() (*tar.Header, error) {
	// What is left of the current member and its padding, as tar.Reader
	// skips them (discard, tryReadFull).
	if t.remain > 0 {
		n, err := io.CopyN(io.Discard, t.r, t.remain)
		if err == io.EOF && n < t.remain {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		t.remain = 0
	}
	if t.pad > 0 {
		if err := tryReadFull(t.r, t.blk[:t.pad]); err != nil {
			return nil, err
		}
		t.pad = 0
	}
	// A block cut short, or not read, is archive/tar's error too
	// (readHeader): io.EOF, io.ErrUnexpectedEOF or the reader's own.
	// Handed to archive/tar, the reader would be read again after its
	// error, and one that reads on after it (whose error does not stick)
	// would have its error passed over.
	if _, err := io.ReadFull(t.r, t.blk[:]); err != nil {
		return nil, err
	}
	if name, size, ok := plainHeader(&t.blk); ok {
		t.remain, t.pad = size, -size&(blockSize-1)
		return &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size}, nil
	}
	// archive/tar reads the rest from this block on, as if the archive
	// began here: nothing of the members before carries over to the
	// next (a PAX header applies to the member it precedes only).
	t.tr = tar.NewReader(io.MultiReader(bytes.NewReader(t.blk[:]), t.r))
	return t.tr.Next()
}

// Read is tar.Reader's Read: the current member's data.
func (t *tarReader) Read(p []byte) (int, error) {
	if t.tr != nil {
		return t.tr.Read(p)
	}
	if t.err != nil {
		return 0, t.err
	}
	if int64(len(p)) > t.remain {
		p = p[:t.remain]
	}
	var n int
	var err error
	if len(p) > 0 {
		n, err = t.r.Read(p)
		t.remain -= int64(n)
	}
	switch {
	case err == io.EOF && t.remain > 0:
		err = io.ErrUnexpectedEOF
	case err == nil && t.remain == 0:
		err = io.EOF
	}
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

// tryReadFull is archive/tar's: io.ReadFull, but a stream that ends
// before b is full is io.EOF, not io.ErrUnexpectedEOF.
func tryReadFull(r io.Reader, b []byte) error {
	n := 0
	var err error
	for len(b) > n && err == nil {
		var nn int
		nn, err = r.Read(b[n:])
		n += nn
	}
	if len(b) == n && err == io.EOF {
		err = nil
	}
	return err
}

// plainHeader reads a USTAR header block of a regular file as Writer
// writes it, and reports whether it is one: typeflag '0', the USTAR magic
// and version (and not star's trailer), a checksum that matches the
// block's unsigned sum, every numeric field octal digits between spaces
// and NULs, no prefix, and a name ValidName accepts (so that archive/tar
// would not refuse it under GODEBUG tarinsecurepath=0 either). Where it
// is, archive/tar reads the same name, type and size from it without an
// error; anything else is archive/tar's to read.
func plainHeader(b *[blockSize]byte) (name string, size int64, ok bool) {
	if b[156] != tar.TypeReg || string(b[257:265]) != "ustar\x0000" || string(b[508:512]) == "tar\x00" || b[345] != 0 {
		return "", 0, false
	}
	sum, ok := octal(b[148:156])
	if !ok || sum != checksum(b) {
		return "", 0, false
	}
	// mode, uid, gid, size, mtime; devmajor, devminor
	for _, f := range [...][2]int{{100, 108}, {108, 116}, {116, 124}, {124, 136}, {136, 148}, {329, 337}, {337, 345}} {
		if _, ok := octal(b[f[0]:f[1]]); !ok {
			return "", 0, false
		}
	}
	size, _ = octal(b[124:136])
	n := bytes.IndexByte(b[:100], 0)
	if n < 0 {
		n = 100
	}
	name = string(b[:n])
	if !ValidName(name) {
		return "", 0, false
	}
	return name, size, true
}

// octal reads a numeric field that is octal digits between spaces and
// NULs (none at all is 0), as archive/tar's parseOctal reads it; ok is
// false for anything else (base-256, a stray byte, digits on both sides
// of a NUL), which archive/tar may read otherwise or refuse.
func octal(f []byte) (int64, bool) {
	f = bytes.Trim(f, " \x00")
	var v int64
	for _, c := range f {
		if c < '0' || c > '7' {
			return 0, false
		}
		v = v<<3 | int64(c-'0') // at most 12 digits: no overflow
	}
	return v, true
}

// checksum is the unsigned sum of the block's bytes with the checksum
// field taken as spaces (POSIX ustar).
func checksum(b *[blockSize]byte) int64 {
	var s int64
	for i, c := range b {
		if 148 <= i && i < 156 {
			c = ' '
		}
		s += int64(c)
	}
	return s
}
