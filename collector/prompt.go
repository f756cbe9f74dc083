package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// lineReader reads the console a line at a time, in a goroutine and only
// when asked, so that a question can give way to Ctrl-C at once. A line
// whose question was interrupted is kept for the next reader: the
// window's "Press Enter to close" then gets the Enter. A panic while
// reading is handed to the question, which panics with it in the main
// goroutine (goroutinePanic): exit 3, not Go's 2.
type lineReader struct {
	req     chan struct{}
	resp    chan answer
	pending bool   // a line was asked for and not yet taken
	buf     []byte // what Read has not yet returned
}

type answer struct {
	line  string
	err   error
	fault *goroutinePanic // the read panicked
}

func newLineReader(r io.Reader) *lineReader {
	l := &lineReader{req: make(chan struct{}), resp: make(chan answer, 1)}
	br := bufio.NewReader(r)
	go func() {
		for range l.req {
			var a answer
			a.fault = caught(func() { a.line, a.err = br.ReadString('\n') })
			l.resp <- a
		}
	}()
	return l
}

// next returns the next line as read, or ctx's error when ctx ends
// first. It is called from one goroutine at a time.
func (l *lineReader) next(ctx context.Context) (answer, error) {
	if !l.pending {
		l.req <- struct{}{}
		l.pending = true
	}
	select {
	case a := <-l.resp:
		l.pending = false
		return a, nil
	case <-ctx.Done():
		return answer{}, ctx.Err()
	}
}

