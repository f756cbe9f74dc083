package report

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
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
// (FilesList), and the next one removes those of them it did not write
// again, and nothing else: not a file the user put there, not one the
// list names outside the folder or through a link.

// FilesList is the file in a report folder that lists the files the
// report wrote, one path relative to the folder per line (with "/"),
// after its first line, filesListHead.
const FilesList = ".actcourier-report"

const filesListHead = "actcourier-report-files/1"

// maxFilesList bounds what is read of a folder's list: a report of
// 1,000,000 devices over 2,000 lines names about 10,000 files.
const maxFilesList = 16 << 20

// reportExt are the extensions of the files a report writes: only such
// files are removed.
var reportExt = map[string]bool{".html": true, ".csv": true, ".json": true, ".xlsx": true}

// track records a file this run wrote; any goroutine may call it.
func (w *Writer) track(name string) {
	w.mu.Lock()
	w.made = append(w.made, name)
	w.mu.Unlock()
}

// earlierFiles reads the folder's list of the files an earlier report
// wrote. A missing, foreign or unreadable list names none.
func earlierFiles(dir string) []string {
	f, err := os.Open(filepath.Join(dir, FilesList))
	if err != nil {
		return nil
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFilesList+1))
	if err != nil || len(b) > maxFilesList {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	if lines[0] != filesListHead {
		return nil
	}
	var out []string
	for _, l := range lines[1:] {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
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

// sameFile folds a listed name as the file systems reports go to
// compare names (Windows and macOS ignore case), so that a site renamed
// only in case is not removed as the earlier run's file it overwrote.
func sameFile(rel string) string { return foldKey(norm.NFC.String(rel)) }

// finishFolder removes the files an earlier report listed that this one
// did not write, then lists this report's files, keeping the earlier
// ones it could not remove. With complete false (a report that failed
// part way), nothing is removed and the list names both runs' files, so
// the next whole report removes what this one left. It returns the
// removed files, relative to the folder.
func (w *Writer) finishFolder(complete bool) ([]string, error) {
	w.mu.Lock()
	made := append([]string(nil), w.made...)
	w.mu.Unlock()
	keep := map[string]bool{}
	var list []string
	for _, name := range made {
		if rel, ok := w.relName(name); ok && !keep[sameFile(rel)] {
			keep[sameFile(rel)] = true
			list = append(list, rel)
		}
	}
	var removed []string
	for _, rel := range earlierFiles(w.dir) {
		if keep[sameFile(rel)] {
			continue
		}
		if complete {
			switch err := removeListed(w.dir, rel); {
			case err == nil:
				removed = append(removed, rel)
				continue
			case errors.Is(err, errNotOurs), errors.Is(err, os.ErrNotExist):
				continue // not ours to remove, or gone: not listed again
			}
		}
		if ok := filepath.IsLocal(filepath.FromSlash(rel)); ok {
			keep[sameFile(rel)] = true
			list = append(list, rel)
		}
	}
	sort.Strings(list)
	var b bytes.Buffer
	b.WriteString(filesListHead + "\n")
	for _, rel := range list {
		b.WriteString(rel)
		b.WriteByte('\n')
	}
	err := writeFile(filepath.Join(w.dir, FilesList), func(f *bufio.Writer) error {
		_, err := f.Write(b.Bytes())
		return err
	})
	return removed, err
}

// errNotOurs is a listed name that is no report file in the folder.
var errNotOurs = errors.New("not a report file")

// removeListed removes the listed file rel of the folder dir, and its
// folder if that is left empty, when it is a report's kind of file, a
// plain file, inside the folder, and no folder on the way is a link.
// A file already gone is an os.ErrNotExist.
func removeListed(dir, rel string) error {
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
	if err := os.Remove(at); err != nil {
		return err
	}
	if len(parts) > 1 {
		os.Remove(filepath.Dir(at)) // only when empty: a site left out
	}
	return nil
}
