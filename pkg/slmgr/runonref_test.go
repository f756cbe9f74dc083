package slmgr

import (
	"math/rand"
	"os"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"
)

// refRunOnSet is runOnSet as it was before its automaton: labels
// grouped by their first byte or rune, each of a group tried in the
// set's order at every position of a line that begins with its
// character (refSlmgrRunOnPieces). It is the reference the automaton
// is held to (TestRunOnReference), and what BenchmarkRunOnHostile
// compares it with: with an slmgr.ini of many distinct long labels,
// every label of a group was compared at every position, up to 256
// bytes each time.
type refRunOnSet struct {
	labels  []string
	line    map[string]bool
	first   [256]bool
	ascii   [utf8.RuneSelf][]string
	runes   []refRuneLabels
	invalid bool
}

type refRuneLabels struct {
	r      rune
	labels []string
}

func newRefRunOnSet(labels []string, line map[string]bool) *refRunOnSet {
	s := &refRunOnSet{labels: labels, line: line}
	keys := make([]rune, len(labels))
	order := make([]int, len(labels))
	for i, lb := range labels {
		s.first[lb[0]] = true
		r, size := rune(lb[0]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(lb)
		}
		if r == utf8.RuneError && size <= 1 {
			s.invalid = true
		}
		keys[i], order[i] = r, i
	}
	sort.SliceStable(order, func(a, b int) bool { return keys[order[a]] < keys[order[b]] })
	grouped := make([]string, len(labels))
	for i, j := range order {
		grouped[i] = labels[j]
	}
	for from := 0; from < len(order); {
		r, to := keys[order[from]], from+1
		for to < len(order) && keys[order[to]] == r {
			to++
		}
		if g := grouped[from:to:to]; r < utf8.RuneSelf {
			s.ascii[r] = g
		} else {
			s.runes = append(s.runes, refRuneLabels{r, g})
		}
		from = to
	}
	return s
}

func (s *refRunOnSet) at(t string) []string {
	switch {
	case s.invalid:
		return s.labels
	case t[0] < utf8.RuneSelf:
		return s.ascii[t[0]]
	}
	r, _ := utf8.DecodeRuneInString(t)
	lo, hi := 0, len(s.runes)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.runes[m].r < r {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(s.runes) && s.runes[lo].r == r {
		return s.runes[lo].labels
	}
	return nil
}

// refOf is the reference set of set's labels.
func refOf(set *runOnSet) *refRunOnSet { return newRefRunOnSet(set.labels, set.line) }

func refSlmgrRunOnPieces(l string, set *refRunOnSet) []string {
	if len(l) < 8 {
		return nil
	}
	cuts := make([]int, 0, strings.Count(l, ":")+1)
	seen := false
	for i := 0; i < len(l); {
		lb := ""
		if set.first[l[i]] {
			for _, c := range set.at(l[i:]) {
				if strings.HasPrefix(l[i:], c) {
					lb = c
					break
				}
			}
		}
		if lb == "" {
			i++
			continue
		}
		seen = seen || set.line[lb]
		cuts = append(cuts, i)
		i += len(lb)
	}
	if len(cuts) < 2 || !seen {
		return nil
	}
	if head := strings.TrimSpace(l[:cuts[0]]); head != "" && !noise(head) {
		return nil
	}
	return cutAt(l, cuts)
}

// hostileStrings returns an slmgr.ini of the given labels, one a key
// of runOnKeys (in their sorted order), parsed.
func hostileStrings(tb testing.TB, label func(i int, en string) string) *Strings {
	keys := make([]string, 0, len(runOnKeys))
	for k := range runOnKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var ini strings.Builder
	ini.WriteString("[Strings]\r\n")
	for i, k := range keys {
		ini.WriteString(k + "=\"" + label(i, runOnKeys[k]) + "\"\r\n")
	}
	s, err := ParseStrings([]byte(ini.String()), "xx")
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// hostileSets are slmgr.ini files made to be slow to split lines by:
// labels of up to maxRunOnLabel bytes that share all but their last
// character (each tried in full at every position of a line of that
// character), and whole-line labels that end one another.
func hostileSets(tb testing.TB) []struct {
	name string
	s    *Strings
	text string // a line of what the labels begin with
} {
	long := strings.Repeat("名", (maxRunOnLabel-6)/3)
	return []struct {
		name string
		s    *Strings
		text string
	}{
		{"long labels sharing a prefix", hostileStrings(tb, func(i int, en string) string {
			return long + string(rune(0x4E00+i)) + ":"
		}), strings.Repeat("名", 4000/3)},
		{"long labels sharing a prefix, lines of the prefix and a label", hostileStrings(tb, func(i int, en string) string {
			return long + string(rune(0x4E00+i)) + ":"
		}), strings.Repeat(long+"一:", 4000/(len(long)+4))},
		{"labels that end one another", hostileStrings(tb, func(i int, en string) string {
			if strings.HasSuffix(en, ":") {
				return strings.Repeat("名", 1+i%80) + ":"
			}
			return strings.Repeat("名", 1+i%80)
		}), strings.Repeat("名", 4000/3)},
	}
}

// TestRunOnReference: the automaton splits every line as the labels
// tried one by one did (refSlmgrRunOnPieces): every text under
// testdata and the samples, raw and run on, and random lines made of
// the labels' pieces, with English, a Japanese slmgr.ini, labels that
// begin with no whole rune, and hostile slmgr.ini files.
func TestRunOnReference(t *testing.T) {
	sets := labelSets(t)
	for _, h := range hostileSets(t) {
		sets = append(sets, labelSet{name: h.name, set: runOnSetOf([]*Strings{h.s})})
	}
	var texts []string
	texts = append(texts, jaDlv, runOnText(jaDlv, ""), runOnText(jaDlv, " "), "\xe5\x90\x8d\xe5\x90: \xff\xfe:x")
	for _, path := range allTexts(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := Decode(data)
		texts = append(texts, string(data), text, runOnText(text, ""), runOnText(text, " "))
	}
	for _, tc := range sets {
		t.Run(tc.name, func(t *testing.T) {
			ref := refOf(tc.set)
			check := func(l string) {
				t.Helper()
				if got, want := slmgrRunOnPieces(l, tc.set), refSlmgrRunOnPieces(l, ref); strings.Join(got, "|") != strings.Join(want, "|") || (got == nil) != (want == nil) {
					t.Fatalf("line %.60q…: got %q, want %q", l, got, want)
				}
			}
			for _, text := range texts {
				for _, l := range strings.Split(text, "\n") {
					if len(l) <= maxLine {
						check(l)
					}
				}
			}
			// Random lines of pieces of the labels (whole, cut at any
			// byte, one byte), noise and prompts, and bytes.
			r := rand.New(rand.NewSource(23))
			pieces := []string{"C:\\>", "PS C:\\> slmgr /dli ", " ", ":", "：", "x", "名", "\xe5", "\x90", "\xff", "Name: ", "License Status: "}
			for _, lb := range tc.set.labels {
				pieces = append(pieces, lb, lb[:r.Intn(len(lb))+1], lb[r.Intn(len(lb)):])
			}
			for n := 0; n < 20000; n++ {
				var b strings.Builder
				for k := r.Intn(12); k >= 0; k-- {
					b.WriteString(pieces[r.Intn(len(pieces))])
				}
				check(b.String())
			}
		})
	}
}

// BenchmarkRunOnHostile splits lines of 4 KiB (4 MiB in all) that hold
// what a hostile slmgr.ini's labels begin with, by the set's
// automaton (slmgrRunOnPieces) and by the labels tried one by one
// (reference, as before it), and parses the text with that slmgr.ini.
func BenchmarkRunOnHostile(b *testing.B) {
	const size = 4 << 20
	for _, h := range hostileSets(b) {
		set := runOnSetOf([]*Strings{h.s})
		ref := refOf(set)
		n := size / (len(h.text) + 1)
		b.Run(h.name+"/reference", func(b *testing.B) {
			b.SetBytes(size)
			for i := 0; i < b.N; i++ {
				for k := 0; k < n; k++ {
					refSlmgrRunOnPieces(h.text, ref)
				}
			}
		})
		b.Run(h.name+"/automaton", func(b *testing.B) {
			b.SetBytes(size)
			for i := 0; i < b.N; i++ {
				for k := 0; k < n; k++ {
					slmgrRunOnPieces(h.text, set)
				}
			}
		})
		text := []byte(strings.Repeat(h.text+"\n", n))
		b.Run(h.name+"/Parse", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				Parse(text, Options{Strings: []*Strings{h.s}})
			}
		})
	}
}

