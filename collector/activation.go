package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// returnPassphraseEnv holds a return file's passphrase for scripts. It is
// never a flag: a command line shows in the process list and the
// history.
const returnPassphraseEnv = "ACTCOURIER_RETURN_PASSPHRASE"

// openReturns opens the return files central staff put on the stick
// (*.return.age in --return), newest first, before anything is read of
// the machine: a wrong passphrase or a damaged file stops the run with
// nothing collected or applied. The passphrase is ACTCOURIER_RETURN_PASSPHRASE,
// else typed by the engineer (Enter skips the return files); with
// --no-prompt and without --apply the files are not used. A file the
// passphrase does not open is skipped when another opens.
func openReturns(ctx context.Context, s *settings, con console) ([]*activation.Return, error) {
	files, _ := filepath.Glob(filepath.Join(s.returnDir, "*"+activation.ReturnExt))
	if len(files) == 0 {
		return nil, nil
	}
	pass, ok := os.LookupEnv(returnPassphraseEnv)
	switch ask := con.interactive && !s.noPrompt && con.secret != nil; {
	case ok && (ask || s.apply):
	case ask:
		printMessage(con.out, "", "A return file from central staff is on this stick. / 本部からの返送ファイルがあります。", con.outWidth)
		var err error
		if pass, err = con.secret(ctx, "Passphrase / パスフレーズ (Enter: collect without it / 使わずに収集):"); err != nil {
			return nil, errInterrupted
		}
		if pass = strings.TrimSpace(pass); pass == "" {
			return nil, nil
		}
	case s.apply:
		return nil, usage(text{"--apply: the return file needs its passphrase", "--apply: 返送ファイルにはパスフレーズが必要です"},
			text{"set " + returnPassphraseEnv, returnPassphraseEnv + " に設定してください"})
	default:
		printMessage(con.err, "", "A return file is on the stick; without --apply it is not used. / 返送ファイルは --apply がないため使いません。", con.width)
		return nil, nil
	}
	// Where the passphrase came from decides what a wrong one's hint
	// says: there was no question when it was set in the environment.
	fromEnv := ok
	var rets []*activation.Return
	err := activation.ErrWrongPassphrase
	for _, f := range files {
		var r *activation.Return
		if r, err = openReturn(f, pass); err == nil {
			rets = append(rets, r)
		} else if !errors.Is(err, activation.ErrWrongPassphrase) {
			return nil, returnFault(filepath.Base(f), err, fromEnv)
		}
	}
	if len(rets) == 0 {
		return nil, returnFault(filepath.Base(files[0]), err, fromEnv)
	}
	sort.Slice(rets, func(i, j int) bool { return rets[i].Created.After(rets[j].Created) })
	return rets, nil
}

func openReturn(name, pass string) (*activation.Return, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return activation.OpenReturn(f, pass)
}

// returnFault says why a return file was refused, and what to do;
// fromEnv: the passphrase was ACTCOURIER_RETURN_PASSPHRASE's, not typed.
func returnFault(name string, err error, fromEnv bool) error {
	why := text{"it is not a return file this collector can use", "使える返送ファイルではありません"}
	hint := text{"ask central staff for a new return file; to collect without it, move it out of the return folder",
		"本部に新しい返送ファイルを依頼してください。使わずに収集するには return フォルダーから移動してください"}
	switch {
	case errors.Is(err, activation.ErrWrongPassphrase):
		why = text{"the passphrase does not open it", "パスフレーズで開けません"}
		hint = text{"run again and type the passphrase central staff gave you apart from the stick; Enter at the question collects without it",
			"もう一度実行し、USB メモリとは別に本部から伝えられたパスフレーズを入力してください。質問で Enter を押すと返送ファイルを使わずに収集します"}
		if fromEnv {
			hint = text{"set " + returnPassphraseEnv + " to the passphrase central staff gave you apart from the stick; to collect without the return file, move it out of the return folder",
				returnPassphraseEnv + " に、USB メモリとは別に本部から伝えられたパスフレーズを設定してください。返送ファイルを使わずに収集するには return フォルダーから移動してください"}
		}
	case errors.Is(err, activation.ErrTampered):
		why = text{"it is damaged, or was changed after central staff wrote it", "壊れているか、本部が作成した後に変更されています"}
	}
	// The file's name is the stick's, shown as every name is shown
	// (terminal.Inline): within its line, and the six characters \u202e
	// not as a U+202E.
	// The system's cause only: an error opening the file names its whole
	// path, which would name the file twice.
	name = terminal.Inline(name)
	cause := " (" + systemCause(err).Error() + ")"
	if errors.Is(err, activation.ErrWrongPassphrase) {
		cause = "" // "the passphrase does not open it" said it
	}
	return usage(text{"return file " + name + ": " + why.en + cause + ": nothing was applied or collected",
		"返送ファイル " + name + ": " + why.ja + "。何も適用・収集していません"}, hint)
}

