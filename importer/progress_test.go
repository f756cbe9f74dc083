package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	var tty bytes.Buffer
	p := &progress{w: &tty, tty: true, total: 4, start: time.Now().Add(-2 * time.Second)}
	for i := 0; i < 4; i++ {
		p.step("ignored on a terminal")
	}
	p.finish()
	out := tty.String()
	for _, want := range []string{"\r[", "4/4", "/s", "left 0s"} {
		if !strings.Contains(out, want) {
			t.Errorf("bar %q lacks %q", out, want)
		}
	}
	if strings.Contains(out, "ignored") {
		t.Error("a terminal got plain lines")
	}
	var pipe bytes.Buffer
	p = newProgress(&pipe, 2)
	p.step("imported a")
	p.step("imported b")
	p.finish()
	if pipe.String() != "imported a\nimported b\n" {
		t.Errorf("pipe got %q", pipe.String())
	}
}
