//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly || windows)

package report

import "os"

// On systems the importer is not built for, the folder is not locked:
// one folder must hold one report at a time (docs/importer.md).

func openLockFile(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
}

func lockFile(*os.File) error { return nil }
