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
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// FileName is the config file's name beside the collector.
const FileName = "actcourier.conf"

// ErrSyntax is wrapped by every parse error.
var ErrSyntax = errors.New("stick: bad config")

// Config is the collector's configuration.
type Config struct {
	Recipients []string      // age recipients (age1…)
	Site       string        // default site
	Lines      []string      // the site's known lines, offered at the prompt
	Engineer   string        // engineer ID
	Output     string        // output folder, relative to the collector
	Timeout    time.Duration // per command; 0 means the default
}

// Parse reads a config file. Errors name the line.
func Parse(data []byte) (*Config, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		// As x/text's decoder did: invalid bytes become U+FFFD.
		d, _ := decodeShiftJIS(data)
		data = []byte(d)
	}
	c := &Config{}
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%w: line %d: %q is not key = value", ErrSyntax, n, line)
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "recipient":
			if !strings.HasPrefix(v, "age1") {
				return nil, fmt.Errorf("%w: line %d: recipient %q is not an age public key (age1…)", ErrSyntax, n, v)
			}
			c.Recipients = append(c.Recipients, v)
		case "site":
			c.Site = v
		case "lines":
			c.Lines = nil
			for _, l := range strings.Split(v, ",") {
				if l = strings.TrimSpace(l); l != "" {
					c.Lines = append(c.Lines, l)
				}
			}
		case "engineer":
			c.Engineer = v
		case "output":
			c.Output = v
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return nil, fmt.Errorf("%w: line %d: timeout %q is not a duration like 90s or 2m", ErrSyntax, n, v)
			}
			c.Timeout = d
		case "identity", "age-secret-key":
			return nil, fmt.Errorf("%w: line %d: a private key must never be on the stick; remove it", ErrSyntax, n)
		default:
			return nil, fmt.Errorf("%w: line %d: unknown key %q", ErrSyntax, n, k)
		}
	}
	return c, nil
}

// Marshal writes c as a commented config file with CRLF line ends, for
// Notepad on Windows 7.
func Marshal(c *Config) []byte {
	var b strings.Builder
	w := func(format string, a ...interface{}) { fmt.Fprintf(&b, format+"\r\n", a...) }
	w("# ActCourier collector settings. Flags on the command line override them.")
	w("# ActCourier コレクターの設定。コマンドラインのオプションが優先されます。")
	w("#")
	w("# recipient: who can open the bundles (public key; repeat for several)")
	for _, r := range c.Recipients {
		w("recipient = %s", r)
	}
	w("site = %s", c.Site)
	w("# lines offered when the collector asks (comma-separated)")
	w("lines = %s", strings.Join(c.Lines, ", "))
	w("engineer = %s", c.Engineer)
	out := c.Output
	if out == "" {
		out = "bundles"
	}
	w("output = %s", out)
	if c.Timeout > 0 {
		w("timeout = %s", c.Timeout)
	}
	return []byte(b.String())
}
