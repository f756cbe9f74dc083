package collect

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"

	"github.com/actcourier/actcourier/collector/winwmi"
)

// Live returns the sources of this machine. Call close when done, from
// the same goroutine: COM is bound to the thread.
func Live(timeout time.Duration) (src Sources, close func(), err error) {
	s, err := winwmi.Open()
	if err != nil {
		// No WMI at all: collect from the text sources alone.
		return Sources{Run: runner{}, Host: host{}, Timeout: timeout, WMIErr: err}, func() {}, nil
	}
	return Sources{WMI: wmiSource{s}, Methods: wmiSource{s}, Run: runner{}, Host: host{}, Timeout: timeout}, s.Close, nil
}

type wmiSource struct{ s *winwmi.Session }

func (w wmiSource) Query(ns, class string, props []string, where string) ([]map[string]interface{}, []string, error) {
	rows, missing, err := w.s.Query(ns, class, props, where)
	if errors.Is(err, winwmi.ErrInvalidClass) {
		return nil, missing, fmt.Errorf("%w: %v", ErrNoClass, err)
	}
	out := make([]map[string]interface{}, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out, missing, err
}

// Exec runs a WMI method of root\cimv2 (winwmi.Exec); a failure is a
// *winwmi.MethodError, which carries its HRESULT.
func (w wmiSource) Exec(path, method string, in ...string) error {
	args := make([]interface{}, len(in))
	for i, a := range in {
		args[i] = a
	}
	_, err := w.s.Exec(cimv2, path, method, nil, args...)
	return err
}

type runner struct{}

// Run starts the program without a window of its own and kills it when
// ctx ends.
func (runner) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && stderr.Len() > 0 {
		err = fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out, err
}

type host struct{}

// SystemDir is the native System32: a 32-bit program on 64-bit Windows is
// redirected to SysWOW64 unless it asks for Sysnative (DOMAIN.md).
func (host) SystemDir() string {
	root := os.Getenv("SystemRoot")
	if root == "" {
		root = `C:\Windows`
	}
	if os.Getenv("PROCESSOR_ARCHITEW6432") != "" {
		return root + `\Sysnative`
	}
	return root + `\System32`
}

func (host) SystemDrive() string {
	if d := os.Getenv("SystemDrive"); d != "" {
		return d
	}
	return "C:"
}

// OfficeDirs lists the Office14..16 folders of both Program Files trees
// (ProgramW6432 is the 64-bit one, also from a 32-bit program), the
// Click-to-Run root, and the InstallRoot paths in both registry views.
func (host) OfficeDirs() []string {
	var dirs []string
	seen := map[string]bool{}
	add := func(d string) {
		d = strings.TrimRight(d, `\`)
		if d != "" && !seen[strings.ToLower(d)] {
			seen[strings.ToLower(d)] = true
			dirs = append(dirs, d)
		}
	}
	for _, env := range []string{"ProgramW6432", "ProgramFiles", "ProgramFiles(x86)"} {
		pf := os.Getenv(env)
		if pf == "" {
			continue
		}
		for _, v := range []string{"Office14", "Office15", "Office16"} {
			add(pf + `\Microsoft Office\` + v)
			add(pf + `\Microsoft Office\root\` + v)
		}
	}
	for _, view := range []uint32{registry.WOW64_64KEY, registry.WOW64_32KEY} {
		for _, v := range []string{"14.0", "15.0", "16.0"} {
			k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Office\`+v+`\Common\InstallRoot`, registry.QUERY_VALUE|view)
			if err != nil {
				continue
			}
			if p, _, err := k.GetStringValue("Path"); err == nil {
				add(p)
			}
			k.Close()
		}
	}
	return dirs
}

// ReadFile reads at most one byte more than a bundle member may hold: a
// file larger is not kept (collection.fit), and reading all of a damaged
// one could exhaust a 32-bit machine's memory.
func (host) ReadFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxMemberSize+1))
}

func (host) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }
func (host) Exists(name string) bool               { _, err := os.Stat(name); return err == nil }
func (host) Hostname() string                      { h, _ := os.Hostname(); return h }

var (
	kernel32                       = windows.NewLazySystemDLL("kernel32.dll")
	procGetSystemFirmwareTable     = kernel32.NewProc("GetSystemFirmwareTable")
	procGetFirmwareEnvironmentVarW = kernel32.NewProc("GetFirmwareEnvironmentVariableW")
)

// FirmwareTable asks GetSystemFirmwareTable for the size of an ACPI table
// with a zero-length buffer: the answer says whether it exists and no byte
// of it (an MSDM table holds a product key) is ever read.
func (host) FirmwareTable(signature string) (bool, error) {
	if err := procGetSystemFirmwareTable.Find(); err != nil {
		return false, err
	}
	const acpi = 'A'<<24 | 'C'<<16 | 'P'<<8 | 'I'
	id := binary.LittleEndian.Uint32([]byte(signature))
	n, _, err := procGetSystemFirmwareTable.Call(acpi, uintptr(id), 0, 0)
	if n > 0 {
		return true, nil
	}
	if errors.Is(err, windows.ERROR_NOT_FOUND) || errors.Is(err, windows.ERROR_INVALID_FUNCTION) || err == windows.ERROR_SUCCESS {
		return false, nil
	}
	return false, err
}

// FirmwareType tells BIOS from UEFI the way that works from Windows 7 on:
// reading any firmware variable fails with ERROR_INVALID_FUNCTION on BIOS.
func (host) FirmwareType() string {
	if err := procGetFirmwareEnvironmentVarW.Find(); err != nil {
		return ""
	}
	name, _ := windows.UTF16PtrFromString("")
	guid, _ := windows.UTF16PtrFromString("{00000000-0000-0000-0000-000000000000}")
	_, _, err := procGetFirmwareEnvironmentVarW.Call(uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(guid)), 0, 0)
	if errors.Is(err, windows.ERROR_INVALID_FUNCTION) {
		return "BIOS"
	}
	return "UEFI"
}
