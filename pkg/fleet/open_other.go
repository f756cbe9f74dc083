//go:build !unix

package fleet

import "os"

// openFile opens a bundle file for reading (see open_unix.go).
func openFile(path string) (*os.File, error) { return os.Open(path) }
