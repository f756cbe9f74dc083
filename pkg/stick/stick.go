// Package stick reads and writes the collector's configuration file,
// actcourier.conf, which lives beside the collector on the USB stick.
//
// The format is plain "key = value" lines, so that central staff can read
// and edit it in Notepad: '#' starts a comment, keys are case-insensitive,
// recipient may repeat. Notepad on Japanese Windows 7 saves in Shift_JIS,
// so a file that is not UTF-8 is read as Shift_JIS; a UTF-8 BOM is
// skipped. Unknown keys are errors: a typo must not silently drop a
// setting. The file holds only public age recipients, never an identity.
package stick

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/actcourier/actcourier/pkg/sjis"
)

// FileName is the config file's name beside the collector.
const FileName = "actcourier.conf"

// Limits of the settings file. A real file is well under 1 KiB; anyone
// holding a stick can edit it, so the collector reads a bounded amount.
const (
	MaxFileSize = 64 << 10 // the whole file, bytes
	MaxValue    = 256      // one value, bytes
	MaxLines    = 64       // production lines of a site
)

var (
	// ErrSyntax is wrapped by every parse or validation error.
	ErrSyntax = errors.New("stick: bad config")
	// ErrPrivateKey means an identity (AGE-SECRET-KEY-…) was given where
	// a recipient belongs: it must never be on a stick. Errors wrapping
	// it never repeat the key.
	ErrPrivateKey = errors.New("stick: a private key must never be on the stick")
)

// Config is the collector's configuration.
type Config struct {
	Recipients []string      // age recipients (age1…)
	Site       string        // default site
	Lines      []string      // the site's known lines, offered at the prompt
	AnyLine    bool          // the engineer may give a line that is not in Lines
	Engineer   string        // engineer ID
	Output     string        // output folder, relative to the stick (the settings file's folder) and inside it
	Timeout    time.Duration // per command; 0 means the default
}

// Parse reads a config file. Errors name the line and wrap ErrSyntax (or
// ErrPrivateKey); a value is quoted in an error only when it is short and
// never when it could be a key.
func Parse(data []byte) (*Config, error) {
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%w: the file has %d bytes, more than %d: it is not a settings file written by importer stick", ErrSyntax, len(data), MaxFileSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		// As x/text's decoder did: invalid bytes become U+FFFD.
		d, _ := sjis.Decode(data)
		data = []byte(d)
	}
	c := &Config{}
	seen := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if strings.Contains(strings.ToUpper(line), "AGE-SECRET-KEY-") {
			return nil, fmt.Errorf("%w: line %d holds one; remove that line", ErrPrivateKey, n)
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%w: line %d: %s is not key = value", ErrSyntax, n, quote(line))
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if first, dup := seen[k]; dup && k != "recipient" {
			return nil, fmt.Errorf("%w: line %d: %s is set again (first on line %d); keep one", ErrSyntax, n, quote(k), first)
		}
		seen[k] = n
		if err := c.set(k, v); errors.Is(err, ErrPrivateKey) {
			return nil, fmt.Errorf("%w: line %d holds one; remove that line", ErrPrivateKey, n)
		} else if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrSyntax, n, err)
		}
	}
	return c, nil
}

// set sets one key from the file. Its errors say what is wrong without
// ErrSyntax, which Parse adds before the line number (ErrPrivateKey is
// returned as it is).
func (c *Config) set(k, v string) error {
	switch k {
	case "recipient":
		c.Recipients = append(c.Recipients, v)
	case "site":
		c.Site = v
	case "lines":
		c.Lines = splitLines(v)
	case "any_line":
		switch strings.ToLower(v) {
		case "yes", "true", "1":
			c.AnyLine = true
		case "no", "false", "0", "":
			c.AnyLine = false
		default:
			return fmt.Errorf("any_line %s is not yes or no", quote(v))
		}
	case "engineer":
		c.Engineer = v
	case "output":
		c.Output = v
	case "timeout":
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 || d > time.Hour {
			return fmt.Errorf("timeout %s is not a duration like 90s or 2m (at most 1h)", quote(v))
		}
		c.Timeout = d
	case "identity", "age-secret-key":
		return ErrPrivateKey
	default:
		return fmt.Errorf("unknown key %s", quote(k))
	}
	return c.check()
}

