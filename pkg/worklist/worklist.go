package worklist

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/csvcell"
	"github.com/actcourier/actcourier/pkg/internal/cut"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// Errors of Read and ReadXLSX. A file-level error wraps ErrNotCSV,
// ErrNotWorkbook, ErrColumns, ErrTooLarge or ErrEncoding; a row's error
// is a *RowError wrapping ErrRow and the shape error
// (activation.ErrCIDShape, activation.ErrIIDShape) or ErrEncoding.
var (
	// ErrNotCSV means the file is not a CSV file that RFC 4180 reads
	// (a quote out of place, a binary file), or has no header.
	ErrNotCSV = errors.New("worklist: not a CSV file")
	// ErrNotWorkbook means a file read as a workbook (a zip archive, or
	// a name ending in .xlsx) is not an .xlsx workbook that can be read:
	// not a zip archive, an .xls file, a damaged part.
	ErrNotWorkbook = errors.New("worklist: not a workbook")
	// ErrColumns means the header lacks InstallationId or
	// ConfirmationId, or has a column Read takes twice.
	ErrColumns = errors.New("worklist: not one InstallationId and one ConfirmationId column")
	// ErrTooLarge means the file is over MaxFile bytes or MaxRows rows
	// (or a workbook over a limit of ReadXLSX).
	// A row with a field over MaxField bytes is refused alone (ErrRow).
	ErrTooLarge = errors.New("worklist: over a limit")
	// ErrRow means one row could not be read; the others are.
	ErrRow = errors.New("worklist: row refused")
	// ErrEncoding means a CSV file's text is in no encoding Read takes
	// (UTF-8, UTF-16 with a BOM, Shift_JIS, Windows-1252), or its rows
	// tell two of them, or could be in UTF-8 or a code page with
	// different values; or a row's text does not decode in the file's
	// encoding, or reads as different values in Shift_JIS and
	// Windows-1252 and nothing tells which (then wrapped in a
	// *RowError, the row alone refused).
	ErrEncoding = errors.New("worklist: text encoding not read")
)

