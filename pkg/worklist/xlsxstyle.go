package worklist

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// What a cell's formatting hides from a person looking at it in Excel
// (ECMA-376 Part 1, 18.8: styleSheet, cellXfs, numFmt, font, fill,
// color; 20.1.6.2 clrScheme): a cell's s names a cell format (cellXfs'
// xf, 0 when it names none), whose number format may show nothing of
// the value (";;;", Excel's own way to hide one: a text is shown by the
// fourth section only, and only where it holds @), or other than it
// (a literal of digits added, "123456-"@ or 0"1"; a number rounded,
// grouped or shown as a date: textHidden, numberHidden), and whose font may be
// of the colour behind it (its fill's, or the white sheet's where it has
// no fill: white on white). A colour is known for certain when it is
// given as rgb, by the palette's index (indexedColors, else Excel's
// default one), by the theme's colour scheme, or Automatic (black); two
// theme colours of one index and tint are one colour, whatever the
// theme. What is left: a tint on a colour (two colours are alike only
// with one tint), a pattern other than solid and a gradient (the text
// shows through some of it). A font too small to read (under minSize
// points) hides its text as surely. A rich text's runs (r, of an si or
// an is) that give their own font (rPr) are held to the same rules, with
// the same colours: each run that is not blank must be readable on its
// cell's fill. A run's own size wins over its cell's: a cell of 1 point
// whose every run that is not blank gives 11 shows 11-point digits. A
// superscript or subscript is held to it at the size it is drawn in
// (scriptScale), and so is every text at the sheet's zoom and shrunk to
// fit its column (xlsxview.go).
// Conditional formats (xlsxcond.go) are held to them too.

// cellStyles is what the workbook's styles say of its cell formats,
// by index (a cell's s): why a text, and a number, in a cell of one is
// not seen ("" when it is). err is the styles' or the theme's error:
// a part Excel reads that ReadXLSX cannot might hide a CID, and the
// workbook is refused with it once a record is read.
type cellStyles struct {
	read   bool // the workbook has a styles part
	xfs    []xfLook
	dxfs   []dxfLook // differential formats, of conditional formats
	ss     *styleSheet
	scheme []string // the theme's colours (theme)
	base   float64  // the Normal style's font size (points): font 0's, else defaultSize
	err    error
}

// defaultSize is the size (points) of Excel's default font, Calibri 11,
// that of a workbook without styles or whose font 0 gives none.
const defaultSize = 11

// xfLook is what a cell format shows of a value: why a text, and a
// number, is not seen in a cell of it ("" when it is), and its font's
// colour and size (points, 0 when not given) and the colour behind it,
// as a run of rich text or a conditional format is checked against.
type xfLook struct {
	text, number string
	font         colour
	textFont     colour // of its number format's text section ([White]@), unknown if none
	size         float64
	script       bool // its font is superscript or subscript: drawn at scriptScale of size
	back         fillLook
	small        bool // text is why its size is too small, and no more: a rich text's runs may give their own
	align        alignLook
}

// plain is the look of a cell of no cell format: Excel's default font,
// Automatic, on no fill.
var plain = xfLook{font: colour{rgb: "000000", theme: -1}, textFont: unknown, back: fillLook{colour: colour{rgb: "FFFFFF", theme: -1}, none: true}}

// minSize is the least font size (points) a person reviewing the sheet
// reads a CID in: Excel's list of sizes starts at 8; at 100 % zoom a
// 6-point font is 8 pixels high, its digits 5 to 6, about the least in
// which 48 digits can still be told apart; a font of 1 to 5 points
// shows a line of specks that nobody reads, hidden as surely as by a
// white font.
const minSize = 6

// fontLook is what a font, a run's properties (rPr) or a differential
// format's font says of its text: its colour, if it gives one
// (coloured), and its size (points, 0 when it gives none).
type fontLook struct {
	colour   colour
	coloured bool
	size     float64
	script   bool // vertAlign superscript or subscript
}

// scriptScale is the size a superscript or subscript is drawn in, of its
// font's: LibreOffice draws one at 58 % (DFLT_ESC_PROP, editeng's
// escapementitem.hxx), Word and Excel at about two thirds; the least is
// taken. A CID in 11 points superscript is drawn in 6.4, readable; in
// 10, 5.8 points, under minSize.
const scriptScale = 0.58

// drawn is the size (points) a text of a font of size points (0: the
// sheet's default, base) is drawn in, superscript or subscript if
// script.
func drawn(size, base float64, script bool) float64 {
	if size == 0 {
		size = base
	}
	if script {
		size *= scriptScale
	}
	return size
}

