package licensing

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/actcourier/actcourier/pkg/internal/fill"
)

// checkDecodeFast requires that decodeFast, when it accepts data, decodes
// what json.Unmarshal decodes; it reports whether it accepted.
func checkDecodeFast(t *testing.T, data []byte) bool {
	t.Helper()
	if !utf8.Valid(data) {
		return false // Unmarshal refuses it before either decoder
	}
	var fast, slow Snapshot
	ok, long := decodeFast(string(data), &fast)
	err := json.Unmarshal(data, &slow)
	if ok && err != nil {
		t.Fatalf("decodeFast accepted what encoding/json refuses (%v):\n%s", err, data)
	}
	if ok && !reflect.DeepEqual(fast, slow) {
		t.Fatalf("decodeFast and encoding/json differ for\n%s\n fast %+v\n json %+v", data, fast, slow)
	}
	// long must be set when a string needs cutting (over MaxString or
	// with a NUL), and only when the text has a literal that long or a
	// \u0000 (the rule Unmarshal applies after encoding/json).
	if need := boundedStrings(reflect.ValueOf(&fast), "snapshot"); ok && need != "" && !long {
		t.Fatalf("decodeFast leaves %s uncut:\n%s", need, data)
	}
	if text := longString(string(data), MaxString) || strings.Contains(string(data), `\u0000`); ok && long && !text {
		t.Fatalf("decodeFast says a string needs cutting, and none does:\n%s", data)
	}
	return ok
}

// TestDecodeFast: what Marshal writes, and every genuine snapshot, is
// read by decodeFast, to the value encoding/json reads. Every exported
// field is filled (hostile strings, pointers nil and set, slices nil,
// empty and full), so that a field added to a struct and not to the
// decoder fails here instead of slowing every report.
func TestDecodeFast(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	if len(files) == 0 {
		t.Fatal("no testdata/snapshots")
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !checkDecodeFast(t, b) {
			t.Errorf("%s: decodeFast left a genuine snapshot to encoding/json", p)
		}
	}
	strs := []string{"", "plain", "\b\f\v\x7f\x1f\x00", "a\\b\"c/", "\u2028\u2029", "<>&", "改行\r\n\t", "\U0001F600", "\ufffd"}
	for seed := 0; seed < 3000; seed++ {
		var s Snapshot
		// Keys are names of context facts; a key with an escape is left to
		// encoding/json (TestDecodeFastEdges).
		(&fill.Filler{Data: []byte{byte(seed), byte(seed >> 8), byte(seed * 7), byte(seed * 13)}, Strs: strs,
			Keys: []string{"site", "line", "asset", "engineer"}}).Fill(reflect.ValueOf(&s).Elem())
		for _, marshal := range []func(interface{}) ([]byte, error){json.Marshal, func(v interface{}) ([]byte, error) { return json.MarshalIndent(v, " ", "\t") }} {
			b, err := marshal(&s)
			if err != nil {
				t.Fatal(err)
			}
			if !checkDecodeFast(t, b) {
				t.Fatalf("decodeFast left what json.Marshal wrote to encoding/json:\n%s", b)
			}
		}
	}
}

