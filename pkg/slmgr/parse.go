package slmgr

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/internal/cut"
	"github.com/actcourier/actcourier/pkg/licensing"
)

var (
	// ErrNoProducts is returned, with the Result, when the text holds no
	// product at all: not slmgr or ospp output, or a paste of other lines.
	ErrNoProducts = errors.New("slmgr: no licensed product found in the text")
	// ErrEncoding is returned, with an empty Result, when the decoder
	// given in Options.Decode cannot tell the text's encoding; the error
	// wraps the decoder's own, which says what to pass instead.
	ErrEncoding = errors.New("slmgr: cannot tell the text's encoding")
)

// Format is the kind of output a text was read as.
type Format string

const (
	FormatSlmgr Format = "slmgr"      // slmgr.vbs /dli, /dlv or /ato
	FormatXpr   Format = "xpr"        // slmgr.vbs /xpr
	FormatOSPP  Format = "ospp"       // ospp.vbs /dstatus or /act
	FormatMixed Format = "slmgr+ospp" // both in one paste
)

// Result is what Parse read from one saved output.
type Result struct {
	Format         Format              `json:"format"`
	Encoding       string              `json:"encoding"`
	Strings        string              `json:"strings"` // language of the resource strings used
	ServiceVersion string              `json:"service_version,omitempty"`
	WindowsRearm   *int                `json:"remaining_windows_rearm,omitempty"`
	TrustedTime    string              `json:"trusted_time,omitempty"`
	Products       []licensing.Product `json:"products"`
	// Unknown holds lines that were not understood, with their numbers,
	// in order: the first maxUnknown (1000) of them. Real output has a
	// few at most; a text given to import-text may be nothing else.
	Unknown []Line `json:"unknown,omitempty"`
	// UnknownOmitted counts the lines not understood after those
	// Unknown holds.
	UnknownOmitted int `json:"unknown_omitted,omitempty"`
	// Unread names facts that could not be read, e.g. "product 1: license status".
	Unread []string `json:"unread,omitempty"`
	// Notes say how the text was read: joined wrapped lines, fallbacks.
	Notes []string `json:"notes,omitempty"`
}

// Line is one line of input, numbered from 1.
type Line struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// Options tunes Parse.
type Options struct {
	// Strings are resource strings of the machine's language (from the
	// slmgr.ini the collector copied, or import-text --strings). English is
	// always tried too, then the localized words of localized.go.
	Strings []*Strings
	// Source is recorded on every product; default licensing.SourceSlmgr
	// or SourceOSPP by format.
	Source licensing.Source
	// Decode, when set, turns the saved bytes into text instead of
	// [Decode]: the importer passes a code page detector (pkg/codepage)
	// that the collector need not link. Its error makes Parse return
	// ErrEncoding.
	Decode func(data []byte) (text, encoding string, err error)
}

// Parse reads saved slmgr.vbs (/dli, /dlv, /xpr, /ato) or ospp.vbs
// (/dstatus, /act) output, or a paste of both, in any supported encoding
// and language. It never fails on odd input: lines it does not understand
// are listed in Result.Unknown. It returns ErrNoProducts (with the Result)
// when no product was found, and ErrEncoding when Options.Decode fails.
//
// Blocks that describe one SKU (an ospp /act block and a /dstatus block,
// an slmgr /ato line and a /dlv block) are merged into one product. A text
// whose only licenses are "not in use" gives those SKUs, marked NotInUse,
// so that the device still gets a verdict.
func Parse(data []byte, opts Options) (*Result, error) {
	var text, enc string
	if opts.Decode != nil {
		t, e, err := opts.Decode(data)
		if err != nil {
			return &Result{Products: []licensing.Product{}}, fmt.Errorf("%w: %w", ErrEncoding, err)
		}
		text, enc = normalize(t), e
	} else {
		text, enc = Decode(data)
	}
	res := &Result{Encoding: enc, Strings: "en", Products: []licensing.Product{}}
	b := &builder{res: res, lastNotXpr: -1}
	for _, s := range opts.Strings {
		if s != nil && s.Lang != "" {
			res.Strings = s.Lang
		}
	}
	ms := withEnglish(opts.Strings)
	lines, rest := splitLines(text)
	if strings.TrimSpace(rest) != "" {
		last := lines[len(lines)-1].N
		res.Notes = append(res.Notes, fmt.Sprintf("only lines 1 to %d of %d were read: the first %d lines, a run of blank lines counted as one, are more than any output of slmgr or ospp",
			last, lineCount(text), maxLines))
	}
	unquote(lines)
	dedent(lines)
	lines = b.splitRunOn(lines, runOnSetOf(opts.Strings))
	b.setAside(lines)
	osppLines, slmgrLines := route(lines, ms)
	if len(osppLines) > 0 {
		src := opts.Source
		if src == "" {
			src = licensing.SourceOSPP
		}
		parseOSPP(b, osppLines, src)
	}
	nOSPP := b.blocks
	xpr := false
	if len(slmgrLines) > 0 {
		src := opts.Source
		if src == "" {
			src = licensing.SourceSlmgr
		}
		xpr = parseSlmgr(b, slmgrLines, ms, src)
	}
	switch nSlmgr := b.blocks - nOSPP; {
	case nOSPP > 0 && nSlmgr > 0:
		res.Format = FormatMixed
	case nOSPP > 0, nSlmgr == 0 && len(osppLines) > 0:
		res.Format = FormatOSPP
	case xpr:
		res.Format = FormatXpr
	default:
		res.Format = FormatSlmgr
	}
	b.noteRanOn()
	b.finish()
	b.firstUnknown()
	if len(res.Products) == 0 {
		return res, ErrNoProducts
	}
	return res, nil
}

