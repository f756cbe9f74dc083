package worklist

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/csvcell"
	"github.com/actcourier/actcourier/pkg/internal/xlsxpart"
)

// Limits of a workbook Read reads, besides MaxFile (the .xlsx file),
// MaxRows and MaxField. A worklist workbook of MaxRows rows, as Excel
// saves it, is under 40 MiB of XML; Excel writes a dozen parts.
const (
	MaxXML     = 64 << 20 // bytes of XML read out of a workbook's zip, all parts together
	maxParts   = 1000     // members of the zip
	maxSheets  = 255
	maxPart    = 1 << 20      // bytes: workbook.xml, its relationships
	maxStrings = MaxRows * 20 // shared strings: one a cell of MaxRows rows of Header's 20 columns
	maxColumn  = 16384        // XFD, Excel's last column
	maxRow     = 1 << 20      // Excel's last row
	// maxText is the bytes of a cell's text kept: one more than
	// MaxField, so that a longer text, which no column takes, is still
	// told (its row refused) but costs no more, however many cells name
	// it. maxRaw is the XML read for it: an escape (_x0041_, 7 bytes)
	// is one byte at least, so maxRaw bytes are over maxText.
	maxText = MaxField + 1
	maxRaw  = 8 * maxText
	// maxRun is the most bytes of one token of a part (bytes): a text,
	// a tag with its attributes, a comment. encoding/xml holds a token
	// whole, at two to three times its size as it grows; a token of all
	// the XML allowed would cost about 200 MiB. A '<' or '>' does not
	// end one: '>' may stand in a text or an attribute, and both in a
	// comment. The longest text Excel keeps in a cell, 32,767
	// characters, is under 200 KiB even as escapes ("&quot;" is six
	// bytes).
	maxRun = 1 << 20
	// maxStyles is the most number formats, fonts, fills and cell
	// formats each the styles part may hold: Excel allows about 64,000
	// cell formats a workbook. maxStylesPart is the styles part's most
	// bytes: an xf as Excel writes it is 100 to 200 bytes.
	maxStyles     = 1 << 16
	maxStylesPart = 16 << 20
)

// Magic numbers: an .xlsx file is a zip archive; an .xls file (Excel
// 97-2003), or an .xlsx protected by a password, an OLE compound file.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
)

// errOverXML is what a part's reader returns past MaxXML, and errOverRun
// past maxRun bytes of one token: the decoder returns it as it
// is, and the file is ErrTooLarge.
var (
	errOverXML = errors.New("over the limit of XML")
	errOverRun = errors.New("over the limit of a text, tag or comment")
)

// ReadXLSX reads a CID workbook, as Read does a CSV file: the worklist
// workbook (WriteXLSX) with ConfirmationId filled in, or any workbook
// whose sheet has InstallationId and ConfirmationId columns. It reads
// the sheet named SheetName, else the first, of those not hidden (a
// hidden sheet is none a person filled in or checked); the header is
// its first row with a value. A sheet whose rows or cells are out of
// order, repeated, or name another row, which Excel repairs as it
// likes, is ErrNotWorkbook: which row a cell was seen in cannot be
// told; so is a workbook with two sheets whose names differ in case
// only. A text over MaxField bytes is kept only as being over it. A row's number (Record.Row, RowError.Row) is the
// one Excel shows. A record whose row, or InstallationId or
// ConfirmationId column, Excel does not show (hidden, filtered out, of
// no height or width, in a collapsed outline group), or whose cell of
// either is under a merged cell that is not its first, or formatted so
// that it shows nothing of it (a number format of empty sections, such
// as ";;;", or a font of the colour of its fill, or white where it has
// none, or under minSize points, or a run of its rich text so: see
// xlsxstyle.go; or drawn under minSize points by the sheet's zoom,
// Shrink to fit or a superscript, or pushed out of its column by its
// indent: see xlsxview.go), or other than it (a number format that adds
// or changes characters, as "123456-"@; the Fill alignment, which
// repeats it; a right-to-left reading order, which shows its groups in
// reverse order), or under a conditional format that could
// make it so (xlsxcond.go), or whose cell holds a formula (what Excel
// shows is what the formula computes, the value read only until Excel
// computes it again), an error or a date (shownOther), says so in
// Record.Hidden, for the caller to refuse: nobody reviewing the sheet
// saw it; a sheet whose views, columns or row format come after its
// rows, or whose zoom is no number, or
// whose columns are out of order, or its merged cells before its rows
// or overlapping on a record, or its conditional formats before its
// rows, or of a dxf the styles do not hold, is ErrNotWorkbook. A cell Excel holds as a number in an ID column has
// lost its digits (a 63-digit IID is 1.23457E+62) and is refused
// saying so, unless its digits are all there (15 at most). A file that
// is no .xlsx workbook (a CSV file renamed, an .xls file, an
// OpenDocument spreadsheet) is ErrNotWorkbook; one over a limit (MaxFile, MaxXML, MaxRows, too many
// parts or sheets or shared strings or styles or conditional formats)
// ErrTooLarge; nothing of it is
// read before its size is known, and no part but the workbook, its
// relationships, its shared strings, its styles and theme and the one
// sheet is unpacked. A workbook without styles shows every value; one
// whose styles or theme cannot be read (damaged, or over a limit), which
// may hide a CID Excel reads them to hide, is refused with their error
// once it holds a record; so is one with a cell whose cell format the
// styles do not hold (ErrNotWorkbook).
func ReadXLSX(r io.Reader) (records []Record, rowErrs []error, blank int, kind string, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, nil, 0, "", err
	}
	if len(data) > MaxFile {
		return nil, nil, 0, "", fmt.Errorf("%w: over %d bytes", ErrTooLarge, MaxFile)
	}
	if !bytes.HasPrefix(data, zipMagic) {
		return nil, nil, 0, "", notWorkbook(data)
	}
	return readXLSX(data)
}

