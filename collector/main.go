// Command collector runs from a USB stick on a disconnected Windows machine
// and writes one encrypted bundle of its activation state to the stick.
//
// It must build with Go 1.20 for windows/386 and windows/amd64, the last Go
// that runs on Windows 7 SP1.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/urfave/cli/v2"
)

// version is set with -ldflags "-X main.version=…" by the Makefile.
var version string

func main() {
	os.Exit(run(os.Args, os.Stdout, os.Stderr))
}

// programVersion returns the version for --version and the manifest.
func programVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func run(args []string, stdout, stderr io.Writer) int {
	app := &cli.App{
		Name:      "collector",
		Usage:     "record this machine's Windows and Office activation state into an encrypted bundle",
		Version:   fmt.Sprintf("%s (%s/%s, %s)", programVersion(), runtime.GOOS, runtime.GOARCH, runtime.Version()),
		Writer:    stdout,
		ErrWriter: stderr,
		// Exit codes are decided here, not inside urfave (STYLE.md §5).
		ExitErrHandler: func(*cli.Context, error) {},
		Action: func(c *cli.Context) error {
			return cli.Exit("collector: error: live collection is not available in this build", 2)
		},
	}
	if err := app.Run(args); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return 0
}
