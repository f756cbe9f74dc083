package fleet

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/internal/cut"
)

// Warnings a collection or device can carry about the trust its data
// deserves (docs/security.md). Anyone holding a stick can forge a bundle;
// these never reject it, but a collection with a time warning never
// becomes a device's latest when the device has one without.
const (
	// WarnFuture: collected more than ClockSkew after it was imported.
	WarnFuture = "time-in-future"
	// WarnOld: collected before Windows 7 shipped (the oldest Windows
	// the collector runs on), before its collector was built, or with
	// no time at all.
	WarnOld = "time-implausible"
	// WarnIdentity: one hardware ID seen with several host names or
	// machine models.
	WarnIdentity = "identity-conflict"
	// WarnSuspectHistory: the device has collections with a time
	// warning, kept but not used for its verdict.
	WarnSuspectHistory = "suspect-collections"
)

// ClockSkew is how far a device clock may run ahead of the importer's.
const ClockSkew = 24 * time.Hour

// Oldest plausible collection times: saved text can be old, but not older
// than the Software Protection Platform (Windows Vista, 2006-11-08); the
// collector runs on Windows 7 and later (2009-10-22).
var (
	oldestText   = time.Date(2006, 11, 8, 0, 0, 0, 0, time.UTC)
	oldestBundle = time.Date(2009, 10, 22, 0, 0, 0, 0, time.UTC)
)

// timeWarnings checks a collection's time against the import time and the
// collector's build.
func timeWarnings(c *Collection, now time.Time) []string {
	ctx := c.Snapshot.Context
	t := ctx.Collected
	oldest := oldestBundle
	if c.Origin == OriginText {
		oldest = oldestText
	}
	switch {
	case t.After(now.Add(ClockSkew)):
		return []string{WarnFuture}
	case t.Before(oldest), ctx.CollectorBuilt != nil && t.Before(ctx.CollectorBuilt.Add(-ClockSkew)):
		return []string{WarnOld}
	}
	return nil
}

// HasTimeWarning reports whether warnings hold a time warning: a store
// never makes such a collection a device's latest when it has another.
func HasTimeWarning(ws []string) bool {
	for _, w := range ws {
		if w == WarnFuture || w == WarnOld {
			return true
		}
	}
	return false
}

// trustFlags turns a device's warnings into flags of its verdict, in
// English and Japanese, so that reports show them beside the licensing
// flags.
func trustFlags(d *Device) []classify.Reason {
	var out []classify.Reason
	for _, w := range d.Warnings {
		switch w {
		case WarnFuture:
			out = append(out, classify.Reason{Code: w,
				English:  fmt.Sprintf("This collection claims a time after it was imported (%s): the device clock is wrong or the bundle is forged; collect the device again.", d.CollectedAt.Format("2006-01-02")),
				Japanese: fmt.Sprintf("この収集の日時 (%s) が取り込み日時より後です。端末の時計が誤っているか、バンドルが偽造されています。端末を再度収集してください。", d.CollectedAt.Format("2006-01-02"))})
		case WarnOld:
			out = append(out, classify.Reason{Code: w,
				English:  fmt.Sprintf("This collection claims an impossible time (%s): the device clock is wrong or the bundle is forged; collect the device again.", d.CollectedAt.Format("2006-01-02")),
				Japanese: fmt.Sprintf("この収集の日時 (%s) はあり得ない値です。端末の時計が誤っているか、バンドルが偽造されています。端末を再度収集してください。", d.CollectedAt.Format("2006-01-02"))})
		}
	}
	if n := d.SuspectTimes; n > 0 && !HasTimeWarning(d.Warnings) {
		out = append(out, classify.Reason{Code: WarnSuspectHistory,
			English:  fmt.Sprintf("%d collections of this device claim an impossible time (a wrong clock or a forged bundle): they are kept but not used.", n),
			Japanese: fmt.Sprintf("この端末の %d 件の収集はあり得ない日時を示しています (時計の誤りか、偽造されたバンドル)。保管していますが判定には使いません。", n)})
	}
	if len(d.Hostnames) > 1 || len(d.Hardware) > 1 {
		seen, more := identitiesShown(append(append([]string{}, d.Hostnames...), d.Hardware...))
		en, ja := seen, seen
		if more > 0 {
			en += fmt.Sprintf(" and %d more", more)
			ja += fmt.Sprintf(" ほか %d 件", more)
		}
		out = append(out, classify.Reason{Code: WarnIdentity,
			English:  "This hardware ID was collected as different machines (" + en + "): possibly a forged bundle; check the device on site.",
			Japanese: "このハードウェア ID は別々の端末として収集されています (" + ja + ")。バンドルが偽造された可能性があります。現地で端末を確認してください。"})
	}
	return out
}

// The identity flag names at most maxIdentitiesShown host names and
// models, each cut to maxIdentityShown characters: each forged bundle of
// one hardware ID can add a name of a KiB, and the flag is in every
// report row of the device.
const (
	maxIdentitiesShown = 10
	maxIdentityShown   = 64
)

// identitiesShown joins the first names, cut, and says how many are left.
func identitiesShown(names []string) (shown string, more int) {
	if len(names) > maxIdentitiesShown {
		names, more = names[:maxIdentitiesShown], len(names)-maxIdentitiesShown
	}
	shownNames := make([]string, len(names))
	for i, n := range names {
		if utf8.RuneCountInString(n) > maxIdentityShown {
			n = cut.Runes(n, maxIdentityShown-1) + cut.Ellipsis
		}
		shownNames[i] = n
	}
	return strings.Join(shownNames, ", "), more
}
