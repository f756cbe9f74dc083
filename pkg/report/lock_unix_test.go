//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package report

import "syscall"

func mkfifo(name string) error { return syscall.Mkfifo(name, 0o644) }
