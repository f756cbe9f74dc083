package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
)

// checkArgs reads the command line (args[0] is the program) and the
// environment variables of flags before urfave does, for the mistakes
// an engineer makes at the console: ones urfave would take another way
// (-v was its version flag: "collector -v --out E:\" printed the version
// and exited 0, which ActCourier.cmd reads as saved; "--asset
// --no-prompt" took --no-prompt as the tag), and ones that Go's flag
// package names in its own words, in English only ("flag provided but
// not defined: -sit"). Each is a usage error saying what to type, which
// names the option as it was typed. It reads as Go's flag package does:
// flags until the first argument or "--". With a help flag among them
// and no mistake, urfave prints the help: also with --version.
func checkArgs(flags []cli.Flag, args []string) error {
	byName := map[string]cli.Flag{}
	for _, f := range flags {
		for _, n := range f.Names() {
			byName[n] = f
		}
	}
	n, help := 1, false // n: the first argument, or len(args)
	for ; n < len(args) && isOption(args[n]); n++ {
		if a := args[n]; isHelp(a) {
			help = true
		} else if f := byName[optionName(a)]; !strings.Contains(a, "=") && takesValue(f) {
			n++ // its value
		}
	}
	for i := 1; i < n && i < len(args); i++ {
		a := args[i]
		name := optionName(a)
		given, value, hasValue := strings.Cut(a, "=")
		f, ok := byName[name]
		switch {
		case hasValue && (isHelp(a) || ok && !takesValue(f)) && !isBool(value):
			// --help and --version too: urfave's help flag is not
			// among flags, and --version=false is read below.
			return usage(say("%s takes no value: %q", "%s に値は指定できません: %q", given, value),
				say("give %s alone", "%s だけを指定してください", given))
		case isHelp(a):
		case name == "v":
			return usage(say("-v is not an option of the collector: it has no verbose mode, and its version is --version",
				"-v というオプションはありません。収集プログラムに詳細表示はなく、バージョンは --version で表示します"),
				say("collector --version prints the version; leave -v out to collect",
					"バージョンは collector --version で表示します。収集するには -v を外してください"))
		case name == "version":
			if on, err := strconv.ParseBool(value); hasValue && err == nil && !on {
				continue // --version=false asks for no version
			}
			if len(args) > 2 && !help {
				return usage(say("--version prints the version alone, and collects nothing",
					"--version はバージョンを表示するだけで、収集はしません"),
					say("run collector --version on its own, or leave it out to collect",
						"collector --version だけで実行するか、収集するには --version を外してください"))
			}
		case !ok:
			return unknownOption(given, flags)
		case !takesValue(f):
		default:
			if !hasValue {
				if i+1 >= len(args) {
					return usage(say("%s needs a value", "%s に値がありません", given), giveValue(f))
				}
				i++
				if value = args[i]; isOption(value) && (byName[optionName(value)] != nil || isHelp(value) || optionName(value) == "v") {
					return usage(say("%s needs a value: %s follows it", "%s に値がありません (直後に %s があります)", given, value), giveValue(f))
				}
			}
			if _, isDuration := f.(*cli.DurationFlag); isDuration {
				if _, err := time.ParseDuration(value); err != nil {
					return usage(say("%s %q is not a time limit", "%s %q は時間の指定として正しくありません", given, value),
						say("give a number and its unit: --%s 90s, or 5m", "数値と単位を指定してください: --%s 90s、または 5m", f.Names()[0]))
				}
			}
		}
	}
	if n < len(args) {
		return unexpectedArg(args, n, byName)
	}
	return badEnv(flags)
}

// isOption reports whether a is a flag as Go's flag package reads one
// ("-" alone is an argument, "--" ends the flags).
func isOption(a string) bool { return len(a) > 1 && a[0] == '-' && a != "--" }

// isBool reports whether v is a value of a switch (true, false, 1, 0…),
// as Go's flag package reads one.
func isBool(v string) bool { _, err := strconv.ParseBool(v); return err == nil }

// isHelp reports whether a asks for the help.
func isHelp(a string) bool { n := optionName(a); return n == "help" || n == "h" }

// optionName is a flag's name: "-r" and "--out=x" are r and out;
// "---out" is "-out", which names no flag.
func optionName(a string) string {
	n, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
	return n
}

// takesValue reports whether f is a flag with a value (nil: not ours).
func takesValue(f cli.Flag) bool {
	_, isSwitch := f.(*cli.BoolFlag)
	return f != nil && !isSwitch
}

// giveValue is the hint for a flag given without its value.
func giveValue(f cli.Flag) text {
	placeholder := "VALUE"
	if u, ok := f.(cli.DocGenerationFlag); ok {
		if _, p, ok := strings.Cut(u.GetUsage(), "`"); ok {
			placeholder, _, _ = strings.Cut(p, "`")
		}
	}
	return say("give it after the option: --%s %s", "オプションの後に値を指定してください: --%s %s", f.Names()[0], placeholder)
}

