package licensing

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// snap builds a snapshot's JSON with one product whose fields are given.
func snap(product string) []byte {
	return []byte(`{"schema":"actcourier-device/1","context":{"site":"S","line":"L","collected_at":"2026-11-02T10:00:00+09:00"},` +
		`"products":[{"kind":"windows","name":"Windows","channel":"Retail","license_status":"licensed"` + product + `}]}`)
}

func TestBounds(t *testing.T) {
	many := `{"schema":"actcourier-device/1","context":{},"products":[` + strings.TrimSuffix(strings.Repeat(`{"kind":"other","name":"x","channel":"","license_status":"unknown"},`, MaxProducts+1), ",") + `]}`
	tests := []struct {
		name  string
		data  []byte
		err   error
		check func(*Snapshot) string // "" when all is well
	}{
		{"too many products", []byte(many), ErrTooLarge, nil},
		{"too large", append(snap(""), make([]byte, MaxSnapshotSize)...), ErrTooLarge, nil},
		{"negative grace", snap(`,"grace_minutes":-5`), nil, func(s *Snapshot) string {
			if s.Products[0].GraceMinutes != nil || len(s.Errors) != 1 || s.Errors[0].Source != SourceBounds {
				return fmt.Sprintf("grace %v, errors %v", s.Products[0].GraceMinutes, s.Errors)
			}
			return ""
		}},
		{"huge grace", snap(`,"grace_minutes":2147483647`), nil, func(s *Snapshot) string {
			if s.Products[0].GraceMinutes != nil {
				return "grace kept"
			}
			return ""
		}},
		{"grace of 180 days kept", snap(`,"grace_minutes":259200`), nil, func(s *Snapshot) string {
			if g := s.Products[0].GraceMinutes; g == nil || *g != 259200 || len(s.Errors) != 0 {
				return fmt.Sprintf("grace %v, errors %v", g, s.Errors)
			}
			return ""
		}},
		{"year 9999", snap(`,"evaluation_end":"9999-12-31T00:00:00Z"`), nil, func(s *Snapshot) string {
			if s.Products[0].EvaluationEnd != nil || len(s.Errors) != 1 {
				return "date kept"
			}
			return ""
		}},
		{"year 0001", snap(`,"expires":"0001-01-01T00:00:00Z"`), nil, func(s *Snapshot) string {
			if s.Products[0].Expires != nil {
				return "date kept"
			}
			return ""
		}},
		{"1601 means none", snap(`,"evaluation_end":"1601-01-01T00:00:00Z"`), nil, func(s *Snapshot) string {
			if s.Products[0].EvaluationEnd != nil || len(s.Errors) != 0 {
				return "1601 kept or noted"
			}
			return ""
		}},
		{"unknown channel and status", snap(`,"channel":"=cmd|' /C calc'!A0","license_status":"pwned"`), nil, func(s *Snapshot) string {
			if p := s.Products[0]; p.Channel != ChannelUnknown || p.Status != StatusUnknown || len(s.Errors) != 2 {
				return fmt.Sprintf("%+v %v", p, s.Errors)
			}
			return ""
		}},
		{"long name cut on a character", snap(`,"name":"` + strings.Repeat("名", 1000) + `"`), nil, func(s *Snapshot) string {
			if n := s.Products[0].Name; len(n) > MaxString || !utf8.ValidString(n) || !strings.HasSuffix(n, "…") {
				return fmt.Sprintf("name of %d bytes", len(n))
			}
			return ""
		}},
		// PostgreSQL's text holds neither NUL nor bytes that are not
		// UTF-8: a hostile snapshot must not fail a batch there.
		// A literal as written over MaxString whose last bytes are
		// escapes: 1,000 letters and 100 newlines decode to 1,100 bytes.
		{"long name ending in escapes cut", snap(`,"name":"` + strings.Repeat("a", 1000) + strings.Repeat(`\n`, 100) + `"`), nil, func(s *Snapshot) string {
			if n := s.Products[0].Name; len(n) > MaxString {
				return fmt.Sprintf("name of %d bytes", len(n))
			}
			return ""
		}},
		// A time every store writes as UTC text and reads back: a year
		// of 0 with an offset east of UTC is year -1 there.
		{"collected in year -1 as UTC", []byte(`{"schema":"actcourier-device/1","context":{"collected_at":"0000-01-01T00:00:00+01:00"},"products":[]}`), nil, func(s *Snapshot) string {
			if !s.Context.Collected.IsZero() || len(s.Errors) != 1 {
				return fmt.Sprintf("collected %v, errors %v", s.Context.Collected, s.Errors)
			}
			return ""
		}},
		{"collected in year 10000 as UTC", []byte(`{"schema":"actcourier-device/1","context":{"collected_at":"9999-12-31T23:59:59-01:00"},"products":[]}`), nil, func(s *Snapshot) string {
			if !s.Context.Collected.IsZero() || len(s.Errors) != 1 {
				return fmt.Sprintf("collected %v, errors %v", s.Context.Collected, s.Errors)
			}
			return ""
		}},
		{"a wrong clock's year is kept", []byte(`{"schema":"actcourier-device/1","context":{"collected_at":"1970-01-01T09:00:00+09:00"},"products":[]}`), nil, func(s *Snapshot) string {
			if s.Context.Collected.Year() != 1970 || len(s.Errors) != 0 {
				return fmt.Sprintf("collected %v, errors %v", s.Context.Collected, s.Errors)
			}
			return ""
		}},
		{"collector built in year 9999", []byte(`{"schema":"actcourier-device/1","context":{"collector_built":"9999-01-01T00:00:00Z"},"products":[]}`), nil, func(s *Snapshot) string {
			if s.Context.CollectorBuilt != nil || len(s.Errors) != 1 {
				return fmt.Sprintf("built %v, errors %v", s.Context.CollectorBuilt, s.Errors)
			}
			return ""
		}},
		{"NUL read as U+FFFD", snap(`,"name":"Win\u0000dows"`), nil, func(s *Snapshot) string {
			if n := s.Products[0].Name; n != "Win\uFFFDdows" {
				return fmt.Sprintf("name %q", n)
			}
			return ""
		}},
		{"not UTF-8", snap(`,"name":"Win` + "\xff\xfe" + `dows"`), ErrNotSnapshot, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Unmarshal(tc.data)
			if !errors.Is(err, tc.err) || (tc.err == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tc.err)
			}
			if tc.check != nil {
				if msg := tc.check(s); msg != "" {
					t.Error(msg)
				}
			}
		})
	}
}

