package slmgr

import (
	"bytes"
	"strings"
	"testing"
)

// TestPowerShellPrompt: a PowerShell prompt is read wherever cmd's
// ("C:\>") is: alone on a line, before the command typed, at the margin
// above an indented paragraph (dedent), before the labels of a line
// whose line breaks were lost (slmgrRunOnPieces), right after ospp's
// output (route). Each text with a PowerShell prompt reads as the same
// text with cmd's: the same products, notes and unknown lines. The bare
// "PS>" is PowerShell's prompt when its prompt function fails or is
// removed; "[host]: PS …>" is a remote session's (Enter-PSSession).
func TestPowerShellPrompt(t *testing.T) {
	const cmd = `C:\>`
	prompts := []string{
		`PS>`,
		`PS C:\>`,
		`PS C:\Windows\system32>`,
		`PS C:\Program Files\Microsoft Office\Office16>`,
		`[server01]: PS C:\Users\admin\Documents>`,
		`[server01]: PS>`,
		// The location on another drive, a provider's or a share
		// (PowerShell's prompt is "PS " + its current location + ">").
		`PS D:\tools>`,
		`PS HKLM:\>`,
		`PS HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform>`,
		`PS Cert:\LocalMachine>`,
		`PS Microsoft.PowerShell.Core\FileSystem::\\server\share>`,
		`PS Microsoft.PowerShell.Core\Registry::HKEY_LOCAL_MACHINE\SOFTWARE>`,
		`PS \\server\share\dir>`,
		`[server01]: PS D:\tools>`,
		`[server01]: PS HKLM:\>`,
		`[server01]: PS Microsoft.PowerShell.Core\FileSystem::\\server\share>`,
		`[server01]: PS \\server\share\dir>`,
	}
	dli := "Name: Windows(R), Professional edition\nDescription: Windows(R) Operating System, RETAIL channel\n" +
		"Partial Product Key: 3V66T\nLicense Status: Licensed\n"
	wrapped := "Name: Windows Server(R), ServerStandard edition\n" +
		"Description: Windows Operating System - Windows Server(R), VOLUME_KMSCLIENT chan\n" + // 80 columns
		"nel\n" +
		"Partial Product Key: R7VHC\n" +
		"License Status: Licensed\n"
	dstatus := "---Processing--------------------------\n---------------------------------------\n" +
		"SKU ID: 6f327760-8c5c-417c-9b61-836a98287e0c\nLICENSE NAME: Office 15, OfficeProPlusVL_KMS_Client edition\n" +
		"LICENSE DESCRIPTION: Office 15, VOLUME_KMSCLIENT channel\nLICENSE STATUS:  ---LICENSED--- \n" +
		"Last 5 characters of installed product key: GVGXT\n"
	// %s is the prompt.
	contexts := []struct{ name, text string }{
		{"alone on a line before the output", "%s\n" + dli},
		{"alone on a line after the output", dli + "%s\n"},
		{"before the command typed, no space", "%sslmgr /dli\n" + dli},
		{"before the command typed", "%s slmgr /dli\n" + dli},
		{"at the margin above a paragraph indented 4", "%s slmgr /dlv\n" + indent(wrapped, "    ")},
		{"indented 2 above and inside a paragraph indented 4", "  %s slmgr /dlv\n" + indent(wrapped, "    ") + "  %s\n"},
		{"before labels whose line breaks were lost", "%s slmgr /dliName: Windows(R), Professional edition Partial Product Key: 3V66T License Status: Licensed\n"},
		{"right after ospp's output, slmgr's after it", dstatus + "%s cscript slmgr.vbs /dli\n" + dli},
		{"between two ospp outputs", dstatus + "%s cscript ospp.vbs /dstatus\n" + dstatus},
	}
	for _, c := range contexts {
		want := golden(Parse([]byte(strings.ReplaceAll(c.text, "%s", cmd)), Options{}))
		for _, p := range prompts {
			t.Run(c.name+"/"+p, func(t *testing.T) {
				text := strings.ReplaceAll(c.text, "%s", p)
				if got := golden(Parse([]byte(text), Options{})); !bytes.Equal(got, want) {
					t.Errorf("read differently from the same text with cmd's prompt; got:\n%s\nwant:\n%s", got, want)
				}
			})
		}
	}
	for _, p := range append(prompts, cmd) {
		for _, l := range []string{p, p + " slmgr /dli", p + "cscript //nologo slmgr.vbs /dlv"} {
			if !noise(l) {
				t.Errorf("noise(%q) is false, want a prompt", l)
			}
			if !unindented(l) {
				t.Errorf("unindented(%q) is false, want a prompt", l)
			}
		}
	}
	// Not prompts: a line that only begins with "PS", or names a path.
	for _, l := range []string{"PS: see below", "PSA> not a prompt", "PS C: drive", "Name: PS>", "[server01]: not a prompt>",
		"PS HKLM: the registry drive", "PS Microsoft.PowerShell.Core is a module", `PS \\server\share is where the ISO is`,
		`PS D:\tools holds ospp.vbs`, "PS D: > C:", "PS 5.1 and 7 print the same > output", "PS: a::b>"} {
		if noise(l) {
			t.Errorf("noise(%q) is true, want a line of its own", l)
		}
	}
}

