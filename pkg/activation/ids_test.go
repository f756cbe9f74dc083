package activation

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

func TestNormalize(t *testing.T) {
	iid63 := strings.Repeat("1234567", 9)
	cid := strings.Repeat("123456", 8)
	tests := []struct {
		name, in string
		norm     func(string) (string, error)
		want     string
		err      error
	}{
		{"IID of 63 digits", iid63, NormalizeIID, iid63, nil},
		{"IID in groups with dashes", strings.Join(Groups(iid63), "-"), NormalizeIID, iid63, nil},
		{"IID in groups with spaces", " " + strings.Join(Groups(iid63), " ") + " ", NormalizeIID, iid63, nil},
		{"IID of 54 digits kept as returned", iid63[:54], NormalizeIID, iid63[:54], nil},
		{"IID with a letter", "12345A", NormalizeIID, "", ErrIIDShape},
		{"IID empty", "  ", NormalizeIID, "", ErrIIDShape},
		{"IID too long", strings.Repeat("1", MaxIIDDigits+1), NormalizeIID, "", ErrIIDShape},
		{"CID of 48 digits", cid, NormalizeCID, cid, nil},
		{"CID in eight groups", strings.Join(Groups(cid), "-"), NormalizeCID, cid, nil},
		{"CID of 47 digits", cid[1:], NormalizeCID, "", ErrCIDShape},
		{"CID of 49 digits", cid + "1", NormalizeCID, "", ErrCIDShape},
		{"CID with a formula", "=" + cid, NormalizeCID, "", ErrCIDShape},
		{"key", "ab2cd-EF3GH-jk4mn-PQ6RT-vw7xy", NormalizeKey, "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY", nil},
		{"key without dashes", "AB2CDEF3GHJK4MNPQ6RTVW7XY", NormalizeKey, "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY", nil},
		{"key too short", "AB2CD-EF3GH", NormalizeKey, "", ErrKeyShape},
		{"key with a space", "AB2CD EF3GH-JK4MN-PQ6RT-VW7X", NormalizeKey, "", ErrKeyShape},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.norm(tc.in)
			if got != tc.want || !errors.Is(err, tc.err) {
				t.Errorf("got %q, %v; want %q, %v", got, err, tc.want, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "VW7X") {
				t.Errorf("the error quotes the key: %v", err)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	tests := []struct{ digits, want string }{
		{strings.Repeat("1234567", 9), strings.TrimSuffix(strings.Repeat("1234567-", 9), "-")},
		{strings.Repeat("123456", 9), strings.TrimSuffix(strings.Repeat("123456-", 9), "-")},
		{strings.Repeat("123456", 8), strings.TrimSuffix(strings.Repeat("123456-", 8), "-")},
		{"12345678", "123456-78"},
		{"123", "123"},
	}
	for _, tc := range tests {
		if got := Grouped(tc.digits); got != tc.want {
			t.Errorf("Grouped(%s) = %s, want %s", tc.digits, got, tc.want)
		}
	}
}

func TestNeeds(t *testing.T) {
	zero, left := 0, 43200
	tests := []struct {
		name  string
		p     licensing.Product
		needs bool
	}{
		{"MAK in notification", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusNotification, Channel: licensing.ChannelMAK}, true},
		{"retail Office in grace", licensing.Product{Kind: licensing.KindOffice, Status: licensing.StatusOOBGrace, Channel: licensing.ChannelRetail}, true},
		{"OEM COA unlicensed", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusUnlicensed, Channel: licensing.ChannelCOANSLP}, true},
		{"MAK activated", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusLicensed, Channel: licensing.ChannelMAK, GraceMinutes: &zero}, false},
		{"KMS client in OOT grace", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusOOTGrace, Channel: licensing.ChannelGVLK}, false},
		{"evaluation", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusOOBGrace, Channel: licensing.ChannelEval, GraceMinutes: &left}, false},
		{"AVMA", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusUnlicensed, Channel: licensing.ChannelAVMA}, false},
		{"status unknown", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusUnknown, Channel: licensing.ChannelMAK}, false},
		{"not Windows or Office", licensing.Product{Kind: licensing.KindOther, Status: licensing.StatusUnlicensed, Channel: licensing.ChannelRetail}, false},
		{"not in use", licensing.Product{Kind: licensing.KindWindows, Status: licensing.StatusUnlicensed, NotInUse: true}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Needs(&tc.p); got != tc.needs {
				t.Errorf("got %v, want %v", got, tc.needs)
			}
		})
	}
}

func TestParseKeys(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[licensing.Kind]string
		err  error
	}{
		{"both", "# the two-visit MAKs\r\nwindows = ab2cd-EF3GH-jk4mn-PQ6RT-vw7xy\r\nOffice=AB2CD-EF3GH-JK4MN-PQ6RT-VW7XZ\r\n",
			map[licensing.Kind]string{"windows": "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY", "office": "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XZ"}, nil},
		{"a key without a kind", "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY\n", nil, ErrInvalid},
		{"two Windows keys", "windows = AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY\nwindows = AB2CD-EF3GH-JK4MN-PQ6RT-VW7XZ\n", nil, ErrInvalid},
		{"a bad key", "windows = AB2CD-EF3GH-JK4MN-PQ6RT\n", nil, ErrKeyShape},
		{"empty", "# nothing\n", nil, ErrInvalid},
		{"too large", strings.Repeat("#", MaxKeyFile+1), nil, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseKeys([]byte(tc.in))
			if !errors.Is(err, tc.err) || len(got) != len(tc.want) {
				t.Fatalf("got %d keys, %v; want %d, %v", len(got), err, len(tc.want), tc.err)
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s: got a different key", k)
				}
			}
			if err != nil && strings.Contains(err.Error(), "PQ6RT") {
				t.Errorf("the error quotes the key: %v", err)
			}
		})
	}
}

// FuzzParseKeys: a key file parses into keys of the right shape, or the
// error is a sentinel and never holds a key.
func FuzzParseKeys(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "keys", "*.txt"))
	if len(files) == 0 {
		f.Fatal("no seed in testdata/keys")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseKeys(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrKeyShape) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("not a sentinel: %v", err)
			}
			return
		}
		for kind, k := range keys {
			if again, err := NormalizeKey(k); err != nil || again != k || (kind != licensing.KindWindows && kind != licensing.KindOffice) {
				t.Fatalf("%s: a key out of shape", kind)
			}
		}
	})
}
