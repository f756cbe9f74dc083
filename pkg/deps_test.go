// Package pkg_test holds the import policy of the module, as go/build's
// deps_test.go does for the standard library: arrows point one way.
package pkg_test

import (
	"encoding/json"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// allowed lists, for each of our packages, the packages of ours it may
// import. bundle imports nothing of ours; pkg packages import only those
// below them; mains import bundle and pkg.
var allowed = map[string][]string{
	"bundle":            {},
	"pkg/licensing":     {},
	"pkg/slmgr":         {"pkg/licensing"},
	"pkg/classify":      {"pkg/licensing"},
	"pkg/report":        {"pkg/classify", "pkg/licensing"},
	"pkg/stick":         {},
	"collector/winwmi":  {},
	"collector/collect": {"bundle", "pkg/licensing", "pkg/slmgr", "collector/winwmi"},
	"collector":         {"bundle", "pkg/licensing", "pkg/slmgr", "pkg/stick", "collector/collect"},
	"importer/store":    {"pkg/licensing"},
	"importer":          {"bundle", "pkg/licensing", "pkg/slmgr", "pkg/classify", "pkg/report", "pkg/stick", "importer/store"},
}

const module = "github.com/actcourier/actcourier/"

func TestImportPolicy(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs the go command, which a Windows program under Wine cannot start")
	}
	out, err := exec.Command("go", "list", "-json", "../...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
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
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if !contains(ok, dep) {
				t.Errorf("%s imports %s: not allowed by the policy", name, dep)
			}
		}
	}
	if seen < 4 {
		t.Fatalf("policy checked only %d packages", seen)
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
