package slmgr

import (
	"fmt"
	"strings"
)

// runOnLabels are the line starts of ospp.vbs output that no value of
// it holds: its labels, English on every machine and printed at a line
// start (after the KMS block's indent), and its block markers. A value
// is an ID, a license name or description (ASCII, from the license), a
// date, a status token, an HRESULT, a count, a host, or an error
// description from the system's messages: none holds an upper-case
// label of ospp's nor "Last 5 characters of installed product key:".
// Longer labels come before those they end with (BETA EXPIRATION:).
// Labels that run on into free words ("Installed product key detected
// - attempting …", "NOTICE:") are left out: only certain starts split.
var runOnLabels = []string{
	"---Processing", "---Exiting",
	"PRODUCT ID:", "SKU ID:", "LICENSE NAME:", "LICENSE DESCRIPTION:", "BETA EXPIRATION:", "EXPIRATION:",
	"LICENSE STATUS:", "ERROR CODE:", "ERROR DESCRIPTION:", "REMAINING GRACE:",
	"Last 5 characters of installed product key:", "Activation Type Configuration:",
	"DNS auto-discovery:", "KMS machine name from DNS:", "KMS machine registry override defined:",
	"KMS machine IP address:", "Activation Interval:", "Renewal Interval:", "KMS host caching:", "KMS Lookup Domain:",
}

// sharedLabels are the labels of runOnLabels that slmgr.vbs prints too,
// in its KMS client block (L_MsgKmsFromDnsUnavailable, L_MsgKmsFromDns,
// L_MsgKmsIpAddress): slmgr /dlv run on holds them, and its own labels
// come from slmgr.ini. Cut there, such a line gave a product of no name
// whose KMS address ran on into the next labels. They split a line only
// after one of ospp's own labels or ---Processing (and before
// ---Exiting, after which another output may follow), and count only
// there.
var sharedLabels = map[string]bool{"DNS auto-discovery:": true, "KMS machine name from DNS:": true, "KMS machine IP address:": true}

// minSeparator is the fewest dashes read as a separator line inside a
// run-on line: ospp prints 39 or more; a status token has 3 a side.
const minSeparator = 10

// runOnPieces splits a line that holds two or more of runOnLabels (ospp
// output whose line breaks were lost, as a forum or blog shows it)
// before each of them, before ---Processing and ---Exiting, and before
// a separator's run of dashes, and after ---Exiting's (the labels of
// sharedLabels only after ospp's own). It returns nil for any other line. The
// text before a label is the value of the one before it, whole: no
// value is cut, as no value holds a label.
func runOnPieces(l string) []string {
	if len(l) < 2*len("SKU ID:") {
		return nil
	}
	var cuts []int
	labels := 0
	ospp := false // an ospp label or ---Processing came before i, and no ---Exiting since
	for i := 0; i < len(l); {
		if l[i] == '-' && (i == 0 || l[i-1] != '-') {
			n := len(l[i:]) - len(strings.TrimLeft(l[i:], "-"))
			rest := l[i+n:]
			switch {
			case n >= 3 && (strings.HasPrefix(rest, "Processing") || strings.HasPrefix(rest, "Exiting")):
				if n-3 >= minSeparator {
					cuts = append(cuts, i)
				}
				cuts = append(cuts, i+n-3)
				labels++
				word, exiting := len("Processing"), rest[0] == 'E'
				if exiting {
					word = len("Exiting")
				}
				i += n + word
				i += len(l[i:]) - len(strings.TrimLeft(l[i:], "-")) // the marker line's dashes
				if ospp = !exiting; exiting && i < len(l) {
					cuts = append(cuts, i) // ospp.vbs quits after ---Exiting: what follows is another output
				}
				continue
			case n >= minSeparator:
				cuts = append(cuts, i)
			}
			i += n
			continue
		}
		if lb := runOnLabel(l[i:]); lb != "" {
			if !sharedLabels[lb] {
				ospp = true
			}
			if ospp {
				cuts = append(cuts, i)
				labels++
			}
			i += len(lb)
			continue
		}
		i++
	}
	if labels < 2 {
		return nil
	}
	var out []string
	from := 0
	for _, c := range cuts {
		if c > from {
			out = append(out, l[from:c])
		}
		from = c
	}
	return append(out, l[from:])
}

// runOnFirst marks the first bytes of runOnLabels: most bytes of a
// line begin none, and are passed over without comparing a label.
var runOnFirst = func() (t [256]bool) {
	for _, lb := range runOnLabels {
		t[lb[0]] = true
	}
	return t
}()

// runOnLabel returns the label of runOnLabels that s begins with, or "".
func runOnLabel(s string) string {
	if !runOnFirst[s[0]] {
		return ""
	}
	for _, lb := range runOnLabels[2:] { // the markers are found by their dashes
		if strings.HasPrefix(s, lb) {
			return lb
		}
	}
	return ""
}

// splitRunOn returns lines with each line that runOnPieces splits
// replaced by its pieces, which keep its number, and a note for each
// (up to maxUnknown, then one for the rest). It returns lines itself
// when none is split. Lines longer than maxLine are not split
// (setAside keeps them), and no more pieces are made than make the
// text maxLines long: a line of 4 KiB may hold 500 labels, and a text
// of such lines would be read as 16 Mi lines; the lines left whole are
// set aside, as before, for the labels they hold.
func (b *builder) splitRunOn(lines []Line) []Line {
	var out []Line
	split, total := 0, len(lines) // total: the lines out will have
	for i, l := range lines {
		var pieces []string
		if len(l.Text) <= maxLine && total < maxLines {
			pieces = runOnPieces(l.Text)
		}
		if len(pieces) < 2 || total+len(pieces)-1 > maxLines {
			if out != nil {
				out = append(out, l)
			}
			continue
		}
		if out == nil {
			out = make([]Line, 0, len(lines)+len(pieces)-1)
			out = append(out, lines[:i]...)
		}
		for _, p := range pieces {
			out = append(out, Line{l.N, p})
		}
		total += len(pieces) - 1
		if split++; split <= maxUnknown {
			b.res.Notes = append(b.res.Notes, fmt.Sprintf("line %d holds %d lines of ospp output whose line breaks were lost: it was read as such, split before each of ospp's labels",
				l.N, len(pieces)))
		}
	}
	if split > maxUnknown {
		b.res.Notes = append(b.res.Notes, fmt.Sprintf("%d more lines of ospp output whose line breaks were lost were split too", split-maxUnknown))
	}
	if out == nil {
		return lines
	}
	return out
}
