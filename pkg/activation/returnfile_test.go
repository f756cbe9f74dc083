package activation

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/pkg/licensing"
)

var update = flag.Bool("update", false, "rewrite testdata/return/*.return.age, the fuzz seeds")

// testPassphrase opens every return file in testdata; testWork keeps
// scrypt cheap in tests (the format allows any factor up to 18).
const (
	testPassphrase = "correct horse battery staple"
	testWork       = 2
)

var (
	testIID = strings.Repeat("0123456", 9)
	testCID = strings.Repeat("654321", 8)
)

func testReturn() *Return {
	r := &Return{Format: ReturnFormat, Version: ReturnVersion, ID: "00112233445566778899aabbccddeeff",
		Created: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), CreatedBy: "staff", Generator: "test"}
	r.Items = []Item{
		{ID: "0123456789abcdef0123456789abcdef", DeviceKey: "hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC", Site: "Nagoya", Line: "L2",
			Asset: "NG-L2-011", Hostname: "FA-NG-L2-011", Product: "Windows 7 Professional", ApplicationID: licensing.AppWindows,
			ActivationID: "b92e9980-b9d5-4821-9c94-140f632f6312", Class: licensing.ClassSPP, IID: testIID, ExtendedPID: "00371-00170-000-000000-03-1041-7601.0000-0902012", CID: testCID},
		{ID: "fedcba9876543210fedcba9876543210", DeviceKey: "hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC", Product: "Office 2010 Professional Plus",
			ApplicationID: licensing.AppOffice14, ActivationID: "6f327760-8c5c-417c-9b61-836a98287e0c", Class: licensing.ClassOSPP, IID: testIID[:54],
			Key: "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY"},
		{ID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", DeviceKey: "hw:OTHER/", ApplicationID: licensing.AppWindows,
			ActivationID: "b92e9980-b9d5-4821-9c94-140f632f6312", Class: licensing.ClassSPP, IID: testIID, CID: testCID},
	}
	return r
}

func writeReturn(t testing.TB, r *Return) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteReturn(&b, r, testPassphrase, testWork); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReturnRoundTrip(t *testing.T) {
	want := testReturn()
	data := writeReturn(t, want)
	if bytes.Contains(data, []byte("PQ6RT")) || bytes.Contains(data, []byte("Nagoya")) {
		t.Fatal("plaintext in the return file")
	}
	got, err := OpenReturn(bytes.NewReader(data), testPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := fmt.Sprint(got.Items), fmt.Sprint(want.Items); g != w || !got.Created.Equal(want.Created) {
		t.Errorf("got %s, want %s", g, w)
	}
	items := got.For("hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC")
	if len(items) != 2 || items[0].Return != want.ID || items[1].Key == "" {
		t.Errorf("For: %d items %+v", len(items), items)
	}
	if len(got.For("hw:NOBODY/")) != 0 {
		t.Error("items for another machine")
	}
}

// ExampleOpenReturn writes a return file for a passphrase and reads it
// back, then tries a wrong passphrase.
func ExampleOpenReturn() {
	r := NewReturn(time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), "central staff", "example")
	r.Items = append(r.Items, Item{ID: NewID(), DeviceKey: "hw:4C4C4544-0042/7XK2Q1S", ApplicationID: licensing.AppWindows,
		ActivationID: "b92e9980-b9d5-4821-9c94-140f632f6312", Class: licensing.ClassSPP,
		IID: strings.Repeat("0123456", 9), CID: strings.Repeat("654321", 8)})
	var file bytes.Buffer
	if err := WriteReturn(&file, r, "told by phone, never on the stick", 10); err != nil {
		fmt.Println(err)
		return
	}
	got, err := OpenReturn(bytes.NewReader(file.Bytes()), "told by phone, never on the stick")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(got.For("hw:4C4C4544-0042/7XK2Q1S")), "item for this machine")
	_, err = OpenReturn(bytes.NewReader(file.Bytes()), "a guess")
	fmt.Println(errors.Is(err, ErrWrongPassphrase))
	// Output:
	// 1 item for this machine
	// true
}