// splitLines numbers the lines of text from 1 and keeps, of each run of
// blank lines, the first: every reader after it takes a blank line for
// the end of what came before (a block, ospp's output, a wrapped line)
// and reads a run as one. A numbered line per blank line cost 24 bytes
// a byte of a text of blank lines, and each pass after copied them
// again: 4 Mi blank lines took 1.3 GB. It keeps the first maxLines
// lines and returns the text after them, from the first line not kept.
func splitLines(text string) (lines []Line, rest string) {
	// Room for every line up to maxLines: grown by append, the slice
	// cost up to five times its final size.
	room := strings.Count(text, "\n") + 1
	if room > maxLines {
		room = maxLines
	}
	lines = make([]Line, 0, room)
	blank := false
	for n := 1; ; n++ {
		l, after, more := strings.Cut(text, "\n")
		if b := strings.TrimSpace(l) == ""; !b || !blank {
			if len(lines) == maxLines {
				return lines, text
			}
			lines = append(lines, Line{n, l})
			blank = b
		}
		if !more {
			return lines, ""
		}
		text = after
	}
}

// unquote takes the quote marks off lines quoted in a reply: an e-mail,
// a forum post or a chat copied into Markdown puts "> " (">> " when
// quoted again) before every line of the output. Neither slmgr.vbs nor
// ospp.vbs prints a line that begins with ">" (a cmd prompt ends with
// one, it does not begin with one), so a leading ">" is always the
// paste's. Left on, the marks hid every label (a quoted "License Status:
// Licensed" was not read) and moved each line two columns to the right,
// so that a line of 78 was joined to the next as if the console had
// wrapped it at 80. The lines keep their numbers.
func unquote(lines []Line) {
	for i, l := range lines {
		t := strings.TrimLeft(l.Text, " \t")
		if !strings.HasPrefix(t, ">") {
			continue
		}
		for strings.HasPrefix(t, ">") {
			t = strings.TrimPrefix(t[1:], " ")
		}
		lines[i].Text = t
	}
}

// dedent takes off the indent that a paragraph's lines (a run of lines
// not blank) have in common: the paste's, not the console's. A Markdown
// code block in a list, a blog's <pre> or a hand-indented mail indents
// every line; the console wrapped the output at 80 of its own columns,
// and the tail of a wrapped line begins at its column 0, so the paste's
// indent is all that a paragraph holding a wrapped line has in common.
// Left on, it pushed a wrapped line past 80 (Microsoft's Office 2016
// KMS host /dlv, indented 3: its Use License URL measured 83, and the
// tail was an unknown line), put a line of 78 at 80 to be joined as if
// wrapped, and stood inside a value joined to its tail. An indent of
// slmgr's own (its KMS block's four spaces) stays beyond the common
// one. Only identical whitespace is common: a tab is not four spaces.
// A prompt line (prompt) does not count: pasted into a ticket, the
// command typed is often left at the margin right above its output
// indented as a block, and counted it made the common indent none, so
// that a wrapped line was measured with the block's indent (84) and a
// line of 76 was joined as one of 80. A prompt is noise to every
// reader after: it only loses its own leading whitespace. So does a
// line longer than maxLine, which no reader reads (setAside): not
// matched, as promptRe scanned all of it (a line of 4 MiB, 1.5 s), and
// not counted, as it says nothing of the paste's indent. The lines
// keep their numbers.
func dedent(lines []Line) {
	for i := 0; i < len(lines); {
		j := i
		ind, measured := "", false
		for ; j < len(lines) && strings.TrimSpace(lines[j].Text) != ""; j++ {
			l := lines[j].Text
			body := strings.TrimLeft(l, " \t")
			if unindented(body) {
				continue
			}
			lead := l[:len(l)-len(body)]
			if !measured {
				ind, measured = lead, true
			} else {
				ind = commonPrefix(ind, lead)
			}
		}
		for k := i; k < j; k++ {
			l := lines[k].Text
			if body := strings.TrimLeft(l, " \t"); unindented(body) {
				lines[k].Text = body
			} else {
				lines[k].Text = l[len(ind):]
			}
		}
		i = j + 1
	}
}

// unindented reports a line, its leading whitespace taken off, that
// dedent neither counts nor takes the common indent off: a prompt, or
// a line longer than maxLine.
func unindented(body string) bool {
	return len(body) > maxLine || prompt(body)
}

// commonPrefix returns the longest prefix that a and b share.
func commonPrefix(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return a[:n]
}

// lineCount counts the lines of s, the last one ended or not.
func lineCount(s string) int {
	n := strings.Count(s, "\n")
	if !strings.HasSuffix(s, "\n") {
		n++
	}
	return n
}

