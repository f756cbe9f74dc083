package fleet

import (
	"path/filepath"
	"runtime"
	"testing"
)

// TestInsideAny: a path is inside a named folder when one of its parents
// is; a root (its own parent) is inside nothing, even when it is named.
func TestInsideAny(t *testing.T) {
	root := "/"
	if runtime.GOOS == "windows" {
		root = `S:\`
	}
	stick := filepath.Join(root, "stick")
	tests := []struct {
		path string
		dirs []string
		want bool
	}{
		{root, []string{root}, false},
		{stick, []string{root}, true},
		{filepath.Join(stick, "bundles", "a.tar.zst.age"), []string{stick}, true},
		{stick, []string{stick}, false},
		{filepath.Join(root, "sticks"), []string{stick}, false},
	}
	for _, tc := range tests {
		dirs := map[string]bool{}
		for _, d := range tc.dirs {
			dirs[d] = true
		}
		if got := insideAny(tc.path, dirs); got != tc.want {
			t.Errorf("insideAny(%s, %v) = %v, want %v", tc.path, tc.dirs, got, tc.want)
		}
	}
}

// TestSurrogateEscape: a \uD800 to \uDFFF escape, in any case, is found
// wherever it is; other escapes are not taken for one.
func TestSurrogateEscape(t *testing.T) {
	for in, want := range map[string]bool{
		`{"a":"x"}`:             false,
		`{"a":"\u00e9\u7d44"}`:  false,
		`{"a":"\ud800"}`:        true,
		`{"a":"\uDFFF"}`:        true,
		`{"a":"\u0041\uDbFf"}`:  true,
		`{"a":"\ud83d\ude00"}`:  true, // a pair: stored in UTF-8 all the same
		`{"a":"\ue000\uc800"}`:  false,
		`{"a":"\u"}`:            false,
		`{"a":"x"}\u`:           false,
		`{"a":"\u12"}` + `\uD8`: true,
	} {
		if got := surrogateEscape([]byte(in)); got != want {
			t.Errorf("surrogateEscape(%s) = %v, want %v", in, got, want)
		}
	}
}