// activate shows this machine's items of the return files (for each
// product, the newest file's), applies them to m when the engineer
// agrees or --apply says so, collects again with again, and returns the
// collection to write with the outcomes as the member
// activation.ProofMember. With no item for this machine it says so and
// returns res.
func activate(ctx context.Context, s *settings, con console, rets []*activation.Return, res *collect.Result,
	m activation.Machine, again func() (*collect.Result, error)) (*collect.Result, error) {
	key := licensing.DeviceKey(res.Snapshot)
	var items []activation.Item
	seen := map[string]bool{}
	for _, r := range rets {
		for _, it := range r.For(key) {
			if !seen[strings.ToLower(it.ActivationID)] {
				seen[strings.ToLower(it.ActivationID)] = true
				items = append(items, it)
			}
		}
	}
	if len(items) == 0 {
		printMessage(con.out, "", "The return file holds nothing for this machine ("+key+"): nothing applied. / 返送ファイルにこの端末への作業はありません。何も適用していません。", con.outWidth)
		return res, nil
	}
	fmt.Fprintln(con.out)
	printMessage(con.out, "", "Work for this machine from central staff / 本部からこの端末への作業:", con.outWidth)
	for i, it := range items {
		what := itemWords(it)
		// A product's name is a stored bundle's, as central staff's
		// importer took it: shown as every value is (terminal.Inline),
		// after the item's number, so that its next lines stand under
		// it and not at the list's column, where a name holding
		// "2. Windows" would read as an item of ours (printMessage).
		printMessage(con.out, fmt.Sprintf("  %d. ", i+1), terminal.Inline(it.Product)+": "+what, con.outWidth)
	}
	apply := s.apply
	if !apply {
		fmt.Fprintln(con.out)
		printPrompt(con.out, "Apply now? y: apply, Enter: do not apply / 今すぐ適用しますか? y: 適用する、Enter: 適用しない:", con.outWidth)
		v, err := newPrompter(ctx, con.in, con.out).readLine()
		if err != nil && err != io.EOF {
			return nil, err
		}
		apply = strings.EqualFold(v, "y")
	}
	outcomes := activation.Decline(items, time.Now())
	if apply {
		outcomes = activation.Apply(m, items, time.Now)
		var err error
		if res, err = again(); err != nil {
			return nil, err
		}
	}
	fmt.Fprintln(con.out, "\nActivation / ライセンス認証:")
	for i, o := range outcomes {
		// Numbered as the items are, for the same reason.
		t := outcomeWords(o)
		printMessage(con.out, fmt.Sprintf("  %d. ", i+1), terminal.Inline(o.Product)+": "+t.en+" / "+t.ja, con.outWidth)
	}
	proof, _ := activation.MarshalProof(outcomes) // plain structs: cannot fail
	res.Members = append(res.Members, bundle.Member{Name: activation.ProofMember, Data: proof})
	return res, nil
}

// itemWords says an item of a return file to the engineer, in English
// and Japanese, with the Installation ID or the key's last characters.
func itemWords(it activation.Item) string {
	if it.Key != "" {
		return "install the product key ending in / 次で終わるプロダクト キーをインストール " + activation.Partial(it.Key)
	}
	return "deposit the Confirmation ID of IID / インストール ID の確認 ID を登録 " + activation.Grouped(it.IID)
}

// outcomeWords says an outcome to the engineer.
func outcomeWords(o activation.Outcome) text {
	switch o.Result {
	case activation.Applied:
		return text{"APPLIED: activated now", "適用しました。認証済みです"}
	case activation.AlreadyActivated:
		return text{"already activated: nothing applied", "認証済みのため、何もしていません"}
	case activation.KeyInstalled:
		return text{"product key installed; its new Installation ID is in the bundle, its Confirmation ID comes next visit",
			"プロダクト キーをインストールしました。新しいインストール ID はバンドルに記録しました。確認 ID は次回届きます"}
	case activation.Declined:
		return text{"not applied", "適用しませんでした"}
	}
	head := text{"REFUSED, nothing changed (tell central staff): ", "拒否、変更なし (本部に連絡): "}
	if o.Result == activation.Failed {
		head = text{"FAILED (tell central staff): ", "失敗 (本部に連絡): "}
	}
	why := text{o.Message, o.Message}
	switch {
	case o.Why == activation.WhyIIDChanged:
		why = text{"the hardware or the key changed since the IID was taken: take a new IID",
			"インストール ID を取得した後にハードウェアまたはプロダクト キーが変わりました。新しいインストール ID を取得してください"}
	case o.Why == activation.WhyNotActivated:
		why = text{o.Message, "確認 ID を適用しましたが、ライセンス認証されていません"}
	case o.Why == activation.WhyNoKeyProduct:
		why = text{o.Message, "プロダクト キーをインストールしましたが、どの製品にも表示されません"}
	case o.Why == activation.WhyMethodFailure && o.HRESULT == 0:
		why = text{o.Message, "Windows の処理が失敗しました: " + o.Message}
	case o.Why == activation.WhyNoProduct:
		why = text{"this product is not installed on this machine", "この製品はこの端末にインストールされていません"}
	case o.Why == activation.WhyNotReadable:
		why = text{"the licenses cannot be read: run ActCourier as administrator", "ライセンスを読み取れません。管理者として実行してください"}
	case o.HRESULT != 0:
		r, _ := licensing.LookupReason(o.HRESULT)
		why = text{licensing.HRESULT(o.HRESULT) + " " + r.English, licensing.HRESULT(o.HRESULT) + " " + r.Japanese}
	}
	return text{head.en + why.en, head.ja + why.ja}
}
