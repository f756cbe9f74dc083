// Package sitekey holds a site's age identity: the private key that opens
// the site's bundles. `importer keygen` makes it, optionally protected by
// a passphrase (an age scrypt file, armored), and every command that
// decrypts reads it back. It lives on the central workstation, never on a
// stick: sticks carry only its public recipient.
package sitekey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
)

var (
	// ErrExists means the identity file is already there: an overwritten
	// identity could never open its bundles again.
	ErrExists = errors.New("sitekey: the identity file already exists")
	// ErrNotIdentity means a file holds no age identity. Load returns it
	// for any such file; for one it recognises as something else, it
	// returns ErrRecipient, ErrSettings, ErrEmpty or ErrEncrypted, which
	// are ErrNotIdentity too.
	ErrNotIdentity = errors.New("sitekey: not an identity file")
	// ErrRecipient means a file holds an age recipient (the public key
	// age1… that keygen prints and the sticks carry), not the identity.
	ErrRecipient error = &notIdentity{"sitekey: the file holds a recipient (public key, age1…), not an identity"}
	// ErrSettings means a file is the collector's settings
	// (actcourier.conf), which names recipients, not the identity.
	ErrSettings error = &notIdentity{"sitekey: the file is the collector's settings (actcourier.conf), not an identity"}
	// ErrEmpty means a file is empty or holds only comments.
	ErrEmpty error = &notIdentity{"sitekey: the file holds no key, not an identity"}
	// ErrEncrypted means a file is age-encrypted to a key (a bundle, or
	// a file made with age -r), not protected with a passphrase.
	ErrEncrypted error = &notIdentity{"sitekey: the file is encrypted to a key (a bundle?), not a passphrase-protected identity"}
	// ErrPassphrase means a protected file did not open with the
	// passphrase given (wrong, empty, or the file is damaged).
	ErrPassphrase = errors.New("sitekey: wrong passphrase or damaged file")
	// ErrWorkFactor means a protected identity file asks for more scrypt
	// work than MaxWorkFactor: it was protected elsewhere, or changed.
	ErrWorkFactor = errors.New("sitekey: the identity file's scrypt work factor is over the limit")
	// ErrNoIdentity means no identity file was named.
	ErrNoIdentity = errors.New("sitekey: no identity file given")
	// ErrNewPassphrase means a new passphrase was empty or typed
	// differently the second time.
	ErrNewPassphrase = errors.New("sitekey: the passphrase is empty or the two entries differ")
)

// notIdentity is a kind of file that is not an identity: it is itself
// and ErrNotIdentity for errors.Is.
type notIdentity struct{ msg string }

func (e *notIdentity) Error() string { return e.msg }
func (e *notIdentity) Unwrap() error { return ErrNotIdentity }

// NewPassphrase asks for a new passphrase and, when repeat, a second time
// to catch a typo. An empty passphrase or two that differ give
// ErrNewPassphrase; an error from ask is returned as it is.
func NewPassphrase(ask func(prompt string) (string, error), repeat bool) (string, error) {
	pass, err := ask("New passphrase: ")
	if err != nil {
		return "", err
	}
	if repeat {
		again, err := ask("Repeat passphrase: ")
		if err != nil {
			return "", err
		}
		if again != pass {
			return "", fmt.Errorf("%w: the two entries differ", ErrNewPassphrase)
		}
	}
	if pass == "" {
		return "", fmt.Errorf("%w: it is empty", ErrNewPassphrase)
	}
	return pass, nil
}

// Generate makes a new identity and the content of its file: a comment
// with the date and the recipient, then the identity. A passphrase other
// than "" encrypts the content to it with age's scrypt recipient.
func Generate(passphrase string, now time.Time) (*age.X25519Identity, []byte, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, nil, err
	}
	data := []byte(fmt.Sprintf("# created: %s\n# public key: %s\n%s\n", now.Format(time.RFC3339), id.Recipient(), id))
	if passphrase == "" {
		return id, data, nil
	}
	rc, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return nil, nil, err
	}
	var enc bytes.Buffer
	aw := armor.NewWriter(&enc)
	w, err := age.Encrypt(aw, rc)
	if err != nil {
		return nil, nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, nil, err
	}
	if err := w.Close(); err != nil {
		return nil, nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, nil, err
	}
	return id, enc.Bytes(), nil
}

// WriteNew creates path with mode 0600 and writes data to it, synced. It
// never replaces a file (ErrExists) and removes what it began on failure.
func WriteNew(path string, data []byte) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, path)
	}
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(path)
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Create makes a new identity (Generate) and writes its file to path
// (WriteNew): never over a file (ErrExists).
func Create(path, passphrase string, now time.Time) (*age.X25519Identity, error) {
	id, data, err := Generate(passphrase, now)
	if err == nil {
		err = WriteNew(path, data)
	}
	return id, err
}

// protected reports whether an identity file is itself encrypted (age
// binary or armored).
func protected(data []byte) bool {
	return bytes.HasPrefix(data, []byte("age-encryption.org/")) || bytes.HasPrefix(bytes.TrimSpace(data), []byte(armor.Header))
}

