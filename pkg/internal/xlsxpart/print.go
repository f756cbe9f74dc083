package xlsxpart

import (
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// Print is how a sheet prints (SetPrint): always on A4 paper, landscape,
// with Excel's narrow margins and a footer of Left on the left, Centre
// in the centre and the page of pages on the right. Left and Centre are
// texts as the sheet's cells show them (a caller shows a hidden
// character as it does in its cells); SetPrint doubles their & and cuts
// them to the footer's room.
type Print struct {
	Left, Centre string
	// Pages is the page of pages on the right, in a footer's codes (&P
	// the page, &N the pages; an & of its own text doubled): "&P / &N"
	// when empty.
	Pages string
	// FitWidth prints the sheet one page wide and as tall as it takes;
	// else at 100 %, over as many pages across as it takes.
	FitWidth bool
	// HeaderRow prints row 1, a header, on top of every page, and
	// KeyColumn column A, which names the row's subject, on the left of
	// every page across.
	HeaderRow, KeyColumn bool
}

// SetPrint sets how sheet prints, p: on A4 paper (paperSize 9, ECMA-376
// Part 1, 18.3.1.63), landscape, with Excel's narrow margins (inches),
// and its footer, print titles (the sheet's _xlnm.Print_Titles) and
// scaling as p says. Printed as Excel's defaults had it, a sheet
// wider than a page came out portrait over many pages, its header on
// the first only. excelize writes what it sets in the schema's order
// (CT_Worksheet: sheetPr, ..., pageMargins, pageSetup, headerFooter).
//
// It is a sheet's setting, not a row's: a sheet of 100,000 rows costs
// it no more than one of ten. Set it before a StreamWriter starts,
// which copies sheetPr then.
func SetPrint(f *excelize.File, sheet string, p Print) error {
	size, orient := 9, "landscape"
	layout := &excelize.PageLayoutOptions{Size: &size, Orientation: &orient}
	if p.FitWidth {
		wide, tall, fit := 1, 0, true
		layout.FitToWidth, layout.FitToHeight = &wide, &tall
		if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
			return err
		}
	}
	side, edge, band := 0.25, 0.75, 0.3
	for _, err := range []error{f.SetPageLayout(sheet, layout),
		f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &edge, Bottom: &edge,
			Header: &band, Footer: &band}),
		f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: footer(p.Left, p.Centre, p.Pages)})} {
		if err != nil {
			return err
		}
	}
	var titles []string
	if p.KeyColumn {
		titles = append(titles, SheetRef(sheet)+"!$A:$A")
	}
	if p.HeaderRow {
		titles = append(titles, SheetRef(sheet)+"!$1:$1")
	}
	if titles == nil {
		return nil
	}
	// Excel's print titles are the sheet's own (scoped) built-in name:
	// its columns, then its rows.
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: strings.Join(titles, ","), Scope: sheet})
}

// SheetRef is sheet as a formula names it, in apostrophes, each of its
// own doubled, as Excel writes a name that is more than letters and
// digits (quoted, a plain name is read as well):
//
//	'Line O''Brien'!$1:$1
func SheetRef(sheet string) string { return "'" + strings.ReplaceAll(sheet, "'", "''") + "'" }

// footer is a sheet's printed footer: left on the left, centre in the
// centre, pages on the right ("&P / &N" when empty: page / pages). Excel
// takes at most 255 UTF-16 units (excelize refuses more): each text gets
// half of what the codes and pages leave.
func footer(left, centre, pages string) string {
	if pages == "" {
		pages = "&P / &N"
	}
	const max = 255
	room := (max - len("&L") - len("&C") - len("&R") - len(utf16.Encode([]rune(pages)))) / 2
	return "&L" + footerText(left, room) + "&C" + footerText(centre, room) + "&R" + pages
}

// footerText is s as a footer's text that prints s: each & doubled, or
// a name holding "&P" would print the page number there (and "&L" move
// the rest), a control or non-XML character as _. Over n UTF-16 units
// it is cut, between characters, never within an "&&", and ends in "…".
func footerText(s string, n int) string {
	var b strings.Builder
	units, cutAt := 0, -1
	for _, r := range s {
		if unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' {
			r = '_'
		}
		u := 1
		if r == '&' || r > 0xFFFF { // doubled, or a surrogate pair
			u = 2
		}
		if cutAt < 0 && units+u > n-1 {
			cutAt = b.Len() // where "…" goes if the rest does not fit
		}
		if units += u; units > n {
			return b.String()[:cutAt] + "…"
		}
		if r == '&' {
			b.WriteByte('&')
		}
		b.WriteRune(r)
	}
	return b.String()
}
