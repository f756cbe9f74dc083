package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"filippo.io/age"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/worklist"
)

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "k.txt")
	code, stdout, stderr := runImporter(t, "keygen", "--out", key)
	if code != 0 || !strings.HasPrefix(stdout, "age1") || !strings.Contains(stderr, "never on a stick") {
		t.Fatalf("exit %d: %q %q", code, stdout, stderr)
	}
	fi, err := os.Stat(key)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	before, _ := os.ReadFile(key)
	code, _, stderr = runImporter(t, "keygen", "--out", key)
	after, _ := os.ReadFile(key)
	// The file first, as every error names it; it was in brackets at
	// the end, after the package's name: "already exists, not
	// overwriting an identity (sitekey: the identity file already
	// exists: k.txt)".
	want := "importer: error: " + key + ": already exists, not overwriting an identity\n"
	if code != 2 || !strings.Contains(stderr, want) || string(before) != string(after) {
		t.Fatalf("overwrite: exit %d %q, want 2 and %q", code, stderr, want)
	}
}

// TestProtectedIdentities: a passphrase-protected identity (from the
// environment, as scripts do) and a plain one, given together for a key
// rotation, open bundles of both.
func TestProtectedIdentities(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(passphraseEnv, "correct horse battery staple")
	prot := filepath.Join(dir, "protected.txt")
	code, stdout, stderr := runImporter(t, "keygen", "--passphrase", "--out", prot)
	if code != 0 {
		t.Fatal(stderr)
	}
	data, _ := os.ReadFile(prot)
	if !strings.Contains(string(data), "BEGIN AGE ENCRYPTED FILE") || strings.Contains(string(data), "AGE-SECRET-KEY") {
		t.Fatalf("identity not protected:\n%s", data)
	}
	r1, _ := age.ParseX25519Recipient(strings.TrimSpace(stdout))
	old, oldKey := writeKey(t, dir, "old.txt")
	snap, _ := os.ReadFile("../testdata/snapshots/win10-home.json")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	bundle.WriteFile(in, bundle.Header{}, []bundle.Member{{Name: licensing.MemberName, Data: snap}}, r1)
	snap2, _ := os.ReadFile("../testdata/snapshots/win10-pro-mak.json")
	bundle.WriteFile(in, bundle.Header{}, []bundle.Member{{Name: licensing.MemberName, Data: snap2}}, old.Recipient())
	db := testDB(t, dir, "db")
	code, stdout, stderr = runImporter(t, "import", "-i", prot, "-i", oldKey, "--db", db, in)
	if code != 0 || !strings.Contains(stdout, "imported 2,") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	t.Setenv(passphraseEnv, "wrong")
	code, _, stderr = runImporter(t, "import", "-i", prot, "--db", db, in)
	if code != 2 || !strings.Contains(stderr, "wrong passphrase") {
		t.Fatalf("wrong passphrase: exit %d %q", code, stderr)
	}
}

// TestWrongIdentityFile: a file of the wrong kind given as the identity
// (keygen's printed recipient, the stick's settings, an empty file, a
// bundle) is named for what it is, with what to pass instead, never
// quoted; exit 2, before any bundle is read.
func TestWrongIdentityFile(t *testing.T) {
	dir := t.TempDir()
	id, _ := writeKey(t, dir, "key.txt")
	rc := id.Recipient().String()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	snap, _ := os.ReadFile("../testdata/snapshots/win10-home.json")
	b, _, err := bundle.WriteFile(in, bundle.Header{}, []bundle.Member{{Name: licensing.MemberName, Data: snap}}, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	conf, err := stick.NewConfig([]string{rc}, "Nagoya", "L1", "")
	if err != nil {
		t.Fatal(err)
	}
	settings, _ := stick.Marshal(conf)
	bundleData, _ := os.ReadFile(b)
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"recipient", "recipient.txt", []byte(rc + "\n"), "holds a recipient (public key, age1…), not an identity: %s)\nimporter: hint: pass the site's identity file, which `importer keygen` wrote"},
		{"settings", stick.FileName, settings, "is the collector's settings (actcourier.conf), not an identity: %s)\nimporter: hint: pass the site's identity file"},
		{"empty", "empty.txt", nil, "holds no key, not an identity: %s)\nimporter: hint: pass the site's identity file"},
		{"bundle", "b.tar.zst.age", bundleData, "encrypted to a key (a bundle?), not a passphrase-protected identity: %s)\nimporter: hint: pass the site's identity file, which `importer keygen` wrote; bundles are the command's arguments, not -i"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, tc.file)
			os.WriteFile(p, tc.data, 0o600)
			db := filepath.Join(dir, tc.name+".db")
			code, _, stderr := runImporter(t, "import", "-q", "-i", p, "--db", db, in)
			if want := fmt.Sprintf(tc.want, p); code != 2 || !strings.Contains(stderr, "importer: error: wrong file as identity") || !strings.Contains(stderr, want) {
				t.Fatalf("exit %d:\n%s\nwant 2 and %q", code, stderr, want)
			}
			if strings.Contains(stderr, rc[10:]) || strings.Contains(stderr, "malformed") {
				t.Errorf("stderr quotes the file or age's parser:\n%s", stderr)
			}
		})
	}
}

