package classify

import (
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestADActivationRunningOut: a product activated by AD-based activation
// whose activation has under 30 days left, or has run out, is urgent, as
// a KMS client's is. Its reason speaks of its domain, not of a KMS host
// it does not use, and its step is to reach the domain and activate
// again: an urgent verdict never says "No action needed".
func TestADActivationRunningOut(t *testing.T) {
	ad := func(left int) licensing.Product {
		p := win("Enterprise", licensing.ChannelGVLK, licensing.StatusLicensed)
		p.VLActivationType, p.ADActivation = minutes(1), "WS2016-AO"
		p.GraceMinutes = minutes(left)
		return p
	}
	tests := []struct {
		name     string
		left     int // minutes of activation left when collected
		asOf     time.Time
		category Category
		code     string
		action   Action
		deadline DeadlineKind
	}{
		{"100 days left", 100 * day, collected, OK, "ad-based", ActionNone, "ad-expiry"},
		{"20 days left", 20 * day, collected, Urgent, "ad-expiring", "ad-connect", "ad-expiry"},
		{"run out by the as-of date", 20 * day, collected.AddDate(0, 0, 25), Urgent, "ad-expired", "ad-connect", "ad-expiry"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := snap("Microsoft Windows 10 Enterprise", "10.0.19045", ad(tc.left))
			s.Domain = licensing.Domain{Joined: true, Name: "contoso.com"}
			v := Device(s, tc.asOf, Site{})
			if v.Category != tc.category || codes(v.Reasons) != tc.code {
				t.Errorf("got %s %s, want %s %s", v.Category, codes(v.Reasons), tc.category, tc.code)
			}
			for _, r := range v.Reasons {
				if strings.Contains(r.English, "KMS") || strings.Contains(r.Japanese, "KMS") {
					t.Errorf("reason %s speaks of KMS for an AD-activated product: %q / %q", r.Code, r.English, r.Japanese)
				}
			}
			if v.Action.Action != tc.action {
				t.Errorf("action: got %s (%q), want %s", v.Action.Action, v.Action.English, tc.action)
			}
			// Its deadline is no "KMS activation expires".
			if v.Deadline.Kind != tc.deadline {
				t.Errorf("deadline kind: got %q, want %q", v.Deadline.Kind, tc.deadline)
			}
			if v.Category == Urgent {
				for _, st := range v.Steps {
					if st.Action == ActionNone || strings.Contains(st.English, "No action needed") || strings.Contains(st.Japanese, "対応不要") {
						t.Errorf("urgent verdict with step %s: %q / %q", st.Action, st.English, st.Japanese)
					}
					if strings.Contains(st.English, "KMS") || strings.Contains(st.Japanese, "KMS") {
						t.Errorf("step speaks of KMS for an AD-activated product: %q / %q", st.English, st.Japanese)
					}
				}
			}
		})
	}
}