// TestOpenReturnRefusals: each way a return file can be wrong gives its
// sentinel, and nothing of the file.
func TestOpenReturnRefusals(t *testing.T) {
	good := writeReturn(t, testReturn())
	encrypt := func(plain []byte, rc age.Recipient) []byte {
		var b bytes.Buffer
		w, err := age.Encrypt(&b, rc)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(plain)
		w.Close()
		return b.Bytes()
	}
	scrypt := func(plain []byte, work int) []byte {
		rc, _ := age.NewScryptRecipient(testPassphrase)
		rc.SetWorkFactor(work)
		return encrypt(plain, rc)
	}
	asJSON := func(edit func(r *Return)) []byte {
		r := testReturn()
		edit(r)
		b, _ := json.Marshal(r)
		return scrypt(b, testWork)
	}
	x25519, _ := age.GenerateX25519Identity()
	tests := []struct {
		name       string
		file       []byte
		passphrase string
		want       error
	}{
		{"wrong passphrase", good, "Correct horse battery staple", ErrWrongPassphrase},
		{"no passphrase", good, "", ErrNoPassphrase},
		{"empty file", nil, testPassphrase, ErrNotReturn},
		{"not age", []byte("windows = AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY\n"), testPassphrase, ErrNotReturn},
		{"encrypted to a key (a bundle)", encrypt([]byte("{}"), x25519.Recipient()), testPassphrase, ErrNotReturn},
		// The header says 2^19 (512 MiB): refused before any work.
		{"work factor over 18", bytes.Replace(good, []byte(" 2\n"), []byte(" 19\n"), 1), testPassphrase, ErrTooLarge},
		{"cut inside the header", good[:40], testPassphrase, ErrTampered},
		{"cut inside the payload", good[:len(good)-20], testPassphrase, ErrTampered},
		{"header MAC changed", flip(good, bytes.Index(good, []byte("\n---"))+6), testPassphrase, ErrTampered},
		{"payload changed", flip(good, len(good)-1), testPassphrase, ErrTampered},
		{"not JSON inside", scrypt([]byte("hello"), testWork), testPassphrase, ErrNotReturn},
		{"another format", asJSON(func(r *Return) { r.Format = "actcourier-bundle" }), testPassphrase, ErrNotReturn},
		{"version 2", asJSON(func(r *Return) { r.Version = "2.0" }), testPassphrase, ErrUnsupportedVersion},
		{"minor version 1.7", asJSON(func(r *Return) { r.Version = "1.7" }), testPassphrase, nil},
		{"too many items", asJSON(func(r *Return) {
			for len(r.Items) <= MaxItems {
				it := r.Items[0]
				it.ID = fmt.Sprintf("%032x", len(r.Items))
				it.DeviceKey = fmt.Sprintf("hw:%d/", len(r.Items))
				r.Items = append(r.Items, it)
			}
		}), testPassphrase, ErrTooLarge},
		{"over 1 MiB inside", scrypt(bytes.Repeat([]byte(" "), MaxReturnSize+1), testWork), testPassphrase, ErrTooLarge},
		{"two items for one product", asJSON(func(r *Return) { r.Items[1].ActivationID = strings.ToUpper(r.Items[0].ActivationID) }), testPassphrase, ErrInvalid},
		{"a CID of 47 digits", asJSON(func(r *Return) { r.Items[0].CID = testCID[1:] }), testPassphrase, ErrInvalid},
		{"an IID with spaces", asJSON(func(r *Return) { r.Items[0].IID = Grouped(testIID) }), testPassphrase, ErrInvalid},
		{"a key in lower case", asJSON(func(r *Return) { r.Items[1].Key = strings.ToLower(r.Items[1].Key) }), testPassphrase, ErrInvalid},
		{"neither CID nor key", asJSON(func(r *Return) { r.Items[0].CID = "" }), testPassphrase, ErrInvalid},
		{"unknown class", asJSON(func(r *Return) { r.Items[0].Class = "KMS" }), testPassphrase, ErrInvalid},
		{"escape in a name", asJSON(func(r *Return) { r.Items[0].Asset = "\x1b[2J" }), testPassphrase, ErrInvalid},
		{"no device key", asJSON(func(r *Return) { r.Items[0].DeviceKey = "" }), testPassphrase, ErrInvalid},
		{"item ID not hex", asJSON(func(r *Return) { r.Items[0].ID = "../../x" }), testPassphrase, ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := OpenReturn(bytes.NewReader(tc.file), tc.passphrase)
			if !errors.Is(err, tc.want) || (err != nil) != (r == nil) {
				t.Fatalf("got %v, %v; want %v", r != nil, err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "PQ6RT") {
				t.Errorf("the error quotes the key: %v", err)
			}
		})
	}
}

// flip returns data with one bit of byte i changed.
func flip(data []byte, i int) []byte {
	out := append([]byte(nil), data...)
	out[i] ^= 0x01
	return out
}

// TestReturnTruncation cuts a return file at many points: each is
// refused, as tampered or not a return file, never half read.
func TestReturnTruncation(t *testing.T) {
	good := writeReturn(t, testReturn())
	for n := 0; n < len(good); n += 1 + n/8 {
		_, err := OpenReturn(bytes.NewReader(good[:n]), testPassphrase)
		if !errors.Is(err, ErrTampered) && !errors.Is(err, ErrNotReturn) {
			t.Errorf("cut at %d of %d: %v", n, len(good), err)
		}
	}
}

func TestWriteReturnRefuses(t *testing.T) {
	var b bytes.Buffer
	r := testReturn()
	if err := WriteReturn(&b, r, "", testWork); !errors.Is(err, ErrNoPassphrase) {
		t.Errorf("empty passphrase: %v", err)
	}
	if err := WriteReturn(&b, r, testPassphrase, MaxWorkFactor+1); !errors.Is(err, ErrTooLarge) {
		t.Errorf("work factor 19: %v", err)
	}
	r.Items[0].CID = "1"
	if err := WriteReturn(&b, r, testPassphrase, testWork); !errors.Is(err, ErrInvalid) || b.Len() != 0 {
		t.Errorf("a bad item: %v, %d bytes written", err, b.Len())
	}
}

