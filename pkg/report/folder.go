package report

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// A report folder holds one report. Run again into the same folder, a
// report for fewer sites or lines (a --site, a site no longer in the
// fleet, a format left out) would otherwise leave the pages of the
// earlier run beside its own, unchanged and no longer linked from the
// index: an auditor who opens one reads a verdict the fleet no longer
// gives. Each report therefore lists the files it wrote in the folder
// (FilesList), each with a checksum of what it wrote, and the next one
// removes those of them it did not write again and that still hold
// those bytes, and nothing else: not a file the user put there or
// changed since (an auditor's notes saved over a line's CSV), not one
// the list names outside the folder or through a link. The list is in a
// folder others may write to: a name in it is a claim, the checksum is
// what makes the file ours.
//
// A report's files take their names together, at the end (publish):
// until Close, each is whole under a temporary name beside its own, and
// a report that fails part way removes them (discard) and leaves the
// folder as it was. Otherwise a line page written before the failure
// would stand beside the earlier report's, or link its site's workbook,
// written only once the site is done, that the failed run never wrote.
//
// The checksum is CRC-32C: it only tells a file from the one the report
// wrote. Whoever can plant a list and read a file can give any digest of
// it, so SHA-256 would stop nobody more; over the 0.9 GB a report of
// 100,000 devices writes it takes 0.57 s of CPU (6 % of the report's),
// CRC-32C 0.04 s.

// FilesList is the file in a report folder that lists the files the
// report wrote, after its first line, filesListHead: one a line, the
// CRC-32C of the file in hex (8 digits), a space, and its path relative
// to the folder (with "/"). A file a list of version 1 named (paths
// only) has byName in place of its CRC: the next report replaces it,
// never removes it.
const FilesList = ".actcourier-report"

// filesListHead is the list's first line. A list of version 1 (paths
// without digests) names no file: nothing it names is removed.
const filesListHead = "actcourier-report-files/2"

// filesListHeadV1 is the first line of a list of version 1: paths only.
const filesListHeadV1 = "actcourier-report-files/1"

// byName stands in a list for the checksum of a file listed by name
// alone: one a list of version 1 named, which a report replaces (as the
// report of that version would have) but never removes (nothing proves
// it is a report's), listed again while it is there.
const byName = "--------"

// maxFilesList bounds what is read of a folder's list: a report of
// 1,000,000 devices over 2,000 lines names about 10,000 files.
const maxFilesList = 16 << 20

// reportExt are the extensions of the files a report writes: only such
// files are removed.
var reportExt = map[string]bool{".html": true, ".csv": true, ".json": true, ".xlsx": true}

// madeFile is a file this run wrote: its name, the temporary name it is
// written under until publish renames it (then ""), and the checksum of
// its bytes (sumOf).
type madeFile struct{ name, tmp, sum string }

// listed is an entry of a folder's list: a path relative to the folder,
// with "/", and the checksum the report that wrote it gave.
type listed struct{ rel, sum string }

// track records a file this run wrote whole (p, done), still under its
// temporary name; any goroutine may call it.
func (w *Writer) track(p *pending) {
	w.mu.Lock()
	w.made = append(w.made, madeFile{p.name, p.f.Name(), p.sum})
	w.mu.Unlock()
}

// publish gives every file the report wrote its name, the data files
// (CSV, JSON, workbooks) first and the pages last, the fleet's index
// the very last: a page takes its name only once every file it links
// has its own. It stops at the first rename that fails (on Windows, a
// workbook or CSV open in Excel), whose error it returns; the files
// before it have their names, the rest stay under their temporary ones
// for discard.
func (w *Writer) publish() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Pages were tracked in order: line pages as rendered, then the
	// sites' indexes, then the fleet's.
	order := make([]int, 0, len(w.made))
	for _, page := range []bool{false, true} {
		for i, m := range w.made {
			if strings.EqualFold(filepath.Ext(m.name), ".html") == page {
				order = append(order, i)
			}
		}
	}
	for _, i := range order {
		m := &w.made[i]
		if err := os.Rename(m.tmp, m.name); err != nil {
			return fmt.Errorf("giving %s its name: %w", m.name, err)
		}
		m.tmp = ""
		if afterRename != nil {
			afterRename()
		}
	}
	return nil
}