// TestPromptRanOn: a line that begins with a prompt is the command
// typed at it, noise to every reader; but a line that holds, after the
// prompt, a label's colon (":" before a space or a character outside
// ASCII, or at the end after a word that names no drive, or "："),
// which no command typed holds outside its quotes, or an Activation ID
// in parentheses (slmgr /ato's "Activating %PRODUCTNAME% (%PRODUCTID%)
// ..." in any language), is the command with
// its output run on after it (its line breaks lost), in labels not
// known: slmgr /dli in a language whose slmgr.ini was not given, /xpr,
// a single label. Such a line is kept in Result.Unknown with a note,
// and read for nothing: no product is made of it. The commands of the
// samples stay noise.
func TestPromptRanOn(t *testing.T) {
	ranOn := []string{
		`C:\>slmgr /dli Name: Windows(R), Professional edition Beschreibung: Windows(R) Operating System, RETAIL channel Teil-Product Key: 3V66T Lizenzstatus: Lizenziert`,
		`C:\>slmgr /xpr Windows(R), Professional edition:    The machine is permanently activated.`,
		`PS C:\> cscript //nologo slmgr.vbs /xpr Windows(R), Professional edition:    The machine is permanently activated.`,
		`C:\>slmgr /xpr Windows(R), Professional edition:`,
		`C:\>slmgr /xprWindows(R), Professional edition:计算机已永久激活。`,
		`C:\Windows\system32>slmgr /dli Nom : Windows(R), Professional edition Description : Windows(R) Operating System, RETAIL channel`,
		`PS HKLM:\> slmgr /dli 名前： Windows(R), Professional edition`,
		`[server01]: PS C:\> slmgr /dli License Status: Licensed`,
		`C:\>cscript ospp.vbs /dstatus LICENSE STATUS:  ---LICENSED---`,
		`C:\>slmgr /atoActivating Windows(R), Professional edition (2de67392-b7a7-462a-b1ca-108dd189f588) ...Product activated successfully.`,
		`C:\>slmgr /ato Windows(R), Professional edition (2de67392-b7a7-462a-b1ca-108dd189f588) wird aktiviert...`,
		// An apostrophe inside a word of the output is no quote.
		`C:\>slmgr /dlv ID d'activation : 2de67392-b7a7-462a-b1ca-108dd189f588 ID d'application : 55c92734-d682-4d71-983e-d6ec3f16059f`,
		`C:\>slmgr /dlv ID d’activation : 2de67392-b7a7-462a-b1ca-108dd189f588 ID d’application : 55c92734-d682-4d71-983e-d6ec3f16059f`,
		`C:\>slmgr /dli État de la licence : l'état 'Licencié'`,
		// A quoted argument, then the output.
		`PS C:\> slmgr /dli | Select-String 'Status' License Status: Licensed`,
		`PS C:\> slmgr /dli | Select-String "Status" License Status: Licensed`,
		// A quote left open is not a command's.
		`PS C:\> slmgr /dli 'License Status: Licensed`,
	}
	commands := []string{
		`C:\>`, `C:\>slmgr /dli`, `C:\Windows\system32>cscript //nologo slmgr.vbs /dlv all`,
		`C:\Program Files\Microsoft Office\Office16>cscript ospp.vbs /sethst:kms.03k.org`,
		`C:\Program Files\Microsoft Office\Office16>cscript ospp.vbs /inpkey:XXXXX-XXXXX-XXXXX-XXXXX-9D9HK`,
		`PS C:\Users\user> slmgr /skms kms8.msguides.com:1688`,
		`PS C:\Users\Administrator> cscript "C:/Program Files/Microsoft Office/Office16/ospp.vbs" /dstatus`,
		`C:\Windows\system32>cd "C:\Program Files (x86)\Microsoft Office\Office15"`,
		`C:\>D:`, `PS C:\> cd HKLM:`, `PS C:\> Set-Location Cert:`, `PS C:\> cd Microsoft.PowerShell.Core\FileSystem::`,
		`PS C:\> slmgr /dlv | Out-File C:\out.txt`, `PS C:\> Write-Host "Status: done"`,
		`PS C:\> [Environment]::OSVersion`, `PS C:\> Get-CimInstance SoftwareLicensingProduct | fl Name, LicenseStatus`,
		`Microsoft Windows [Version 10.0.19045.3803]`,
		`C:\>slmgr /ato 2de67392-b7a7-462a-b1ca-108dd189f588`, `PS C:\> slmgr /ato {2de67392-b7a7-462a-b1ca-108dd189f588}`,
		`PS C:\> (cscript //nologo slmgr.vbs /xpr) -join ''`,
		// A drive's colon before a space: a drive given to a command.
		// A quoted argument's colons: PowerShell's quotes, single
		// ('' inside one is a quote), double, and typographic, as a
		// blog prints them; cmd's double quotes.
		`PS C:\> cscript //nologo C:\Windows\System32\slmgr.vbs /dli | Select-String 'License Status: '`,
		`PS C:\> cscript //nologo C:\Windows\System32\slmgr.vbs /dli | Select-String "License Status: "`,
		`PS C:\> slmgr /dlv | Select-String -Pattern 'Name: ','License Status: '`,
		`PS C:\> slmgr /dlv | Select-String -Pattern ('Name: ', 'Partial Product Key: ')`,
		`PS C:\> slmgr /dli | sls 'l''état de la licence : '`,
		`PS C:\> slmgr /dli | Select-String ‘License Status: ’`,
		`PS C:\> slmgr /dli | Select-String “License Status: ”`,
		`C:\>powershell -c "slmgr /dli | sls 'Status: '"`,
		`C:\>cscript //nologo slmgr.vbs /dli | find "License Status: "`,
		`PS C:\> slmgr /dlv | Select-String 'Partial Product Key: ','License Status: '`,
		`PS C:\> cscript ospp.vbs /dstatus | Select-String 'LICENSE NAME: ','LICENSE STATUS: '`,
		`C:\>net use Z: \\server\share`, `C:\>subst X: C:\tools`, `PS C:\> dir env: | findstr COMPUTER`, "PS C:\\> Get-ChildItem Cert:\tCert:",
	}
	for _, l := range ranOn {
		t.Run(l, func(t *testing.T) {
			res, _ := Parse([]byte("\n"+l+"\n"), Options{})
			if len(res.Products) != 0 {
				t.Errorf("got products %+v, want none", res.Products)
			}
			if len(res.Unknown) != 1 || res.Unknown[0] != (Line{2, l}) {
				t.Errorf("got unknown %q, want line 2 %q", res.Unknown, l)
			}
			if !containsString(res.Notes, "line 2 begins with a prompt and holds more than a command") {
				t.Errorf("got notes %q, want one on line 2", res.Notes)
			}
			// After ospp's output, where route gives it to parseOSPP.
			dstatus := "---Processing--------------------------\nSKU ID: 6f327760-8c5c-417c-9b61-836a98287e0c\n" +
				"LICENSE NAME: Office 15, OfficeProPlusVL_KMS_Client edition\nERROR DESCRIPTION: The Software Licensing Service reported\n"
			res, _ = Parse([]byte(dstatus+l+"\n"), Options{})
			if len(res.Unknown) != 1 || res.Unknown[0] != (Line{5, l}) {
				t.Errorf("after ospp's output: got unknown %q, want line 5 %q", res.Unknown, l)
			}
			for _, p := range res.Products {
				if strings.Contains(p.ReasonText, "Windows") || strings.Contains(p.ReasonText, "PS") || strings.Contains(p.ReasonText, ">") {
					t.Errorf("after ospp's output: got error text %q, want the line not in it", p.ReasonText)
				}
			}
		})
	}
	// Two lines: one note naming both.
	res, _ := Parse([]byte(ranOn[0]+"\n"+ranOn[1]+"\n"), Options{})
	if !containsString(res.Notes, "lines 1, 2 begin with a prompt and hold more than a command") {
		t.Errorf("two lines: got notes %q, want one naming lines 1, 2", res.Notes)
	}
	for _, l := range commands {
		t.Run(l, func(t *testing.T) {
			res, _ := Parse([]byte(l+"\n"), Options{})
			if len(res.Unknown) != 0 || len(res.Notes) != 0 {
				t.Errorf("got unknown %q notes %q, want the command skipped", res.Unknown, res.Notes)
			}
		})
	}
}

