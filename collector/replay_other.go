//go:build !windows

package main

import (
	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// snapshotUsage is --snapshot's help.
const snapshotUsage = "replay a stored device snapshot `FILE` (JSON) instead of reading this machine; a return file is then applied to a simulation of it"

// simulate returns the machine a replay applies a return file to: a
// simulation of the snapshot's licensing platforms (collect.Simulate),
// and the snapshot as they leave it.
func simulate(s *licensing.Snapshot) (activation.Machine, func() *licensing.Snapshot) {
	sim := collect.Simulate(s)
	return collect.NewMachine(sim, sim), sim.Snapshot
}