// maxLines bounds the lines a text is read for, a run of blank lines
// counting as one. Each line costs a Line (24 bytes) in each of the
// passes over it, and the parsers' time: a text of 4 MiB of two-byte
// lines ("x\n", 2 Mi lines) allocated 1 GB, 240 times its size, and
// took 6 s. Genuine output is far shorter: slmgr /dlv all prints a
// block of about 15 lines for every license installed, and maxBlocks
// blocks of 16 lines fit.
const maxLines = 16 * maxBlocks

// maxLine bounds the bytes of a line that is read. No line of slmgr's or
// ospp's output is longer than a few hundred, and some of the patterns a
// line is matched against (in noise, activation, byShape) scan all of
// it: a line of 4 MiB took 1.3 to 3 s.
const maxLine = 4096

// setAside blanks the lines that are not to be read, keeping them in
// Result.Unknown with a note: a line that holds the labels of several
// (see joinedLabels) and a line longer than maxLine. A long line is kept
// cut to licensing.MaxString bytes, all that would be stored of a value.
// Joined lines get a note each up to maxUnknown, then one for the rest:
// a note (some 200 bytes) for each of maxLines cost 4 times a text of
// 4 MiB of them.
func (b *builder) setAside(lines []Line) {
	long, firstLong, joined := 0, 0, 0
	for i, l := range lines {
		if labels := joinedLabels(l.Text); len(labels) > 1 && !labelsQuoted(l.Text, labels) {
			if joined++; joined <= maxUnknown {
				b.res.Notes = append(b.res.Notes, fmt.Sprintf("line %d holds the labels of %d lines (%s): its line breaks were lost, so it was not read; paste the output as the console printed it",
					l.N, len(labels), strings.Join(labels, ", ")))
			}
		} else if len(l.Text) > maxLine {
			if long == 0 {
				firstLong = l.N
			}
			long++
		} else {
			continue
		}
		t := strings.TrimSpace(l.Text)
		if len(t) > maxLine {
			t = cut.Bytes(t, licensing.MaxString)
		}
		b.unknown(l.N, t)
		lines[i].Text = ""
	}
	if joined > maxUnknown {
		b.res.Notes = append(b.res.Notes, fmt.Sprintf("%d more lines hold the labels of several lines: they were not read either", joined-maxUnknown))
	}
	if long > 0 {
		b.res.Notes = append(b.res.Notes, fmt.Sprintf("%d line(s) longer than %d bytes, more than any of slmgr's or ospp's output, were not read (the first is line %d)",
			long, maxLine, firstLong))
	}
}

// labelsQuoted reports whether the first of labels, all of which l
// holds, is inside a quoted argument of a command typed at a prompt
// (commandQuoted): such a line is the command, not lines run on.
func labelsQuoted(l string, labels []string) bool {
	first := len(l)
	for _, lb := range labels {
		if i := strings.Index(l, lb); i < first {
			first = i
		}
	}
	return commandQuoted(l, first)
}

// meta is what the parsers know about a product beyond the model.
type meta struct {
	activation bool // an activation attempt: slmgr /ato, ospp /act
	ospp       bool // read from ospp.vbs output: an Office product
	xpr        bool // read from slmgr /xpr only
	notInUse   bool // "This license is not in use."
	// statusReason: the StatusReason is the one the status line gave
	// (slmgr's Notification Reason), the license's own fact.
	statusReason bool
	// noSKU: an ospp error that names no SKU (errorOnly), read on line
	// line.
	noSKU bool
	line  int
	// channel is the channel an /xpr message implies: slmgr.vbs
	// (ExpirationDatime) prints the Timebased message for a TIMEBASED_
	// description, the AVMA message for VIRTUAL_MACHINE_ACTIVATION and the
	// Volume message for any other licensed product with time left, a
	// KMS (or AD-based) client (DOMAIN.md, "Reading the state").
	channel licensing.Channel
}

// maxBlocks bounds the product blocks a text is read for: merging
// compares every block with those kept before it, and a saved text of
// 4 MiB of one-line blocks would take hours. Genuine output has a few
// hundred at most (slmgr /dlv all lists every license installed), under
// licensing.MaxProducts.
const maxBlocks = 4 * licensing.MaxProducts

// builder collects the products of both parsers, in text order.
type builder struct {
	res  *Result
	meta []meta
	// blocks counts the product blocks read. Only the first maxBlocks
	// are kept (see finish), and each block after them takes the place
	// of the one before it in a last, spare slot: a text of 500,000
	// lines "Name: x" kept a product (336 bytes) for each and allocated
	// 1.2 GB.
	blocks int
	// annotated counts the ospp values read without the words in
	// full-width parentheses after them (withoutNote), the first on
	// line firstAnnotated.
	annotated, firstAnnotated int
	// lastNotXpr is the number (from 0) of the last block dropped from
	// the spare slot that notXpr reports, -1 if none: parseSlmgr asks
	// it of every block of its text.
	lastNotXpr int
	// ranOn holds the numbers of the first maxRanOnNoted lines that
	// begin with a prompt and hold output run on after its command
	// (promptRanOn); ranOnCount counts them all.
	ranOn      []int
	ranOnCount int
}

