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
// ---Exiting), and what output they are; nil if neither splits it, or
// if the first label is inside a quoted argument of a command typed at
// a prompt (commandQuoted).
func runOnLine(l string, set *runOnSet) (pieces []string, what string) {
	pieces, what = runOnLineAll(l, set)
	if pieces != nil && commandQuoted(l, len(pieces[0])) {
		// The first label is in a quoted argument of a command
		// typed at a prompt (Select-String 'LICENSE NAME: ',
		// 'LICENSE STATUS: '): the line is that command.
		return nil, ""
	}
	return pieces, what
}

// runOnLineAll is runOnLine but that it splits a command's quoted
// argument too.
func runOnLineAll(l string, set *runOnSet) (pieces []string, what string) {
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

// runOnSet is a set of labels an slmgr line run on is split before,
// and an Aho-Corasick automaton over their bytes that finds, in one
// pass over a line, every label that ends at each byte (cuts).
// Labels tried one by one at every position cost the labels that
// begin there times their length: an slmgr.ini of many distinct
// labels of 256 bytes that share all but their last character, and a
// text of that character, took 2 to 4 s for 4 MiB. The automaton
// reads each byte once and, where labels end, follows the labels that
// end there: each a label that another ends with.
type runOnSet struct {
	labels []string        // a label before any other it begins with
	line   map[string]bool // the labels of a product block's lines
	// The automaton: nodes[0] is the root (no byte read), each other
	// node the label bytes read to it; root is the root's goto for
	// every byte (0: stay), the others' edges are sorted by byte.
	nodes  []runOnNode
	edges  []runOnEdge
	root   [256]int32
	isLine []bool // by label: one of a product block's lines
	maxLen int    // the bytes of the longest label
}

// runOnNode is a node of runOnSet's automaton.
type runOnNode struct {
	from, to int32 // its edges, edges[from:to]
	fail     int32 // the node of the longest proper suffix of its bytes that is a node
	label    int32 // the label its bytes are, -1 if none
	dict     int32 // the nearest node on its fail chain that is a label, 0 if none
}

// runOnEdge is an edge of runOnSet's automaton: byte b leads to node to.
type runOnEdge struct {
	b  byte
	to int32
}

// runOnRing bounds the bytes of a label of a runOnSet (maxRunOnLabel,
// and the colon a variant may widen to "："): cuts keeps the
// longest label that begins at each of the last runOnRing positions.
const runOnRing = 512

// newRunOnSet returns the set of labels (none empty, none of
// runOnRing bytes or more) with its automaton.
func newRunOnSet(labels []string, line map[string]bool) *runOnSet {
	s := &runOnSet{labels: labels, line: line, isLine: make([]bool, len(labels))}
	// The trie, each node's children a list through their siblings
	// while it is built (a map a node cost an allocation each, for
	// every text read with strings).
	type trieNode struct {
		child, sibling, label int32
		b                     byte
	}
	size := 1
	for _, lb := range labels {
		size += len(lb)
	}
	trie := make([]trieNode, 1, size)
	trie[0] = trieNode{child: -1, sibling: -1, label: -1}
	for i, lb := range labels {
		if len(lb) == 0 || len(lb) >= runOnRing {
			panic("slmgr: run-on label of " + fmt.Sprint(len(lb)) + " bytes") // runOnSetOf bounds them
		}
		s.isLine[i] = line[lb]
		if len(lb) > s.maxLen {
			s.maxLen = len(lb)
		}
		n := int32(0)
		for j := 0; j < len(lb); j++ {
			c := trie[n].child
			for c >= 0 && trie[c].b != lb[j] {
				c = trie[c].sibling
			}
			if c < 0 {
				c = int32(len(trie))
				trie = append(trie, trieNode{child: -1, sibling: trie[n].child, label: -1, b: lb[j]})
				trie[n].child = c
			}
			n = c
		}
		if trie[n].label < 0 {
			trie[n].label = int32(i) // the first of equal labels, as tried in order
		}
	}
	// Flatten, breadth first (a node's fail node is nearer the root,
	// so it is done before the node), each node's edges sorted by byte.
	s.nodes = make([]runOnNode, len(trie))
	s.edges = make([]runOnEdge, 0, len(trie)-1)
	order := make([]int32, 1, len(trie))
	for q := 0; q < len(order); q++ {
		n := order[q]
		from := len(s.edges)
		for c := trie[n].child; c >= 0; c = trie[c].sibling {
			s.edges = append(s.edges, runOnEdge{trie[c].b, c})
			for k := len(s.edges) - 1; k > from && s.edges[k-1].b > s.edges[k].b; k-- {
				s.edges[k-1], s.edges[k] = s.edges[k], s.edges[k-1]
			}
		}
		for _, e := range s.edges[from:] {
			order = append(order, e.to)
		}
		s.nodes[n] = runOnNode{from: int32(from), to: int32(len(s.edges)), label: trie[n].label}
	}
	for _, e := range s.edges[s.nodes[0].from:s.nodes[0].to] {
		s.root[e.b] = e.to
	}
	for _, n := range order {
		for _, e := range s.edges[s.nodes[n].from:s.nodes[n].to] {
			f := int32(0)
			if n != 0 {
				f = s.step(s.nodes[n].fail, e.b)
			}
			s.nodes[e.to].fail = f
			if s.nodes[f].label >= 0 {
				s.nodes[e.to].dict = f
			} else {
				s.nodes[e.to].dict = s.nodes[f].dict
			}
		}
	}
	return s
}

// step returns the node the automaton goes to from node n on byte b.
func (s *runOnSet) step(n int32, b byte) int32 {
	for n != 0 {
		nd := &s.nodes[n]
		for _, e := range s.edges[nd.from:nd.to] {
			if e.b == b {
				return e.to
			}
			if e.b > b {
				break
			}
		}
		n = nd.fail
	}
	return s.root[b]
}

// cuts returns the byte offsets of l where a label begins, read from
// the left: at each position the longest label that begins there (the
// first in the set's order), then on from its end, as if each label
// were tried at every position; and whether one of them is one of a
// product block's lines. It appends to cuts.
func (s *runOnSet) cuts(l string, cuts []int) ([]int, bool) {
	// best[p%runOnRing]: 1 + the longest label found so far that
	// begins at p, for the positions p not yet decided.
	var best [runOnRing]int32
	seen := false
	next := 0   // the next position a label may begin at
	decide := 0 // the first position not yet decided
	take := func(p int) {
		v := best[p%runOnRing]
		best[p%runOnRing] = 0
		if p != next {
			return // inside a label taken before
		}
		if v == 0 {
			next++
			return
		}
		cuts = append(cuts, p)
		seen = seen || s.isLine[v-1]
		next += len(s.labels[v-1])
	}
	n := int32(0)
	for e := 0; e < len(l); e++ {
		if n = s.step(n, l[e]); n == 0 {
			// No label is under way: every position up to e is
			// decided, and so is each after it whose byte begins
			// none, which most bytes of a line are.
			for ; decide <= e; decide++ {
				take(decide)
			}
			for e+1 < len(l) && s.root[l[e+1]] == 0 {
				e++
			}
			if next <= e {
				next = e + 1
			}
			decide = e + 1
			continue
		}
		for m := n; m != 0; m = s.nodes[m].dict {
			lb := s.nodes[m].label
			if lb < 0 {
				continue
			}
			p := e + 1 - len(s.labels[lb])
			if v := best[p%runOnRing]; v == 0 || len(s.labels[v-1]) < len(s.labels[lb]) {
				best[p%runOnRing] = lb + 1
			}
		}
		// Every label that begins at e+1-maxLen has ended by now.
		for ; decide <= e+1-s.maxLen; decide++ {
			take(decide)
		}
	}
	for ; decide < len(l); decide++ {
		take(decide)
	}
	return cuts, seen
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
// splits a line (runOnSetOf). Labels were tried one by one at every
// character of a line that they begin with, and compared in full where
// the line holds all but their last byte: labels of 3 KiB took 22 s for
// a text of 4 MiB. The automaton (runOnSet) reads each byte once, but
// keeps the labels that may begin at the last maxRunOnLabel positions
// (runOnRing), and where labels end one another it follows each, at
// most one of each length. slmgr's longest English label is 65 bytes
// ("Key Management Service cumulative requests received from
// clients"), some 80 characters in another language, 160 bytes in
// Cyrillic, 240 in Japanese at most.
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
	cuts, seen := set.cuts(l, make([]int, 0, strings.Count(l, ":")+1))
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
