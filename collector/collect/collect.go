package collect

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/slmgr"
)

// ErrNoClass is what a WMI source returns for a class (or namespace) this
// Windows does not have. It is recorded in Snapshot.Missing, not as an
// error.
var ErrNoClass = errors.New("no such WMI class")

// ErrLiveUnsupported means live collection was asked for on a system
// other than Windows.
var ErrLiveUnsupported = errors.New("live collection runs on Windows only")

// WMI answers WQL queries. missing lists the requested properties the
// class lacks; none of them is an error.
type WMI interface {
	Query(namespace, class string, props []string, where string) (rows []map[string]interface{}, missing []string, err error)
}

// Runner runs a program and returns its standard output. It must stop the
// program when ctx is done.
type Runner interface {
	Run(ctx context.Context, name string, args ...string) ([]byte, error)
}

// Host is the rest of the machine: folders, files and firmware.
type Host interface {
	// SystemDir is the native System32 folder (Sysnative for a 32-bit
	// collector on 64-bit Windows).
	SystemDir() string
	// SystemDrive is the drive Windows is on, "C:".
	SystemDrive() string
	// OfficeDirs lists folders that may hold ospp.vbs: both Program Files
	// trees and what the registry names, in both registry views.
	OfficeDirs() []string
	ReadFile(name string) ([]byte, error)
	Glob(pattern string) ([]string, error)
	Exists(name string) bool
	// FirmwareTable reports whether an ACPI table exists (SLIC, MSDM),
	// without reading it: MSDM holds a product key.
	FirmwareTable(signature string) (bool, error)
	FirmwareType() string
	Hostname() string
}

// Sources are where a collection reads from.
type Sources struct {
	WMI WMI
	// WMIErr says why WMI is nil (COM or the WMI service failed to
	// start); it is recorded once, and the text sources still run.
	WMIErr error
	// Methods runs WMI methods on the same connection: applying a
	// return file (NewMachine). Nil where WMI is.
	Methods Methods
	Run     Runner
	Host    Host
	Timeout time.Duration    // per command; 0 means 2 minutes
	Now     func() time.Time // the device clock
	// Progress, when not nil, hears each step before it starts, so the
	// engineer sees what is being read while a script may take minutes.
	Progress func(Step)
}

// Step is a part of a collection, announced to Sources.Progress.
type Step struct {
	// Part is StepSystem, StepLicenses or StepScript.
	Part string
	// Command is the script run by a StepScript, as it is recorded:
	// "slmgr.vbs /dlv all", "ospp.vbs /dstatus (C:\…\Office14)".
	Command string
	// Limit is the step's time limit; 0 when it has none of its own.
	Limit time.Duration
}

// The parts of a collection, in order.
const (
	StepSystem   = "system"   // WMI: Windows, hardware, disks, BitLocker
	StepLicenses = "licenses" // WMI: the licensing services and products
	StepScript   = "script"   // one slmgr.vbs or ospp.vbs run
)

// Result is a collection: the snapshot and the bundle members beside it.
type Result struct {
	Snapshot *licensing.Snapshot
	// Members holds the snapshot (device.json) first, then raw outputs
	// and copied slmgr.ini files.
	Members []bundle.Member
}

const (
	cimv2     = `root\cimv2`
	bitlocker = `root\CIMV2\Security\MicrosoftVolumeEncryption`
)

// collection is one run in progress.
type collection struct {
	ctx     context.Context
	src     Sources
	s       *licensing.Snapshot
	members []bundle.Member
	strings []*slmgr.Strings // the machine's slmgr.ini files, OS language first
	// osStrings is the member of the OS language's slmgr.ini, if copied.
	osStrings string
}

