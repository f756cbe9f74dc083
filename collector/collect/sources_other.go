//go:build !windows

package collect

import "time"

// Live returns ErrLiveUnsupported: live collection reads Windows itself.
func Live(timeout time.Duration) (Sources, func(), error) {
	return Sources{}, func() {}, ErrLiveUnsupported
}
