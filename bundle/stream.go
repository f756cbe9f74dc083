package bundle

import (
	"bytes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// age v1.2.1's Decrypt makes and clears 64 KiB for its payload reader and
// 64 KiB more for every chunk it opens: for a bundle of 2 KiB that was a
// tenth of an import's CPU, and most of what it allocated. decryptHeader
// and payloadReader do the same work as age.Decrypt for the headers age
// itself writes, with buffers kept for reuse. They only ever succeed where
// age.Decrypt would, with the same plaintext (TestDecryptHeaderAsAge,
// FuzzDecryptHeader); on anything else, or any doubt, Open decrypts with
// age.Decrypt as before, so every error is still age's.

// The age format's constants (C2SP age.md), as age v1.2.1 has them.
const (
	ageChunkSize  = 64 << 10
	ageEncChunk   = ageChunkSize + chacha20poly1305.Overhead
	ageNonceSize  = 16
	ageBodyLine   = 48 // bytes of a full stanza body line, 64 columns of base64
	ageLastChunk  = 0x01
	ageFooterArgs = "--- "
)

var ageBase64 = base64.RawStdEncoding.Strict()

// decryptHeader parses the age header that head holds whole, strictly:
// the intro, stanzas whose argument lines are single spaces between
// printable words and whose body lines are canonical base64 of 64
// columns ending with a short one, and the MAC line. It unwraps the file
// key with the identities in order, checks the header's MAC and reads the
// payload nonce, then returns a reader of the payload from src (the bytes
// of the file after head). ok is false, and nothing of src has been read,
// where age.Decrypt would fail or where the header is not in the one form
// age writes: the caller then decrypts with age.Decrypt.
//
// Parsing this strictly makes the header's bytes exactly those that age
// reserializes to check the MAC (format.Header.MarshalWithoutMAC).
func decryptHeader(head []byte, src io.Reader, identities []age.Identity) (r *payloadReader, ok bool) {
	if !bytes.HasPrefix(head, []byte(ageIntro)) {
		return nil, false
	}
	p := len(ageIntro)
	var stanzas []*age.Stanza
	var mac []byte
	macEnd := 0
	for mac == nil {
		line, next, found := cutLine(head, p)
		if !found {
			return nil, false
		}
		switch {
		case bytes.HasPrefix(line, []byte(ageFooterArgs)):
			arg := line[len(ageFooterArgs):]
			if !printable(arg) {
				return nil, false
			}
			m, err := ageBase64.DecodeString(string(arg))
			if err != nil || len(m) != 32 {
				return nil, false
			}
			mac = m
			macEnd = p + len("---")
		case bytes.HasPrefix(line, []byte("-> ")):
			args := strings.Split(string(line[len("-> "):]), " ")
			for _, a := range args {
				if !printable([]byte(a)) {
					return nil, false
				}
			}
			s := &age.Stanza{Type: args[0], Args: args[1:]}
			for {
				line, next, found = cutLine(head, next)
				if !found || len(line) > 64 || !printable(line) && len(line) > 0 {
					return nil, false
				}
				b, err := ageBase64.DecodeString(string(line))
				if err != nil {
					return nil, false
				}
				s.Body = append(s.Body, b...)
				if len(b) < ageBodyLine {
					break
				}
			}
			stanzas = append(stanzas, s)
		default:
			return nil, false
		}
		p = next
	}
	if len(head)-p < ageNonceSize {
		return nil, false
	}

	var fileKey []byte
	for _, id := range identities {
		k, err := id.Unwrap(stanzas)
		if errors.Is(err, age.ErrIncorrectIdentity) {
			continue
		}
		if err != nil {
			return nil, false
		}
		fileKey = k
		break
	}
	if fileKey == nil {
		return nil, false
	}
	hmacKey := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, fileKey, nil, []byte("header")), hmacKey); err != nil {
		return nil, false
	}
	h := hmac.New(sha256.New, hmacKey)
	h.Write(head[:macEnd])
	if !hmac.Equal(h.Sum(nil), mac) {
		return nil, false
	}

	nonce := head[p : p+ageNonceSize]
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, fileKey, nonce, []byte("payload")), key); err != nil {
		return nil, false
	}
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		return nil, false
	}
	return &payloadReader{
		a:   aead,
		src: io.MultiReader(bytes.NewReader(head[p+ageNonceSize:]), src),
		buf: chunkBufs.Get().(*chunkBuf),
	}, true
}