// Collect reads everything it can: what could not be read is listed in
// Snapshot.Missing and Snapshot.Errors. Its one failure is ctx ending
// (Ctrl-C): from then on it announces and starts nothing more, neither
// a WMI query nor a script (a running one is stopped), and returns ctx's
// error, wrapped.
func Collect(ctx context.Context, src Sources, c licensing.Context) (*Result, error) {
	if src.Now == nil {
		src.Now = time.Now
	}
	if src.Timeout <= 0 {
		src.Timeout = 2 * time.Minute
	}
	now := src.Now()
	c.Collected = now
	if c.TimeZone == "" {
		c.TimeZone, _ = now.Zone()
	}
	col := &collection{ctx: ctx, src: src, s: &licensing.Snapshot{Schema: licensing.Schema, Context: c}}
	if src.WMI == nil {
		why := src.WMIErr
		if why == nil {
			why = errors.New("WMI is not available")
		}
		col.fail(licensing.SourceWMI, "WMI", why)
	}
	col.step(Step{Part: StepSystem})
	col.os()
	col.hardware()
	col.storage()
	col.step(Step{Part: StepLicenses})
	svcVersion := col.services()
	col.products(svcVersion)
	col.text()
	col.imageBackups()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("collection stopped: %w", err)
	}
	col.fit()
	sort.Strings(col.s.Missing)
	data, err := licensing.Marshal(col.s)
	if err != nil {
		return nil, fmt.Errorf("encoding the snapshot: %w", err)
	}
	members := append([]bundle.Member{{Name: licensing.MemberName, Data: data}}, col.members...)
	return &Result{Snapshot: col.s, Members: members}, nil
}

// Bounds of the members besides the snapshot: the importer opens a
// bundle with bundle's default limits, and refuses one over them whole,
// so a collection over them would be lost. Room is left for device.json
// (licensing.MaxSnapshotSize) and for the proof of a return file
// (activation.ProofMember, at most activation.MaxReturnSize) added after
// Collect. A real collection holds about ten members of a few hundred
// KiB at most; only a machine with every language pack (an slmgr.ini
// each) or an output gone wild comes near them.
const (
	maxMembers     = bundle.DefaultMaxMembers - 2
	maxMemberSize  = bundle.DefaultMaxMemberSize
	maxMembersSize = bundle.DefaultMaxTotalSize - licensing.MaxSnapshotSize - activation.MaxReturnSize
)

// fit leaves out members until the rest are within the bounds above, and
// records each one left out. A member over the size of one goes first;
// then the slmgr.ini copies of other languages than the OS's, which
// parsing does not need, the last first; then the largest raw outputs,
// whose products were parsed already. What the snapshot says of a raw
// output left out names no member.
func (c *collection) fit() {
	var total int64
	for _, m := range c.members {
		total += int64(len(m.Data))
	}
	drop := func(i int, why string) {
		m := c.members[i]
		total -= int64(len(m.Data))
		c.members = append(c.members[:i], c.members[i+1:]...)
		msg := fmt.Sprintf("not kept: %d bytes, %s", len(m.Data), why)
		src := licensing.SourceFiles
		for j := range c.s.Raw {
			if r := &c.s.Raw[j]; r.Member == m.Name {
				r.Member, r.Error, src = "", msg, sourceOf(r.Command)
			}
		}
		c.fail(src, m.Name, errors.New(msg))
	}
	for i := len(c.members) - 1; i >= 0; i-- {
		if len(c.members[i].Data) > maxMemberSize {
			drop(i, fmt.Sprintf("more than the %d a bundle member may hold", maxMemberSize))
		}
	}
	over := func() bool { return len(c.members) > maxMembers || total > maxMembersSize }
	const why = "the bundle would be over its limits"
	for i := len(c.members) - 1; i >= 0 && over(); i-- {
		if strings.HasPrefix(c.members[i].Name, "slmgr/") && c.members[i].Name != c.osStrings {
			drop(i, why)
		}
	}
	for over() {
		largest := 0
		for i, m := range c.members {
			if len(m.Data) >= len(c.members[largest].Data) {
				largest = i
			}
		}
		drop(largest, why)
	}
}

// step announces s, unless the collection was stopped: the screen then
// shows no step that is not run.
func (c *collection) step(s Step) {
	if c.src.Progress != nil && c.ctx.Err() == nil {
		c.src.Progress(s)
	}
}

// query runs a WMI query and records what is missing or failed. It
// returns nil rows on failure.
func (c *collection) query(ns, class string, props []string, where string) []map[string]interface{} {
	rows, _ := c.queryOK(ns, class, props, where)
	return rows
}

// queryOK is query that also says whether the query succeeded.
func (c *collection) queryOK(ns, class string, props []string, where string) ([]map[string]interface{}, bool) {
	if c.src.WMI == nil {
		return nil, false // recorded once, in Collect
	}
	if c.ctx.Err() != nil {
		return nil, false // stopped: Collect returns no snapshot
	}
	rows, missing, err := c.src.WMI.Query(ns, class, props, where)
	for _, p := range missing {
		c.s.Missing = append(c.s.Missing, class+"."+p)
	}
	switch {
	case errors.Is(err, ErrNoClass):
		c.s.Missing = append(c.s.Missing, class)
		return nil, false
	case err != nil:
		c.fail(licensing.SourceWMI, class, err)
		return nil, false
	}
	return rows, true
}

