package bundle

import (
	"strconv"
	"unicode/utf8"
)

// decodeManifest decodes data into the zero Manifest m as json.Unmarshal
// would, or reports false and leaves m to be reset and decoded by
// encoding/json. An importer reads thousands of manifests a second, and
// encoding/json took 10 to 30 us for each, about a tenth of the CPU an
// import spends beyond decrypting and decompressing.
//
// It reads the manifest that Writer writes, with any white space and key
// order, and nothing else: a key it does not know exactly (encoding/json
// would also match it ignoring case, or skip it, as a later minor version
// may add one), a key twice, null, a value of another type than its
// field's, a number that is not a plain integer in range, a string with
// an escape, a control character or bytes that are not UTF-8, and any
// text that is not JSON make it report false. Whatever it accepts,
// encoding/json accepts and decodes to the same Manifest
// (TestDecodeManifest, FuzzDecodeManifest).
func decodeManifest(data []byte, m *Manifest) bool {
	d := manifestDecoder{data: data}
	var seen [7]bool
	if !d.next('{') {
		return false
	}
	for more := !d.next('}'); more; {
		k, ok := d.key()
		if !ok {
			return false
		}
		i := -1
		switch string(k) {
		case "format":
			i, ok = 0, d.str(&m.Format)
		case "version":
			i, ok = 1, d.str(&m.Version)
		case "bundle_id":
			i, ok = 2, d.str(&m.ID)
		case "created_at":
			// The time's own UnmarshalJSON, on the literal with its
			// quotes, is what encoding/json calls.
			var lit []byte
			lit, ok = d.literal()
			i, ok = 3, ok && m.CreatedAt.UnmarshalJSON(lit) == nil
		case "time_zone":
			i, ok = 4, d.str(&m.TimeZone)
		case "collector":
			i, ok = 5, d.str(&m.Generator)
		case "members":
			i, ok = 6, d.members(&m.Members)
		}
		if i < 0 || seen[i] || !ok {
			return false
		}
		seen[i] = true
		if more, ok = d.more('}'); !ok {
			return false
		}
	}
	return d.end()
}

// manifestDecoder reads JSON from data at i. Its methods report whether
// they read what they expected; none goes on after a false.
type manifestDecoder struct {
	data []byte
	i    int
}

func (d *manifestDecoder) space() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips white space and reports whether c follows, reading it.
func (d *manifestDecoder) next(c byte) bool {
	d.space()
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (d *manifestDecoder) end() bool {
	d.space()
	return d.i == len(d.data)
}

// key reads an object's key and the colon after it.
func (d *manifestDecoder) key() ([]byte, bool) {
	k, ok := d.literal()
	if !ok || !d.next(':') {
		return nil, false
	}
	return k[1 : len(k)-1], true
}

// more reads what follows a value in an object or array: a comma (true)
// or its end, close (false).
func (d *manifestDecoder) more(close byte) (more, ok bool) {
	if d.next(',') {
		return true, true
	}
	return false, d.next(close)
}

// members reads the array of entries. An empty array is an empty slice,
// not nil, as encoding/json makes it.
func (d *manifestDecoder) members(p *[]Entry) bool {
	if !d.next('[') {
		return false
	}
	out := []Entry{}
	for more := !d.next(']'); more; {
		if !d.next('{') {
			return false
		}
		var e Entry
		var seen [3]bool
		for fields := !d.next('}'); fields; {
			k, ok := d.key()
			if !ok {
				return false
			}
			i := -1
			switch string(k) {
			case "name":
				i, ok = 0, d.str(&e.Name)
			case "size":
				i, ok = 1, d.int64(&e.Size)
			case "sha256":
				i, ok = 2, d.str(&e.SHA256)
			}
			if i < 0 || seen[i] || !ok {
				return false
			}
			seen[i] = true
			if fields, ok = d.more('}'); !ok {
				return false
			}
		}
		out = append(out, e)
		var ok bool
		if more, ok = d.more(']'); !ok {
			return false
		}
	}
	*p = out
	return true
}

// str reads a string literal (literal).
func (d *manifestDecoder) str(p *string) bool {
	lit, ok := d.literal()
	if ok {
		*p = string(lit[1 : len(lit)-1])
	}
	return ok
}

// literal reads a string literal without escapes or control characters,
// of valid UTF-8, and returns it with its quotes: encoding/json keeps
// such a string's bytes as they are.
func (d *manifestDecoder) literal() ([]byte, bool) {
	if !d.next('"') {
		return nil, false
	}
	start := d.i - 1
	ascii := true
	for ; d.i < len(d.data); d.i++ {
		switch c := d.data[d.i]; {
		case c == '"':
			d.i++
			lit := d.data[start:d.i]
			if !ascii && !utf8.Valid(lit) {
				return nil, false
			}
			return lit, true
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// int64 reads an integer as JSON writes one ("0", "-12", no fraction or
// exponent) that fits.
func (d *manifestDecoder) int64(p *int64) bool {
	d.space()
	start := d.i
	if d.i < len(d.data) && d.data[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.data) && '0' <= d.data[d.i] && d.data[d.i] <= '9' {
		d.i++
	}
	switch {
	case d.i == digits, d.data[digits] == '0' && d.i > digits+1:
		return false // no digits, or a leading zero
	case d.i < len(d.data) && (d.data[d.i] == '.' || d.data[d.i] == 'e' || d.data[d.i] == 'E'):
		return false // a fraction or an exponent: encoding/json refuses it for an int64
	}
	n, err := strconv.ParseInt(string(d.data[start:d.i]), 10, 64)
	if err != nil {
		return false
	}
	*p = n
	return true
}
