package main

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// japaneseLiterals are the string literals of the collector's own files
// (not its tests) that hold Japanese, by file and line.
func japaneseLiterals(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	all := map[string]string{}
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != gotoken.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			if hasJapanese(s) {
				all[fset.Position(lit.Pos()).String()] = s
			}
			return true
		})
	}
	return all
}

// TestJapaneseWords holds what the engineer reads in Japanese to one
// word for one thing, the words of the reports central staff read and
// of Windows: this machine is 端末 (not PC, コンピューター, デバイス),
// the collector 収集プログラム, the Installation ID インストール ID, and
// activation ライセンス認証 (認証 alone is authentication), but in the
// short status words 未認証 and 認証済み under the heading ライセンス認証.
func TestJapaneseWords(t *testing.T) {
	all := japaneseLiterals(t)
	if len(all) < 100 {
		t.Fatalf("got %d Japanese literals, want the collector's", len(all))
	}
	bad := []struct{ word, want string }{
		{"この PC", "この端末"}, {"コンピューター", "端末"}, {"デバイス", "端末"},
		{"コレクター", "収集プログラム"}, {"収集ツール", "収集プログラム"}, {"IID", "インストール ID"},
	}
	for pos, s := range all {
		// A line of both languages ("Activation / ライセンス認証:")
		// is checked in its Japanese parts.
		var ja []string
		for _, part := range strings.Split(s, " / ") {
			if hasJapanese(part) {
				ja = append(ja, part)
			}
		}
		s := strings.Join(ja, " / ")
		for _, b := range bad {
			if strings.Contains(s, b.word) {
				t.Errorf("%s: got %q, want %s for %s", pos, s, b.want, b.word)
			}
		}
		rest := s
		for _, ok := range []string{"ライセンス認証", "未認証", "認証済み"} {
			rest = strings.ReplaceAll(rest, ok, "")
		}
		if strings.Contains(rest, "認証") {
			t.Errorf("%s: got %q, want ライセンス認証, not 認証 alone", pos, s)
		}
	}
}

// hasJapanese reports whether s holds a kana or a kanji.
func hasJapanese(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han) {
			return true
		}
	}
	return false
}
