package slmgr

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// expectation is a sample's .expect file: the fields a person read in the
// text, independent of the parser. A field the text does not state is
// absent and not counted.
type expectation struct {
	products int
	list     []map[string]string // per product: name, kind, channel, status, key, grace
}

// fields are the fields counted per product, in the order of the table.
var fields = []string{"kind", "channel", "status", "key", "grace"}

func readExpectation(path string) (*expectation, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	e := &expectation{products: -1}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("%s:%d: not field: value", path, n)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case k == "products":
			if e.products, err = strconv.Atoi(v); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, n, err)
			}
		case k == "product":
			e.list = append(e.list, map[string]string{"name": v})
		case len(e.list) > 0 && contains(fields, k):
			e.list[len(e.list)-1][k] = v
		default:
			return nil, fmt.Errorf("%s:%d: unknown field %q", path, n, k)
		}
	}
	if e.products != len(e.list) {
		return nil, fmt.Errorf("%s: products: %d but %d listed", path, e.products, len(e.list))
	}
	return e, sc.Err()
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func fieldOf(p licensing.Product, f string) string {
	switch f {
	case "kind":
		return string(p.Kind)
	case "channel":
		return string(p.Channel)
	case "status":
		return string(p.Status)
	case "key":
		return p.PartialKey
	case "grace":
		if p.GraceMinutes == nil {
			return ""
		}
		return strconv.Itoa(*p.GraceMinutes)
	}
	return ""
}

// score compares a result with an expectation: the product count is one
// field, then each stated field of each product. Expected products are
// matched to read ones by name (ignoring case), a nameless one to the
// first read product left.
func score(res *Result, e *expectation) (right, stated int, misses []string, perField map[string][2]int) {
	perField = map[string][2]int{}
	count := func(f string, ok bool) {
		c := perField[f]
		c[1]++
		stated++
		if ok {
			c[0]++
			right++
		}
		perField[f] = c
	}
	count("products", len(res.Products) == e.products)
	if len(res.Products) != e.products {
		misses = append(misses, fmt.Sprintf("products %d, want %d", len(res.Products), e.products))
	}
	used := make([]bool, len(res.Products))
	for i, want := range e.list {
		got := -1
		for j, p := range res.Products {
			if !used[j] && (want["name"] == "" || strings.EqualFold(strings.TrimSpace(p.Name), want["name"])) {
				got = j
				break
			}
		}
		if got >= 0 {
			used[got] = true
		}
		for _, f := range fields {
			w, ok := want[f]
			if !ok {
				continue
			}
			g := "(none)"
			if got >= 0 {
				g = fieldOf(res.Products[got], f)
			}
			count(f, g == w)
			if g != w {
				if g == "" {
					g = "(empty)"
				}
				misses = append(misses, fmt.Sprintf("p%d %s %s, want %s", i+1, f, g, w))
			}
		}
	}
	return right, stated, misses, perField
}

// accuracySection is one table of docs/parsers.md kept by a test: the
// texts it measures and the markers around it.
type accuracySection struct {
	glob       string // the texts, relative to the package
	label      string // what the total line calls them
	begin, end string
}

var (
	// samplesSection measures shared/samples, copied to testdata/samples.
	samplesSection = accuracySection{
		glob:  filepath.Join("testdata", "samples", "*", "*.txt"),
		label: "All samples",
		begin: "<!-- accuracy:begin (go test ./pkg/slmgr -update) -->\n",
		end:   "<!-- accuracy:end -->\n",
	}
	// harvestSection measures the texts harvested from public pastes
	// after the parsers were written (testdata/harvest/SOURCES.md).
	harvestSection = accuracySection{
		glob:  filepath.Join("testdata", "harvest", "*", "*.txt"),
		label: "All harvested texts",
		begin: "<!-- harvest:begin (go test ./pkg/slmgr -update) -->\n",
		end:   "<!-- harvest:end -->\n",
	}
)

// TestAccuracy measures the parsers on every real sample against its
// hand-written .expect file and keeps the table in docs/parsers.md; go
// test ./pkg/slmgr -update rewrites it. It fails if the page is stale or
// a sample lacks its expectation; it does not fail on misses: it
// measures them.
func TestAccuracy(t *testing.T) {
	measureSection(t, samplesSection)
}

// TestHarvestAccuracy measures the parsers in the same way on the texts
// of testdata/harvest, which were not looked at when the parsers were
// written, and keeps their table in docs/parsers.md.
func TestHarvestAccuracy(t *testing.T) {
	measureSection(t, harvestSection)
}

func measureSection(t *testing.T, sec accuracySection) {
	paths, err := filepath.Glob(sec.glob)
	if err != nil || len(paths) == 0 {
		t.Fatalf("no texts under %s: %v", sec.glob, err)
	}
	var rows bytes.Buffer
	total := map[string][2]int{}
	dirs := map[string][2]int{}
	var dirOrder []string
	allRight, allStated := 0, 0
	for _, path := range paths {
		e, err := readExpectation(strings.TrimSuffix(path, ".txt") + ".expect")
		if err != nil {
			t.Errorf("%v (every text needs a hand-written .expect)", err)
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res, _ := Parse(data, Options{})
		right, stated, misses, per := score(res, e)
		for f, c := range per {
			tc := total[f]
			total[f] = [2]int{tc[0] + c[0], tc[1] + c[1]}
		}
		dir := filepath.Base(filepath.Dir(path))
		if _, ok := dirs[dir]; !ok {
			dirOrder = append(dirOrder, dir)
		}
		d := dirs[dir]
		dirs[dir] = [2]int{d[0] + right, d[1] + stated}
		allRight += right
		allStated += stated
		m := ""
		if len(misses) > 0 {
			m = strings.Join(misses, "; ")
		}
		fmt.Fprintf(&rows, "| %s/%s | %d / %d | %s |\n", dir, filepath.Base(path), right, stated, m)
	}
	var b bytes.Buffer
	b.WriteString(sec.begin)
	fmt.Fprintf(&b, "\n**%s: %d of %d stated fields right (%.1f %%).**\n\n", sec.label, allRight, allStated, pct(allRight, allStated))
	b.WriteString("| samples | fields right / stated |\n|---|---|\n")
	for _, d := range dirOrder {
		fmt.Fprintf(&b, "| %s | %d / %d (%.1f %%) |\n", d, dirs[d][0], dirs[d][1], pct(dirs[d][0], dirs[d][1]))
	}
	b.WriteString("\n| field | right / stated |\n|---|---|\n")
	for _, f := range append([]string{"products"}, fields...) {
		fmt.Fprintf(&b, "| %s | %d / %d |\n", f, total[f][0], total[f][1])
	}
	b.WriteString("\n| sample | fields right / stated | what differs |\n|---|---|---|\n")
	b.Write(rows.Bytes())
	b.WriteString("\n" + sec.end)

	doc := filepath.Join("..", "..", "docs", "parsers.md")
	old, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(old, []byte(sec.begin)), bytes.Index(old, []byte(sec.end))
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers %q", doc, strings.TrimSpace(sec.begin))
	}
	got := append(append(append([]byte{}, old[:i]...), b.Bytes()...), old[j+len(sec.end):]...)
	if *update {
		if err := os.WriteFile(doc, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got, old) {
		t.Errorf("%s is stale: run go test ./pkg/slmgr -update and review the diff", doc)
	}
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