// The times a CID file may say a CID was obtained: others are unknown.
var (
	minObtained = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxObtained = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Limits of a CID file. A genuine one holds a row per product of a
// fleet's unactivated machines, under 200 bytes each.
const (
	MaxFile  = 16 << 20 // bytes
	MaxRows  = 100000
	MaxField = 1024 // bytes
)

// State is where a request for a Confirmation ID stands.
type State string

const (
	// NeedsCID: no CID on file for the IID: request one.
	NeedsCID State = "needs-cid"
	// CIDOnFile: a CID is on file: no new request; it goes on the next
	// return file.
	CIDOnFile State = "cid-on-file"
	// Sent: in a return file on a stick, not yet applied.
	Sent State = "sent"
	// Applied: the machine's proof says the CID was applied.
	Applied State = "applied"
	// Failed: the machine refused it or failed (Detail says why).
	Failed State = "failed"
	// NoIID: the collection holds no IID: collect the machine again
	// (as administrator).
	NoIID State = "no-iid"
)

// States in the order of the page's counts.
var States = []State{NeedsCID, CIDOnFile, Sent, Applied, Failed, NoIID}

// Row is one product of one device that needs, or needed, a CID.
type Row struct {
	Host, IID, ExtendedPID, CID          string
	Site, Line, Asset, DeviceKey         string
	Product, ApplicationID, ActivationID string
	Class, Channel, Status               string
	State                                State
	// Detail says in English why it failed, when it was sent, what to
	// do: the CSV's and the workbook's Detail column. Note is the same
	// as data, which the page says in both languages (SetNote sets
	// both); a Row without a Note shows its Detail as it is.
	Detail              string
	Note                Note
	Collected, Obtained time.Time
}

// SetNote sets r's Note and its Detail, n in English.
func (r *Row) SetNote(n Note) { r.Note, r.Detail = n, n.English().String() }

// Header is the CSV header: ActivationWs's records.csv columns, exactly,
// then ours.
var Header = []string{"Host", "InstallationId", "ExtendedProductId", "ConfirmationId", "RequestCount", "CreatedAtUtc", "LastRequestedAtUtc",
	"Site", "Line", "Asset", "DeviceKey", "Product", "ApplicationId", "ActivationId", "Class", "Channel", "LicenseStatus", "State", "Detail", "CollectedAt"}

// activationWsColumns is how many leading columns are ActivationWs's.
const activationWsColumns = 7

// WriteCSV writes rows as the worklist CSV: UTF-8 with a BOM, CRLF, RFC
// 4180 quoting and a field holding ';' or a tab quoted too (csvcell.Writer,
// as the reports write theirs), formulas neutralized (csvcell.Text, and
// csvcell.Escape in the columns Read takes back, which Read undoes),
// times in UTC ISO 8601, each cell cut to MaxField bytes, so that Read
// takes back what it wrote.
//
// The columns Read takes back (Host, InstallationId, ExtendedProductId,
// ConfirmationId, CreatedAtUtc, DeviceKey, ActivationId: readBack) are
// written as stored, so that what comes back names the device and
// product it was written for: a character that reorders or hides text
// stays in them as it is. Every other column is only shown, and shows
// such a character as \uXXXX, as the reports do (terminal.ShowHidden):
// an asset tag holding U+202E would read backwards in Excel. The page
// (WritePage) shows every value so.
func WriteCSV(w io.Writer, rows []Row) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\ufeff")
	cw := csvcell.NewWriter(bw)
	cw.Write(Header)
	for _, r := range rows {
		rec := record(r)
		for i := range rec {
			if readBack[Header[i]] {
				rec[i] = fit(rec[i], csvcell.Escape)
			} else {
				rec[i] = fit(terminal.ShowHidden(rec[i]), csvcell.Text)
			}
		}
		cw.Write(rec)
	}
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// record is r's values in Header's order, as stored.
func record(r Row) []string {
	return []string{r.Host, r.IID, r.ExtendedPID, r.CID, "", isoTime(r.Obtained), "",
		r.Site, r.Line, r.Asset, r.DeviceKey, r.Product, r.ApplicationID, r.ActivationID, r.Class, r.Channel, r.Status,
		string(r.State), r.Detail, isoTime(r.Collected)}
}

// readBack are the columns of Header that Read takes back, by name
// (readBackNames).
var readBack = func() map[string]bool {
	m := map[string]bool{}
	for _, name := range readBackNames {
		m[name] = true
	}
	return m
}()

// fit is the cell WriteCSV writes for s: safe(s), cut at a character
// to MaxField bytes, so that Read takes back whatever the database
// holds. A column Read takes back is made safe by csvcell.Escape, whose
// quotes Read takes off again (csvcell.Unescape); a column only shown,
// by csvcell.Text. Both quote a formula after a ';', a tab or a newline
// (where Excel splits a line at ';') too, and may add a quote for each.
func fit(s string, safe func(string) string) string {
	n := MaxField
	c := safe(cut.Bytes(s, n))
	for len(c) > MaxField {
		n -= len(c) - MaxField
		c = safe(cut.Bytes(s, n))
	}
	return c
}

func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// Record is one CID read from a file.
type Record struct {
	Row            int // 1 is the first row after a CSV file's header; a workbook's row as Excel numbers it
	Host, IID, CID string
	ExtendedPID    string
	Obtained       time.Time // ActivationWs's CreatedAtUtc; zero when absent
	DeviceKey      string    // from our worklist; "" from ActivationWs
	ActivationID   string
	// Hidden says why a person looking at the workbook did not see the
	// pair: its row, or its InstallationId or ConfirmationId column, is
	// hidden in Excel (hidden, filtered out, of no height or width, in a
	// collapsed outline), or its cell of either is under a merged cell
	// that is not its first, or formatted to show nothing of it (a
	// number format such as ";;;", a font, or a run of its rich text, of
	// the colour behind it or under 6 points, or a conditional format
	// that could give it one), or other than it (a number format that
	// adds or changes characters, "123456-"@), or it holds a formula
	// (its value read is the one saved with it, which Excel shows only
	// until it computes the formula again), an error or a date; "" when
	// it is shown, and in a CSV file.
	Hidden string
}

// RowError is a row Read refused; it unwraps to ErrRow and the cause.
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string   { return fmt.Sprintf("row %d: %v", e.Row, e.Err) }
func (e *RowError) Unwrap() []error { return []error{ErrRow, e.Err} }

// Kinds of CID file Read tells apart by their header.
const (
	KindActivationWs = "activationws" // records.csv exported by ActivationWs
	KindWorklist     = "worklist"     // our worklist, ConfirmationId filled in
	KindCSV          = "csv"          // any CSV with the two columns
)

// Read reads a CID file: ActivationWs's records.csv, our worklist with
// ConfirmationId filled in, or any CSV with InstallationId and
// ConfirmationId columns (found by name, in any case); or, by its
// content (a zip archive), a workbook, as ReadXLSX reads it. CRLF or LF
// and RFC 4180 quoting are read, with ',' or, when the header is one
// field that holds a ';' (Excel's list separator in some regions) or
// is no CSV with ',' but is with ';' (LibreOffice Calc's "Quote all
// text cells"), ';' between the fields, or a tab when it holds one
// (Excel's "Unicode Text"). The text is UTF-8, UTF-16LE or UTF-16BE as
// its BOM says; without one, UTF-8, Shift_JIS (code page 932, Excel's
// "CSV" on Japanese Windows) or Windows-1252 (code page 1252, on
// Western-European Windows) as chooseEncoding tells them apart, or an
// ErrEncoding; a row its encoding does not decode, or that the two code
// pages read differently where nothing tells which, is refused alone
// (ErrEncoding). The ' that WriteCSV put before a formula
// character, at a value's start or after a ';', a tab or a newline, is
// taken off (csvcell.Unescape). Each row's CID must be 48 digits (spaces or dashes
// allowed) and its IID digits; a row without a CID is skipped (counted in
// blank), a row out of shape is refused alone (rowErrs). err is a
// file-level error: ErrNotCSV, ErrColumns, ErrTooLarge or ErrEncoding
// (or, for a workbook or an .xls file, ErrNotWorkbook).
func Read(r io.Reader) (records []Record, rowErrs []error, blank int, kind string, err error) {
	return ReadKnown(r, nil)
}

// ReadKnown is Read, telling the code page of a CSV file without a BOM
// by the device keys and host names known also: where Shift_JIS and
// Windows-1252 read a row's DeviceKey or Host differently, the reading
// known tells the file's code page. Where nothing tells it, such a row
// is refused alone (ErrEncoding), never stored as a guess; known may be
// nil (Read), none known.
func ReadKnown(r io.Reader, known Known) (records []Record, rowErrs []error, blank int, kind string, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, nil, 0, "", err
	}
	if len(data) > MaxFile {
		return nil, nil, 0, "", fmt.Errorf("%w: over %d bytes", ErrTooLarge, MaxFile)
	}
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return readXLSX(data)
	case bytes.HasPrefix(data, oleMagic):
		return nil, nil, 0, "", notWorkbook(data)
	}
	data, enc, marked := byBOM(data)
	if !marked && unmarkedUTF16(data) {
		return nil, nil, 0, "", fmt.Errorf("%w: its first character is UTF-16 (a NUL byte beside an ASCII one), without the byte order mark "+
			"that tells its byte order; %s", ErrEncoding, saveUTF8)
	}
	// A header is a line of column names, a few hundred bytes: one over
	// maxHeader is refused before the CSV reader reads it, up to three
	// times (',', ';', a tab), each copying it into its buffers; a
	// hostile file of one line of 16 MiB cost 267 MiB with Go 1.20.
	if end := bytes.IndexByte(data, '\n'); end > maxHeader || end < 0 && len(data) > maxHeader {
		return nil, nil, 0, "", fmt.Errorf("%w: its first line, the header, is over %d bytes; a CID file's header names its columns (Host, InstallationId, ConfirmationId, …)",
			ErrNotCSV, maxHeader)
	}
	cr := newCSV(data, ',')
	header, err := cr.Read()
	if err != nil || len(header) == 1 && strings.ContainsAny(header[0], ";\t") {
		// Saved by Excel where the list separator is ';' (German,
		// French, Dutch Windows), which its "CSV" then means; or by
		// LibreOffice Calc with ';' and "Quote all text cells", whose
		// header ("Host";"InstallationId";...) is no CSV with ','; or
		// by Excel as "Unicode Text" or "Text (Tab delimited)", tabs
		// between the fields.
		var errAlt error
		found := false
		for _, sep := range []rune{';', '\t'} {
			alt := newCSV(data, sep)
			h, e := alt.Read()
			if e == nil && len(h) > 1 {
				cr, header, err, found = alt, h, nil, true
				break
			}
			if errAlt == nil {
				errAlt = e
			}
		}
		if !found && err == nil {
			err = errAlt
		}
		if err != nil {
			return nil, nil, 0, "", fmt.Errorf("%w: header: %v", ErrNotCSV, err)
		}
	}
	rd := rowReader{fix: csvFix}
	if err := rd.setHeader(header); err != nil {
		return nil, nil, 0, "", err
	}
	var untold map[int]error
	if !marked {
		if enc, untold, err = chooseEncoding(data, cr.Comma, rd.col, known); err != nil {
			return nil, nil, 0, "", err
		}
	}
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, 0, "", fmt.Errorf("%w: row %d: %v", ErrNotCSV, n, err)
		}
		if n > MaxRows {
			return nil, nil, 0, "", fmt.Errorf("%w: over %d rows", ErrTooLarge, MaxRows)
		}
		// A row its encoding cannot decode is refused, not stored
		// with U+FFFD where its text was: a device key so changed
		// names no device. So is one whose code page is not told.
		if err := untold[n]; err != nil {
			rd.rowErrs = append(rd.rowErrs, &RowError{Row: n, Err: err})
			continue
		}
		if err := decodeRecord(rec, enc); err != nil {
			rd.rowErrs = append(rd.rowErrs, &RowError{Row: n, Err: err})
			continue
		}
		long := false
		for _, f := range rec {
			// Over the limit as read, or as WriteCSV would write it
			// back (a formula's ' added).
			long = long || len(f) > MaxField || len(csvcell.Escape(csvcell.Unescape(f))) > MaxField
		}
		// A carriage return inside a cell is dropped: no host or ID holds
		// one, and a CSV written with CRLF line ends (WriteCSV, Excel) cannot
		// carry a lone one, so that what is read always writes back the same.
		rd.row(n, long, func(name string) (string, bool) {
			if i, ok := rd.col[name]; ok && i < len(rec) {
				return cell(rec[i]), false
			}
			return "", false
		})
	}
	return rd.records, rd.rowErrs, rd.blank, rd.kind, nil
}

