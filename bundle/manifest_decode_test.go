package bundle

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
)

// written is a manifest as Writer writes it.
func written(t testing.TB, m Manifest) string {
	t.Helper()
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func sampleManifest() Manifest {
	return Manifest{
		Format: FormatName, Version: "1.0", ID: "00023aaed188c50123f34c189321ae3d",
		CreatedAt: time.Date(2026, 11, 2, 10, 15, 0, 0, time.FixedZone("", 9*3600)),
		TimeZone:  "東京 (標準時)", Generator: "actcourier-collector 1.4.0",
		Members: []Entry{
			{Name: "device.json", Size: 1646, SHA256: strings.Repeat("7e", 32)},
			{Name: "raw/slmgr-dlv.txt", Size: 0, SHA256: strings.Repeat("0f", 32)},
		},
	}
}

// manifestCases are texts decodeManifest must decode (fast) or leave to
// encoding/json.
var manifestCases = []struct {
	name string
	text string
	fast bool
}{
	{"compact", `{"format":"actcourier-bundle","version":"1.0","bundle_id":"ab","created_at":"2026-11-02T01:15:00Z","collector":"x","members":[{"name":"a","size":1,"sha256":"ff"}]}`, true},
	{"any order and white space", " {\r\n\t\"members\" : [ { \"sha256\":\"ff\" , \"size\" : -0, \"name\":\"a\" } ] , \"format\":\"f\" }\n", true},
	{"empty", `{}`, true},
	{"no members", `{"members":[]}`, true},
	{"entry without fields", `{"members":[{}]}`, true},
	{"DEL and multibyte", "{\"collector\":\"\x7f é 東\"}", true},
	{"largest size", `{"members":[{"size":9223372036854775807}]}`, true},
	{"smallest size", `{"members":[{"size":-9223372036854775808}]}`, true},

	{"unknown key", `{"format":"f","extra":1}`, false},
	{"key in another case", `{"Format":"f"}`, false},
	{"entry key in another case", `{"members":[{"Name":"a"}]}`, false},
	{"key twice", `{"format":"f","format":"g"}`, false},
	{"entry key twice", `{"members":[{"size":1,"size":2}]}`, false},
	{"null", `{"format":null}`, false},
	{"null members", `{"members":null}`, false},
	{"null entry", `{"members":[null]}`, false},
	{"escape", `{"format":"a\u0062"}`, false},
	{"escaped key", `{"form\u0061t":"f"}`, false},
	{"escaped time", `{"created_at":"2026-11-02T01:15:00\u005a"}`, false},
	{"control character", "{\"format\":\"a\tb\"}", false},
	{"invalid UTF-8", "{\"format\":\"a\xffb\"}", false},
	{"surrogate as UTF-8", "{\"format\":\"\xed\xa0\x80\"}", false},
	{"number string", `{"format":1}`, false},
	{"string size", `{"members":[{"size":"1"}]}`, false},
	{"fraction", `{"members":[{"size":1.0}]}`, false},
	{"exponent", `{"members":[{"size":1e3}]}`, false},
	{"leading zero", `{"members":[{"size":01}]}`, false},
	{"minus alone", `{"members":[{"size":-}]}`, false},
	{"overflow", `{"members":[{"size":9223372036854775808}]}`, false},
	{"bad time", `{"created_at":"yesterday"}`, false},
	{"time number", `{"created_at":0}`, false},
	{"trailing text", `{"format":"f"} x`, false},
	{"second object", `{}{}`, false},
	{"trailing comma", `{"format":"f",}`, false},
	{"trailing comma in members", `{"members":[{},]}`, false},
	{"missing colon", `{"format" "f"}`, false},
	{"cut short", `{"format":"f"`, false},
	{"cut in a string", `{"format":"f`, false},
	{"not an object", `[]`, false},
	{"byte order mark", "\ufeff{}", false},
	{"nothing", ``, false},
}

// TestDecodeManifest: decodeManifest decodes what Writer writes, and
// whatever it decodes, encoding/json decodes to the same Manifest; the
// rest it leaves to encoding/json.
func TestDecodeManifest(t *testing.T) {
	for _, tc := range manifestCases {
		t.Run(tc.name, func(t *testing.T) {
			var m Manifest
			if got := decodeManifest([]byte(tc.text), &m); got != tc.fast {
				t.Fatalf("decodeManifest(%q) = %v, want %v", tc.text, got, tc.fast)
			}
			if tc.fast {
				sameAsJSON(t, []byte(tc.text), m)
			}
		})
	}
	t.Run("as written", func(t *testing.T) {
		// Through Encode, as the collector writes it.
		id := newIdentity(t)
		hdr := Header{ID: "0123456789abcdef0123456789abcdef", CreatedAt: testTime, TimeZone: "東京 (標準時)", Generator: "actcourier-test"}
		for _, members := range [][]Member{testMembers, nil} {
			var buf bytes.Buffer
			if _, err := Encode(&buf, hdr, members, id.Recipient()); err != nil {
				t.Fatal(err)
			}
			text := manifestOf(t, buf.Bytes(), id)
			var got Manifest
			if !decodeManifest(text, &got) {
				t.Fatalf("decodeManifest refused the manifest Encode writes:\n%s", text)
			}
			sameAsJSON(t, text, got)
			if got.ID != hdr.ID || !got.CreatedAt.Equal(hdr.CreatedAt) || got.TimeZone != hdr.TimeZone || len(got.Members) != len(members) {
				t.Errorf("decoded %+v, wrote %+v and %d members", got, hdr, len(members))
			}
		}
	})
}

// manifestOf returns the manifest of the bundle data, for id.
func manifestOf(t *testing.T, data []byte, id age.Identity) []byte {
	t.Helper()
	r, err := age.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zstd.NewReader(r)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	if hdr, err := tr.Next(); err != nil || hdr.Name != ManifestName {
		t.Fatalf("first member: %v, %v", hdr, err)
	}
	text, err := io.ReadAll(tr)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// sameAsJSON fails t unless encoding/json decodes text without an error
// to m.
func sameAsJSON(t *testing.T, text []byte, m Manifest) {
	t.Helper()
	var want Manifest
	if err := json.Unmarshal(text, &want); err != nil {
		t.Fatalf("decodeManifest accepted %q, which encoding/json refuses: %v", text, err)
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("decodeManifest(%q):\n got %#v\nwant %#v (encoding/json)", text, m, want)
	}
}

// FuzzDecodeManifest holds decodeManifest to encoding/json: whatever it
// accepts, json.Unmarshal accepts and decodes to the same Manifest.
func FuzzDecodeManifest(f *testing.F) {
	for _, tc := range manifestCases {
		f.Add([]byte(tc.text))
	}
	f.Add([]byte(written(f, sampleManifest())))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Manifest
		if decodeManifest(data, &m) {
			sameAsJSON(t, data, m)
		}
	})
}

