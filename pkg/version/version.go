// Package version names the build of ActCourier's programs: the collector
// writes it into every bundle's manifest and snapshot, the importer into
// every report, and both print it for --version.
package version

import (
	"runtime/debug"
	"time"
)

// stamp is set at link time by the Makefile:
//
//	-ldflags "-X github.com/actcourier/actcourier/pkg/version.stamp=v1.2.3"
//
// A release build always has it; `go build` and `go run` do not.
var stamp string

// String returns the version of the running program: the stamp set at link
// time, else the module version that `go install module@version` records,
// else "(devel)". It never returns "".
func String() string {
	if stamp != "" {
		return stamp
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// Built returns when the running program's source was committed, as go
// build records it (vcs.time), or the zero time when it did not (go run,
// a build outside the repository). The collector writes it into each
// snapshot: a collection cannot be older than the program that made it.
func Built() time.Time {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return time.Time{}
	}
	for _, s := range bi.Settings {
		if s.Key == "vcs.time" {
			t, err := time.Parse(time.RFC3339, s.Value)
			if err == nil {
				return t
			}
		}
	}
	return time.Time{}
}
