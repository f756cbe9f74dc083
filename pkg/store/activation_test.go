package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/fleet"
)

// TestActivationTables: the archive keeps each IID/CID pair once, with
// its first import's who and when; return items come back as written;
// proofs are found among a collection's raw members.
func TestActivationTables(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		if v, err := db.dialect.version(db.db); err != nil || v != len(migrations) || v < 5 {
			t.Fatalf("schema %d, %v", v, err)
		}
		t0 := time.Date(2026, 11, 20, 1, 2, 3, 0, time.UTC)
		pair := fleet.CIDRecord{IID: "1", CID: "2", Source: "activationws", File: "records.csv", Row: 1, Imported: t0, By: "staff", Obtained: t0.Add(-time.Hour)}
		again := pair
		again.By, again.Imported = "someone else", t0.Add(time.Hour)
		other := pair
		other.CID = "3"
		if n, err := db.AddCIDs(ctx, []fleet.CIDRecord{pair, again}); err != nil || n != 1 {
			t.Fatalf("added %d, %v", n, err)
		}
		if n, err := db.AddCIDs(ctx, []fleet.CIDRecord{other}); err != nil || n != 1 {
			t.Fatalf("a second CID for the IID: added %d, %v", n, err)
		}
		cids, err := db.CIDs(ctx)
		if err != nil || len(cids) != 2 || cids[0].By != "staff" || !cids[0].Imported.Equal(t0) || !cids[0].Obtained.Equal(t0.Add(-time.Hour)) {
			t.Fatalf("%+v %v", cids, err)
		}
		item := fleet.ReturnItem{ItemID: "i1", ReturnID: "r1", DeviceKey: "hw:U/S", ActivationID: "a", IID: "1", CID: "2", KeyPartial: "VW7XY",
			Written: t0, By: "staff", File: "r1.return.age"}
		if err := db.AddReturnItems(ctx, []fleet.ReturnItem{item}); err != nil {
			t.Fatal(err)
		}
		if items, err := db.ReturnItems(ctx); err != nil || len(items) != 1 || items[0] != item {
			t.Fatalf("%+v %v", items, err)
		}
		if err := db.AddReturnItems(ctx, []fleet.ReturnItem{item}); err == nil {
			t.Error("an item ID twice was stored")
		}
		c := coll("b1", "U", "S", "A1", t0)
		c.Raw = append(c.Raw, fleet.Raw{Member: activation.ProofMember, Data: []byte("{}")})
		if _, err := importOne(db, c); err != nil {
			t.Fatal(err)
		}
		proofs, err := db.Proofs(ctx)
		if err != nil || len(proofs) != 1 || proofs[0].DeviceKey != c.DeviceKey || string(proofs[0].Data) != "{}" {
			t.Fatalf("%+v %v", proofs, err)
		}
	})
}

// TestCIDRestores: a pair of the archive put back on file is recorded
// with who, when and the file's row, and read back in the order they
// were made; a pair the archive does not hold is refused whole
// (fleet.ErrNotArchived), and the archive's own rows stay as imported.
func TestCIDRestores(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 20, 1, 2, 3, 0, time.UTC)
		a := fleet.CIDRecord{IID: "1", CID: "2", Source: "worklist", File: "good.xlsx", Row: 3, Imported: t0, By: "yamada"}
		b := a
		b.CID, b.File, b.Imported, b.By = "3", "typo.xlsx", t0.Add(time.Hour), "sato"
		if _, err := db.AddCIDs(ctx, []fleet.CIDRecord{a, b}); err != nil {
			t.Fatal(err)
		}
		first := fleet.CIDRestore{IID: "1", CID: "2", File: "good.xlsx", Row: 3, Restored: t0.Add(2 * time.Hour), By: "lead"}
		again := first
		again.Restored, again.By = t0.Add(3*time.Hour), "someone else"
		if err := db.RestoreCIDs(ctx, []fleet.CIDRestore{again, first}); err != nil {
			t.Fatal(err)
		}
		unknown := fleet.CIDRestore{IID: "1", CID: "9", Restored: t0.Add(4 * time.Hour), By: "lead"}
		if err := db.RestoreCIDs(ctx, []fleet.CIDRestore{{IID: "1", CID: "3", Restored: t0.Add(4 * time.Hour)}, unknown}); !errors.Is(err, fleet.ErrNotArchived) {
			t.Fatalf("a pair not in the archive: got %v, want ErrNotArchived", err)
		}
		got, err := db.CIDRestores(ctx)
		if err != nil || len(got) != 2 || got[0] != first || got[1] != again {
			t.Fatalf("got %+v, %v; want %+v then %+v", got, err, first, again)
		}
		if cids, err := db.CIDs(ctx); err != nil || len(cids) != 2 || cids[0] != a || cids[1] != b {
			t.Fatalf("the archive after the restores: %+v, %v", cids, err)
		}
	})
}

