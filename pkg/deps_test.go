// Package pkg_test holds the import policy of the module, as go/build's
// deps_test.go does for the standard library: arrows point one way.
package pkg_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// allowed lists, for each of our packages, the packages of ours it may
// import. bundle imports nothing of ours; pkg packages import only those
// below them; mains import bundle and pkg. docs/architecture.md draws it.
var allowed = map[string][]string{
	"bundle":            {},
	"pkg/version":       {},
	"pkg/licensing":     {"pkg/internal/cut"},
	"pkg/sjis":          {},
	"pkg/stick":         {"pkg/sjis", "pkg/internal/atomicfile"},
	"pkg/sitekey":       {},
	"pkg/terminal":      {},
	"pkg/codepage":      {"pkg/slmgr"},
	"pkg/cmdline":       {},
	"pkg/pgtest":        {},
	"pkg/internal/fill": {}, // tests' only
	"pkg/internal/cut":  {},
	"pkg/csvcell":       {},
	"pkg/slmgr":         {"pkg/licensing", "pkg/sjis", "pkg/internal/cut"},
	"pkg/classify":      {"pkg/licensing"},
	"pkg/activation":    {"pkg/licensing", "pkg/internal/cut"},
	"pkg/worklist":      {"pkg/activation", "pkg/licensing", "pkg/internal/cut", "pkg/csvcell", "pkg/terminal", "pkg/internal/xlsxpart", "pkg/sjis"},
	"pkg/report":        {"bundle", "pkg/classify", "pkg/licensing", "pkg/worklist", "pkg/terminal", "pkg/internal/cut", "pkg/csvcell", "pkg/internal/xlsxpart", "pkg/internal/atomicfile"}, // its terminal views (devices, show, inspect)
	"pkg/fleet":         {"bundle", "pkg/internal/cut", "pkg/internal/atomicfile", "pkg/licensing", "pkg/slmgr", "pkg/codepage", "pkg/classify", "pkg/report", "pkg/activation", "pkg/worklist", "pkg/sitekey", "pkg/stick", "pkg/terminal"},
	"pkg/store":         {"pkg/fleet", "pkg/classify", "pkg/licensing", "pkg/activation"},
	"collector/winwmi":  {},
	"collector/collect": {"bundle", "pkg/licensing", "pkg/slmgr", "pkg/activation", "collector/winwmi"},
	// The workbooks' zip parts and rows, with excelize: the importer's.
	"pkg/internal/xlsxpart": {},
	// Files written whole or not at all, with the caller's mode.
	"pkg/internal/atomicfile": {},
	// The collector ends with the verdict the importer will give: it
	// classifies with pkg/classify, and nothing heavier. It names a
	// mistyped option's closest as the importer does (cmdline.Closest).
	"collector": {"bundle", "pkg/licensing", "pkg/slmgr", "pkg/stick", "pkg/version", "pkg/terminal", "pkg/classify", "pkg/activation", "pkg/cmdline", "collector/collect"},
	"importer": {"bundle", "pkg/licensing", "pkg/slmgr", "pkg/codepage", "pkg/classify", "pkg/report", "pkg/stick", "pkg/version",
		"pkg/terminal", "pkg/sitekey", "pkg/fleet", "pkg/store", "pkg/cmdline", "pkg/worklist"},
}

// neverInCollector are modules the Windows 7 collector must not link,
// however indirectly: databases belong to the importer.
// The XLSX workbooks of the reports (excelize) are the importer's too.
var neverInCollector = []string{"modernc.org/", "github.com/jackc/", "github.com/xuri/"}

const module = "github.com/actcourier/actcourier/"

type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// list runs go list for a target system: files with build tags or _windows
// suffixes import other packages there.
func list(t *testing.T, goos, goarch string) []listed {
	if runtime.GOOS == "windows" {
		t.Skip("needs the go command, which a Windows program under Wine cannot start")
	}
	cmd := exec.Command("go", "list", "-json", "../...")
	cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH="+goarch, "CGO_ENABLED=0")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list for %s/%s: %v", goos, goarch, err)
	}
	var ps []listed
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestImportPolicy(t *testing.T) {
	for _, target := range [][2]string{{"linux", "amd64"}, {"windows", "386"}, {"windows", "amd64"}} {
		goos, goarch := target[0], target[1]
		seen := 0
		for _, p := range list(t, goos, goarch) {
			name := strings.TrimPrefix(p.ImportPath, module)
			if name == "pkg" {
				continue
			}
			ok, known := allowed[name]
			if !known {
				t.Errorf("package %s has no entry in the import policy", name)
				continue
			}
			seen++
			for _, imp := range p.Imports {
				if dep := strings.TrimPrefix(imp, module); dep != imp && !contains(ok, dep) {
					t.Errorf("%s/%s: %s imports %s: not allowed by the policy", goos, goarch, name, dep)
				}
			}
			if name == "collector" {
				for _, dep := range p.Deps {
					for _, bad := range neverInCollector {
						if strings.HasPrefix(dep, bad) {
							t.Errorf("%s/%s: the collector links %s", goos, goarch, dep)
						}
					}
				}
			}
		}
		if seen < len(allowed)-2 {
			t.Errorf("%s/%s: policy checked only %d packages", goos, goarch, seen)
		}
	}
}

// TestWindowsEdges proves the policy sees Windows-only files: the live
// collection reaches WMI only on Windows.
func TestWindowsEdges(t *testing.T) {
	has := func(goos string) bool {
		for _, p := range list(t, goos, "amd64") {
			if p.ImportPath == module+"collector/collect" {
				return contains(p.Imports, module+"collector/winwmi")
			}
		}
		return false
	}
	if !has("windows") || has("linux") {
		t.Errorf("collect -> winwmi: on windows %v, on linux %v; want true, false", has("windows"), has("linux"))
	}
}

// TestCollectorCodePages: the collector reads cscript //U output (UTF-16)
// and must stay small (under 4.5 MiB for 386): the code page tables, and
// pkg/codepage that links them, belong to the importer only (issue 15).
// Shift_JIS, which the stick's config file and the collector's fallback
// need, is decoded from a table generated from x/text (pkg/slmgr/sjis_gen.go).
func TestCollectorCodePages(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs the go command, which a Windows program under Wine cannot start")
	}
	out, err := exec.Command("go", "list", "-deps", "../collector").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case module + "pkg/codepage", "golang.org/x/text/encoding/simplifiedchinese",
			"golang.org/x/text/encoding/traditionalchinese", "golang.org/x/text/encoding/korean",
			"golang.org/x/text/encoding/charmap", "golang.org/x/text/encoding/japanese", "golang.org/x/text/width":
			t.Errorf("the collector links %s", dep)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
