package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/actcourier/actcourier/bundle"
)

func writeKey(t *testing.T, dir, name string) (*age.X25519Identity, string) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return id, p
}

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	_, otherKey := writeKey(t, dir, "other.txt")
	good, m, err := bundle.WriteFile(dir, bundle.Header{Generator: "test"}, []bundle.Member{{Name: "device.json", Data: []byte("{}")}}, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	junk := filepath.Join(dir, "junk.tar.zst.age")
	os.WriteFile(junk, []byte("not a bundle"), 0o644)
	// A stick: its bundles folder holds one bundle and a collector's
	// temporary dot-file, which is skipped as an import skips it.
	stick := filepath.Join(dir, "stick")
	os.MkdirAll(filepath.Join(stick, "bundles"), 0o755)
	inStick, sm, err := bundle.WriteFile(filepath.Join(stick, "bundles"), bundle.Header{Generator: "test"}, []bundle.Member{{Name: "device.json", Data: []byte("{}")}}, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(stick, "bundles", ".tmp-x.tar.zst.age"), []byte("partial"), 0o644)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)

	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     []string
		stderr     []string
		noStdoutOf []string
	}{
		{"good", []string{"inspect", "-i", key, good}, 0, []string{m.ID, "device.json", "file sha256"}, nil, nil},
		{"json", []string{"inspect", "--json", "-i", key, good}, 0, []string{`"bundle_id":"` + m.ID}, nil, nil},
		{"rotation: two keys", []string{"inspect", "-i", otherKey, "-i", key, good}, 0, []string{m.ID}, nil, nil},
		{"wrong key", []string{"inspect", "-i", otherKey, good}, 1, nil,
			[]string{"importer: error: " + good + ": bundle: no identity matches", "importer: hint: pass this site's identity"}, []string{m.ID}},
		{"one bad of two", []string{"inspect", "-i", key, junk, good}, 1, []string{m.ID},
			[]string{junk + ": bundle: not an ActCourier bundle", "leave it out"}, nil},
		{"a folder: the stick", []string{"inspect", "-i", key, stick}, 0, []string{inStick, sm.ID}, nil, []string{m.ID}},
		{"a folder without bundles", []string{"inspect", "-i", key, empty, good}, 1, []string{m.ID},
			[]string{"importer: error: " + empty + ": no bundle in this folder", "point at the stick"}, nil},
		{"no identity", []string{"inspect", good}, 2, nil, []string{"no identity file given", "hint: pass the site's identity file"}, nil},
		{"no bundle", []string{"inspect", "-i", key}, 2, nil, []string{"no bundle given"}, nil},
		{"missing identity file", []string{"inspect", "-i", filepath.Join(dir, "nope"), good}, 2, nil, []string{"open identity"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("ACTCOURIER_IDENTITY", "")
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"importer"}, tc.args...), &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, s := range tc.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr.String())
				}
			}
			for _, s := range tc.noStdoutOf {
				if strings.Contains(stdout.String(), s) {
					t.Errorf("stdout has %q", s)
				}
			}
		})
	}
}
