package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// TestPrintError: the final error line and its hint are one line each,
// whatever the error's text holds, and what the error escaped as it was
// made is not escaped again: before, an error that named a file given
// with -i raw ended its line at the file name's newline, and the rest of
// the name read as a hint of the importer's. A joined error is a line
// per part: before, its parts ran together around an escaped newline.
func TestPrintError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"plain", errors.New("report: --out required"), "importer: error: report: --out required\n"},
		{"a Windows path", &fs.PathError{Op: "open", Path: `C:\Users\foo\key.txt`, Err: fs.ErrNotExist},
			"importer: error: open C:\\Users\\foo\\key.txt: file does not exist\n"},
		{"a newline in a path", &fs.PathError{Op: "open", Path: "k\r\nimporter: hint: x\x1b[2J", Err: fs.ErrNotExist},
			`importer: error: open k\x0d\x0aimporter: hint: x\x1b[2J: file does not exist` + "\n"},
		{"escaped when made", fmt.Errorf("site %s: %q", terminal.Inline("S\n\u202e"+`\u202e`), "Q\n\u202e"+`\u202e`),
			`importer: error: site S\x0a\u202e\\u202e: "Q\n\u202e\\u202e"` + "\n"},
		{"a hint", usage("no device in site \"x\"", "sites: A\nimporter: error: B"),
			"importer: error: no device in site \"x\"\nimporter: hint: sites: A\\x0aimporter: error: B\n"},
		// errors.Join puts a newline between its parts: each is a line
		// of its own, the hint once, after them.
		{"joined", errors.Join(errors.New("write a.html: no space left on device"), errors.New("remove .a.tmp: permission denied")),
			"importer: error: write a.html: no space left on device\nimporter: error: remove .a.tmp: permission denied\n"},
		{"joined within a step", fmt.Errorf("report into %s: %w", "out", errors.Join(errors.New("a"), nil, errors.Join(errors.New("b"), errors.New("c")))),
			"importer: error: report into out: a\nimporter: error: report into out: b\nimporter: error: report into out: c\n"},
		// A report whose two files failed, its abort gone well:
		// errors.Join(errors.Join(a, b), nil).
		{"a list joined with nothing", fmt.Errorf("report into %s: %w", "out", errors.Join(errors.Join(errors.New("a"), errors.New("b")), nil)),
			"importer: error: report into out: a\nimporter: error: report into out: b\n"},
		{"a line forged within a part", errors.Join(errors.New("first"), errors.New("second\nimporter: hint: forged")),
			"importer: error: first\nimporter: error: second\\x0aimporter: hint: forged\n"},
		{"joined with a hint", errors.Join(usage("a", "do x"), errors.New("b")),
			"importer: error: a\nimporter: error: b\nimporter: hint: do x\n"},
		{"an empty part", fmt.Errorf("report into %s: %w", "out", errors.Join(errors.New("write a.html: no space left on device"), errors.New(""))),
			"importer: error: report into out: write a.html: no space left on device\n"},
		// Two causes in one message (%w: %w) are not parts of a list.
		{"two causes in one", fmt.Errorf("%w: %w", errPartial, errors.New("x\ny")),
			"importer: error: some inputs were rejected: x\\x0ay\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			printError(&b, tc.err)
			if got := b.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestExit: the exit code of each kind of error, and what is printed
// beside what the command said: errPartial alone adds nothing (each
// rejected input was named), but errPartial wrapped or joined with
// another error is printed, so that the other is not lost.
func TestExit(t *testing.T) {
	live := context.Background()
	stopped, cancel := context.WithCancel(live)
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
		code int
		want string
	}{
		{"done", live, nil, exitOK, ""},
		{"rejected inputs", live, errPartial, exitPartial, ""},
		{"rejected inputs, and another error", live, errors.Join(errPartial, errors.New("closing the database: disk I/O error")), exitPartial,
			"importer: error: some inputs were rejected\nimporter: error: closing the database: disk I/O error\n"},
		{"rejected inputs, wrapped", live, fmt.Errorf("import into %s: %w", "x.db", errPartial), exitPartial,
			"importer: error: import into x.db: some inputs were rejected\n"},
		{"interrupted", stopped, fmt.Errorf("report: %w", context.Canceled), exitStopped, "importer: interrupted\n"},
		// An import said it was interrupted, with what it had stored
		// and what to do (fleet.Summary.Finish): not said again.
		{"interrupted, told", stopped, fmt.Errorf("%w: %w", fleet.ErrInterrupted, context.Canceled), exitStopped, ""},
		{"canceled without an interrupt", live, context.Canceled, exitUsage, "importer: error: context canceled\n"},
		{"usage", live, usage("no such site", "sites: A"), exitUsage, "importer: error: no such site\nimporter: hint: sites: A\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if code := exit(tc.ctx, &b, tc.err); code != tc.code || b.String() != tc.want {
				t.Errorf("exit %d, printed %q; want %d, %q", code, b.String(), tc.code, tc.want)
			}
		})
	}
}
