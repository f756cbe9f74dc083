// Package worklist is the connected side's paper and spreadsheet for
// offline activation: the worklist of Installation IDs that need a
// Confirmation ID, as a CSV that ActivationWs and a person can use and
// as a printable page in Japanese and English, and the reader of the CID
// files that come back (ActivationWs's records.csv, or the worklist with
// its ConfirmationId column filled in).
//
// # Formats
//
// The CSV is UTF-8 with a byte order mark, CRLF line ends and RFC 4180
// quoting, as ActivationWs writes its records.csv
// (dadorner-msft/activationws, src/web-app/ActivationWs/Api/ActivationEndpoints.cs):
// its seven columns first, exactly as it names them, then ours. A value
// that a spreadsheet would read as a formula (a leading =, +, -, @, tab
// or CR) gets a leading ' as ActivationWs does, and Read takes it off.
// docs/activation.md shows both files.
//
// The package knows nothing of the database: package fleet builds the
// rows and stores what Read returns.
package worklist
