package store

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/fleet"
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

// BenchmarkImportBatch stores collections 256 at a time, as the importer
// does when bundles arrive faster than it commits, each with a 5 KiB raw
// output, into each store: the writer's cost per bundle
// (docs/performance.md). PostgreSQL is the tests' throwaway server on
// this machine (fsync off; make bench's import has it on).
func BenchmarkImportBatch(b *testing.B) {
	raw := bytes.Repeat([]byte("Software licensing service version: 10.0.19041.1\r\n"), 100)
	for _, store := range []string{"sqlite", "postgres"} {
		b.Run(store, func(b *testing.B) {
			dsn := filepath.Join(b.TempDir(), "fleet.db")
			if store == "postgres" {
				dsn = pg.DB(b)
			}
			db, err := Open(dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			cs := make([]*fleet.Collection, b.N)
			for i := range cs {
				cs[i] = coll(fmt.Sprintf("b%08d", i), fmt.Sprintf("U%08d", i), fmt.Sprintf("S%08d", i), fmt.Sprint(i), time.Unix(int64(i), 0))
				cs[i].Raw = []fleet.Raw{{Member: "raw/slmgr-dlv.txt", Data: raw}}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i += 256 {
				j := i + 256
				if j > b.N {
					j = b.N
				}
				if _, _, err := db.ImportBatch(ctx, cs[i:j]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