func TestImportText(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, dir, "db")
	samples := "../pkg/slmgr/testdata/samples/"
	code, stdout, stderr := runImporter(t, "import-text", "--db", db, "--site", "Nagoya", "--line", "L9", "--collected", "2026-10-01",
		samples+"slmgr/win10-pro-oemdm-dli-checkmk.txt", samples+"ospp/en-o19-proplus2019vl-kms-licensed-vlmcsd20.txt")
	if code != 0 || strings.Count(stdout, "imported ../") != 2 || !strings.Contains(stdout, "imported 2, already imported 0, rejected 0") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runImporter(t, "import-text", "--db", db, "--site", "Nagoya", "--line", "L9", samples+"slmgr/win10-pro-oemdm-dli-checkmk.txt")
	if code != 0 || !strings.Contains(stdout, "already imported") {
		t.Fatalf("second import: %d %s", code, stdout)
	}
	junk := filepath.Join(dir, "junk.txt")
	os.WriteFile(junk, []byte("hello\n"), 0o644)
	code, _, stderr = runImporter(t, "import-text", "--db", db, "--site", "S", "--line", "L", junk)
	if code != 1 || !strings.Contains(stderr, "rejected") || !strings.Contains(stderr, "hint") {
		t.Fatalf("junk: %d %s", code, stderr)
	}
	code, stdout, _ = runImporter(t, "devices", "--db", db, "--as-of", "2026-10-01")
	if code != 0 || !strings.Contains(stdout, "win10-pro-oemdm-dli-checkmk") || !strings.Contains(stdout, "volume-license") {
		t.Fatalf("devices:\n%s", stdout)
	}
	// Japanese slmgr output needs the machine's slmgr.ini (--strings).
	code, _, stderr = runImporter(t, "import-text", "--db", db, "--site", "S", "--line", "L", "--strings", "missing.ini", junk)
	if code != 2 || !strings.Contains(stderr, "--strings") {
		t.Fatalf("missing strings file: %d %s", code, stderr)
	}
}

