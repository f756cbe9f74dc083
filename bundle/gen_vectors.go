//go:build ignore

// gen_vectors rebuilds testdata/vectors: go generate ./bundle
//
// Each vector is "expect: <outcome>", "comment: <text>", a blank line, then
// the bundle file. All are encrypted to the public test key in
// testdata/vectors/key.txt (except the wrong-key one). age encryption is
// randomized, so a rerun changes every file; the outcomes do not change.
package main

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/actcourier/actcourier/bundle"
	"github.com/klauspost/compress/zstd"
)

const testIdentity = "AGE-SECRET-KEY-149V0XNSKKY55588LNFNYY3ARWVTH6LP0QMTZPAUR78XLF4NVD9JQDR37RC"

var created = time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("", 9*3600))

type entry struct {
	typ  byte
	name string
	data string
	pax  []string // "key=value" PAX records written before the member, for sparse members
	size int64    // the header's size when not len(data)
}

func reg(name, data string) entry { return entry{typ: tar.TypeReg, name: name, data: data} }

func manifest(version string, listed ...entry) string {
	var ms []string
	for _, e := range listed {
		sum := sha256.Sum256([]byte(e.data))
		ms = append(ms, fmt.Sprintf(`{"name":%q,"size":%d,"sha256":%q}`, e.name, len(e.data), hex.EncodeToString(sum[:])))
	}
	return fmt.Sprintf(`{"format":"actcourier-bundle","version":%q,"bundle_id":"00112233445566778899aabbccddeeff","created_at":"2026-11-24T09:30:00+09:00","collector":"gen_vectors","members":[%s]}`,
		version, strings.Join(ms, ","))
}

// raw builds age(zstd(tar(entries))) without any checks.
func raw(r age.Recipient, entries ...entry) []byte {
	var t bytes.Buffer
	tw := tar.NewWriter(&t)
	for _, e := range entries {
		h := &tar.Header{Typeflag: e.typ, Name: e.name, Mode: 0o644, ModTime: created}
		if e.pax != nil {
			// archive/tar's Writer drops GNU.sparse records: write the
			// extended header's blocks by hand.
			must(tw.Flush())
			t.Write(paxHeader(e.pax))
		}
		if e.typ == tar.TypeReg {
			h.Size = int64(len(e.data))
		} else {
			h.Linkname = e.data
		}
		must(tw.WriteHeader(h))
		if e.typ == tar.TypeReg {
			_, err := tw.Write([]byte(e.data))
			must(err)
		}
	}
	must(tw.Close())
	var z bytes.Buffer
	zw, err := zstd.NewWriter(&z)
	must(err)
	zw.Write(t.Bytes())
	must(zw.Close())
	var out bytes.Buffer
	aw, err := age.Encrypt(&out, r)
	must(err)
	aw.Write(z.Bytes())
	must(aw.Close())
	return out.Bytes()
}

// paxHeader returns the blocks of a PAX extended header ('x') holding the
// records in order (repeated keys allowed, as GNU sparse 0.0 needs).
func paxHeader(records []string) []byte {
	var data []byte
	for _, kv := range records {
		rec := " " + kv + "\n"
		n := len(rec) + 1
		for len(fmt.Sprint(n))+len(rec) != n {
			n++
		}
		data = append(data, fmt.Sprintf("%d%s", n, rec)...)
	}
	hdr := make([]byte, 512)
	copy(hdr[0:], "PaxHeaders.0/member")
	copy(hdr[100:], "0000644\x00")
	copy(hdr[108:], "0000000\x00")
	copy(hdr[116:], "0000000\x00")
	copy(hdr[124:], fmt.Sprintf("%011o\x00", len(data)))
	copy(hdr[136:], fmt.Sprintf("%011o\x00", created.Unix()))
	hdr[156] = 'x'
	copy(hdr[257:], "ustar\x0000")
	copy(hdr[148:], "        ")
	sum := 0
	for _, b := range hdr {
		sum += int(b)
	}
	copy(hdr[148:], fmt.Sprintf("%06o\x00 ", sum))
	out := append(hdr, data...)
	if pad := len(data) % 512; pad != 0 {
		out = append(out, make([]byte, 512-pad)...)
	}
	return out
}

