package sitekey

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
)

// TestFastX25519 decrypts what age encrypts, with one recipient or
// several, and fails as age fails for another key.
func TestFastX25519(t *testing.T) {
	for i := 0; i < 20; i++ {
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		other, _ := age.GenerateX25519Identity()
		fast := fastX25519(id)
		if _, ok := fast.(*x25519Identity); !ok {
			t.Fatalf("%T not made fast", fast)
		}
		var buf bytes.Buffer
		w, _ := age.Encrypt(&buf, other.Recipient(), id.Recipient())
		io.WriteString(w, "the file key is the same")
		w.Close()
		r, err := age.Decrypt(bytes.NewReader(buf.Bytes()), fast)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := io.ReadAll(r); string(got) != "the file key is the same" {
			t.Fatalf("got %q", got)
		}
		buf.Reset()
		w, _ = age.Encrypt(&buf, other.Recipient())
		w.Close()
		var nomatch *age.NoIdentityMatchError
		if _, err := age.Decrypt(bytes.NewReader(buf.Bytes()), fast); !errors.As(err, &nomatch) {
			t.Fatalf("another key's file: %v", err)
		}
	}
	if _, err := decodeSecret("AGE-SECRET-KEY-1QQQQ"); err == nil {
		t.Error("a short key decoded")
	}
}

// TestFastX25519Vectors: every bundle vector gives the same outcome with
// age's identity and with this package's.
func TestFastX25519Vectors(t *testing.T) {
	key, err := os.ReadFile("../../bundle/testdata/vectors/key.txt")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(key))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../../bundle/testdata/vectors/*")
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "key.txt") {
			continue
		}
		raw, _ := os.ReadFile(f)
		_, body, _ := bytes.Cut(raw, []byte("\n\n"))
		_, errAge := bundle.Open(bytes.NewReader(body), bundle.Limits{}, ids[0])
		_, errFast := bundle.Open(bytes.NewReader(body), bundle.Limits{}, fastX25519(ids[0]))
		for _, s := range []error{nil, bundle.ErrWrongKey, bundle.ErrNotBundle, bundle.ErrTampered, bundle.ErrTooLarge,
			bundle.ErrUnsupportedVersion, bundle.ErrManifestMismatch, bundle.ErrInsecureMember} {
			if (s == nil && (errAge == nil) != (errFast == nil)) || (s != nil && errors.Is(errAge, s) != errors.Is(errFast, s)) {
				t.Errorf("%s: age %v, fast %v", filepath.Base(f), errAge, errFast)
			}
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("%d vectors", checked)
	}
}

func BenchmarkUnwrap(b *testing.B) {
	id, _ := age.GenerateX25519Identity()
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, id.Recipient())
	w.Close()
	for _, bc := range []struct {
		name string
		id   age.Identity
	}{{"age", id}, {"fast", fastX25519(id)}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := age.Decrypt(bytes.NewReader(buf.Bytes()), bc.id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRecipients: each X25519 identity, made fast or not, names its
// recipient, in order; a passphrase identity names none.
func TestRecipients(t *testing.T) {
	a, _ := age.GenerateX25519Identity()
	b, _ := age.GenerateX25519Identity()
	pass, err := age.NewScryptIdentity("not a key")
	if err != nil {
		t.Fatal(err)
	}
	got := Recipients([]age.Identity{fastX25519(a), pass, b})
	want := []string{a.Recipient().String(), b.Recipient().String()}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %q, want %q", got, want)
	}
}