// TestDecodeFastEdges: inputs decodeFast must read, and inputs it must
// leave to encoding/json, which alone knows their meaning.
func TestDecodeFastEdges(t *testing.T) {
	tests := []struct {
		in   string
		fast bool
	}{
		{`{}`, true},
		{` {"schema":"actcourier-device/1","products":[]} `, true},
		{`{"products":null,"disks":[],"context":null,"os":{"sku":null,"hostname":null}}`, true},
		{`{"products":[null,{"kms":null},{"kms":{}}]}`, true},
		{`{"os":{"hostname":"a\u00e9\u0000\"\\\/\b\f\n\r\tz"}}`, true},
		{`{"os":{"hostname":"\u00E9\u2028"}}`, true},
		{`{"context":{"sources":{"site":"flag","line":"config"},"collected_at":"2026-11-24T09:30:00+09:00"}}`, true},
		{`{"products":[{"status_reason":3221549172,"grace_minutes":-0,"kms":{"configured_port":1688}}]}`, true},
		{`{"disks":[{"size_bytes":-9223372036854775808}]}`, true},
		{`{"hardware":{"slic":false,"firmware_key":true}}`, true},
		{`{"os":{"hostname":"\\u0000"}}`, true}, // a backslash, then "u0000": no NUL
		{`{"products":[` + strings.Repeat(`{},`, MaxProducts-1) + `{}]}`, true},
		{`{"products":[` + strings.Repeat(`{},`, MaxProducts) + `{}]}`, false}, // over the bound: not read further
		{`{"missing":[` + strings.Repeat(`null,`, MaxNotes) + `null]}`, false},
		{`{"os":{"hostname":"` + strings.Repeat("a", MaxString+1) + `"}}`, true},           // to be cut
		{`{"os":{"hostname":"` + strings.Repeat("a", MaxString-1) + `\n"}}`, true},         // as long as written
		{`{"context":{"sources":{"` + strings.Repeat("k", MaxString+1) + `":"x"}}}`, true}, // a long key

		{`{"Schema":"actcourier-device/1"}`, false},      // encoding/json folds case
		{`{"schema":"a","schema":"b"}`, false},           // a key twice
		{`{"sch\u0065ma":"a"}`, false},                   // an escaped key
		{`{"context":{"sources":{"\n":"flag"}}}`, false}, // an escaped map key
		{`{"future":1}`, false},                          // a field of a newer collector
		{`{"os":{"hostname":"\ud83d\ude00"}}`, false},    // surrogates
		{`{"os":{"sku":1.0}}`, false},
		{`{"os":{"sku":1e3}}`, false},
		{`{"os":{"sku":01}}`, false},
		{`{"os":{"sku":"1"}}`, false},
		{`{"os":{"sku":99999999999999999999}}`, false},
		{`{"products":[{"status_reason":-1}]}`, false},
		{`{"products":[{"status_reason":4294967296}]}`, false},
		{`{"os":{"hostname":1}}`, false},
		{`{"os":{"hostname":"a` + "\t" + `"}}`, false},
		{`{"os":{"install_date":"yesterday"}}`, false},
		{`{"os":{"install_date":5}}`, false},
		{`{"hardware":{"slic":"yes"}}`, false},
		{`{"products":{}}`, false},
		{`{"products":[1]}`, false},
		{`{"products":[],}`, false},
		{`{"products":[,]}`, false},
		{`{} {}`, false},
		{`{"os":{}`, false},
		{`{"os":{}}x`, false},
		{`{"os":nul}`, false},
		{`{"hardware":{"slic":truex}}`, false},
		{`null`, false},
		{`[]`, false},
		{``, false},
		{`{"context":{"sources":{"` + strings.Repeat(`a":"b","`, 40) + `z":"b"}}}`, false}, // more keys than a struct has
	}
	for _, tc := range tests {
		if got := checkDecodeFast(t, []byte(tc.in)); got != tc.fast {
			t.Errorf("decodeFast(%s) = %v, want %v", tc.in, got, tc.fast)
		}
	}
}

// FuzzDecodeFast: whatever decodeFast accepts, encoding/json accepts and
// decodes to the same snapshot.
func FuzzDecodeFast(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"os":{"hostname":"a\u00e9\"\\\/\b\f\n\r\tz","sku":-0},"products":[null,{"kms":{}}],"context":{"sources":{"a":"b","a":"c"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecodeFast(t, data)
	})
}

