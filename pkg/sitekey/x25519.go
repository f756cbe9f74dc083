package sitekey

import (
	"crypto/ecdh"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// x25519Label is the HKDF info of age's X25519 recipient stanza (C2SP
// age.md, "The X25519 recipient type").
const x25519Label = "age-encryption.org/v1/X25519"

// x25519Identity unwraps age X25519 stanzas with one scalar
// multiplication per stanza. age v1.2.1 calls curve25519.X25519(secret,
// share), which under current Go makes an ecdh.PrivateKey each time and so
// recomputes the identity's public key for every bundle: a second scalar
// multiplication, a tenth of an import's time. The key here is made once.
// The stanza is read exactly as age reads it (C2SP age.md); the tests
// compare both on the same files.
type x25519Identity struct {
	key       *ecdh.PrivateKey
	pub       []byte // our public key, the second half of the HKDF salt
	recipient string // the same, as age writes it (age1…): for Recipients
}

var _ age.Identity = (*x25519Identity)(nil)

// fastX25519 turns an age X25519 identity into one that unwraps with one
// scalar multiplication; other identity types come back as they are.
func fastX25519(id age.Identity) age.Identity {
	x, ok := id.(*age.X25519Identity)
	if !ok {
		return id
	}
	// The identity's Bech32 string is the only way to its scalar.
	secret, err := decodeSecret(x.String())
	if err != nil {
		return id
	}
	key, err := ecdh.X25519().NewPrivateKey(secret)
	if err != nil {
		return id
	}
	return &x25519Identity{key: key, pub: key.PublicKey().Bytes(), recipient: x.Recipient().String()}
}

// Recipients are the recipients (age1…) of the X25519 identities among
// ids, in order: the public keys whose bundles they open, for a message
// that says which keys were tried. Identities of another type (scrypt,
// SSH, plugins) name none and are left out.
func Recipients(ids []age.Identity) []string {
	var out []string
	for _, id := range ids {
		switch x := id.(type) {
		case *x25519Identity:
			out = append(out, x.recipient)
		case *age.X25519Identity:
			out = append(out, x.Recipient().String())
		}
	}
	return out
}

// Unwrap returns the file key of the first X25519 stanza this identity
// opens, age.ErrIncorrectIdentity when none, or the error of a malformed
// stanza.
func (i *x25519Identity) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	for _, s := range stanzas {
		fileKey, err := i.unwrap(s)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			continue
		}
		return fileKey, err
	}
	return nil, age.ErrIncorrectIdentity
}

func (i *x25519Identity) unwrap(s *age.Stanza) ([]byte, error) {
	if s.Type != "X25519" {
		return nil, age.ErrIncorrectIdentity
	}
	if len(s.Args) != 1 {
		return nil, errors.New("invalid X25519 recipient block")
	}
	share, err := base64.RawStdEncoding.Strict().DecodeString(s.Args[0])
	if err != nil {
		return nil, fmt.Errorf("failed to parse X25519 recipient: %v", err)
	}
	peer, err := ecdh.X25519().NewPublicKey(share)
	if err != nil {
		return nil, errors.New("invalid X25519 recipient block")
	}
	shared, err := i.key.ECDH(peer) // fails on a low-order share, as age's X25519 does
	if err != nil {
		return nil, fmt.Errorf("invalid X25519 recipient: %v", err)
	}
	salt := make([]byte, 0, len(share)+len(i.pub))
	salt = append(append(salt, share...), i.pub...)
	wrap := make([]byte, chacha20poly1305.KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, shared, salt, []byte(x25519Label)), wrap); err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.New(wrap)
	if err != nil {
		return nil, err
	}
	const fileKeySize = 16
	if len(s.Body) != fileKeySize+aead.Overhead() {
		return nil, errors.New("invalid X25519 recipient block: incorrect file key size")
	}
	fileKey, err := aead.Open(nil, make([]byte, chacha20poly1305.NonceSize), s.Body, nil)
	if err != nil {
		return nil, age.ErrIncorrectIdentity
	}
	return fileKey, nil
}

// decodeSecret reads an "AGE-SECRET-KEY-1…" identity: Bech32 (BIP 173)
// with the human-readable part "age-secret-key-", 32 bytes of scalar.
func decodeSecret(s string) ([]byte, error) {
	const charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	const hrp = "age-secret-key-"
	lower := strings.ToLower(s)
	if len(lower) < len(hrp)+1+6 || lower[:len(hrp)] != hrp || lower[len(hrp)] != '1' {
		return nil, errors.New("not an age secret key")
	}
	var values []byte
	for _, c := range lower[len(hrp)+1:] {
		v := strings.IndexRune(charset, c)
		if v < 0 {
			return nil, errors.New("not an age secret key")
		}
		values = append(values, byte(v))
	}
	if bech32Polymod(append(hrpExpand(hrp), values...)) != 1 {
		return nil, errors.New("age secret key: bad checksum")
	}
	// 5-bit groups to bytes, without the 6 checksum values.
	var out []byte
	acc, bits := 0, 0
	for _, v := range values[:len(values)-6] {
		acc = acc<<5 | int(v)
		bits += 5
		for bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
		}
		acc &= 1<<bits - 1
	}
	if bits >= 5 || acc != 0 || len(out) != 32 {
		return nil, errors.New("age secret key: bad length")
	}
	return out, nil
}

func hrpExpand(hrp string) []byte {
	var out []byte
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}
