// Package slmgr reads saved output of slmgr.vbs (/dli, /dlv, /xpr, /ato)
// and ospp.vbs (/dstatus, /act) into licensing products.
//
// # Encodings
//
// [Decode] detects UTF-8, UTF-16 (with or without BOM, as cscript //U
// writes), Shift_JIS (code page 932) and falls back to Windows-1252; CRLF,
// LF, or CR CR LF (CRLF passed once more through a text-mode copy). It
// is all the collector needs and links. Text saved in another console
// code page (GBK, Big5, EUC-KR, Windows-125x) is decoded by a detector
// given in [Options.Decode]; pkg/codepage has one, which refuses with a
// hint rather than garble.
//
// # Languages
//
// slmgr.vbs takes its labels from slmgr.ini in the machine's language
// (shared/DOMAIN.md). [Parse] matches lines against those resource strings
// by key: English is built in ([English]); another language comes from the
// slmgr.ini the collector copies ([ParseStrings]). With no strings for the
// language, lines are read by the shapes of their values, whatever the
// label: license names, descriptions and channel tokens (with - or _, in
// any case), GUIDs, extended PIDs, partial keys, service versions (never a
// product), "N unit (M unit)" minute counts checked against their days,
// HRESULTs, KMS hosts; status words come from a table of words seen in
// real output (localized.go, sources in SOURCES.md). A word not in it
// leaves the status unknown, and [Result.Unread] names what could not be
// read. ospp.vbs labels are English on every machine.
//
// # Pastes
//
// A paste may hold both tools' output: ospp lines are told apart by the
// labels only ospp.vbs prints, and a /dstatus tail without its header is
// still ospp. Failed /ato output and its popups give one product of
// unknown status with the HRESULT, never a product named after an error
// or a path. Blocks of one SKU (/act and /dstatus, /ato and /dlv) are
// merged. ospp output whose line breaks were lost is split back into
// lines before its labels, which no value holds. A reply's quote marks ("> " before every line) are taken
// off, and so is the indent a paragraph's lines have in common (a
// code block's). Lines wrapped at 80 columns are joined; banners, prompts
// (with the command typed at them), window titles and separators are
// skipped, but a prompt's line that holds a label's colon or an
// Activation ID in parentheses after it (output run on after the
// command, in labels not known) is kept
// as not understood, with a note; every other line not
// understood is kept in [Result.Unknown], up to the first 1000 of them
// ([Result.UnknownOmitted] counts the others).
//
// # Bounds
//
// A text is read for its first 32768 lines (a run of blank lines
// counting as one) and its first 2048 product blocks, and a line longer
// than 4096 bytes is not read but kept in Result.Unknown, cut to 1024
// bytes; a note in [Result.Notes] says what each bound left out. Genuine
// output is far within them; with them, a text of 4 MiB given to
// import-text costs at most a few times its size in memory. Parse never
// fails on odd input.
package slmgr
