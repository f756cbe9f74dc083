package bundle

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	"filippo.io/age"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// asAge requires what decryptHeader does with data to be what age.Decrypt
// does: where decryptHeader takes the header, age.Decrypt takes it too
// and the payload reads the same bytes and ends with the same error. The
// header is given whole and the rest of the file as a stream, as Open
// gives them; split is where the stream starts (at least the header's
// end). It reports whether decryptHeader took the header.
func asAge(t *testing.T, data []byte, split int, ids ...age.Identity) bool {
	t.Helper()
	if split > len(data) {
		split = len(data)
	}
	r, ok := decryptHeader(data[:split], bytes.NewReader(data[split:]), ids)
	if !ok {
		return false
	}
	defer r.release()
	plain, err := age.Decrypt(bytes.NewReader(data), ids...)
	if err != nil {
		t.Fatalf("decryptHeader took a header age.Decrypt rejects (%v): %q", err, data[:min(split, 300)])
	}
	got, gotErr := io.ReadAll(r)
	want, wantErr := io.ReadAll(plain)
	if !bytes.Equal(got, want) {
		t.Fatalf("payload: got %d bytes, age.Decrypt %d, or different bytes", len(got), len(want))
	}
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Fatalf("payload error: got %v, age.Decrypt %v", gotErr, wantErr)
	}
	return true
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func encryptTo(t *testing.T, plain []byte, rs ...age.Recipient) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, rs...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecryptHeaderAsAge(t *testing.T) {
	id := newIdentity(t)
	other := newIdentity(t)
	scrypt, err := age.NewScryptRecipient("password")
	if err != nil {
		t.Fatal(err)
	}
	scrypt.SetWorkFactor(10)
	random := make([]byte, 3*ageChunkSize+100)
	if _, err := rand.Read(random); err != nil {
		t.Fatal(err)
	}
	// Payloads around the chunk size: empty, one byte, a chunk less one, a
	// chunk (whose last chunk is full), a chunk and one, two chunks, three
	// and a bit.
	for _, n := range []int{0, 1, 1700, ageChunkSize - 1, ageChunkSize, ageChunkSize + 1, 2 * ageChunkSize, len(random)} {
		for _, rs := range [][]age.Recipient{{id.Recipient()}, {other.Recipient(), id.Recipient()}} {
			data := encryptTo(t, random[:n], rs...)
			end := headerEnd(t, data)
			for _, split := range []int{end + ageNonceSize, end + ageNonceSize + 10, len(data)} {
				t.Run(fmt.Sprintf("%d bytes, %d recipients, split %d", n, len(rs), split-end), func(t *testing.T) {
					if !asAge(t, data, split, id) {
						t.Fatal("decryptHeader left a genuine file to age.Decrypt")
					}
					if !asAge(t, data, split, other, id) {
						t.Fatal("decryptHeader left a genuine file to age.Decrypt with the identity second")
					}
					if asAge(t, data, split, newIdentity(t)) {
						t.Fatal("decryptHeader decrypted with the wrong identity")
					}
				})
			}
			// Cut anywhere after the nonce, and with a byte more: the same
			// errors as age's.
			for _, cut := range []int{end + ageNonceSize, end + ageNonceSize + 1, end + ageNonceSize + 16, end + ageNonceSize + ageEncChunk,
				end + ageNonceSize + ageEncChunk + 16, end + ageNonceSize + ageEncChunk + 17, len(data) - 1} {
				if cut > len(data) || cut < end+ageNonceSize {
					continue
				}
				asAge(t, data[:cut], len(data), id)
			}
			asAge(t, append(append([]byte{}, data...), 0), len(data)+1, id)
			asAge(t, append(append([]byte{}, data...), 0), end+ageNonceSize, id)
		}
	}
	// Files age makes but decryptHeader leaves to it: a passphrase.
	data := encryptTo(t, []byte("hello"), scrypt)
	if asAge(t, data, len(data), id) {
		t.Error("decryptHeader took an scrypt file that id cannot open")
	}
}

// TestDecryptHeaderFlips flips every bit of a bundle's header and of the
// bytes after it, and cuts it at every offset: decryptHeader never takes
// what age.Decrypt rejects, and reads the rest as it does.
func TestDecryptHeaderFlips(t *testing.T) {
	id := mustIdentity(t, testIdentity)
	data := encodeBundle(t, testMembers, id.Recipient())
	end := headerEnd(t, data)
	for i := 0; i < len(data); i++ {
		if i > end+64 && i < len(data)-64 {
			continue // the middle of the payload is one chunk's tag, as its ends are
		}
		for bit := 0; bit < 8; bit++ {
			b := append([]byte{}, data...)
			b[i] ^= 1 << bit
			asAge(t, b, len(b), id)
		}
		asAge(t, data[:i], i, id)
	}
}

// forge writes an age file as its sender could, whatever the header's
// form: head (up to and including "---") is MACed as it is, with the file
// key the stanzas wrap, and payload follows in one last chunk.
func forge(t *testing.T, head string, fileKey, payload []byte) []byte {
	t.Helper()
	hmacKey := make([]byte, 32)
	io.ReadFull(hkdf.New(sha256.New, fileKey, nil, []byte("header")), hmacKey)
	h := hmac.New(sha256.New, hmacKey)
	io.WriteString(h, head)
	nonce := make([]byte, ageNonceSize)
	key := make([]byte, chacha20poly1305.KeySize)
	io.ReadFull(hkdf.New(sha256.New, fileKey, nonce, []byte("payload")), key)
	aead, err := chacha20poly1305.New(key)
	if err != nil {
		t.Fatal(err)
	}
	chunkNonce := make([]byte, chacha20poly1305.NonceSize)
	chunkNonce[len(chunkNonce)-1] = ageLastChunk
	out := []byte(head + " " + ageBase64.EncodeToString(h.Sum(nil)) + "\n")
	out = append(out, nonce...)
	return aead.Seal(out, chunkNonce, payload, nil)
}

