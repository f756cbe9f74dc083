package sitekey

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
)

func TestGenerateAndLoad(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, pass, typed string
		want              error
	}{
		{"plain", "", "", nil},
		{"protected", "correct horse", "correct horse", nil},
		{"wrong passphrase", "correct horse", "battery staple", ErrPassphrase},
		{"empty passphrase", "correct horse", "", ErrPassphrase},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, data, err := Generate(tc.pass, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if protected(data) != (tc.pass != "") {
				t.Errorf("protected = %v", protected(data))
			}
			path := filepath.Join(dir, tc.name+".txt")
			if err := WriteNew(path, data); err != nil {
				t.Fatal(err)
			}
			if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", fi.Mode().Perm())
			}
			ids, err := Load([]string{path}, func(string) (string, error) { return tc.typed, nil })
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("Load: %v, want %v", err, tc.want)
			}
			if tc.want == nil {
				// The loaded identity opens what is encrypted to the
				// generated one's recipient.
				var buf bytes.Buffer
				w, _ := age.Encrypt(&buf, id.Recipient())
				w.Close()
				if _, err := age.Decrypt(&buf, ids...); err != nil {
					t.Errorf("loaded another identity: %v", err)
				}
			}
		})
	}
	path := filepath.Join(dir, "plain.txt")
	if err := WriteNew(path, []byte("x")); !errors.Is(err, ErrExists) {
		t.Errorf("WriteNew over a file: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "junk"), []byte("hello"), 0o600)
	if _, err := Load([]string{filepath.Join(dir, "junk")}, nil); !errors.Is(err, ErrNotIdentity) {
		t.Errorf("Load of junk: %v", err)
	}
}

// TestLoadHugeWorkFactor: an identity file whose scrypt stanza claims a
// work factor of 22 (4 GiB) is refused before the passphrase is asked
// for, not after GiBs taken for a "wrong passphrase".
func TestLoadHugeWorkFactor(t *testing.T) {
	rc, err := age.NewScryptRecipient("pw")
	if err != nil {
		t.Fatal(err)
	}
	rc.SetWorkFactor(10)
	var buf bytes.Buffer
	w, _ := age.Encrypt(&buf, rc)
	w.Write([]byte("AGE-SECRET-KEY-1QQQ\n"))
	w.Close()
	// Raise the stanza's work factor (the header MAC is checked only
	// after scrypt ran).
	data := regexp.MustCompile(`(-> scrypt \S+) 10\n`).ReplaceAll(buf.Bytes(), []byte("$1 22\n"))
	if bytes.Equal(data, buf.Bytes()) {
		t.Fatal("stanza not found")
	}
	p := filepath.Join(t.TempDir(), "site-key.txt")
	os.WriteFile(p, data, 0o600)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	asked := false
	_, err = Load([]string{p}, func(string) (string, error) { asked = true; return "wrong", nil })
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrWorkFactor) || !strings.Contains(err.Error(), "22, at most 20") || asked {
		t.Errorf("got %v (passphrase asked: %v), want ErrWorkFactor naming the work factor, before asking", err, asked)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("Load allocated %d MiB for a forged work factor before refusing it", got>>20)
	}
}

// TestLoadHugeFile: an identity file is a few lines; one over 1 MiB (or
// `-i /dev/zero`) is refused once that much is read.
func TestLoadHugeFile(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "site-key.txt")
	if err := os.WriteFile(p, append([]byte(id.String()+"\n"), bytes.Repeat([]byte("# comment\n"), 200<<10)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load([]string{p}, nil); !errors.Is(err, ErrNotIdentity) {
		t.Errorf("got %v, want ErrNotIdentity", err)
	}
}

// TestLoadWrongFile: a file a user may pass instead of the identity is
// named for what it is, answers errors.Is for its kind and for
// ErrNotIdentity, and its content is never quoted.
func TestLoadWrongFile(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	rc := id.Recipient().String()
	var bundle bytes.Buffer // what a bundle starts with: a file encrypted to a key
	w, _ := age.Encrypt(&bundle, id.Recipient())
	w.Write([]byte("payload"))
	w.Close()
	key := id.String()
	// A secret key with a typo is still most of one. The typo is
	// another letter of the key's alphabet than the one it replaces: a
	// key holding Q there (one in 32) made a "typo" of no change, and
	// the test failed.
	other := "Q"
	if key[30] == 'Q' {
		other = "P"
	}
	typo := key[:30] + other + key[31:]
	tests := []struct {
		name, content string
		want          error
	}{
		{"keygen's printed recipient", rc + "\n", ErrRecipient},
		{"recipients file", "# site Nagoya\n" + rc + "\n", ErrRecipient},
		{"settings", "# ActCourier collector settings.\r\n#\r\nrecipient = " + rc + "\r\nsite = Nagoya\r\nlines = L1\r\n", ErrSettings},
		{"empty", "", ErrEmpty},
		{"comments only", "# created: 2026-11-01\n# public key: " + rc + "\n\n", ErrEmpty},
		{"bundle", bundle.String(), ErrEncrypted},
		{"secret key with a typo", "# created: 2026-11-01\n" + typo + "\n", ErrNotIdentity},
	}
	dir := t.TempDir()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, strconv.Itoa(i)+".txt")
			os.WriteFile(p, []byte(tc.content), 0o600)
			asked := false
			_, err := Load([]string{p}, func(string) (string, error) { asked = true; return "", nil })
			if !errors.Is(err, tc.want) || !errors.Is(err, ErrNotIdentity) || !strings.Contains(err.Error(), p) {
				t.Fatalf("got %v, want %v naming %s", err, tc.want, p)
			}
			if asked {
				t.Errorf("asked for a passphrase")
			}
			for _, secret := range []string{rc[10:], typo[20:40], "Nagoya"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error quotes the file (%q): %v", secret, err)
				}
			}
		})
	}
	if errors.Is(ErrRecipient, ErrSettings) || errors.Is(ErrNotIdentity, ErrRecipient) {
		t.Error("the kinds are not told apart")
	}
}
