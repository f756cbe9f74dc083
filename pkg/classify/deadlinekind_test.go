package classify

import (
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestDeadlineKindFollowsChannel: what a product's deadline says ends
// is true of its channel and state. "KMS activation expires" is said
// only of a KMS client (Volume:GVLK), "AD-based activation expires" only
// of a product activated by AD-based activation; a product of any other
// channel with minutes left (an unknown channel above all, which a KMS
// client may or may not be) gets the neutral "activation expires", and
// one not activated is due now whatever minutes it shows.
func TestDeadlineKindFollowsChannel(t *testing.T) {
	with := func(p licensing.Product, left int) licensing.Product {
		p.GraceMinutes = minutes(left)
		return p
	}
	ad := func(p licensing.Product) licensing.Product {
		p.VLActivationType, p.ADActivation = minutes(1), "WS2016-AO"
		return p
	}
	tests := []struct {
		name string
		p    licensing.Product
		want DeadlineKind // "" for none
	}{
		{"KMS client", with(win("Enterprise", licensing.ChannelGVLK, licensing.StatusLicensed), 100*day), DeadlineKMS},
		{"KMS client, status not read", with(win("Enterprise", licensing.ChannelGVLK, licensing.StatusUnknown), 100*day), DeadlineKMS},
		{"AD-based", ad(with(win("Enterprise", licensing.ChannelGVLK, licensing.StatusLicensed), 100*day)), DeadlineAD},
		{"unknown channel", with(win("Enterprise", licensing.ChannelUnknown, licensing.StatusLicensed), 100*day), DeadlineActivation},
		{"empty channel", with(win("Enterprise", "", licensing.StatusLicensed), 100*day), DeadlineActivation},
		{"unknown channel, status not read", with(win("Enterprise", licensing.ChannelUnknown, licensing.StatusUnknown), 100*day), DeadlineActivation},
		{"MAK with minutes", with(win("Enterprise", licensing.ChannelMAK, licensing.StatusLicensed), 100*day), DeadlineActivation},
		{"KMS host key with minutes", with(win("ServerStandard", licensing.ChannelCSVLK, licensing.StatusLicensed), 100*day), DeadlineActivation},
		{"retail with minutes", with(win("Professional", licensing.ChannelRetail, licensing.StatusLicensed), 100*day), DeadlineActivation},
		{"OEM with minutes", with(win("Professional", licensing.ChannelOEMDM, licensing.StatusLicensed), 100*day), DeadlineActivation},
		{"Office of unknown channel", with(office("Office 14, OfficeProPlus edition", licensing.ChannelUnknown, licensing.StatusLicensed), 100*day), DeadlineActivation},
		{"evaluation", with(win("EnterpriseEval", licensing.ChannelEval, licensing.StatusLicensed), 60*day), DeadlineEvaluation},
		{"unknown channel in grace", with(win("Enterprise", licensing.ChannelUnknown, licensing.StatusOOBGrace), 20*day), DeadlineGrace},
		{"KMS client in grace", with(win("Enterprise", licensing.ChannelGVLK, licensing.StatusOOTGrace), 20*day), DeadlineGrace},
		{"AVMA guest", with(win("ServerDatacenter", licensing.ChannelAVMA, licensing.StatusLicensed), 100*day), ""},
		{"AVMA in grace", with(win("ServerDatacenter", licensing.ChannelAVMA, licensing.StatusOOBGrace), 20*day), DeadlineGrace},
		{"KMS client not activated, with minutes", with(win("Enterprise", licensing.ChannelGVLK, licensing.StatusUnlicensed), 100*day), DeadlineNow},
		{"unknown channel not activated, with minutes", with(win("Enterprise", licensing.ChannelUnknown, licensing.StatusUnlicensed), 100*day), DeadlineNow},
		{"retail, permanent", win("Professional", licensing.ChannelRetail, licensing.StatusLicensed), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := snap("Microsoft Windows 10 Enterprise", "10.0.19045", tc.p)
			s.Domain = licensing.Domain{Joined: true, Name: "contoso.com"}
			v := Device(s, collected, Site{})
			var st *Step
			for i := range v.Steps {
				if v.Steps[i].Product == tc.p.Name {
					st = &v.Steps[i]
				}
			}
			if st == nil {
				t.Fatalf("no step for %q in %d steps", tc.p.Name, len(v.Steps))
			}
			if got := st.Deadline.Kind; got != tc.want {
				t.Errorf("deadline kind: got %q, want %q (reasons %s)", got, tc.want, codes(v.Reasons))
			}
		})
	}
}