// TestDecryptHeaderForms gives decryptHeader headers whose MAC holds for
// their bytes as written, as a hostile sender, who knows the file key,
// can make them: only those in the form age writes may be taken; age
// rejects the others, or reads them as other bytes than it MACs.
func TestDecryptHeaderForms(t *testing.T) {
	id := mustIdentity(t, testIdentity)
	fileKey := make([]byte, 16)
	rand.Read(fileKey)
	stanzas, err := id.Recipient().Wrap(fileKey)
	if err != nil {
		t.Fatal(err)
	}
	s := stanzas[0]
	body := ageBase64.EncodeToString(s.Body)
	if len(body) >= 64 {
		t.Fatalf("X25519 stanza body of %d columns", len(body))
	}
	intro := ageIntro
	stanza := "-> " + s.Type + " " + strings.Join(s.Args, " ") + "\n" + body + "\n"
	if !asAge(t, forge(t, intro+stanza+"---", fileKey, []byte("payload")), 1<<20, id) {
		t.Fatal("a genuine form left to age.Decrypt")
	}
	long := "-> x\n" + strings.Repeat("A", 64) + "\n" + strings.Repeat("A", 64) + "\n\n"
	if !asAge(t, forge(t, intro+long+stanza+"---", fileKey, []byte("payload")), 1<<20, id) {
		t.Fatal("a stanza of full body lines left to age.Decrypt")
	}
	for name, head := range map[string]string{
		"CRLF":               strings.ReplaceAll(intro+stanza+"---", "\n", "\r\n"),
		"CR in a body":       intro + "-> " + s.Type + " " + strings.Join(s.Args, " ") + "\n" + body[:10] + "\r" + body[10:] + "\n---",
		"LF in a body":       intro + "-> " + s.Type + " " + strings.Join(s.Args, " ") + "\n" + body[:10] + "\n" + body[10:] + "\n---",
		"two spaces":         intro + strings.Replace(stanza, " ", "  ", 1) + "---",
		"trailing space":     intro + strings.Replace(stanza, "\n", " \n", 1) + "---",
		"no space":           intro + strings.Replace(stanza, "-> ", "->", 1) + "---",
		"tab":                intro + strings.Replace(stanza, "X25519 ", "X25519\t", 1) + "---",
		"body padded":        intro + strings.Replace(stanza, body, body+"=", 1) + "---",
		"body not ended":     intro + "-> x\n" + strings.Repeat("A", 64) + "\n" + stanza + "---",
		"long body line":     intro + "-> x\n" + strings.Repeat("A", 68) + "\n\n" + stanza + "---",
		"empty arg line":     intro + "-> \n\n" + stanza + "---",
		"bare arrow":         intro + "->\n\n" + stanza + "---",
		"intro CRLF":         strings.Replace(intro, "\n", "\r\n", 1) + stanza + "---",
		"no stanza":          intro + "---",
		"MAC two spaces":     intro + stanza + "--- ",
		"dashes in a stanza": intro + "-> ---\n\n" + stanza + "---",
		"footer too long":    intro + stanza + "----",
	} {
		t.Run(name, func(t *testing.T) {
			data := forge(t, head, fileKey, []byte("payload"))
			asAge(t, data, 1<<20, id)
		})
	}
}

func FuzzDecryptHeader(f *testing.F) {
	for _, path := range vectorFiles(f) {
		_, data := readVector(f, path)
		f.Add(data)
	}
	id := mustIdentity(f, testIdentity)
	f.Fuzz(func(t *testing.T, data []byte) {
		if i := bytes.Index(data, []byte("\n--- ")); i >= 0 {
			if j := bytes.IndexByte(data[i+1:], '\n'); j >= 0 {
				asAge(t, data, i+1+j+1+ageNonceSize, id)
			}
		}
		asAge(t, data, len(data), id)
	})
}

// TestOpenKeepsChunkBuffers holds Open to decryptHeader's reused buffers
// for a genuine bundle: through age.Decrypt, each Open allocated 128 KiB.
func TestOpenKeepsChunkBuffers(t *testing.T) {
	id := mustIdentity(t, testIdentity)
	data := encodeBundle(t, testMembers, id.Recipient())
	Open(bytes.NewReader(data), Limits{}, id) // the pools
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	const n = 20
	for i := 0; i < n; i++ {
		if _, err := Open(bytes.NewReader(data), Limits{}, id); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 64<<10 {
		t.Errorf("Open allocated %d bytes a bundle, want under 64 KiB", per)
	}
}

// BenchmarkOpen opens a typical bundle (three small members).
func BenchmarkOpen(b *testing.B) {
	id := mustIdentity(b, testIdentity)
	data := encodeBundle(b, testMembers, id.Recipient())
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for i := 0; i < b.N; i++ {
		if _, err := Open(bytes.NewReader(data), Limits{}, id); err != nil {
			b.Fatal(err)
		}
	}
}