// maxHeader is the longest first line a CID file may have (bytes): a
// worklist's or ActivationWs's header names its columns in a few hundred.
const maxHeader = 64 << 10

func newCSV(data []byte, sep rune) *csv.Reader {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord = sep, -1
	return cr
}

// rowReader makes records of a CID file's rows, a CSV file's (Read) or a
// workbook's (ReadXLSX).
type rowReader struct {
	col     map[string]int // the header's columns by lower-case name; nil before it
	kind    string
	fix     string // how to keep an ID's digits from Excel: csvFix or xlsxFix
	records []Record
	rowErrs []error
	blank   int
	rows    int // read after the header
}

// setHeader takes the columns' names, or returns ErrColumns.
func (rd *rowReader) setHeader(header []string) error {
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[name]; !dup {
			col[name] = i
			continue
		}
		// A column read twice: which one holds the CID (a hidden one
		// of a workbook, one added before the one shown)? The file
		// cannot say; a genuine one has each once.
		for r := range readBack {
			if strings.EqualFold(r, name) {
				return fmt.Errorf("%w: the column %s is there twice, in the header %.120q", ErrColumns, r, strings.Join(header, ","))
			}
		}
	}
	_, ok1 := col["installationid"]
	_, ok2 := col["confirmationid"]
	if !ok1 || !ok2 {
		return fmt.Errorf("%w: the header is %.120q", ErrColumns, strings.Join(header, ","))
	}
	rd.col, rd.kind = col, KindCSV
	if len(header) >= activationWsColumns && strings.Join(header[:activationWsColumns], ",") == strings.Join(Header[:activationWsColumns], ",") {
		rd.kind = KindActivationWs
		if _, ours := col["devicekey"]; ours {
			rd.kind = KindWorklist
		}
	}
	return nil
}

