package report

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
)

// TestSortDevices: the most urgent first, then the nearest deadline with
// none last, then asset and host; devices alike in all of these keep the
// order they came in (the store's), and every device is kept once.
func TestSortDevices(t *testing.T) {
	day := func(d int) classify.Deadline {
		return classify.Deadline{Kind: classify.DeadlineGrace, Date: time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC)}
	}
	dev := func(id int64, c classify.Category, dl classify.Deadline, asset, host string) Device {
		return Device{ID: id, Asset: asset, Hostname: host, Verdict: classify.Verdict{Category: c, Deadline: dl}}
	}
	none := classify.Deadline{}
	for _, tc := range []struct {
		name string
		in   []Device
		want string // IDs in order
	}{
		{"empty", nil, ""},
		{"category first", []Device{
			dev(1, classify.OK, day(1), "A", "h"),
			dev(2, classify.VolumeLicense, none, "A", "h"),
			dev(3, classify.Urgent, day(20), "Z", "h"),
			dev(4, classify.ImageBackup, day(2), "A", "h"),
			dev(5, "", day(1), "A", "h"), // unknown: last
		}, "3 4 2 1 5"},
		{"deadline, none last", []Device{
			dev(1, classify.Urgent, none, "A", "h"),
			dev(2, classify.Urgent, day(9), "A", "h"),
			dev(3, classify.Urgent, day(3), "Z", "h"),
		}, "3 2 1"},
		{"asset then host", []Device{
			dev(1, classify.OK, none, "B", "a"),
			dev(2, classify.OK, none, "A", "z"),
			dev(3, classify.OK, none, "A", "b"),
		}, "3 2 1"},
		{"alike keep their order", []Device{
			dev(7, classify.OK, none, "A", "h"),
			dev(2, classify.Urgent, day(5), "A", "h"),
			dev(9, classify.OK, none, "A", "h"),
			dev(1, classify.OK, none, "A", "h"),
			dev(4, classify.Urgent, day(5), "A", "h"),
		}, "2 4 7 9 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sortDevices(tc.in)
			var got []string
			for _, d := range tc.in {
				got = append(got, itoa(d.ID))
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("order %q, want %q", g, tc.want)
			}
		})
	}
	// A whole line: each device once, in order by deviceBefore, and the
	// devices whole (not only their sort keys).
	lines, _ := fleet(t)
	var all []Device
	for len(all) < 300 {
		for _, l := range lines {
			for _, d := range l {
				d.ID = int64(len(all))
				d.Asset = string(rune('A' + len(all)%5)) // many ties
				all = append(all, d)
			}
		}
	}
	byID := map[int64]Device{}
	for _, d := range all {
		byID[d.ID] = d
	}
	sortDevices(all)
	if len(all) != len(byID) {
		t.Fatalf("%d devices after sorting, want %d", len(all), len(byID))
	}
	for i, d := range all {
		if o, ok := byID[d.ID]; !ok || o.Snapshot != d.Snapshot || o.Hostname != d.Hostname {
			t.Fatalf("device %d changed or repeated by sorting", d.ID)
		}
		delete(byID, d.ID)
		if i > 0 {
			p := &all[i-1]
			if deviceBefore(&d, p) || !deviceBefore(p, &d) && p.ID > d.ID {
				t.Fatalf("devices %d and %d out of order", p.ID, d.ID)
			}
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
