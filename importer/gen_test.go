package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// archetypes loads the device archetypes of testdata/snapshots.
func archetypes(t testing.TB) []*licensing.Snapshot {
	t.Helper()
	files, _ := filepath.Glob("../testdata/snapshots/*.json")
	sort.Strings(files)
	var out []*licensing.Snapshot
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := licensing.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// generated returns device i of a generated fleet: an archetype with its
// own identity, site and line (lines devices per line, 20 lines a site).
func generated(arch []*licensing.Snapshot, i, perLine int) *licensing.Snapshot {
	s := *arch[i%len(arch)]
	line := i / perLine
	s.Context.Site = fmt.Sprintf("Site-%02d", line/20)
	s.Context.Line = fmt.Sprintf("L%03d", line)
	s.Context.Asset = fmt.Sprintf("GEN-%06d", i)
	s.OS.Hostname = fmt.Sprintf("FA-GEN-%06d", i)
	s.Hardware.Serial = fmt.Sprintf("SN%08d", i)
	s.Hardware.UUID = fmt.Sprintf("00112233-4455-6677-8899-%012d", i)
	return &s
}

// writeGenerated writes n generated bundles into dir, each with a raw
// slmgr output like a real collection.
func writeGenerated(t testing.TB, dir string, r age.Recipient, n int) []string {
	t.Helper()
	arch := archetypes(t)
	raw, err := os.ReadFile("../pkg/slmgr/testdata/samples/slmgr/win10-pro-oemdm-dli-checkmk.txt")
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for i := 0; i < n; i++ {
		s := generated(arch, i, 50)
		s.Raw = []licensing.RawOutput{{Member: "raw/slmgr-dlv.txt", Command: "slmgr.vbs /dlv all"}}
		data, err := licensing.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := bundle.WriteFile(dir, bundle.Header{Generator: "generated"},
			[]bundle.Member{{Name: licensing.MemberName, Data: data}, {Name: "raw/slmgr-dlv.txt", Data: raw}}, r)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return files
}
