package sitekey

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"filippo.io/age"
)

func TestGenerateAndLoad(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, pass, typed string
		want              error
	}{
		{"plain", "", "", nil},
		{"protected", "correct horse", "correct horse", nil},
		{"wrong passphrase", "correct horse", "battery staple", ErrPassphrase},
		{"empty passphrase", "correct horse", "", ErrPassphrase},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, data, err := Generate(tc.pass, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if protected(data) != (tc.pass != "") {
				t.Errorf("protected = %v", protected(data))
			}
			path := filepath.Join(dir, tc.name+".txt")
			if err := WriteNew(path, data); err != nil {
				t.Fatal(err)
			}
			if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			ids, err := Load([]string{path}, func(string) (string, error) { return tc.typed, nil })
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("Load: %v, want %v", err, tc.want)
			}
			if tc.want == nil {
				// The loaded identity opens what is encrypted to the
				// generated one's recipient.
				var buf bytes.Buffer
				w, _ := age.Encrypt(&buf, id.Recipient())
				w.Close()
				if _, err := age.Decrypt(&buf, ids...); err != nil {
					t.Errorf("loaded another identity: %v", err)
				}
			}
		})
	}
	path := filepath.Join(dir, "plain.txt")
	if err := WriteNew(path, []byte("x")); !errors.Is(err, ErrExists) {
		t.Errorf("WriteNew over a file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "junk"), []byte("hello"), 0o600)
	if _, err := Load([]string{filepath.Join(dir, "junk")}, nil); !errors.Is(err, ErrNotIdentity) {
		t.Errorf("Load of junk: %v", err)
	}
}
