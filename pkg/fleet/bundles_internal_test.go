package fleet

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
)

// TestInsideAny: a path is inside a named folder when one of its parents
// is; a root (its own parent) is inside nothing, even when it is named.
func TestInsideAny(t *testing.T) {
	root := "/"
	if runtime.GOOS == "windows" {
		root = `S:\`
	}
	stick := filepath.Join(root, "stick")
	tests := []struct {
		path string
		dirs []string
		want bool
	}{
		{root, []string{root}, false},
		{stick, []string{root}, true},
		{filepath.Join(stick, "bundles", "a.tar.zst.age"), []string{stick}, true},
		{stick, []string{stick}, false},
		{filepath.Join(root, "sticks"), []string{stick}, false},
	}
	for _, tc := range tests {
		dirs := map[string]bool{}
		for _, d := range tc.dirs {
			dirs[d] = true
		}
		if got := insideAny(tc.path, dirs); got != tc.want {
			t.Errorf("insideAny(%s, %v) = %v, want %v", tc.path, tc.dirs, got, tc.want)
		}
	}
}

// TestSurrogateEscape: a \uD800 to \uDFFF escape, in any case, is found
// wherever it is; other escapes are not taken for one.
func TestSurrogateEscape(t *testing.T) {
	for in, want := range map[string]bool{
		`{"a":"x"}`:             false,
		`{"a":"\u00e9\u7d44"}`:  false,
		`{"a":"\ud800"}`:        true,
		`{"a":"\uDFFF"}`:        true,
		`{"a":"\u0041\uDbFf"}`:  true,
		`{"a":"\ud83d\ude00"}`:  true, // a pair: stored in UTF-8 all the same
		`{"a":"\ue000\uc800"}`:  false,
		`{"a":"\u"}`:            false,
		`{"a":"x"}\u`:           false,
		`{"a":"\u12"}` + `\uD8`: true,
	} {
		if got := surrogateEscape([]byte(in)); got != want {
			t.Errorf("surrogateEscape(%s) = %v, want %v", in, got, want)
		}
	}
}

func TestLetterEscape(t *testing.T) {
	for in, want := range map[string]bool{
		`{"a":"x"}`:                  false,
		`{"a":"\u003c\u0026\u2028"}`: false, // what Go's encoder escapes
		`{"\u0070roducts":[]}`:       true,
		`{"produc\u0054s":[]}`:       true,
		`{"a":"\u005a\u005B"}`:       true,
		`{"a":"\u017F"}`:             true, // ſ
		`{"a":"\u017"}`:              false,
		`{"a":"\u00"} \u`:            false,
		`{"a":"\u0040\u007b\u0061"}`: true,
		`\u006`:                      false,
		`\u006g`:                     false,
	} {
		if got := letterEscape([]byte(in)); got != want {
			t.Errorf("letterEscape(%s) = %v, want %v", in, got, want)
		}
	}
}

// productsKeysAsBefore is what productsKeys counts, as viewUnsafe counted
// it before: with bytes.Count in the text and in a lowered copy.
func productsKeysAsBefore(js []byte) (exact, any int) {
	key := []byte(`"products"`)
	return bytes.Count(js, key), bytes.Count(bytes.ToLower(js), key)
}

// TestProductsKeys: the key is counted as written and in any case, in
// keys and values alike, never twice where two share a quote, and not
// where a letter only looks like one of its own.
func TestProductsKeys(t *testing.T) {
	for _, tc := range []struct {
		in         string
		exact, any int
	}{
		{``, 0, 0},
		{`{"products":[]}`, 1, 1},
		{`{"Products":[],"products":null}`, 1, 2},
		{`{"a":"PRODUCTS"}`, 0, 1},
		{`"products"products"`, 1, 1}, // the second shares the first's quote
		{`"products""products"`, 2, 2},
		{`"PrOdUcTs"products"`, 1, 1}, // each count on its own
		{`"product"`, 0, 0},
		{`"products`, 0, 0},
		{"\"\u212aproducts\"", 0, 0},   // the Kelvin sign lowers to k
		{"\"produc\u017fs\"", 0, 0},    // ſ (U+017F) is lowercase already
		{"\"pr\xffoducts\"", 0, 0},     // invalid UTF-8 reads as U+FFFD
		{"\xff\"pRoDuCtS\"\xfe", 0, 1}, // beside invalid UTF-8
		{"\"PRODUCTS\"\u0130", 0, 1},   // İ lowers to i
	} {
		exact, any := productsKeys([]byte(tc.in))
		if exact != tc.exact || any != tc.any {
			t.Errorf("productsKeys(%q) = %d, %d, want %d, %d", tc.in, exact, any, tc.exact, tc.any)
		}
		if e, a := productsKeysAsBefore([]byte(tc.in)); e != tc.exact || a != tc.any {
			t.Errorf("bytes.Count of %q: %d, %d, want %d, %d", tc.in, e, a, tc.exact, tc.any)
		}
	}
}