// alignLook is what a cell format's alignment (18.8.1) says of how its
// text is laid out: shrunk to fit its column (shrinkToFit, which Excel
// does not do to a text that wraps), indented by indent levels (on
// both sides for distributed), repeated to fill the cell (horizontal
// fill), in right-to-left reading order (readingOrder 2), or in the
// context's (0: none given).
type alignLook struct {
	shrink, wrap, both, fill bool
	indent                   int
	order                    int
}

// dxfLook is a differential format (dxfs' dxf), as a conditional format
// applies it over a cell's own: the colours it may give the font (its
// font's, its number format's) and the fill (a solid fill's colour is
// its bgColor in a dxf, its fgColor elsewhere: both are taken), and
// why its number format shows nothing of a text, a number, or other
// than it (textHidden, numberHidden).
type dxfLook struct {
	fonts, fills []colour
	text, number string
}

// colour is a colour as a file gives it: its RGB ("FFFFFF"), or, where
// that is not known, its theme index (theme >= 0); and its tint.
type colour struct {
	rgb   string
	theme int
	tint  string
}

// unknown is a colour that is like no other.
var unknown = colour{theme: -1}

// styleSheet is a styles part as read.
type styleSheet struct {
	numFmts map[int]string
	fonts   []fontLook
	fills   []fillLook
	xfs     []xfRef
	dxfs    []dxfLook
	palette []string // indexedColors, if given
}

// xfRef is a cell format as read: its numFmtId, fontId and fillId, and
// its alignment.
type xfRef struct {
	numFmt, font, fill int
	align              alignLook
}

// fillLook is the colour behind a cell of a fill, and whether it is none
// (the sheet's white).
type fillLook struct {
	colour
	none bool
}

// styles reads the styles part and the theme ("" when the workbook has
// none): a workbook without styles shows every value as it is.
func (wb *workbook) styles(part, theme string) *cellStyles {
	cs := &cellStyles{ss: &styleSheet{}, base: defaultSize}
	if part == "" || wb.parts[strings.ToLower(part)] == nil {
		return cs
	}
	cs.read = true
	scheme, err := wb.theme(theme)
	if err != nil {
		cs.err = err
		return cs
	}
	ss, err := wb.styleSheet(part)
	if err != nil {
		cs.err = err
		return cs
	}
	cs.ss, cs.scheme = ss, scheme
	if len(ss.fonts) > 0 && ss.fonts[0].size > 0 {
		// Font 0 is the Normal style's, as Excel writes it: the
		// size of a font that gives none, and of the characters
		// a column's width counts.
		cs.base = ss.fonts[0].size
	}
	type hides struct{ text, number string }
	formats := map[int]hides{}
	for _, x := range ss.xfs {
		h, ok := formats[x.numFmt]
		if !ok {
			code, custom := ss.numFmts[x.numFmt]
			h = hides{text: textHidden(code), number: numberHidden(x.numFmt, code, custom)}
			formats[x.numFmt] = h
		}
		look := plain
		if x.font < len(ss.fonts) {
			f := ss.fonts[x.font]
			look.font, look.size, look.script = f.colour, f.size, f.script
		}
		if x.fill < len(ss.fills) {
			look.back = ss.fills[x.fill]
		}
		look.align = x.align
		look.font, look.back.colour = cs.resolve(look.font), cs.resolve(look.back.colour)
		number := colourHidden(look.font, look.back)
		text := number
		if c, ok := formatColour(textSection(ss.numFmts[x.numFmt])); ok {
			look.textFont = cs.resolve(c)
			text = colourHidden(look.textFont, look.back)
		}
		look.text, look.number = h.text, h.number
		if look.text == "" {
			look.text = text
		}
		if look.number == "" {
			look.number = number
		}
		if look.text == "" && look.align.fill {
			look.text = fillHides
		}
		if look.number == "" && look.align.fill {
			look.number = fillHides
		}
		if size := drawn(look.size, cs.base, look.script); size < minSize {
			if look.text == "" {
				look.text, look.small = tooSmall(look.size, size, look.script), true
			}
			if look.number == "" {
				look.number = tooSmall(look.size, size, look.script)
			}
		}
		cs.xfs = append(cs.xfs, look)
	}
	for _, x := range ss.dxfs {
		for i := range x.fonts {
			x.fonts[i] = cs.resolve(x.fonts[i])
		}
		for i := range x.fills {
			x.fills[i] = cs.resolve(x.fills[i])
		}
		cs.dxfs = append(cs.dxfs, x)
	}
	return cs
}