// notWorkbook says what data, which is no zip archive, is instead.
func notWorkbook(data []byte) error {
	if bytes.HasPrefix(data, oleMagic) {
		return fmt.Errorf("%w: an Excel 97-2003 workbook (.xls), or one protected by a password; save it in Excel as "+
			"Excel Workbook (.xlsx) without a password", ErrNotWorkbook)
	}
	return fmt.Errorf("%w: it does not start as an .xlsx file (a zip archive) does; a CSV file is read when its name ends in .csv", ErrNotWorkbook)
}

// workbook is a workbook's zip as it is read: its members by name, and
// how many bytes of XML may still be unpacked.
type workbook struct {
	parts map[string]*zip.File // by lower-case name: OPC part names ignore case
	left  int64
}

func readXLSX(data []byte) (records []Record, rowErrs []error, blank int, kind string, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, 0, "", fmt.Errorf("%w: a damaged zip archive: %v", ErrNotWorkbook, err)
	}
	if len(zr.File) > maxParts {
		return nil, nil, 0, "", fmt.Errorf("%w: %d parts in the workbook, over %d", ErrTooLarge, len(zr.File), maxParts)
	}
	wb := &workbook{parts: map[string]*zip.File{}, left: MaxXML}
	for _, f := range zr.File {
		wb.parts[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	loc, err := wb.locate()
	if err != nil {
		return nil, nil, 0, "", err
	}
	sst, err := wb.sharedStrings(loc.sst)
	if err != nil {
		return nil, nil, 0, "", err
	}
	styles := wb.styles(loc.styles, loc.theme)
	rd := &rowReader{fix: xlsxFix}
	look := &sheetLook{}
	var pairs [][2]xcell // per record, its InstallationId and ConfirmationId cells, for conditional formats
	cols := ""           // which of the pair's columns are hidden, once the header is read
	var merged []uint8   // per record, the bits of the pair's columns under a merge
	look.cover = func(from, to, i int, why string) error {
		if merged == nil {
			merged = make([]uint8, len(rd.records))
		}
		for k := sort.Search(len(rd.records), func(k int) bool { return rd.records[k].Row >= from }); k < len(rd.records) && rd.records[k].Row <= to; k++ {
			// Each record is marked once a column: merges cost no
			// more than their number and the records.
			if merged[k]&(1<<i) != 0 {
				return fmt.Errorf("%w: merged cells that overlap in row %d, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, rd.records[k].Row)
			}
			merged[k] |= 1 << i
			if rd.records[k].Hidden == "" {
				rd.records[k].Hidden = why
			}
		}
		return nil
	}
	err = wb.rows(loc.sheet, sst, look, func(n int, why string, cells []xcell) error {
		before, header := len(rd.records), rd.col == nil
		if err := rd.cells(n, cells); err != nil {
			return err
		}
		if header && rd.col != nil {
			cols = look.hiddenColumns(rd.col)
			for i, name := range []string{"installationid", "confirmationid"} {
				if c, ok := rd.col[name]; ok {
					look.pair[i] = c + 1
				}
			}
		}
		if len(rd.records) == before {
			return nil
		}
		if why == "" {
			why = cols
		}
		var pair [2]xcell
		for i, name := range []string{"InstallationId", "ConfirmationId"} {
			for _, c := range cells {
				if c.col != look.pair[i] {
					continue
				}
				pair[i] = cfCell(c) // the text kept by the record already, but for the conditional formats
				if why != "" {
					continue
				}
				if c.other != "" {
					ref, _ := excelize.CoordinatesToCellName(c.col, n)
					why = fmt.Sprintf("cell %s (%s) %s", ref, name, c.other)
					continue
				}
				var err error
				if why, err = styles.hidden(c, sst.runs.look(c.runs), look, n, name); err != nil {
					return err
				}
			}
		}
		rd.records[before].Hidden = why
		pairs = append(pairs, pair)
		return nil
	}, rd.hide)
	if err != nil {
		return nil, nil, 0, "", err
	}
	if err := styles.conditional(look, rd.records, pairs, &sst.runs); err != nil {
		return nil, nil, 0, "", err
	}
	if rd.col == nil {
		return nil, nil, 0, "", fmt.Errorf("%w: the sheet is empty", ErrColumns)
	}
	return rd.records, rd.rowErrs, rd.blank, rd.kind, nil
}

// Where Excel reads what ReadXLSX takes: the same element elsewhere (a
// sheet, a row or a string inside an extension, a row inside a row) is
// one Excel does not show, and is not read.
const (
	inSheets    = "/workbook/sheets"
	inRels      = "/Relationships"
	inSST       = "/sst"
	inSheetData = "/worksheet/sheetData"
)

// decoder reads the part name, at most max bytes of it and of what is
// left of MaxXML, as XML.
func (wb *workbook) decoder(name string, max int64) (*partDecoder, func(), error) {
	f, ok := wb.parts[strings.ToLower(name)]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no part %s", ErrNotWorkbook, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: part %s: %v", ErrNotWorkbook, name, err)
	}
	if f.UncompressedSize64 > uint64(max) {
		rc.Close()
		return nil, nil, fmt.Errorf("%w: part %s is %d bytes, over %d", ErrTooLarge, name, f.UncompressedSize64, max)
	}
	// The size in the zip's directory is a claim; the bytes are counted.
	b := &budget{r: rc, max: max, wb: wb}
	return &partDecoder{Decoder: xml.NewDecoder(b), b: b}, func() { rc.Close() }, nil
}