// longStringRef is longString as plainly as it can be written: the
// written length of every literal, from its quote to the next quote that
// no backslash escapes.
func longStringRef(data []byte, max int) bool {
	for i := 0; i < len(data); i++ {
		if data[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(data) && data[j] != '"' {
			if data[j] == '\\' {
				j++
			}
			j++
		}
		if j > len(data) {
			j = len(data) // a backslash as the last byte
		}
		if j-i-1 > max {
			return true
		}
		i = j
	}
	return false
}

func TestLongString(t *testing.T) {
	const max = 8
	tests := []struct {
		data string
		want bool
	}{
		{``, false},
		{`{}`, false},
		{`{"a":"12345678"}`, false},
		{`{"a":"123456789"}`, true},
		{`{"123456789":1}`, true},
		{`{"a":"1234","b":"5678"}`, false},
		{`["1234567", 12345678901234567890]`, false},
		{`{"a":"12345\n"}`, false},
		{`{"a":"1234567\n"}`, true}, // ends in an escape
		{`{"a":"1\"2\"3\"4"}`, true},
		{`{"a":"\\\\"}`, false},
		{`{"a":"\\\\\\\\\\"}`, true},
		{`"123456789`, true}, // not closed
		{`"1234567\`, false},
		{`"12345678\`, true},
	}
	for _, tc := range tests {
		if got := longString(tc.data, max); got != tc.want {
			t.Errorf("longString(%s) = %v, want %v", tc.data, got, tc.want)
		}
		if got := longStringRef([]byte(tc.data), max); got != tc.want {
			t.Errorf("longStringRef(%s) = %v, want %v", tc.data, got, tc.want)
		}
	}
}

// FuzzLongString: the quote-to-quote path and the escape-aware loop
// agree with the plain reference on any bytes.
func FuzzLongString(f *testing.F) {
	f.Add([]byte(`{"a":"123456\n"}`), 8)
	f.Add([]byte(`{"a":"12345678"}`), 8)
	f.Fuzz(func(t *testing.T, data []byte, max int) {
		if max < 0 || max > 1<<16 {
			return
		}
		if got, want := longString(string(data), max), longStringRef(data, max); got != want {
			t.Fatalf("longString(%q, %d) = %v, the reference says %v", data, max, got, want)
		}
	})
}

// boundedStrings returns the first string under v (struct fields,
// pointers, slices, map keys and values) that is longer than MaxString
// or holds a NUL, as a path; "" when there is none.
func boundedStrings(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.String:
		if v.Len() > MaxString || strings.IndexByte(v.String(), 0) >= 0 {
			return path
		}
	case reflect.Ptr:
		if !v.IsNil() {
			return boundedStrings(v.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				if p := boundedStrings(v.Field(i), path+"."+v.Type().Field(i).Name); p != "" {
					return p
				}
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if p := boundedStrings(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if p := boundedStrings(k, path+"{key}"); p != "" {
				return p
			}
			if p := boundedStrings(v.MapIndex(k), path+"{value}"); p != "" {
				return p
			}
		}
	}
	return ""
}

// TestBoundsNotes: the note about a value out of range quotes the hostile
// value, and is added after the strings were cut: it is bounded and
// without NUL as well.
func TestBoundsNotes(t *testing.T) {
	long := strings.Repeat("A", 5000)
	for name, js := range map[string]string{
		"long kind":    `{"schema":"actcourier-device/1","products":[{"kind":"` + long + `"}]}`,
		"long channel": `{"schema":"actcourier-device/1","products":[{"kind":"windows","channel":"` + long + `"}]}`,
		"NUL status":   `{"schema":"actcourier-device/1","products":[{"kind":"windows","license_status":"x\u0000y"}]}`,
		"NUL class":    `{"schema":"actcourier-device/1","products":[{"kind":"windows","class":"\u0000"}]}`,
	} {
		s, err := Unmarshal([]byte(js))
		if err != nil {
			t.Fatal(name, err)
		}
		if len(s.Errors) == 0 {
			t.Errorf("%s: no note", name)
		}
		if p := boundedStrings(reflect.ValueOf(s), "snapshot"); p != "" {
			t.Errorf("%s: %s is over MaxString or holds a NUL", name, p)
		}
	}
}

// TestBoundsNoteNames: a note names the value it is about, with the list
// item it is in.
func TestBoundsNoteNames(t *testing.T) {
	js := `{"schema":"actcourier-device/1","os":{"sku":-1},
		"disks":[{"size_bytes":1},{"size_bytes":-1}],
		"volumes":[{"name":"C:","size_bytes":1,"free_bytes":2}],
		"services":[{"kind":"windows"},{"kind":"windows","renewal_interval_minutes":-5}],
		"products":[{"kind":"windows","license_status":"licensed"},{"kind":"gadget","license_status":"licensed","grace_minutes":-1,
			"expires":"1900-01-01T00:00:00Z","kms":{"host_current_count":-1}}]}`
	s, err := Unmarshal([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range s.Errors {
		got = append(got, e.What)
	}
	want := []string{"os.sku", "volumes[0] size and free space", "disks[1].size_bytes", "services[1].renewal_interval_minutes",
		"products[1].grace_minutes", "products[1].expires", "products[1].kind", "products[1].kms.host_current_count"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes about\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