// row reads row n: long says a field is over MaxField; field gives a
// column's value by its lower-case name ("" when the row has none), and
// whether the file holds it as a number.
func (rd *rowReader) row(n int, long bool, field func(name string) (string, bool)) {
	if long {
		// One row edited out of shape costs that row, not the file's
		// other CIDs.
		rd.rowErrs = append(rd.rowErrs, &RowError{Row: n, Err: fmt.Errorf("%w: a field over %d bytes", ErrTooLarge, MaxField)})
		return
	}
	rawCID, number := field("confirmationid")
	if rawCID == "" {
		rd.blank++
		return
	}
	cid, err := rd.id("ConfirmationId", rawCID, number, activation.NormalizeCID, activation.ErrCIDShape)
	if err != nil {
		rd.rowErrs = append(rd.rowErrs, &RowError{Row: n, Err: err})
		return
	}
	rawIID, number := field("installationid")
	iid, err := rd.id("InstallationId", rawIID, number, activation.NormalizeIID, activation.ErrIIDShape)
	if err != nil {
		rd.rowErrs = append(rd.rowErrs, &RowError{Row: n, Err: err})
		return
	}
	text := func(name string) string { v, _ := field(name); return v }
	// When ActivationWs obtained the CID, as the file says: a time
	// out of any plausible range is unknown (a store must write and
	// read it back; year 0 with an offset is year -1 in UTC).
	obtained, _ := time.Parse(time.RFC3339Nano, text("createdatutc"))
	if obtained.Before(minObtained) || obtained.After(maxObtained) {
		obtained = time.Time{}
	}
	rd.records = append(rd.records, Record{Row: n, Host: text("host"), IID: iid, CID: cid, ExtendedPID: text("extendedproductid"),
		Obtained: obtained, DeviceKey: text("devicekey"), ActivationID: text("activationid")})
}

