package bundle

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	mrand "math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
)

func TestRoundTripSeveralRecipients(t *testing.T) {
	ids := []*age.X25519Identity{newIdentity(t), newIdentity(t), newIdentity(t)}
	var rs []age.Recipient
	for _, id := range ids {
		rs = append(rs, id.Recipient())
	}
	data := encodeBundle(t, testMembers, rs...)
	for i, id := range ids {
		t.Run(fmt.Sprintf("identity%d", i), func(t *testing.T) {
			b, err := Open(bytes.NewReader(data), Limits{}, newIdentity(t), id)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if got, want := b.Manifest.ID, "0123456789abcdef0123456789abcdef"; got != want {
				t.Errorf("ID = %q, want %q", got, want)
			}
			if !b.Manifest.CreatedAt.Equal(testTime) {
				t.Errorf("CreatedAt = %v, want %v", b.Manifest.CreatedAt, testTime)
			}
			if _, off := b.Manifest.CreatedAt.Zone(); off != 9*3600 {
				t.Errorf("CreatedAt offset = %d, want +9h kept", off)
			}
			if b.Manifest.TimeZone != "Tokyo Standard Time" || b.Manifest.Generator != "actcourier-test" {
				t.Errorf("manifest = %+v", b.Manifest)
			}
			if len(b.Members) != len(testMembers) {
				t.Fatalf("got %d members, want %d", len(b.Members), len(testMembers))
			}
			for j, m := range testMembers {
				if b.Members[j].Name != m.Name || !bytes.Equal(b.Members[j].Data, m.Data) {
					t.Errorf("member %d = %q %q, want %q %q", j, b.Members[j].Name, b.Members[j].Data, m.Name, m.Data)
				}
				if d, ok := b.Member(m.Name); !ok || !bytes.Equal(d, m.Data) {
					t.Errorf("Member(%q) = %q, %v", m.Name, d, ok)
				}
			}
			if b.Size != int64(len(data)) || len(b.SHA256) != 64 {
				t.Errorf("Size = %d SHA256 = %q, want %d bytes hashed", b.Size, b.SHA256, len(data))
			}
		})
	}
}

func TestEmptyBundle(t *testing.T) {
	id := newIdentity(t)
	b, err := Open(bytes.NewReader(encodeBundle(t, nil, id.Recipient())), Limits{}, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Members) != 0 {
		t.Errorf("got %d members, want 0", len(b.Members))
	}
}

func TestWrongKey(t *testing.T) {
	data := encodeBundle(t, testMembers, newIdentity(t).Recipient())
	_, err := Open(bytes.NewReader(data), Limits{}, newIdentity(t), newIdentity(t))
	if !errors.Is(err, ErrWrongKey) {
		t.Fatalf("got %v, want ErrWrongKey", err)
	}
}

// sentinels are the classes Open may return for bad input.
var sentinels = []error{ErrWrongKey, ErrNotBundle, ErrTampered, ErrTooLarge,
	ErrUnsupportedVersion, ErrManifestMismatch, ErrInsecureMember}