// partDecoder is a part's decoder whose tokens are held to maxRun bytes
// each: its budget refuses to read on once a token, with the decoder's
// read-ahead, is over it, before the decoder holds more of it, and
// RawToken refuses one that ended over it within the read-ahead.
type partDecoder struct {
	*xml.Decoder
	b *budget
}

// RawToken is xml.Decoder's, or errOverRun for a token over maxRun
// bytes.
func (d *partDecoder) RawToken() (xml.Token, error) {
	tok, err := d.Decoder.RawToken()
	end := d.InputOffset()
	if end-d.b.token > maxRun {
		return nil, errOverRun
	}
	d.b.token = end
	return tok, err
}

// budget reads a part, counting its bytes against its limit and the
// workbook's, and those since the end of the decoder's last token
// (partDecoder) against maxRun and the decoder's read-ahead.
type budget struct {
	r     io.Reader
	max   int64
	wb    *workbook
	read  int64 // bytes read
	token int64 // the offset of the end of the last token
}

// readAhead is the most bytes the decoder reads beyond the token it is
// reading: xml.NewDecoder reads through a bufio.Reader of its default
// size.
const readAhead = 4096

func (b *budget) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.max -= int64(n)
	b.wb.left -= int64(n)
	b.read += int64(n)
	if b.max < 0 || b.wb.left < 0 {
		return n, errOverXML
	}
	if b.read-b.token > maxRun+readAhead {
		return n, errOverRun
	}
	return n, err
}

// xmlError is the error of a part's XML.
func xmlError(part string, err error) error {
	if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotWorkbook) {
		return err // said already
	}
	if errors.Is(err, errOverXML) {
		return fmt.Errorf("%w: the workbook's XML is over %d bytes (part %s)", ErrTooLarge, MaxXML, part)
	}
	if errors.Is(err, errOverRun) {
		return fmt.Errorf("%w: part %s holds a text, tag or comment of over %d bytes", ErrTooLarge, part, maxRun)
	}
	return fmt.Errorf("%w: part %s: %v", ErrNotWorkbook, part, err)
}

// located are the parts ReadXLSX reads: the sheet, and the shared
// strings, the styles and the theme ("" for none).
type located struct{ sheet, sst, styles, theme string }