// TestMigrateRestores: migration 8 adds the table of restores to a
// schema 7 fleet, whose archive stays as it was and takes restores.
func TestMigrateRestores(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 20, 1, 2, 3, 0, time.UTC)
		a := fleet.CIDRecord{IID: "1", CID: "2", Source: "worklist", File: "good.xlsx", Row: 3, Imported: t0, By: "yamada"}
		if _, err := db.AddCIDs(ctx, []fleet.CIDRecord{a}); err != nil {
			t.Fatal(err)
		}
		tx, err := db.db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec("DROP TABLE cid_restores"); err != nil {
			t.Fatal(err)
		}
		if err := db.dialect.setVersion(tx, 7); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db = openNew(t, dsn)
		if v, err := db.dialect.version(db.db); err != nil || v != 8 || v != len(migrations) {
			t.Fatalf("schema %d, %v; want 8", v, err)
		}
		if cids, err := db.CIDs(ctx); err != nil || len(cids) != 1 || cids[0] != a {
			t.Fatalf("the archive after migration 8: %+v, %v", cids, err)
		}
		r := fleet.CIDRestore{IID: "1", CID: "2", File: "good.xlsx", Row: 3, Restored: t0.Add(time.Hour), By: "lead"}
		if err := db.RestoreCIDs(ctx, []fleet.CIDRestore{r}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.CIDRestores(ctx); err != nil || len(got) != 1 || got[0] != r {
			t.Fatalf("%+v, %v", got, err)
		}
	})
}

// TestStoredTime: every time a store writes as text reads back, the same
// instant, in nine digits of fraction; one that cannot (a year outside 1
// to 9999 in UTC) is written as unknown.
func TestStoredTime(t *testing.T) {
	minus1 := time.Date(0, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600))
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2026, 11, 20, 1, 2, 3, 400, time.FixedZone("JST", 9*3600)), "2026-11-19T16:02:03.000000400Z"},
		{minus1, ""},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -3600)), ""},
		{time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), "0001-01-01T00:00:01.000000000Z"},
		{time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), "9999-12-31T23:59:59.999999999Z"},
	} {
		got := storedTime(tc.in)
		if got != tc.want {
			t.Errorf("storedTime(%v) = %q, want %q", tc.in, got, tc.want)
		}
		if back, err := parseStored(got); err != nil || (got != "" && !back.Equal(tc.in)) {
			t.Errorf("storedTime(%v) = %q, which reads back as %v, %v", tc.in, got, back, err)
		}
	}
}

// TestParseTime: the times of either format, and the RFC3339Nano text
// every version before schema 7 stored, read as the same instant.
func TestParseTime(t *testing.T) {
	at := time.Date(2026, 11, 1, 10, 0, 0, 500000000, time.UTC)
	for _, tc := range []struct {
		name, in string
		want     time.Time
	}{
		{"collectedFormat", "2026-11-01T10:00:00Z", at.Truncate(time.Second)},
		{"timeFormat", "2026-11-01T10:00:00.500000000Z", at},
		{"timeFormat, whole", "2026-11-01T10:00:00.000000000Z", at.Truncate(time.Second)},
		{"RFC3339Nano, fraction", "2026-11-01T10:00:00.5Z", at},
		{"RFC3339Nano, nanosecond", "2026-11-01T10:00:00.000000001Z", at.Truncate(time.Second).Add(1)},
		{"RFC3339Nano, year 1", "0001-01-01T00:00:00Z", time.Time{}},
	} {
		got, err := parseTime(tc.in)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s: parseTime(%q) = %v, %v; want %v", tc.name, tc.in, got, err, tc.want)
		}
	}
}

// TestActivationOrderWithinSecond: the archive lists pairs in the order
// they were imported, and return items in the order they were written,
// also within one second, in both stores: the latest imported CID of an
// IID is the one that counts (fleet's loadActivation). As RFC3339Nano
// text, which drops a fraction's trailing zeros, "…:03Z" sorted after
// "…:03.5Z", and ".5Z" after ".55Z".
func TestActivationOrderWithinSecond(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 1, 2, 3, 0, time.UTC)
	tests := []struct {
		name          string
		first, second time.Duration // after t0
	}{
		{"whole then half", 0, 500 * time.Millisecond},
		{".5 then .55", 500 * time.Millisecond, 550 * time.Millisecond},
		{".1 then .100000001", 100 * time.Millisecond, 100*time.Millisecond + 1},
	}
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		for i, tc := range tests {
			iid := fmt.Sprint(i)
			for _, c := range []fleet.CIDRecord{
				// The second is imported first: only the times order them.
				{IID: iid, CID: "second", Source: "csv", File: "a.csv", Row: 1, Imported: t0.Add(tc.second)},
				{IID: iid, CID: "first", Source: "csv", File: "b.csv", Row: 1, Imported: t0.Add(tc.first)},
			} {
				if _, err := db.AddCIDs(ctx, []fleet.CIDRecord{c}); err != nil {
					t.Fatal(err)
				}
			}
			err := db.AddReturnItems(ctx, []fleet.ReturnItem{
				{ItemID: iid + "-a", ReturnID: "second", DeviceKey: "k", Written: t0.Add(tc.second)},
				{ItemID: iid + "-b", ReturnID: "first", DeviceKey: "k", Written: t0.Add(tc.first)},
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		cids, err := db.CIDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		items, err := db.ReturnItems(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i, tc := range tests {
			var gotCIDs, gotItems []string
			for _, c := range cids {
				if c.IID == fmt.Sprint(i) {
					gotCIDs = append(gotCIDs, c.CID)
				}
			}
			for _, it := range items {
				if strings.HasPrefix(it.ItemID, fmt.Sprint(i, "-")) {
					gotItems = append(gotItems, it.ReturnID)
				}
			}
			if got := fmt.Sprint(gotCIDs, gotItems); got != "[first second] [first second]" {
				t.Errorf("%s: CIDs and return items in the order %s, want [first second] [first second]", tc.name, got)
			}
		}
	})
}