// notXpr reports a product that slmgr's /xpr does not print: a
// description, a partial key or an activation attempt.
func notXpr(p *licensing.Product, m meta) bool {
	return p.Description != "" || p.PartialKey != "" || m.activation
}

// index returns the slot of block n.
func (b *builder) index(n int) int {
	if n > maxBlocks {
		return maxBlocks
	}
	return n
}

// maxUnknown bounds the lines Result.Unknown holds: each costs a Line
// (24 bytes) and the text it points into, and a text of 4 MiB of short
// lines not understood kept 2 Mi of them. The largest number a real
// sample has is one.
const maxUnknown = 1000

// unknown keeps line n, which was not understood, for Result.Unknown.
// Lines come in no order (ospp's before slmgr's): every maxUnknown lines
// they are sorted and cut to the first maxUnknown, so that those are the
// first of the text whatever came after.
func (b *builder) unknown(n int, text string) {
	b.res.Unknown = append(b.res.Unknown, Line{n, text})
	if len(b.res.Unknown) == 2*maxUnknown {
		b.firstUnknown()
	}
}

// firstUnknown sorts Result.Unknown by line number and cuts it to
// maxUnknown lines, counting the others in UnknownOmitted.
func (b *builder) firstUnknown() {
	u := b.res.Unknown
	sort.SliceStable(u, func(i, j int) bool { return u[i].N < u[j].N })
	if len(u) > maxUnknown {
		b.res.UnknownOmitted += len(u) - maxUnknown
		b.res.Unknown = u[:maxUnknown]
	}
}

// add keeps a product block and returns its slot.
func (b *builder) add(p licensing.Product, m meta) int {
	b.blocks++
	if len(b.res.Products) > maxBlocks {
		i := maxBlocks
		if notXpr(&b.res.Products[i], b.meta[i]) {
			b.lastNotXpr = b.blocks - 2
		}
		b.res.Products[i], b.meta[i] = p, m
		return i
	}
	b.res.Products = append(b.res.Products, p)
	b.meta = append(b.meta, m)
	return len(b.res.Products) - 1
}

// finish merges the blocks of one SKU, derives kind and channel, drops
// unused licenses when a product in use exists, and lists what could not
// be read.
func (b *builder) finish() {
	res := b.res
	if n := b.blocks; n > maxBlocks {
		res.Products, b.meta = res.Products[:maxBlocks], b.meta[:maxBlocks]
		res.Notes = append(res.Notes, fmt.Sprintf("the text holds %d product blocks: only the first %d were read", n, maxBlocks))
	}
	res.Products, b.meta = merge(res.Products, b.meta, &res.Notes)
	for i := range res.Products {
		derive(&res.Products[i], b.meta[i])
	}
	res.Products, b.meta = noSKUErrors(res.Products, b.meta, &res.Notes)
	inUse := 0
	for _, m := range b.meta {
		if !m.notInUse {
			inUse++
		}
	}
	if unused := len(res.Products) - inUse; unused > 0 {
		if inUse > 0 {
			kept, km := res.Products[:0], b.meta[:0]
			for i, p := range res.Products {
				if !b.meta[i].notInUse {
					kept, km = append(kept, p), append(km, b.meta[i])
				}
			}
			res.Products, b.meta = kept, km
			res.Notes = append(res.Notes, fmt.Sprintf("skipped %d licenses not in use (no product key installed)", unused))
		} else {
			// Nothing else in the text: keep them, so that the device
			// gets a verdict (nothing licensed) instead of a rejection.
			res.Notes = append(res.Notes, fmt.Sprintf("only licenses not in use: kept %d, none has a product key", unused))
		}
	}
	for i := range res.Products {
		unread(res, i, &res.Products[i], b.meta[i])
		if m := b.meta[i]; m.activation && !m.ospp && res.Products[i].Name == "" {
			res.Notes = append(res.Notes, fmt.Sprintf("product %d: an slmgr /ato error names no product; taken as Windows, which /ato activates when given no Activation ID", i+1))
		}
	}
}

// prompt reports a line that begins with a prompt (promptRe), also
// after the "[host]: " a PowerShell remote session (Enter-PSSession)
// puts before its prompt. The host is found with IndexByte, not in the
// pattern: there it made a long line that begins with "[" and holds no
// "]" scanned twice, 1.6 times as long as before. The pattern is
// matched on the start of the line a prompt may be in (promptScope).
func prompt(t string) bool {
	host := promptHost(t)
	return host >= 0 && promptRe.MatchString(promptScope(t[host:]))
}

// promptHost returns the length of the "[host]: " t begins with before
// "PS", 0 if none, and -1 if t begins with "[" and holds no "]", which
// begins no prompt.
func promptHost(t string) int {
	if strings.HasPrefix(t, "[") {
		i := strings.IndexByte(t, ']')
		if i < 0 {
			return -1
		}
		if strings.HasPrefix(t[i:], "]: PS") {
			return i + len("]: ")
		}
	}
	return 0
}