func (c *collection) fail(src licensing.Source, what string, err error) {
	c.s.Errors = append(c.s.Errors, licensing.SourceError{Source: src, What: what, Error: err.Error()})
}

func (c *collection) os() {
	rows := c.query(cimv2, "Win32_OperatingSystem", []string{"Caption", "Version", "BuildNumber", "CSDVersion",
		"OperatingSystemSKU", "OSArchitecture", "InstallDate", "LastBootUpTime", "OSLanguage", "CodeSet", "CSName"}, "")
	o := &c.s.OS
	if len(rows) > 0 {
		r := row(rows[0])
		o.Caption = strings.TrimSpace(r.str("Caption"))
		o.Version, o.Build, o.ServicePack = r.str("Version"), r.str("BuildNumber"), r.str("CSDVersion")
		o.SKU = r.intp("OperatingSystemSKU")
		o.Architecture = r.str("OSArchitecture")
		o.InstallDate, o.LastBoot = r.time("InstallDate"), r.time("LastBootUpTime")
		o.Language, o.CodePage = r.str("OSLanguage"), r.str("CodeSet")
		o.Hostname = r.str("CSName")
		o.Source = licensing.SourceWMI
	}
	if o.Hostname == "" && c.src.Host != nil {
		o.Hostname = c.src.Host.Hostname()
	}
}

func (c *collection) hardware() {
	h := &c.s.Hardware
	if rows := c.query(cimv2, "Win32_ComputerSystem", []string{"Manufacturer", "Model", "Domain", "PartOfDomain", "Workgroup"}, ""); len(rows) > 0 {
		r := row(rows[0])
		h.Manufacturer, h.Model = r.str("Manufacturer"), r.str("Model")
		h.Source = licensing.SourceWMI
		c.s.Domain = licensing.Domain{Joined: r.bool("PartOfDomain"), Name: r.str("Domain"), Workgroup: r.str("Workgroup")}
	}
	if rows := c.query(cimv2, "Win32_BIOS", []string{"SerialNumber", "ReleaseDate"}, ""); len(rows) > 0 {
		r := row(rows[0])
		h.Serial, h.FirmwareDate = strings.TrimSpace(r.str("SerialNumber")), r.time("ReleaseDate")
	}
	if rows := c.query(cimv2, "Win32_ComputerSystemProduct", []string{"UUID"}, ""); len(rows) > 0 {
		h.UUID = row(rows[0]).str("UUID")
	}
	if c.src.Host == nil {
		return
	}
	h.FirmwareType = c.src.Host.FirmwareType()
	// Presence only: the MSDM table holds the OEM product key, which is
	// never read (DOMAIN.md).
	if ok, err := c.src.Host.FirmwareTable("MSDM"); err != nil {
		c.fail(licensing.SourceFiles, "firmware MSDM table", err)
	} else {
		h.FirmwareKey = ok
	}
	if ok, err := c.src.Host.FirmwareTable("SLIC"); err != nil {
		c.fail(licensing.SourceFiles, "firmware SLIC table", err)
	} else {
		h.SLIC = &ok
	}
}

func (c *collection) storage() {
	for _, r := range c.query(cimv2, "Win32_DiskDrive", []string{"Model", "Size"}, "") {
		c.s.Disks = append(c.s.Disks, licensing.Disk{Model: row(r).str("Model"), SizeBytes: row(r).int64("Size")})
	}
	sysDrive := "C:"
	if c.src.Host != nil {
		sysDrive = c.src.Host.SystemDrive()
	}
	for _, r := range c.query(cimv2, "Win32_LogicalDisk", []string{"DeviceID", "FileSystem", "Size", "FreeSpace"}, "DriveType = 3") {
		rr := row(r)
		name := rr.str("DeviceID")
		c.s.Volumes = append(c.s.Volumes, licensing.Volume{Name: name, FileSystem: rr.str("FileSystem"),
			SizeBytes: rr.int64("Size"), FreeBytes: rr.int64("FreeSpace"), System: strings.EqualFold(name, sysDrive)})
	}
	// Needs administrator; a denial is recorded and BitLocker stays "".
	for _, r := range c.query(bitlocker, "Win32_EncryptableVolume", []string{"DriveLetter", "ProtectionStatus", "ConversionStatus"}, "") {
		rr := row(r)
		state := bitLockerState(rr.intp("ProtectionStatus"), rr.intp("ConversionStatus"))
		for i := range c.s.Volumes {
			if strings.EqualFold(c.s.Volumes[i].Name, rr.str("DriveLetter")) {
				c.s.Volumes[i].BitLocker = state
			}
		}
	}
}

