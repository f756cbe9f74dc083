package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress shows how an import goes. A terminal on stderr gets a bar with
// count, rate and time left; stdout that is not a terminal (a pipe, a log
// file) gets one plain line per bundle. --quiet turns off both.
type progress struct {
	bar   io.Writer // stderr when it is a terminal, else nil
	lines io.Writer // stdout when it is not a terminal, else nil
	total int
	done  int
	start time.Time
	last  time.Time
}

func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(stdout, stderr io.Writer, total int, quiet bool) *progress {
	p := &progress{total: total, start: time.Now()}
	if quiet {
		return p
	}
	if isTTY(stderr) {
		p.bar = stderr
	}
	if !isTTY(stdout) {
		p.lines = stdout
	}
	return p
}

// step counts one finished bundle; line goes to the plain output.
func (p *progress) step(line string) {
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

func (p *progress) draw(now time.Time) {
	const width = 30
	frac := 1.0
	if p.total > 0 {
		frac = float64(p.done) / float64(p.total)
	}
	n := int(frac * width)
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

// finish ends the bar's line before other output.
func (p *progress) finish() {
	if p.bar != nil {
		p.draw(time.Now())
		fmt.Fprintln(p.bar)
	}
}

// note prints a message on w, clearing the bar first if it shares w.
func (p *progress) note(w io.Writer, line string) {
	if p.bar != nil && w == p.bar {
		fmt.Fprint(p.bar, "\r\x1b[K")
	}
	fmt.Fprintln(w, line)
}