// odsType is the mimetype member of an OpenDocument spreadsheet: the
// zip's first, stored (OpenDocument 1.2 Part 3, 3.3 MIME Media Type).
const odsType = "application/vnd.oasis.opendocument.spreadsheet"

// openDocument reports whether the zip is an OpenDocument spreadsheet
// (.ods), by its mimetype member; only its first bytes are read.
func (wb *workbook) openDocument() bool {
	f, ok := wb.parts["mimetype"]
	if !ok {
		return false
	}
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, int64(len(odsType)+1)))
	return string(b) == odsType
}

// locate finds the sheet to read, and the parts it needs, by the
// workbook's part and its relationships.
func (wb *workbook) locate() (loc located, err error) {
	const book, rels = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"
	if _, ok := wb.parts[book]; !ok {
		if wb.openDocument() {
			// LibreOffice Calc's own format, which it saves unless
			// told to keep the workbook's.
			return loc, fmt.Errorf("%w: an OpenDocument spreadsheet (.ods), not an Excel workbook; in LibreOffice Calc, save it with "+
				"File > Save As, file type Excel 2007-365 (.xlsx), and Use Excel 2007-365! when asked", ErrNotWorkbook)
		}
		return loc, fmt.Errorf("%w: a zip archive without %s, not an Excel workbook", ErrNotWorkbook, book)
	}
	var names, ids []string
	var shown []int // the sheets not hidden, by index
	err = wb.each(book, maxPart, func(d *partDecoder, e xml.StartElement, parent string) (bool, error) {
		if parent != inSheets || e.Name.Local != "sheet" {
			return false, nil
		}
		if len(names) == maxSheets {
			return false, fmt.Errorf("%w: over %d sheets", ErrTooLarge, maxSheets)
		}
		var name, id, state string
		for _, a := range e.Attr {
			switch {
			case a.Name.Local == "name" && a.Name.Space == "":
				name = a.Value
			case a.Name.Local == "state" && a.Name.Space == "":
				state = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				if id != "" {
					// Excel takes r:id; which of two is that needs
					// the namespaces, and Excel writes one.
					return false, fmt.Errorf("%w: sheet %q has two ids", ErrNotWorkbook, name)
				}
				id = a.Value
			}
		}
		for _, other := range names {
			// Excel refuses names that differ in case only: which
			// one a person filled in cannot be told.
			if strings.EqualFold(other, name) {
				return false, fmt.Errorf("%w: two sheets named %q and %q; Excel gives no two sheets one name", ErrNotWorkbook, other, name)
			}
		}
		if state == "" || state == "visible" {
			shown = append(shown, len(names))
		}
		names, ids = append(names, name), append(ids, id)
		return false, nil
	})
	if err != nil {
		return loc, err
	}
	if len(shown) == 0 {
		return loc, fmt.Errorf("%w: no sheet shown", ErrNotWorkbook)
	}
	// A hidden sheet is none a person filled in or checked: the first
	// sheet shown, or the one shown named Worklist, is.
	pick := shown[0]
	for _, i := range shown {
		if strings.EqualFold(names[i], SheetName) {
			pick = i
			break
		}
	}
	targets := map[string]string{}
	err = wb.each(rels, maxPart, func(d *partDecoder, e xml.StartElement, parent string) (bool, error) {
		if parent != inRels || e.Name.Local != "Relationship" {
			return false, nil
		}
		var id, target, typ string
		for _, a := range e.Attr {
			switch a.Name.Local {
			case "Id":
				id = a.Value
			case "Target":
				target = a.Value
			case "Type":
				typ = a.Value
			}
		}
		// Targets are relative to xl/, or absolute in the package.
		if strings.HasPrefix(target, "/") {
			target = path.Clean(target[1:])
		} else {
			target = path.Join("xl", target)
		}
		switch {
		case strings.HasSuffix(typ, "/sharedStrings"):
			loc.sst = target
		case strings.HasSuffix(typ, "/styles"):
			loc.styles = target
		case strings.HasSuffix(typ, "/theme"):
			loc.theme = target
		}
		if _, dup := targets[id]; dup {
			return false, fmt.Errorf("%w: two relationships %.40q", ErrNotWorkbook, id)
		}
		if len(targets) < maxSheets+10 {
			targets[id] = target
		}
		return false, nil
	})
	if err != nil {
		return loc, err
	}
	sheet, ok := targets[ids[pick]]
	if !ok {
		return loc, fmt.Errorf("%w: sheet %q has no part", ErrNotWorkbook, names[pick])
	}
	loc.sheet = sheet
	return loc, nil
}

