package main

import (
	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// snapshotUsage is --snapshot's help: a Windows build replays a snapshot
// but holds no simulation to apply a return file to.
const snapshotUsage = "replay a stored device snapshot `FILE` (JSON) instead of reading this machine; a return file is not applied to a replay (the Windows builds hold no simulation)"

// simulate: the Windows builds carry no simulation (the 32-bit collector
// must stay small), and a replay never touches the machine it runs on,
// so a return file's items are refused as not readable there.
func simulate(s *licensing.Snapshot) (activation.Machine, func() *licensing.Snapshot) {
	return collect.NewMachine(nil, nil), func() *licensing.Snapshot { return s }
}