// notOurs returns the files the report wrote (still under their
// temporary names) whose names are taken in the folder by a file that the
// earlier report's list does not give with the checksum of the bytes it
// holds: a file the user put there, or one changed since. publish would
// replace them. A folder in the way is not one: its rename fails.
func (w *Writer) notOurs() []string {
	w.mu.Lock()
	var names []string
	for _, m := range w.made {
		if m.tmp != "" {
			names = append(names, m.name)
		}
	}
	w.mu.Unlock()
	return w.refused(names)
}

// refused returns those of the files names (in the folder) that are
// there and are no earlier report's (notOurs), relative to the folder
// and sorted. A file it finds an earlier report's it records (checked)
// as it is: asked again (Close, after NewWriter checked the files the
// report would write), it reads only the files that changed since, not
// the whole earlier report a second time.
func (w *Writer) refused(names []string) []string {
	var ours claims // read once needed
	var out []string
	for _, name := range names {
		fi, err := os.Lstat(name)
		if err != nil || fi.IsDir() {
			continue // nothing to replace; or not replaced (publish fails)
		}
		if was, ok := w.checked[name]; ok && os.SameFile(was, fi) && was.Size() == fi.Size() && was.ModTime().Equal(fi.ModTime()) {
			continue // an earlier report's, unchanged since it was checked
		}
		rel, _ := w.relName(name)
		if ours.sums == nil {
			ours = claimed(w.dir)
		}
		if fi.Mode().IsRegular() && ours.holds(name, rel) {
			if w.checked == nil {
				w.checked = map[string]os.FileInfo{}
			}
			w.checked[name] = fi
			continue // as the earlier report wrote it
		}
		out = append(out, rel)
	}
	sort.Strings(out)
	return out
}

// Place is a line a report will write (Options.Lines): the site and
// line that Begin will be given.
type Place struct{ Site, Line string }

// plannedFiles are the files a report of lines writes in its formats,
// each with the name Begin will give it when the lines begin in that
// order: unique is run on a copy of the names taken, as Begin will run
// it. TestPlannedFiles holds this to the files a report writes.
func (w *Writer) plannedFiles(lines []Place) []string {
	taken := map[string]bool{}
	for k := range w.names {
		taken[k] = true
	}
	var out []string
	add := func(format, name string) {
		if w.fmts[format] {
			out = append(out, name)
		}
	}
	add(CSV, filepath.Join(w.dir, "devices.csv"))
	add(CSV, filepath.Join(w.dir, "products.csv"))
	add(JSON, filepath.Join(w.dir, "devices.json"))
	add(HTML, filepath.Join(w.dir, "index.html"))
	sites := map[string]string{}
	for _, l := range lines {
		site, ok := sites[l.Site]
		if !ok {
			site = uniqueIn(taken, safeName(l.Site, "site"), "")
			sites[l.Site] = site
			s := siteSum{file: site}
			add(HTML, filepath.Join(w.dir, site, "index.html"))
			add(XLSX, filepath.Join(w.dir, site, s.bookName()))
		}
		base := filepath.Join(w.dir, site, uniqueIn(taken, safeName(l.Line, "line"), site))
		add(HTML, base+".html")
		add(CSV, base+".csv")
		add(CSV, base+".products.csv")
		add(JSON, base+".json")
	}
	return out
}

// claims are the files a folder's list says an earlier report wrote,
// by sameFile name: the checksums each was listed with (a name is
// listed twice when a report was stopped while its files took their
// names, prePublish), and the names listed without one (byName: a list
// of version 1 had no checksums, and its files were replaced by name
// alone): a folder reported into by that version is not refused.
type claims struct {
	sums   map[string][]string
	byName map[string]bool
}