// BenchmarkUnmarshal reads the genuine snapshots as a report does.
func BenchmarkUnmarshal(b *testing.B) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	var data [][]byte
	size := 0
	for _, p := range files {
		d, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		size += len(d)
	}
	for _, tc := range []struct {
		name   string
		decode func([]byte) error
	}{
		{"Unmarshal", func(d []byte) error { _, err := Unmarshal(d); return err }},
		{"encoding/json", func(d []byte) error { var s Snapshot; return json.Unmarshal(d, &s) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for _, d := range data {
					if err := tc.decode(d); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// TestUnmarshalManyValues: a forged snapshot of 1 MiB of empty products
// or nulls is refused as too large, by either decoder, without making
// hundreds of thousands of products first.
func TestUnmarshalManyValues(t *testing.T) {
	fill := func(head, v string) []byte {
		b := []byte(head)
		for len(b) < MaxSnapshotSize-len(v)-4 {
			b = append(b, v...)
			b = append(b, ',')
		}
		return append(b, "{}]}"...)
	}
	v := `{"kms":{}}`
	for _, data := range [][]byte{
		fill(`{"schema":"actcourier-device/1","products":[`, `{}`),
		fill(`{"schema":"actcourier-device/1","products":[`, `null`),
		fill(`{"Schema":"actcourier-device/1","products":[`, `{}`), // for encoding/json
		fill(`{"future":1,"schema":"actcourier-device/1","disks":[`, `{}`),
		[]byte(`{"future":1,"schema":"actcourier-device/1","products":[` + strings.Repeat(v+",", 65533) + v + `]}`),
		[]byte(`{"future":1,"schema":"actcourier-device/1","context":{"sources":{` + strings.Repeat(`"a":"b",`, 100000) + `"a":"b"}}}`),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Unmarshal(data)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%.60s…: %v, want ErrTooLarge", data, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
			t.Errorf("%.60s…: %d MiB allocated to refuse it", data, n>>20)
		}
	}
	// What the text is comes first: not a snapshot, or a newer one.
	for _, tc := range []struct {
		data string
		want error
	}{
		{`{"schema":"actcourier-device/2","future":[` + strings.Repeat("0,", 70000) + `0]}`, ErrUnsupportedSchema},
		{`[` + strings.Repeat("0,", 70000) + `0`, ErrNotSnapshot},
		{`{"schema":"other/1","products":[` + strings.Repeat("{},", 2000) + `{}]}`, ErrNotSnapshot},
	} {
		if _, err := Unmarshal([]byte(tc.data)); !errors.Is(err, tc.want) {
			t.Errorf("%.60s…: %v, want %v", tc.data, err, tc.want)
		}
	}
	// Lists at their bounds are read, by either decoder.
	for _, head := range []string{`{"schema":"actcourier-device/1",`, `{"Schema":"actcourier-device/1",`} {
		data := head + `"errors":[` + strings.Repeat(`{"source":"wmi","what":"x","error":"y"},`, MaxNotes-1) +
			`{"source":"wmi","what":"x","error":"y"}],"products":[` + strings.Repeat(`{"kind":"windows"},`, MaxProducts-1) + `{"kind":"windows"}]}`
		if s, err := Unmarshal([]byte(data)); err != nil || len(s.Errors) != MaxNotes || len(s.Products) != MaxProducts {
			t.Errorf("%s… lists at their bounds: %v", head, err)
		}
	}
}

func TestWidest(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{``, 0},
		{`[]`, 1},
		{`[1,2,3]`, 3},
		{`{"a,b":"c,d","e":[",",","]}`, 2},
		{`["\",",",","\\",","]`, 4},
		{`["\\\"",","]`, 2},
		{`[[1,2],[3,4,5,6],7]`, 4},
		{`{"a":1,"b":{"c":1,"d":2,"e":3}}`, 3},
		{`"unclosed,`, 0},
		{strings.Repeat("[", 10001), math.MaxInt32}, // deeper than encoding/json reads
	} {
		if got := widest(tc.in); got != tc.want {
			t.Errorf("widest(%.40s) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestSnapshotStringsAreCopies: no string of a decoded snapshot is a part
// of the text it came from, which it would keep alive (decoder.text).
func TestSnapshotStringsAreCopies(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		data := string(b)
		s, err := UnmarshalString(data)
		if err != nil {
			t.Fatal(err)
		}
		lo := uintptr(unsafe.Pointer(unsafe.StringData(data)))
		var walk func(v reflect.Value, path string)
		walk = func(v reflect.Value, path string) {
			switch v.Kind() {
			case reflect.String:
				if str := v.String(); str != "" {
					if at := uintptr(unsafe.Pointer(unsafe.StringData(str))); at >= lo && at < lo+uintptr(len(data)) {
						t.Errorf("%s: %s is a part of the snapshot's text", p, path)
					}
				}
			case reflect.Ptr:
				if !v.IsNil() {
					walk(v.Elem(), path)
				}
			case reflect.Struct:
				for i := 0; i < v.NumField(); i++ {
					if v.Type().Field(i).IsExported() {
						walk(v.Field(i), path+"."+v.Type().Field(i).Name)
					}
				}
			case reflect.Slice:
				for i := 0; i < v.Len(); i++ {
					walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
				}
			case reflect.Map:
				for _, k := range v.MapKeys() {
					walk(k, path+"{key}")
					walk(v.MapIndex(k), path+"{value}")
				}
			}
		}
		walk(reflect.ValueOf(s), "snapshot")
	}
}