// promptScope is the start of t that a prompt t begins with lies in,
// "" where none can: each of promptRe's prompts ends at t's first ">"
// (none of its parts before that holds one) but the one in brackets,
// which ends a byte after t's first "]", and the cmd banner, which
// holds neither. Matched on the whole line, the pattern ran its NFA
// over lines of 4 KiB that begin as a prompt and hold no ">" (Go's
// regexp backtracks only on inputs up to 3744 bytes for a pattern its
// size): 4 MiB of "C:" and 4000 x a line took 1.50 s to parse, of
// "PS Microsoft.PowerShell.Core\FileSystem::" and x 1.18 s, of "[" and
// x 1.40 s.
func promptScope(t string) string {
	if strings.HasPrefix(t, "[") {
		i := strings.IndexByte(t, ']')
		switch {
		case i < 0:
			return ""
		case i+2 < len(t):
			return t[:i+2]
		}
		return t
	}
	if i := strings.IndexByte(t, '>'); i >= 0 {
		return t[:i+1]
	}
	if strings.HasPrefix(t, cmdBanner) {
		return t[:len(cmdBanner)]
	}
	return ""
}

// cmdBanner is how cmd's banner begins, the one prompt of promptRe
// that holds no ">".
const cmdBanner = "Microsoft Windows ["

// promptEnd returns the length of the prompt t begins with (prompt),
// its "[host]: " included, or -1 if it begins with none.
func promptEnd(t string) int {
	host := promptHost(t)
	if host < 0 {
		return -1
	}
	m := promptRe.FindStringIndex(promptScope(t[host:]))
	if m == nil {
		return -1
	}
	return host + m[1]
}

// ranOn reports a line that begins with a prompt and holds more than
// the command typed at it: a label's colon, which every line of
// slmgr's and ospp's output holds in any language (a label, or /xpr's
// "<Name>:") but /ato's, and no command does outside its quotes; or
// an Activation ID in parentheses, which /ato's "Activating
// %PRODUCTNAME% (%PRODUCTID%) ..." holds in any language (L_MsgActivating)
// and a command does not (it takes the ID bare). Such a line is
// the command with its output run on after it, its line breaks lost
// (a blog, a chat), in labels not known (slmgr.ini's language not
// given) or too few of them to split it (runOnLine). A label's colon
// is "：", or ":" before a character outside ASCII ("edition:计算机"),
// or ":" before a space or a tab, or that ends the line, after a word
// that names no drive ("Nom : ", "edition:", not "D:", "cd HKLM:" or
// "net use Z: \\server\share"). A
// command's colons are a drive's or a path's ("C:\", "HKLM:",
// "FileSystem::"), a URL's, an option's value ("/sethst:kms",
// "/inpkey:…"), a port ("kms:1688").
func ranOn(t string) bool {
	end := promptEnd(t)
	if end < 0 {
		return false
	}
	c := t[end:]
	var q quotes
	for i := 0; i < len(c); i++ {
		// A quoted argument's colons are the command's (Write-Host
		// "Status: done", Select-String 'License Status: ').
		if e := q.end(c, i); e >= 0 {
			i = e - 1
			continue
		}
		switch {
		case strings.HasPrefix(c[i:], "："):
			return true
		case c[i] == '(':
			if id := c[i+1:]; len(id) > 36 && id[36] == ')' && guidRe.MatchString(id[:36]) {
				return true
			}
		case c[i] != ':' || i > 0 && c[i-1] == ':' || i+1 < len(c) && c[i+1] == ':':
		case i+1 < len(c) && c[i+1] >= utf8.RuneSelf:
			return true
		case i+1 < len(c) && c[i+1] != ' ' && c[i+1] != '\t':
		default: // before a space or a tab, or the line's last byte
			// A drive's name before it is a drive given to a
			// command ("net use Z: \\server\share", "dir env: |
			// findstr X"); a label's word is none, and "Nom :" has
			// none.
			word := c[strings.LastIndexAny(c[:i], " \t\\")+1 : i]
			if i+1 < len(c) && word == "" || word != "" && !driveName(word) {
				return true
			}
		}
	}
	return false
}

// quotes finds the quoted arguments of a command typed at a prompt:
// cmd's and PowerShell's double quotes, PowerShell's single quotes (two
// of them inside one are a quote of its text), and the typographic
// quotes PowerShell reads as those (‘ ’ ‚ ‛ and “ ” „, its tokenizer's
// IsSingleQuote and IsDoubleQuote), which a blog prints for them. A
// double quote opens anywhere (findstr /c:"License Status:"), as
// before; a single or typographic one only where an argument begins
// (after a space, a tab or one of "(,=:;|{"), so that an apostrophe
// in a word of output run on after the command ("ID d'activation :",
// "l’état") opens none. A quote left open is not a command's, and once
// one is, no quote of its kind after it is read either: so each byte
// is scanned at most once more for each kind of quote.
type quotes struct {
	noDouble, noSingle, noTypoDouble bool // a quote of the kind was left open
}