func isOneOf(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// headerEnd returns the offset just past the age header's MAC line.
func headerEnd(t testing.TB, data []byte) int {
	i := bytes.Index(data, []byte("\n--- "))
	if i < 0 {
		t.Fatal("no age MAC line")
	}
	j := bytes.IndexByte(data[i+1:], '\n')
	return i + 1 + j + 1
}

func TestTruncation(t *testing.T) {
	id := newIdentity(t)
	// Make the payload span several 64 KiB age chunks, so truncation at a
	// chunk boundary is covered too.
	// Random bytes: zstd must not shrink them below one chunk.
	big := make([]byte, 200<<10)
	mrand.New(mrand.NewSource(1)).Read(big)
	data := encodeBundle(t, append([]Member{{Name: "big.bin", Data: big}}, testMembers...), id.Recipient())
	hEnd := headerEnd(t, data)
	offsets := []int{0, 1, 5, len(ageIntro) - 1, len(ageIntro), hEnd - 1, hEnd, hEnd + 1, hEnd + 16, hEnd + 17,
		len(data) - 1, len(data) - 17, len(data) - 100}
	for _, chunk := range []int{1, 2, 3} {
		off := hEnd + 16 + chunk*(64<<10+16)
		if off < len(data) {
			offsets = append(offsets, off, off-1, off+1)
		}
	}
	for off := 0; off < len(data); off += 997 {
		offsets = append(offsets, off)
	}
	if len(data) < 3*(64<<10) {
		t.Fatalf("the bundle is %d bytes: it must span several age chunks", len(data))
	}
	for _, off := range offsets {
		want := ErrTampered
		if off == 0 {
			want = ErrNotBundle
		}
		_, err := Open(bytes.NewReader(data[:off]), Limits{}, id)
		if !errors.Is(err, want) {
			t.Errorf("truncated at %d of %d: got %v, want %v", off, len(data), err, want)
		}
	}
	t.Logf("%d truncations of a %d-byte bundle rejected", len(offsets), len(data))
}

func TestBitFlips(t *testing.T) {
	id := newIdentity(t)
	data := encodeBundle(t, testMembers, id.Recipient())
	hEnd := headerEnd(t, data)
	tests := []struct {
		name     string
		from, to int
		want     []error
	}{
		{"intro", 0, len(ageIntro) - 1, []error{ErrNotBundle}}, // the newline is checked as part of the intro too
		// A flipped recipient stanza no longer unwraps with the identity
		// (wrong key); anything else in the header breaks parsing or the MAC.
		{"header", len(ageIntro), hEnd, []error{ErrTampered, ErrWrongKey}},
		{"nonce", hEnd, hEnd + 16, []error{ErrTampered}},
		{"body", hEnd + 16, len(data) - 16, []error{ErrTampered}},
		{"tail", len(data) - 16, len(data), []error{ErrTampered}},
	}
	t.Cleanup(func() {
		t.Logf("every one of the %d bits of a %d-byte bundle flipped and rejected", 8*len(data), len(data))
	})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for off := tc.from; off < tc.to; off++ {
				for bit := 0; bit < 8; bit++ {
					bad := bytes.Clone(data)
					bad[off] ^= 1 << bit
					_, err := Open(bytes.NewReader(bad), Limits{}, id)
					if !isOneOf(err, tc.want...) {
						t.Fatalf("flip byte %d bit %d: got %v, want one of %v", off, bit, err, tc.want)
					}
				}
			}
		})
	}
}

func TestTrailingData(t *testing.T) {
	id := newIdentity(t)
	data := append(encodeBundle(t, testMembers, id.Recipient()), "junk"...)
	if _, err := Open(bytes.NewReader(data), Limits{}, id); !errors.Is(err, ErrTampered) {
		t.Fatalf("got %v, want ErrTampered", err)
	}
}

func TestNotBundle(t *testing.T) {
	id := newIdentity(t)
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"text", []byte("Name: Windows(R) 7\r\n")},
		{"zstd", zstdOf(t, []byte("hello"))},
		{"armored age", []byte("-----BEGIN AGE ENCRYPTED FILE-----\n")},
		{"age of plain text", ageOf(t, []byte("hello"), id.Recipient())},
		{"age of zstd of text", ageOf(t, zstdOf(t, []byte("hello, not tar")), id.Recipient())},
		{"age of empty", ageOf(t, nil, id.Recipient())},
		{"age of zstd of empty tar", ageOf(t, zstdOf(t, tarOf(t)), id.Recipient())},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(tc.data), Limits{}, id)
			if !errors.Is(err, ErrNotBundle) {
				t.Fatalf("got %v, want ErrNotBundle", err)
			}
		})
	}
}