// resolve is c given as RGB where the palette or the theme say which it
// is (styleSheet.resolve).
func (cs *cellStyles) resolve(c colour) colour { return cs.ss.resolve(c, cs.scheme) }

// tooSmall is why a text of a font of size points (0: the default),
// drawn in points, superscript or subscript if script, is not seen.
func tooSmall(size, drawn float64, script bool) string {
	if script {
		return fmt.Sprintf("its font in superscript or subscript is drawn in %s, too small to read; clear Superscript and Subscript in Excel "+
			"(Format Cells, Font, Effects), check it, save, and import again", points(drawn))
	}
	return fmt.Sprintf("its font of %s is too small to read; give it a size of 8 points or more in Excel (Format Cells, Font), check it, save, and import again", points(size))
}

// points is a size as a message gives it: "1 point", "5.8 points".
func points(size float64) string {
	if size == 1 {
		return "1 point"
	}
	return strconv.FormatFloat(size, 'f', -1, 64) + " points"
}

// fillHides is why a text or number is not seen as it is in a cell of
// the Fill alignment: Excel repeats it across the cell, digits after
// its own that a person takes for more of the ID.
const fillHides = "its alignment Fill repeats its value across the cell, digits added to those it holds; set its horizontal alignment to General " +
	"in Excel (Format Cells, Alignment, Horizontal), check it, save, and import again"

// look is the look of cell format s (a cell's s, "" for 0): plain where
// the styles hold none. A cell naming a cell format the styles do not
// hold is not as Excel saves one (ErrNotWorkbook).
func (cs *cellStyles) look(s string, row int) (xfLook, error) {
	if cs.err != nil {
		return plain, cs.err
	}
	i := 0
	if s != "" {
		var err error
		if i, err = strconv.Atoi(s); err != nil || i < 0 || cs.read && i >= len(cs.xfs) && (i > 0 || len(cs.xfs) > 0) {
			return plain, fmt.Errorf("%w: a cell in row %d of cell format %.20q, of %d the workbook holds, not as Excel saves a workbook; open it in Excel and save it again",
				ErrNotWorkbook, row, s, len(cs.xfs))
		}
	}
	if i >= len(cs.xfs) {
		return plain, nil
	}
	return cs.xfs[i], nil
}

// hidden says why the cell c, in the column name (InstallationId,
// ConfirmationId), is not seen in Excel for its formatting: "" when it
// is. A cell naming a cell format the styles do not hold is not as
// Excel saves one (ErrNotWorkbook).
// runs is the cell's rich text's look (nil for none): each run that is
// not blank and gives its own font is held to the rules the cell's font
// is, on the cell's fill; where each gives its own size, the cell's
// font's is none of its text's. view is the sheet as read so far, its
// view and columns: what they draw too small (drawnHides).
func (cs *cellStyles) hidden(c xcell, runs *runLook, view *sheetLook, row int, name string) (string, error) {
	x, err := cs.look(c.style, row)
	if err != nil {
		return "", err
	}
	why := x.text
	if c.number {
		why = x.number
	} else if x.small && runs != nil && runs.sized {
		why = ""
	}
	if why == "" && runs != nil && !c.number {
		why = runs.hidden(cs, x)
	}
	if why == "" {
		why = cs.drawnHides(c, x, runs, view)
	}
	if why == "" {
		return "", nil
	}
	ref, _ := excelize.CoordinatesToCellName(c.col, row)
	return fmt.Sprintf("cell %s (%s) is not seen in Excel: %s", ref, name, why), nil
}

// hidden says why a run of the text is not seen on back ("" when each
// is): a colour of back's, or a size under minSize. A run that gives a
// font but no colour is drawn in the cell's font colour, checked with
// the cell, or Automatic: both are taken.
func (r *runLook) hidden(cs *cellStyles, x xfLook) string {
	const run = "a run of its text: "
	if r.many {
		return fmt.Sprintf("%sits runs are of over %d colours; give it one font colour in Excel, check it, save, and import again", run, maxRunColours)
	}
	if r.size > 0 && r.size < minSize {
		return run + tooSmall(r.size, r.size, r.script)
	}
	if size := drawn(x.size, cs.base, true); r.cellScript && size < minSize {
		return run + tooSmall(x.size, size, true) // in the cell's size
	}
	for _, c := range r.fonts() {
		if why := colourHidden(cs.resolve(c), x.back); why != "" {
			return run + why
		}
	}
	return ""
}

