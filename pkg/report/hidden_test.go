package report

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/classify"
)

// TestHiddenCharacters: a bidi control (U+202E makes "FA-110-2L" read
// "FA-L2-011"), a zero-width character or one drawn blank (a Hangul
// filler, a variation selector, U+2800) in a site, line, asset or host
// name reaches no page, CSV file or workbook raw: each shows it as
// \u202e, as the terminal does. The JSON files keep the data as it was
// stored. Before, the pages, CSV files and workbook wrote them raw. A
// host name that holds the six characters \u202e is shown with its
// backslash doubled, \\u202e, not as the one holding U+202E is: before,
// the two read the same.
func TestHiddenCharacters(t *testing.T) {
	const (
		site = "Na\u2066go\u3164ya"
		line = "L\u202e9\ufe0f"
		host = "FA-\u202e110-2L"
		// forged writes what host is shown as.
		forged = `FA-\u202e110-2L`
	)
	hidden := []string{"\u202e", "\u2066", "\u200b", "\u200f", "\u061c", "\u3164", "\ufe0f", "\u2800", "\u034f"}
	for _, l := range []classify.Lang{classify.English, classify.Japanese} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: l, AsOf: asOf, Generated: asOf, Generator: "t\u200fest"})
		if err != nil {
			t.Fatal(err)
		}
		lines, pools := fleet(t)
		d := lines[[2]string{"Nagoya", "L2"}][0]
		d.Site, d.Line, d.Hostname, d.Asset, d.Engineer = site, line, host, "NG-\u200bL2-011\u2800", "E-\u061c1042\u034f"
		w.SetPool(site, *pools["Nagoya"])
		f := d
		f.Key, f.Asset, f.Hostname = "key-forged", "NG-L2-099", forged
		if err := w.Line(site, line, []Device{d, f}); err != nil {
			t.Fatal(err)
		}
		files, err := w.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 10 {
			t.Errorf("%s: %d files: %q", l, len(files), files)
		}
		for _, f := range files {
			rel, _ := filepath.Rel(dir, f)
			var texts []string
			if strings.HasSuffix(f, ".xlsx") {
				texts = zipTexts(t, f)
			} else {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				texts = []string{string(b)}
			}
			all := strings.Join(texts, "\n")
			if strings.HasSuffix(f, ".json") {
				if !strings.Contains(all, host) || !strings.Contains(all, `"FA-\\u202e110-2L"`) {
					t.Errorf("%s %s: the host names are not kept as stored", l, rel)
				}
				continue
			}
			for _, h := range hidden {
				if strings.Contains(all, h) {
					t.Errorf("%s %s holds %U raw", l, rel, []rune(h)[0])
				}
			}
			if !strings.HasSuffix(f, "index.html") {
				// Neither holds the other: FA- is followed by \u in one, \\ in the other.
				if !strings.Contains(all, `FA-\u202e110-2L`) {
					t.Errorf("%s %s does not show the host name as FA-\\u202e110-2L", l, rel)
				}
				if !strings.Contains(all, `FA-\\u202e110-2L`) {
					t.Errorf("%s %s does not show the host name holding \\u202e as FA-\\\\u202e110-2L", l, rel)
				}
			}
			if strings.HasSuffix(f, ".xlsx") && !strings.Contains(all, `L\u202e9\ufe0f`) {
				t.Errorf("%s %s does not name the line sheet L\\u202e9\\ufe0f", l, rel)
			}
		}
	}
}

// zipTexts reads every part of a workbook.
func zipTexts(t *testing.T, name string) []string {
	t.Helper()
	zr, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
