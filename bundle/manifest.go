package bundle

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

const (
	// FormatName is the value of the manifest's "format" field.
	FormatName = "actcourier-bundle"

	// Version is the format version this package writes. Readers accept any
	// minor version of a major they know (SPEC.md, "Versioning").
	Version = "1.0"

	// ManifestName is the name of the first tar member.
	ManifestName = "manifest.json"

	// Ext is the file name extension of a bundle: <id>.tar.zst.age.
	Ext = ".tar.zst.age"

	majorVersion = 1
	maxNameLen   = 255
)

// Manifest is the first member of every bundle. It names the bundle and
// lists every other member with its size and SHA-256, so a reader can check
// the whole bundle and refuse it before using any of it.
type Manifest struct {
	Format    string    `json:"format"`              // always FormatName
	Version   string    `json:"version"`             // "MAJOR.MINOR"
	ID        string    `json:"bundle_id"`           // 32 lowercase hex digits, random
	CreatedAt time.Time `json:"created_at"`          // device clock, with its UTC offset
	TimeZone  string    `json:"time_zone,omitempty"` // device time zone name, if known
	Generator string    `json:"collector"`           // program and version that wrote it
	Members   []Entry   `json:"members"`             // in tar order, manifest excluded
}

// Entry describes one member in the manifest.
type Entry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`   // bytes
	SHA256 string `json:"sha256"` // lowercase hex
}

// Member is one file of a bundle, in memory. Bundles hold small text and
// JSON files, and a reader must check every hash before handing anything
// out, so members are plain byte slices rather than streams.
type Member struct {
	Name string
	Data []byte
}

// NewID returns a fresh random bundle ID: 128 bits from crypto/rand as 32
// lowercase hex digits. It is random, not derived from the device, so a file
// name on a lost stick reveals nothing.
func NewID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("bundle: make bundle ID: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// ValidID reports whether id has the form of a bundle ID.
func ValidID(id string) bool { return isLowerHex(id, 32) }

// FileName returns the file name of the bundle with the given ID.
func FileName(id string) string { return id + Ext }

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// ValidName reports whether name may be a member name: slash-separated
// segments of ASCII letters, digits, '.', '_' and '-', none of them "." or
// "..", none ending in '.', none a Windows device name (CON, PRN, AUX,
// NUL, COM0-9, LPT0-9, with or without an extension), no leading or
// trailing slash, at most 255 bytes. The rule is stricter than any file
// system needs so that a member name is safe on every one of them
// (SPEC.md, "Member names"). Names that differ only in case are the same
// name on Windows and macOS: a bundle may not hold both ([Manifest] and
// the reader check that).
func ValidName(name string) bool {
	if name == "" || len(name) > maxNameLen {
		return false
	}
	// Segment by segment, without a list of them: an importer checks
	// every member's name twice (manifest, tar), thousands a second.
	for rest, more := name, true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		if seg == "" || seg == "." || seg == ".." || strings.HasSuffix(seg, ".") || windowsDevice(seg) {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
				c == '.' || c == '_' || c == '-'
			if !ok {
				return false
			}
		}
	}
	return true
}

// windowsDevice reports whether Windows reads a path segment as a device:
// its part before the first dot is CON, PRN, AUX, NUL, COM0-9 or LPT0-9,
// in any case ("con.txt" opens the console).
func windowsDevice(seg string) bool {
	base, _, _ := strings.Cut(seg, ".")
	switch len(base) {
	case 3:
		return strings.EqualFold(base, "CON") || strings.EqualFold(base, "PRN") ||
			strings.EqualFold(base, "AUX") || strings.EqualFold(base, "NUL")
	case 4:
		return (strings.EqualFold(base[:3], "COM") || strings.EqualFold(base[:3], "LPT")) && '0' <= base[3] && base[3] <= '9'
	}
	return false
}

// parseVersion splits "MAJOR.MINOR" into numbers.
func parseVersion(v string) (major, minor int, ok bool) {
	a, b, found := strings.Cut(v, ".")
	if !found {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(a)
	minor, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || major < 0 || minor < 0 {
		return 0, 0, false
	}
	return major, minor, true
}

// check validates a decoded manifest against the format and the limits.
func (m *Manifest) check(lim Limits) error {
	if m.Format != FormatName {
		return fmt.Errorf("%w: manifest format is %s, want %q", ErrNotBundle, shown(m.Format), FormatName)
	}
	major, _, ok := parseVersion(m.Version)
	if !ok {
		return fmt.Errorf("%w: malformed version %s", ErrManifestMismatch, shown(m.Version))
	}
	if major != majorVersion {
		return fmt.Errorf("%w: version %s (this program reads %d.x; update it)", ErrUnsupportedVersion, shown(m.Version), majorVersion)
	}
	if !ValidID(m.ID) {
		return fmt.Errorf("%w: malformed bundle_id %s", ErrManifestMismatch, shown(m.ID))
	}
	if m.CreatedAt.IsZero() {
		return fmt.Errorf("%w: created_at missing", ErrManifestMismatch)
	}
	if len(m.Members) > lim.MaxMembers {
		return fmt.Errorf("%w: %d members, limit %d", ErrTooLarge, len(m.Members), lim.MaxMembers)
	}
	seen := make(map[string]bool, len(m.Members))
	var total int64
	for _, e := range m.Members {
		switch {
		case !ValidName(e.Name) || strings.EqualFold(e.Name, ManifestName):
			return memberError(e.Name, fmt.Errorf("%w: invalid name in manifest", ErrManifestMismatch))
		case seen[strings.ToLower(e.Name)]:
			return memberError(e.Name, fmt.Errorf("%w: listed twice (names are compared without case, as on Windows)", ErrManifestMismatch))
		case e.Size < 0:
			return memberError(e.Name, fmt.Errorf("%w: negative size", ErrManifestMismatch))
		case e.Size > lim.MaxMemberSize:
			return memberError(e.Name, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, e.Size, lim.MaxMemberSize))
		case !isLowerHex(e.SHA256, 64):
			return memberError(e.Name, fmt.Errorf("%w: malformed sha256", ErrManifestMismatch))
		}
		seen[strings.ToLower(e.Name)] = true
		total += e.Size
		if total > lim.MaxTotalSize {
			return fmt.Errorf("%w: members add up to more than %d bytes", ErrTooLarge, lim.MaxTotalSize)
		}
	}
	return nil
}