// fonts are the colours the runs may be drawn in, besides the cell's.
func (r *runLook) fonts() []colour {
	out := r.colours[:r.n:r.n]
	if r.auto {
		out = append(out, plain.font)
	}
	return out
}

// theme reads the colour scheme of the theme part, by the index a color
// element's theme attribute gives (0 is lt1, 1 dk1, 2 lt2, 3 dk2, as
// Excel swaps them; then accent1 to 6, hlink, folHlink): nil for none.
func (wb *workbook) theme(part string) ([]string, error) {
	if part == "" || wb.parts[strings.ToLower(part)] == nil {
		return nil, nil
	}
	index := map[string]int{"lt1": 0, "dk1": 1, "lt2": 2, "dk2": 3, "accent1": 4, "accent2": 5, "accent3": 6, "accent4": 7,
		"accent5": 8, "accent6": 9, "hlink": 10, "folHlink": 11}
	scheme := make([]string, len(index))
	err := wb.each(part, maxPart, func(d *partDecoder, e xml.StartElement, parent string) (bool, error) {
		i, ok := index[e.Name.Local]
		if parent != "/theme/themeElements/clrScheme" || !ok {
			return false, nil
		}
		for {
			tok, err := d.RawToken()
			if err != nil {
				return true, xmlError(part, err)
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "srgbClr":
					scheme[i] = rgb(attr(t, "val"))
				case "sysClr":
					scheme[i] = rgb(attr(t, "lastClr"))
				}
				if err := skip(d); err != nil {
					return true, xmlError(part, err)
				}
			case xml.EndElement:
				return true, nil
			}
		}
	})
	return scheme, err
}

// styleSheet reads the styles part: its number formats, the colours of
// its fonts and fills, its cell formats and its palette, within
// maxStylesPart bytes and maxStyles of each.
func (wb *workbook) styleSheet(part string) (*styleSheet, error) {
	ss := &styleSheet{numFmts: map[int]string{}}
	over := func(what string, n int) error {
		if n >= maxStyles {
			return fmt.Errorf("%w: part %s: over %d %s", ErrTooLarge, part, maxStyles, what)
		}
		return nil
	}
	err := wb.each(part, maxStylesPart, func(d *partDecoder, e xml.StartElement, parent string) (bool, error) {
		switch {
		case parent == "/styleSheet/numFmts" && e.Name.Local == "numFmt":
			if err := over("number formats", len(ss.numFmts)); err != nil {
				return false, err
			}
			if id, err := strconv.Atoi(attr(e, "numFmtId")); err == nil {
				ss.numFmts[id] = attr(e, "formatCode")
			}
		case parent == "/styleSheet/fonts" && e.Name.Local == "font":
			if err := over("fonts", len(ss.fonts)); err != nil {
				return false, err
			}
			f, err := readFont(d)
			if err != nil {
				return true, xmlError(part, err)
			}
			ss.fonts = append(ss.fonts, f)
			return true, nil
		case parent == "/styleSheet/dxfs" && e.Name.Local == "dxf":
			if err := over("differential formats", len(ss.dxfs)); err != nil {
				return false, err
			}
			x, err := readDxf(d)
			if err != nil {
				return true, xmlError(part, err)
			}
			ss.dxfs = append(ss.dxfs, x)
			return true, nil
		case parent == "/styleSheet/fills" && e.Name.Local == "fill":
			if err := over("fills", len(ss.fills)); err != nil {
				return false, err
			}
			f, err := fillColour(d)
			if err != nil {
				return true, xmlError(part, err)
			}
			ss.fills = append(ss.fills, f)
			return true, nil
		case parent == "/styleSheet/cellXfs" && e.Name.Local == "xf":
			if err := over("cell formats", len(ss.xfs)); err != nil {
				return false, err
			}
			var x [3]int
			for i, name := range []string{"numFmtId", "fontId", "fillId"} {
				// Absent, 0; a number Excel would not write, none.
				if v := attr(e, name); v != "" {
					if n, err := strconv.Atoi(v); err == nil && n >= 0 {
						x[i] = n
					} else {
						x[i] = maxStyles
					}
				}
			}
			ss.xfs = append(ss.xfs, xfRef{numFmt: x[0], font: x[1], fill: x[2]})
		case parent == "/styleSheet/cellXfs/xf" && e.Name.Local == "alignment" && len(ss.xfs) > 0:
			// Whatever applyAlignment says: Excel lays a cell out by
			// the alignment its format holds.
			ss.xfs[len(ss.xfs)-1].align = readAlignment(e)
		case parent == "/styleSheet/colors/indexedColors" && e.Name.Local == "rgbColor":
			if len(ss.palette) < len(excelize.IndexedColorMapping) {
				ss.palette = append(ss.palette, rgb(attr(e, "rgb")))
			}
		}
		return false, nil
	})
	return ss, err
}

