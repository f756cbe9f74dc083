package report

import (
	"html/template"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/classify"
)

// hostile values: markup, quotes, a plus, NUL, invalid UTF-8, a
// template's own delimiters, a URL's specials.
var hostile = []string{"", "plain", `<script>alert("x")</script>`, "a&b'c+d", "nul\x00nul", "bad\xff\xfeutf8", "{{.T}}",
	"#frag?q=1&x=%41/ :;", "  spaced  ", "改行\r\n漢字", "\u2028\ufffd\U0001F600", "_x0041_ _x005F_x0041_"}

// view builds a device view from values; the category picks the colour,
// as newDeviceView does.
func view(t *texts, head string, cat int, vals []string) deviceView {
	at := func(i int) string { return vals[i%len(vals)] }
	c := classify.Categories[cat%len(classify.Categories)]
	v := deviceView{T: t, ProductHead: productHeadOf(head), ID: at(0), Asset: at(1), Hostname: at(2), Action: at(3), Deadline: at(4),
		DeadlineClass: at(5), Category: at(6), First: at(7), Colour: catColour[c], System: at(8), Evidence: at(9)}
	n := cat % 3
	for i := 0; i < n; i++ {
		v.Reasons = append(v.Reasons, reasonView{at(10 + i), at(11 + i), at(12 + i)})
		v.Flags = append(v.Flags, reasonView{Text: at(13 + i)})
		v.Steps = append(v.Steps, at(14+i))
		v.Products = append(v.Products, productView{at(i), at(i + 1), at(i + 2), at(i + 3), at(i + 4), at(i + 5), at(i + 6)})
		v.Raw = append(v.Raw, rawView{at(i + 7), at(i + 8), at(i + 9)})
	}
	return v
}

// productHeadOf renders the product tables' head, which a device shows
// as given (it is HTML the "productHead" template wrote).
func productHeadOf(l string) template.HTML {
	h, err := productHead(lang(classify.Lang(l)))
	if err != nil {
		panic(err)
	}
	return h
}

// checkDeviceHTML compares what the code writes with what the templates
// would.
func checkDeviceHTML(t *testing.T, v *deviceView) {
	t.Helper()
	for _, c := range []struct {
		name  string
		write func(*strings.Builder, *deviceView)
	}{{"deviceRow", deviceRow}, {"device", deviceSection}} {
		var want, got strings.Builder
		if err := tmpl.ExecuteTemplate(&want, c.name, v); err != nil {
			t.Fatal(err)
		}
		c.write(&got, v)
		if got.String() != want.String() {
			t.Fatalf("%s differs from its template for %+v:\n got %q\nwant %q", c.name, *v, got.String(), want.String())
		}
	}
}

// TestDeviceHTML: the device rows and sections written by code are the
// bytes their templates give, for hostile values in every field, every
// category, with and without the optional parts, in both languages.
func TestDeviceHTML(t *testing.T) {
	for _, l := range []classify.Lang{classify.English, classify.Japanese} {
		tx := lang(l)
		for cat := 0; cat < 6; cat++ {
			for shift := range hostile {
				vals := append(append([]string{}, hostile[shift:]...), hostile[:shift]...)
				v := view(tx, string(l), cat, vals)
				checkDeviceHTML(t, &v)
			}
		}
	}
	// A category with no colour (none is unknown today) leaves the
	// style's value empty, as the template does.
	v := view(lang(classify.English), "en", 0, hostile)
	v.Colour = ""
	checkDeviceHTML(t, &v)
}

func FuzzDeviceHTML(f *testing.F) {
	f.Add(0, "d1", "NG-L1", "host", "<b>", "a&b", "'q'+\"", "\x00\xff")
	f.Add(5, "id with space#?", "", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, cat int, a, b, c, d, e, g, h string) {
		if cat < 0 {
			cat = -cat
		}
		v := view(lang(classify.English), "en", cat%6, []string{a, b, c, d, e, g, h})
		checkDeviceHTML(t, &v)
	})
}

func TestURLEsc(t *testing.T) {
	for _, tc := range []struct{ in, want string }{{"d12", "d12"}, {"a b", "a%20b"}, {"#?&=/", "%23%3f%26%3d%2f"}, {"é~._-", "%c3%a9~._-"},
		{"", ""}} {
		if got := urlEsc(tc.in); got != tc.want {
			t.Errorf("urlEsc(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