func splitLines(v string) []string {
	var out []string
	for _, l := range strings.Split(v, ",") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks every value: recipients are age X25519 public keys (an
// identity wraps ErrPrivateKey), no value holds a control character or is
// longer than MaxValue bytes (a line break in a site name would otherwise
// start a new setting in the file), at most MaxLines lines, and Output is
// a relative folder inside the stick.
func (c *Config) Validate() error {
	err := c.check()
	if err == nil || errors.Is(err, ErrPrivateKey) {
		return err
	}
	return fmt.Errorf("%w: %v", ErrSyntax, err)
}

// check is Validate without ErrSyntax, for Parse to name the line first.
func (c *Config) check() error {
	for _, r := range c.Recipients {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(r)), "AGE-SECRET-KEY-") {
			return ErrPrivateKey
		}
		if _, err := age.ParseX25519Recipient(r); err != nil {
			return fmt.Errorf("recipient %s is not an age public key (age1…)", quote(r))
		}
	}
	values := map[string]string{"site": c.Site, "engineer": c.Engineer, "output": c.Output}
	for i, l := range c.Lines {
		if strings.Contains(l, ",") {
			return fmt.Errorf("line %d: a line name cannot hold a comma", i+1)
		}
		values[fmt.Sprintf("line %d", i+1)] = l
	}
	for name, v := range values {
		if len(v) > MaxValue {
			return fmt.Errorf("%s is %d bytes long, more than %d", name, len(v), MaxValue)
		}
		if i := strings.IndexFunc(v, UnsafeRune); i >= 0 {
			return fmt.Errorf("%s holds the control character %q", name, []rune(v[i:])[0])
		}
	}
	if len(c.Lines) > MaxLines {
		return fmt.Errorf("lines has %d production lines, more than %d", len(c.Lines), MaxLines)
	}
	if c.Output != "" && !InsideFolder(c.Output) {
		return fmt.Errorf("output %s must be a folder on the stick, in its folder, beside this file (like bundles)", quote(c.Output))
	}
	return nil
}

// UnsafeRune reports control characters (C0, DEL, C1) and the Unicode
// format characters that reorder or hide text (bidi overrides,
// zero-width), which have no place in a site or line name, nor in an
// asset tag or engineer ID typed or passed to the collector.
func UnsafeRune(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// InsideFolder reports whether a relative path, read on Windows or
// elsewhere, stays inside the folder it is relative to: no drive, no
// root, no UNC, no "..", no alternate data stream.
func InsideFolder(p string) bool {
	if p == "" || strings.ContainsAny(p, ":") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "\\") {
		return false
	}
	for _, part := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if strings.TrimRight(part, ". ") == "" {
			return false // "..", ".", or a name Windows trims to nothing
		}
	}
	return true
}

// quote shows a value in an error: quoted, control characters escaped,
// cut at 40 bytes.
func quote(v string) string {
	if len(v) > 40 {
		return strconv.Quote(strings.ToValidUTF8(v[:40], "")) + "…"
	}
	return strconv.Quote(v)
}

// Fingerprint is a short, stable name for a recipient that a person can
// read aloud and compare: the first 6 bytes of its SHA-256, in hex groups
// ("3f9c-21ab-77e0"). The collector shows it before it writes; keygen and
// stick print it for central staff.
func Fingerprint(recipient string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(recipient)))
	x := hex.EncodeToString(h[:6])
	return x[0:4] + "-" + x[4:8] + "-" + x[8:12]
}

// Fingerprints are the recipients' fingerprints, in order.
func (c *Config) Fingerprints() []string {
	out := make([]string, len(c.Recipients))
	for i, r := range c.Recipients {
		out[i] = Fingerprint(r)
	}
	return out
}

// Marshal writes c as a commented config file with CRLF line ends, for
// Notepad on Windows 7. It validates c first: a value that would break
// the file's lines is refused, never written.
func Marshal(c *Config) ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var b strings.Builder
	w := func(format string, a ...interface{}) { fmt.Fprintf(&b, format+"\r\n", a...) }
	w("# ActCourier collector settings. Flags on the command line override them.")
	w("# ActCourier 収集プログラムの設定。コマンドラインのオプションが優先されます。")
	w("#")
	w("# recipient: who can open the bundles (public key; repeat for several)")
	for _, r := range c.Recipients {
		w("recipient = %s", r)
	}
	w("site = %s", c.Site)
	w("# lines offered when the collector asks (comma-separated)")
	w("lines = %s", strings.Join(c.Lines, ", "))
	w("# any_line = yes lets the engineer give a line that is not in lines")
	if c.AnyLine {
		w("any_line = yes")
	}
	w("engineer = %s", c.Engineer)
	out := c.Output
	if out == "" {
		out = "bundles"
	}
	w("output = %s", out)
	if c.Timeout > 0 {
		w("timeout = %s", c.Timeout)
	}
	return []byte(b.String()), nil
}
