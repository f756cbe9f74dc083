package worklist

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/csvcell"
	"github.com/actcourier/actcourier/pkg/internal/cut"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// Errors of Read. A file-level error wraps ErrNotCSV, ErrColumns or
// ErrTooLarge; a row's error is a *RowError wrapping ErrRow and the
// shape error (activation.ErrCIDShape, activation.ErrIIDShape).
var (
	// ErrNotCSV means the file is not a CSV file that RFC 4180 reads
	// (a quote out of place, a binary file), or has no header.
	ErrNotCSV = errors.New("worklist: not a CSV file")
	// ErrColumns means the header lacks InstallationId or
	// ConfirmationId.
	ErrColumns = errors.New("worklist: no InstallationId and ConfirmationId columns")
	// ErrTooLarge means the file is over MaxFile bytes or MaxRows rows.
	// A row with a field over MaxField bytes is refused alone (ErrRow).
	ErrTooLarge = errors.New("worklist: over a limit")
	// ErrRow means one row could not be read; the others are.
	ErrRow = errors.New("worklist: row refused")
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
	Detail                               string // why it failed, when it was sent, what to do
	Collected, Obtained                  time.Time
}

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
		rec := []string{r.Host, r.IID, r.ExtendedPID, r.CID, "", isoTime(r.Obtained), "",
			r.Site, r.Line, r.Asset, r.DeviceKey, r.Product, r.ApplicationID, r.ActivationID, r.Class, r.Channel, r.Status,
			string(r.State), r.Detail, isoTime(r.Collected)}
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

// readBack are the columns of Header that Read takes back, by name.
var readBack = map[string]bool{"Host": true, "InstallationId": true, "ExtendedProductId": true, "ConfirmationId": true,
	"CreatedAtUtc": true, "DeviceKey": true, "ActivationId": true}

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
	Row            int // 1 is the first row after the header
	Host, IID, CID string
	ExtendedPID    string
	Obtained       time.Time // ActivationWs's CreatedAtUtc; zero when absent
	DeviceKey      string    // from our worklist; "" from ActivationWs
	ActivationID   string
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
// ConfirmationId columns (found by name, in any case). A BOM, CRLF or LF
// and RFC 4180 quoting are read, with ',' or, when the header is one
// field that holds a ';' (Excel's list separator in some regions), ';'
// between the fields; the ' that WriteCSV put before a formula
// character, at a value's start or after a ';', a tab or a newline, is
// taken off (csvcell.Unescape). Each row's CID must be 48 digits (spaces or dashes
// allowed) and its IID digits; a row without a CID is skipped (counted in
// blank), a row out of shape is refused alone (rowErrs). err is a
// file-level error: ErrNotCSV, ErrColumns or ErrTooLarge.
func Read(r io.Reader) (records []Record, rowErrs []error, blank int, kind string, err error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, nil, 0, "", err
	}
	if len(data) > MaxFile {
		return nil, nil, 0, "", fmt.Errorf("%w: over %d bytes", ErrTooLarge, MaxFile)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, 0, "", fmt.Errorf("%w: header: %v", ErrNotCSV, err)
	}
	if len(header) == 1 && strings.Contains(header[0], ";") {
		// Saved by Excel where the list separator is ';' (German,
		// French, Dutch Windows), which its "CSV" then means.
		cr = csv.NewReader(bytes.NewReader(data))
		cr.Comma, cr.FieldsPerRecord = ';', -1
		if header, err = cr.Read(); err != nil {
			return nil, nil, 0, "", fmt.Errorf("%w: header: %v", ErrNotCSV, err)
		}
	}
	col := map[string]int{}
	for i, h := range header {
		if _, dup := col[strings.ToLower(strings.TrimSpace(h))]; !dup {
			col[strings.ToLower(strings.TrimSpace(h))] = i
		}
	}
	_, ok1 := col["installationid"]
	_, ok2 := col["confirmationid"]
	if !ok1 || !ok2 {
		return nil, nil, 0, "", fmt.Errorf("%w: the header is %.120q", ErrColumns, strings.Join(header, ","))
	}
	kind = KindCSV
	if len(header) >= activationWsColumns && strings.Join(header[:activationWsColumns], ",") == strings.Join(Header[:activationWsColumns], ",") {
		kind = KindActivationWs
		if _, ours := col["devicekey"]; ours {
			kind = KindWorklist
		}
	}
	// A carriage return inside a cell is dropped: no host or ID holds
	// one, and a CSV written with CRLF line ends (WriteCSV, Excel) cannot
	// carry a lone one, so that what is read always writes back the same.
	field := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(strings.ReplaceAll(csvcell.Unescape(rec[i]), "\r", ""))
		}
		return ""
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
		long := false
		for _, f := range rec {
			// Over the limit as read, or as WriteCSV would write it
			// back (a formula's ' added).
			long = long || len(f) > MaxField || len(csvcell.Escape(csvcell.Unescape(f))) > MaxField
		}
		if long {
			// One row edited out of shape costs that row, not the file's
			// other CIDs.
			rowErrs = append(rowErrs, &RowError{Row: n, Err: fmt.Errorf("%w: a field over %d bytes", ErrTooLarge, MaxField)})
			continue
		}
		rawCID := field(rec, "confirmationid")
		if rawCID == "" {
			blank++
			continue
		}
		cid, err := activation.NormalizeCID(rawCID)
		if err != nil {
			rowErrs = append(rowErrs, &RowError{Row: n, Err: idError("ConfirmationId", rawCID, err)})
			continue
		}
		rawIID := field(rec, "installationid")
		iid, err := activation.NormalizeIID(rawIID)
		if err != nil {
			rowErrs = append(rowErrs, &RowError{Row: n, Err: idError("InstallationId", rawIID, err)})
			continue
		}
		// When ActivationWs obtained the CID, as the file says: a time
		// out of any plausible range is unknown (a store must write and
		// read it back; year 0 with an offset is year -1 in UTC).
		obtained, _ := time.Parse(time.RFC3339Nano, field(rec, "createdatutc"))
		if obtained.Before(minObtained) || obtained.After(maxObtained) {
			obtained = time.Time{}
		}
		records = append(records, Record{Row: n, Host: field(rec, "host"), IID: iid, CID: cid, ExtendedPID: field(rec, "extendedproductid"),
			Obtained: obtained, DeviceKey: field(rec, "devicekey"), ActivationID: field(rec, "activationid")})
	}
	return records, rowErrs, blank, kind, nil
}

// excelNumber matches what Excel makes of a long run of digits in a CSV
// cell it opens, or one typed into a cell: a number in scientific
// notation (1.23457E+62), the digits past the 15th lost.
var excelNumber = regexp.MustCompile(`^[0-9](\.[0-9]+)?[Ee]\+[0-9]+$`)

// idError is the error of an ID column out of shape. An ID Excel turned
// into a number says so and how to keep the digits: the worklist opened
// in Excel, a CID typed, and saved lose every IID's digits, and a row
// said only "'.' is not a digit".
func idError(column, raw string, err error) error {
	if excelNumber.MatchString(raw) {
		return fmt.Errorf("%s: %w: %s is a number Excel made of the digits when it opened the file or the ID was typed; "+
			"the digits are lost: write the CIDs into a fresh worklist in a text editor, or open it in Excel with "+
			"Data > From Text/CSV and the ID columns as text, and type each CID with dashes or spaces between its groups",
			column, err, raw)
	}
	return fmt.Errorf("%s: %w", column, err)
}
