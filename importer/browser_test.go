package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// chromium renders a page headless and returns its DOM and the console
// messages it logged.
func chromium(t *testing.T, page string) (dom string, console []string) {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Fatal("chromium is not installed: run `make deps` (apt-get install chromium)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--enable-logging=stderr", "--log-level=0", "--dump-dom", "file://"+page)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, ":CONSOLE") {
			console = append(console, l)
		}
	}
	return string(out), console
}

// TestReportInBrowser renders a line report and the fleet index in
// headless Chromium: they load without console messages (the page's CSP
// would log any attempt to load something) and show the devices and
// their categories.
func TestReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	needsLinuxTool(t, "chromium")
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	archetypeBundles(t, in, id.Recipient())
	db := filepath.Join(dir, "db")
	if code, _, stderr := runImporter(t, "import", "-i", key, "--db", db, in); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "rep")
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", out, "--as-of", "2026-11-02", "--lang", "ja"); code != 0 {
		t.Fatal(stderr)
	}
	// The check itself must see console messages: a page that logs one.
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><img src="https://example.invalid/x.png">`), 0o644)
	if _, console := chromium(t, bad); len(console) == 0 {
		t.Fatal("a page that breaks its CSP logged nothing: the console check is blind")
	}
	dom, console := chromium(t, filepath.Join(out, "Nagoya", "L2.html"))
	if len(console) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(console, "\n"))
	}
	for _, want := range []string{"NG-L2-011", "FA-NG-L2-011", "NG-POS-07", "緊急", "イメージ バックアップ", "<svg"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered line page lacks %q", want)
		}
	}
	dom, console = chromium(t, filepath.Join(out, "index.html"))
	if len(console) > 0 {
		t.Errorf("fleet index console messages:\n%s", strings.Join(console, "\n"))
	}
	for _, want := range []string{"Nagoya", "Kumamoto", "ボリューム ライセンス移行計画"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered index lacks %q", want)
		}
	}
}
