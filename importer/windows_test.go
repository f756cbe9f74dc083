package main

// Tests of what Windows does differently: drive letters, backslashes,
// extended-length paths, Japanese and reserved names. They run on every
// system; `make test-windows` runs them, with the rest of the suite, as a
// Windows program under Wine, where the drive-letter cases run too.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// needsLinuxTool skips a test that runs a Linux program (a browser, the
// age and zstd commands, the go command) when the test binary runs as a
// Windows program, as under Wine, where that program cannot be started.
func needsLinuxTool(t *testing.T, tool string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skipf("needs the Linux tool %s, which a Windows program under Wine cannot start", tool)
	}
}

// stickDrive returns the root of a drive letter that stands for a USB
// stick, such as `S:\`, and a fresh folder on it that is removed after
// the test. ACTCOURIER_TEST_DRIVE names the drive: `make test-windows`
// maps S: to a folder of its Wine prefix; on Windows, name a stick you
// may write to. Without it the test is skipped.
func stickDrive(t *testing.T) (root, dir string) {
	t.Helper()
	if runtime.GOOS != "windows" {
		t.Skip("drive letters exist on Windows only")
	}
	d := os.Getenv("ACTCOURIER_TEST_DRIVE")
	if len(d) != 2 || d[1] != ':' {
		t.Skip("ACTCOURIER_TEST_DRIVE is not set (make test-windows sets S:, mapped to a folder)")
	}
	root = d + `\`
	dir, err := os.MkdirTemp(root, "actcourier-test-")
	if err != nil {
		t.Fatalf("drive %s: %v", root, err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return root, dir
}

// TestImportPaths imports bundles named by the paths a Windows user
// types: a stick's drive root, backslashes and slashes, another case, an
// extended-length path, a Japanese folder, one file; with the key and the
// database in Japanese folders and the database on the stick.
func TestImportPaths(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	root, stick := stickDrive(t)
	keys := filepath.Join(t.TempDir(), "鍵")
	os.MkdirAll(keys, 0o755)
	id, key := writeKey(t, keys, "拠点の鍵.txt")
	bundles := filepath.Join(stick, "bundles")
	japanese := filepath.Join(stick, "回収データ")
	os.MkdirAll(bundles, 0o755)
	os.MkdirAll(japanese, 0o755)
	files := archetypeBundles(t, bundles, id.Recipient())
	one := files["win10-home"]
	data, _ := os.ReadFile(one)
	os.WriteFile(filepath.Join(japanese, filepath.Base(one)), data, 0o644)
	n := len(files)
	base := filepath.Base(stick)

	tests := []struct {
		name string
		path string // what is typed
		db   string // "" for a fresh one in a Japanese folder of C:
		want int    // bundles imported
		dup  int    // of which copies, reported as already imported
	}{
		{"drive root", root, "", n, 1},
		{"backslashes", root + base + `\bundles`, "", n, 0},
		{"trailing backslash", root + base + `\bundles\`, "", n, 0},
		{"slashes", strings.ReplaceAll(root, `\`, "/") + base + "/bundles", "", n, 0},
		{"lower-case drive and folder", strings.ToLower(root + base + `\BUNDLES`), "", n, 0},
		{"extended-length path", `\\?\` + root + base + `\bundles`, "", n, 0},
		{"Japanese folder", root + base + `\回収データ`, "", 1, 0},
		{"one file", root + base + `\bundles\` + filepath.Base(one), "", 1, 0},
		{"database on the stick", root + base + `\bundles`, filepath.Join(stick, "フリート.db"), n, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := tc.db
			if db == "" {
				dir := filepath.Join(t.TempDir(), "台帳")
				os.MkdirAll(dir, 0o755)
				db = filepath.Join(dir, "fleet.db")
			}
			code, stdout, stderr := runImporter(t, "import", "-i", key, "--db", db, tc.path)
			want := fmt.Sprintf("imported %d, already imported %d, rejected 0", tc.want, tc.dup)
			if code != 0 || !strings.Contains(stdout, want) {
				t.Fatalf("import %s: exit %d, want 0 and %q\n%s\n%s", tc.path, code, want, summaryLine.FindString(stdout), stderr)
			}
			if code, stdout, _ := runImporter(t, "import", "-i", key, "--db", db, tc.path); code != 0 || !strings.Contains(stdout, "imported 0") {
				t.Errorf("second import %s: exit %d, %s", tc.path, code, summaryLine.FindString(stdout))
			}
		})
	}
}

// TestReportNames imports devices whose site and line names are Japanese
// or Windows device names (CON, AUX, NUL, COM1) or Index, and writes the
// reports into a Japanese folder: each line gets its own files, and the
// --site filter finds a site called CON.
func TestReportNames(t *testing.T) {
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	lines := []struct{ site, line, file string }{
		{"CON", "AUX", "site_CON/line_AUX"},
		{"CON", "Index", "site_CON/line_Index"},
		{"CON", "NUL", "site_CON/line_NUL"},
		{"名古屋工場", "第１ライン", "名古屋工場/第１ライン"},
		{"名古屋工場", "COM1", "名古屋工場/line_COM1"},
	}
	arch := archetypes(t)
	for i, l := range lines {
		writeNamed(t, in, id.Recipient(), arch[i], l.site, l.line, fmt.Sprintf("NAMES-%d", i))
	}
	db := filepath.Join(dir, "fleet.db")
	if code, stdout, stderr := runImporter(t, "import", "-i", key, "--db", db, in); code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	out := filepath.Join(dir, "レポート")
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", out, "--lang", "ja", "--as-of", "2026-11-02"); code != 0 {
		t.Fatalf("report: exit %d\n%s", code, stderr)
	}
	for i, l := range lines {
		t.Run(l.site+"/"+l.line, func(t *testing.T) {
			for _, ext := range []string{".html", ".csv"} {
				data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(l.file)+ext))
				if err != nil {
					t.Fatal(err)
				}
				if asset := fmt.Sprintf("NAMES-%d", i); !strings.Contains(string(data), asset) {
					t.Errorf("%s%s does not list %s", l.file, ext, asset)
				}
			}
		})
	}
	con := filepath.Join(dir, "con-only")
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", con, "--site", "CON", "--format", "json", "--as-of", "2026-11-02"); code != 0 {
		t.Fatalf("report --site CON: exit %d\n%s", code, stderr)
	}
	var rep struct{ Devices []struct{ Site string } }
	data, err := os.ReadFile(filepath.Join(con, "devices.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Devices) != 3 {
		t.Errorf("--site CON: got %d devices, want 3", len(rep.Devices))
	}
}

// writeNamed writes one bundle of snapshot s moved to site and line, with
// its own identity.
func writeNamed(t *testing.T, dir string, r age.Recipient, s *licensing.Snapshot, site, line, asset string) {
	t.Helper()
	c := *s
	c.Context.Site, c.Context.Line, c.Context.Asset = site, line, asset
	c.OS.Hostname = "FA-" + asset
	c.Hardware.Serial, c.Hardware.UUID = "SN-"+asset, ""
	c.Raw = nil
	data, err := licensing.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := bundle.WriteFile(dir, bundle.Header{Generator: "test"}, []bundle.Member{{Name: licensing.MemberName, Data: data}}, r); err != nil {
		t.Fatal(err)
	}
}