// Read makes the lines an io.Reader, as a console's input is: the
// collector itself takes them with next (the questions, closeWindow),
// which hands a panic on to be printed. A read that panicked ends what
// Read gives, the panic its error.
func (l *lineReader) Read(p []byte) (int, error) {
	if len(l.buf) == 0 {
		a, _ := l.next(context.Background())
		if a.fault != nil {
			return 0, a.fault
		}
		if a.line == "" {
			return 0, a.err
		}
		l.buf = []byte(a.line)
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

// prompter asks the engineer at the console.
type prompter struct {
	ctx   context.Context
	out   io.Writer
	lines *lineReader
	// commandLine: the collector was started with options, which a
	// hint may then name (settings.commandLine).
	commandLine bool
	width       int // the columns of out's console, 0 for none (printMessage)
}

func newPrompter(ctx context.Context, in io.Reader, out io.Writer) *prompter {
	l, ok := in.(*lineReader)
	if !ok {
		l = newLineReader(in)
	}
	return &prompter{ctx: ctx, out: out, lines: l}
}

// readLine returns the next line typed, trimmed: errInterrupted at
// Ctrl-C, io.EOF when the input has ended. It panics with the reader's
// panic (goroutinePanic), which runContext prints.
func (p *prompter) readLine() (string, error) {
	a, err := p.lines.next(p.ctx)
	switch {
	case err != nil:
		return "", errInterrupted
	case a.fault != nil:
		panic(a.fault)
	case a.err == nil || strings.TrimSpace(a.line) != "":
		return strings.TrimSpace(a.line), nil
	}
	// On Windows, Ctrl-C also ends the console read: give the interrupt
	// a moment to arrive, so that it is not taken for the end of the
	// input.
	select {
	case <-p.ctx.Done():
		return "", errInterrupted
	case <-time.After(300 * time.Millisecond):
	}
	return "", io.EOF
}

// question is one field to ask for.
type question struct {
	field    string   // site, line, asset or engineer
	current  string   // kept when Enter alone is typed
	choices  []string // offered by number; other answers are refused unless free
	free     bool
	optional bool // Enter alone leaves it empty
}

// ask asks until the answer is valid.
func (p *prompter) ask(q question) (string, error) {
	name := fieldName(q.field)
	label := text{strings.ToUpper(name.en[:1]) + name.en[1:], name.ja}
	if len(q.choices) > 0 {
		printMessage(p.out, "", label.en+" / "+label.ja+":", p.width)
		for i, c := range q.choices {
			// A line's name is the settings file's, shown as every
			// value is (terminal.Inline), its next lines under it.
			printMessage(p.out, fmt.Sprintf("  %d) ", i+1), terminal.Inline(c), p.width)
		}
		label = text{"Number or name", "番号または名前"}
	}
	for {
		prompt := label.en + " / " + label.ja
		switch {
		case q.current != "":
			prompt += " [" + terminal.Inline(q.current) + "]"
		case q.optional:
			prompt += " (Enter: none / Enter で省略)"
		}
		printPrompt(p.out, prompt+":", p.width)
		v, err := p.readLine()
		if err == io.EOF {
			fmt.Fprintln(p.out)
			hint := text{"run ActCourier again and type the %s at the question", "もう一度 ActCourier を実行し、質問に%sを入力してください"}.with(name)
			if p.commandLine {
				hint = say("pass --%s, or run the collector at the console to be asked", "--%s で指定するか、コンソールで実行して入力してください", q.field)
			}
			return "", usage(text{"the input ended before the %s was given", "%sが入力されないまま入力が終わりました"}.with(name), hint)
		}
		if err != nil {
			fmt.Fprintln(p.out)
			return "", err
		}
		if v == "" {
			v = q.current
		}
		if r, ok := controlIn(v); ok {
			p.note(text{fmt.Sprintf("the %s holds the control character %q; type it again", name.en, r),
				fmt.Sprintf("%sに制御文字 %q が含まれています。入力し直してください", name.ja, r)})
			continue
		}
		switch c, ok := choose(v, q.choices, true); {
		case v == "" && q.optional:
			return "", nil
		case v == "":
			p.note(text{"the %s is needed", "%sを入力してください"}.with(name))
		case len(q.choices) == 0 || q.free:
			return c, nil
		case ok:
			return c, nil
		default:
			p.note(say("%q is not in the list: type 1 to %d, or a name from the list",
				"「%[1]s」は一覧にありません。1～%[2]d の番号か、一覧の名前を入力してください", v, len(q.choices)))
		}
	}
}

func (p *prompter) note(t text) {
	printMessage(p.out, "  ", t.en, p.width)
	printMessage(p.out, "  ", t.ja, p.width)
}

// choose finds v among choices: by its number when byNumber, or by its
// name in any case. It returns the choice as configured, or v and false.
func choose(v string, choices []string, byNumber bool) (string, bool) {
	if n, err := strconv.Atoi(v); err == nil && byNumber && n >= 1 && n <= len(choices) {
		return choices[n-1], true
	}
	for _, c := range choices {
		if strings.EqualFold(c, v) {
			return c, true
		}
	}
	return v, false
}

// complete makes sure site, line and asset are known, asking the engineer
// when someone is at the console, and shows what will be recorded before
// anything is read: at the console it waits for Enter, and "n" asks
// every field again.
func complete(ctx context.Context, s *settings, con console) error {
	if err := s.checkLine(); err != nil {
		return err
	}
	var missing []string
	for _, f := range []string{"site", "line", "asset"} {
		if *s.field(f) == "" {
			missing = append(missing, f)
		}
	}
	ask := con.interactive && !s.noPrompt
	if len(missing) > 0 && !ask {
		return usage(text{"%s not given", "%sが指定されていません"}.with(fieldList(missing)),
			say("pass %s, or run the collector at the console to be asked", "%s で指定するか、コンソールで実行して入力してください", flagList(missing)))
	}
	if !ask {
		printContext(con.out, s, con.outWidth)
		return nil
	}
	p := newPrompter(ctx, con.in, con.out)
	p.commandLine, p.width = s.commandLine, con.outWidth
	if s.ctx.Engineer == "" {
		missing = append(missing, "engineer")
	}
	for {
		for _, f := range missing {
			if err := s.askField(p, f); err != nil {
				return err
			}
		}
		if len(missing) > 0 {
			// Below the questions; the banner ends in a blank line.
			fmt.Fprintln(con.out)
		}
		printContext(con.out, s, con.outWidth)
		printPrompt(con.out, "Enter: start, n: change / Enter: 開始、n: 入力し直す:", con.outWidth)
		v, err := p.readLine()
		if err != nil && err != io.EOF {
			fmt.Fprintln(con.out)
			return err
		}
		if !strings.EqualFold(v, "n") {
			fmt.Fprintln(con.out)
			return nil
		}
		missing = []string{"site", "line", "asset", "engineer"}
	}
}

// askField asks for one field, the current value kept on Enter.
func (s *settings) askField(p *prompter, f string) error {
	q := question{field: f, current: *s.field(f), optional: f == "engineer"}
	if f == "line" {
		q.choices, q.free = s.lines, s.anyLine
	}
	v, err := p.ask(q)
	if err != nil {
		return err
	}
	if v != *s.field(f) {
		*s.field(f) = v
		s.ctx.Sources[f] = licensing.SourceOperator
	}
	return nil
}

// field is the context field f.
func (s *settings) field(f string) *string {
	switch f {
	case "site":
		return &s.ctx.Site
	case "line":
		return &s.ctx.Line
	case "asset":
		return &s.ctx.Asset
	}
	return &s.ctx.Engineer
}

// checkLine refuses a line given on the command line that is not one of
// the configured lines, unless the settings allow any line; a line in
// another case becomes the configured one.
func (s *settings) checkLine() error {
	if s.ctx.Line == "" || len(s.lines) == 0 || s.ctx.Sources["line"] != licensing.SourceFlag {
		return nil
	}
	c, ok := choose(s.ctx.Line, s.lines, false)
	if !ok && !s.anyLine {
		// The lines are the settings file's, shown as every value is
		// (terminal.Inline); the Japanese has no quotes of Go's.
		lines := make([]string, len(s.lines))
		for i, l := range s.lines {
			lines[i] = terminal.Inline(l)
		}
		return usage(text{fmt.Sprintf("line %q is not one of this site's lines (%s)", s.ctx.Line, strings.Join(lines, ", ")),
			fmt.Sprintf("ライン「%s」はこの拠点のライン (%s) にありません", terminal.Inline(s.ctx.Line), strings.Join(lines, ", "))},
			say("pass one of them with --line; a new line goes into lines in the settings file (or any_line = yes)",
				"--line で一覧のいずれかを指定してください。新しいラインは設定ファイルの lines に追加します (または any_line = yes)"))
	}
	s.ctx.Line = c
	return nil
}

// closeWindow waits for Enter before the collector's own window closes
// (ownConsole), so that the engineer can read the summary, and returns
// the exit code: the run's, or 3 when the console's reader panicked
// meanwhile. That is the collector's fault as at a question
// (goroutinePanic), but after runContext, whose recover would print
// it: printed here, with the trace of where it began, and the window
// waits once more, for the photo its hint asks for. (A second panic
// there closes it on what is shown.)
func closeWindow(con console, code int) int {
	lines := newPrompter(context.Background(), con.in, con.out).lines
	wait := func() *goroutinePanic {
		fmt.Fprintln(con.out)
		printPrompt(con.out, "Press Enter to close / Enter キーで閉じます", con.outWidth)
		a, _ := lines.next(context.Background())
		return a.fault
	}
	p := wait()
	if p == nil {
		return code
	}
	fmt.Fprintln(con.out) // no Enter ended the prompt's line
	code = printFault(terminal.NewWriter(con.err), p.value, p.stack, con.width)
	wait()
	return code
}

// askSecret asks on out, a console of width columns (printPrompt), for
// a passphrase typed into in without echo, as readLine reads an answer:
// errInterrupted at Ctrl-C, at once, as at every question (under Wine
// the console read goes on after Ctrl-C).
func askSecret(in *lineReader, out io.Writer, width int) func(ctx context.Context, prompt string) (string, error) {
	return func(ctx context.Context, prompt string) (string, error) {
		printPrompt(out, prompt, width)
		restore := echoOff()
		defer fmt.Fprintln(out)
		defer restore()
		return newPrompter(ctx, in, out).readLine()
	}
}