// refPromptEnd is promptEnd matching the pattern on the whole line.
func refPromptEnd(l string) int {
	host := 0
	if i := strings.IndexByte(l, ']'); strings.HasPrefix(l, "[") && i > 0 && strings.HasPrefix(l[i:], "]: PS") {
		host = i + len("]: ")
	}
	if m := promptRe.FindStringIndex(l[host:]); m != nil {
		return host + m[1]
	}
	return -1
}

// promptLines are lines that begin as prompts do, or nearly.
var promptLines = []string{"[", "[x", "[C:\\x", "[C:\\x]$", "[C:\\x]# slmgr /dli", "[user@host C:\\]> x", "[a>b C:\\d]$ x>y", "[C:\\x]",
	"[host]: PS C:\\>", "[host]: PS C:\\> slmgr /dli", "[host]: PS", "[host]: PS>", "[host]:PS C:\\>", "[]: PS C:\\>", "[C:\\ x", "]", "x]",
	"C:\\", "C:\\x", "C:\\>", "C:\\a b>c>d", "PS>", "PS", "PS C:\\x", "PS C:\\x> y", "PS Cert:\\> x", "PS HKLM:\\SOFTWARE> y",
	"PS Microsoft.PowerShell.Core\\FileSystem::\\\\server\\share> x", "PS Microsoft.PowerShell.Core\\FileSystem::x", "PS \\\\server\\share\\d> x",
	"PS \\\\server>", "Microsoft Windows [Version 10.0.19045.3803]", "Microsoft Windows [", "Microsoft Windows", "Microsoft Windows [x>", "x>"}

