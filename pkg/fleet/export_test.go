package fleet

import "testing"

// SetListedHook makes fn run with each bundle file an import lists,
// before it is opened (testHookListed), until t ends.
func SetListedHook(t *testing.T, fn func(path string)) {
	testHookListed = fn
	t.Cleanup(func() { testHookListed = nil })
}
