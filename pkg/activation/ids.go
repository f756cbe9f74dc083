package activation

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// Shapes of the IDs (DOMAIN.md "The return path"). An IID is 63 digits on
// Windows 8 and later; its length on Windows 7 and Office 2010 is
// UNVERIFIED, so it is kept as returned, up to MaxIIDDigits. A CID is 48
// digits, eight groups of six.
const (
	MaxIIDDigits = 128
	CIDDigits    = 48
)

// NormalizeIID returns the digits of an Installation ID written with
// spaces or dashes between its groups. Anything else, no digit at all, or
// more than MaxIIDDigits digits is ErrIIDShape; the length is not checked
// otherwise (see MaxIIDDigits).
func NormalizeIID(s string) (string, error) {
	d, err := digits(s, MaxIIDDigits)
	if err != nil || d == "" {
		return "", fmt.Errorf("%w: %s", ErrIIDShape, shapeOf(s, err))
	}
	return d, nil
}

// NormalizeCID returns the 48 digits of a Confirmation ID written with
// spaces or dashes between its groups, or ErrCIDShape.
func NormalizeCID(s string) (string, error) {
	d, err := digits(s, CIDDigits)
	if err != nil || len(d) != CIDDigits {
		return "", fmt.Errorf("%w: %s", ErrCIDShape, shapeOf(s, err))
	}
	return d, nil
}

// digits keeps the digits of s, allowing spaces and dashes between them;
// it stops past max digits.
func digits(s string, max int) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			if b.Len() == max {
				return "", fmt.Errorf("more than %d digits", max)
			}
			b.WriteRune(r)
		case r == ' ' || r == '-':
		default:
			return "", fmt.Errorf("%q is not a digit", r)
		}
	}
	return b.String(), nil
}

// shapeOf says what is wrong with an ID, without repeating a long input.
func shapeOf(s string, err error) string {
	if err != nil {
		return err.Error()
	}
	d, _ := digits(s, 1<<20)
	return fmt.Sprintf("%d digits", len(d))
}

// Groups splits an ID's digits as a phone prompt or a portal asks for
// them: 63 in nine groups of seven (Windows 8 and later), 54 in nine of
// six, 48 (a CID) in eight of six; any other length in groups of six.
// Only the 63-digit form is documented (DOMAIN.md); the others are
// UNVERIFIED and only a help for reading aloud.
func Groups(d string) []string {
	size := 6
	if len(d)%9 == 0 && len(d) >= 54 {
		size = len(d) / 9
	}
	var out []string
	for len(d) > size {
		out, d = append(out, d[:size]), d[size:]
	}
	return append(out, d)
}

// Grouped is Groups joined with dashes, as slmgr /dti prints nothing and
// a person types: 1234567-1234567-….
func Grouped(d string) string { return strings.Join(Groups(d), "-") }

// Needs reports whether a product waits for a Confirmation ID: an
// installed Windows or Office license whose status is known and is not
// licensed, on a channel an Installation ID can activate. A KMS client
// key activates against a KMS host, AVMA against its Hyper-V host, and an
// evaluation cannot be made permanent: none of them takes a CID
// (DOMAIN.md "Channels and what a reinstall costs").
func Needs(p *licensing.Product) bool {
	if p.NotInUse || (p.Kind != licensing.KindWindows && p.Kind != licensing.KindOffice) {
		return false
	}
	switch p.Status {
	case licensing.StatusLicensed, licensing.StatusUnknown, "":
		return false
	}
	switch p.Channel {
	case licensing.ChannelGVLK, licensing.ChannelAVMA, licensing.ChannelEval:
		return false
	}
	return true
}

// Activated reports whether p is activated for good: licensed with no
// grace period left to run (DOMAIN.md "Reading the state"). Applying a
// return file never touches such a product.
func Activated(p *licensing.Product) bool {
	return p.Status == licensing.StatusLicensed && (p.GraceMinutes == nil || *p.GraceMinutes == 0)
}

// NewID returns 128 random bits as 32 lowercase hex digits: the ID of a
// return file or of one of its items. It panics only if the system's
// random source fails.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("activation: no random source: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// isID reports whether s is 32 lowercase hex digits, as NewID makes.
func isID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
