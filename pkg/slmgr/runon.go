package slmgr

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// runOnLabels are the line starts of ospp.vbs output that no value of
// it holds: its labels, English on every machine and printed at a line
// start (after the KMS block's indent), and its block markers. A value
// is an ID, a license name or description (ASCII, from the license), a
// date, a status token, an HRESULT, a count, a host, or an error
// description from the system's messages: none holds an upper-case
// label of ospp's nor "Last 5 characters of installed product key:".
// Longer labels come before those they end with (BETA EXPIRATION:).
// A start shared with free words is taken with ospp's own words after
// it ("NOTICE: A KB article has been detected …", not "NOTICE:"), and
// "Installed product key detected" begins only ospp's two /act lines.
var runOnLabels = []string{
	"---Processing", "---Exiting",
	"PRODUCT ID:", "SKU ID:", "LICENSE NAME:", "LICENSE DESCRIPTION:", "BETA EXPIRATION:", "EXPIRATION:",
	"LICENSE STATUS:", "ERROR CODE:", "ERROR DESCRIPTION:", "REMAINING GRACE:",
	"Last 5 characters of installed product key:", "Activation Type Configuration:",
	"DNS auto-discovery:", "KMS machine name from DNS:", "KMS machine registry override defined:",
	"KMS machine IP address:", "Activation Interval:", "Renewal Interval:", "KMS host caching:", "KMS Lookup Domain:",
	// Whole lines of ospp.vbs's own words (its MSG_ constants): /act's
	// attempt (MSG_ACTATTEMPT, MSG_TOKACTATTEMPT), its outcomes in angle
	// brackets, which no value holds, and the lines after an error.
	"Installed product key detected", "<Product activation successful>", "<Offline product activation successful>",
	"<Product key installation successful>", "<Product key uninstall successful>", "<No installed product keys detected>",
	"<Product key not found>", "<No licenses found>", "Installation ID for:", "Uninstalling product key for:",
	"To view the activation event history run:", "NOTICE: A KB article has been detected for activation failure:",
	"FOR MORE INFORMATION PLEASE VISIT:", "Most recent successful activation client information:",
	"Activation Object name:", "AO DN:", "AO extended PID:", "AO activation ID:",
}

// sharedLabels are the labels of runOnLabels that slmgr.vbs prints too,
// in its KMS client block (L_MsgKmsFromDnsUnavailable, L_MsgKmsFromDns,
// L_MsgKmsIpAddress): slmgr /dlv run on holds them, and its own labels
// come from slmgr.ini. Cut there, such a line gave a product of no name
// whose KMS address ran on into the next labels. They split a line only
// after one of ospp's own labels or ---Processing (and before
// ---Exiting, after which another output may follow), and count only
// there.
var sharedLabels = map[string]bool{"DNS auto-discovery:": true, "KMS machine name from DNS:": true, "KMS machine IP address:": true,
	// The AD client block's, which slmgr.vbs prints as ospp.vbs does
	// (L_MsgADInfoAOName …).
	"Activation Object name:": true, "AO DN:": true, "AO extended PID:": true, "AO activation ID:": true}

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
	return cutAt(l, cuts)
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

