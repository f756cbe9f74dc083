package slmgr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// sampleBlock returns the product block of a real /dlv sample
// (testdata/samples/slmgr): its lines from "Name:" on, each ended by LF.
func sampleBlock(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "samples", "slmgr", name))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	i := strings.Index(text, "Name: ")
	if i < 0 {
		t.Fatalf("%s holds no Name: line", name)
	}
	return strings.TrimRight(text[i:], "\n") + "\n"
}

// withLine inserts line into block after the line that begins with after
// ("" puts it first).
func withLine(t *testing.T, block, after, line string) string {
	t.Helper()
	if after == "" {
		return line + "\n" + block
	}
	i := strings.Index(block, "\n"+after)
	if i < 0 {
		t.Fatalf("no line %q in the block", after)
	}
	j := i + 1 + strings.Index(block[i+1:], "\n") + 1
	return block[:j] + line + "\n" + block[j:]
}

// TestErrorInDlv: slmgr /dlv all prints "Error: 0x…" for one product
// whose property could not be read (slmgr.vbs ShowError) while the others
// print as usual. Each product keeps its own error, the others are
// unaffected, and a Notification Reason, the license's fact, is never
// replaced by the error of a read. The blocks are real samples', the
// error lines as slmgr.vbs prints them (L_MsgErrorText_8, and
// L_MsgErrorText_6 where the error has no text).
func TestErrorInDlv(t *testing.T) {
	const (
		err12 = "Error: 0xC004F012 The Software Licensing Service reported that the call has failed because the value for the input key was not found."
		err10 = "Error: 0x80041010 On a computer running Microsoft Windows non-core edition, run 'slui.exe 0x2a 0x80041010' to display the error text."
	)
	esu := sampleBlock(t, "win10-esu-year1-addon-mak-dlv-activationid.txt")    // Licensed, MAK
	eval := sampleBlock(t, "server2025-dc-eval-timebased-dlv.txt")             // Licensed, Timebased
	kms := sampleBlock(t, "server2019-std-kmsclient-notification-dlv.txt")     // Notification 0xC004F00F
	retail := sampleBlock(t, "win11-pro-retail-notification-ddmmyyyy-dlv.txt") // Notification 0xC004F034
	dlvAll := func(blocks ...string) string {
		// slmgr.vbs DisplayAllInformation: a blank line before each
		// product's name and one after its block.
		text := "Software licensing service version: 10.0.26100.4652\n"
		for _, b := range blocks {
			text += "\n" + b + "\n"
		}
		return text
	}
	want := func(reasons ...uint32) []wantProduct {
		w := []wantProduct{
			{name: "-" /* replaced below */, key: "4C6R8", status: licensing.StatusLicensed},
			{name: "Windows(R), ServerDatacenterEval edition", key: "J2T92", status: licensing.StatusLicensed, grace: mins(243800)},
			{name: "Windows(R), ServerStandard edition", key: "J464C", status: licensing.StatusNotification},
			{name: "Windows(R), Professional edition", key: "3V66T", status: licensing.StatusNotification},
		}
		w[0].name = strings.TrimSpace(strings.TrimPrefix(strings.SplitN(esu, "\n", 2)[0], "Name: "))
		for i := range w {
			w[i].reason = reasons[i]
		}
		return w
	}
	reasonText := func(i int, prefix string) func(*testing.T, *Result) {
		return func(t *testing.T, res *Result) {
			if got := res.Products[i].ReasonText; !strings.HasPrefix(got, prefix) {
				t.Errorf("product %d reason text: got %q, want it to begin %q", i+1, got, prefix)
			}
			if len(res.Unknown) != 0 {
				t.Errorf("unknown lines: %+v", res.Unknown)
			}
		}
	}
	cases := []classCase{
		{name: "no error",
			text: dlvAll(esu, eval, kms, retail),
			want: want(0, 0, 0xC004F00F, 0xC004F034)},
		{name: "after a product's description",
			text:  dlvAll(esu, withLine(t, eval, "Description:", err10), kms, retail),
			want:  want(0, 0x80041010, 0xC004F00F, 0xC004F034),
			check: reasonText(1, "On a computer running")},
		{name: "at the end of a product's block",
			text: dlvAll(esu, withLine(t, eval, "Remaining SKU rearm count:", err12), kms, retail),
			want: want(0, 0xC004F012, 0xC004F00F, 0xC004F034)},
		{name: "before a product's name, after the blank line that ends the block before",
			// slmgr reads a product's ID, description and primary-SKU
			// test before it prints the blank line and the name.
			text:  strings.Replace(dlvAll(esu, eval, kms, retail), "\n\n"+eval, "\n"+err12+"\n\n"+eval, 1),
			want:  want(0, 0xC004F012, 0xC004F00F, 0xC004F034),
			check: reasonText(1, "The Software Licensing Service reported that the call has failed")},
		{name: "after a Notification Reason, which is kept",
			text: dlvAll(esu, eval, withLine(t, kms, "Notification Reason:", err12), retail),
			want: want(0, 0, 0xC004F00F, 0xC004F034),
			check: func(t *testing.T, res *Result) {
				if !containsString(res.Notes, "0xC004F012") {
					t.Errorf("no note names the error that was not taken: %q", res.Notes)
				}
			}},
		{name: "before a product's status line",
			text: dlvAll(esu, eval, withLine(t, kms, "Partial Product Key:", err12), retail),
			want: want(0, 0, 0xC004F00F, 0xC004F034)},
		{name: "one in each of two products",
			text: dlvAll(withLine(t, esu, "Description:", err10), eval, kms, withLine(t, retail, "Trusted time:", err12)),
			want: want(0x80041010, 0, 0xC004F00F, 0xC004F034)},
	}
	runClassCases(t, cases)
}
