package licensing

import (
	"errors"
	"fmt"
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