// bitLockerState reads Win32_EncryptableVolume: ConversionStatus 0 fully
// decrypted, 1 fully encrypted, 2 encrypting, 3 decrypting; an encrypted
// volume with protection suspended is still "on" for imaging.
func bitLockerState(protection, conversion *int) string {
	switch {
	case conversion != nil && *conversion == 2:
		return "encrypting"
	case conversion != nil && *conversion == 3:
		return "decrypting"
	case conversion != nil && *conversion == 1, protection != nil && *protection == 1:
		return "on"
	case conversion != nil && *conversion == 0:
		return "off"
	}
	return ""
}

var serviceProps = []string{"Version", "KeyManagementServiceMachine", "IsKeyManagementServiceMachine",
	"VLActivationInterval", "VLRenewalInterval", "RemainingWindowsReArmCount"}

// services reads SoftwareLicensingService and OfficeSoftwareProtectionService
// and returns the SPP version ("6.1.7601.17514" on Windows 7).
func (c *collection) services() string {
	version := ""
	props := append(append([]string{}, serviceProps...), "OA3xOriginalProductKeyDescription")
	// OA3xOriginalProductKey is a full product key: never asked for.
	rows, ok := c.queryOK(cimv2, "SoftwareLicensingService", props, "")
	if ok && len(rows) == 0 {
		// Windows always has one instance; none means the class is
		// not really there (Wine answers an empty set).
		c.s.Missing = append(c.s.Missing, "SoftwareLicensingService")
	}
	for _, r := range rows {
		rr := row(r)
		version = rr.str("Version")
		svc := service(licensing.KindWindows, rr)
		svc.FirmwareKeyDescription = rr.str("OA3xOriginalProductKeyDescription")
		c.s.Hardware.FirmwareKeyDescription = svc.FirmwareKeyDescription
		if svc.FirmwareKeyDescription != "" {
			c.s.Hardware.FirmwareKey = true
		}
		c.s.Services = append(c.s.Services, svc)
	}
	for _, r := range c.query(cimv2, "OfficeSoftwareProtectionService", serviceProps[:5], "") {
		c.s.Services = append(c.s.Services, service(licensing.KindOffice, row(r)))
	}
	return version
}

func service(kind licensing.Kind, r row) licensing.Service {
	return licensing.Service{Kind: kind, Version: r.str("Version"), KMSMachine: r.str("KeyManagementServiceMachine"),
		IsKMSHost: r.bool("IsKeyManagementServiceMachine"), ActivationInterval: r.intp("VLActivationInterval"),
		RenewalInterval: r.intp("VLRenewalInterval"), RemainingWindowsRearm: r.intp("RemainingWindowsReArmCount"),
		Source: licensing.SourceWMI}
}

// productProps are the SoftwareLicensingProduct properties of every
// version from Windows 7; productProps8 those Windows 8 added
// (DOMAIN.md). Naming one the class lacks fails the whole query.
var (
	productProps = []string{"ID", "ApplicationID", "Name", "Description", "PartialProductKey", "ProductKeyID",
		"LicenseStatus", "LicenseStatusReason", "GracePeriodRemaining", "EvaluationEndDate", "OfflineInstallationId",
		"KeyManagementServiceMachine", "KeyManagementServicePort", "DiscoveredKeyManagementServiceMachineName",
		"DiscoveredKeyManagementServiceMachinePort", "VLActivationInterval", "VLRenewalInterval", "LicenseIsAddon"}
	productProps8 = []string{"ProductKeyChannel", "VLActivationType", "VLActivationTypeEnabled", "KeyManagementServiceLookupDomain",
		"DiscoveredKeyManagementServiceMachineIpAddress", "ADActivationObjectName", "RemainingSkuReArmCount"}
)

