package fleet

import (
	"errors"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/codepage"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/slmgr"
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
	{[]error{ErrNoSnapshot, licensing.ErrNotSnapshot}, "not a bundle", "this bundle holds no device snapshot; leave it out"},
	{[]error{bundle.ErrNotBundle}, "not a bundle", "this file is not an ActCourier bundle; leave it out"},
	{[]error{bundle.ErrTooLarge, licensing.ErrTooLarge}, "oversize", "no genuine collection is this large: collect the device again; if it happens again, report the file to the ActCourier maintainers"},
	{[]error{ErrTooLarge}, "oversize", "save only the output of slmgr.vbs /dlv or ospp.vbs /dstatus, one device per file"},
	{[]error{bundle.ErrManifestMismatch, bundle.ErrInsecureMember}, "malformed", "the bundle is malformed: collect the device again and report the file to the ActCourier maintainers"},
	{[]error{activation.ErrNotReturn, activation.ErrInvalid, activation.ErrTooLarge, activation.ErrUnsupportedVersion}, "malformed activation outcomes",
		"its activation.json is not what a collector writes: collect the device again and report the file to the ActCourier maintainers"},
	{[]error{ErrConflict}, "conflict", "two different files carry one bundle ID: keep both files and report them to the ActCourier maintainers"},
	{[]error{slmgr.ErrNoProducts}, "no product found", "save the whole output of slmgr.vbs /dlv or ospp.vbs /dstatus; for another language pass --strings slmgr.ini"},
	{[]error{slmgr.ErrEncoding, codepage.ErrUnsure}, "code page unsure", "name the text's code page with --codepage (936 for Simplified Chinese, 932 Japanese, 949 Korean, 950 Traditional Chinese, 1252 Western)"},
}

// Explain says why an input was rejected, as a short reason followed by
// the error itself, and what to do about it.
func Explain(err error) (reason, hint string) {
	for _, e := range explanations {
		for _, target := range e.is {
			if errors.Is(err, target) {
				return e.reason + " (" + err.Error() + ")", e.hint
			}
		}
	}
	return err.Error(), "check that the file is readable"
}