// each calls fn with every start element of the part, to its end, and
// the path of its parent ("/sst" for a shared string) down to the third
// level, else "". fn that reads the element to its end returns true.
func (wb *workbook) each(part string, max int64, fn func(d *partDecoder, e xml.StartElement, parent string) (read bool, err error)) error {
	d, done, err := wb.decoder(part, max)
	if err != nil {
		return err
	}
	defer done()
	var paths [4]string // of the open elements, by depth
	depth := 0
	for {
		tok, err := d.RawToken()
		if err == io.EOF && depth == 0 {
			return nil
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return xmlError(part, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			parent := ""
			if depth < len(paths) {
				parent = paths[depth]
			}
			read, err := fn(d, t, parent)
			if err != nil {
				return err
			}
			if read {
				continue
			}
			if depth++; depth < len(paths) {
				paths[depth] = parent + "/" + t.Name.Local
			}
		case xml.EndElement:
			// RawToken does not match the ends to the starts.
			if depth--; depth < 0 {
				return xmlError(part, fmt.Errorf("an end element %s without its start", t.Name.Local))
			}
		}
	}
}

// stringTable is the workbook's table of shared strings, which cells of
// type "s" refer to by index, and the looks of rich texts' runs, of
// those and of inline strings (xcell.runs).
type stringTable struct {
	text []string
	look []int32 // by string: its runs' look (runTable.add); nil while none has one
	runs runTable
	// long holds the strings over MaxField (overField), told once
	// however many cells name them: a cell is then no more work than
	// its XML (3 M cells of 21 bytes naming one string of 1,024
	// semicolons escaped it 3 M times: 6 GiB, about a minute of CPU).
	long map[int]bool
}

// runLook is what the runs of a rich text that are not blank say of how
// they are drawn where they give a font of their own (rPr): the colours
// they give (at most maxRunColours, else many), whether one gives none
// (auto), and the least and the most size one is drawn in (points, 0
// for none: its sz, at scriptScale of it in superscript or subscript;
// script says the least is one so). A run without rPr is drawn in its
// cell's font, checked with the cell; so is one of an rPr without sz,
// in the cell's size, scaled by scriptScale where it is superscript or
// subscript (cellScript). sized says each of them gives its own size:
// the cell's is then none of its text's.
type runLook struct {
	colours    [maxRunColours]colour
	n          int8
	many, auto bool
	sized      bool
	size, most float64
	script     bool
	cellScript bool
}

// maxRunColours is the most colours of a rich text's runs kept: a CID
// of more is refused (a person types one CID in one colour).
const maxRunColours = 8

// add takes the font of a run that is not blank.
func (r *runLook) add(f fontLook) {
	if size := drawn(f.size, 0, f.script); size > 0 && (r.size == 0 || size < r.size) {
		r.size, r.script = size, f.script
	}
	if size := drawn(f.size, 0, f.script); size > r.most {
		r.most = size
	}
	r.cellScript = r.cellScript || f.script && f.size == 0
	if !f.coloured {
		r.auto = true
		return
	}
	for _, c := range r.colours[:r.n] {
		if c == f.colour {
			return
		}
	}
	if int(r.n) == len(r.colours) {
		r.many = true
		return
	}
	r.colours[r.n] = f.colour
	r.n++
}

// runTable holds each runLook once, within maxStyles of them: a cell
// names one by number (its index + 1, 0 for none), so that strings and
// cells of runs cost no more than those without.
type runTable struct {
	looks []runLook
	index map[runLook]int32
}

// add is the number of l, 0 for a text without runs of their own font.
func (t *runTable) add(l runLook) (int32, error) {
	if l == (runLook{}) {
		return 0, nil
	}
	if i, ok := t.index[l]; ok {
		return i, nil
	}
	if len(t.looks) == maxStyles {
		return 0, fmt.Errorf("%w: over %d kinds of rich text", ErrTooLarge, maxStyles)
	}
	if t.index == nil {
		t.index = map[runLook]int32{}
	}
	t.looks = append(t.looks, l)
	t.index[l] = int32(len(t.looks))
	return int32(len(t.looks)), nil
}

// look is the runLook numbered i, nil for 0.
func (t *runTable) look(i int32) *runLook {
	if i == 0 {
		return nil
	}
	return &t.looks[i-1]
}

// sharedStrings reads the workbook's table of strings. A cell is given
// the string itself, not a copy: a sheet whose every cell names one long
// string costs no more.
func (wb *workbook) sharedStrings(part string) (*stringTable, error) {
	sst := &stringTable{}
	if part == "" {
		return sst, nil
	}
	if _, ok := wb.parts[strings.ToLower(part)]; !ok {
		return sst, nil // Excel opens it so, as long as no cell refers to one
	}
	err := wb.each(part, MaxXML, func(d *partDecoder, e xml.StartElement, parent string) (bool, error) {
		if parent != inSST || e.Name.Local != "si" {
			return false, nil
		}
		if len(sst.text) == maxStrings {
			return false, fmt.Errorf("%w: over %d shared strings", ErrTooLarge, maxStrings)
		}
		s, look, err := text(d)
		if err != nil {
			return true, xmlError(part, err)
		}
		i, err := sst.runs.add(look)
		if err != nil {
			return true, err
		}
		if i != 0 && sst.look == nil {
			sst.look = make([]int32, len(sst.text), cap(sst.text))
		}
		if overField(s) {
			if sst.long == nil {
				sst.long = map[int]bool{}
			}
			sst.long[len(sst.text)] = true
		}
		sst.text = append(sst.text, s)
		if sst.look != nil {
			sst.look = append(sst.look, i)
		}
		return true, nil
	})
	return sst, err
}

// text reads the text of a string element (si, is) just started, to
// its end: that of its t element or of its runs' (r/t), not of its
// phonetic runs (rPh, the furigana of a Japanese cell), Excel's escapes
// (_x000D_) undone; a text over MaxField bytes is cut to maxText. look
// is what its runs that are not blank say of their fonts.
func text(d *partDecoder) (s string, look runLook, err error) {
	var b strings.Builder
	depth, in, run := 0, 0, false // in: the depth of the t being read, or 0
	var font fontLook
	styled, shown := false, false // of the run being read: it has rPr; a character not blank
	sized, unsized := 0, false    // runs shown in a size of their own; a text shown in the cell's
	for {
		tok, err := d.RawToken()
		if err != nil {
			return "", look, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case in != 0:
			case t.Name.Local == "t" && (depth == 1 || depth == 2 && run):
				in = depth
			case t.Name.Local == "r" && depth == 1:
				run, styled, shown = true, false, false
			case t.Name.Local == "rPr" && depth == 2 && run:
				if font, err = readFont(d); err != nil {
					return "", look, err
				}
				styled = true
				depth--
			}
		case xml.EndElement:
			switch depth {
			case 0:
				look.sized = sized > 0 && !unsized
				return cutText(xlsxpart.UnescapeX(b.String())), look, nil
			case in:
				in = 0
			case 1:
				if run && styled && shown {
					look.add(font)
				}
				if run && shown && (!styled || font.size == 0) {
					unsized = true
				} else if run && shown {
					sized++
				}
				run = false
			}
			depth--
		case xml.CharData:
			if in != 0 && depth == in {
				b.Write(t[:minInt(len(t), maxRaw-b.Len())])
				blank := len(bytes.TrimSpace(t)) == 0
				shown = shown || run && !blank
				unsized = unsized || !run && !blank // a t outside the runs
			}
		}
	}
}

