package collect

import (
	"crypto/sha256"
	"strings"

	"github.com/actcourier/actcourier/pkg/activation"
)

// SimulatedCID is the Confirmation ID the simulation accepts for iid:
// what Microsoft's service would issue, in tests and demos.
func SimulatedCID(iid string) string {
	sum := sha256.Sum256([]byte("actcourier simulated confirmation id\x00" + iid))
	var b strings.Builder
	for i := 0; b.Len() < activation.CIDDigits; i++ {
		b.WriteByte('0' + sum[i%len(sum)]%10)
		if i%len(sum) == len(sum)-1 {
			sum = sha256.Sum256(sum[:])
		}
	}
	return b.String()
}