// TestPromptScope: prompt and promptEnd, which match the pattern on
// the start of a line a prompt may be in (promptScope), read each line
// as the pattern does on the whole line.
func TestPromptScope(t *testing.T) {
	for _, l := range promptLines {
		if got, want := promptEnd(l), refPromptEnd(l); got != want || prompt(l) != (want >= 0) {
			t.Errorf("%q: got promptEnd %d, prompt %v; want %d", l, got, prompt(l), want)
		}
	}
}

// FuzzPromptScope: TestPromptScope for any line.
func FuzzPromptScope(f *testing.F) {
	for _, l := range promptLines {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, l string) {
		if got, want := promptEnd(l), refPromptEnd(l); got != want || prompt(l) != (want >= 0) {
			t.Errorf("%q: got promptEnd %d, prompt %v; want %d", l, got, prompt(l), want)
		}
	})
}

// FuzzCommandQuoted: any text quoted as PowerShell quotes it (in single
// quotes, each single quote in it doubled; in double quotes, or
// typographic ones, holding none of those) is a quoted argument of a
// command typed at a prompt: every byte inside the quotes is the
// command's (commandQuoted), and the line holds nothing but the
// command (ranOn is false).
func FuzzCommandQuoted(f *testing.F) {
	for _, s := range []string{"License Status: ", "l'état : ", "Name: ", "a‘b’c", `x"y`, "“:”", "(2de67392-b7a7-462a-b1ca-108dd189f588)", "：", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 200 || strings.ContainsAny(s, "\r\n") {
			return
		}
		var single strings.Builder
		for i := 0; i < len(s); i++ {
			if n := singleQuote(s[i:]); n > 0 {
				single.WriteString(s[i : i+n]) // doubled: a quote of its text
				single.WriteString(s[i : i+n])
				i += n - 1
				continue
			}
			single.WriteByte(s[i])
		}
		args := []string{"'" + single.String() + "'"}
		if !strings.ContainsAny(s, `"“”„`) {
			args = append(args, `"`+s+`"`, "“"+s+"”")
		}
		const head = `PS C:\> slmgr /dli | Select-String `
		for _, a := range args {
			l := head + a
			if ranOn(l) {
				t.Errorf("ranOn(%q) is true, want a command", l)
			}
			open, close := len(head)+quoteLen(a), len(l)-3 // after the opening quote, at the closing one
			if a[len(a)-1] == '\'' || a[len(a)-1] == '"' {
				close = len(l) - 1
			}
			for at := open; at < close; at++ {
				if !commandQuoted(l, at) {
					t.Fatalf("commandQuoted(%q, %d) is false, want inside the quotes", l, at)
				}
			}
			if commandQuoted(l, len(head)-1) {
				t.Errorf("commandQuoted(%q, %d) is true, want before the quotes", l, len(head)-1)
			}
		}
	})
}

// quoteLen returns the bytes of the quote s begins with, 0 if none.
func quoteLen(s string) int {
	if n := singleQuote(s); n > 0 {
		return n
	}
	return doubleQuote(s)
}
