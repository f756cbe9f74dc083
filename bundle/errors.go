package bundle

import (
	"errors"
	"fmt"
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
	Name string // member name as found in the tar header or the manifest
	Err  error  // a sentinel, possibly wrapped with detail
}

func (e *MemberError) Error() string { return fmt.Sprintf("member %q: %v", e.Name, e.Err) }

// Unwrap returns the underlying error, so errors.Is sees the sentinel.
func (e *MemberError) Unwrap() error { return e.Err }

// emptyError is Open's error for an input of no byte: [ErrEmpty], and
// [ErrNotBundle] as it always was, with the message it always had.
type emptyError struct{}

func (emptyError) Error() string { return ErrNotBundle.Error() + ": empty file" }

// Unwrap returns both sentinels, so errors.Is sees either.
func (emptyError) Unwrap() []error { return []error{ErrEmpty, ErrNotBundle} }
