package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// returnPassphraseEnv holds a return file's passphrase for scripts. It is
// never a flag: a command line shows in the process list and the
// history.
const returnPassphraseEnv = "ACTCOURIER_RETURN_PASSPHRASE"

// openReturns opens the return files central staff put on the stick
// (--return: a folder of them, or one), before anything is read of the
// machine: a wrong passphrase or a damaged file stops the run with
// nothing collected or applied. The passphrase comes from
// --passphrase-file, else ACTCOURIER_RETURN_PASSPHRASE, else the
// engineer types it (Enter skips the return files). There are none to
// apply with --no-prompt without --apply. Files the passphrase does not
// open are skipped when another opens.
func openReturns(s *settings, con console) ([]*activation.Return, error) {
	files, _ := filepath.Glob(filepath.Join(s.returnDir, "*"+activation.ReturnExt))
	if fi, err := os.Stat(s.returnDir); err == nil && !fi.IsDir() {
		files = []string{s.returnDir}
	}
	ask := con.interactive && !s.noPrompt && con.secret != nil
	if len(files) == 0 || (!ask && !s.apply) {
		if len(files) > 0 {
			printText(con.err, "", "A return file is on the stick; without --apply it is not used. / 返送ファイルは --apply がないため使いません。")
		}
		return nil, nil
	}
	pass, ok := os.LookupEnv(returnPassphraseEnv)
	switch {
	case s.passFile != "":
		b, err := os.ReadFile(s.passFile)
		if err != nil {
			return nil, usage(say("passphrase file: %v", "パスフレーズ ファイルを読めません: %v", err),
				say("give the file whose first line is the return file's passphrase", "返送ファイルのパスフレーズを 1 行目に書いたファイルを指定してください"))
		}
		pass, _, _ = strings.Cut(string(b), "\n")
		pass = strings.TrimSuffix(pass, "\r")
	case ok:
	case ask:
		fmt.Fprintln(con.out, "A return file from central staff is on this stick. / 本部からの返送ファイルがあります。")
		var err error
		if pass, err = con.secret("Passphrase / パスフレーズ (Enter: collect without it / 使わずに収集): "); err != nil {
			return nil, errInterrupted
		}
		if pass = strings.TrimSpace(pass); pass == "" {
			return nil, nil
		}
	default:
		return nil, usage(text{"--apply: the return file needs its passphrase", "--apply: 返送ファイルにはパスフレーズが必要です"},
			say("give it with --passphrase-file FILE or in %s", "--passphrase-file FILE または %s で指定してください", returnPassphraseEnv))
	}
	var rets []*activation.Return
	var wrong string
	for _, f := range files {
		r, err := openReturn(f, pass)
		if errors.Is(err, activation.ErrWrongPassphrase) {
			wrong = filepath.Base(f)
			continue
		} else if err != nil {
			return nil, returnFault(filepath.Base(f), err)
		}
		rets = append(rets, r)
	}
	if len(rets) == 0 {
		return nil, returnFault(wrong, activation.ErrWrongPassphrase)
	}
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

// returnFault says why a return file was refused, and what to do.
func returnFault(name string, err error) error {
	why := text{"it is not a return file this collector can use", "使える返送ファイルではありません"}
	hint := text{"ask central staff for a new return file; to collect without it, move it out of the return folder",
		"本部に新しい返送ファイルを依頼してください。使わずに収集するには return フォルダーから移動してください"}
	switch {
	case errors.Is(err, activation.ErrWrongPassphrase):
		why = text{"the passphrase does not open it", "パスフレーズで開けません"}
		hint = text{"run again and type the passphrase central staff gave you apart from the stick; Enter at the question collects without it",
			"もう一度実行し、USB メモリとは別に本部から伝えられたパスフレーズを入力してください。質問で Enter を押すと返送ファイルを使わずに収集します"}
	case errors.Is(err, activation.ErrTampered):
		why = text{"it is damaged, or was changed after central staff wrote it", "壊れているか、本部が作成した後に変更されています"}
	case errors.Is(err, activation.ErrUnsupportedVersion):
		why = text{"a newer importer wrote it: use the collector of its release", "新しいインポーターで作成されています。同じリリースのコレクターを使ってください"}
	}
	return usage(text{fmt.Sprintf("return file %s: %s (%v): nothing was applied or collected", name, why.en, err),
		fmt.Sprintf("返送ファイル %s: %s。何も適用・収集していません", name, why.ja)}, hint)
}

// activate shows this machine's items of the return files (one per
// product, the newest file's), applies them to m when the engineer
// agrees or --apply says so, collects again with again, and returns the
// collection to write with the outcomes as the member
// activation.ProofMember. With no item for this machine it says so and
// returns res.
func activate(ctx context.Context, s *settings, con console, rets []*activation.Return, res *collect.Result,
	m activation.Machine, again func() (*collect.Result, error)) (*collect.Result, error) {
	key := licensing.DeviceKey(res.Snapshot)
	var items []activation.Item
	seen := map[string]int{} // product → index in items
	for _, r := range rets {
		for _, it := range r.For(key) {
			p := strings.ToLower(it.ActivationID)
			if i, dup := seen[p]; !dup {
				seen[p] = len(items)
				items = append(items, it)
			} else if r.Created.After(created(rets, items[i].Return)) {
				items[i] = it // the newer file's item for the product
			}
		}
	}
	if len(items) == 0 {
		printText(con.out, "", "The return file holds nothing for this machine ("+key+"): nothing applied. / 返送ファイルにこの端末への作業はありません。何も適用していません。")
		return res, nil
	}
	fmt.Fprintln(con.out, "\nWork for this machine from central staff / 本部からこの端末への作業:")
	for i, it := range items {
		printText(con.out, "  ", fmt.Sprintf("%d. %s", i+1, it.Product))
		if it.Key != "" {
			printText(con.out, "     ", "Install the product key ending in "+activation.Partial(it.Key)+" / プロダクト キーをインストール")
		}
		if it.CID != "" {
			printText(con.out, "     ", "Deposit the Confirmation ID of IID / 次の IID の確認 ID を登録: "+activation.Grouped(it.IID))
		}
	}
	apply := s.apply
	if !apply {
		fmt.Fprint(con.out, "\nApply now? y: apply, Enter: do not apply / 今すぐ適用しますか? y: 適用する、Enter: 適用しない: ")
		v, err := newPrompter(ctx, con.in, con.out).readLine()
		if err != nil && err != io.EOF {
			return nil, err
		}
		apply = strings.EqualFold(v, "y")
	}
	fmt.Fprintln(con.out, "\nActivation / ライセンス認証:")
	outcomes := activation.Decline(items, time.Now())
	if apply {
		outcomes = activation.Apply(m, items, time.Now)
		var err error
		if res, err = again(); err != nil {
			return nil, err
		}
	}
	refused := false
	for _, o := range outcomes {
		t := outcomeWords(o)
		printText(con.out, "  ", o.Product+": "+t.en)
		printText(con.out, "    ", t.ja)
		refused = refused || o.Result == activation.Refused || o.Result == activation.Failed
	}
	if refused {
		printWrapped(con.out, "Do now:", "Tell central staff: the new bundle says what was refused and why. Do not reinstall.")
		printWrapped(con.out, "今すぐ:", "本部に連絡してください。拒否された内容と理由は新しいバンドルに記録されています。再インストールはしないでください。")
	}
	proof, _ := activation.MarshalProof(outcomes) // plain structs: cannot fail
	res.Members = append(res.Members, bundle.Member{Name: activation.ProofMember, Data: proof})
	return res, nil
}

// created is when the return file id was written.
func created(rets []*activation.Return, id string) time.Time {
	for _, r := range rets {
		if r.ID == id {
			return r.Created
		}
	}
	return time.Time{}
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
	why := text{o.Message, o.Message}
	if r, ok := licensing.LookupReason(o.HRESULT); ok {
		why = text{r.English, r.Japanese}
	}
	switch o.Why {
	case activation.WhyIIDChanged:
		why = text{"the hardware or the key changed since the IID was taken: take a new IID",
			"IID を取得した後にハードウェアまたはプロダクト キーが変わりました。新しい IID を取得してください"}
	case activation.WhyNoProduct:
		why = text{"this product is not installed on this machine", "この製品はこの端末にインストールされていません"}
	case activation.WhyNotReadable:
		why = text{"the licenses cannot be read: run ActCourier as administrator", "ライセンスを読み取れません。管理者として実行してください"}
	}
	code := ""
	if o.HRESULT != 0 {
		code = licensing.HRESULT(o.HRESULT) + " "
	}
	if o.Result == activation.Failed {
		return text{"FAILED: " + code + why.en, "失敗: " + code + why.ja}
	}
	return text{"REFUSED, nothing changed: " + code + why.en, "拒否 (変更なし): " + code + why.ja}
}