// claimed reads the folder's list (earlierFiles).
func claimed(dir string) claims {
	c := claims{sums: map[string][]string{}, byName: map[string]bool{}}
	for _, e := range earlierFiles(dir) {
		if e.sum == "" {
			c.byName[sameFile(e.rel)] = true
			continue
		}
		c.sums[sameFile(e.rel)] = append(c.sums[sameFile(e.rel)], e.sum)
	}
	return c
}

// holds reports whether the file name, rel in the folder, is an earlier
// report's: listed by name alone, or holding bytes it was listed with.
func (c claims) holds(name, rel string) bool {
	if c.byName[sameFile(rel)] {
		return true
	}
	sums := c.sums[sameFile(rel)]
	if len(sums) == 0 {
		return false
	}
	got, err := fileSum(name)
	if err != nil {
		return false
	}
	for _, s := range sums {
		if got == s {
			return true
		}
	}
	return false
}

// prePublish writes the folder's list as it will stand if publish is
// stopped part way (the process killed, the machine off): the earlier
// report's files and, beside them, this report's with their own
// checksums. A file that took its name then is still a report's file to
// the next report (notOurs), not one a user changed, and the next whole
// report removes or replaces it as usual (finishFolder).
func (w *Writer) prePublish() error {
	w.mu.Lock()
	made := append([]madeFile(nil), w.made...)
	w.mu.Unlock()
	list := earlierFiles(w.dir)
	for _, m := range made {
		if rel, ok := w.relName(m.name); ok && m.sum != "" {
			list = append(list, listed{rel, m.sum})
		}
	}
	return w.writeList(list)
}

// afterRename, when set, is called by publish after each file took its
// name: a test's stand-in for a process killed there.
var afterRename func()

// discard removes every file the report wrote that publish has not
// renamed, and the site folders left empty: what a report that failed
// part way leaves of itself.
func (w *Writer) discard() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var errs []error
	for i := range w.made {
		m := &w.made[i]
		if m.tmp == "" {
			continue
		}
		if err := os.Remove(m.tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		m.tmp = ""
		m.sum = "" // not written: not listed
	}
	for _, s := range w.sites {
		os.Remove(filepath.Join(w.dir, s.file)) // only when empty: made by this run
	}
	return errors.Join(errs...)
}

// earlierFiles reads the folder's list of the files an earlier report
// wrote. A missing, foreign or unreadable list names none, and so does
// a line that is no digest and path. A name listed without a checksum
// (byName, or every name of a version 1 list) has sum "".
func earlierFiles(dir string) []listed {
	b, err := readList(dir)
	if err != nil {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	var out []listed
	switch lines[0] {
	case filesListHeadV1:
		for _, rel := range lines[1:] {
			if rel != "" {
				out = append(out, listed{rel, ""})
			}
		}
	case filesListHead:
		for _, l := range lines[1:] {
			sum, rel, ok := strings.Cut(l, " ")
			if !ok || rel == "" {
				continue
			}
			if sum == byName {
				out = append(out, listed{rel, ""})
			} else if d, err := hex.DecodeString(sum); err == nil && len(d) == crc32.Size {
				out = append(out, listed{rel, strings.ToLower(sum)})
			}
		}
	}
	return out
}

// readList reads the folder's list, at most maxFilesList bytes.
func readList(dir string) ([]byte, error) {
	f, err := os.Open(filepath.Join(dir, FilesList))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFilesList+1))
	if err == nil && len(b) > maxFilesList {
		err = fmt.Errorf("%s: over %d bytes", FilesList, maxFilesList)
	}
	return b, err
}