// readAlignment is what an alignment element says (alignLook). An
// indent or a reading order Excel would not write (not a number) is
// none; one past Excel's (250 levels) is kept: it only pushes the text
// further.
func readAlignment(e xml.StartElement) alignLook {
	h := strings.TrimSpace(attr(e, "horizontal"))
	a := alignLook{shrink: isTrue(attr(e, "shrinkToFit")), wrap: isTrue(attr(e, "wrapText")), both: h == "distributed", fill: h == "fill"}
	if n, err := strconv.Atoi(strings.TrimSpace(attr(e, "indent"))); err == nil && n > 0 && h != "center" && h != "centerContinuous" && h != "fill" {
		// Of no horizontal alignment, or General, taken as
		// indented from the left: Excel sets Left as it sets an
		// indent, and a file that gives one without is taken at its
		// word.
		a.indent = n
	}
	a.order, _ = strconv.Atoi(strings.TrimSpace(attr(e, "readingOrder")))
	return a
}

// readFont reads a font element (or a run's rPr, or a dxf's font), just
// started, to its end: the colour of its color element, Automatic
// (black) if none, and the size of its sz.
func readFont(d *partDecoder) (fontLook, error) {
	f := fontLook{colour: plain.font}
	for depth := 1; ; {
		tok, err := d.RawToken()
		if err != nil {
			return f, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && t.Name.Local == "color":
				f.colour, f.coloured = colourOf(t, "000000"), true
			case depth == 2 && t.Name.Local == "vertAlign":
				v := strings.TrimSpace(attr(t, "val"))
				f.script = v == "superscript" || v == "subscript"
			case depth == 2 && t.Name.Local == "sz":
				// A size Excel would not write (0, negative) is none:
				// Excel then draws its default.
				if v, err := strconv.ParseFloat(strings.TrimSpace(attr(t, "val")), 64); err == nil && v > 0 {
					f.size = v
				}
			}
		case xml.EndElement:
			if depth--; depth == 0 {
				return f, nil
			}
		}
	}
}

// readDxf reads a dxf element, just started, to its end. A dxf holds at
// most one font, number format and fill, and a fill one fgColor and one
// bgColor (ECMA-376 Part 1, 18.8.14 CT_Dxf, 18.8.32 patternFill): one of
// more is not as Excel saves a workbook (ErrNotWorkbook). Its colours
// are then four at most, which each rule over each record costs: a dxf
// of a million font colours under 30,000 rules ran for minutes.
func readDxf(d *partDecoder) (dxfLook, error) {
	var x dxfLook
	seen := map[string]bool{} // the elements of those that are once a dxf
	for depth := 1; ; {
		tok, err := d.RawToken()
		if err != nil {
			return x, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if once := depth == 2 || depth == 4 && (t.Name.Local == "bgColor" || t.Name.Local == "fgColor"); once && seen[t.Name.Local] {
				return x, fmt.Errorf("%w: a differential format of two %s elements, not as Excel saves a workbook; open it in Excel and save it again", ErrNotWorkbook, t.Name.Local)
			} else if once {
				seen[t.Name.Local] = true
			}
			switch {
			case depth == 2 && t.Name.Local == "font":
				f, err := readFont(d)
				if err != nil {
					return x, err
				}
				depth--
				if f.coloured {
					x.fonts = append(x.fonts, f.colour)
				}
			case depth == 2 && t.Name.Local == "numFmt":
				// Excel writes a dxf's number format with its code,
				// built in or not.
				code := attr(t, "formatCode")
				id, err := strconv.Atoi(strings.TrimSpace(attr(t, "numFmtId")))
				if err != nil {
					id = -1 // none Excel writes
				}
				x.text, x.number = textHidden(code), numberHidden(id, code, code != "")
				if c, ok := formatColour(textSection(code)); ok {
					x.fonts = append(x.fonts, c)
				}
			case depth == 4 && (t.Name.Local == "bgColor" || t.Name.Local == "fgColor"):
				// fill/patternFill/bgColor: Excel draws a dxf's solid
				// fill in its bgColor, LibreOffice in its fgColor.
				// Excel writes a dxf's fill with an fgColor of the
				// automatic colour (indexed 64, the system's text), a
				// placeholder beside its bgColor: not a fill, or every
				// conditional fill Excel saves would refuse a black CID.
				if t.Name.Local == "fgColor" && strings.TrimSpace(attr(t, "indexed")) == "64" {
					break
				}
				if c := colourOf(t, ""); c != unknown {
					x.fills = append(x.fills, c)
				}
			}
		case xml.EndElement:
			if depth--; depth == 0 {
				return x, nil
			}
		}
	}
}