// unknownOption is the error for a flag the collector does not have,
// given as typed (without its value), with the closest it has.
func unknownOption(given string, flags []cli.Flag) error {
	msg := say("unknown option %s", "%s というオプションはありません", given)
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	typed := strings.TrimLeft(given, "-")
	if c := cmdline.Closest(typed, names); c != "" && typed != "" {
		c = "-" + c
		if len(c) > 2 {
			c = "-" + c
		}
		return usage(msg, say("did you mean %s? collector --help lists the options", "%s のことですか? オプションの一覧は collector --help で確認できます", c))
	}
	return usage(msg, say("collector --help lists the options", "オプションの一覧は collector --help で確認できます"))
}

// unexpectedArg is the error for args[n], an argument: the collector
// takes none. The hint says what the engineer likely meant: a value with
// a space, left out of quotes, split into two; a cmd.exe switch (/?,
// /out); a folder meant for --out; else a value without its option.
func unexpectedArg(args []string, n int, byName map[string]cli.Flag) error {
	a := args[n]
	msg := say("unexpected argument %q", "不要な引数「%s」があります", a)
	if a == "--" {
		// Go's flag package reads what follows as arguments.
		return usage(msg, say("leave it out: the collector takes no arguments, and its options go without it; collector --help lists them",
			"外してください。収集プログラムは引数を取らず、オプションにも -- は不要です。一覧は collector --help"))
	}
	// The option before a, and the first word of its value: given
	// apart (--asset NG L2-011) or after "=" (--asset=NG L2-011).
	var opt, first string
	if v := n - 1; v >= 2 && !isOption(args[v]) && !strings.Contains(args[v-1], "=") && takesValue(byName[optionName(args[v-1])]) {
		opt, first = optionName(args[v-1]), args[v]
	} else if v >= 1 && isOption(args[v]) && takesValue(byName[optionName(args[v])]) {
		if _, val, ok := strings.Cut(args[v], "="); ok && val != "" {
			opt, first = optionName(args[v]), val
		}
	}
	if opt != "" {
		words := []string{first}
		for _, w := range args[n:] {
			if isOption(w) {
				break
			}
			words = append(words, w)
		}
		quoted := fmt.Sprintf("--%s \"%s\"", opt, strings.Join(words, " "))
		return usage(msg, say("a value with spaces goes in quotes: %s", "空白を含む値は引用符で囲んでください: %s", quoted))
	}
	if p := args[n-1]; n >= 2 && isBool(a) && isOption(p) && !strings.Contains(p, "=") && !isHelp(p) && optionName(p) != "version" {
		if f := byName[optionName(p)]; f != nil && !takesValue(f) {
			// Go's flag package takes a switch's value only after
			// "=": "--no-prompt false" left "false" an argument.
			return usage(msg, say("%s takes no value apart: give %s alone to turn it on, or --%s=%s",
				"%s は値を別に取りません。有効にするには %s だけを、または --%s=%s と指定してください", p, p, optionName(p), a))
		}
	}
	if s, ok := strings.CutPrefix(a, "/"); ok && (s == "?" || isHelp("--"+s) || byName[s] != nil) {
		if byName[s] != nil {
			return usage(msg, say("the collector's options begin with --, not /: --%s", "オプションは / ではなく -- で始めます: --%s", s))
		}
		return usage(msg, say("the collector's options begin with --, not /: collector --help lists them",
			"オプションは / ではなく -- で始めます。一覧は collector --help で確認できます"))
	}
	flag := "--asset"
	if strings.ContainsAny(a, `\/`) || strings.HasSuffix(a, ":") {
		flag = "--out"
	}
	return usage(msg, say("give values with their options, e.g. %s %s; collector --help lists them",
		"値はオプションとともに指定してください (例: %s %s)。一覧は collector --help", flag, a))
}

// badEnv is the error for an environment variable of a boolean or
// duration flag that holds neither, which urfave names in its words
// ("could not parse "5" as duration value from environment variable
// …") as a command-line mistake, though the engineer typed no option.
func badEnv(flags []cli.Flag) error {
	for _, f := range flags {
		var vars []string
		var valid func(string) bool
		var what text
		var hint text
		switch f := f.(type) {
		case *cli.BoolFlag:
			vars, valid = f.EnvVars, isBool
			what, hint = say("neither true nor false", "true でも false でもありません"), say("set it to true or false, or clear it", "true か false にするか、空にしてください")
		case *cli.DurationFlag:
			vars, valid = f.EnvVars, func(v string) bool { _, err := time.ParseDuration(v); return err == nil }
			what, hint = say("not a time limit", "時間の指定として正しくありません"),
				say("set it to a number and its unit, such as 90s or 5m, or clear it", "90s や 5m のように数値と単位にするか、空にしてください")
		}
		for _, e := range vars {
			// urfave reads the value as it is, untrimmed; an empty
			// one it leaves alone.
			v, set := os.LookupEnv(e)
			if !set {
				continue
			}
			if v != "" && !valid(v) {
				return usage(text{fmt.Sprintf("the environment variable %s holds %q, which is %s", e, v, what.en),
					fmt.Sprintf("環境変数 %s の値 %q は%s", e, v, what.ja)}, hint)
			}
			break // urfave reads the first that is set
		}
	}
	return nil
}
