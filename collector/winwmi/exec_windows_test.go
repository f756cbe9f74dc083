package winwmi

import (
	"errors"
	"os"
	"testing"
)

// TestExec calls StdRegProv's methods through Exec: the in-parameters
// go in through InParameters, the out-parameters and ReturnValue come
// back. It runs on Windows and under Wine (collector's TestWMIMethodsUnderWine
// builds this test as a Windows program and runs it in a throwaway
// prefix): Wine implements StdRegProv, not the licensing methods, so
// this is how the plumbing of DepositOfflineConfirmationId is proven.
func TestExec(t *testing.T) {
	if os.Getenv("ACTCOURIER_WMI_EXEC") == "" {
		t.Skip("writes HKCU\\Software\\ActCourierTest: set ACTCOURIER_WMI_EXEC=1 (the Wine test does, in its own prefix)")
	}
	s, err := Open()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const hkcu, key = uint32(0x80000001), `Software\ActCourierTest`
	ns := `root\default`
	if _, err := s.Exec(ns, "StdRegProv", "CreateKey", nil, "hDefKey", hkcu, "sSubKeyName", key); err != nil {
		t.Fatalf("CreateKey: %v", err)
	}
	iid := "012345601234560123456012345601234560123456012345601234560123456"
	if _, err := s.Exec(ns, "StdRegProv", "SetStringValue", nil, "hDefKey", hkcu, "sSubKeyName", key, "sValueName", "IID", "sValue", iid); err != nil {
		t.Fatalf("SetStringValue: %v", err)
	}
	row, err := s.Exec(ns, "StdRegProv", "GetStringValue", []string{"sValue"}, "hDefKey", hkcu, "sSubKeyName", key, "sValueName", "IID")
	if err != nil {
		t.Fatalf("GetStringValue: %v", err)
	}
	if row["sValue"] != iid || row["ReturnValue"] != int64(0) {
		t.Errorf("GetStringValue: got %v, want sValue %s and ReturnValue 0", row, iid)
	}
	// A method that answers with a ReturnValue other than 0: the value
	// does not exist (ERROR_FILE_NOT_FOUND, 2).
	_, err = s.Exec(ns, "StdRegProv", "GetStringValue", []string{"sValue"}, "hDefKey", hkcu, "sSubKeyName", key, "sValueName", "CID")
	var me *MethodError
	if !errors.As(err, &me) || me.Code != 2 {
		t.Errorf("missing value: got %v, want a *MethodError with ReturnValue 2", err)
	}
	// A COM error: a method the class does not have.
	_, err = s.Exec(ns, "StdRegProv", "DepositOfflineConfirmationId", nil, "InstallationId", iid)
	if !errors.As(err, &me) || me.Code == 0 {
		t.Errorf("unknown method: got %v, want a *MethodError with an HRESULT", err)
	} else {
		t.Logf("unknown method: %v", err)
	}
	// An object that does not exist.
	_, err = s.Exec(`root\cimv2`, `SoftwareLicensingProduct.ID="00000000-0000-0000-0000-000000000000"`, "DepositOfflineConfirmationId",
		nil, "InstallationId", iid, "ConfirmationId", "1")
	if err == nil {
		t.Error("a product that does not exist: no error")
	} else {
		t.Logf("no such product: %v", err)
	}
}