// cutLine returns the line of b that starts at p, without its newline,
// and where the next starts; found is false if no newline ends it.
func cutLine(b []byte, p int) (line []byte, next int, found bool) {
	i := bytes.IndexByte(b[p:], '\n')
	if i < 0 {
		return nil, 0, false
	}
	return b[p : p+i], p + i + 1, true
}

// printable reports whether s is a non-empty run of printable ASCII
// without spaces, an age header's argument.
func printable(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	for _, c := range s {
		if c < 33 || c > 126 {
			return false
		}
	}
	return true
}

// chunkBuf holds one encrypted chunk and its plaintext.
type chunkBuf struct {
	in  [ageEncChunk]byte
	out [ageChunkSize]byte
}

var chunkBufs = sync.Pool{New: func() any { return new(chunkBuf) }}

// payloadReader reads an age payload as age v1.2.1's stream.Reader does,
// chunk by chunk, with the same checks and errors, into a buffer that
// release gives back for the next file.
type payloadReader struct {
	a      cipher.AEAD
	src    io.Reader
	buf    *chunkBuf
	unread []byte
	err    error
	nonce  [chacha20poly1305.NonceSize]byte
}

// release gives the reader's buffer back; the reader is not used again.
func (r *payloadReader) release() {
	if r.buf != nil {
		chunkBufs.Put(r.buf)
		r.buf = nil
		r.unread = nil
		if r.err == nil {
			r.err = errors.New("bundle: payload read after release")
		}
	}
}

func (r *payloadReader) Read(p []byte) (int, error) {
	if len(r.unread) > 0 {
		n := copy(p, r.unread)
		r.unread = r.unread[n:]
		return n, nil
	}
	if r.err != nil {
		return 0, r.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	last, err := r.readChunk()
	if err != nil {
		r.err = err
		return 0, err
	}
	n := copy(p, r.unread)
	r.unread = r.unread[n:]
	if last {
		// Nothing may follow the last chunk.
		var one [1]byte
		if _, err := r.src.Read(one[:]); err == nil {
			r.err = errors.New("trailing data after end of encrypted file")
		} else if err != io.EOF {
			r.err = fmt.Errorf("non-EOF error reading after end of encrypted file: %w", err)
		} else {
			r.err = io.EOF
		}
	}
	return n, nil
}

func (r *payloadReader) readChunk() (last bool, err error) {
	in := r.buf.in[:]
	n, err := io.ReadFull(r.src, in)
	switch {
	case err == io.EOF:
		return false, io.ErrUnexpectedEOF // no chunk marked last
	case err == io.ErrUnexpectedEOF:
		// The last chunk can be short, but not empty unless it is the
		// only one.
		if r.nonce != [chacha20poly1305.NonceSize]byte{} && n == chacha20poly1305.Overhead {
			return false, errors.New("last chunk is empty, try age v1.0.0, and please consider reporting this")
		}
		in = in[:n]
		last = true
		r.nonce[len(r.nonce)-1] = ageLastChunk
	case err != nil:
		return false, err
	}
	// Open clears its output when the tag does not match, so the
	// ciphertext stays in its own buffer for the second try.
	out, err := r.a.Open(r.buf.out[:0], r.nonce[:], in, nil)
	if err != nil && !last {
		// A full-length chunk may be the last one.
		last = true
		r.nonce[len(r.nonce)-1] = ageLastChunk
		out, err = r.a.Open(r.buf.out[:0], r.nonce[:], in, nil)
	}
	if err != nil {
		return false, errors.New("failed to decrypt and authenticate payload chunk")
	}
	for i := len(r.nonce) - 2; i >= 0; i-- {
		r.nonce[i]++
		if r.nonce[i] != 0 {
			break
		}
	}
	r.unread = out
	return last, nil
}