// fillColour reads a fill element, just started, to its end: the colour
// behind a cell of it, white for no fill, that of a solid fill's
// foreground; unknown for a pattern or a gradient.
func fillColour(d *partDecoder) (fillLook, error) {
	c := colour{rgb: "FFFFFF", theme: -1}
	solid, fg := false, unknown
	for depth := 1; ; {
		tok, err := d.RawToken()
		if err != nil {
			return fillLook{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && t.Name.Local == "patternFill":
				// patternType is none unless given (18.18.55).
				switch strings.TrimSpace(attr(t, "patternType")) {
				case "", "none":
				case "solid":
					solid = true
				default:
					c = unknown
				}
			case depth == 2:
				c = unknown // a gradient
			case depth == 3 && t.Name.Local == "fgColor":
				fg = colourOf(t, "")
			}
		case xml.EndElement:
			if depth--; depth == 0 {
				if solid && c != unknown {
					return fillLook{colour: fg}, nil
				}
				return fillLook{colour: c, none: c != unknown}, nil
			}
		}
	}
}

// colourOf is the colour of a color element (or fgColor): auto is
// Automatic, given as auto.
func colourOf(e xml.StartElement, auto string) colour {
	c := colour{theme: -1, tint: attr(e, "tint")}
	if f, err := strconv.ParseFloat(strings.TrimSpace(c.tint), 64); err == nil && f == 0 {
		c.tint = ""
	}
	switch {
	case attr(e, "rgb") != "":
		c.rgb = rgb(attr(e, "rgb"))
	case attr(e, "theme") != "":
		if n, err := strconv.Atoi(attr(e, "theme")); err == nil && n >= 0 && n < 12 {
			c.theme = n
		} else {
			return unknown
		}
	case attr(e, "indexed") != "":
		n, err := strconv.Atoi(attr(e, "indexed"))
		if err != nil || n < 0 || n > 65 {
			return unknown
		}
		c.theme = -2 - n // resolved by the palette
	case isTrue(attr(e, "auto")):
		c.rgb = auto
	default:
		c.rgb = auto
	}
	if c.rgb == "" && c.theme == -1 {
		return unknown
	}
	return c
}

// resolve is c given as RGB where the palette or the theme (scheme) say
// which it is.
func (ss *styleSheet) resolve(c colour, scheme []string) colour {
	switch {
	case c.theme >= 0 && c.theme < len(scheme) && scheme[c.theme] != "":
		c.rgb, c.theme = scheme[c.theme], -1
	case c.theme <= -2:
		n := -2 - c.theme
		c.theme = -1
		switch {
		case n < len(ss.palette):
			c.rgb = ss.palette[n]
		case n < len(excelize.IndexedColorMapping):
			c.rgb = excelize.IndexedColorMapping[n] // 64 is the system's text, 65 its window
		}
		if c.rgb == "" {
			return unknown
		}
	}
	return c
}

// rgb is the RGB of an ARGB or RGB value ("FFFFFFFF" is "FFFFFF"): Excel
// draws a cell's colour without its alpha. Anything else is "".
func rgb(v string) string {
	v = strings.ToUpper(strings.TrimSpace(v))
	if len(v) == 8 {
		v = v[2:]
	}
	if len(v) != 6 || strings.Trim(v, "0123456789ABCDEF") != "" {
		return ""
	}
	return v
}

// colourHidden says why a text of the colour font is not seen on back:
// "" when it is, or when either colour is unknown.
func colourHidden(font colour, back fillLook) string {
	if font == unknown || back.colour == unknown || font != back.colour {
		return ""
	}
	name := colourName(font)
	behind := "of its fill"
	if back.none {
		behind = "of the white sheet behind it (the cell has no fill)"
	}
	return fmt.Sprintf("its font colour %s is that %s; give it the Automatic font colour and No Fill in Excel, check it, save, and import again", name, behind)
}

