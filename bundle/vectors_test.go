package bundle

//go:generate go run gen_vectors.go

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
)

// expectations maps a vector's "expect:" value to the error Open must give.
var expectations = map[string]error{
	"success":             nil,
	"wrong key":           ErrWrongKey,
	"not a bundle":        ErrNotBundle,
	"tampered":            ErrTampered,
	"too large":           ErrTooLarge,
	"unsupported version": ErrUnsupportedVersion,
	"manifest mismatch":   ErrManifestMismatch,
	"insecure member":     ErrInsecureMember,
}

// readVector splits a vector file into its expectation and its bundle.
func readVector(t testing.TB, path string) (expect string, data []byte) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, body, ok := bytes.Cut(raw, []byte("\n\n"))
	if !ok {
		t.Fatalf("%s: no blank line after the header", path)
	}
	sc := bufio.NewScanner(bytes.NewReader(head))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ": "); ok && k == "expect" {
			expect = v
		}
	}
	if _, ok := expectations[expect]; !ok {
		t.Fatalf("%s: unknown expect %q", path, expect)
	}
	return expect, body
}

func vectorFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "vectors", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if filepath.Base(f) != "key.txt" {
			out = append(out, f)
		}
	}
	if len(out) == 0 {
		t.Fatal("no vectors found: run go generate ./bundle")
	}
	return out
}

func TestVectors(t *testing.T) {
	id := mustIdentity(t, testIdentity)
	seen := map[string]bool{}
	for _, path := range vectorFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			expect, data := readVector(t, path)
			seen[expect] = true
			b, err := Open(bytes.NewReader(data), Limits{}, id)
			want := expectations[expect]
			if want == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				if b.Manifest.ID != "00112233445566778899aabbccddeeff" {
					t.Errorf("ID = %s", b.Manifest.ID)
				}
				return
			}
			if !errors.Is(err, want) {
				t.Fatalf("got %v, want %v", err, want)
			}
		})
	}
	for e := range expectations {
		if !seen[e] {
			t.Errorf("no vector expects %q", e)
		}
	}
}

// FuzzOpen feeds arbitrary files to Open. Beyond not panicking: a failure
// is always one of our sentinels, and a success re-encodes to a bundle
// that opens to the same members.
func FuzzOpen(f *testing.F) {
	for _, path := range vectorFiles(f) {
		_, data := readVector(f, path)
		f.Add(data)
	}
	id := mustIdentity(f, testIdentity)
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Open(bytes.NewReader(data), Limits{MaxTotalSize: 1 << 20, MaxMemberSize: 1 << 20}, id)
		if errors.Is(err, ErrEmpty) != (len(data) == 0) {
			t.Fatalf("%d bytes: got %v, want ErrEmpty only for none", len(data), err)
		}
		if err != nil {
			if !isOneOf(err, sentinels...) {
				t.Fatalf("error of no class: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if _, err := Encode(&buf, Header{ID: b.Manifest.ID, CreatedAt: b.Manifest.CreatedAt}, b.Members, id.Recipient()); err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		b2, err := Open(&buf, Limits{}, []age.Identity{id}...)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if len(b2.Members) != len(b.Members) {
			t.Fatalf("reopened %d members, want %d", len(b2.Members), len(b.Members))
		}
		for i := range b.Members {
			if b2.Members[i].Name != b.Members[i].Name || !bytes.Equal(b2.Members[i].Data, b.Members[i].Data) {
				t.Fatalf("member %d changed on the round trip", i)
			}
		}
	})
}

// vectorTars returns the tar streams inside the vectors that decrypt
// with the test identity: seeds of the fuzzers of what lies inside the
// encryption (FuzzOpenTar, FuzzTarReader).
func vectorTars(f *testing.F) [][]byte {
	id := mustIdentity(f, testIdentity)
	var tars [][]byte
	for _, path := range vectorFiles(f) {
		_, data := readVector(f, path)
		plain, err := age.Decrypt(bytes.NewReader(data), id)
		if err != nil {
			continue
		}
		zr, err := zstd.NewReader(plain)
		if err != nil {
			continue
		}
		var tarData bytes.Buffer
		if _, err := tarData.ReadFrom(zr); err == nil {
			tars = append(tars, tarData.Bytes())
		}
		zr.Close()
	}
	if len(tars) == 0 {
		f.Fatal("no seeds: the vectors did not decrypt")
	}
	return tars
}

// FuzzOpenTar fuzzes what lies inside the encryption, where the tar and
// manifest checks live: the input is taken as the tar stream, compressed
// and read as Open reads a decrypted payload. Seeds are the vectors' tars.
func FuzzOpenTar(f *testing.F) {
	for _, t := range vectorTars(f) {
		f.Add(t)
	}
	// One encoder for all runs; EncodeAll keeps no state between calls.
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithLowerEncoderMem(true))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tarData []byte) {
		// The payload reader is the code Open runs after age; encrypting
		// each input first would only spend the fuzzer's time in X25519.
		o := opener{lim: Limits{MaxTotalSize: 1 << 20, MaxMemberSize: 1 << 20}.withDefaults()}
		o.file = &trackReader{r: bytes.NewReader(nil)}
		b, err := o.openPayload(bytes.NewReader(enc.EncodeAll(tarData, nil)))
		if errors.Is(err, ErrEmpty) {
			t.Fatalf("got %v: ErrEmpty is about the file, never what it holds", err)
		}
		if err != nil {
			if !isOneOf(err, sentinels...) {
				t.Fatalf("error of no class: %v", err)
			}
			return
		}
		for _, m := range b.Members {
			if !ValidName(m.Name) {
				t.Fatalf("accepted member name %q", m.Name)
			}
		}
	})
}
