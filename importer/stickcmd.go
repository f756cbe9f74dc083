package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/stick"
)

// stickBuilds are the collector builds a stick carries: they run on every
// Windows from 7 SP1 on.
var stickBuilds = []string{"collector-win7-386.exe", "collector-win7-amd64.exe"}

func stickCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "stick",
		Usage:     "prepare a USB stick for a field engineer: collectors, settings, launcher, guide",
		ArgsUsage: "DIR (the stick, or a folder on it)",
		Description: "Copies the Windows 7 collector builds (32- and 64-bit) from the release folder, writes\n" +
			stick.FileName + " with the recipient(s) and site defaults, ActCourier.cmd (picks the build\n" +
			"that fits the machine) and a one-page guide in Japanese and English. Never an identity:\n" +
			"give public keys (age1…) only.\n\n" + exitHelp,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "recipient", Aliases: []string{"r"}, Usage: "age public key `age1…` (repeatable; keygen prints it)", Required: true},
			&cli.StringFlag{Name: "site", Usage: "default site"},
			&cli.StringFlag{Name: "lines", Usage: "the site's lines, comma-separated (`A,B,C`)"},
			&cli.StringFlag{Name: "engineer", Usage: "default engineer ID"},
			&cli.StringFlag{Name: "dist", Usage: "release `DIR` holding the collector builds (default: beside the importer, then ./dist)"},
			&cli.BoolFlag{Name: "force", Usage: "replace files a previous run wrote"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{"stick: name the stick folder", "e.g. importer stick E:\\ -r age1… --site Nagoya"}
			}
			cfg := &stick.Config{Site: c.String("site"), Engineer: c.String("engineer"), Output: "bundles"}
			for _, l := range strings.Split(c.String("lines"), ",") {
				if l = strings.TrimSpace(l); l != "" {
					cfg.Lines = append(cfg.Lines, l)
				}
			}
			for _, r := range c.StringSlice("recipient") {
				r = strings.TrimSpace(r)
				if strings.HasPrefix(strings.ToUpper(r), "AGE-SECRET-KEY-") {
					return &usageError{"stick: that is a private key; it must never go on a stick", "give the public key (age1…) that keygen printed"}
				}
				if _, err := age.ParseX25519Recipient(r); err != nil {
					return &usageError{fmt.Sprintf("stick: recipient %q: %v", r, err), "give the public key (age1…) that keygen printed"}
				}
				cfg.Recipients = append(cfg.Recipients, r)
			}
			return runStick(c.Args().First(), c.String("dist"), cfg, c.Bool("force"), stdout)
		},
	}
}

func findDist(dist string) (string, error) {
	var cands []string
	if dist != "" {
		cands = []string{dist}
	} else {
		if exe, err := os.Executable(); err == nil {
			cands = append(cands, filepath.Dir(exe))
		}
		cands = append(cands, "dist")
	}
	for _, d := range cands {
		if _, err := os.Stat(filepath.Join(d, stickBuilds[0])); err == nil {
			return d, nil
		}
	}
	return "", &usageError{fmt.Sprintf("stick: no %s in %s", stickBuilds[0], strings.Join(cands, " or ")), "run `make build` (or unpack the release) and pass --dist DIR"}
}

func runStick(dir, dist string, cfg *stick.Config, force bool, stdout io.Writer) error {
	src, err := findDist(dist)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "bundles"), 0o755); err != nil {
		return &usageError{"stick: " + err.Error(), "check that the stick is mounted and writable"}
	}
	files := map[string][]byte{
		stick.FileName:     stick.Marshal(cfg),
		"ActCourier.cmd":   []byte(strings.ReplaceAll(launcher, "\n", "\r\n")),
		"README-ja-en.txt": append([]byte("\ufeff"), []byte(strings.ReplaceAll(guide, "\n", "\r\n"))...),
	}
	for _, b := range stickBuilds {
		data, err := os.ReadFile(filepath.Join(src, b))
		if err != nil {
			return &usageError{"stick: " + err.Error(), "run `make build` and pass --dist DIR"}
		}
		files[b] = data
	}
	for name, data := range files {
		if err := writeNew(filepath.Join(dir, name), data, force); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", filepath.Join(dir, name))
	}
	fmt.Fprintf(stdout, "stick ready: %d recipient(s), site %q, lines %s; no private key on it\n", len(cfg.Recipients), cfg.Site, strings.Join(cfg.Lines, ","))
	return nil
}

// writeNew writes a file through a temporary name; it refuses to replace
// a file unless force.
func writeNew(name string, data []byte, force bool) error {
	if _, err := os.Stat(name); err == nil && !force {
		return &usageError{fmt.Sprintf("stick: %s exists", name), "pass --force to replace what a previous run wrote"}
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	tmp := filepath.Join(filepath.Dir(name), "."+filepath.Base(name)+".tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return &usageError{"stick: " + err.Error(), "check free space on the stick"}
	}
	return os.Rename(tmp, name)
}

// launcher picks the build for the machine: a 32-bit cmd.exe on 64-bit
// Windows reports x86 in PROCESSOR_ARCHITECTURE and the truth in
// PROCESSOR_ARCHITEW6432.
const launcher = `@echo off
rem ActCourier: runs the collector that fits this Windows.
setlocal
set ARCH=%PROCESSOR_ARCHITECTURE%
if defined PROCESSOR_ARCHITEW6432 set ARCH=%PROCESSOR_ARCHITEW6432%
if /I "%ARCH%"=="AMD64" (
  "%~dp0collector-win7-amd64.exe" %*
) else (
  "%~dp0collector-win7-386.exe" %*
)
set RC=%ERRORLEVEL%
echo.
pause
exit /b %RC%
`

const guide = `ActCourier collector / ActCourier コレクター
==========================================

日本語
------
1. このUSBメモリを対象の端末に挿します (ネットワーク接続は不要です)。
2. ActCourier.cmd をダブルクリックします。管理者として実行すると BitLocker の状態も記録できます。
3. 拠点・ライン・資産番号を聞かれたら入力して Enter を押します。
4. 画面に Windows と Office の認証状態と、バンドルのファイル名が表示されます。
   バンドルは bundles フォルダーに保存され、暗号化されています (端末名はどこにも平文で残りません)。
5. 終了コード: 0 = 保存済み、1 = 保存できなかった (空き容量・書き込み禁止を確認して再実行)、
   2 = 設定の誤り (表示された対処方法に従ってください)。
このUSBメモリには秘密鍵はありません。紛失してもバンドルの内容は読めません。

English
-------
1. Plug this stick into the machine (no network needed).
2. Double-click ActCourier.cmd. Run it as administrator to record BitLocker too.
3. When asked for site, line and asset tag, type them and press Enter.
4. The screen shows the Windows and Office activation status and the bundle's file name.
   The bundle is saved, encrypted, in the bundles folder; nothing on the stick names the machine.
5. Exit codes: 0 saved; 1 could not be saved (check free space and write protection, run again);
   2 settings error (follow the hint shown).
There is no private key on this stick: a lost stick reveals nothing.

Settings: actcourier.conf (open with Notepad). Command line: collector-win7-386.exe --help
`
