package licensing

import (
	"strings"
	"testing"
)

// refChannelFromToken is ChannelFromToken as it was before it read the
// token in place: the token upper-cased (strings.ToUpper) and its
// separators replaced (a strings.Replacer), two copies of it, then
// compared. It is the reference ChannelFromToken is held to.
func refChannelFromToken(token string) Channel {
	tok := strings.ToUpper(strings.TrimSpace(token))
	tok = strings.NewReplacer("-", "_", " ", "_", `\_`, "_").Replace(tok)
	switch {
	case tok == "":
		return ChannelUnknown
	case strings.HasPrefix(tok, "VOLUME_KMSCLIENT"):
		return ChannelGVLK
	case strings.HasPrefix(tok, "VOLUME_KMS"):
		return ChannelCSVLK
	case strings.HasPrefix(tok, "VOLUME_MAK"), tok == "RETAIL(MAK)":
		return ChannelMAK
	case strings.HasPrefix(tok, "TIMEBASED_"):
		return ChannelEval
	case strings.HasPrefix(tok, "VIRTUAL_MACHINE_ACTIVATION"):
		return ChannelAVMA
	case tok == "OEM_DM":
		return ChannelOEMDM
	case tok == "OEM_SLP":
		return ChannelOEMSLP
	case tok == "OEM_COA_SLP":
		return ChannelCOASLP
	case tok == "OEM_COA_NSLP":
		return ChannelCOANSLP
	case tok == "OEM_NONSLP":
		return ChannelOEMNonSLP
	case strings.HasPrefix(tok, "RETAIL"):
		return ChannelRetail
	}
	return ChannelUnknown
}

// channelTokens are tokens as slmgr, ospp and pastes write them, and
// near them: every case, separator and spelling ChannelFromToken folds
// (ToUpper makes "I" of the dotless "ı" and "S" of the long "ſ"), and
// bytes that are no UTF-8.
var channelTokens = []string{
	"", " ", "VOLUME_KMSCLIENT", "volume_kmsclient", "VOLUME-KMSCLIENT", "volume kmsclient", `VOLUME\_KMSCLIENT`,
	`VOLUME\\_KMSCLIENT`, `VOLUME\KMSCLIENT`, "VOLUME_KMS", "VOLUME_KMS_2012-R2_WIN10", "Volume_MAK", "VOLUME_MAKx",
	"RETAIL(MAK)", "retail(mak)", "RETAIL(MAK) ", "RETAIL (MAK)", "RETAIL(Grace)", "RETAIL", "RETAI", "TIMEBASED_EVAL",
	"TIMEBASED", "Timebased-Eval", "VIRTUAL_MACHINE_ACTIVATION", "virtual machine activation", "OEM_DM", "oem-dm",
	"OEM_DM_", "OEM_SLP", "OEM_COA_SLP", "OEM_COA_NSLP", "oem coa nslp", "OEM_NONSLP", "OEM_NONSLPX", "GVLK",
	"VOLUME_KMSCLıENT", "VOLUME_KMſ", "oem_ſlp", "RETAıL", "VOLUME_KMS\xff", "\xffRETAIL", "VOLUME_\xe2\x80", "RETAIL\xc4",
	"\u00a0VOLUME_KMS\u3000", "VOLUME__KMS", "VOLUME_-KMS", "VOLUME\u2013KMS", "ＶＯＬＵＭＥ_KMS", "\\", "\\_", "_",
	`\` + strings.Repeat("x", 4000),
}

// TestChannelFromTokenReference: ChannelFromToken reads every token as
// it did when it copied it twice (refChannelFromToken).
func TestChannelFromTokenReference(t *testing.T) {
	for _, tok := range channelTokens {
		if got, want := ChannelFromToken(tok), refChannelFromToken(tok); got != want {
			t.Errorf("ChannelFromToken(%q): got %s, want %s", tok, got, want)
		}
	}
}

// TestChannelFromTokenAllocs: ChannelFromToken reads a token where it
// is. It copied each token twice: slmgr reads every value of a line
// that has a label's shape as a token (byShape), so 4 MiB of lines of
// 4 KiB that begin "C:\" (the label "C", the rest its value) allocated
// 8 MiB here.
func TestChannelFromTokenAllocs(t *testing.T) {
	for _, tok := range []string{"VOLUME-KMSCLIENT", "volume_mak", `VOLUME\_KMSCLIENT`, `\` + strings.Repeat("x", 4000)} {
		if got := testing.AllocsPerRun(10, func() { ChannelFromToken(tok) }); got != 0 {
			t.Errorf("ChannelFromToken(%.20q…): got %.0f allocations, want 0", tok, got)
		}
	}
}

// FuzzChannelFromToken: TestChannelFromTokenReference for any token.
func FuzzChannelFromToken(f *testing.F) {
	for _, tok := range channelTokens {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		if got, want := ChannelFromToken(tok), refChannelFromToken(tok); got != want {
			t.Errorf("ChannelFromToken(%q): got %s, want %s", tok, got, want)
		}
	})
}

// BenchmarkChannelFromToken reads a token of slmgr's and a value of 4
// KiB that is none (a "C:\…" line's).
func BenchmarkChannelFromToken(b *testing.B) {
	for _, tc := range []struct{ name, tok string }{{"token", "VOLUME-KMSCLIENT"}, {"path", `\` + strings.Repeat("x", 4000)}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.tok)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				ChannelFromToken(tc.tok)
			}
		})
	}
}
