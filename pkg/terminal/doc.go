// Package terminal holds what the programs show a person at a terminal,
// beyond plain lines: a progress bar that draws only when stderr is a
// terminal, and a passphrase prompt without echo.
package terminal