// relName is a written file's name in the list: relative to the folder,
// with "/".
func (w *Writer) relName(name string) (string, bool) {
	rel, err := filepath.Rel(w.dir, name)
	if err != nil || !filepath.IsLocal(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// sameFile is a listed name as the file system compares names: folded
// on Windows and macOS, which ignore case (and macOS composition), so
// that a site renamed only in case is not removed as the earlier run's
// file it overwrote; as it is elsewhere, where "Site/a.html" and
// "site/a.html" are two files and the earlier one is stale.
func sameFile(rel string) string {
	if foldingNames {
		return foldKey(norm.NFC.String(rel))
	}
	return rel
}

// foldingNames: the file systems of Windows and macOS take names that
// differ only in case for one.
var foldingNames = runtime.GOOS == "windows" || runtime.GOOS == "darwin"

// finishFolder removes the files an earlier report listed that this one
// did not write, then lists this report's files that took their names
// (publish), keeping the earlier ones it could not remove. With complete
// false (a publish that failed part way), nothing is removed and the
// list names both runs' files, so the next whole report removes what
// this one left. It returns the removed files, relative to the folder.
func (w *Writer) finishFolder(complete bool) ([]string, error) {
	w.mu.Lock()
	made := append([]madeFile(nil), w.made...)
	w.mu.Unlock()
	keep := map[string]bool{}
	var list []listed
	for _, m := range made {
		if m.tmp != "" {
			continue // not renamed into place (publish failed before it)
		}
		if rel, ok := w.relName(m.name); ok && m.sum != "" && !keep[sameFile(rel)] {
			keep[sameFile(rel)] = true
			list = append(list, listed{rel, m.sum})
		}
	}
	var removed []string
	if complete {
		removed = removeStale(w.dir)
	}
	for _, e := range earlierFiles(w.dir) {
		if keep[sameFile(e.rel)] || !filepath.IsLocal(filepath.FromSlash(e.rel)) {
			continue
		}
		if e.sum == "" {
			// Listed by name alone: never removed, listed again while
			// it is there (a plain file, not through a link).
			if fi, err := os.Lstat(filepath.Join(w.dir, filepath.FromSlash(e.rel))); err == nil && fi.Mode().IsRegular() {
				keep[sameFile(e.rel)] = true
				list = append(list, e)
			}
			continue
		}
		if complete {
			switch err := removeListed(w.dir, e.rel, e.sum); {
			case err == nil:
				removed = append(removed, e.rel)
				continue
			case errors.Is(err, errNotOurs), errors.Is(err, os.ErrNotExist):
				continue // not ours to remove, or gone: not listed again
			}
		}
		keep[sameFile(e.rel)] = true
		list = append(list, e)
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].rel < list[j].rel })
	return removed, w.writeList(list)
}

// writeList replaces the folder's list with list, in its order.
func (w *Writer) writeList(list []listed) error {
	var b bytes.Buffer
	b.WriteString(filesListHead + "\n")
	for _, e := range list {
		sum := e.sum
		if sum == "" {
			sum = byName
		}
		b.WriteString(sum + " " + e.rel + "\n")
	}
	p, err := writeFile(filepath.Join(w.dir, FilesList), func(f *bufio.Writer) error {
		_, err := f.Write(b.Bytes())
		return err
	})
	if err == nil {
		if err = os.Rename(p.f.Name(), p.name); err != nil {
			os.Remove(p.f.Name())
		}
	}
	return err
}

// removeStale removes the temporary files (create's ".report-N.tmp") that
// a report killed before it could discard them left in the folder dir
// and its folders one level down (the sites'), and returns their names
// relative to dir. It is called once this report's own files all have
// their names, so any left belong to another run: one folder holds one
// report at a time (lockFolder). Only plain files of exactly that
// name are removed, and no link is followed.
func removeStale(dir string) []string {
	var out []string
	var scan func(rel string)
	scan = func(rel string) {
		entries, err := os.ReadDir(filepath.Join(dir, rel))
		if err != nil {
			return
		}
		for _, e := range entries {
			name := e.Name()
			switch {
			case e.IsDir() && rel == "":
				scan(name)
			case e.Type().IsRegular() && staleTemp(name):
				r := filepath.Join(rel, name)
				if os.Remove(filepath.Join(dir, r)) == nil {
					out = append(out, filepath.ToSlash(r))
				}
			}
		}
	}
	scan("")
	sort.Strings(out)
	return out
}

