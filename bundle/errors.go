package bundle

import (
	"errors"
	"fmt"
	"strconv"
)

// Errors returned by [Open] and by the [Writer]. Every error either of them
// returns for a bad bundle wraps exactly one of these, so a caller sorts
// failures with errors.Is; read errors of the underlying file (a pulled
// stick, a bad sector) are returned as they are, wrapped with the step.
var (
	// ErrWrongKey means no identity passed to Open can decrypt the bundle:
	// it was encrypted to other recipients (another site's key).
	ErrWrongKey = errors.New("bundle: no identity matches this bundle")

	// ErrNotBundle means the input is not an ActCourier bundle at all: not
	// an age file, not zstd inside, not tar inside that, or no manifest of
	// this format first.
	ErrNotBundle = errors.New("bundle: not an ActCourier bundle")

	// ErrEmpty means the input holds no byte at all: a copy or a write
	// cut short (a full disk, a stick pulled), never a file a collector
	// leaves, so the file is to be copied again rather than left out. An
	// error that wraps it wraps ErrNotBundle too, its class in SPEC.md.
	ErrEmpty = errors.New("bundle: empty file")

	// ErrTampered means the age layer failed to authenticate: the file was
	// truncated (an interrupted copy) or modified after it was written.
	ErrTampered = errors.New("bundle: truncated or modified")

	// ErrTooLarge means the bundle exceeds a [Limits] value: a member, the
	// member count, the total decompressed size or the zstd window. Open stops
	// reading as soon as it knows, so a decompression bomb costs little.
	ErrTooLarge = errors.New("bundle: exceeds limits")

	// ErrUnsupportedVersion means the manifest names a major format version
	// this package does not know. A newer collector wrote it: update the
	// importer.
	ErrUnsupportedVersion = errors.New("bundle: unsupported format version")

	// ErrManifestMismatch means the manifest is malformed or disagrees with
	// the members: one is listed but absent, present but unlisted, or its
	// size or SHA-256 differs.
	ErrManifestMismatch = errors.New("bundle: manifest does not match members")

	// ErrInsecureMember means a tar member is not a plain file with a clean
	// relative name: a link, a device, a directory, an absolute path, a name
	// with "..", or a name given twice.
	ErrInsecureMember = errors.New("bundle: insecure or invalid member")

	// ErrNoRecipient is returned by NewWriter when it is given no recipient:
	// a bundle nobody can open, or worse plaintext, is never written.
	ErrNoRecipient = errors.New("bundle: no recipient to encrypt to")
)

// MemberError carries the member name for a failure that concerns one
// member. It unwraps to one of the package's sentinel errors.
type MemberError struct {
	// Name is the member name as found in the tar header or the
	// manifest; one over 255 bytes, never valid, is cut to its first
	// 255 bytes and "…" (memberError).
	Name string
	Err  error // a sentinel, possibly wrapped with detail
}

func (e *MemberError) Error() string { return fmt.Sprintf("member %q: %v", e.Name, e.Err) }

// Unwrap returns the underlying error, so errors.Is sees the sentinel.
func (e *MemberError) Unwrap() error { return e.Err }

// memberError is a MemberError of a name a bundle gives, cut as Name
// says.
func memberError(name string, err error) *MemberError {
	if len(name) > maxShown {
		name = name[:maxShown] + "…" // a copy: the whole name is not kept
	}
	return &MemberError{name, err}
}

// maxShown is how many bytes of a value a bundle gives an error quotes
// (shown, memberError): as many as the longest valid member name.
const maxShown = maxNameLen

// shown is s as an error quotes it (%q), cut to its first maxShown bytes
// and its length. A forged bundle can give a member a name of a megabyte
// (a PAX or GNU long name, from a file of a few hundred bytes) and its
// manifest values of up to 64 KiB; quoted whole, a rejected bundle's
// error was up to four times that, and an import keeps the error of every
// input it rejects until its summary (TestErrorsBounded).
func shown(s string) string {
	if len(s) <= maxShown {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:maxShown], len(s))
}

// emptyError is Open's error for an input of no byte: [ErrEmpty], and
// [ErrNotBundle] as it always was, with the message it always had.
type emptyError struct{}

func (emptyError) Error() string { return ErrNotBundle.Error() + ": empty file" }

// Unwrap returns both sentinels, so errors.Is sees either.
func (emptyError) Unwrap() []error { return []error{ErrEmpty, ErrNotBundle} }

// cutText is a dependency's error message cut to its first 1 KiB and
// "…": age quotes a malformed line of its header whole, up to the
// header's 64 KiB, four times over where its bytes are not printable
// (TestAgeErrorBounded).
func cutText(s string) string {
	const max = 1 << 10
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}