// splitRunOn returns lines with each line that runOnLine splits (ospp's
// output or slmgr's, in English or a language of set, run on) replaced
// by its pieces, which keep its number, and a note for each (up to
// maxUnknown, then one for the rest). It returns lines itself
// when none is split. Lines longer than maxLine are not split
// (setAside keeps them), and no more pieces are made than make the
// text maxLines long: a line of 4 KiB may hold 500 labels, and a text
// of such lines would be read as 16 Mi lines; from the first line whose
// pieces do not fit, the lines are left whole and set aside, as before,
// for the labels they hold.
func (b *builder) splitRunOn(lines []Line, set *runOnSet) []Line {
	var out []Line
	split, total := 0, len(lines) // total: the lines out will have
	full := false                 // a line's pieces did not fit: no line after is split
	for i, l := range lines {
		var pieces []string
		what := "ospp output"
		if len(l.Text) <= maxLine && !full {
			pieces, what = runOnLine(l.Text, set)
		}
		if total+len(pieces)-1 > maxLines {
			// Each line after would be split for nothing: a text of
			// lines of 4 KiB, 500 labels each, allocated 11 times its
			// size, splitting lines whose pieces were then thrown away.
			full, pieces = true, nil
		}
		if len(pieces) < 2 {
			if out != nil {
				out = append(out, l)
			}
			continue
		}
		if out == nil {
			out = make([]Line, 0, len(lines)+len(pieces)-1)
			out = append(out, lines[:i]...)
		}
		if rest := len(lines) - i - 1; len(out)+len(pieces)+rest > cap(out) {
			// Room for every line after to be split as this one, up
			// to all a text is read for, not grown by append (a
			// quarter at a time for a large slice, copying all each
			// time): a text of lines of many labels allocated 5
			// times its final size here.
			room := len(out) + len(pieces) + rest*len(pieces)
			if room > maxLines {
				room = maxLines // all a text is read for (total is bounded by it)
			}
			grown := make([]Line, len(out), room)
			copy(grown, out)
			out = grown
		}
		for _, p := range pieces {
			out = append(out, Line{l.N, p})
		}
		total += len(pieces) - 1
		if split++; split <= maxUnknown {
			b.res.Notes = append(b.res.Notes, fmt.Sprintf("line %d holds %d lines of %s whose line breaks were lost: it was read as such, split before each of %s",
				l.N, len(pieces), what, labelsOf[what]))
		}
	}
	if split > maxUnknown {
		b.res.Notes = append(b.res.Notes, fmt.Sprintf("%d more lines of output whose line breaks were lost were split too", split-maxUnknown))
	}
	if out == nil {
		return lines
	}
	return out
}

// runOnLine returns the pieces of a line that runOnPieces (ospp's
// labels) or slmgrRunOnPieces (slmgr's) splits, a piece of ospp's
// split by slmgr's labels too (slmgr's output run on after ospp's
// ---Exiting), and what output they are; nil if neither splits it.
func runOnLine(l string, set *runOnSet) (pieces []string, what string) {
	pieces = runOnPieces(l)
	if pieces == nil {
		if pieces = slmgrRunOnPieces(l, set); pieces == nil {
			return nil, ""
		}
		return pieces, "slmgr output"
	}
	what = "ospp output"
	var out []string
	for i, p := range pieces {
		more := slmgrRunOnPieces(p, set)
		if more == nil {
			if out != nil {
				out = append(out, p)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(pieces)+len(more)), pieces[:i]...)
		}
		out = append(out, more...)
		what = "ospp and slmgr output"
	}
	if out == nil {
		return pieces, what
	}
	return out, what
}

// labelsOf names, for a note, the labels a line of each output was
// split before.
var labelsOf = map[string]string{
	"ospp output":           "ospp's labels",
	"slmgr output":          "slmgr's English labels",
	"ospp and slmgr output": "ospp's labels and slmgr's English labels",
}

// slmgrRunOnLabels are the line starts of slmgr.vbs /dli and /dlv in
// English (its built-in strings, english in strings.go) that no value
// of that output holds: license names and descriptions, IDs, PIDs,
// keys, URLs, dates, counts, hosts. They are matched with their case:
// "Name:" is not "KMS machine name:", "Activation ID:" not "AO
// activation ID:", "Extended PID:" not "KMS machine extended PID:".
// Labels without a colon are whole lines of slmgr's ("Key Management
// Service client information"): an error's text holds "Key Management
// Service (KMS)", never these. Longer labels come before those they
// begin with.
var slmgrRunOnLabels = []string{
	"Software licensing service version:", "Name:", "Description:", "Activation ID:", "Application ID:",
	"Extended PID:", "Product Key Channel:", "Installation ID:", "Processor Certificate URL:",
	"Machine Certificate URL:", "Use License URL:", "Product Key Certificate URL:", "Validation URL:",
	"Partial Product Key:", "This license is not in use.", "License Status:", "Notification Reason:",
	"Volume activation expiration:", "Timebased activation expiration:", "Automatic VM activation expiration:",
	"Time remaining:", "Evaluation End Date:", "Remaining Windows rearm count:", "Remaining SKU rearm count:",
	"Remaining App rearm count:", "Trusted time:", "Configured Activation Type:", "Most recent activation information:",
	"Please use slmgr.vbs /ato", "Key Management Service client information", "Key Management Service is enabled on this machine",
	"Client Machine ID (CMID):", "Registered KMS machine name:", "Registered KMS SRV record lookup domain:",
	"DNS auto-discovery:", "KMS machine name from DNS:", "KMS machine IP address:", "KMS machine extended PID:",
	"Activation interval:", "Renewal interval:", "KMS host caching is",
	// A KMS host's block (DisplayKMSInformation): its counters are
	// "Requests with License Status <status>: <count>", one label to
	// the status's colon, never "License Status:".
	"Current count:", "Listening on Port:", "DNS publishing enabled", "DNS publishing disabled", "KMS priority:",
	"Key Management Service cumulative requests received from clients", "Total requests received:",
	"Failed requests received:", "Requests with License Status ",
	"AD Activation client information",
	// The token-based block (DisplayTkaClientInformation).
	"Token-based Activation information", "Additional Information:", "License ID (ILID):", "Version ID (ILvID):",
	"Grant Number:", "Certificate Thumbprint:",
	"Activation Object name:", "AO DN:", "AO extended PID:", "AO activation ID:",
	"Automatic VM Activation client information", "Guest IAID:", "Host machine name:", "Activation time:", "Host Digital PID2:",
}

