package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

var statusWords = map[licensing.Status]string{
	licensing.StatusUnlicensed:      "NOT activated / 未認証",
	licensing.StatusLicensed:        "activated / 認証済み",
	licensing.StatusOOBGrace:        "NOT activated: initial grace / 初期猶予期間",
	licensing.StatusOOTGrace:        "NOT activated: out-of-tolerance grace / 許容範囲外の猶予期間",
	licensing.StatusNonGenuineGrace: "NOT activated: non-genuine grace / 非正規の猶予期間",
	licensing.StatusNotification:    "NOT activated: notification mode / 通知モード",
	licensing.StatusExtendedGrace:   "NOT activated: extended grace / 延長猶予期間",
	licensing.StatusUnknown:         "status unknown / 状態不明",
}

// printSummary tells the engineer, at the machine, what was recorded. The
// device name appears on screen only, never on the stick in plaintext.
func printSummary(w io.Writer, s *licensing.Snapshot, path string) {
	name := s.OS.Hostname
	if name == "" {
		name = "(unknown)"
	}
	fmt.Fprintf(w, "Device / 端末:   %s  (%s)\n", name, strings.TrimSpace(s.OS.Caption+" "+s.OS.Version))
	fmt.Fprintf(w, "Site / 拠点:     %s, line %s, asset %s\n", s.Context.Site, s.Context.Line, s.Context.Asset)
	any := false
	for _, p := range s.Products {
		if p.IsAddon {
			continue
		}
		label := "Windows"
		switch p.Kind {
		case licensing.KindOffice:
			label = "Office"
		case licensing.KindOther:
			label = "Other"
		}
		any = true
		pname := p.Name
		if pname == "" {
			pname = "(name not readable)"
		}
		st := statusWords[p.Status]
		if st == "" {
			st = statusWords[licensing.StatusUnknown]
		}
		fmt.Fprintf(w, "%-8s %s: %s", label+":", pname, st)
		if p.Channel != "" && p.Channel != licensing.ChannelUnknown {
			fmt.Fprintf(w, " [%s]", p.Channel)
		}
		fmt.Fprintln(w)
	}
	if !any {
		fmt.Fprintln(w, "Windows: no licensed product could be read / ライセンス情報を読み取れませんでした")
	}
	if n := len(s.Errors); n > 0 {
		fmt.Fprintf(w, "Note:    %d sources could not be read; they are listed in the bundle.\n", n)
	}
	fmt.Fprintf(w, "Bundle / バンドル: %s\n", filepath.Base(path))
	fmt.Fprintf(w, "Saved in / 保存先: %s\n", filepath.Dir(path))
}
