// Command democid prints, for each Installation ID given, the
// Confirmation ID that the collector's simulation accepts for it
// ([collect.SimulatedCID]), one a line. In `make demo` it stands in for
// Microsoft's service, which ActivationWs, VAMT or a person at the portal
// asks for a real CID; the demo types what it prints into the worklist
// as a user would. It asks nothing of Microsoft, and a CID it prints
// activates nothing but the simulation.
package main

import (
	"fmt"
	"os"

	"github.com/actcourier/actcourier/collector/collect"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: democid IID...")
		os.Exit(2)
	}
	for _, iid := range os.Args[1:] {
		fmt.Println(collect.SimulatedCID(iid))
	}
}
