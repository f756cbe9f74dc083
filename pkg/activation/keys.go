package activation

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// NormalizeKey returns a product key as five groups of five upper-case
// letters and digits joined by dashes, or ErrKeyShape. The error never
// quotes the key: a full product key is never printed or stored, only
// carried inside the encrypted return file.
func NormalizeKey(s string) (string, error) {
	k := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), "-", ""))
	if len(k) != 25 {
		return "", fmt.Errorf("%w: %d letters and digits, want 25", ErrKeyShape, len(k))
	}
	for _, c := range k {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return "", fmt.Errorf("%w: a character other than a letter, a digit or a dash", ErrKeyShape)
		}
	}
	return k[0:5] + "-" + k[5:10] + "-" + k[10:15] + "-" + k[15:20] + "-" + k[20:25], nil
}

// Partial returns a key's last five characters: what Windows itself
// shows (PartialProductKey) and all that is ever shown or stored of it.
func Partial(key string) string {
	if len(key) < 5 {
		return ""
	}
	return key[len(key)-5:]
}

// MaxKeyFile bounds a key file (bytes): it holds a line per product kind.
const MaxKeyFile = 4 << 10

// ParseKeys reads a key file: lines "windows = KEY" and "office = KEY",
// '#' starting a comment, at most one key per kind. It gives the key to
// install first on the devices named, for the two-visit case: install a
// MAK, record the new Installation ID, bring its CID next time. Errors
// name the line, never the key, and wrap ErrInvalid or ErrKeyShape.
func ParseKeys(data []byte) (map[licensing.Kind]string, error) {
	if len(data) > MaxKeyFile {
		return nil, fmt.Errorf("%w: %d bytes, at most %d: a key file holds a line per product kind", ErrTooLarge, len(data), MaxKeyFile)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	keys := map[licensing.Kind]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		kind := licensing.Kind(strings.ToLower(strings.TrimSpace(name)))
		if !ok || (kind != licensing.KindWindows && kind != licensing.KindOffice) {
			return nil, fmt.Errorf("%w: line %d: write windows = KEY or office = KEY", ErrInvalid, i+1)
		}
		if _, dup := keys[kind]; dup {
			return nil, fmt.Errorf("%w: line %d: a second %s key", ErrInvalid, i+1, kind)
		}
		k, err := NormalizeKey(value)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		keys[kind] = k
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no key: write windows = KEY or office = KEY", ErrInvalid)
	}
	return keys, nil
}
