package bundle_test

import (
	"log"
	"os"
	"path/filepath"
)

func tempDir() (string, func()) {
	dir, err := os.MkdirTemp("", "bundle-example")
	if err != nil {
		log.Fatal(err)
	}
	return filepath.ToSlash(dir), func() { os.RemoveAll(dir) }
}
