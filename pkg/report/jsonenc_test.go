package report

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/internal/fill"
)

// checkDeviceJSON compares what appendJSON writes for a device filled
// from data and strs with what json.Marshal writes.
func checkDeviceJSON(t *testing.T, data []byte, strs []string) {
	t.Helper()
	var j jsonDev
	(&fill.Filler{Data: data, Strs: strs}).Fill(reflect.ValueOf(&j).Elem())
	want, err := json.Marshal(j)
	if err != nil {
		t.Fatal(err)
	}
	if got := j.appendJSON([]byte("prefix")); string(got) != "prefix"+string(want) {
		t.Fatalf("appendJSON differs from json.Marshal for %+v:\n got %s\nwant %s", j, got[len("prefix"):], want)
	}
}

// TestDeviceJSON: the devices written by code are the bytes json.Marshal
// gives for the same struct, for hostile strings in every field, every
// pointer nil and set, every slice nil, empty and full. Every exported
// field is filled, so one added to a struct and not to appendJSON fails
// here.
func TestDeviceJSON(t *testing.T) {
	strs := append([]string{"", "\b\f\v\x7f\x1f", "a\\b\"c", "\u2029", "\xe2\x80", "<>&"}, hostile...)
	for seed := 0; seed < 2000; seed++ {
		checkDeviceJSON(t, []byte{byte(seed), byte(seed >> 8), byte(seed * 7), byte(seed * 13)}, strs)
	}
}

func FuzzDeviceJSON(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3}, "<a>", "\u2028\xff", "")
	f.Add([]byte{255, 4}, "\x00\x01", "b\\\"", "改行\r\n")
	f.Fuzz(func(t *testing.T, data []byte, a, b, c string) {
		checkDeviceJSON(t, data, []string{a, b, c, ""})
	})
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", "\x00\x1f\x7f", "\b\f\n\r\t", `"\`, "<>&", "\u2028\u2029\u202a", "\xff\xfe", "\xe2\x80\xa8",
		"\xed\xa0\x80", "é漢字\U0001F600", "a\xc3"} {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}

// TestJSONHeadQuoting: a line's JSON document starts with its site and
// line; control characters in a hostile name are quoted as JSON, and the
// file stays JSON.
func TestJSONHeadQuoting(t *testing.T) {
	w, d := testWriter(t, t.TempDir(), JSON)
	d.Site, d.Line = "S\u2028<&>", "L\x1b[2J\a\x7f\"\\"
	if err := w.Line(d.Site, d.Line, []Device{d}); err != nil {
		t.Fatal(err)
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Site, Line string }
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s is not JSON: %v", f, err)
		}
		found = found || doc.Site == d.Site && doc.Line == d.Line
	}
	if !found {
		t.Errorf("no line document names site %q, line %q", d.Site, d.Line)
	}
}

// TestReasonsJSONAllocs: a device's reasons and notes for JSON are made
// at their length, one allocation, not grown: a reason holds its
// evidence, some 400 bytes, that growing copied again.
func TestReasonsJSONAllocs(t *testing.T) {
	lines, _ := fleet(t)
	for _, devs := range lines {
		for i := range devs {
			v := &devs[i].Verdict
			for _, rs := range [][]classify.Reason{v.Reasons, v.Flags} {
				want := 0.0
				if len(rs) > 0 {
					want = 1
				}
				if got := testing.AllocsPerRun(20, func() { english.reasonsJSON(rs, true) }); got > want {
					t.Errorf("%s, %d reasons: got %v allocations, want at most %v", devs[i].Asset, len(rs), got, want)
				}
			}
		}
	}
}