// FuzzProductsKeys: productsKeys counts what bytes.Count counted in the
// text and in bytes.ToLower of it, whatever the text.
func FuzzProductsKeys(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	if len(files) == 0 {
		f.Fatal("no seed: testdata/snapshots is empty")
	}
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("\"PrOdUcTs\"products\"\xff\"PRODUCTS\""))
	f.Fuzz(func(t *testing.T, js []byte) {
		exact, any := productsKeys(js)
		if e, a := productsKeysAsBefore(js); exact != e || any != a {
			t.Fatalf("productsKeys(%q) = %d, %d, want %d, %d", js, exact, any, e, a)
		}
	})
}

// TestOpenFile checks that a bundle file opens and reads as with os.Open,
// and fails as os.Open does: the importer's messages and hints rest on
// the *fs.PathError and its errno. openRegular does too, but refuses a
// folder (ErrNotFile); openListed, which opens the bundles found in a
// folder, also says that a file listed is gone (ErrGone, with the errno).
func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a.tar.zst.age")
	// More than one read of bundle.Open's first 4 KiB.
	payload := strings.Repeat("payload ", 2<<10)
	if err := os.WriteFile(file, []byte(payload), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, op := range []struct {
		name string
		open opener
	}{{"openFile", openFile}, {"openRegular", openRegular}, {"openListed", openListed}} {
		for _, tc := range []struct {
			name, path string
			want       string // contents read, or
			wantErr    error  // the error of opening or reading
			refused    error  // by openRegular (ErrNotFile) and openListed, with wantErr
		}{
			{"file", file, payload, nil, nil},
			{"missing", filepath.Join(dir, "b.tar.zst.age"), "", fs.ErrNotExist, ErrGone},
			{"folder", dir, "", nil, ErrNotFile}, // openFile: opens; reading fails, as with os.Open
		} {
			t.Run(op.name+"/"+tc.name, func(t *testing.T) {
				f, err := op.open(tc.path)
				refused := tc.refused
				if op.name == "openFile" || op.name == "openRegular" && refused == ErrGone {
					refused = nil
				}
				if refused != nil {
					var pe *fs.PathError
					if !errors.Is(err, refused) || tc.wantErr != nil && !errors.Is(err, tc.wantErr) || !errors.As(err, &pe) || pe.Path != tc.path {
						t.Fatalf("got %v, want a *fs.PathError naming %s with %v", err, tc.path, refused)
					}
					return
				}
				g, gerr := os.Open(tc.path)
				if (err == nil) != (gerr == nil) {
					t.Fatalf("%s: %v, os.Open: %v", op.name, err, gerr)
				}
				if err != nil {
					if !errors.Is(err, tc.wantErr) || err.Error() != gerr.Error() {
						t.Fatalf("%s: %v, want %v as os.Open says it: %v", op.name, err, tc.wantErr, gerr)
					}
					var pe *fs.PathError
					if !errors.As(err, &pe) || pe.Path != tc.path {
						t.Fatalf("%s: %#v, want a *fs.PathError naming %s", op.name, err, tc.path)
					}
					return
				}
				defer g.Close()
				got, err := io.ReadAll(f)
				want, gerr := io.ReadAll(g)
				if (err == nil) != (gerr == nil) || string(got) != string(want) || string(got) != tc.want {
					t.Fatalf("%s read %q, %v; os.Open read %q, %v; want %q", op.name, got, err, want, gerr, tc.want)
				}
				if n, err := f.Read(make([]byte, 1)); tc.want != "" && (n != 0 || err != io.EOF) {
					t.Fatalf("%s: read at the end: %d, %v, want 0, EOF", op.name, n, err)
				}
				if err := f.Close(); err != nil {
					t.Fatalf("close: %v", err)
				}
				if err := f.Close(); !errors.Is(err, os.ErrClosed) {
					t.Fatalf("second close: %v, want os.ErrClosed as os.File's", err)
				}
			})
		}
	}
}

