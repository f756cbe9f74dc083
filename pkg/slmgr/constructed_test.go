package slmgr

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// constructed reads a hand-written output of testdata/constructed (see
// its SOURCES.md: written from the script sources, not real).
func constructed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "constructed", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestConstructed parses outputs written from slmgr.vbs and ospp.vbs for
// lines no real sample shows, and checks the fields they state.
func TestConstructed(t *testing.T) {
	noIDs := func(t *testing.T, res *Result) {
		p := res.Products[0]
		if p.SKUID != "" || p.ExtendedPID != "" || p.ApplicationID != "" {
			t.Errorf("/dli prints no IDs of the product; got sku %q pid %q app %q", p.SKUID, p.ExtendedPID, p.ApplicationID)
		}
		if len(res.Unknown) != 0 {
			t.Errorf("unknown lines: %v", res.Unknown)
		}
	}
	cases := []classCase{
		{name: "AD-based activation block", text: constructed(t, "dli-ws2016-adba-activated.txt"), format: FormatSlmgr,
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "N69G4", grace: mins(259180)}},
			check: func(t *testing.T, res *Result) {
				noIDs(t, res)
				if p := res.Products[0]; p.ADActivation != "WS2016-AO" || p.KMS != nil {
					t.Errorf("got activation object %q kms %+v, want WS2016-AO and no KMS", p.ADActivation, p.KMS)
				}
			}},
		{name: "token-based activation block", text: constructed(t, "dli-win10-token-activated.txt"),
			want:  []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "NPPR9"}},
			check: noIDs},
		{name: "AVMA guest block", text: constructed(t, "dli-ws2019-avma.txt"),
			want:  []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelAVMA, status: licensing.StatusLicensed, key: "6XBNX", grace: mins(10079)}},
			check: noIDs},
	}
	runClassCases(t, cases)
}