// end returns, where c[i] opens a quoted argument that is closed, the
// index just past its closing quote, else -1.
func (q *quotes) end(c string, i int) int {
	switch {
	case c[i] == '"':
		if q.noDouble {
			return -1
		}
		if j := strings.IndexByte(c[i+1:], '"'); j >= 0 {
			return i + 1 + j + 1
		}
		q.noDouble = true
	case c[i] != '\'' && c[i] != 0xe2 || !argStart(c, i):
	case singleQuote(c[i:]) > 0:
		if q.noSingle {
			return -1
		}
		for j := i + singleQuote(c[i:]); j < len(c); j++ {
			if n := singleQuote(c[j:]); n > 0 {
				k := j + n
				if m := singleQuote(c[k:]); m > 0 {
					j = k + m - 1 // '' inside a quote is a quote
					continue
				}
				return k
			}
		}
		q.noSingle = true
	case doubleQuote(c[i:]) > 0:
		if q.noTypoDouble {
			return -1
		}
		for j := i + 3; j < len(c); j++ {
			if n := doubleQuote(c[j:]); n > 0 {
				return j + n
			}
		}
		q.noTypoDouble = true
	}
	return -1
}

// argStart reports whether c[i] is where an argument may begin.
func argStart(c string, i int) bool {
	return i == 0 || strings.IndexByte(" \t(,=:;|{", c[i-1]) >= 0
}

// singleQuote returns the bytes of the single quote s begins with
// (singleQuotes), 0 if none.
func singleQuote(s string) int {
	switch {
	case s == "":
		return 0
	case s[0] == '\'':
		return 1
	case len(s) >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x98 && s[2] <= 0x9b:
		return 3
	}
	return 0
}

// doubleQuote returns the bytes of the double quote s begins with (" or
// typoDoubles), 0 if none.
func doubleQuote(s string) int {
	switch {
	case s == "":
		return 0
	case s[0] == '"':
		return 1
	case len(s) >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x9c && s[2] <= 0x9e:
		return 3
	}
	return 0
}

// commandQuoted reports whether byte at of line t (leading whitespace
// allowed) lies inside a quoted argument (quotes) of a command typed at
// a prompt t begins with: a label there is the command's (Select-String
// 'Partial Product Key: ','License Status: '), not output run on.
func commandQuoted(t string, at int) bool {
	lead := len(t) - len(strings.TrimLeft(t, " \t"))
	end := promptEnd(t[lead:])
	if end < 0 || at < lead+end {
		return false
	}
	c, at := t[lead+end:], at-lead-end
	var q quotes
	for i := 0; i < at && i < len(c); i++ {
		if e := q.end(c, i); e >= 0 {
			if at < e {
				return true
			}
			i = e - 1
		}
	}
	return false
}

// driveName reports the name of a drive a command may change to: a
// letter (cmd's "D:"), or a drive PowerShell makes at its start
// (Get-PSDrive: its providers' Alias, Cert, Env, Function, HKCU, HKLM,
// Temp, Variable, WSMan).
func driveName(w string) bool {
	if len(w) == 1 {
		return w[0]|0x20 >= 'a' && w[0]|0x20 <= 'z'
	}
	switch strings.ToLower(w) {
	case "alias", "cert", "env", "function", "hkcu", "hklm", "temp", "variable", "wsman":
		return true
	}
	return false
}

// promptRanOn keeps a line that ranOn reports in Result.Unknown: it is
// read for nothing, not even the product its output may name (where
// the command ends and the output begins is not known), and a note
// says so once for the text (finish).
func (b *builder) promptRanOn(n int, t string) {
	b.unknown(n, t)
	if len(b.ranOn) < maxRanOnNoted {
		b.ranOn = append(b.ranOn, n)
	}
	b.ranOnCount++
}

// noteRanOn says which lines promptRanOn kept, in one note.
func (b *builder) noteRanOn() {
	if b.ranOnCount == 0 {
		return
	}
	nums := make([]string, len(b.ranOn))
	for i, n := range b.ranOn {
		nums[i] = strconv.Itoa(n)
	}
	which := "line " + nums[0] + " begins with a prompt and holds"
	if b.ranOnCount > 1 {
		which = "lines " + strings.Join(nums, ", ")
		if more := b.ranOnCount - len(nums); more > 0 {
			which += fmt.Sprintf(" and %d more", more)
		}
		which += " begin with a prompt and hold"
	}
	b.res.Notes = append(b.res.Notes, which+" more than a command: a label's colon or an Activation ID in parentheses after it, as output has; "+
		"taken as a command with its output run on after it (line breaks lost), in labels not known, and kept as not understood")
}

// maxRanOnNoted bounds the line numbers the note on lines that ranOn
// reports names.
const maxRanOnNoted = 10

// noise reports lines that carry nothing: the cscript banner, prompts,
// console window titles and separators.
func noise(t string) bool {
	switch {
	case t == "":
		return true
	case strings.HasPrefix(t, "Microsoft (R) Windows Script Host"), strings.Contains(t, "Windows Script Host"),
		strings.HasPrefix(t, "Copyright (C)"), strings.Contains(t, "Microsoft Corporation"),
		strings.Contains(t, "Корпорация Майкрософт"), strings.Contains(t, "(Microsoft R)"):
		return true
	case prompt(t), titleRe.MatchString(t):
		return true
	case strings.Trim(t, "-=") == "":
		return true
	}
	return false
}

// lineLabels begin lines of slmgr's and ospp's English output, one a
// line, and none holds another.
var lineLabels = []string{
	"SKU ID:", "LICENSE NAME:", "LICENSE DESCRIPTION:", "LICENSE STATUS:", "REMAINING GRACE:",
	"Last 5 characters of installed product key:",
	"Activation ID:", "Application ID:", "Extended PID:", "Product Key Channel:", "Partial Product Key:", "License Status:",
}

