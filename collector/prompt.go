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
)

// prompter asks the engineer at the console. Every question gives way to
// Ctrl-C at once: the console is read in a goroutine, and a question
// waits for the answer or the interrupt, whichever comes first.
type prompter struct {
	ctx  context.Context
	out  io.Writer
	req  chan struct{}
	resp chan answer
}

type answer struct {
	line string
	err  error
}

func newPrompter(ctx context.Context, in io.Reader, out io.Writer) *prompter {
	p := &prompter{ctx: ctx, out: out, req: make(chan struct{}), resp: make(chan answer, 1)}
	r := bufio.NewReader(in)
	go func() {
		// Read only when asked: after the last question nothing is read,
		// and "Press Enter to close" gets the Enter.
		for range p.req {
			l, err := r.ReadString('\n')
			p.resp <- answer{l, err}
		}
	}()
	return p
}

// close lets the reading goroutine end.
func (p *prompter) close() { close(p.req) }

// readLine returns the next line typed, trimmed: errInterrupted at
// Ctrl-C, io.EOF when the input has ended.
func (p *prompter) readLine() (string, error) {
	select {
	case p.req <- struct{}{}:
	case <-p.ctx.Done():
		return "", errInterrupted
	}
	select {
	case a := <-p.resp:
		if a.err == nil || strings.TrimSpace(a.line) != "" {
			return strings.TrimSpace(a.line), nil
		}
		// On Windows, Ctrl-C also ends the console read: give the
		// interrupt a moment to arrive, so that it is not taken for the
		// end of the input.
		select {
		case <-p.ctx.Done():
			return "", errInterrupted
		case <-time.After(300 * time.Millisecond):
		}
		return "", io.EOF
	case <-p.ctx.Done():
		return "", errInterrupted
	}
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
		fmt.Fprintf(p.out, "%s / %s:\n", label.en, label.ja)
		for i, c := range q.choices {
			fmt.Fprintf(p.out, "  %d) %s\n", i+1, c)
		}
		label = text{"Number or name", "番号または名前"}
	}
	for {
		prompt := label.en + " / " + label.ja
		switch {
		case q.current != "":
			prompt += " [" + q.current + "]"
		case q.optional:
			prompt += " (Enter: none / Enter で省略)"
		}
		fmt.Fprint(p.out, prompt+": ")
		v, err := p.readLine()
		if err == io.EOF {
			fmt.Fprintln(p.out)
			return "", usage(text{"the input ended before the %s was given", "%sが入力されないまま入力が終わりました"}.with(name),
				say("pass --%s, or run the collector at the console to be asked", "--%s で指定するか、コンソールで実行して入力してください", q.field))
		}
		if err != nil {
			fmt.Fprintln(p.out)
			return "", err
		}
		if v == "" {
			v = q.current
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
			p.note(say("%q is not one of the lines above: type a number from 1 to %d, or a name in the list",
				"「%[1]s」は上の一覧にありません。1～%[2]d の番号か、一覧にある名前を入力してください", v, len(q.choices)))
		}
	}
}

func (p *prompter) note(t text) { fmt.Fprintf(p.out, "  %s\n  %s\n", t.en, t.ja) }

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
		printContext(con.out, s)
		return nil
	}
	p := newPrompter(ctx, con.in, con.out)
	defer p.close()
	if s.ctx.Engineer == "" {
		missing = append(missing, "engineer")
	}
	for {
		for _, f := range missing {
			if err := s.askField(p, f); err != nil {
				return err
			}
		}
		printContext(con.out, s)
		fmt.Fprint(con.out, "Enter: start, n: change / Enter: 開始、n: 入力し直す: ")
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
		return usage(say("line %q is not one of this site's lines (%s)", "ライン「%[1]s」はこの拠点のライン (%[2]s) にありません", s.ctx.Line, strings.Join(s.lines, ", ")),
			say("pass one of them with --line; a new line goes into lines in the settings file (or any_line = yes)",
				"--line で一覧のいずれかを指定してください。新しいラインは設定ファイルの lines に追加します (または any_line = yes)"))
	}
	s.ctx.Line = c
	return nil
}
