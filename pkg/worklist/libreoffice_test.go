package worklist

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/activation"
)

// TestReadLibreOffice: the worklist as staff fill it in LibreOffice Calc
// and save it, each file saved by LibreOffice 7.4.7 itself
// (testdata/libreoffice/README.md says how each was made): every CID
// typed, pasted or left behind a filter is read, each row shown; a
// worklist CSV opened in Calc as it opens any CSV, its IIDs and a CID
// of 48 digits in one made numbers, is refused row by row, as a
// workbook Excel saved so is.
func TestReadLibreOffice(t *testing.T) {
	const (
		iid1 = "012345601234560123456012345601234560123456012345601234560123456"
		iid2 = "765432765432765432765432765432765432765432765432765432"
		cid1 = "780551683127519032764195586859801135836999476342"
		cid2 = "566970192333030149625649247488241398308140028932"
	)
	// A workbook's rows as Excel numbers them; a CSV file's from the
	// first after its header.
	type rec struct {
		row      int
		iid, cid string
	}
	type refusal struct {
		row int
		err error
	}
	inBook := []rec{{3, iid1, cid1}, {4, iid2, cid2}}
	inCSV := []rec{{2, iid1, cid1}, {3, iid2, cid2}}
	for _, tc := range []struct {
		file    string
		kind    string
		want    []rec
		refused []refusal // in order
	}{
		{"typed.xlsx", KindWorklist, inBook, nil},
		{"typed-solid.xlsx", KindWorklist, inBook, nil},
		{"filtered.xlsx", KindWorklist, inBook, nil},
		{"spaced-excel2007.xlsx", KindWorklist, inBook, nil},
		{"dashed.csv", KindWorklist, inCSV, nil},
		{"spaced-semicolon.csv", KindWorklist, inCSV, nil},
		{"quoted-semicolon.csv", KindWorklist, inCSV, nil},
		// Row 3's CID and IID are numbers, told by its CID; row 4's IID.
		{"numbers.xlsx", KindWorklist, nil, []refusal{{3, activation.ErrCIDShape}, {4, activation.ErrIIDShape}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "libreoffice", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, rowErrs, blank, kind, err := Read(f)
			if err != nil {
				t.Fatalf("got %v, want the records", err)
			}
			if kind != tc.kind || blank != 1 {
				t.Errorf("got kind %q, %d blank; want %q, 1 blank (the no-iid row)", kind, blank, tc.kind)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d records %+v, want %d", len(got), got, len(tc.want))
			}
			for i, w := range tc.want {
				g := got[i]
				if g.Row != w.row || g.IID != w.iid || g.CID != w.cid || g.Hidden != "" || g.Host != "FA-NG-L2-012" {
					t.Errorf("record %d: got row %d, host %q, IID %s, CID %s, hidden %q; want row %d, FA-NG-L2-012, %s, %s, shown",
						i, g.Row, g.Host, g.IID, g.CID, g.Hidden, w.row, w.iid, w.cid)
				}
			}
			if len(rowErrs) != len(tc.refused) {
				t.Fatalf("got %d rows refused %v, want %v", len(rowErrs), rowErrs, tc.refused)
			}
			for i, e := range rowErrs {
				var re *RowError
				if w := tc.refused[i]; !errors.As(e, &re) || re.Row != w.row || !errors.Is(e, w.err) {
					t.Errorf("refusal %d: got %v, want row %d refused: %v", i, e, w.row, w.err)
				}
			}
		})
	}
}

// TestReadLibreOfficeODS: a worklist saved in LibreOffice Calc's own
// format, an OpenDocument spreadsheet (.ods: `fill.py worklist.xlsx
// dashed string cids.txt`, saved with the filter calc8), is no workbook
// cids reads, and the refusal says what it is and how to save it as
// one: Calc saves .ods unless told to keep the .xlsx format, where the
// message said only "a zip archive without xl/workbook.xml".
func TestReadLibreOfficeODS(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "libreoffice", "dashed.ods"))
	if err != nil {
		t.Fatal(err)
	}
	_, _, _, _, err = ReadXLSX(bytes.NewReader(data))
	if !errors.Is(err, ErrNotWorkbook) || !strings.Contains(err.Error(), "OpenDocument spreadsheet (.ods)") ||
		!strings.Contains(err.Error(), "Excel 2007-365") {
		t.Errorf("got %v, want %v naming an OpenDocument spreadsheet (.ods) and Calc's Excel 2007-365 file type", err, ErrNotWorkbook)
	}
}
