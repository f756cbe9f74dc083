package fleet

import (
	"context"
	"testing"

	"github.com/actcourier/actcourier/pkg/worklist"
)

// SetListedHook makes fn run with each bundle file an import lists,
// before it is opened (testHookListed), until t ends.
func SetListedHook(t *testing.T, fn func(path string)) {
	testHookListed = fn
	t.Cleanup(func() { testHookListed = nil })
}

// ImportCIDsLoading is ImportCIDs with load giving what the fleet knows
// of its devices; KnownNames is what ImportCIDs loads.
func ImportCIDsLoading(ctx context.Context, st Store, files []string, opts CIDOptions,
	load func(context.Context, Store) (worklist.Known, error)) (CIDSummary, error) {
	return importCIDs(ctx, st, files, opts, load)
}

var KnownNames = knownNames