// products reads the installed products of SPP and, where present, OSPP.
// The property set follows the SPP version: "6.1" is Windows 7.
func (c *collection) products(version string) {
	props := productProps
	if version != "" && !strings.HasPrefix(version, "6.1.") && !strings.HasPrefix(version, "6.0.") {
		props = append(append([]string{}, productProps...), productProps8...)
	}
	// Enumerating every SKU takes tens of seconds on old machines: ask
	// only for the installed ones.
	where := "PartialProductKey IS NOT NULL"
	for _, r := range c.query(cimv2, "SoftwareLicensingProduct", props, where) {
		if p, ok := product(row(r)); ok {
			p.Class = licensing.ClassSPP
			c.s.Products = append(c.s.Products, p)
		}
	}
	for _, r := range c.query(cimv2, "OfficeSoftwareProtectionProduct", productProps, where) {
		if p, ok := product(row(r)); ok {
			p.Class = licensing.ClassOSPP
			c.s.Products = append(c.s.Products, p)
		}
	}
}

// product maps one licensing row. A row without a partial key is an
// uninstalled SKU, unless the property itself is missing (Wine).
func product(r row) (licensing.Product, bool) {
	if v, present := r["PartialProductKey"]; present && (v == nil || r.str("PartialProductKey") == "") {
		return licensing.Product{}, false
	}
	p := licensing.Product{
		ApplicationID: r.str("ApplicationID"), SKUID: r.str("ID"), Name: r.str("Name"), Description: r.str("Description"),
		PartialKey: r.str("PartialProductKey"), ExtendedPID: r.str("ProductKeyID"), IsAddon: r.bool("LicenseIsAddon"),
		OfflineInstallationID: r.str("OfflineInstallationId"), ADActivation: r.str("ADActivationObjectName"),
		// The type used for the last activation, and the type configured
		// (slmgr's "Configured Activation Type"): pkg/licensing Product.
		VLActivationType: r.intp("VLActivationType"), VLActivationTypeEnabled: r.intp("VLActivationTypeEnabled"),
		RemainingSKURearm: r.intp("RemainingSkuReArmCount"),
		Source:            licensing.SourceWMI,
	}
	p.Kind = licensing.KindOf(p.ApplicationID, p.Name)
	p.Status = licensing.StatusUnknown
	if n := r.intp("LicenseStatus"); n != nil {
		p.Status = licensing.StatusFromNumber(*n)
		p.StatusRaw = strconv.Itoa(*n)
	}
	if n := r.intp("LicenseStatusReason"); n != nil {
		p.StatusReason = uint32(*n)
		if rs, ok := licensing.LookupReason(p.StatusReason); ok {
			p.ReasonText = rs.English
		}
	}
	p.GraceMinutes = r.intp("GracePeriodRemaining")
	if t := r.time("EvaluationEndDate"); t != nil && t.Year() > 1601 {
		p.EvaluationEnd = t
	}
	if pkc := r.str("ProductKeyChannel"); pkc != "" {
		p.ChannelRaw, p.Channel = pkc, licensing.ChannelFromProductKeyChannel(pkc)
	} else {
		p.ChannelRaw, p.Channel = licensing.DescriptionToken(p.Description), licensing.ChannelFromDescription(p.Description)
	}
	k := licensing.KMS{ConfiguredHost: r.str("KeyManagementServiceMachine"), ConfiguredPort: r.int("KeyManagementServicePort"),
		LookupDomain: r.str("KeyManagementServiceLookupDomain"), DiscoveredHost: r.str("DiscoveredKeyManagementServiceMachineName"),
		DiscoveredPort: r.int("DiscoveredKeyManagementServiceMachinePort"), DiscoveredIP: r.str("DiscoveredKeyManagementServiceMachineIpAddress"),
		ActivationInterval: r.intp("VLActivationInterval"), RenewalInterval: r.intp("VLRenewalInterval")}
	if p.Channel == licensing.ChannelGVLK || p.Channel == licensing.ChannelCSVLK || k.HasHost() {
		p.KMS = &k
	}
	return p, true
}

// text runs slmgr.vbs and ospp.vbs, keeps their raw output and fills what
// WMI could not give.
func (c *collection) text() {
	if c.src.Host == nil || c.src.Run == nil {
		return
	}
	sys := c.src.Host.SystemDir()
	c.copyStrings(sys)
	cscript := winJoin(sys, "cscript.exe")
	vbs := winJoin(sys, "slmgr.vbs")
	dlv := c.run("raw/slmgr-dlv.txt", "slmgr.vbs /dlv all", cscript, "//nologo", "//U", vbs, "/dlv", "all")
	xpr := c.run("raw/slmgr-xpr.txt", "slmgr.vbs /xpr", cscript, "//nologo", "//U", vbs, "/xpr")
	c.mergeText(licensing.KindWindows, dlv, licensing.SourceSlmgr)
	if xpr != nil {
		c.mergeExpiry(xpr)
	}
	seen := map[string]bool{}
	n := 0
	for _, dir := range c.src.Host.OfficeDirs() {
		f := winJoin(dir, "ospp.vbs")
		if seen[strings.ToLower(f)] || !c.src.Host.Exists(f) {
			continue
		}
		seen[strings.ToLower(f)] = true
		n++
		out := c.run(fmt.Sprintf("raw/ospp-%d.txt", n), "ospp.vbs /dstatus ("+dir+")", cscript, "//nologo", "//U", f, "/dstatus")
		c.mergeText(licensing.KindOffice, out, licensing.SourceOSPP)
	}
}