// FuzzRunOnCuts: the automaton of any set of labels (none empty, each
// under runOnRing bytes, longer first; a fuzzed label repeated up to
// 600 bytes, a line repeated up to 40 times) cuts a line where the
// labels tried one by one at every position, longest first, do, and
// sees a product block's line where they do.
func FuzzRunOnCuts(f *testing.F) {
	f.Add("ab\x00abc\x00b\x00bca", "abcabcbcaab", uint16(3))
	f.Add("a\x00aa\x00aaa", "aaaaaaaaaa", uint16(0))
	f.Fuzz(func(t *testing.T, labs string, line string, rep uint16) {
		var labels []string
		seen := map[string]bool{}
		for _, l := range strings.Split(labs, "\x00") {
			if int(rep)%7 == 1 && len(l) > 0 {
				l = strings.Repeat(l, int(rep)%600/len(l)+1)
			}
			if l == "" || len(l) >= runOnRing || seen[l] {
				continue
			}
			seen[l] = true
			labels = append(labels, l)
		}
		if len(labels) == 0 {
			return
		}
		if int(rep)%5 == 2 {
			line = strings.Repeat(line, int(rep)%40+1)
		}
		sort.SliceStable(labels, func(i, j int) bool { return len(labels[i]) > len(labels[j]) })
		line2 := map[string]bool{labels[0]: true}
		s := newRunOnSet(labels, line2)
		got, gs := s.cuts(line, nil)
		var want []int
		ws := false
		for i := 0; i < len(line); {
			lb := ""
			for _, c := range labels {
				if strings.HasPrefix(line[i:], c) {
					lb = c
					break
				}
			}
			if lb == "" {
				i++
				continue
			}
			want = append(want, i)
			ws = ws || line2[lb]
			i += len(lb)
		}
		if len(got) != len(want) || gs != ws {
			t.Fatalf("labels %q line %q: got %v %v, want %v %v", labels, line, got, gs, want, ws)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("labels %q line %q: got %v, want %v", labels, line, got, want)
			}
		}
	})
}
