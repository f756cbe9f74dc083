package activation

import (
	"errors"
	"fmt"
)

// Errors of this package. Every error OpenReturn, UnmarshalProof and the
// shape checks return for bad input wraps exactly one of them.
var (
	// ErrWrongPassphrase means the passphrase does not open the return
	// file: it is not the one the file was written with.
	ErrWrongPassphrase = errors.New("activation: the passphrase does not open this return file")
	// ErrNoPassphrase means an empty passphrase was given.
	ErrNoPassphrase = errors.New("activation: no passphrase given")
	// ErrNotReturn means the input is not a return file: not an age
	// file, not encrypted to a passphrase (a bundle is encrypted to
	// keys), or not this format inside.
	ErrNotReturn = errors.New("activation: not a return file")
	// ErrTampered means the return file opened with its passphrase but
	// failed age's authentication: it was cut short or changed.
	ErrTampered = errors.New("activation: return file truncated or modified")
	// ErrTooLarge means an input is over a limit: the return file's
	// size, its items, its scrypt work factor, or a proof's outcomes.
	ErrTooLarge = errors.New("activation: over a limit")
	// ErrUnsupportedVersion means a major format version this program
	// does not know: a newer importer wrote it.
	ErrUnsupportedVersion = errors.New("activation: unsupported format version")
	// ErrInvalid means a field of a return file, a proof or a key file
	// is out of shape; the error names the item or line.
	ErrInvalid = errors.New("activation: invalid field")
	// ErrIIDShape means an Installation ID that is not digits (spaces
	// and dashes between groups allowed), or longer than MaxIIDDigits.
	ErrIIDShape = errors.New("activation: not an Installation ID")
	// ErrCIDShape means a Confirmation ID that is not 48 digits (spaces
	// and dashes between groups allowed).
	ErrCIDShape = errors.New("activation: not a Confirmation ID")
	// ErrKeyShape means a product key that is not five groups of five
	// letters and digits. Errors wrapping it never quote the key.
	ErrKeyShape = errors.New("activation: not a product key")
	// ErrIIDChanged is why Apply refuses an item when the product's
	// Installation ID, read again at the machine, is not the one its CID
	// was obtained for: the IID depends on the hardware and the key, so a
	// CID for the old one cannot activate the product (DOMAIN.md "The
	// return path").
	ErrIIDChanged = errors.New("activation: the hardware or the key changed since the IID was taken: take a new IID")
)

// HRESULTError is a failure of a licensing method that carries its
// HRESULT, as a COM error from WMI does: 0xC004F031, 0xC004F04D…
type HRESULTError struct {
	Method string // DepositOfflineConfirmationId, InstallProductKey…
	Code   uint32
}

func (e *HRESULTError) Error() string { return fmt.Sprintf("%s: 0x%08X", e.Method, e.Code) }

// HRESULT returns the code.
func (e *HRESULTError) HRESULT() uint32 { return e.Code }

// Code returns the HRESULT an error carries: any error in its chain
// with a method HRESULT() uint32, as *HRESULTError and the collector's
// WMI errors have. ok is false when it carries none.
func Code(err error) (code uint32, ok bool) {
	var h interface{ HRESULT() uint32 }
	if errors.As(err, &h) {
		return h.HRESULT(), true
	}
	return 0, false
}
