package terminal

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	var tty bytes.Buffer
	p := &Progress{bar: &tty, total: 4, start: time.Now().Add(-2 * time.Second)}
	for i := 0; i < 4; i++ {
		p.Step("not for a terminal")
	}
	p.Finish()
	out := tty.String()
	for _, want := range []string{"\r[", "4/4", "/s", "left 0s"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "not for a terminal") {
		t.Error("the terminal got plain lines")
	}
	if p.ShowsLines() {
		t.Error("a bar on the terminal says it shows lines")
	}
	var pipe, errs bytes.Buffer
	p = NewProgress(&pipe, &errs, 2, false)
	p.Step("imported a")
	p.Step("imported b")
	p.Finish()
	if pipe.String() != "imported a\nimported b\n" || errs.Len() != 0 {
		t.Errorf("pipe got %q, stderr %q", pipe.String(), errs.String())
	}
	if !p.ShowsLines() {
		t.Error("a pipe's progress says it shows no lines")
	}
	pipe.Reset()
	p = NewProgress(&pipe, &errs, 1, true)
	p.Step("imported a")
	p.Finish()
	if pipe.Len() != 0 || errs.Len() != 0 {
		t.Errorf("--quiet printed %q %q", pipe.String(), errs.String())
	}
	if p.ShowsLines() {
		t.Error("--quiet says it shows lines")
	}
}

// TestProgressOverrun: more steps than the total (files added to a folder
// after they were counted) draw a full bar, never a crash.
func TestProgressOverrun(t *testing.T) {
	var tty bytes.Buffer
	p := &Progress{bar: &tty, total: 1, start: time.Now().Add(-time.Second)}
	p.Step("")
	p.Step("")
	p.Finish()
	if !strings.Contains(tty.String(), "[==============================] 2/1") {
		t.Errorf("bar %q", tty.String())
	}
}