// minInt is the least of a and b (Go 1.20 has no min).
func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// cutText is s, or its first maxText bytes: past MaxField a text is
// only told to be over it.
func cutText(s string) string {
	if len(s) > maxText {
		return s[:maxText]
	}
	return s
}

// hide marks the record of row n, if any, hidden in a collapsed group
// (Record.Hidden), unless it is for another reason already.
func (rd *rowReader) hide(n int) {
	i := sort.Search(len(rd.records), func(i int) bool { return rd.records[i].Row >= n })
	if i < len(rd.records) && rd.records[i].Row == n && rd.records[i].Hidden == "" {
		rd.records[i].Hidden = rowCollapsed
	}
}

// cells reads row n of a sheet, as Read a CSV file's: the first with a
// value is the header. Rows without a value are no rows to a person in
// Excel, and are left out.
func (rd *rowReader) cells(n int, cells []xcell) error {
	if len(cells) == 0 {
		return nil
	}
	if rd.col == nil {
		last := 0
		for _, c := range cells {
			if c.col > last {
				last = c.col
			}
		}
		header := make([]string, last)
		for _, c := range cells {
			header[c.col-1] = c.text
		}
		return rd.setHeader(header)
	}
	if rd.rows++; rd.rows > MaxRows {
		return fmt.Errorf("%w: over %d rows", ErrTooLarge, MaxRows)
	}
	long := false
	for _, c := range cells {
		long = long || c.long
	}
	rd.row(n, long, func(name string) (string, bool) {
		i, ok := rd.col[name]
		if !ok {
			return "", false
		}
		for _, c := range cells {
			if c.col == i+1 {
				return strings.TrimSpace(strings.ReplaceAll(c.text, "\r", "")), c.number
			}
		}
		return "", false
	})
	return nil
}