// slmgrLineLabels are the labels of a product block's lines that
// setAside looks for (lineLabels): a line that holds one of them and
// another of slmgrRunOnLabels is two lines of a block run together
// (a /dli without a key has License Status: alone of them).
var slmgrLineLabels = map[string]bool{
	"Activation ID:": true, "Application ID:": true, "Extended PID:": true, "Product Key Channel:": true,
	"Partial Product Key:": true, "License Status:": true,
}

// runOnSet is a set of labels an slmgr line run on is split before.
type runOnSet struct {
	labels []string        // a label before any other it begins with
	line   map[string]bool // the labels of a product block's lines
	first  [256]bool       // the first bytes of labels
	// The labels by their first byte (ASCII) or first rune (others, by
	// rune ascending), each group in the order of labels: at a position
	// only those that begin with its character are tried. Every byte of
	// kana (0xE3) begins a label of a Japanese slmgr.ini, and all the
	// set's labels tried there, slmgr's English ones too, made a
	// Japanese text read with its strings 2 to 3 times as slow.
	ascii [utf8.RuneSelf][]string
	runes []runeLabels
	// invalid: a label begins with no whole rune (a Strings built by
	// hand, not by ParseStrings): its first rune need not be the line's
	// where it matches, so at gives all labels.
	invalid bool
}

// runeLabels are the labels of a runOnSet that begin with r.
type runeLabels struct {
	r      rune
	labels []string
}