// joinedLabels returns the lineLabels l holds. Two or more in one line
// are several lines whose line breaks were lost (a paste from a web
// page): read as one, the line would give a value that runs on into
// the next label's, or a product made of an error code in the middle.
func joinedLabels(l string) []string {
	if len(l) < 40 {
		return nil // two labels and their values do not fit
	}
	var out []string
	for _, lb := range lineLabels {
		if strings.Contains(l, lb) {
			out = append(out, lb)
		}
	}
	return out
}

var (
	// promptRe: cmd ("C:\…>"), PowerShell ("PS C:\…>", and "PS>",
	// its prompt when the prompt function fails or is removed), prompts
	// in brackets ("[C:\…]$ slmgr /ato"), the cmd banner. prompt takes
	// off a PowerShell remote session's "[host]: " first.
	// PowerShell's prompt is "PS " and its current location, which may
	// be on any drive of any provider ("PS HKLM:\SOFTWARE>", "PS
	// Cert:\>"), provider-qualified ("PS
	// Microsoft.PowerShell.Core\FileSystem::\\server\share>", what
	// Windows PowerShell shows on a share), or a share's UNC path ("PS
	// \\server\share>"): a location begins with a drive's name and
	// ":\", a provider's and "::", or "\\". A line that only begins
	// with "PS" and a word ("PS HKLM: the registry") is not one.
	// One ^ before the alternatives: with one in each, the pattern is
	// not anchored as a whole, and matching tried every byte of a line.
	promptRe = regexp.MustCompile(`^(?:PS(?: (?:[A-Za-z][\w.-]*:\\|(?:[A-Za-z][\w.]*\\)?[A-Za-z]\w*::|\\\\[^\\>\s]+\\)[^>]*)?>|[A-Za-z]:\\[^>]*>|\[[^\]]*[A-Za-z]:\\[^\]]*\][$#>]|Microsoft Windows \[)`)
	// titleRe: a console window's title copied with its text
	// ("Administrator: C:\Windows\system32\cmd.exe"), in any language.
	titleRe = regexp.MustCompile(`(?i)^[^:\\]{0,40}:?\s*[a-z]:\\\S*\\(cmd|powershell|cscript|wscript)\.exe$`)
)

// displayWidth counts console columns: East Asian wide characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if wide(r) {
			n++
		}
	}
	return n
}

// wideRanges are the East Asian Wide and Fullwidth blocks a console draws
// two columns wide (Unicode UAX #11): Hangul Jamo, CJK punctuation, kana,
// ideographs, Hangul syllables, compatibility ideographs, fullwidth forms.
// A few ranges instead of x/text/width's tables keep the collector small;
// only lines of exactly 79 or 80 columns depend on it.
var wideRanges = [...][2]rune{
	{0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
	{0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
	{0xFFE0, 0xFFE6}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
}

func wide(r rune) bool {
	if r < 0x1100 {
		return false
	}
	for _, w := range wideRanges {
		if r >= w[0] && r <= w[1] {
			return true
		}
	}
	return false
}

// unwrap joins lines that the console broke at 80 columns: a line 80
// columns wide (79 once its trailing space was trimmed) whose next line is
// not understood on its own. The console cuts mid-word ("cou" / "ld"). A
// line longer than 160 columns is broken twice or more (the name of a
// Windows ESU add-on is over 200): each piece but the last is 80 wide.
// A line is joined up to maxJoined bytes; the pieces after are lines of
// their own. The lines are joined in place: out shares lines' array.
func unwrap(lines []Line, known func(string) bool) (out []Line, joined int) {
	out = lines[:0] // each line out is written after the lines it joins are read
	for i := 0; i < len(lines); i++ {
		l := lines[i].Text
		n := lines[i].N
		for w := displayWidth(l); (w == 80 || w == 79) && i+1 < len(lines) && len(l) < maxJoined; {
			next := lines[i+1].Text
			if lines[i+1].N != lines[i].N+1 || strings.TrimSpace(next) == "" || known(next) ||
				noise(strings.TrimSpace(l)) || noise(strings.TrimSpace(next)) {
				break
			}
			if w == 79 {
				l += " " // the 80th column was a space, trimmed by normalize
			}
			l += next
			i++
			joined++
			w = displayWidth(next) // the piece just joined: was it broken too?
		}
		out = append(out, Line{n, l})
	}
	return out, joined
}

// maxJoined bounds a line that unwrap joins (bytes): no value is stored
// longer (licensing.MaxString). Without it a text of nothing but 80-column
// lines was one line, each piece copying and searching (noise) all that
// was joined before it: time in the square of the text's length, over an
// hour for a 4 MB text given to import-text.
const maxJoined = licensing.MaxString

var (
	guidRe    = regexp.MustCompile(`(?i)^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$`)
	epidRe    = regexp.MustCompile(`^\d{5}-\d{5}-\d{3}-\d{6}-\d{2}-\d{4,5}-[\d.]+-\d{7}$`)
	hresultRe = regexp.MustCompile(`0[xX]([0-9A-Fa-f]{8})`)
	intRe     = regexp.MustCompile(`-?\d+`)
)

func atoi(s string) *int {
	m := intRe.FindString(s)
	if m == "" {
		return nil
	}
	n, err := strconv.Atoi(m)
	if err != nil {
		return nil
	}
	return &n
}

func hresult(s string) (uint32, bool) {
	m := hresultRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseUint(m[1], 16, 32)
	return uint32(v), err == nil
}

// hostPort splits "host:1688".
func hostPort(s string) (string, int) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, ":"); i > 0 && !strings.Contains(s[i+1:], "]") {
		if p, err := strconv.Atoi(s[i+1:]); err == nil {
			return s[:i], p
		}
	}
	return s, 0
}

