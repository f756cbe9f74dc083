package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"filippo.io/age"
	"filippo.io/age/armor"
	"golang.org/x/term"
)

// passphraseEnv names the environment variable that scripts use to give
// the passphrase of protected identity files.
const passphraseEnv = "ACTCOURIER_PASSPHRASE"

// readPassphrase asks for a passphrase on the terminal without echo, or
// takes it from ACTCOURIER_PASSPHRASE. Tests replace it.
var readPassphrase = func(prompt string) (string, error) {
	if p, ok := os.LookupEnv(passphraseEnv); ok {
		return p, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", fmt.Errorf("no terminal to ask for the passphrase; set %s", passphraseEnv)
	}
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	return string(b), err
}

// loadIdentities reads every age identity from the given files. Several
// files may be given during a key rotation. A file protected with a
// passphrase (importer keygen --passphrase, or age -p) is decrypted first.
func loadIdentities(given []string) ([]age.Identity, error) {
	var paths []string
	for _, p := range given {
		if p != "" { // an empty ACTCOURIER_IDENTITY means none
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, &usageError{"no identity file given", "pass the site's identity file with -i or ACTCOURIER_IDENTITY"}
	}
	var ids []age.Identity
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, &usageError{fmt.Sprintf("open identity %s: %v", p, err), "check the path of the identity file"}
		}
		if protected(data) {
			if data, err = unlock(p, data); err != nil {
				return nil, err
			}
		}
		got, err := age.ParseIdentities(bytes.NewReader(data))
		if err != nil {
			return nil, &usageError{fmt.Sprintf("read identity %s: %v", p, err), "pass a file written by 'importer keygen' or age-keygen"}
		}
		ids = append(ids, got...)
	}
	return ids, nil
}

// protected reports whether an identity file is itself an age file.
func protected(data []byte) bool {
	return bytes.HasPrefix(data, []byte("age-encryption.org/")) || bytes.HasPrefix(bytes.TrimSpace(data), []byte(armor.Header))
}

func unlock(path string, data []byte) ([]byte, error) {
	pass, err := readPassphrase(fmt.Sprintf("Passphrase for %s: ", path))
	if err != nil {
		return nil, &usageError{fmt.Sprintf("identity %s is passphrase-protected: %v", path, err), "type the passphrase at the prompt, or set " + passphraseEnv + " for scripts"}
	}
	sid, err := age.NewScryptIdentity(pass)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("identity %s: %v", path, err), "give a non-empty passphrase"}
	}
	var src io.Reader = bytes.NewReader(data)
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte(armor.Header)) {
		src = armor.NewReader(bytes.NewReader(bytes.TrimSpace(data)))
	}
	r, err := age.Decrypt(src, sid)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("identity %s: wrong passphrase or damaged file (%v)", path, err), "try the passphrase again"}
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return nil, &usageError{fmt.Sprintf("identity %s: %v", path, err), "the file is damaged: restore it from your backup"}
	}
	return out, nil
}