// colourName is how a message names c.
func colourName(c colour) string {
	name := c.rgb
	if name == "" {
		name = fmt.Sprintf("of the theme's colour %d", c.theme)
	}
	if c.tint != "" {
		name += " (tint " + c.tint + ")"
	}
	return name
}

// sections are a number format code's sections, split at its ';' that
// are not in quotes, escaped or in brackets.
func sections(code string) []string {
	var out []string
	start := 0
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			if j := strings.IndexByte(code[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(code)
			}
		case '\\', '_', '*':
			i++
		case '[':
			if j := strings.IndexByte(code[i:], ']'); j >= 0 {
				i += j
			}
		case ';':
			out = append(out, code[start:i])
			start = i + 1
		}
	}
	return append(out, code[start:])
}

// textSection is the section of a number format that shows a text: the
// fourth, or the only one where it holds @ (a text format); "" when a
// text is shown as it is, without one.
func textSection(code string) string {
	s := sections(code)
	if len(s) >= 4 {
		return s[3]
	}
	if len(s) == 1 && shows(s[0], "@") {
		return s[0]
	}
	return ""
}

// textHidden says why a text is not seen, or not as it is, in a cell of
// the number format code: its text section (the fourth: ";;;" hides a
// text where ";;" does not) shows nothing of it, lacking @; or a section
// that shows it (the fourth, or one holding @) shows more than it
// (plainText).
func textHidden(code string) string {
	s := sections(code)
	if len(s) >= 4 && !shows(s[3], "@") {
		return formatHides(code)
	}
	for i, sec := range s {
		if (i == 3 || shows(sec, "@")) && !plainText(sec) {
			return formatChanges(code)
		}
	}
	return ""
}

// numberHidden says why a number is not seen, or not as its digits, in a
// cell of the number format code (custom: the styles' own, else Excel's
// built-in format id): no section for numbers (the first three) shows a
// digit of it; or the one for a number over 0 (an ID Read takes is one,
// or 0) shows it other than its digits (plainNumber). Of the built-in
// formats, General (0), 0 (1) and Text (49) show a number's digits as
// they are; each other rounds it (0.00), groups it (#,##0), scales it
// (0%), or shows it in scientific notation, as a fraction, a date or a
// time.
func numberHidden(id int, code string, custom bool) string {
	if !custom {
		if id == 0 || id == 1 || id == textFormat {
			return ""
		}
		return fmt.Sprintf("its number format %d shows other than the digits of its value; give it the Text format in Excel "+
			"(Format Cells, Number, Text), type the ID again, check it, save, and import again", id)
	}
	if code == "" {
		return ""
	}
	s := sections(code)
	if len(s) > 3 {
		s = s[:3]
	}
	hides := true
	for _, sec := range s {
		if shows(sec, "0123456789#?@abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
			hides = false
		}
	}
	if hides {
		return formatHides(code)
	}
	if !plainNumber(s) {
		return formatChanges(code)
	}
	return ""
}

// formatHides is why a value is not seen in a cell of the number format
// code.
func formatHides(code string) string {
	return fmt.Sprintf("its number format %.40q shows nothing of its value; give it the Text format in Excel (Format Cells, Number, Text), "+
		"check it, save, and import again", code)
}

// formatChanges is why a value is not seen as it is in a cell of the
// number format code.
func formatChanges(code string) string {
	return fmt.Sprintf("its number format %.40q shows other than its value, characters or digits added or changed; give it the Text "+
		"format in Excel (Format Cells, Number, Text), check it, save, and import again", code)
}

// plainText reports whether the section sec of a number format shows a
// text as it is: its @ once, and besides nothing a person could read as
// part of an ID, or that changes how it reads: spaces and dashes (a CID
// is typed with either between its groups), quoted, escaped, bare or
// repeated to fill the cell (*), the room of a character (_x), a
// colour and a locale without a symbol (plainBracket). A literal
// ("123456-"@) adds digits a person takes for the ID's; a letter, a
// currency symbol ([$1-409]) or a bidi control ("\u202E"@, which shows
// the digits backwards) is none a genuine worklist needs.
func plainText(sec string) bool {
	core, ok := formatCore(sec)
	return ok && core == "@"
}

