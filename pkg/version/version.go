// Package version names the build of ActCourier's programs: the collector
// writes it into every bundle's manifest and snapshot, the importer into
// every report, and both print it for --version.
package version

import "runtime/debug"

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