func newRunOnSet(labels []string, line map[string]bool) *runOnSet {
	s := &runOnSet{labels: labels, line: line}
	// Each label's first character, then the labels grouped by it in
	// one array (a slice a group cost an allocation each, for every
	// text read with strings).
	keys := make([]rune, len(labels))
	order := make([]int, len(labels))
	for i, lb := range labels {
		s.first[lb[0]] = true
		r, size := rune(lb[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(lb)
		}
		if r == utf8.RuneError && size <= 1 {
			s.invalid = true
		}
		keys[i], order[i] = r, i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	grouped := make([]string, len(labels))
	for i, j := range order {
		grouped[i] = labels[j]
	}
	for from := 0; from < len(order); {
		r, to := keys[order[from]], from+1
		for to < len(order) && keys[order[to]] == r {
			to++
		}
		if g := grouped[from:to:to]; r < utf8.RuneSelf {
			s.ascii[r] = g
		} else {
			s.runes = append(s.runes, runeLabels{r, g})
		}
		from = to
	}
	return s
}

// at returns the labels that may begin t (not empty): those of its
// first byte or rune, in the set's order (a label before any other it
// begins with).
func (s *runOnSet) at(t string) []string {
	switch {
	case s.invalid:
		return s.labels
	case t[0] < utf8.RuneSelf:
		return s.ascii[t[0]]
	}
	r, _ := utf8.DecodeRuneInString(t)
	lo, hi := 0, len(s.runes)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.runes[m].r < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(s.runes) && s.runes[lo].r == r {
		return s.runes[lo].labels
	}
	return nil
}

// englishRunOn is slmgr's English labels, always known.
var englishRunOn = newRunOnSet(slmgrRunOnLabels, slmgrLineLabels)

// runOnKeys are the resource strings (slmgr.ini keys) that begin with
// one of slmgrRunOnLabels, with that label: the same labels in the
// language of a slmgr.ini.
var runOnKeys = func() map[string]string {
	m := map[string]string{}
	for k, v := range english {
		for _, lb := range slmgrRunOnLabels {
			if strings.HasPrefix(v, lb) {
				m[k] = lb
				break
			}
		}
	}
	return m
}()

// maxRunOnLabel bounds the bytes of a label of an slmgr.ini that
// splits a line (runOnSetOf). Each label is tried at every character
// of a line that it begins with (runOnSet.at), and compared in full
// where the line holds all but its last byte: labels of 3 KiB took 22 s
// for a text of 4 MiB. slmgr's longest
// English label is 65 bytes ("Key Management Service cumulative
// requests received from clients"), some 80 characters in another
// language, 160 bytes in Cyrillic, 240 in Japanese at most.
const maxRunOnLabel = 256

// runOnSetOf returns englishRunOn with the labels of the given
// languages' strings: of each key of runOnKeys, its text up to its
// first colon (":" or "：", either of which the output may show) where
// the English label ends in one, or all of it where the English label
// is the whole line; a text with a placeholder before that, or nothing
// before its colon, or longer than maxRunOnLabel, gives none. Each
// label is in the set once, however many keys or sets give it.
func runOnSetOf(sets []*Strings) *runOnSet {
	var local []string
	line := map[string]bool{}
	seen := map[string]bool{}
	for _, lb := range slmgrRunOnLabels {
		seen[lb] = true
	}
	for _, set := range sets {
		if set == nil || set.Lang == "en" {
			continue
		}
		for key, en := range runOnKeys {
			v := strings.TrimSpace(set.M[key])
			var lb string
			switch {
			case strings.HasSuffix(en, ":"):
				i := strings.IndexAny(v, ":：")
				if i < 0 || strings.TrimSpace(v[:i]) == "" {
					continue
				}
				_, size := utf8.DecodeRuneInString(v[i:])
				lb = v[:i+size]
			case en == english[key]:
				lb = v
			default:
				continue
			}
			if lb == "" || strings.Contains(lb, "%") || len(lb) > maxRunOnLabel {
				continue
			}
			variants := []string{lb}
			if base := strings.TrimRight(lb, ":："); base != lb {
				variants = []string{base + ":", base + "："}
			}
			for _, c := range variants {
				if slmgrLineLabels[en] {
					line[c] = true
				}
				if !seen[c] {
					seen[c] = true
					local = append(local, c)
				}
			}
		}
	}
	if len(local) == 0 {
		return englishRunOn
	}
	for lb := range slmgrLineLabels {
		line[lb] = true
	}
	all := append(local, slmgrRunOnLabels...)
	// Longer first: a label before any other it begins with.
	sort.SliceStable(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	return newRunOnSet(all, line)
}

// slmgrRunOnPieces splits a line of slmgr /dli or /dlv output in English
// (or a language of set) whose line breaks were lost before each of
// set's labels. It does
// so only when it is not in doubt: the line holds two or more of the
// labels, one of them of slmgrLineLabels (a product's identity or
// state), and nothing but a banner or a prompt (noise) comes
// before its first label, so that it is slmgr's output and not a
// sentence about it, nor output in a language whose labels set does
// not hold (its values would run on over them). It returns nil
// for any other line. No value holds a label, so none is cut.
func slmgrRunOnPieces(l string, set *runOnSet) []string {
	if len(l) < 8 {
		return nil
	}
	// Most labels end in a colon: room for them at once, not grown a
	// label at a time.
	cuts := make([]int, 0, strings.Count(l, ":")+1)
	seen := false // a label of a product block's lines was found
	for i := 0; i < len(l); {
		lb := ""
		if set.first[l[i]] {
			for _, c := range set.at(l[i:]) {
				if strings.HasPrefix(l[i:], c) {
					lb = c
					break
				}
			}
		}
		if lb == "" {
			i++
			continue
		}
		seen = seen || set.line[lb]
		cuts = append(cuts, i)
		i += len(lb)
	}
	if len(cuts) < 2 || !seen {
		return nil
	}
	if head := strings.TrimSpace(l[:cuts[0]]); head != "" && !noise(head) {
		return nil
	}
	return cutAt(l, cuts)
}

// cutAt is l cut before each of cuts (ascending byte offsets), the
// text before the first cut a piece of its own when there is any.
func cutAt(l string, cuts []int) []string {
	out := make([]string, 0, len(cuts)+1)
	from := 0
	for _, c := range cuts {
		if c > from {
			out = append(out, l[from:c])
		}
		from = c
	}
	return append(out, l[from:])
}