// TestEmpty: an input of no byte is ErrEmpty, a copy or a write cut
// short that is to be copied again, and still ErrNotBundle, its class in
// SPEC.md; no other input is ErrEmpty, however short.
func TestEmpty(t *testing.T) {
	id := newIdentity(t)
	data := encodeBundle(t, testMembers, id.Recipient())
	tests := []struct {
		name  string
		data  []byte
		empty bool
	}{
		{"empty", nil, true},
		{"one byte of a bundle", data[:1], false},
		{"a line end", []byte("\r\n"), false},
		{"a NUL", []byte{0}, false},
		{"age of empty", ageOf(t, nil, id.Recipient()), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(tc.data), Limits{}, id)
			if got := errors.Is(err, ErrEmpty); got != tc.empty {
				t.Errorf("got %v, want ErrEmpty %v", err, tc.empty)
			}
			if !errors.Is(err, ErrNotBundle) && !errors.Is(err, ErrTampered) {
				t.Errorf("got %v, want ErrNotBundle or ErrTampered", err)
			}
		})
	}
	// Its message is the one an empty file always had.
	_, err := Open(bytes.NewReader(nil), Limits{}, id)
	if want := "bundle: not an ActCourier bundle: empty file"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

// badReader fails after n bytes like a pulled stick.
type badReader struct {
	r io.Reader
	n int
}

var errPulled = errors.New("device not ready")

func (b *badReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		return 0, errPulled
	}
	if len(p) > b.n {
		p = p[:b.n]
	}
	n, err := b.r.Read(p)
	b.n -= n
	return n, err
}

func TestReadErrorIsNotClassified(t *testing.T) {
	id := newIdentity(t)
	data := encodeBundle(t, testMembers, id.Recipient())
	for _, n := range []int{0, 10, 100, len(data) - 1} {
		_, err := Open(&badReader{bytes.NewReader(data), n}, Limits{}, id)
		if !errors.Is(err, errPulled) || isOneOf(err, sentinels...) {
			t.Errorf("after %d bytes: got %v, want the read error alone", n, err)
		}
	}
}

