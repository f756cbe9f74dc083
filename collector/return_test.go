package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// activationSnapshot is a Windows 7 machine whose Windows (MAK) and
// Office 2010 (retail) wait for Confirmation IDs; newDisk is the same
// machine after a disk swap changed its Windows IID.
const (
	activationSnapshot = "../testdata/activation/win7-mak-office2010.json"
	newDisk            = "../testdata/activation/win7-mak-office2010-new-disk.json"
	passphrase         = "told by phone, never on the stick"
)

// returnItems are items for the products of snapshot file, each with the
// CID the simulation accepts for its IID, edited by edit.
func returnItems(t *testing.T, file string, edit func(i int, it *activation.Item)) *activation.Return {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := licensing.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	r := activation.NewReturn(time.Now(), "central staff", "test")
	for i, p := range s.Products {
		it := activation.Item{ID: activation.NewID(), DeviceKey: licensing.DeviceKey(s), Product: p.Name, ApplicationID: p.ApplicationID,
			ActivationID: p.SKUID, Class: p.Class, IID: p.OfflineInstallationID, CID: collect.SimulatedCID(p.OfflineInstallationID)}
		if edit != nil {
			edit(i, &it)
		}
		r.Items = append(r.Items, it)
	}
	return r
}

// writeReturnDir writes r into a new return folder and returns it.
func writeReturnDir(t *testing.T, r *activation.Return) string {
	t.Helper()
	dir := t.TempDir()
	var b bytes.Buffer
	if err := activation.WriteReturn(&b, r, passphrase, 2); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, r.ID+activation.ReturnExt), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
