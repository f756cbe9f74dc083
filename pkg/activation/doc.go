// Package activation carries offline activation across the air gap and
// back: the Installation ID (IID) a machine gives out, the Confirmation
// ID (CID) central staff obtain for it, and the return file that brings
// CIDs (and, for a second visit, a product key) back to the machine on
// the stick.
//
// It is shared by both programs and links nothing heavier than age and
// encoding/json: the collector reads a return file ([OpenReturn]),
// applies its items to the machine's licensing service ([Apply]) and
// writes what happened into its bundle ([Proof], member [ProofMember]);
// the importer writes return files ([WriteReturn]) and reads the proof
// back. The worklist and the CID files of the connected side are package
// worklist.
//
// # What a machine offers
//
// Every fact of the licensing platforms used here is in shared/DOMAIN.md,
// "The return path": SoftwareLicensingProduct.OfflineInstallationId (the
// IID) and ProductKeyID (the Extended PID), the product's method
// DepositOfflineConfirmationId(InstallationId, ConfirmationId), and the
// service's InstallProductKey and RefreshLicenseStatus; Office 2010-2016
// on Windows 7 offers the same members in OfficeSoftwareProtectionProduct
// and …Service. slmgr.vbs /dti and /atp use these calls. Failures come
// back as COM errors carrying SL_E_* codes, 0xC004F031 (IID and CID do not
// match) and 0xC004F04D (invalid IID or CID) among them.
//
// # The return file
//
// bundle/RETURN.md specifies it: an age file encrypted to a passphrase
// (scrypt) holding one JSON document. The passphrase travels separately
// from the stick, so a lost stick reveals no product key, and nobody
// without it can make a file the collector accepts.
package activation