func TestMembers(t *testing.T) {
	id := newIdentity(t)
	good := file("device.json", "{}")
	other := file("slmgr/dlv.txt", "License Status: Licensed")
	link := func(typ byte, name string) rawEntry {
		return rawEntry{tar.Header{Typeflag: typ, Name: name, Linkname: "device.json", Mode: 0o644}, nil}
	}
	withManifest := func(m []byte, entries ...rawEntry) []rawEntry {
		return append([]rawEntry{file(ManifestName, string(m))}, entries...)
	}
	listed := func(entries ...rawEntry) func(...rawEntry) []rawEntry {
		return func(actual ...rawEntry) []rawEntry { return withManifest(manifestFor(entries...), actual...) }
	}
	tampered := other
	tampered.data = []byte("License Status: Notifica")
	manifest2 := strings.Replace(string(manifestFor(good)), `"version":"1.0"`, `"version":"2.0"`, 1)
	manifest17 := strings.Replace(string(manifestFor(good)), `"version":"1.0"`, `"version":"1.7","future":{"x":1}`, 1)
	manifestBadFmt := strings.Replace(string(manifestFor(good)), FormatName, "other-format", 1)
	manifestBadID := strings.Replace(string(manifestFor(good)), "0123456789abcdef0123456789abcdef", "../../etc", 1)
	dir := rawEntry{tar.Header{Typeflag: tar.TypeDir, Name: "slmgr/", Mode: 0o755}, nil}

	tests := []struct {
		name    string
		entries []rawEntry
		want    error // nil: must open
	}{
		{"good", listed(good, other)(good, other), nil},
		{"good any order", listed(good, other)(other, good), nil},
		{"minor version with unknown fields", withManifest([]byte(manifest17), good), nil},
		{"dotdot", listed(good)(good, file("../evil", "x")), ErrInsecureMember},
		{"inner dotdot", listed(good)(good, file("slmgr/../../x", "x")), ErrInsecureMember},
		{"absolute", listed(good)(good, file("/etc/passwd", "x")), ErrInsecureMember},
		{"backslash", listed(good)(good, file(`..\x`, "x")), ErrInsecureMember},
		{"drive", listed(good)(good, file(`C:x`, "x")), ErrInsecureMember},
		{"symlink", listed(good)(good, link(tar.TypeSymlink, "l")), ErrInsecureMember},
		{"hardlink", listed(good)(good, link(tar.TypeLink, "l")), ErrInsecureMember},
		{"directory", listed(good)(dir, good), ErrInsecureMember},
		{"fifo", listed(good)(good, link(tar.TypeFifo, "f")), ErrInsecureMember},
		{"duplicate", listed(good)(good, good), ErrInsecureMember},
		{"second manifest", listed(good)(good, file(ManifestName, "{}")), ErrInsecureMember},
		{"unlisted", listed(good)(good, other), ErrManifestMismatch},
		{"missing", listed(good, other)(good), ErrManifestMismatch},
		{"hash mismatch", listed(good, other)(good, tampered), ErrManifestMismatch},
		{"size mismatch", listed(good, file("slmgr/dlv.txt", "x"))(good, other), ErrManifestMismatch},
		{"manifest lists itself", listed(file(ManifestName, "{}"))(), ErrManifestMismatch},
		{"manifest lists bad name", listed(file("../x", "x"))(), ErrManifestMismatch},
		{"manifest bad id", withManifest([]byte(manifestBadID), good), ErrManifestMismatch},
		{"manifest wrong types", withManifest([]byte(`{"format":"actcourier-bundle","version":"1.0","members":"x"}`)), ErrManifestMismatch},
		{"manifest not first", append([]rawEntry{good}, listed(good)()...), ErrNotBundle},
		{"no manifest", []rawEntry{good}, ErrNotBundle},
		{"manifest not json", withManifest([]byte("not json")), ErrNotBundle},
		{"other format", withManifest([]byte(manifestBadFmt), good), ErrNotBundle},
		{"major version 2", withManifest([]byte(manifest2), good), ErrUnsupportedVersion},
		{"manifest is a link", []rawEntry{link(tar.TypeSymlink, ManifestName)}, ErrInsecureMember},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := ageOf(t, zstdOf(t, tarOf(t, tc.entries...)), id.Recipient())
			b, err := Open(bytes.NewReader(data), Limits{}, id)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				if len(b.Members) != len(b.Manifest.Members) {
					t.Fatalf("got %d members, manifest lists %d", len(b.Members), len(b.Manifest.Members))
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 0
	}
	return len(p), nil
}

func TestDecompressionBombs(t *testing.T) {
	id := newIdentity(t)
	good := file("device.json", "{}")

	// 1 GiB of zeros after a valid archive: the reader must stop near the
	// limit, not inflate it all.
	var bomb bytes.Buffer
	aw, _ := age.Encrypt(&bomb, id.Recipient())
	zw, _ := zstd.NewWriter(aw, zstd.WithEncoderLevel(zstd.SpeedFastest))
	zw.Write(tarOf(t, file(ManifestName, string(manifestFor(good))), good))
	if _, err := io.Copy(zw, io.LimitReader(zeros{}, 1<<30)); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	aw.Close()

	// A frame that asks for a 32 MiB window.
	var window bytes.Buffer
	aw, _ = age.Encrypt(&window, id.Recipient())
	zw, _ = zstd.NewWriter(aw, zstd.WithWindowSize(32<<20), zstd.WithSingleSegment(false))
	zw.Write(tarOf(t, file(ManifestName, string(manifestFor(good))), good))
	zw.Write(make([]byte, 40<<20))
	zw.Close()
	aw.Close()

	hugeManifest := strings.Replace(string(manifestFor(file("huge.bin", ""))), `"size":0`, `"size":1099511627776`, 1)

	var many []rawEntry
	for i := 0; i < 300; i++ {
		many = append(many, file(fmt.Sprintf("m%d", i), "x"))
	}

	// A valid archive, then zstd skippable frames (which a decoder reads
	// past) of 16 KiB each, 1 MiB in all: the file is larger than any
	// bundle within small limits can be.
	skip := zstdOf(t, tarOf(t, file(ManifestName, string(manifestFor(good))), good))
	for i := 0; i < 64; i++ {
		skip = append(skip, 0x50, 0x2A, 0x4D, 0x18, 0, 0x40, 0, 0) // magic, 16 KiB
		skip = append(skip, make([]byte, 16<<10)...)
	}
	small := Limits{MaxTotalSize: 4096, MaxManifestSize: 4096, MaxMembers: 2}

	tests := []struct {
		name string
		data []byte
		lim  Limits
	}{
		{"skippable frames past the file's bound", ageOf(t, skip, id.Recipient()), small},
		{"zeros after archive", bomb.Bytes(), Limits{}},
		{"window", window.Bytes(), Limits{}},
		{"manifest lists huge member", ageOf(t, zstdOf(t, tarOf(t, file(ManifestName, hugeManifest))), id.Recipient()), Limits{}},
		{"too many members", ageOf(t, zstdOf(t, tarOf(t, file(ManifestName, string(manifestFor(many...))))), id.Recipient()), Limits{}},
		{"huge manifest", ageOf(t, zstdOf(t, tarOf(t, file(ManifestName, strings.Repeat(" ", 2<<20)))), id.Recipient()), Limits{}},
		{"member over a lower limit", encodeBundle(t, []Member{{"a", make([]byte, 2000)}}, id.Recipient()), Limits{MaxMemberSize: 1000}},
		{"total over a lower limit", encodeBundle(t, []Member{{"a", make([]byte, 600)}, {"b", make([]byte, 600)}}, id.Recipient()), Limits{MaxTotalSize: 1000}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(bytes.NewReader(tc.data), tc.lim, id)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("got %v, want ErrTooLarge", err)
			}
		})
	}
}