// FuzzDecodeManifestFields holds decodeManifest to encoding/json on
// manifests put together from raw field text and white space, so that
// hostile bytes land inside strings, numbers and the time literal of a
// manifest that is otherwise well formed, where byte mutation of whole
// texts seldom reaches.
func FuzzDecodeManifestFields(f *testing.F) {
	f.Add("actcourier-bundle", "1.0", "2026-11-02T10:15:00+09:00", "東京 (標準時)", "device.json", "1646", " ", uint8(0))
	f.Add("a\u00a0", "1.0", "2026-11-02T10:15:00Z", "\x7f", "raw/x", "-0", "\n\t", uint8(255))
	f.Add("f", "v", " \"2026-11-02T10:15:00Z\"", "tz", "n", "01", "\f", uint8(7))
	f.Fuzz(func(t *testing.T, format, version, created, tz, name, size, ws string, order uint8) {
		fields := []string{
			`"format"` + ws + `:` + ws + `"` + format + `"`,
			`"version":"` + version + `"`,
			`"created_at":` + ws + `"` + created + `"`,
			`"time_zone":"` + tz + `"`,
			`"members":` + ws + `[` + ws + `{"name":"` + name + `",` + ws + `"size":` + ws + size + ws + `,"sha256":"ff"}` + ws + `]`,
		}
		// Drop or keep each field by a bit of order, and start at another.
		var kept []string
		for i, fl := range fields {
			if order&(1<<i) == 0 {
				kept = append(kept, fl)
			}
		}
		if n := len(kept); n > 0 {
			s := int(order>>5) % n
			kept = append(kept[s:], kept[:s]...)
		}
		data := []byte(ws + "{" + ws + strings.Join(kept, ","+ws) + ws + "}" + ws)
		var m Manifest
		if decodeManifest(data, &m) {
			sameAsJSON(t, data, m)
		}
	})
}

func BenchmarkDecodeManifest(b *testing.B) {
	data := []byte(written(b, sampleManifest()))
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var m Manifest
			if !decodeManifest(data, &m) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var m Manifest
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}