// chars reads the characters of a v element to its end, cut to
// maxText bytes.
func chars(d *partDecoder) (string, error) {
	var b strings.Builder
	for {
		tok, err := d.RawToken()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t[:minInt(len(t), maxText-b.Len())])
		case xml.StartElement:
			if err := skip(d); err != nil {
				return "", err
			}
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// skip reads to the end of the element just started. The parts are read
// with RawToken (no namespaces, a third faster), which Decoder.Skip,
// reading with Token, does not follow.
func skip(d *partDecoder) error {
	for depth := 1; depth > 0; {
		tok, err := d.RawToken()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// xcell is a cell as read: its column (1 is A), its text, whether the
// sheet holds it as a number, and whether the text is over MaxField
// (overField).
type xcell struct {
	col    int
	text   string
	number bool
	long   bool
	style  string // s: its cell format's index, "" for 0
	runs   int32  // its rich text's runs' look (runTable), 0 for none
	typed  bool   // a text (of type s or inlineStr) or a number typed, of no formula
	other  string // why Excel shows it other than as its value read (a formula's, an error...): "" when it does not (shownOther)
}

// Why Excel may show a cell other than as the value it holds (v), which
// ReadXLSX reads (xcell.other). A formula's value is saved with it
// (cached) and shown only until Excel computes the formula again: on
// opening when the workbook asks (calcPr fullCalcOnLoad) or was saved by
// another version, for a volatile function (NOW, RAND, INDIRECT,
// OFFSET), on any edit of a cell it reads; a file may save any value
// with any formula. That holds for each cell of a shared formula (f
// t="shared" si, its formula the first cell's) and of an array formula.
// An error cell is shown as its error, a date cell as a date; Excel
// saves a formula's text (t="str") only with its formula. A value typed
// into Excel, or written by excelize's SetCellValue, is none of them.
const (
	otherFormula = "holds a formula: Excel shows what the formula computes, which is the value saved with it (read here) only until Excel " +
		"computes it again, on opening or on any edit; replace the formulas of the ID columns by their values in Excel (select the column, " +
		"copy it, Paste Special > Values over it), check them, save, and import again"
	otherError = "holds an error value, which Excel shows as an error, not as the digits read; type the ID into it again, check it, save, and import again"
	otherDate  = "holds a date, which Excel shows as a date, not as the digits read; type the ID into it again, check it, save, and import again"
	otherStr   = "holds a formula's text without its formula, which Excel does not save for a value typed; type the ID into it again " +
		"(or copy the column, Paste Special > Values over it), check it, save, and import again"
)

// shownOther is xcell.other for a cell of type typ, formula saying it
// holds a formula.
func shownOther(typ string, formula bool) string {
	switch {
	case formula:
		return otherFormula
	case typ == "e":
		return otherError
	case typ == "d":
		return otherDate
	case typ == "str":
		return otherStr
	}
	return ""
}

// rows calls row with each row of the sheet's part: its number, as Excel
// shows it, why it is hidden in Excel ("" when shown: look), and its
// cells with a value; and hide with a row before that a collapsed
// outline group hides. Rows are in order, and the cells of each, as
// Excel writes them; a sheet whose rows or cells are not, or name other
// rows, Excel repairs as it likes, and is ErrNotWorkbook: which row a
// person saw a cell in cannot be told.
func (wb *workbook) rows(part string, sst *stringTable, look *sheetLook, row func(n int, why string, cells []xcell) error, hide func(n int)) error {
	n := 0
	var cells []xcell
	return wb.each(part, MaxXML, func(d *partDecoder, e xml.StartElement, parent string) (bool, error) {
		if parent != inSheetData || e.Name.Local != "row" {
			read, err := look.element(d, e, parent)
			if err != nil {
				return read, xmlError(part, err)
			}
			return read, nil
		}
		next := n + 1
		if r := attr(e, "r"); r != "" {
			var err error
			if next, err = strconv.Atoi(r); err != nil || next < 1 || next > maxRow {
				return true, fmt.Errorf("%w: part %s: a row numbered %.20q", ErrNotWorkbook, part, r)
			}
			if next <= n {
				return true, fmt.Errorf("%w: part %s: row %d after row %d, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, part, next, n)
			}
		}
		n = next
		why := look.row(e, n, hide)
		var err error
		if cells, err = readRow(d, n, sst, cells[:0]); err != nil {
			return true, xmlError(part, err)
		}
		return true, row(n, why, cells)
	})
}

// readRow reads row n, just started, to its end: its cells with a
// value, appended to cells.
func readRow(d *partDecoder, n int, sst *stringTable, cells []xcell) ([]xcell, error) {
	col := 0 // of the cell before, with a value or not: a cell without a reference is the next
	for {
		tok, err := d.RawToken()
		if err != nil {
			return cells, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "row" {
				return cells, fmt.Errorf("a row inside row %d", n)
			}
			if t.Name.Local != "c" {
				if err := skip(d); err != nil {
					return cells, err
				}
				continue
			}
			c, err := readCell(d, t, n, col, sst)
			if err != nil {
				return cells, err
			}
			if col = c.col; c.text != "" {
				cells = append(cells, c)
			}
		case xml.EndElement:
			if t.Name.Local != "row" {
				return cells, fmt.Errorf("row %d ends with %s", n, t.Name.Local)
			}
			return cells, nil
		}
	}
}

// readCell reads a c element of row n to its end: prev is the column of
// the cell before it in its row, for a cell without a reference.
func readCell(d *partDecoder, e xml.StartElement, n, prev int, sst *stringTable) (xcell, error) {
	c := xcell{col: prev + 1}
	if ref := attr(e, "r"); ref != "" {
		col, row, err := cellRef(ref)
		if err != nil {
			return c, err
		}
		if row != n || col <= prev {
			return c, fmt.Errorf("cell %s in row %d, after column %d: not as Excel saves a sheet; open it in Excel and save it again", ref, n, prev)
		}
		c.col = col
	}
	if c.col > maxColumn {
		return c, fmt.Errorf("a cell past column XFD in row %d", n)
	}
	typ := attr(e, "t")
	c.style = attr(e, "s")
	var v string
	formula := false
	for {
		tok, err := d.RawToken()
		if err != nil {
			return c, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				if v, err = chars(d); err != nil {
					return c, err
				}
			case "is":
				var look runLook
				if c.text, look, err = text(d); err != nil {
					return c, err
				}
				if c.runs, err = sst.runs.add(look); err != nil {
					return c, err
				}
			default:
				// A formula (its value, cached, is v) or an extension.
				formula = formula || t.Name.Local == "f"
				if err := skip(d); err != nil {
					return c, err
				}
			}
		case xml.EndElement:
			if t.Name.Local != "c" {
				return c, fmt.Errorf("cell %s ends with %s", attr(e, "r"), t.Name.Local)
			}
			c.typed = !formula && (typ == "s" || typ == "inlineStr")
			c.other = shownOther(typ, formula)
			switch typ {
			case "s":
				i, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil || len(v) > MaxField || i < 0 || i >= len(sst.text) {
					return c, fmt.Errorf("cell %s: shared string %.20q of %d", attr(e, "r"), v, len(sst.text))
				}
				c.text, c.long = sst.text[i], sst.long[i]
				if sst.look != nil {
					c.runs = sst.look[i]
				}
				return c, nil // told once for the string (stringTable.long)
			case "inlineStr":
			case "b":
				c.text = map[string]string{"1": "TRUE", "0": "FALSE"}[strings.TrimSpace(v)]
			case "str", "e", "d":
				c.text = v
			default: // "n", or none: a number
				c.text, c.number = v, v != ""
				c.typed = !formula && c.number
			}
			c.long = overField(c.text)
			return c, nil
		}
	}
}

// overField reports whether s is over MaxField bytes, as read or as
// WriteCSV would write it (csvcell.Escape, which may copy s): a row
// holding it is refused.
func overField(s string) bool {
	return len(s) > MaxField || len(csvcell.Escape(s)) > MaxField
}

// attr is the value of e's attribute name, without a namespace.
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// cellRef is the column and row of a cell reference ("AB12" is 28, 12).
func cellRef(ref string) (col, row int, err error) {
	i := 0
	for ; i < len(ref) && i < 3; i++ {
		c := ref[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			break
		}
		col = col*26 + int(c-'a'+1)
	}
	digits := ref[i:]
	if strings.Trim(digits, "0123456789") == "" && len(digits) <= 7 {
		row, _ = strconv.Atoi(digits)
	}
	if i == 0 || col > maxColumn || row < 1 || row > maxRow {
		return 0, 0, fmt.Errorf("a cell reference %.20q", ref)
	}
	return col, row, nil
}