// returnSeeds are the fuzz seeds: return files for testPassphrase.
func returnSeeds(t testing.TB) [][]byte {
	dir := filepath.Join("testdata", "return")
	if *update {
		os.MkdirAll(dir, 0o755)
		r := testReturn()
		one := *r
		one.Items = r.Items[:1]
		for name, r := range map[string]*Return{"three-items": r, "one-item": &one} {
			if err := os.WriteFile(filepath.Join(dir, name+ReturnExt), writeReturn(t, r), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"+ReturnExt))
	var seeds [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	if len(seeds) == 0 {
		t.Fatal("no seed in testdata/return: run go test ./pkg/activation -update")
	}
	return seeds
}

// FuzzOpenReturn: whatever the file, OpenReturn returns a return file
// that passes Validate and writes back, or one of the sentinels.
func FuzzOpenReturn(f *testing.F) {
	for _, s := range returnSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := OpenReturn(bytes.NewReader(data), testPassphrase)
		if err != nil {
			for _, s := range []error{ErrWrongPassphrase, ErrNotReturn, ErrTampered, ErrTooLarge, ErrUnsupportedVersion, ErrInvalid} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("not a sentinel: %v", err)
		}
		again, err := OpenReturn(bytes.NewReader(writeReturn(t, r)), testPassphrase)
		if err != nil || fmt.Sprint(again.Items) != fmt.Sprint(r.Items) {
			t.Fatalf("does not write back: %v", err)
		}
	})
}

// TestShown: any stored name becomes one an item may hold, and a name an
// item may hold stays as it is.
func TestShown(t *testing.T) {
	long := strings.Repeat("長", 400)
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Line 1", "Line 1"},
		{"tab\there", "tab\uFFFDhere"},
		{"esc\x1b[2J", "esc\uFFFD[2J"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"\u0085nel", "\uFFFDnel"},
		{long, long[:maxText-len("…")-1] + "…"},
		{strings.Repeat("a", maxText), strings.Repeat("a", maxText)},
	} {
		got := Shown(tc.in)
		if got != tc.want {
			t.Errorf("Shown(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if !text(got) {
			t.Errorf("Shown(%q) = %q, which an item may not hold", tc.in, got)
		}
	}
}

// TestReturnAdd: an item in shape is added; one out of shape, or a second
// one for an ID or a machine's product, is refused with ErrInvalid and
// leaves the return as it was; past MaxItems, ErrTooLarge.
func TestReturnAdd(t *testing.T) {
	good := testReturn().Items
	r := &Return{}
	for _, it := range good {
		if err := r.Add(it); err != nil {
			t.Fatalf("Add(%s): %v", it.ID, err)
		}
	}
	noClass, badGUID, sameID, sameProduct := good[0], good[0], good[2], good[0]
	noClass.ID, noClass.Class = NewID(), ""
	badGUID.ID, badGUID.ApplicationID = NewID(), "not-a-guid"
	sameID.DeviceKey = "hw:THIRD/"
	sameProduct.ID, sameProduct.ActivationID = NewID(), strings.ToUpper(good[0].ActivationID)
	for name, it := range map[string]Item{"no class": noClass, "application ID": badGUID, "same ID": sameID, "same product": sameProduct} {
		if err := r.Add(it); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", name, err)
		}
	}
	if len(r.Items) != len(good) {
		t.Errorf("%d items after the refusals, want %d", len(r.Items), len(good))
	}
	full := &Return{Items: make([]Item, MaxItems)}
	if err := full.Add(good[0]); !errors.Is(err, ErrTooLarge) || len(full.Items) != MaxItems {
		t.Errorf("past MaxItems: %v, %d items", err, len(full.Items))
	}
}

// TestReturnAddSize: Add keeps the file's JSON within MaxReturnSize: items
// with the longest names (each '<' written as \u003c) are refused once the
// file is full, and the file of the items taken is written.
func TestReturnAddSize(t *testing.T) {
	g := testReturn().Items[0]
	r := &Return{Format: ReturnFormat, Version: ReturnVersion, ID: "00112233445566778899aabbccddeeff", CreatedBy: "staff", Generator: "test"}
	name := Shown(strings.Repeat("<", 300))
	added, full := 0, 0
	for i := 0; i < 400; i++ {
		it := g
		it.ID, it.DeviceKey = NewID(), fmt.Sprintf("hw:FORGED-%d/", i)
		it.Site, it.Line, it.Asset, it.Hostname, it.Product, it.ExtendedPID = name, name, name, name, name, name
		switch err := r.Add(it); {
		case err == nil:
			added++
		case errors.Is(err, ErrTooLarge):
			full++
		default:
			t.Fatal(err)
		}
	}
	if added == 0 || full == 0 {
		t.Fatalf("%d added, %d refused as too large", added, full)
	}
	var b bytes.Buffer
	if err := WriteReturn(&b, r, testPassphrase, 2); err != nil {
		t.Errorf("the %d items Add took do not make a file: %v", added, err)
	}
}
