package bundle

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"runtime"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/klauspost/compress/zstd"
)

// testIdentity is a fixed key for vectors and tests. It is public: never use
// it for real bundles.
const testIdentity = "AGE-SECRET-KEY-149V0XNSKKY55588LNFNYY3ARWVTH6LP0QMTZPAUR78XLF4NVD9JQDR37RC"

func mustIdentity(t testing.TB, s string) *age.X25519Identity {
	t.Helper()
	id, err := age.ParseX25519Identity(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func newIdentity(t testing.TB) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var testTime = time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("JST", 9*3600))

var testMembers = []Member{
	{Name: "device.json", Data: []byte(`{"os":"Microsoft Windows 7 Professional"}` + "\n")},
	{Name: "slmgr/dlv.txt", Data: []byte("Name: Windows(R) 7, Professional edition\r\nLicense Status: Licensed\r\n")},
	{Name: "collect.log", Data: []byte("wmi: ok\n")},
}

// encodeBundle writes a good bundle for recipients and returns its bytes.
func encodeBundle(t testing.TB, members []Member, recipients ...age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	hdr := Header{ID: "0123456789abcdef0123456789abcdef", CreatedAt: testTime, TimeZone: "Tokyo Standard Time", Generator: "actcourier-test"}
	if _, err := Encode(&buf, hdr, members, recipients...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawEntry is a tar member for hand-built, possibly malformed, bundles.
type rawEntry struct {
	hdr  tar.Header
	data []byte
}

func file(name, data string) rawEntry {
	return rawEntry{tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(data))}, []byte(data)}
}

// manifestFor returns a manifest JSON listing entries as given.
func manifestFor(entries ...rawEntry) []byte {
	m := Manifest{Format: FormatName, Version: Version, ID: "0123456789abcdef0123456789abcdef",
		CreatedAt: testTime, Generator: "actcourier-test", Members: []Entry{}}
	for _, e := range entries {
		sum := sha256.Sum256(e.data)
		m.Members = append(m.Members, Entry{Name: e.hdr.Name, Size: int64(len(e.data)), SHA256: hex.EncodeToString(sum[:])})
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return b
}

// tarOf builds a tar archive from entries without any checks.
func tarOf(t testing.TB, entries ...rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := e.hdr
		if err := tw.WriteHeader(&h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zstdOf(t testing.TB, plain []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := zstd.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(plain)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func ageOf(t testing.TB, plain []byte, r age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, bytes.NewReader(plain)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// needsLinuxTool skips a test that runs a Linux program when the test
// binary runs as a Windows program, as under Wine (make test-windows),
// where that program cannot be started.
func needsLinuxTool(t *testing.T, tool string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skipf("needs the Linux tools %s, which a Windows program under Wine cannot start", tool)
	}
}
