// Package worklist is the connected side's paper and spreadsheet for
// offline activation: the worklist of Installation IDs that need a
// Confirmation ID, as a workbook that staff fill in in Excel, as a CSV
// that ActivationWs and a text editor can use and as a printable page in
// Japanese and English, and the reader of the CID files that come back
// (ActivationWs's records.csv, or the worklist, workbook or CSV, with
// its ConfirmationId column filled in).
//
// # Formats
//
// The CSV is UTF-8 with a byte order mark, CRLF line ends and RFC 4180
// quoting, as ActivationWs writes its records.csv
// (dadorner-msft/activationws, src/web-app/ActivationWs/Api/ActivationEndpoints.cs):
// its seven columns first, exactly as it names them, then ours. A value
// that a spreadsheet would read as a formula (a leading =, +, -, @, tab
// or CR) gets a leading ' as ActivationWs does, and so does one after a
// ';', a tab or a newline in it, as in the reports' CSV files (package
// csvcell): Excel takes ';' or a tab for the separator in some regions,
// and a field holding either is quoted. In the columns Read takes back a
// ' that would be read so is given one more (csvcell.Escape), and Read
// takes the quotes off (csvcell.Unescape). A character that reorders or hides text (a bidi control
// such as U+202E, a zero-width character) is shown as \uXXXX in the
// page and in the CSV's columns that are only shown, as the reports show
// it; the columns Read takes back (the host, the IDs, the device key)
// keep the value as stored, so that it names its device.
// docs/activation.md shows the files.
//
// # Encodings of a CSV file read
//
// What comes back was saved by Excel or LibreOffice Calc: Japanese
// Excel's "CSV" is Shift_JIS without a BOM, a Western-European Excel's
// Windows-1252 without one, its "CSV UTF-8" UTF-8 with one, its "Unicode
// Text" UTF-16LE with one and tabs; Calc saves UTF-8 without one. Read
// takes a BOM's word; without one it reads UTF-8 where the file is UTF-8
// whole, else the encoding, UTF-8, Shift_JIS or Windows-1252, that its
// rows tell: a row only one of them decodes, or (ReadKnown) a row whose
// device key or host name only one reading names as known. A row that
// UTF-8 does not decode and Windows-1252 does (which decodes almost any
// bytes) tells no code page against a row telling UTF-8: it is a row
// damaged, refused alone. It refuses
// (ErrEncoding) a file whose rows tell two encodings, and a row two
// encodings read as different values in a column it takes back where
// nothing tells which, rather than guess: the UTF-8 of many Japanese
// words is valid Shift_JIS too, and the bytes of much Western text are.
// A row that does not decode is refused alone, never kept with U+FFFD in
// a device key.
//
// # The workbook
//
// WriteXLSX writes the CSV's columns and values as text cells in columns
// formatted as text: Excel, opening the CSV by a double-click, turns a
// 63-digit IID into 1.23457E+62 and the digits are lost; in the workbook
// they stay, and so does a CID typed into it. ReadXLSX (and Read, which
// tells a workbook by its content) reads the sheet's XML itself rather
// than through excelize: excelize's reader parses the styles and the
// whole table of shared strings into structures many times the size of
// their XML, copies a shared string for each cell that names it, and
// does not tell a number from a text cell, which a refused IID needs.
// What is unpacked is counted as it is unpacked (MaxXML), and only the
// parts needed are.
//
// The package knows nothing of the database: package fleet builds the
// rows and stores what Read returns.
package worklist
