package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
)

const archetype = "../testdata/snapshots/win7-office2010-retail-notification.json"

func newKey(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func runCollector(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(append([]string{"collector"}, args...), console{in: strings.NewReader(stdin), out: &o, err: &e})
	return code, o.String(), e.String()
}

func member(t *testing.T, b *bundle.Bundle, name string) []byte {
	t.Helper()
	data, ok := b.Member(name)
	if !ok {
		t.Fatalf("bundle has no %s", name)
	}
	return data
}

func openOnly(t *testing.T, dir string, id age.Identity) *bundle.Bundle {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], bundle.Ext) {
		t.Fatalf("output folder holds %v, want one bundle", files)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := bundle.Open(f, bundle.Limits{}, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSnapshotReplay(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	code, stdout, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out, "--note", "after power cut")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"FA-NG-L2-011", "Office 14, OfficeProPlus-Retail edition: NOT activated: notification mode", ".tar.zst.age"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	b := openOnly(t, out, id)
	s, err := licensing.Unmarshal(member(t, b, licensing.MemberName))
	if err != nil {
		t.Fatal(err)
	}
	if s.Context.Site != "Nagoya" || s.Context.Line != "L2" || s.Context.Note != "after power cut" || !strings.Contains(s.Context.Collector, "replay") {
		t.Errorf("context %+v", s.Context)
	}
	// Nothing in plaintext on the stick names the device.
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	raw, _ := os.ReadFile(files[0])
	for _, secret := range []string{"FA-NG-L2-011", "NG-L2-011", "JPA2130ABC", "Nagoya"} {
		if bytes.Contains(raw, []byte(secret)) || strings.Contains(files[0], secret) {
			t.Errorf("%q visible on the stick", secret)
		}
	}
}

func TestRawMembersReplayed(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	if code, _, stderr := runCollector(t, "", "--no-prompt", "--snapshot", "../testdata/snapshots/wmi-broken-slmgr-only.json", "-r", id.Recipient().String(), "--out", out); code != 0 {
		t.Fatal(stderr)
	}
	if b := openOnly(t, out, id); len(member(t, b, "raw/slmgr-dlv.txt")) == 0 {
		t.Error("raw slmgr output not in the bundle")
	}
}

func TestConfigFile(t *testing.T) {
	id := newKey(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := filepath.Join(dir, "actcourier.conf")
	os.WriteFile(cfg, []byte("recipient = "+id.Recipient().String()+"\nsite = Osaka\nlines = A, B\nengineer = E-9\n"), 0o644)
	// The snapshot's own site and engineer beat the settings file's
	// defaults; a flag beats both.
	code, _, stderr := runCollector(t, "", "--config", cfg, "--snapshot", "../testdata/snapshots/win10-home.json", "--out", out, "--line", "Override")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	s, _ := licensing.Unmarshal(member(t, openOnly(t, out, id), licensing.MemberName))
	// The snapshot's own line and asset stay unless told; the flag wins over the config.
	if s.Context.Line != "Override" || s.Context.Site != "Kumamoto" || s.Context.Engineer != "E-1042" || s.Context.Sources["line"] != "flag" {
		t.Errorf("context %+v", s.Context)
	}
}

func TestPrompt(t *testing.T) {
	s := &settings{ctx: licensing.Context{Sources: map[string]licensing.Source{}}, lines: []string{"L1", "L2"}}
	var o bytes.Buffer
	typed := func(in string) console {
		return console{in: strings.NewReader(in), out: &o, err: &o, interactive: true}
	}
	if err := askMissing(s, typed("Nagoya\n\n2\nTAG-1\n")); err != nil {
		t.Fatal(err)
	}
	if s.ctx.Site != "Nagoya" || s.ctx.Line != "L2" || s.ctx.Asset != "TAG-1" || s.ctx.Sources["asset"] != licensing.SourceOperator {
		t.Errorf("answers %+v", s.ctx)
	}
	if !strings.Contains(o.String(), "2) L2") {
		t.Errorf("configured lines not offered:\n%s", o.String())
	}
	if err := askMissing(&settings{ctx: licensing.Context{Sources: map[string]licensing.Source{}}}, typed("x\n")); err == nil {
		t.Error("input ended before all answers, no error")
	}
}

func TestErrors(t *testing.T) {
	id := newKey(t)
	r := id.Recipient().String()
	readOnly := filepath.Join(t.TempDir(), "file")
	os.WriteFile(readOnly, nil, 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no recipient", []string{"--no-prompt", "--site", "s", "--line", "l", "--asset", "a", "--snapshot", archetype, "--config", os.DevNull}, 2, "no recipient"},
		{"bad recipient", []string{"-r", "AGE-SECRET-KEY-1X", "--snapshot", archetype}, 2, "recipient"},
		{"missing with --no-prompt", []string{"-r", r, "--no-prompt", "--out", t.TempDir()}, 2, "site, line, asset not given"},
		{"not a console", []string{"-r", r, "--site", "s", "--out", t.TempDir()}, 2, "--line --asset"},
		{"output not writable", []string{"-r", r, "--no-prompt", "--snapshot", archetype, "--out", filepath.Join(readOnly, "sub")}, 1, "output folder"},
		{"bad snapshot", []string{"-r", r, "--no-prompt", "--snapshot", "main.go", "--out", t.TempDir()}, 1, "not a device snapshot"},
		{"bad config", []string{"--config", "main.go", "-r", r}, 2, "settings file"},
		{"live on Linux", []string{"-r", r, "--no-prompt", "--site", "s", "--line", "l", "--asset", "a", "--out", t.TempDir()}, 2, "Windows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCollector(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d with %q", code, stderr, tc.code, tc.want)
			}
			if !strings.Contains(stderr, "collector: hint: ") && tc.name != "bad recipient" {
				t.Errorf("no hint: %s", stderr)
			}
		})
	}
}

// TestInterrupted: Ctrl-C before the bundle is written exits 130 and
// leaves nothing.
func TestInterrupted(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := runContext(ctx, []string{"collector", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out},
		console{in: strings.NewReader(""), out: &o, err: &e})
	if left, _ := os.ReadDir(out); code != 130 || len(left) != 0 || !strings.Contains(e.String(), "interrupted") {
		t.Fatalf("exit %d, left %v, %s", code, left, e.String())
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runCollector(t, "", "--version")
	if code != 0 || !strings.Contains(stdout, "collector version") {
		t.Fatalf("exit %d: %s", code, stdout)
	}
}