// TestSystemFolders: the folders a system keeps at a volume's root (an
// NTFS or FAT stick's System Volume Information, which Windows lets no
// user read, and the recycle bins) are not walked: a whole stick
// imported named System Volume Information as a rejected input at every
// run, and a bundle thrown away was imported again. Bundles beside
// them are walked, and a system folder named itself is.
func TestSystemFolders(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{
		"bundles/a" + bundle.Ext,
		"System Volume Information/b" + bundle.Ext,
		"other/SYSTEM VOLUME INFORMATION/c" + bundle.Ext, // apart: one folder where names fold case
		"$RECYCLE.BIN/S-1-5-21/$Rd" + bundle.Ext,
		"RECYCLER/d" + bundle.Ext,
		".Trashes/501/e" + bundle.Ext,
		"kept/f" + bundle.Ext,
	} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		path string
		want []string
	}{
		{root, []string{"bundles/a" + bundle.Ext, "kept/f" + bundle.Ext}},
		// Named itself, a system folder is what was asked for.
		{filepath.Join(root, "System Volume Information"), []string{"System Volume Information/b" + bundle.Ext}},
	} {
		b, err := FindBundles([]string{tc.path})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		b.walk(func(p string, _ opener) error {
			rel, _ := filepath.Rel(root, p)
			got = append(got, filepath.ToSlash(rel))
			return nil
		}, nil)
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") || b.Count != len(tc.want) {
			t.Errorf("%s: walked %q (counted %d), want %q", tc.path, got, b.Count, tc.want)
		}
	}
}

// failingFile reads data, then fails as a file whose stick was pulled
// does: with a *fs.PathError naming it, as os.File's and regularFile's
// reads do.
type failingFile struct {
	r    io.Reader
	name string
	err  error
}

func (f *failingFile) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return 0, &fs.PathError{Op: "read", Path: f.name, Err: f.err}
	}
	return n, err
}

func (f *failingFile) Close() error { return nil }

// TestReadErrorNamedOnce: a bundle that opened and then failed to read
// (EIO from a stick pulled) is named once, by the caller, as one that
// does not open is: the import's rejected list said "x.age: bundle:
// read: read x.age: input/output error". The error is the read's,
// still told by errors.Is, wherever in the file it failed: in the age
// header, or in the payload.
func TestReadErrorNamedOnce(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	var good bytes.Buffer
	if _, err := bundle.Encode(&good, bundle.Header{Generator: "test"}, []bundle.Member{{Name: "snapshot.json", Data: bytes.Repeat([]byte("x"), 64<<10)}},
		id.Recipient()); err != nil {
		t.Fatal(err)
	}
	pulled := errors.New("input/output error")
	path := filepath.Join(t.TempDir(), "x"+bundle.Ext)
	for _, tc := range []struct {
		name string
		at   int // bytes read before the error
	}{
		{"first read", 0},
		{"in the header", 40},
		{"in the payload", good.Len() - 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			open := func(p string) (io.ReadCloser, error) {
				return &failingFile{r: bytes.NewReader(good.Bytes()[:tc.at]), name: p, err: pulled}, nil
			}
			_, err := readBundle(path, open, bundle.Limits{}, []age.Identity{id})
			if !errors.Is(err, pulled) {
				t.Fatalf("got %v, want the read's error", err)
			}
			if strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "x"+bundle.Ext) {
				t.Errorf("got %q, which names the file again; its caller names it", err)
			}
		})
	}
}