// realGUID reports whether s is a whole GUID, not one masked in a paste.
func realGUID(s string) bool { return guidRe.MatchString(strings.TrimSpace(s)) }

// derive sets kind and channel and the meaning of the status reason.
func derive(pr *licensing.Product, m meta) {
	pr.Kind = licensing.KindOf(pr.ApplicationID, pr.Name)
	if addonRe.MatchString(pr.Name) {
		// slmgr prints no LicenseIsAddon; an add-on's license name says
		// it ("Windows(R), Client-ESU-Year1 add-on for …"), and /dli
		// lists an add-on with a key beside, maybe before, the primary
		// product (DisplayAllInformation).
		pr.IsAddon = true
	}
	if pr.Kind == licensing.KindOther && m.ospp {
		pr.Kind = licensing.KindOffice // ospp.vbs manages Office only
	}
	if pr.Kind == licensing.KindOther && m.activation && pr.Name == "" && !m.ospp {
		// slmgr /ato without an Activation ID activates the Windows
		// product (slmgr.vbs ActivateProduct / CheckProductForCommand):
		// an /ato error without a name is about Windows.
		pr.Kind = licensing.KindWindows
	}
	pr.Channel = licensing.ChannelUnknown
	if pr.ChannelRaw != "" {
		if pr.Channel = licensing.ChannelFromProductKeyChannel(pr.ChannelRaw); pr.Channel == licensing.ChannelUnknown {
			pr.Channel = licensing.ChannelFromToken(pr.ChannelRaw)
		}
	}
	if pr.Channel == licensing.ChannelUnknown || pr.Channel == licensing.ChannelOEMCOA {
		if c := licensing.ChannelFromDescription(pr.Description); c != licensing.ChannelUnknown {
			pr.Channel = c
			if pr.ChannelRaw == "" {
				pr.ChannelRaw = licensing.DescriptionToken(pr.Description)
			}
		}
	}
	if pr.Channel == licensing.ChannelUnknown && m.channel != "" {
		pr.Channel = m.channel
	}
	if pr.Channel == licensing.ChannelUnknown && kmsHostName(pr.Name) {
		// A KMS host license pack ("Microsoft Office 2010, KMSHost
		// edition", "…KMS_Host edition") takes only a CSVLK.
		pr.Channel = licensing.ChannelCSVLK
	}
	if pr.StatusReason != 0 && pr.ReasonText == "" {
		if r, ok := licensing.LookupReason(pr.StatusReason); ok {
			pr.ReasonText = r.English
		}
	}
	if pr.Status == licensing.StatusUnknown && pr.StatusRaw == "" && m.activation && pr.StatusReason != 0 &&
		!licensing.Informational(pr.StatusReason) {
		pr.StatusRaw = "activation failed"
	}
	if m.notInUse {
		pr.NotInUse = true
		if pr.Status == licensing.StatusUnknown {
			// A SKU without a key is Unlicensed (LicenseStatus 0).
			pr.Status = licensing.StatusUnlicensed
			pr.StatusRaw = "not in use"
		}
	}
}

// addonRe finds "add-on" after the comma of a license name.
var addonRe = regexp.MustCompile(`(?i),.*\badd-on\b`)

var kmsHostRe = regexp.MustCompile(`(?i)\bKMS[ _-]?Host\b|_KMS_Host\b|KMSHost`)

func kmsHostName(name string) bool { return kmsHostRe.MatchString(name) }

// unread lists what could not be read of product i.
func unread(res *Result, i int, pr *licensing.Product, m meta) {
	label := fmt.Sprintf("product %d (%s)", i+1, pr.Name)
	if m.xpr {
		if pr.StatusRaw == "" {
			res.Unread = append(res.Unread, label+": license status")
		}
		return
	}
	if pr.Status == licensing.StatusUnknown && pr.StatusRaw == "" {
		res.Unread = append(res.Unread, label+": license status")
	}
	if pr.Channel == licensing.ChannelUnknown {
		res.Unread = append(res.Unread, label+": channel")
	}
	if pr.PartialKey == "" && !pr.NotInUse {
		res.Unread = append(res.Unread, label+": partial product key")
	}
}

// adActivated is VLActivationType 1, AD-based activation: the value a
// text gives where it prints the AD block, which slmgr.vbs prints
// exactly when VLActivationType is 1 (IsADActivated, Windows 8+), and
// ospp.vbs too ("Check to see if last activated via AD"). No other
// value of it is ever printed: the "Configured Activation Type" line is
// VLActivationTypeEnabled.
func adActivated() *int {
	n := 1
	return &n
}