// copyStrings copies every non-English slmgr.ini into the bundle and
// keeps the one of the OS language for parsing.
func (c *collection) copyStrings(sys string) {
	files, err := c.src.Host.Glob(winJoin(sys, "slmgr", "*", "slmgr.ini"))
	if err != nil {
		c.fail(licensing.SourceFiles, "slmgr.ini", err)
		return
	}
	sort.Strings(files) // so that fit leaves out the same ones every run
	want := ""
	if lcid, err := strconv.Atoi(c.s.OS.Language); err == nil {
		want = fmt.Sprintf("%04X", lcid)
	}
	for _, f := range files {
		dir := winBase(winDir(f))
		if strings.EqualFold(dir, "0409") {
			continue
		}
		data, err := c.src.Host.ReadFile(f)
		if err != nil {
			c.fail(licensing.SourceFiles, "slmgr.ini "+dir, err)
			continue
		}
		c.members = append(c.members, bundle.Member{Name: "slmgr/" + dir + "/slmgr.ini", Data: data})
		st, err := slmgr.ParseStrings(data, dir)
		if err != nil {
			c.fail(licensing.SourceFiles, "slmgr.ini "+dir, err)
			continue
		}
		if strings.EqualFold(dir, want) {
			c.osStrings = "slmgr/" + dir + "/slmgr.ini"
			c.strings = append([]*slmgr.Strings{st}, c.strings...)
		} else {
			c.strings = append(c.strings, st)
		}
	}
}

// run runs one command under the time limit, keeps its output as a member
// and records it; it returns nil when there is no output.
func (c *collection) run(member, what, name string, args ...string) []byte {
	if c.ctx.Err() != nil {
		return nil // stopped: Collect returns no snapshot
	}
	c.step(Step{Part: StepScript, Command: what, Limit: c.src.Timeout})
	ctx, cancel := context.WithTimeout(c.ctx, c.src.Timeout)
	defer cancel()
	out, err := c.src.Run.Run(ctx, name, args...)
	raw := licensing.RawOutput{Member: member, Command: what}
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("no answer within %s: %w", c.src.Timeout, ctx.Err())
	}
	if err != nil {
		raw.Error = err.Error()
		c.fail(sourceOf(what), what, err)
	}
	if len(out) == 0 {
		if err == nil {
			raw.Error = "no output"
		}
		c.s.Raw = append(c.s.Raw, raw)
		return nil
	}
	c.members = append(c.members, bundle.Member{Name: member, Data: out})
	c.s.Raw = append(c.s.Raw, raw)
	return out
}

func sourceOf(what string) licensing.Source {
	if strings.HasPrefix(what, "ospp") {
		return licensing.SourceOSPP
	}
	return licensing.SourceSlmgr
}

// mergeText parses slmgr/ospp output. Products WMI did not give are
// added from the text; products WMI gave get the facts it lacked.
func (c *collection) mergeText(kind licensing.Kind, out []byte, src licensing.Source) {
	if out == nil {
		return
	}
	res, err := slmgr.Parse(out, slmgr.Options{Strings: c.strings, Source: src})
	if err != nil {
		if !errors.Is(err, slmgr.ErrNoProducts) {
			c.fail(src, "parsing "+string(src)+" output", err)
		}
		return
	}
	class := licensing.ClassSPP
	if src == licensing.SourceOSPP {
		class = licensing.ClassOSPP
	}
	for _, tp := range res.Products {
		if tp.Kind != kind && kind == licensing.KindOffice && tp.Kind != licensing.KindOther {
			continue
		}
		tp.Class = class // slmgr.vbs reads SPP, ospp.vbs OSPP
		if i := c.find(tp); i >= 0 {
			p := &c.s.Products[i]
			fill(p, tp, c.readKMS(*p))
			continue
		}
		if !c.hasWMIProducts(tp.Kind) {
			c.s.Products = append(c.s.Products, tp)
		}
	}
}

