package fleet

import (
	"errors"
	"io/fs"
	"strconv"
	"strings"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/codepage"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/sitekey"
	"github.com/actcourier/actcourier/pkg/slmgr"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// explanations say, per class of error, why an input was rejected in the
// words the README uses, and what to do about it.
var explanations = []struct {
	is           []error
	reason, hint string
}{
	{[]error{bundle.ErrWrongKey}, "wrong key", "pass this site's identity file with -i or ACTCOURIER_IDENTITY (several -i during a key rotation)"},
	{[]error{bundle.ErrTampered}, "truncated or tampered", "the file is cut short or changed: copy it again from the stick, or collect the device again"},
	{[]error{licensing.ErrUnsupportedSchema, bundle.ErrUnsupportedVersion}, "unsupported version", "a newer collector wrote it: update the importer"},
	// Before ErrNotSnapshot: the database's copy, not a bundle. Importing
	// the same bundle again changes nothing (ErrDuplicate).
	{[]error{ErrStoredSnapshot}, "stored snapshot unreadable", "the database's copy of this device's snapshot is damaged (its bundle was read whole when it was imported): collect the device again " +
		"and import the new bundle (the same bundle again changes nothing), or restore the database from its backup (docs/importer.md, \"Backup and restore\")"},
	{[]error{ErrNoSnapshot, licensing.ErrNotSnapshot}, "not a bundle", "this bundle holds no device snapshot; leave it out"},
	// Before ErrNotBundle, which it is too.
	{[]error{bundle.ErrEmpty}, "not a bundle", "the file is empty: copy it again from the stick; if it is empty there too, collect the device again"},
	{[]error{bundle.ErrNotBundle}, "not a bundle", "this file is not an ActCourier bundle; leave it out"},
	{[]error{bundle.ErrTooLarge, licensing.ErrTooLarge}, "oversize", "no genuine collection is this large: collect the device again; if it happens again, report the file to the ActCourier maintainers"},
	// Before ErrTooLarge: an slmgr.ini too large is not a text to save again.
	{[]error{ErrStrings}, "slmgr.ini unreadable", "give the machine's slmgr.ini with --strings, from %SystemRoot%\\System32\\slmgr\\<LANGID>"},
	{[]error{ErrLink}, "a symbolic link, not followed", "a link in a folder is not followed, as the folder's listing follows none: copy the bundle itself into the folder, or name the file the link points to"},
	// Before fs.ErrNotExist, which it is too.
	{[]error{ErrGone}, "gone since its folder was listed", "the file was deleted or moved, or the stick pulled, while this ran: check that the stick is in and the file there, then run the same command again"},
	{[]error{ErrNotFile}, "not a file", "name the saved file itself, or copy the bundle from the stick again: a named pipe, a device or a folder is not read"},
	{[]error{ErrTooLarge}, "oversize", "save only the output of slmgr.vbs /dlv or ospp.vbs /dstatus, one device per file"},
	{[]error{bundle.ErrManifestMismatch, bundle.ErrInsecureMember}, "malformed", "the bundle is malformed: collect the device again and report the file to the ActCourier maintainers"},
	{[]error{ErrKeyFile}, "key file refused", "write each key on a line windows = XXXXX-XXXXX-XXXXX-XXXXX-XXXXX or office = …, one per kind"},
	{[]error{activation.ErrNotReturn, activation.ErrInvalid, activation.ErrTooLarge, activation.ErrUnsupportedVersion}, "malformed activation outcomes",
		"its activation.json is not what a collector writes: collect the device again and report the file to the ActCourier maintainers"},
	{[]error{codepage.ErrUnknown}, "unknown code page", "name the text's code page with --codepage, one of " + strings.Join(codepage.Names(), ", ")},
	{[]error{ErrDate}, "not a date", "write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2026-12-01"},
	{[]error{sitekey.ErrExists}, "already exists, not overwriting an identity", "choose another --out; an overwritten identity can never open its bundles again"},
	{[]error{sitekey.ErrNewPassphrase}, "passphrase refused", "run it in a terminal and type the same passphrase twice, or set ACTCOURIER_PASSPHRASE"},
	{[]error{stick.ErrPrivateKey}, "not a recipient", "give the public key (age1…) that keygen printed"},
	// Any value of the stick's settings: the error names which.
	{[]error{stick.ErrSyntax}, "settings refused", "give --recipient the public key (age1…) that keygen printed; --site, --lines and --engineer take no control characters, a line name no comma, each at most " + strconv.Itoa(stick.MaxValue) + " bytes"},
	{[]error{stick.ErrExists}, "already on the stick", "pass --force to replace what a previous run wrote"},
	{[]error{stick.ErrNoBuilds}, "no collector builds", "run `make build` (or unpack the release) and pass --dist DIR"},
	{[]error{sitekey.ErrNoIdentity}, "no identity", "pass the site's identity file with -i or ACTCOURIER_IDENTITY"},
	{[]error{sitekey.ErrPassphrase}, "wrong passphrase", "type the passphrase again, or set ACTCOURIER_PASSPHRASE for scripts"},
	{[]error{sitekey.ErrWorkFactor}, "identity file asks for too much work", "decrypt it with the tool that protected it (age -d) and protect it again with age -p, which asks for less; or check that nobody changed it"},
	{[]error{sitekey.ErrRecipient}, "wrong file as identity", "pass the site's identity file, which `importer keygen` wrote; the recipient (age1…) it printed is for the sticks"},
	{[]error{sitekey.ErrSettings}, "wrong file as identity", "pass the site's identity file, which `importer keygen` wrote; actcourier.conf stays on the stick and holds only the recipient"},
	{[]error{sitekey.ErrEmpty}, "wrong file as identity", "pass the site's identity file, which `importer keygen` wrote; if this was it, restore it from your backup"},
	{[]error{sitekey.ErrEncrypted}, "wrong file as identity", "pass the site's identity file, which `importer keygen` wrote; bundles are the command's arguments, not -i"},
	{[]error{sitekey.ErrNotIdentity}, "not an identity", "pass a file written by 'importer keygen' or age-keygen"},
	// Before ErrTooLarge: a workbook over a limit is one still.
	{[]error{worklist.ErrNotWorkbook}, "not a workbook",
		"give the worklist workbook (activation-worklist.xlsx) with its ConfirmationId column filled in, saved as Excel Workbook (.xlsx); or a CSV file named .csv"},
	{[]error{worklist.ErrEncoding}, "text encoding not read", worklist.SaveUTF8Hint},
	{[]error{worklist.ErrNotCSV, worklist.ErrColumns, worklist.ErrTooLarge}, "not a CID file",
		"give ActivationWs's records.csv, or the worklist with its ConfirmationId column filled in: the workbook (activation-worklist.xlsx), or the CSV saved as CSV"},
	{[]error{ErrAllLeftOut}, "nothing to return", "every product waiting was left out (each named above, with why): see the hints above"},
	{[]error{ErrNothingToReturn}, "nothing to return", "import the CIDs first (importer activation cids FILE); importer activation worklist shows what waits"},
	// Before ErrPassphrase, which it is too.
	{[]error{ErrPassphraseDiffers}, "passphrase refused", "type the same passphrase twice, or give it with --passphrase-file or " + ReturnPassphraseEnv},
	{[]error{ErrPassphrase}, "passphrase refused", "choose one of " + strconv.Itoa(MinPassphrase) + " characters or more and give it again: typed, on the first line of --passphrase-file, or in " + ReturnPassphraseEnv},
	{[]error{ErrNotFound}, "no such device", "importer devices lists the fleet; give an asset tag, host name or ID"},
	{[]error{ErrAmbiguous}, "several devices", "give the device's ID (importer devices)"},
	{[]error{ErrNoActivation}, "no activation requests", "use a database of this importer (--db)"},
	{[]error{ErrReadOnly}, "the database may only be read", "use a database user that may write the fleet (the importers' role: docs/importer.md, \"Setting up PostgreSQL\"), or a file you may write; nothing more was stored"},
	{[]error{ErrConflict}, "conflict", "two different files carry one bundle ID: keep both files and report them to the ActCourier maintainers"},
	{[]error{slmgr.ErrNoProducts}, "no product found", "save the whole output of slmgr.vbs /dlv or ospp.vbs /dstatus; for another language pass --strings slmgr.ini"},
	{[]error{slmgr.ErrEncoding, codepage.ErrUnsure}, "code page unsure", "name the text's code page with --codepage (936 for Simplified Chinese, 932 Japanese, 949 Korean, 950 Traditional Chinese, 1252 Western)"},
	{[]error{fs.ErrPermission}, "permission denied", "this user may not open it: its owner can allow it (chmod; a folder needs x to be walked), or run the importer as a user who may"},
	// Last: the errors above that are also "not there" say more.
	{[]error{fs.ErrNotExist}, "no such file", "check the name and its folder (a relative name is read from the current folder)"},
}

// Explain says why an input was rejected, as a short reason followed by
// the error itself, and what to do about it.
func Explain(err error) (reason, hint string) {
	for _, e := range explanations {
		for _, target := range e.is {
			if errors.Is(err, target) {
				return reasoned(e.reason, err.Error()), e.hint
			}
		}
	}
	return err.Error(), "check that the file is readable"
}

// reasoned is the reason, then the error's message in brackets; or the
// message alone when it says the reason already, as words of its own
// ("no such device: \"x\"", not "no such device (fleet: no such
// device: \"x\")"), without the name of the package that wrote it (a
// lower-case word before it: never a file's name, which has a dot or a
// separator). The reason inside a longer word or a file's name
// ("conflicting.age") does not count.
func reasoned(reason, msg string) string {
	for i := strings.Index(msg, reason); i >= 0; {
		end := i + len(reason)
		first := i == 0 || i >= 2 && msg[i-2:i] == ": "
		whole := end == len(msg) || msg[end] == ':' || msg[end] == ' ' || msg[end] == ','
		if first && whole {
			if i > 0 && packageName(msg[:i-2]) {
				return msg[i:]
			}
			return msg
		}
		next := strings.Index(msg[i+1:], reason)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return reason + " (" + msg + ")"
}

// packageName reports whether s is a Go package's name, as errors start
// with one: lower-case letters.
func packageName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return true
}
