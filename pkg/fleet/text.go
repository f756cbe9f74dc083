package fleet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/codepage"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/slmgr"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// TextOptions control the import of saved slmgr/ospp text.
type TextOptions struct {
	// Context gives site, line, engineer and, for every file, the asset
	// tag; an empty asset tag means each file's name without extension.
	Context licensing.Context
	Strings []*slmgr.Strings // the machine's slmgr.ini, for other languages
	// Codepage names the text's code page (codepage.Lookup); "" means
	// detect it, refusing a text whose code page is unsure.
	Codepage string
	// Collected is when the text was saved; zero means each file's
	// modification time.
	Collected time.Time
	Generator string // the importer and its version
	// Now is the import time that collection times are checked against;
	// zero means the clock.
	Now time.Time
}

// TextOutcome is what became of one text file; Parsed says how it was
// read when it was.
type TextOutcome struct {
	Outcome
	Parsed *slmgr.Result
}

// textCollection reads one device's saved text and makes its collection.
// The same text for the same site, line and asset gets the same ID, so
// importing it twice changes nothing.
func textCollection(name string, data []byte, modTime time.Time, opts TextOptions) (*Collection, *slmgr.Result, error) {
	res, err := slmgr.Parse(data, slmgr.Options{Strings: opts.Strings, Source: licensing.SourceText, Decode: codepage.Decoder(opts.Codepage)})
	if err != nil {
		return nil, nil, err
	}
	base := filepath.Base(name)
	c := opts.Context
	if c.Asset == "" {
		c.Asset = strings.TrimSuffix(base, filepath.Ext(base))
	}
	c.Collected, c.Collector = opts.Collected, opts.Generator
	if c.Collected.IsZero() {
		c.Collected = modTime
	}
	c.Sources = map[string]licensing.Source{"site": licensing.SourceFlag, "line": licensing.SourceFlag, "asset": licensing.SourceFlag}
	s := &licensing.Snapshot{Schema: licensing.Schema, Context: c, Products: res.Products,
		Raw: []licensing.RawOutput{{Member: "raw/" + base, Command: string(res.Format) + " text: " + base}}}
	for _, u := range res.Unread {
		s.Missing = append(s.Missing, "text:"+u)
	}
	h := sha256.Sum256([]byte(c.Site + "\x00" + c.Line + "\x00" + c.Asset + "\x00" + string(data)))
	sum := sha256.Sum256(data)
	meta := Meta{BundleID: "text-" + hex.EncodeToString(h[:16]), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)),
		FileName: base, Origin: OriginText, Generator: opts.Generator}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	col, err := NewCollection(meta, s, nil, []Raw{{Member: "raw/" + base, Data: data}}, now)
	return col, res, err
}

// ImportText stores the devices of saved text files, each in its own
// transaction, and calls progress with each file's outcome. A file that
// cannot be read or holds no product is rejected and the others go on;
// the returned error is the store's or ctx's.
func ImportText(ctx context.Context, st Store, files []string, opts TextOptions, progress func(TextOutcome)) (Summary, error) {
	sum := Summary{ByCategory: map[classify.Category]int{}}
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		o := TextOutcome{Outcome: Outcome{File: f}}
		var data []byte
		var fi os.FileInfo
		// The outcome names the file: its error does not again (unnamed).
		if fi, o.Err = os.Stat(f); o.Err != nil {
			o.Err = terminal.ShownPath(unnamed(f, o.Err))
		} else if fi.Size() > MaxTextSize {
			o.Err = fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, fi.Size(), MaxTextSize)
		}
		if o.Err == nil {
			data, o.Err = readAtMost(f, MaxTextSize)
			o.Err = unnamed(f, o.Err)
		}
		if o.Err == nil {
			o.Collection, o.Parsed, o.Err = textCollection(f, data, fi.ModTime(), opts)
		}
		if o.Err == nil {
			res, errs, err := st.ImportBatch(ctx, []*Collection{o.Collection})
			if err != nil {
				return sum, err
			}
			o.Stored, o.Err = res[0], errs[0]
		}
		sum.add(o.Outcome)
		if progress != nil {
			progress(o)
		}
	}
	return sum, nil
}

// ReadStrings reads slmgr.ini files, each named for its language by its
// folder (%SystemRoot%\System32\slmgr\<LANGID>\slmgr.ini). A file over
// MaxTextSize is refused (ErrStrings and ErrTooLarge).
func ReadStrings(paths []string) ([]*slmgr.Strings, error) {
	var out []*slmgr.Strings
	for _, p := range paths {
		// Up to MaxTextSize, as a text: a real slmgr.ini is under
		// 100 KiB, and a path such as /dev/zero is never read whole.
		data, err := readAtMost(p, MaxTextSize)
		if errors.Is(err, ErrTooLarge) {
			err = fmt.Errorf("%s: %w", terminal.Inline(p), err) // an open error names it already
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrStrings, err)
		}
		s, err := slmgr.ParseStrings(data, filepath.Base(filepath.Dir(p)))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrStrings, terminal.Inline(p), err)
		}
		out = append(out, s)
	}
	return out, nil
}

// ErrStrings means an slmgr.ini given for saved text cannot be read.
var ErrStrings = errors.New("fleet: slmgr.ini unreadable")

// NewTextOptions makes import-text's options from what was typed: the
// context, a code page name ("" detects it), the machine's slmgr.ini
// files, and when the text was saved, YYYY-MM-DD[THH:MM] in local time
// ("" is each file's time). Errors wrap codepage.ErrUnknown, ErrStrings
// or ErrDate.
func NewTextOptions(c licensing.Context, cp string, stringsFiles []string, collected, generator string) (TextOptions, error) {
	opts := TextOptions{Context: c, Generator: generator}
	var err error
	if opts.Codepage, err = codepage.Lookup(cp); err != nil && cp != "" {
		return opts, err
	}
	if opts.Strings, err = ReadStrings(stringsFiles); err != nil {
		return opts, err
	}
	if collected != "" {
		if opts.Collected, err = time.ParseInLocation("2006-01-02T15:04", collected, time.Local); err != nil {
			if opts.Collected, err = time.ParseInLocation("2006-01-02", collected, time.Local); err != nil {
				return opts, fmt.Errorf("%w: --collected %q", ErrDate, collected)
			}
		}
	}
	return opts, nil
}

// String is the outcome as one line of a log; an imported text says how
// it was read. Its site, line and asset are shown as Outcome.String
// shows them (terminal.Inline).
func (o TextOutcome) String() string {
	if o.Err != nil || o.Parsed == nil {
		return o.Outcome.String()
	}
	s := o.Collection.Snapshot
	return fmt.Sprintf("imported %s: %s (%s, %s), %s/%s asset %s, %s", o.File, report.Count(len(s.Products), "product"),
		o.Parsed.Format, o.Parsed.Encoding, terminal.Inline(s.Context.Site), terminal.Inline(s.Context.Line), terminal.Inline(s.Context.Asset), o.Collection.Category)
}

// readAtMost reads a file of at most max bytes; a file that grew past it
// since it was looked at is refused, not read whole, and a name that is
// not a file now (a pipe, a device, a folder) is not read (openRegular:
// ErrNotFile), whatever it was when it was looked at.
func readAtMost(name string, max int64) ([]byte, error) {
	f, err := openRegular(name)
	if err != nil {
		return nil, terminal.ShownPath(err) // a name from the stick, in an error printed as it is
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(data)) > max {
		err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return data, err
}
