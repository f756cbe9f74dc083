//go:build unix && !linux

package pgtest

import "syscall"

func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{} }
