package store

import (
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

// TestStoredTime: every time a store writes as text reads back; one that
// cannot (a year outside 1 to 9999 in UTC) is written as unknown.
func TestStoredTime(t *testing.T) {
	minus1 := time.Date(0, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600))
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Time{}, ""},
		{time.Date(2026, 11, 20, 1, 2, 3, 400, time.FixedZone("JST", 9*3600)), "2026-11-19T16:02:03.0000004Z"},
		{minus1, ""},
		{time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -3600)), ""},
		{time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), "0001-01-01T00:00:01Z"},
	} {
		got := storedTime(tc.in)
		if got != tc.want {
			t.Errorf("storedTime(%v) = %q, want %q", tc.in, got, tc.want)
		}
		if _, err := parseStored(got); err != nil {
			t.Errorf("storedTime(%v) = %q, which does not read back: %v", tc.in, got, err)
		}
	}
}
