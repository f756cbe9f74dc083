package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestUnderWine builds the Windows 7 collector (windows/amd64, Go 1.20.14)
// and runs a real live collection under Wine, whose WMI reports Windows 7
// Professional 6.1.7601. It then opens the bundle and checks the facts
// Wine gives and the classes and properties it lacks, recorded as missing.
func TestUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no Wine run")
	}
	wine, err := exec.LookPath("wine64")
	if err != nil {
		if wine, err = exec.LookPath("wine"); err != nil {
			t.Fatal("wine is not installed: run `make deps` (apt-get install wine64)")
		}
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "collector.exe")
	build := exec.Command("go", "build", "-trimpath", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=go1.20.14", "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building with Go 1.20.14: %v\n%s", err, out)
	}
	id := newKey(t)
	out := filepath.Join(dir, "stick", "bundles")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, wine, exe, "--no-prompt", "-r", id.Recipient().String(),
		"--site", "WineSite", "--line", "W1", "--asset", "WINE-1", "--out", "Z:"+strings.ReplaceAll(out, "/", `\`), "--timeout", "60s")
	cmd.Env = append(os.Environ(), "WINEPREFIX="+filepath.Join(dir, "prefix"), "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("collector under wine: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "Microsoft Windows 7 Professional") {
		t.Errorf("summary:\n%s", stdout.String())
	}
	b := openOnly(t, out, id)
	s, err := licensing.Unmarshal(member(t, b, licensing.MemberName))
	if err != nil {
		t.Fatal(err)
	}
	if s.OS.Caption != "Microsoft Windows 7 Professional" || s.OS.Version != "6.1.7601" || s.OS.Source != licensing.SourceWMI {
		t.Errorf("OS %+v", s.OS)
	}
	if s.Context.Site != "WineSite" || s.Context.Collected.IsZero() {
		t.Errorf("context %+v", s.Context)
	}
	// Wine's SoftwareLicensingProduct has LicenseStatus (1) and little else.
	found := false
	for _, p := range s.Products {
		if p.Source == licensing.SourceWMI && p.StatusRaw == "1" && p.Status == licensing.StatusLicensed {
			found = true
		}
	}
	if !found {
		t.Errorf("no SoftwareLicensingProduct license status from WMI: %+v", s.Products)
	}
	missing := strings.Join(s.Missing, " ")
	for _, m := range []string{"SoftwareLicensingProduct.PartialProductKey", "SoftwareLicensingService", "Win32_EncryptableVolume"} {
		if !strings.Contains(missing, m) {
			t.Errorf("%s not recorded as missing: %s", m, missing)
		}
	}
	// Wine has no slmgr.vbs: recorded as an error, not fatal.
	if len(s.Raw) < 2 || s.Raw[0].Error == "" {
		t.Errorf("raw %+v", s.Raw)
	}
}
