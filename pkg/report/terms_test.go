package report

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// textsOf are every string of tx, its maps' values included, by field.
func textsOf(tx *texts) map[string]string {
	all := map[string]string{}
	v := reflect.ValueOf(tx).Elem()
	for i := 0; i < v.NumField(); i++ {
		name, f := v.Type().Field(i).Name, v.Field(i)
		switch f.Kind() {
		case reflect.String:
			all[name] = f.String()
		case reflect.Map:
			for _, k := range f.MapKeys() {
				all[fmt.Sprintf("%s[%v]", name, k)] = f.MapIndex(k).String()
			}
		}
	}
	return all
}

// TestJapaneseReportTerms holds the Japanese reports to one word for one
// thing: a device is 端末 in every table, and the collector is
// 収集プログラム, as its own screens, the launcher and the stick's guide
// call it to the engineer whose name stands beside it in the evidence;
// activation is ライセンス認証.
func TestJapaneseReportTerms(t *testing.T) {
	all := textsOf(&japanese)
	if len(all) < 100 {
		t.Fatalf("got %d Japanese texts, want every field's", len(all))
	}
	for name, s := range all {
		for _, w := range []struct{ bad, want string }{
			{"デバイス", "端末"},
			{"収集ツール", "収集プログラム"},
			{"コレクター", "収集プログラム"},
		} {
			if strings.Contains(s, w.bad) {
				t.Errorf("%s: got %q, want %s for %s", name, s, w.want, w.bad)
			}
		}
		// A cell of a plan or a note stands alone: 認証 there says
		// authentication; activation is ライセンス認証 (classify's
		// actions and reasons say it so).
		if strings.Contains(strings.ReplaceAll(s, "ライセンス認証", ""), "認証") {
			t.Errorf("%s: got %q, want ライセンス認証, not 認証 alone", name, s)
		}
	}
}