// sparse makes a GNU PAX sparse member holding data as one region, in
// format version 0.0, 0.1 or 1.0, as GNU tar writes them: a reader that
// expands it gets exactly data back, so only the sparse rule refuses it.
func sparse(version, name, data string) entry {
	n := fmt.Sprint(len(data))
	switch version {
	case "0.0":
		return entry{typ: tar.TypeReg, name: name, data: data,
			pax: []string{"GNU.sparse.size=" + n, "GNU.sparse.numblocks=1", "GNU.sparse.offset=0", "GNU.sparse.numbytes=" + n}}
	case "0.1":
		return entry{typ: tar.TypeReg, name: name, data: data,
			pax: []string{"GNU.sparse.size=" + n, "GNU.sparse.numblocks=1", "GNU.sparse.map=0," + n}}
	}
	// 1.0: the sparse map leads the data, padded to a block.
	m := "1\n0\n" + n + "\n"
	m += strings.Repeat("\x00", 512-len(m))
	return entry{typ: tar.TypeReg, name: "GNUSparseFile.0/" + name, data: m + data,
		pax: []string{"GNU.sparse.major=1", "GNU.sparse.minor=0", "GNU.sparse.name=" + name, "GNU.sparse.realsize=" + n}}
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func main() {
	id, err := age.ParseX25519Identity(testIdentity)
	must(err)
	r := id.Recipient()
	other, err := age.GenerateX25519Identity()
	must(err)

	dev := reg("device.json", `{"schema":"actcourier-device/1"}`+"\n")
	dlv := reg("slmgr/dlv.txt", "Name: Windows(R) 7, Professional edition\r\nLicense Status: Licensed\r\n")

	good := func(rs ...age.Recipient) []byte {
		var b bytes.Buffer
		_, err := bundle.Encode(&b, bundle.Header{ID: "00112233445566778899aabbccddeeff", CreatedAt: created, Generator: "gen_vectors"},
			[]bundle.Member{{Name: dev.name, Data: []byte(dev.data)}, {Name: dlv.name, Data: []byte(dlv.data)}}, rs...)
		must(err)
		return b.Bytes()
	}
	truncated := good(r)
	truncated = truncated[:len(truncated)-20]
	flipped := good(r)
	flipped[len(flipped)-30] ^= 0x01

	vectors := []struct {
		name, expect, comment string
		data                  []byte
	}{
		{"good", "success", "two members, written by this package", good(r)},
		{"good_two_recipients", "success", "encrypted to the test key and one more", good(other.Recipient(), r)},
		{"good_empty", "success", "manifest only", raw(r, reg(bundle.ManifestName, manifest("1.0")))},
		{"good_minor_version", "success", "version 1.9 with an unknown field: readers accept it",
			raw(r, reg(bundle.ManifestName, strings.Replace(manifest("1.9", dev), `"members"`, `"future_field":{"x":1},"members"`, 1)), dev)},
		{"wrong_key", "wrong key", "encrypted to another key only", good(other.Recipient())},
		{"not_bundle_text", "not a bundle", "plain slmgr text", []byte("Name: Windows(R) 7, Professional edition\r\n")},
		{"not_bundle_empty", "not a bundle", "an empty file: a copy cut short (ErrEmpty)", nil},
		{"not_bundle_no_manifest", "not a bundle", "tar without manifest.json first", raw(r, dev, reg(bundle.ManifestName, manifest("1.0", dev)))},
		{"tampered_truncated", "tampered", "last 20 bytes cut off", truncated},
		{"tampered_bitflip", "tampered", "one bit flipped in the last chunk", flipped},
		{"too_large_member", "too large", "manifest lists a 1 GiB member",
			raw(r, reg(bundle.ManifestName, strings.Replace(manifest("1.0", reg("big.bin", "")), `"size":0`, `"size":1073741824`, 1)))},
		{"unsupported_version", "unsupported version", "major version 2", raw(r, reg(bundle.ManifestName, manifest("2.0", dev)), dev)},
		{"manifest_mismatch_hash", "manifest mismatch", "device.json differs from its listed hash",
			raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), reg(dev.name, strings.ToUpper(dev.data)))},
		{"manifest_mismatch_missing", "manifest mismatch", "slmgr/dlv.txt listed but absent", raw(r, reg(bundle.ManifestName, manifest("1.0", dev, dlv)), dev)},
		{"manifest_mismatch_unlisted", "manifest mismatch", "slmgr/dlv.txt present but not listed", raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), dev, dlv)},
		{"insecure_dotdot", "insecure member", "a member named ../evil.txt", raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), dev, reg("../evil.txt", "x"))},
		{"insecure_symlink", "insecure member", "a symlink member", raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), dev, entry{typ: tar.TypeSymlink, name: "link", data: "/etc/passwd"})},
		{"insecure_duplicate", "insecure member", "device.json twice", raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), dev, dev)},
		{"insecure_sparse_pax_0_0", "insecure member", "device.json as a GNU PAX sparse file, version 0.0",
			raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), sparse("0.0", dev.name, dev.data))},
		{"insecure_sparse_pax_0_1", "insecure member", "device.json as a GNU PAX sparse file, version 0.1",
			raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), sparse("0.1", dev.name, dev.data))},
		{"insecure_sparse_pax_1_0", "insecure member", "device.json as a GNU PAX sparse file, version 1.0",
			raw(r, reg(bundle.ManifestName, manifest("1.0", dev)), sparse("1.0", dev.name, dev.data))},
		{"manifest_mismatch_device_name", "manifest mismatch", "a member named CON.txt, a device on Windows",
			raw(r, reg(bundle.ManifestName, manifest("1.0", dev, reg("raw/CON.txt", "x"))), dev, reg("raw/CON.txt", "x"))},
		{"manifest_mismatch_trailing_dot", "manifest mismatch", "a member named notes. (Windows drops the dot)",
			raw(r, reg(bundle.ManifestName, manifest("1.0", dev, reg("notes.", "x"))), dev, reg("notes.", "x"))},
		{"manifest_mismatch_case", "manifest mismatch", "Device.json and device.json: one file on Windows and macOS",
			raw(r, reg(bundle.ManifestName, manifest("1.0", dev, reg("Device.json", "x"))), dev, reg("Device.json", "x"))},
	}
	dir := filepath.Join("testdata", "vectors")
	must(os.MkdirAll(dir, 0o755))
	must(os.WriteFile(filepath.Join(dir, "key.txt"), []byte("# public test key: never use it for real bundles\n"+testIdentity+"\n"), 0o644))
	for _, v := range vectors {
		var b bytes.Buffer
		fmt.Fprintf(&b, "expect: %s\ncomment: %s\n\n", v.expect, v.comment)
		b.Write(v.data)
		must(os.WriteFile(filepath.Join(dir, v.name), b.Bytes(), 0o644))
	}
}
