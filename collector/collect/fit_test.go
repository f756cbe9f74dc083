package collect

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestMembersFitBundleLimits: a machine with every language pack has an
// slmgr.ini for each, and a slmgr output may be huge; the collection
// still makes a bundle the importer opens with its default limits
// (bundle.Limits{}), the OS language's slmgr.ini and every product kept,
// and says what it left out.
func TestMembersFitBundleLimits(t *testing.T) {
	dlv := "Name: Windows(R) 7, Professional edition\r\nDescription: Windows Operating System - Windows(R) 7, RETAIL channel\r\nActivation ID: b92e9980-b9d5-4821-9c94-140f632f6312\r\nPartial Product Key: 7F2QR\r\nLicense Status: Licensed\r\n"
	ini := func(lcid int) []byte {
		return []byte(fmt.Sprintf("[Strings]\r\nL_MsgLicenseStatusLicensed_1=\"licensed %04X\"\r\n%s", lcid, strings.Repeat("; padding\r\n", 30000)))
	}
	for _, tc := range []struct {
		name      string
		languages int  // slmgr.ini folders besides 0409
		dlvSize   int  // bytes of /dlv output
		office    bool // two Office folders, each with an ospp output of 4 MiB
		dropped   []string
	}{
		{"every language pack", 80, 0, false, []string{"slmgr/0450/slmgr.ini"}},
		{"a /dlv over the member limit", 1, bundle.DefaultMaxMemberSize + 1, false, []string{"raw/slmgr-dlv.txt"}},
		{"four outputs of 4 MiB", 1, bundle.DefaultMaxMemberSize - 1, true, []string{"raw/ospp-2.txt"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string][]byte{`C:\Windows\Sysnative\slmgr\0409\slmgr.ini`: []byte("[Strings]\r\n")}
			for i := 0; i < tc.languages; i++ {
				lcid := 0x0411 + i
				files[fmt.Sprintf(`C:\Windows\Sysnative\slmgr\%04X\slmgr.ini`, lcid)] = ini(lcid)
			}
			if tc.office {
				for _, d := range (fakeHost{}).OfficeDirs() {
					files[d+`\ospp.vbs`] = nil
				}
			}
			out := dlv
			if tc.dlvSize > len(out) {
				out += strings.Repeat(" ", tc.dlvSize-len(out))
			}
			big := []byte(strings.Repeat("x", bundle.DefaultMaxMemberSize-1))
			run := &fakeRun{out: map[string][]byte{"slmgr.vbs /dlv": []byte(out), "slmgr.vbs /xpr": big, "ospp.vbs /dstatus": big}}
			res, err := Collect(context.Background(), Sources{WMI: win7WMI(), Run: run, Host: fakeHost{files: files},
				Now: func() time.Time { return now }, Timeout: time.Minute}, licensing.Context{Site: "S", Line: "L", Asset: "A"})
			if err != nil {
				t.Fatal(err)
			}
			// The importer's limits, with room for an activation proof.
			id, _ := age.GenerateX25519Identity()
			var buf bytes.Buffer
			members := append(res.Members, bundle.Member{Name: "activation.json", Data: make([]byte, 1<<20)})
			if _, err := bundle.Encode(&buf, bundle.Header{}, members, id.Recipient()); err != nil {
				t.Fatal(err)
			}
			if _, err := bundle.Open(io.Reader(&buf), bundle.Limits{}, id); err != nil {
				t.Fatalf("the importer would refuse this collection: %v", err)
			}
			kept := map[string]bool{}
			for _, m := range res.Members {
				kept[m.Name] = true
			}
			if tc.languages > 0 && !kept["slmgr/0411/slmgr.ini"] {
				t.Errorf("the OS language's slmgr.ini (0411) was left out")
			}
			for _, d := range tc.dropped {
				if kept[d] {
					t.Errorf("%s kept", d)
				}
				found := false
				for _, e := range res.Snapshot.Errors {
					found = found || e.What == d && strings.Contains(e.Error, "not kept")
				}
				if !found {
					t.Errorf("no error says %s was not kept: %+v", d, res.Snapshot.Errors)
				}
			}
			for _, r := range res.Snapshot.Raw {
				if r.Member != "" && !kept[r.Member] {
					t.Errorf("raw output %s listed but not in the bundle", r.Member)
				}
			}
			if len(res.Snapshot.Products) == 0 || res.Snapshot.Products[0].PartialKey != "7F2QR" {
				t.Errorf("products %+v", res.Snapshot.Products)
			}
		})
	}
}