func TestStick(t *testing.T) {
	dir := t.TempDir()
	dist := filepath.Join(dir, "dist")
	os.MkdirAll(dist, 0o755)
	for _, b := range stick.Builds {
		os.WriteFile(filepath.Join(dist, b), []byte("MZ fake "+b), 0o755)
	}
	id, _ := age.GenerateX25519Identity()
	st := filepath.Join(dir, "E")
	code, stdout, stderr := runImporter(t, "stick", st, "-r", id.Recipient().String(), "--site", "名古屋", "--lines", "L1, L2", "--dist", dist)
	if code != 0 {
		t.Fatalf("exit %d %s", code, stderr)
	}
	if !strings.Contains(stdout, "no private key") || !strings.Contains(stdout, `lines "L1", "L2", bundles`) {
		t.Error(stdout)
	}
	// Without --lines the collector takes any line, and says so.
	if code, stdout, stderr := runImporter(t, "stick", filepath.Join(dir, "F"), "-r", id.Recipient().String(), "--site", "Kumamoto", "--dist", dist); code != 0 ||
		!strings.Contains(stdout, `site "Kumamoto", any line, bundles`) {
		t.Errorf("no --lines: exit %d\n%s%s", code, stdout, stderr)
	}
	data, _ := os.ReadFile(filepath.Join(st, stick.FileName))
	cfg, err := stick.Parse(data)
	if err != nil || cfg.Site != "名古屋" || len(cfg.Lines) != 2 || cfg.Recipients[0] != id.Recipient().String() {
		t.Fatalf("config %+v %v", cfg, err)
	}
	for _, f := range append([]string{"ActCourier.cmd", "README-ja-en.txt", "bundles"}, stick.Builds...) {
		if _, err := os.Stat(filepath.Join(st, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	guide, _ := os.ReadFile(filepath.Join(st, "README-ja-en.txt"))
	if !strings.HasPrefix(string(guide), "\ufeff") || !strings.Contains(string(guide), "ダブルクリック") || !strings.Contains(string(guide), "double-click ActCourier.cmd") {
		t.Error("guide not in both languages with a BOM")
	}
	filepath.Walk(st, func(p string, fi os.FileInfo, err error) error {
		b, _ := os.ReadFile(p)
		if strings.Contains(string(b), "AGE-SECRET-KEY") {
			t.Errorf("%s holds a private key", p)
		}
		return nil
	})
	code, _, stderr = runImporter(t, "stick", st, "-r", id.String(), "--dist", dist, "--force")
	if code != 2 || !strings.Contains(stderr, "private key") {
		t.Fatalf("identity as recipient: %d %s", code, stderr)
	}
	// A settings value refused is named as what it is, not as a bad
	// recipient, and nothing is written (docs/security.md, 7).
	injected := filepath.Join(dir, "G")
	code, _, stderr = runImporter(t, "stick", injected, "-r", id.Recipient().String(), "--site", "Nagoya\r\nrecipient = "+id.Recipient().String(), "--dist", dist)
	if code != 2 || !strings.Contains(stderr, "site holds the control character") || strings.Contains(stderr, "not a recipient") || !strings.Contains(stderr, "--site") {
		t.Fatalf("a site with a line break: %d %s", code, stderr)
	}
	if _, err := os.Stat(injected); !os.IsNotExist(err) {
		t.Errorf("a site with a line break, yet %s was made: %v", injected, err)
	}
	// The file first, as every error names it: it was in brackets at
	// the end, "already on the stick (stick: file exists: …)".
	code, _, stderr = runImporter(t, "stick", st, "-r", id.Recipient().String(), "--dist", dist)
	if want := "importer: error: " + filepath.Join(st, "ActCourier.cmd") + ": already on the stick\n"; code != 2 || !strings.Contains(stderr, "--force") || !strings.Contains(stderr, want) {
		t.Fatalf("second run without --force: %d %s, want 2 and %q", code, stderr, want)
	}
	code, _, stderr = runImporter(t, "stick", filepath.Join(dir, "F"), "-r", id.Recipient().String(), "--dist", filepath.Join(dir, "nothing"))
	if code != 2 || !strings.Contains(stderr, "make build") {
		t.Fatalf("no dist: %d %s", code, stderr)
	}
}

// TestImportTextJapanese brings in Japanese slmgr output saved in
// Shift_JIS, read with the machine's slmgr.ini.
func TestImportTextJapanese(t *testing.T) {
	db := testDB(t, t.TempDir(), "db")
	text := "../testdata/text/ja-win7-oemslp-notification-dlv.txt"
	code, stdout, stderr := runImporter(t, "import-text", "--db", db, "--site", "名古屋", "--line", "L2", "--asset", "NG-7",
		"--strings", "../testdata/text/0411/slmgr.ini", text)
	if code != 0 || !strings.Contains(stdout, "shift_jis") || !strings.Contains(stdout, "urgent") {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = runImporter(t, "show", "--db", db, "--lang", "ja", "NG-7")
	if code != 0 || !strings.Contains(stdout, "| OEM (BIOS マーカー、SLP) (OEM:SLP) | 通知モード |") || !strings.Contains(stdout, "判定 (基準日") || strings.Contains(stdout, "、 、") {
		t.Fatalf("show:\n%s", stdout)
	}
}

// TestImportTextCodepage: zh-CN text saved in the Chinese console code
// page (GBK, CRLF) is read by detection; one whose code page is unsure is
// refused with a hint to name it, and --codepage reads it; an unknown
// --codepage is a usage error.
func TestImportTextCodepage(t *testing.T) {
	dir := t.TempDir()
	db := testDB(t, dir, "db")
	zh := "名称: Windows(R), Enterprise edition\r\n描述: Windows(R) Operating System, VOLUME_KMSCLIENT channel\r\n" +
		"部分产品密钥: 2YT43\r\n许可证状态: 已授权\r\n批量激活过期: 200000 分钟 (139 天)\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(zh))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "CN-01.txt")
	os.WriteFile(file, gbk, 0o644)
	code, stdout, stderr := runImporter(t, "import-text", "--db", db, "--site", "Suzhou", "--line", "L1", file)
	if code != 0 || !strings.Contains(stdout, "gb18030") {
		t.Fatalf("GBK text: exit %d\n%s\n%s", code, stdout, stderr)
	}
	unsure := filepath.Join(dir, "CN-02.txt")
	os.WriteFile(unsure, []byte("Name: \xB0\xE6\r\n"), 0o644)
	code, _, stderr = runImporter(t, "import-text", "--db", db, "--site", "Suzhou", "--line", "L1", unsure)
	if code != 1 || !strings.Contains(stderr, "code page unsure") || !strings.Contains(stderr, "--codepage") {
		t.Fatalf("unsure text: exit %d\n%s", code, stderr)
	}
	code, _, stderr = runImporter(t, "import-text", "--db", db, "--site", "Suzhou", "--line", "L1", "--codepage", "nonsense", unsure)
	if code != 2 || !strings.Contains(stderr, "--codepage") {
		t.Fatalf("unknown code page: exit %d\n%s", code, stderr)
	}
}

// TestNoTerminal: a passphrase the importer would ask for where stdin is
// no terminal (a script, a scheduled task, a pipe) is refused with the
// way that command takes it from a script; before, each said "check that
// the file is readable", of no file.
func TestNoTerminal(t *testing.T) {
	dir := t.TempDir()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	stdin := os.Stdin
	os.Stdin = null
	defer func() { os.Stdin = stdin }()
	t.Setenv(fleet.ReturnPassphraseEnv, "")
	os.Unsetenv(fleet.ReturnPassphraseEnv)
	t.Setenv(passphraseEnv, "correct horse battery staple")
	prot := filepath.Join(dir, "protected.txt")
	if code, _, stderr := runImporter(t, "keygen", "--passphrase", "--out", prot); code != 0 {
		t.Fatal(stderr)
	}
	id, key := writeKey(t, dir, "site-key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	archetypeBundles(t, in, id.Recipient())
	db := testDB(t, dir, "fleet.db")
	if code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, in); code != 0 {
		t.Fatal(stderr)
	}
	os.Unsetenv(passphraseEnv)
	// A CID waiting, so that activation stick has something to return
	// and asks for its passphrase (it asks only then): a machine with
	// IIDs, as TestReturnLeavesOut stores it, and a CID for one.
	storeSnapshot(t, db, "../testdata/activation/win7-mak-office2010.json")
	wl := filepath.Join(dir, "worklist")
	if code, _, stderr := runImporter(t, "activation", "worklist", "--db", db, "--out", wl); code != 0 {
		t.Fatal(stderr)
	}
	iid := ""
	for _, r := range readWorklist(t, filepath.Join(wl, fleet.WorklistCSV)) {
		if r["State"] == string(worklist.NeedsCID) {
			iid = r["InstallationId"]
		}
	}
	if iid == "" {
		t.Fatal("no archetype waits for a CID")
	}
	cids := filepath.Join(dir, "cids.csv")
	os.WriteFile(cids, []byte("InstallationId,ConfirmationId\r\n"+iid+","+strings.Repeat("222222", 8)+"\r\n"), 0o644)
	if code, _, stderr := runImporter(t, "activation", "cids", "--db", db, cids); code != 0 {
		t.Fatal(stderr)
	}

	for _, tc := range []struct {
		name string
		args []string
		hint string
	}{
		{"keygen --passphrase", []string{"keygen", "--passphrase", "--out", filepath.Join(dir, "new.txt")}, "set " + passphraseEnv},
		{"a protected identity", []string{"import", "-i", prot, "--db", db, in}, "set " + passphraseEnv},
		{"a return file", []string{"activation", "stick", filepath.Join(dir, "stick"), "--db", db}, "--passphrase-file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runImporter(t, tc.args...)
			if code != exitUsage || !strings.Contains(stderr, "no terminal to ask for the passphrase") || !strings.Contains(stderr, "hint: ") ||
				!strings.Contains(stderr, tc.hint) || strings.Contains(stderr, "readable") {
				t.Errorf("exit %d, want 2 and a hint with %q:\n%s", code, tc.hint, stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "new.txt")); err == nil {
		t.Error("keygen without a passphrase wrote an identity")
	}
}
