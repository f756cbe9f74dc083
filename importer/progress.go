package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// progress shows how an import goes: a bar with count, rate and time
// left on a terminal, plain lines on a pipe.
type progress struct {
	w       io.Writer
	tty     bool
	total   int
	done    int
	start   time.Time
	last    time.Time
	lastPct int
}

func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(w io.Writer, total int) *progress {
	now := time.Now()
	return &progress{w: w, tty: isTTY(w), total: total, start: now, lastPct: -1}
}

// step counts one finished bundle; line is printed on a pipe.
func (p *progress) step(line string) {
	p.done++
	if !p.tty {
		if line != "" {
			fmt.Fprintln(p.w, line)
		}
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
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d  %.0f/s  left %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), p.done, p.total, rate, left)
}

// clear ends the bar line before other output.
func (p *progress) finish() {
	if p.tty {
		p.draw(time.Now())
		fmt.Fprintln(p.w)
	}
}

// note prints a line above the bar.
func (p *progress) note(w io.Writer, line string) {
	if p.tty && w == p.w {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	fmt.Fprintln(w, line)
}