// Load reads every identity from the given files: several during a key
// rotation. X25519 identities come back as an identity of this package
// that unwraps as age does, a scalar multiplication faster. Empty paths are skipped (an empty ACTCOURIER_IDENTITY means
// none); when none is left it returns ErrNoIdentity. For a protected file
// it calls ask with a prompt naming the file; an error from ask is
// returned as it is. Errors name the file and wrap ErrNotIdentity (or
// the kind of file it is instead: ErrRecipient, ErrSettings, ErrEmpty,
// ErrEncrypted) or ErrPassphrase where those apply. They never quote
// the file: a mistyped identity is still most of a secret key.
func Load(paths []string, ask func(prompt string) (string, error)) ([]age.Identity, error) {
	var ids []age.Identity
	for _, p := range paths {
		if p == "" {
			continue
		}
		data, err := readIdentity(p)
		if err != nil {
			return nil, err
		}
		if protected(data) {
			// Before the passphrase is asked for: a work factor over the
			// limit, or no passphrase at all, would have it typed in vain.
			n, ok := scryptWorkFactor(header(data))
			if ok && n > MaxWorkFactor {
				return nil, fmt.Errorf("%w: %s: %d, at most %d", ErrWorkFactor, p, n, MaxWorkFactor)
			}
			if !ok && toKey(header(data)) {
				return nil, fmt.Errorf("%w: %s", ErrEncrypted, p)
			}
			pass, err := ask(fmt.Sprintf("Passphrase for %s: ", p))
			if err != nil {
				return nil, fmt.Errorf("identity %s is passphrase-protected: %w", p, err)
			}
			if data, err = unlock(data, pass); err != nil {
				return nil, fmt.Errorf("identity %s: %w", p, err)
			}
		}
		got, err := age.ParseIdentities(bytes.NewReader(data))
		if err != nil {
			// Not age's error: it quotes part of the line, which may be
			// a secret key with a typo.
			return nil, notIdentityError(p, data)
		}
		for _, id := range got {
			ids = append(ids, fastX25519(id))
		}
	}
	if len(ids) == 0 {
		return nil, ErrNoIdentity
	}
	return ids, nil
}

// settingsKeys are the keys of the collector's settings file (package
// stick, which this package does not import: it is a peer).
var settingsKeys = map[string]bool{"recipient": true, "site": true, "lines": true, "any_line": true, "engineer": true, "output": true, "timeout": true}

// notIdentityError says what a file that age does not read as identities
// holds instead, when it is a file a user is likely to pass by mistake:
// the collector's settings, a recipient (keygen's printed key, or a
// recipients file), nothing at all; else the first line that is not an
// identity. It names the file and a line number, never a line's text.
func notIdentityError(p string, data []byte) error {
	first, n := "", 0
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, ";") {
			continue
		}
		if k, _, ok := strings.Cut(line, "="); ok && settingsKeys[strings.ToLower(strings.TrimSpace(k))] {
			return fmt.Errorf("%w: %s", ErrSettings, p)
		}
		if _, err := age.ParseX25519Identity(line); err != nil && first == "" {
			first, n = line, i+1
		}
	}
	switch {
	case first == "":
		return fmt.Errorf("%w: %s", ErrEmpty, p)
	case strings.HasPrefix(strings.ToLower(first), "age1"):
		return fmt.Errorf("%w: %s", ErrRecipient, p)
	}
	return fmt.Errorf("%w: %s: line %d is not an age identity (AGE-SECRET-KEY-1…)", ErrNotIdentity, p, n)
}

// maxIdentityFile bounds an identity file: one holds a few lines (a few
// hundred bytes, a few KiB protected); `-i /dev/zero` must not read on.
const maxIdentityFile = 1 << 20

// readIdentity reads an identity file, or a pipe (`-i <(pass show key)`),
// up to maxIdentityFile bytes.
func readIdentity(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open identity: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxIdentityFile+1))
	if err != nil {
		return nil, fmt.Errorf("open identity: %w", err)
	}
	if len(data) > maxIdentityFile {
		return nil, fmt.Errorf("%w: %s is over %d bytes", ErrNotIdentity, p, maxIdentityFile)
	}
	return data, nil
}

// MaxWorkFactor is the largest scrypt work factor (log2 N) of a protected
// identity file that Load tries: keygen and age -p write 18, rage about
// what takes a second (19 or 20 on a fast machine). Above it, scrypt
// alone would take GiBs of memory before a wrong passphrase or a changed
// file could be told.
const MaxWorkFactor = 20

// payload is a protected file as age reads it: armor taken off.
func payload(data []byte) io.Reader {
	if trimmed := bytes.TrimSpace(data); bytes.HasPrefix(trimmed, []byte(armor.Header)) {
		return armor.NewReader(bytes.NewReader(trimmed))
	}
	return bytes.NewReader(data)
}

// header is the start of a protected file's age header, armor taken off.
func header(data []byte) []byte {
	head, _ := io.ReadAll(io.LimitReader(payload(data), 4096))
	return head
}

// unlock decrypts a protected identity file with its passphrase; any
// failure wraps ErrPassphrase.
func unlock(data []byte, passphrase string) ([]byte, error) {
	sid, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPassphrase, err)
	}
	sid.SetMaxWorkFactor(MaxWorkFactor) // Load checked it; age checks again
	r, err := age.Decrypt(payload(data), sid)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPassphrase, err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPassphrase, err)
	}
	return out, nil
}

// toKey reports whether an age header (head) has a stanza for a key
// ("-> X25519 …"), not a passphrase.
func toKey(head []byte) bool {
	for _, line := range bytes.Split(head, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("---")) {
			return false // the header's end: the payload follows
		}
		if f := bytes.Fields(line); len(f) > 1 && string(f[0]) == "->" && string(f[1]) != "scrypt" {
			return true
		}
	}
	return false
}

// scryptWorkFactor returns the work factor of the scrypt stanza of an age
// header ("-> scrypt SALT LOGN"), if head holds one.
func scryptWorkFactor(head []byte) (int, bool) {
	for _, line := range bytes.Split(head, []byte("\n")) {
		f := bytes.Fields(line)
		if len(f) == 4 && string(f[0]) == "->" && string(f[1]) == "scrypt" {
			n, err := strconv.Atoi(string(f[3]))
			return n, err == nil
		}
	}
	return 0, false
}
