package terminal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// Progress shows how a long run goes, item by item. A terminal on stderr
// gets a bar with count, rate and time left; stdout that is not a terminal
// (a pipe, a log file) gets one plain line per item. Quiet turns off both.
type Progress struct {
	bar   io.Writer // stderr when it is a terminal, else nil
	lines io.Writer // stdout when it is not a terminal, else nil
	total int
	done  int
	start time.Time
	last  time.Time
}

// IsTerminal reports whether w is a terminal, through Writers.
func IsTerminal(w io.Writer) bool {
	f := file(w)
	return f != nil && term.IsTerminal(int(f.Fd()))
}

// NewProgress starts showing the progress of total items.
func NewProgress(stdout, stderr io.Writer, total int, quiet bool) *Progress {
	p := &Progress{total: total, start: time.Now()}
	if quiet {
		return p
	}
	if IsTerminal(stderr) {
		p.bar = file(stderr) // the bar draws with CR and ESC [K itself
	}
	if !IsTerminal(stdout) {
		p.lines = stdout
	}
	return p
}

// ShowsLines reports whether Step shows its line: a caller that has many
// items a second need not build a line nobody reads.
func (p *Progress) ShowsLines() bool { return p.lines != nil }

// Step counts one finished item; line goes to the plain output.
func (p *Progress) Step(line string) {
	p.done++
	if p.lines != nil && line != "" {
		fmt.Fprintln(p.lines, line)
	}
	if p.bar == nil {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 100*time.Millisecond && p.done < p.total {
		return
	}
	p.last = now
	p.draw(now)
}

func (p *Progress) draw(now time.Time) {
	const width = 30
	frac := 1.0
	if p.total > 0 {
		frac = float64(p.done) / float64(p.total)
	}
	n := int(frac * width)
	if n > width { // files added after they were counted
		n = width
	}
	el := now.Sub(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(p.done) / el
	}
	left := "--"
	if rate > 0 && p.done < p.total {
		left = (time.Duration(float64(p.total-p.done)/rate) * time.Second).Round(time.Second).String()
	} else if p.done >= p.total {
		left = "0s"
	}
	fmt.Fprintf(p.bar, "\r[%s%s] %d/%d  %.0f/s  left %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), p.done, p.total, rate, left)
}

// Finish ends the bar's line before other output.
func (p *Progress) Finish() {
	if p.bar != nil {
		p.draw(time.Now())
		fmt.Fprintln(p.bar)
	}
}

// Note prints a message on w, clearing the bar first if it shares w's
// terminal; an empty line prints nothing.
func (p *Progress) Note(w io.Writer, line string) {
	if line == "" {
		return
	}
	if p.bar != nil && file(w) == p.bar {
		fmt.Fprint(p.bar, "\r\x1b[K")
	}
	fmt.Fprintln(w, line)
}

// Line shows the outcome of one input, as a line and whether it is a
// note: a note (a rejected input; "" to show nothing) goes to w above
// the bar, and the bar steps past it; another line is the step's own.
func (p *Progress) Line(w io.Writer, line string, note bool) {
	if !note {
		p.Step(line)
		return
	}
	p.Step("")
	p.Note(w, line)
}

// PassphraseFrom returns a prompt for passphrases that takes one from the
// environment variable env when it is set (scripts), else asks on the
// terminal (Passphrase).
func PassphraseFrom(ctx context.Context, env string) func(prompt string) (string, error) {
	return func(prompt string) (string, error) {
		if p, ok := os.LookupEnv(env); ok {
			return p, nil
		}
		return Passphrase(ctx, prompt)
	}
}

// ErrNoTerminal is Passphrase's error when stdin is no terminal (a
// script, a pipe, a scheduled task): there is nobody to ask.
var ErrNoTerminal = errors.New("terminal: no terminal to ask for the passphrase")

// Passphrase asks for a passphrase on the terminal of stdin, without
// echo, showing prompt on stderr; ErrNoTerminal when stdin is none.
// Ctrl-C at the prompt ends ctx (the program handles SIGINT), and a read
// of the terminal cannot be stopped: then the terminal's echo is turned
// back on and ctx's error returned at once, the read left behind for the
// program to end. Before, Ctrl-C at the prompt did nothing.
func Passphrase(ctx context.Context, prompt string) (string, error) {
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", ErrNoTerminal
	}
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	fmt.Fprint(os.Stderr, prompt)
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		done <- read{b, err}
	}()
	select {
	case r := <-done:
		fmt.Fprintln(os.Stderr)
		return string(r.b), r.err
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(os.Stderr)
		return "", ctx.Err()
	}
}