// plainNumber reports whether a number over 0, of 15 digits at most, is
// shown as its digits in a cell of the number format's sections s (the
// first three): its first section General, 0, # or @ and besides what
// plainText allows, and no section of a condition ([>0]), which chooses
// another section for it. 000000 shows leading zeros, 0"1" a digit
// more, [DBNum1]0 Japanese numerals.
func plainNumber(s []string) bool {
	for _, sec := range s {
		if strings.Contains(sec, "[<") || strings.Contains(sec, "[>") || strings.Contains(sec, "[=") {
			return false
		}
	}
	core, ok := formatCore(s[0])
	switch strings.ToLower(core) {
	case "general", "0", "#", "@":
		return ok
	}
	return false
}

// formatCore is a number format's section sec without what shows no
// character of the value and none a person could read as one: spaces
// and dashes, quoted, escaped, bare or repeated (*), the room of a
// character (_x), and plainBracket's brackets. ok is false when sec
// holds a literal of another character, or another bracket.
func formatCore(sec string) (core string, ok bool) {
	var b strings.Builder
	blank := func(s string) bool { return strings.Trim(s, " -") == "" }
	for i := 0; i < len(sec); i++ {
		switch c := sec[i]; c {
		case '"':
			j := strings.IndexByte(sec[i+1:], '"')
			if j < 0 || !blank(sec[i+1:i+1+j]) {
				return "", false
			}
			i += j + 1
		case '\\', '*':
			if i+1 < len(sec) && !blank(sec[i+1:i+2]) {
				return "", false
			}
			i++
		case '_':
			i++ // the room of the character after it, blank
		case '[':
			j := strings.IndexByte(sec[i:], ']')
			if j < 0 || !plainBracket(sec[i+1:i+j]) {
				return "", false
			}
			i += j
		case ' ', '-':
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// plainBracket reports whether a number format's bracket (its text, in)
// changes nothing of the characters shown: a colour ([Red], [Color9]),
// or a locale without a currency symbol of four hex digits at most
// ([$-411]): longer ones choose a calendar or another script's digits
// ([$-D000000] shows Thai digits), and [DBNum1] Japanese numerals.
func plainBracket(in string) bool {
	in = strings.ToLower(strings.TrimSpace(in))
	if _, ok := formatColour("[" + in + "]"); ok {
		return true
	}
	if !strings.HasPrefix(in, "$-") {
		return false
	}
	hex := in[2:]
	return hex != "" && len(hex) <= 4 && strings.Trim(hex, "0123456789abcdef") == ""
}

// shows reports whether the section sec holds one of the characters
// placeholders, outside quotes, escapes (\x, _x, *x) and brackets; an
// elapsed time ([h], [mm], [ss]) shows a number too.
func shows(sec, placeholders string) bool {
	for i := 0; i < len(sec); i++ {
		switch c := sec[i]; {
		case c == '"':
			if j := strings.IndexByte(sec[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(sec)
			}
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == '[':
			j := strings.IndexByte(sec[i:], ']')
			if j < 0 {
				return false
			}
			in := strings.ToLower(sec[i+1 : i+j])
			if strings.Trim(in, "hms") == "" && in != "" && strings.ContainsAny(placeholders, "0") {
				return true
			}
			i += j
		case strings.IndexByte(placeholders, c) >= 0:
			return true
		}
	}
	return false
}

// formatColour is the colour a number format's section gives its value
// ([White], [Color9]), if it gives one.
func formatColour(sec string) (colour, bool) {
	named := map[string]string{"black": "000000", "white": "FFFFFF", "red": "FF0000", "green": "00FF00", "blue": "0000FF",
		"yellow": "FFFF00", "magenta": "FF00FF", "cyan": "00FFFF"}
	for i := 0; i < len(sec); i++ {
		switch sec[i] {
		case '"':
			if j := strings.IndexByte(sec[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				return colour{}, false
			}
		case '\\', '_', '*':
			i++
		case '[':
			j := strings.IndexByte(sec[i:], ']')
			if j < 0 {
				return colour{}, false
			}
			in := strings.ToLower(strings.TrimSpace(sec[i+1 : i+j]))
			if v, ok := named[in]; ok {
				return colour{rgb: v, theme: -1}, true
			}
			// [ColorN] is the palette's colour N+7, for N from 1 to 56.
			if n, err := strconv.Atoi(strings.TrimPrefix(in, "color")); err == nil && strings.HasPrefix(in, "color") && n >= 1 && n <= 56 {
				return colour{theme: -2 - (n + 7)}, true
			}
			i += j
		}
	}
	return colour{}, false
}