// hasWMIProducts reports whether WMI gave products of kind; then text
// products that match none of them are SKUs WMI filtered out, not new ones.
func (c *collection) hasWMIProducts(kind licensing.Kind) bool {
	for _, p := range c.s.Products {
		if p.Kind == kind && p.Source == licensing.SourceWMI && p.PartialKey != "" {
			return true
		}
	}
	return false
}

// find returns the index of the product the text product tp describes,
// or -1: the one of its Activation ID; else, for a text without one
// (/dli), the one of its partial key; else the one row whose properties
// WMI lacked (Wine), which names no product, and whose state as WMI read
// it is tp's. Each way is tried over every product before the next, and
// the last two only where one product fits: the first of two was a
// guess that gave one product's name and key to the other's state, and
// a row of another Activation ID is another product.
func (c *collection) find(tp licensing.Product) int {
	if tp.SKUID != "" {
		for i, p := range c.s.Products {
			if strings.EqualFold(p.SKUID, tp.SKUID) {
				return i
			}
		}
	}
	if tp.PartialKey != "" {
		if i := c.only(func(p licensing.Product) bool {
			return strings.EqualFold(p.PartialKey, tp.PartialKey) && p.Kind == tp.Kind && (p.SKUID == "" || tp.SKUID == "")
		}); i >= 0 {
			return i
		}
	}
	return c.only(func(p licensing.Product) bool {
		return p.Source == licensing.SourceWMI && p.SKUID == "" && p.PartialKey == "" && p.Name == "" && p.Kind == tp.Kind && agrees(p, tp)
	})
}

// agrees reports whether the text product tp says of the license status
// and channel what WMI read of p, where both say something.
func agrees(p, tp licensing.Product) bool {
	if p.StatusRaw != "" && tp.Status != licensing.StatusUnknown && p.Status != tp.Status {
		return false
	}
	known := func(c licensing.Channel) bool { return c != "" && c != licensing.ChannelUnknown }
	return p.ChannelRaw == "" || !known(p.Channel) || !known(tp.Channel) || p.Channel == tp.Channel
}

// only returns the index of the one product that fits, or -1 when none
// or more than one does.
func (c *collection) only(fits func(licensing.Product) bool) int {
	found := -1
	for i, p := range c.s.Products {
		if !fits(p) {
			continue
		}
		if found >= 0 {
			return -1
		}
		found = i
	}
	return found
}

// readKMS reports whether WMI read p's KMS facts: p is a WMI row and its
// class has the KMS host properties (every Windows has them; Wine's
// classes lack them). Then a KMS nil is WMI's fact, no KMS client and
// no host, that a text must not undo.
func (c *collection) readKMS(p licensing.Product) bool {
	if p.Source != licensing.SourceWMI {
		return false
	}
	class := p.Class.ProductClass()
	for _, m := range c.s.Missing {
		if m == class+".KeyManagementServiceMachine" || m == class+".DiscoveredKeyManagementServiceMachineName" {
			return false
		}
	}
	return true
}

