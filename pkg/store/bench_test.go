package store

import (
	"fmt"

	"github.com/actcourier/actcourier/pkg/fleet"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkImport stores one collection per iteration into a fresh
// database, one transaction each.
func BenchmarkImport(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "fleet.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cs := make([]*fleet.Collection, b.N)
	for i := range cs {
		cs[i] = coll(fmt.Sprintf("b%08d", i), fmt.Sprintf("U%08d", i), fmt.Sprintf("S%08d", i), fmt.Sprint(i), time.Unix(int64(i), 0))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := importOne(db, cs[i]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportBatch stores collections 64 at a time, as the importer
// does when bundles arrive faster than it commits.
func BenchmarkImportBatch(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "fleet.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	cs := make([]*fleet.Collection, b.N)
	for i := range cs {
		cs[i] = coll(fmt.Sprintf("b%08d", i), fmt.Sprintf("U%08d", i), fmt.Sprintf("S%08d", i), fmt.Sprint(i), time.Unix(int64(i), 0))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i += 64 {
		j := i + 64
		if j > b.N {
			j = b.N
		}
		if _, _, err := db.ImportBatch(ctx, cs[i:j]); err != nil {
			b.Fatal(err)
		}
	}
}