// staleTemp reports whether name is one that create gives a file while it
// is written: ".report-", the digits createTemp puts, ".tmp".
func staleTemp(name string) bool {
	rest, ok := strings.CutPrefix(name, tempPrefix)
	digits, ok2 := strings.CutSuffix(rest, tempSuffix)
	if !ok || !ok2 || digits == "" {
		return false
	}
	for _, c := range digits {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// errNotOurs is a listed name that is no report file in the folder.
var errNotOurs = errors.New("not a report file")

// removeListed removes the listed file rel of the folder dir, and its
// folder if that is left empty, when it is a report's kind of file, a
// plain file, inside the folder, no folder on the way is a link, and it
// holds the bytes whose checksum is sum (the report wrote it, and nobody
// changed it since). A file already gone is an os.ErrNotExist.
func removeListed(dir, rel, sum string) error {
	p := filepath.FromSlash(rel)
	if !filepath.IsLocal(p) || !reportExt[strings.ToLower(filepath.Ext(p))] || strings.ContainsRune(rel, '\\') {
		return errNotOurs
	}
	parts := strings.Split(p, string(filepath.Separator))
	at := dir
	for i, part := range parts {
		at = filepath.Join(at, part)
		fi, err := os.Lstat(at)
		if err != nil {
			return err
		}
		last := i == len(parts)-1
		if last && !fi.Mode().IsRegular() || !last && !fi.IsDir() {
			return errNotOurs
		}
	}
	if got, err := fileSum(at); err != nil {
		return err
	} else if got != sum {
		return errNotOurs // changed since, or never the report's
	}
	if err := os.Remove(at); err != nil {
		return err
	}
	if len(parts) > 1 {
		os.Remove(filepath.Dir(at)) // only when empty: a site left out
	}
	return nil
}

// castagnoli is CRC-32C, which the processor computes (SSE 4.2, ARMv8).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// newSum starts the checksum of a file the report writes.
func newSum() hash.Hash32 { return crc32.New(castagnoli) }

// sumOf is a checksum as the list writes it: 8 hex digits.
func sumOf(h hash.Hash32) string { return hex.EncodeToString(h.Sum(nil)) }

// fileSum is the checksum of the file name (sumOf).
func fileSum(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := newSum()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return sumOf(h), nil
}

// ErrNotOurs means the report folder holds a file of a name the report
// writes that no report wrote, or that was changed since one did (a
// hand-made index.html, notes saved over a line's CSV): the report does
// not overwrite it, and writes nothing (*NotOursError names them).
var ErrNotOurs = errors.New("report: the folder holds files of the names this report writes that no report wrote, or that were changed since")

// NotOursError is ErrNotOurs with the files, relative to the folder,
// with "/", sorted.
type NotOursError struct{ Files []string }

// maxNamed is how many files a NotOursError's message names; it counts
// the others.
const maxNamed = 10

func (e *NotOursError) Error() string {
	names := e.Files
	more := ""
	if len(names) > maxNamed {
		names, more = names[:maxNamed], fmt.Sprintf(" and %d more", len(e.Files)-maxNamed)
	}
	was := "were"
	if len(e.Files) == 1 {
		was = "was"
	}
	return fmt.Sprintf("report: it would replace %s that no report wrote, or that %s changed since: %s%s; nothing was written",
		Count(len(e.Files), "file"), was, strings.Join(names, ", "), more)
}

func (e *NotOursError) Unwrap() error { return ErrNotOurs }