// fill copies into p the facts of tp that p lacks: the text is evidence
// and a fallback, never over what WMI read. A value WMI read that the
// model does not know (a LicenseStatus after 6, a new channel) stays,
// raw, and so does a status reason of none (0) when WMI read the status
// with it, LicenseStatusReason being in the same row. readKMS says that
// WMI read p's KMS properties: then its KMS, or none, is WMI's. The
// text's KMS block goes only to a product whose channel, as WMI read
// it, may have one: slmgr.vbs prints it for a KMS client
// (DisplayAllInformation, pkg/slmgr/testdata/constructed/SOURCES.md)
// and a KMS host, so one beside a retail or MAK product WMI read is
// another product's.
func fill(p *licensing.Product, tp licensing.Product, readKMS bool) {
	kmsChannel := p.ChannelRaw == "" || p.Channel == licensing.ChannelGVLK || p.Channel == licensing.ChannelCSVLK
	set := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	set(&p.SKUID, tp.SKUID)
	set(&p.Name, tp.Name)
	set(&p.Description, tp.Description)
	set(&p.PartialKey, tp.PartialKey)
	set(&p.ExtendedPID, tp.ExtendedPID)
	set(&p.ExpiresText, tp.ExpiresText)
	if p.Class == "" {
		p.Class = tp.Class
	}
	if p.Kind == licensing.KindOther {
		p.Kind = tp.Kind
	}
	if (p.Channel == "" || p.Channel == licensing.ChannelUnknown) && p.ChannelRaw == "" {
		p.Channel, p.ChannelRaw = tp.Channel, tp.ChannelRaw
	}
	if p.StatusRaw == "" { // WMI gave no LicenseStatus, nor its reason
		if p.Status == "" || p.Status == licensing.StatusUnknown {
			p.Status, p.StatusRaw = tp.Status, tp.StatusRaw
		}
		if p.StatusReason == 0 {
			p.StatusReason, p.ReasonText = tp.StatusReason, tp.ReasonText
		}
	}
	if p.GraceMinutes == nil {
		p.GraceMinutes = tp.GraceMinutes
	}
	if p.Expires == nil {
		p.Expires = tp.Expires
	}
	if p.KMS == nil && !readKMS && kmsChannel {
		p.KMS = tp.KMS
	}
	// The configured type and the type used, each where WMI gave none
	// (Wine; a text gives the type used only as 1, from its AD block).
	// The activation object's name only with a type used of AD, as WMI
	// gives it (ADActivationObjectName is empty otherwise): an AD block
	// beside a product WMI read as activated by KMS is of another
	// moment, and its name would make the product AD-activated.
	if p.VLActivationTypeEnabled == nil {
		p.VLActivationTypeEnabled = tp.VLActivationTypeEnabled
	}
	if p.VLActivationType == nil {
		p.VLActivationType = tp.VLActivationType
	}
	if p.VLActivationType != nil && *p.VLActivationType == 1 {
		set(&p.ADActivation, tp.ADActivation)
	}
}

// mergeExpiry adds the /xpr expiry text to the Windows product it
// describes: the one of its name, or, when the text names none (its name
// line lost), the Windows OS product (osProduct).
func (c *collection) mergeExpiry(out []byte) {
	res, err := slmgr.Parse(out, slmgr.Options{Strings: c.strings, Source: licensing.SourceSlmgr})
	if err != nil {
		return
	}
	for _, tp := range res.Products {
		if tp.ExpiresText == "" {
			continue // permanent, or a status without a date
		}
		for _, i := range c.xprProducts(tp.Name) {
			if p := &c.s.Products[i]; p.ExpiresText == "" {
				p.ExpiresText, p.Expires = tp.ExpiresText, tp.Expires
			}
		}
	}
}

// xprProducts returns the indexes of the Windows products an /xpr block
// named name describes: those of that name, or, for no name, the one
// Windows OS product (osProduct).
func (c *collection) xprProducts(name string) []int {
	if name == "" {
		if i, ok := c.osProduct(); ok {
			return []int{i}
		}
		return nil
	}
	var out []int
	for i, p := range c.s.Products {
		if p.Kind == licensing.KindWindows && p.Name == name {
			out = append(out, i)
		}
	}
	return out
}

// osProduct returns the index of the Windows OS product: the Windows row
// with a key that is not an add-on, which slmgr /xpr and /ato act on
// when given no Activation ID (DOMAIN.md "Reading the state": the
// primary Windows product is the row with the Windows ApplicationID and
// LicenseIsAddon false; WHERE PartialProductKey IS NOT NULL). false when
// there is none, or more than one: a fact of one of them must not be
// given to the other.
func (c *collection) osProduct() (int, bool) {
	found := -1
	for i, p := range c.s.Products {
		if p.Kind != licensing.KindWindows || p.IsAddon || p.NotInUse || p.PartialKey == "" {
			continue
		}
		if found >= 0 {
			return 0, false
		}
		found = i
	}
	return found, found >= 0
}

// winJoin joins Windows path elements with backslashes: the paths are
// the target machine's, whatever system runs the tests.
func winJoin(elem ...string) string {
	return strings.Join(elem, `\`)
}

func winDir(p string) string {
	if i := strings.LastIndexAny(p, `\/`); i >= 0 {
		return p[:i]
	}
	return ""
}

func winBase(p string) string {
	return p[strings.LastIndexAny(p, `\/`)+1:]
}

func (c *collection) imageBackups() {
	if c.src.Host == nil {
		return
	}
	for _, v := range c.s.Volumes {
		dir := v.Name + `\WindowsImageBackup`
		if c.src.Host.Exists(dir) {
			c.s.ImageBackups = append(c.s.ImageBackups, dir)
		}
	}
}