// TestCLIInterop checks that the standard tools open our bundles and that
// we open what they make, as SPEC.md promises.
func TestCLIInterop(t *testing.T) {
	needsLinuxTool(t, "sh, age, zstd, tar and sha256sum")
	for _, tool := range []string{"age", "zstd", "tar", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install it (apt-get install -y age zstd); .ci/run does", tool)
		}
	}
	dir := t.TempDir()
	id := mustIdentity(t, testIdentity)
	keyFile := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(keyFile, []byte(testIdentity+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, cmd string) string {
		t.Helper()
		c := exec.Command("sh", "-ec", cmd)
		c.Dir = dir
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
		return string(out)
	}

	t.Run("ours to tools", func(t *testing.T) {
		path, m, err := WriteFile(dir, Header{Generator: "t"}, testMembers, id.Recipient())
		if err != nil {
			t.Fatal(err)
		}
		// SPEC.md's own lines, as a reader copies them: list, extract,
		// hash every member (slmgr/dlv.txt is in a folder, as the
		// collector's raw/ outputs are).
		lines := specLines(t, "## Opening a bundle by hand")
		if len(lines) != 3 {
			t.Fatalf("SPEC.md opens a bundle by hand in %d lines, want 3 (list, extract, hash):\n%s", len(lines), strings.Join(lines, "\n"))
		}
		at := strings.NewReplacer("3f9c….tar.zst.age", filepath.Base(path), "site-key.txt", "key.txt")
		list := run(t, at.Replace(lines[0]))
		want := "manifest.json\ndevice.json\nslmgr/dlv.txt\ncollect.log\n"
		if list != want {
			t.Fatalf("tar -t listed %q, want %q", list, want)
		}
		run(t, at.Replace(lines[1]))
		sums := run(t, at.Replace(lines[2]))
		for _, e := range m.Members {
			if !strings.Contains(sums, e.SHA256+"  "+e.Name) {
				t.Errorf("sha256sum gave\n%s\nwant %s  %s", sums, e.SHA256, e.Name)
			}
		}
	})

	t.Run("tools to ours", func(t *testing.T) {
		w := filepath.Join(dir, "w")
		os.MkdirAll(filepath.Join(w, "slmgr"), 0o755)
		os.WriteFile(filepath.Join(w, "device.json"), []byte("{}\n"), 0o644)
		os.WriteFile(filepath.Join(w, "slmgr", "dlv.txt"), []byte("License Status: Licensed\r\n"), 0o644)
		// The manifest as a third party would write it by hand.
		run(t, `cd w && {
  printf '{"format":"actcourier-bundle","version":"1.0","bundle_id":"00112233445566778899aabbccddeeff",'
  printf '"created_at":"2026-11-24T09:30:00+09:00","collector":"shell","members":['
  printf '{"name":"device.json","size":%d,"sha256":"%s"},' $(wc -c < device.json) $(sha256sum device.json | cut -d" " -f1)
  printf '{"name":"slmgr/dlv.txt","size":%d,"sha256":"%s"}]}\n' $(wc -c < slmgr/dlv.txt) $(sha256sum slmgr/dlv.txt | cut -d" " -f1)
} > manifest.json`)
		run(t, "cd w && tar -c --format=ustar manifest.json device.json slmgr/dlv.txt | zstd -q -19 | age -r "+id.Recipient().String()+" > ../third.tar.zst.age")
		f, err := os.Open(filepath.Join(dir, "third.tar.zst.age"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		b, err := Open(f, Limits{}, id)
		if err != nil {
			t.Fatalf("Open of a bundle made with tar | zstd | age: %v", err)
		}
		if d, _ := b.Member("slmgr/dlv.txt"); string(d) != "License Status: Licensed\r\n" {
			t.Errorf("slmgr/dlv.txt = %q", d)
		}
		if b.Manifest.ID != "00112233445566778899aabbccddeeff" {
			t.Errorf("ID = %q", b.Manifest.ID)
		}
	})
}

// specLines returns the lines of the first sh block under heading in
// SPEC.md: the commands it tells a reader to run.
func specLines(t *testing.T, heading string) []string {
	t.Helper()
	spec, err := os.ReadFile("SPEC.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(spec), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("SPEC.md has no %q", heading)
	}
	_, block, ok := strings.Cut(after, "```sh\n")
	if !ok {
		t.Fatalf("SPEC.md has no sh block under %q", heading)
	}
	block, _, _ = strings.Cut(block, "```")
	return strings.Split(strings.TrimSuffix(block, "\n"), "\n")
}

// endless yields n bytes of c, then EOF, without holding them, and counts
// what was read.
type endless struct {
	n, read int64
	c       byte
}

func (r *endless) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.c
	}
	r.n -= int64(len(p))
	r.read += int64(len(p))
	return len(p), nil
}

