package terminal

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every character a terminal would act on shown
// escaped instead: C0 controls but newline and tab (ESC, BEL, CR, …),
// DEL, C1 controls, invalid UTF-8, and the format characters that reorder
// or hide text (bidi overrides, zero-width). A bundle holds whatever its
// writer put in it; printed raw, an ESC sequence in a host name could
// clear the screen and draw a fake summary.
func Escape(s string) string {
	if strings.IndexFunc(s, unsafeRune) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

func unsafeRune(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || Hidden(r)
}

// Hidden reports whether r reorders or hides text where it is shown: a
// format character (Unicode Cf: the bidi controls U+202A-U+202E,
// U+2066-U+2069, U+200E, U+200F and U+061C, zero-width characters, the
// soft hyphen) or the line and paragraph separators U+2028 and U+2029.
// A host name holding U+202E reads backwards from there on. Escape shows
// each as \uXXXX; so do the reports (ShowHidden).
func Hidden(r rune) bool {
	if r < 0xad || r >= 0x3000 && r < 0xfeff {
		return false // ASCII, and Japanese text, hold none: the usual case is quick
	}
	return unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// ShowHidden returns s with every Hidden character written as \uXXXX,
// as Escape writes it, and everything else as it is: for a report page
// or cell, where controls and newlines are the format's to escape (an
// HTML escaper, a CSV writer) but a U+202E would still make an auditor
// read another name than the one stored.
func ShowHidden(s string) string {
	i := strings.IndexFunc(s, Hidden)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for s = s[i:]; len(s) > 0; {
		// By its bytes, not by range: invalid UTF-8 stays as it was,
		// for the format's own escaper to judge.
		r, n := utf8.DecodeRuneInString(s)
		if Hidden(r) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// Writer passes everything written through Escape: the one place where
// what the programs print from bundles, texts and settings is made safe
// for a terminal. The programs wrap their stdout and stderr in it; only
// the progress bar writes its own control characters, to the terminal
// underneath.
type Writer struct {
	w    io.Writer
	part []byte // the start of a UTF-8 sequence split across writes
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write escapes p and writes it. It reports len(p) on success: the bytes
// taken, not the bytes written.
func (s *Writer) Write(p []byte) (int, error) {
	data := append(s.part, p...)
	s.part = nil
	// Keep an incomplete UTF-8 sequence at the end for the next write.
	for i := len(data) - 1; i >= 0 && i >= len(data)-3; i-- {
		if utf8.RuneStart(data[i]) {
			if !utf8.FullRune(data[i:]) {
				s.part = append([]byte(nil), data[i:]...)
				data = data[:i]
			}
			break
		}
	}
	if _, err := io.WriteString(s.w, Escape(string(data))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Unwrap returns the writer underneath.
func (s *Writer) Unwrap() io.Writer { return s.w }

// file returns the *os.File under w, through Writers, or nil.
func file(w io.Writer) *os.File {
	for {
		switch x := w.(type) {
		case *os.File:
			return x
		case *Writer:
			w = x.w
		default:
			return nil
		}
	}
}

// Inline is Escape for a value shown within a line: newline and tab are
// escaped too, so that a value from a bundle can neither break a table's
// columns nor start a line of its own (a forged host name "\nNagoya  L1 …"
// would print a device that does not exist).
func Inline(s string) string {
	if strings.ContainsAny(s, "\n\t") {
		s = strings.NewReplacer("\n", `\x0a`, "\t", `\x09`).Replace(s)
	}
	return Escape(s)
}
