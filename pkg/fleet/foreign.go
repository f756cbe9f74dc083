package fleet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/sitekey"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// ForeignError is what Summary.Finish returns for an import in which
// every bundle found was for another key: nothing was imported, and the
// cause is the identity given (the wrong --identity, or another site's
// stick), not the bundles, so the importer ends with a configuration
// error (exit 2) rather than "done in part". It is bundle.ErrWrongKey
// for errors.Is.
//
// An age X25519 stanza does not name its recipient, so the bundles
// cannot say which key they want. What can be told without opening one
// is which keys were tried (their fingerprints, stick.Fingerprint, as
// keygen printed them and the collector showed them), and which key the
// settings file of the stick the bundles are on gives now.
type ForeignError struct {
	Bundles int      // bundles found, all for another key
	Tried   []string // fingerprints of the identities given
	Sticks  []Stick  // settings files beside the bundles
	DB      string   // the database, as the summary names it
}

// Stick is a stick's settings file (actcourier.conf) found beside the
// bundles an import was given: its site and the fingerprints of the
// recipients the collector encrypts to.
type Stick struct {
	File, Site string
	Keys       []string
}

func (e *ForeignError) Error() string {
	tried := "the identity given"
	if len(e.Tried) > 0 {
		tried = fmt.Sprintf("the %s given (%s)", plural(len(e.Tried), "identity", "identities"), strings.Join(e.Tried, ", "))
	}
	found := fmt.Sprintf("none of the %d bundles found opens with %s: all are for another key", e.Bundles, tried)
	if e.Bundles == 1 {
		found = fmt.Sprintf("the bundle found does not open with %s: it is for another key", tried)
	}
	return found + "; nothing was imported into " + e.DB
}

// Hint says whose identity to give: the key of the stick's settings
// when it is not one of those tried; else that the bundles were written
// to a key the settings no longer give, or on another stick.
func (e *ForeignError) Hint() string {
	const with = " with --identity (-i) or ACTCOURIER_IDENTITY; -i may be given several times (a key rotation, several sites' sticks)"
	const named = "give the identity file of the key the collector's check screen named (by its fingerprint; keygen printed each identity's)" + with
	tried := map[string]bool{}
	for _, f := range e.Tried {
		tried[f] = true
	}
	var other, same []string
	for _, s := range e.Sticks {
		for _, k := range s.Keys {
			where := terminal.Inline(s.File)
			if s.Site != "" {
				where += ", site " + terminal.Inline(strconv.Quote(s.Site))
			}
			if tried[k] {
				same = append(same, where)
			} else {
				other = append(other, fmt.Sprintf("%s (%s)", k, where))
			}
		}
	}
	switch {
	case len(other) > 0:
		return "the stick's settings give the key " + strings.Join(other, ", ") + ": give the identity file of that key" + with
	case len(same) > 0:
		return "the stick's settings (" + strings.Join(same, "; ") + ") give a key that was tried, so these bundles were written to an earlier key or on another site's stick: " + named
	}
	return named
}

func (e *ForeignError) Unwrap() error { return bundle.ErrWrongKey }

// plural is one or many, by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// allForeign reports whether every input of the import was a bundle for
// another key: none imported, none already imported, none rejected for
// another reason.
func (s *Summary) allForeign() bool {
	if s.Imported > 0 || s.Duplicates > 0 || len(s.Rejected) == 0 {
		return false
	}
	for _, r := range s.Rejected {
		if !errors.Is(r.Err, bundle.ErrWrongKey) {
			return false
		}
	}
	return true
}

// foreign is the ForeignError of an import of b that found n bundles,
// all for another key than ids'.
func (b *Bundles) foreign(n int, ids []age.Identity) *ForeignError {
	e := &ForeignError{Bundles: n}
	for _, r := range sitekey.Recipients(ids) {
		e.Tried = append(e.Tried, stick.Fingerprint(r))
	}
	e.Sticks = b.sticks()
	return e
}

// sticks reads the settings files (stick.FileName) where a stick keeps
// them beside the bundles named: in a named folder (the stick), in the
// folder above it (the stick, for its bundles folder), or, for a named
// file, in its folder and the one above. One that does not read is left
// out: it only helps to say which key to give.
func (b *Bundles) sticks() []Stick {
	var out []Stick
	seen := map[string]bool{}
	for _, root := range b.roots {
		dir := root
		if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
			dir = filepath.Dir(root)
		}
		for _, d := range []string{dir, filepath.Dir(dir)} {
			name := filepath.Join(d, stick.FileName)
			abs, err := filepath.Abs(name)
			if err != nil || seen[abs] {
				continue
			}
			seen[abs] = true
			if s, ok := readStick(name); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// readStick reads the settings file name, at most stick.MaxFileSize; a
// name that is not a file (a pipe, a device: the stick is not trusted)
// is not read, which could wait for ever (readAtMost tells by the file
// it opened, not by a look at the name before, which it may no longer
// be).
func readStick(name string) (Stick, bool) {
	data, err := readAtMost(name, stick.MaxFileSize)
	if err != nil {
		return Stick{}, false
	}
	c, err := stick.Parse(data)
	if err != nil {
		return Stick{}, false
	}
	return Stick{File: name, Site: c.Site, Keys: c.Fingerprints()}, true
}