// TestHeaderBounded: age reads each header line whole; a file that is the
// intro and one endless stanza line is refused once the header has gone on
// for maxHeader bytes, not read (and held) to its end.
func TestHeaderBounded(t *testing.T) {
	for _, line := range []string{"-> X25519 ", "--- "} {
		r := &endless{n: 256 << 20, c: 'A'}
		_, err := Open(io.MultiReader(strings.NewReader(ageIntro+line), r), Limits{}, newIdentity(t))
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%q line: got %v, want ErrTooLarge", line, err)
		}
		if r.read > 2*maxHeader {
			t.Errorf("%q line: %d bytes read before the header was refused", line, r.read)
		}
	}
}

// TestErrorsBounded: an error quotes at most a few hundred bytes of what
// a bundle says, however long: a tar header's name (a PAX or GNU long
// name, up to a megabyte, from a file of a few hundred bytes) and a
// manifest's values (up to its 64 KiB). Quoted whole, each rejected
// bundle's error was up to four times that, and an import keeps every
// rejected input's error until its summary.
func TestErrorsBounded(t *testing.T) {
	id := newIdentity(t)
	good := file("device.json", "{}")
	long := strings.Repeat("\x01", 1<<20-100)
	longName := func(format tar.Format) rawEntry {
		return rawEntry{tar.Header{Typeflag: tar.TypeReg, Name: long, Mode: 0o644, Format: format}, nil}
	}
	manifest := func(old, new string) rawEntry {
		return file(ManifestName, strings.Replace(string(manifestFor(good)), old, new, 1))
	}
	big := strings.Repeat(`\u0001`, 10<<10) // 60 KiB of JSON, 10 KiB of control characters
	tests := []struct {
		name    string
		entries []rawEntry
		want    error
	}{
		{"first member's long name", []rawEntry{longName(tar.FormatPAX)}, ErrNotBundle},
		{"member's long name", []rawEntry{file(ManifestName, string(manifestFor(good))), good, longName(tar.FormatGNU)}, ErrInsecureMember},
		{"long format", []rawEntry{manifest(`"`+FormatName+`"`, `"`+big+`"`)}, ErrNotBundle},
		{"format an object", []rawEntry{manifest(`"`+FormatName+`"`, `{"a":"`+big+`"}`)}, ErrNotBundle},
		{"long malformed version", []rawEntry{manifest(`"1.0"`, `"1`+big+`"`)}, ErrManifestMismatch},
		{"long unsupported version", []rawEntry{manifest(`"1.0"`, `"2.`+strings.Repeat("0", 60<<10)+`"`)}, ErrUnsupportedVersion},
		{"long bundle ID", []rawEntry{manifest(`"0123456789abcdef0123456789abcdef"`, `"`+big+`"`)}, ErrManifestMismatch},
		{"long name listed", []rawEntry{manifest(`"device.json"`, `"`+big+`"`), good}, ErrManifestMismatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := ageOf(t, zstdOf(t, tarOf(t, tc.entries...)), id.Recipient())
			_, err := Open(bytes.NewReader(data), Limits{}, id)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %.200v, want %v", err, tc.want)
			}
			if n := len(err.Error()); n > 1500 {
				t.Errorf("got an error of %d bytes, want at most 1500: %.200s", n, err)

			}
			var me *MemberError
			if errors.As(err, &me) && len(me.Name) > 300 {
				t.Errorf("got a MemberError.Name of %d bytes, want at most 300", len(me.Name))
			}
		})
	}
}

// TestAgeErrorBounded: the error of a malformed age header quotes at most
// a few hundred bytes of it. age quotes a malformed line whole, up to
// the header's 64 KiB, and four times as long where its bytes are not
// printable.
func TestAgeErrorBounded(t *testing.T) {
	id := newIdentity(t)
	long := strings.Repeat("\x01", 60<<10)
	for _, tc := range []struct{ name, header string }{
		{"stanza", "-> X25519 " + long + "\n--- abc\n"},
		{"stanza opening line", long + "\n--- abc\n"},
		{"body line", "-> X25519 abc\n" + strings.Repeat("A", 60<<10) + "\n--- abc\n"},
		{"closing line", "-> X25519 abc\nAAAA\n--- " + long + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Open(strings.NewReader(ageIntro+tc.header), Limits{}, id)
			if !errors.Is(err, ErrTampered) {
				t.Fatalf("got %.200v, want %v", err, ErrTampered)
			}
			if n := len(err.Error()); n > 1500 {
				t.Errorf("got an error of %d bytes, want at most 1500: %.200s", n, err)
			}
		})
	}
}
