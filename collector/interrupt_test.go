package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// noHost is a machine with nothing on it: no files, no firmware tables.
type noHost struct{}

func (noHost) SystemDir() string                                      { return `C:\Windows\System32` }
func (noHost) SystemDrive() string                                    { return "C:" }
func (noHost) OfficeDirs() []string                                   { return nil }
func (noHost) ReadFile(string) ([]byte, error)                        { return nil, os.ErrNotExist }
func (noHost) Glob(string) ([]string, error)                          { return nil, nil }
func (noHost) Exists(string) bool                                     { return false }
func (noHost) FirmwareTable(string) (bool, error)                     { return false, nil }
func (noHost) FirmwareType() string                                   { return "BIOS" }
func (noHost) Hostname() string                                       { return "PC" }
func (noHost) Run(context.Context, string, ...string) ([]byte, error) { return nil, context.Canceled }

// TestCtrlCWhileCollecting: Ctrl-C during a live collection is exit 130,
// "interrupted (Ctrl-C): nothing was written", and no step is announced
// after it. Under Wine the collector stopped during its first WMI step
// went on to show "Running / 実行: slmgr.vbs /dlv all" and the rest.
func TestCtrlCWhileCollecting(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var e bytes.Buffer
	con := console{out: &e, err: &e}
	src := collect.Sources{Host: noHost{}, Run: noHost{}, Progress: func(st collect.Step) {
		e.WriteString("step " + st.Part + "\n")
		cancel() // Ctrl-C as the first step starts
	}}
	res, err := collectLive(ctx, src, licensing.Context{}, con)
	code := printError(&e, err, 0)
	if res != nil || code != 130 || strings.Count(e.String(), "step ") != 1 || !strings.Contains(e.String(), "interrupted (Ctrl-C): nothing was written") {
		t.Errorf("got a result: %v, exit %d:\n%s\nwant none, exit 130, one step, and interrupted", res != nil, code, e.String())
	}
}
