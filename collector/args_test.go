package main

import (
	"strings"
	"testing"
)

// TestCommandLine: the mistakes an engineer makes typing the collector's
// command line are usage errors (exit 2) that say, in English and in
// Japanese, what was wrong and what to type instead; none collects, and
// none prints the version as if it had done its work. "collector -v
// --out E:\" printed the version and exited 0, which ActCourier.cmd
// reads as "saved": urfave's version flag took -v.
func TestCommandLine(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want []string // in stderr, in order
	}{
		{"-v", []string{"-v", "--out", `E:\`}, nil, []string{
			"collector: error: -v is not an option of the collector: it has no verbose mode, and its version is --version\n",
			"collector: エラー: -v というオプションはありません。",
			"collector: hint: collector --version prints the version; leave -v out to collect\n",
			"collector: 対処: "}},
		{"-v alone", []string{"-v"}, nil, []string{"collector: error: -v is not an option"}},
		{"-v with --help", []string{"--help", "-v"}, nil, []string{"collector: error: -v is not an option"}},
		{"--version with options", []string{"--version", "--out", `E:\`}, nil, []string{
			"collector: error: --version prints the version alone, and collects nothing\n",
			"collector: エラー: ",
			"collector: hint: run collector --version on its own, or leave it out to collect\n"}},
		{"--version after options", []string{"--out", `E:\`, "--version"}, nil, []string{"--version prints the version alone"}},
		{"unknown option", []string{"--sit", "Nagoya"}, nil, []string{
			"collector: error: unknown option --sit\n",
			"collector: エラー: --sit というオプションはありません\n",
			"collector: hint: did you mean --site? collector --help lists the options\n",
			"collector: 対処: --site のことですか? "}},
		{"unknown option, nothing near", []string{"--verbose"}, nil, []string{
			"collector: error: unknown option --verbose\n", "collector: hint: collector --help lists the options\n"}},
		{"three hyphens", []string{"---out", "x"}, nil, []string{"collector: error: unknown option ---out\n", "did you mean --out?"}},
		{"no value at the end", []string{"--no-prompt", "--out"}, nil, []string{
			"collector: error: --out needs a value\n",
			"collector: エラー: --out に値がありません\n",
			"collector: hint: give it after the option: --out DIR\n"}},
		// Named as typed; the hint gives the long name.
		{"a short option without its value", []string{"-r"}, nil, []string{
			"collector: error: -r needs a value\n", "collector: hint: give it after the option: --recipient age1…\n"}},
		// --asset took "--no-prompt" as the tag, and the collection went
		// on asking, or recorded the tag "--no-prompt".
		{"an option where the value goes", []string{"--line", "L1", "--asset", "--no-prompt"}, nil, []string{
			"collector: error: --asset needs a value: --no-prompt follows it\n",
			"collector: hint: give it after the option: --asset ASSET\n"}},
		{"not a duration", []string{"--timeout", "5"}, nil, []string{
			`collector: error: --timeout "5" is not a time limit` + "\n",
			"collector: hint: give a number and its unit: --timeout 90s, or 5m\n"}},
		{"not a boolean", []string{"--no-prompt=maybe"}, nil, []string{
			"collector: error: --no-prompt takes no value: \"maybe\"\n",
			"collector: hint: give --no-prompt alone\n"}},
		// --version and --help, as the other switches: Go's flag
		// package said "invalid boolean value "yes" for -version: parse
		// error", in English on the Japanese line too.
		{"--version, not a boolean", []string{"--version=yes"}, nil, []string{
			"collector: error: --version takes no value: \"yes\"\n",
			"collector: エラー: --version に値は指定できません: \"yes\"\n",
			"collector: hint: give --version alone\n"}},
		{"--help, not a boolean", []string{"-h=yes"}, nil, []string{
			"collector: error: -h takes no value: \"yes\"\n",
			"collector: hint: give -h alone\n"}},
		{"environment, not a duration", nil, map[string]string{"ACTCOURIER_TIMEOUT": "5"}, []string{
			`collector: error: the environment variable ACTCOURIER_TIMEOUT holds "5", which is not a time limit` + "\n",
			"collector: hint: set it to a number and its unit, such as 90s or 5m, or clear it\n"}},
		{"environment, not a boolean", nil, map[string]string{"ACTCOURIER_NO_PROMPT": "maybe"}, []string{
			`collector: error: the environment variable ACTCOURIER_NO_PROMPT holds "maybe", which is neither true nor false` + "\n",
			"collector: hint: set it to true or false, or clear it\n"}},
		// A value with a space, not in quotes: the rest of it was read
		// as an argument, and the hint offered "--asset L2-011".
		{"a value with a space", []string{"--asset", "NG", "L2-011", "--line", "L2"}, nil, []string{
			`collector: error: unexpected argument "L2-011"` + "\n",
			`collector: hint: a value with spaces goes in quotes: --asset "NG L2-011"` + "\n"}},
		// Likewise with the value after "=": the hint offered
		// "--asset L2-011", which drops "NG".
		{"a value with a space, after =", []string{"--line", "L2", "--asset=NG", "L2-011"}, nil, []string{
			`collector: error: unexpected argument "L2-011"` + "\n",
			`collector: hint: a value with spaces goes in quotes: --asset "NG L2-011"` + "\n"}},
		// A switch takes no value apart: "false" was an argument, and
		// the hint offered "--asset false".
		{"a switch's value apart", []string{"--no-prompt", "false"}, nil, []string{
			`collector: error: unexpected argument "false"` + "\n",
			`collector: hint: --no-prompt takes no value apart: give --no-prompt alone to turn it on, or --no-prompt=false` + "\n"}},
		{"an argument before options", []string{`E:\`, "--no-prompt"}, nil, []string{
			`collector: error: unexpected argument "E:\\"` + "\n",
			`collector: hint: give values with their options, e.g. --out E:\; collector --help lists them` + "\n"}},
		{"an argument", []string{"TAG-1"}, nil, []string{`collector: hint: give values with their options, e.g. --asset TAG-1; collector --help lists them` + "\n"}},
		{"--", []string{"--", "--out", "x"}, nil, []string{`collector: error: unexpected argument "--"` + "\n", "collector: hint: leave it out: "}},
		// cmd.exe's habit: /? and /out are no options of the collector.
		{"a Windows switch", []string{"/?"}, nil, []string{
			`collector: error: unexpected argument "/?"` + "\n",
			"collector: hint: the collector's options begin with --, not /: collector --help lists them\n"}},
		{"a Windows option", []string{"/out", `E:\`}, nil, []string{"collector: hint: the collector's options begin with --, not /: --out\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, stdout, stderr := runCollector(t, "", tc.args...)
			if code != 2 || stdout != "" {
				t.Errorf("got exit %d, stdout %q; want 2 and nothing on stdout", code, stdout)
			}
			rest := stderr
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stderr:\n%s\nlacks (after what came before) %q", stderr, w)
				}
				rest = rest[i+len(w):]
			}
			for _, p := range []string{"collector: error: ", "collector: エラー: ", "collector: hint: ", "collector: 対処: "} {
				if strings.Count(stderr, p) != 1 {
					t.Errorf("stderr holds %q %d times, want once:\n%s", p, strings.Count(stderr, p), stderr)
				}
			}
		})
	}
}

// TestVersionAlone: --version, alone, prints the version and exits 0,
// as before; so does -version (Go's flags take one hyphen too), and
// --version=false is no request for it.
func TestVersionAlone(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-version"}} {
		code, stdout, stderr := runCollector(t, "", args...)
		if code != 0 || !strings.HasPrefix(stdout, "collector version ") || stderr != "" {
			t.Errorf("%v: got exit %d, stdout %q, stderr %q; want 0 and the version", args, code, stdout, stderr)
		}
	}
	code, _, stderr := runCollector(t, "", "--version=false", "--config", "nosuch.conf")
	if code != 2 || !strings.Contains(stderr, "check the --config path") {
		t.Errorf("--version=false: got exit %d, %s; want the run's own error", code, stderr)
	}
}

// TestHelpListsVersion: the help lists --version, and no -v; asked
// with --version, it is the help that is shown.
func TestHelpListsVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"--version", "--help"}} {
		code, stdout, _ := runCollector(t, "", args...)
		if code != 0 || !strings.Contains(stdout, "--version") || strings.Contains(stdout, "-v,") || strings.Contains(stdout, "-v ") {
			t.Errorf("%v: exit %d, help:\n%s\nwant 0, --version listed, and no -v", args, code, stdout)
		}
	}
}

// TestVersionWrapped: the version line is wrapped to the console as
// the rest of the screen is: on a 40-column console it ran to 52
// columns, which the console folded mid-word ("(windows/amd64" and
// ", go1.20.14)" under it, seen under Wine).
func TestVersionWrapped(t *testing.T) {
	code, stdout, _ := runAt(t, 40, "", "--version")
	if code != 0 || !strings.HasPrefix(stdout, "collector version ") {
		t.Fatalf("exit %d, %q", code, stdout)
	}
	for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if cols(l) > 39 {
			t.Errorf("%d columns, want at most 39: %q", cols(l), l)
		}
	}
}

// TestHelpWrapped: the help fits the console: each option on a line of
// its own, what it does below it, wrapped at spaces, and so the name
// line and the exit statuses. urfave put every option's words at column
// 64 beside the longest option (--recipient age1…, -r age1… [ …
// ]), so on an 80-column console (ActCourier.cmd --help under Wine)
// each ran past the edge and the console folded it mid-word at column 0
// ("settings FILE (d" / "efault: actcourier.conf …"). No word is lost:
// the words are those of the help on one line each (a file).
func TestHelpWrapped(t *testing.T) {
	_, flat, _ := runCollector(t, "", "--help")
	for _, width := range []int{80, 40} {
		code, stdout, _ := runAt(t, width, "", "--help")
		if code != 0 {
			t.Fatalf("%d columns: exit %d", width, code)
		}
		for _, l := range strings.Split(stdout, "\n") {
			if cols(l) > width-1 {
				t.Errorf("%d columns: a line of %d: %q", width, cols(l), l)
			}
		}
		if got, want := strings.Join(strings.Fields(stdout), " "), strings.Join(strings.Fields(flat), " "); got != want {
			t.Errorf("%d columns: the words differ from the help in a file:\n%s\nwant\n%s", width, got, want)
		}
		for _, opt := range []string{"\n   --config FILE\n", "\n   --recipient age1…, -r age1…", "\n   --version\n", "\n   --help, -h\n"} {
			if !strings.Contains(stdout, opt) {
				t.Errorf("%d columns: no line of its own for %q:\n%s", width, opt, stdout)
			}
		}
	}
}
