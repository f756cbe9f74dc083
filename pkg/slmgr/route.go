package slmgr

import "strings"

// osppOnly are the line starts that only ospp.vbs prints (its labels are
// hard-coded English, upper case; see shared/samples/ospp/SOURCES.md). A
// tail of /dstatus without its header is still ospp output: its
// "REMAINING GRACE:" line is not an slmgr product.
var osppOnly = []string{
	"---Processing", "---Exiting", "PRODUCT ID:", "SKU ID:", "LICENSE NAME:", "LICENSE DESCRIPTION:",
	"BETA EXPIRATION:", "EXPIRATION:", "LICENSE STATUS:", "ERROR CODE:", "ERROR DESCRIPTION:", "REMAINING GRACE:",
	"Last 5 characters of installed product key:", "Activation Type Configuration:",
	"KMS machine registry override defined:", "KMS host caching:", "To view the activation event history run:",
	"NOTICE:", "FOR MORE INFORMATION PLEASE VISIT:", "Uninstalling product key for:", "Installed product key detected",
	"<Product activation successful>", "<No installed product keys detected>", "<Product key uninstall",
	"Successfully applied setting", "<Offline product activation successful>", "<Product key installation successful>",
	"Most recent successful activation client information:", "KMS Lookup Domain:", "Installation ID for:",
}

func osppMarker(t string) bool {
	for _, p := range osppOnly {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// route splits a text into the lines of ospp.vbs output and the lines of
// slmgr.vbs output, keeping their numbers: engineers paste both into one
// file. Lines between ---Processing and ---Exiting are ospp's, and so is
// every line that only ospp prints. A line that is neither follows the
// output it continues (a wrapped ERROR DESCRIPTION, a KMS line that both
// print) until a blank line or ---Exiting, unless slmgr's strings know
// it. A blank
// line followed by a line of ospp's own labels does not end its output:
// text copied from a web page has a blank line after every line, and
// ospp prints none inside its output.
func route(lines []Line, ms []matcher) (ospp, slmgr []Line) {
	// nextOSPP[i]: the next non-blank line after line i carries an ospp
	// label (computed backwards, so that routing stays linear).
	nextOSPP := make([]bool, len(lines))
	for i, next := len(lines)-1, false; i >= 0; i-- {
		nextOSPP[i] = next
		if t := strings.TrimSpace(lines[i].Text); t != "" {
			next = isOSPPLabel(t) || osppMarker(t)
		}
	}
	// Both outputs take their lines into one array the size of lines,
	// ospp's from the front and slmgr's from the back (reversed after):
	// two slices grown by append cost up to five times as much.
	buf := make([]Line, len(lines))
	o, s := 0, len(buf)
	toOSPP := func(l Line) { buf[o] = l; o++ }
	toSlmgr := func(l Line) { s--; buf[s] = l }
	inBlock, afterOSPP := false, false
	for i, l := range lines {
		t := strings.TrimSpace(l.Text)
		switch {
		case strings.HasPrefix(t, "---Processing"):
			inBlock, afterOSPP = true, true
			toOSPP(l)
		case strings.HasPrefix(t, "---Exiting"):
			// ospp.vbs quits after this line (quitExit): what follows
			// is another output, maybe appended with nothing between.
			inBlock, afterOSPP = false, false
			toOSPP(l)
		case inBlock, osppMarker(t):
			afterOSPP = true
			toOSPP(l)
		case t == "":
			afterOSPP = afterOSPP && nextOSPP[i]
			toSlmgr(l)
		case afterOSPP && (isOSPPLabel(t) || !knownSlmgr(ms, t)):
			toOSPP(l)
		default:
			if !noise(t) {
				afterOSPP = false
			}
			toSlmgr(l)
		}
	}
	slmgr = buf[s:]
	for i, j := 0, len(slmgr)-1; i < j; i, j = i+1, j-1 {
		slmgr[i], slmgr[j] = slmgr[j], slmgr[i]
	}
	return buf[:o:o], slmgr
}

func isOSPPLabel(t string) bool {
	_, _, ok := osppLabel(t)
	return ok
}

func knownSlmgr(ms []matcher, t string) bool {
	_, _, ok := match(ms, t)
	return ok
}
