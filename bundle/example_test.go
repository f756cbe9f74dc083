package bundle_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"path/filepath"
	"time"

	"filippo.io/age"
	"github.com/actcourier/actcourier/bundle"
)

// Write a bundle to a buffer and read it back with the site's identity.
func Example() {
	identity, err := age.GenerateX25519Identity()
	if err != nil {
		log.Fatal(err)
	}

	var file bytes.Buffer
	w, err := bundle.NewWriter(&file, bundle.Header{
		CreatedAt: time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("JST", 9*3600)),
		Generator: "example",
	}, identity.Recipient())
	if err != nil {
		log.Fatal(err)
	}
	w.Add("slmgr/dlv.txt", []byte("License Status: Licensed\r\n"))
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}

	b, err := bundle.Open(&file, bundle.Limits{}, identity)
	if err != nil {
		log.Fatal(err)
	}
	data, _ := b.Member("slmgr/dlv.txt")
	fmt.Println(b.Manifest.Format, b.Manifest.Version, b.Manifest.CreatedAt.Format(time.RFC3339))
	fmt.Printf("%s %q\n", b.Manifest.Members[0].Name, data)
	// Output:
	// actcourier-bundle 1.0 2026-11-24T09:30:00+09:00
	// slmgr/dlv.txt "License Status: Licensed\r\n"
}

// A bundle encrypted to another site's key is refused with ErrWrongKey.
func ExampleOpen_wrongKey() {
	site, _ := age.GenerateX25519Identity()
	other, _ := age.GenerateX25519Identity()

	var file bytes.Buffer
	if _, err := bundle.Encode(&file, bundle.Header{}, nil, site.Recipient()); err != nil {
		log.Fatal(err)
	}
	_, err := bundle.Open(&file, bundle.Limits{}, other)
	fmt.Println(errors.Is(err, bundle.ErrWrongKey))
	// Output:
	// true
}

// A bundle cut short by an interrupted copy is refused with ErrTampered.
func ExampleOpen_truncated() {
	site, _ := age.GenerateX25519Identity()
	var file bytes.Buffer
	bundle.Encode(&file, bundle.Header{}, []bundle.Member{{Name: "device.json", Data: []byte("{}")}}, site.Recipient())

	_, err := bundle.Open(bytes.NewReader(file.Bytes()[:file.Len()-10]), bundle.Limits{}, site)
	fmt.Println(errors.Is(err, bundle.ErrTampered))
	// Output:
	// true
}

// WriteFile names the bundle by its random ID only and never leaves a
// partial file under that name.
func ExampleWriteFile() {
	site, _ := age.GenerateX25519Identity()
	dir, cleanup := tempDir()
	defer cleanup()

	path, m, err := bundle.WriteFile(dir, bundle.Header{}, []bundle.Member{{Name: "device.json", Data: []byte("{}")}}, site.Recipient())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(path == filepath.Join(dir, bundle.FileName(m.ID)), len(m.ID))
	// Output:
	// true 32
}