// id is the digits of an ID column's value raw, or its error. A number
// (a workbook's numeric cell) is taken only while Excel keeps all its
// digits, 15: an IID or CID it made a number of has lost them.
func (rd *rowReader) id(column, raw string, number bool, normalize func(string) (string, error), shape error) (string, error) {
	if number && !keptDigits.MatchString(raw) {
		return "", fmt.Errorf("%s: %w: %s is a number Excel made of the digits when the ID was typed or pasted; "+
			"the digits are lost: %s", column, fmt.Errorf("%w: a number, not text", shape), excelShows(raw), rd.fix)
	}
	id, err := normalize(raw)
	if err != nil {
		return "", idError(column, raw, err, rd.fix)
	}
	return id, nil
}

// keptDigits matches a number that Excel holds with all its digits.
var keptDigits = regexp.MustCompile(`^[0-9]{1,15}$`)

// excelShows is a number as Excel shows it in a General cell, as
// 1.23457E+62, or as it is if it is none.
func excelShows(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return strconv.Quote(cut.Bytes(v, 40))
	}
	return strconv.FormatFloat(f, 'G', 6, 64)
}

// How to keep an ID's digits from Excel, for a CSV file and a workbook.
const (
	csvFix = "fill in the worklist workbook (activation-worklist.xlsx), whose ID columns are text; or write the CIDs into a fresh " +
		"worklist CSV in a text editor, or open it in Excel with Data > From Text/CSV and the ID columns as text, and type each " +
		"CID with dashes or spaces between its groups"
	xlsxFix = "fill in a fresh worklist workbook (activation-worklist.xlsx), whose ID columns are formatted as text, or format " +
		"the column as text before typing; type each CID with dashes or spaces between its groups"
)

// excelNumber matches what Excel makes of a long run of digits in a CSV
// cell it opens, or one typed into a cell: a number in scientific
// notation (1.23457E+62), the digits past the 15th lost.
var excelNumber = regexp.MustCompile(`^[0-9](\.[0-9]+)?[Ee]\+[0-9]+$`)

// idError is the error of an ID column out of shape. An ID Excel turned
// into a number says so and how to keep the digits (fix): the worklist
// opened in Excel, a CID typed, and saved lose every IID's digits, and
// a row said only "'.' is not a digit".
func idError(column, raw string, err error, fix string) error {
	if excelNumber.MatchString(raw) {
		return fmt.Errorf("%s: %w: %s is a number Excel made of the digits when it opened the file or the ID was typed; "+
			"the digits are lost: %s", column, err, raw, fix)
	}
	return fmt.Errorf("%s: %w", column, err)
}
