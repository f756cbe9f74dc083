//go:build ignore

// gen writes the device archetypes of testdata/snapshots: one JSON
// snapshot per archetype and, where it was built from a real slmgr/ospp
// output of pkg/slmgr/testdata/samples, that output in <name>.raw/.
// Run from the repository root: go run testdata/snapshots/gen.go
package main

import (
	"crypto/sha256"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/slmgr"
)

const out = "testdata/snapshots"

var collected = time.Date(2026, 11, 2, 10, 15, 0, 0, time.FixedZone("JST", 9*3600))

func ip(n int) *int   { return &n }
func bp(b bool) *bool { return &b }
func tp(s string) *time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		log.Fatal(err)
	}
	return &t
}

func ctx(site, line, asset string) licensing.Context {
	return licensing.Context{Site: site, Line: line, Asset: asset, Engineer: "E-1042",
		Collector: "actcourier-collector archetype", Collected: collected, TimeZone: "JST"}
}

func win7(caption string, sku int) licensing.OS {
	return licensing.OS{Caption: caption, Version: "6.1.7601", Build: "7601", ServicePack: "Service Pack 1", SKU: &sku,
		Architecture: "32-bit", InstallDate: tp("2013-04-01"), Language: "1041", CodePage: "932", Source: licensing.SourceWMI}
}

func win10(caption, build string, sku int) licensing.OS {
	return licensing.OS{Caption: caption, Version: "10.0." + build, Build: build, SKU: &sku, Architecture: "64-bit",
		InstallDate: tp("2022-06-01"), Language: "1041", CodePage: "932", Source: licensing.SourceWMI}
}

func hw(make, model, serial string, slic bool) licensing.Hardware {
	return licensing.Hardware{Manufacturer: make, Model: model, Serial: serial, UUID: uuidOf(serial),
		FirmwareType: "BIOS", FirmwareDate: tp("2012-03-15"), SLIC: bp(slic), Source: licensing.SourceWMI}
}

func vols(sizeGiB, freeGiB int64, bitlocker string) []licensing.Volume {
	return []licensing.Volume{{Name: "C:", FileSystem: "NTFS", SizeBytes: sizeGiB << 30, FreeBytes: freeGiB << 30, System: true, BitLocker: bitlocker}}
}

func wprod(name, desc string, ch licensing.Channel, raw string, key string, st licensing.Status) licensing.Product {
	return licensing.Product{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows, Name: name, Description: desc,
		Channel: ch, ChannelRaw: raw, PartialKey: key, Status: st, StatusRaw: fmt.Sprint(st.Number()), GraceMinutes: ip(0), Source: licensing.SourceWMI}
}

// fromSample parses a real output and returns its products and the raw
// member to keep.
func fromSample(kind, file string) ([]licensing.Product, licensing.RawOutput, []byte) {
	data, err := os.ReadFile(filepath.Join("pkg/slmgr/testdata/samples", kind, file))
	if err != nil {
		log.Fatal(err)
	}
	res, err := slmgr.Parse(data, slmgr.Options{})
	if err != nil {
		log.Fatal(file, err)
	}
	cmd, member := sampleCommand(kind, file)
	return res.Products, licensing.RawOutput{Member: member, Command: cmd + " (real sample " + file + ")"}, data
}

// sampleCommand is the command that printed a real sample, as its file
// name says (SOURCES.md beside it has the whole command line), and the
// member that keeps it, named as the collector names its own. The label
// is what printed the text, not what the collector would have run: a
// /dli sample is not /dlv output. The /dstatus samples' names do not say
// it; the other ospp commands' names start with theirs.
func sampleCommand(kind, file string) (cmd, member string) {
	words := strings.Split(strings.TrimSuffix(file, filepath.Ext(file)), "-")
	switch kind {
	case "slmgr":
		for _, w := range words {
			if w == "dli" || w == "dlv" || w == "xpr" {
				return "slmgr.vbs /" + w, "raw/slmgr-" + w + ".txt"
			}
		}
	case "ospp":
		switch words[0] {
		case "act", "unpkey":
			return "ospp.vbs /" + words[0], "raw/ospp-1.txt"
		case "fragments":
		default:
			return "ospp.vbs /dstatus", "raw/ospp-1.txt"
		}
	}
	log.Fatalf("%s/%s: the name does not say which command printed it", kind, file)
	return "", ""
}

// uuidOf makes a stable, distinct SMBIOS UUID for an archetype.
func uuidOf(serial string) string {
	h := sha256.Sum256([]byte(serial))
	return fmt.Sprintf("%X-%X-%X-%X-%X", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

type archetype struct {
	name string
	s    licensing.Snapshot
	raw  map[string][]byte
}

func main() {
	var all []archetype
	add := func(name string, s licensing.Snapshot, raw map[string][]byte) {
		all = append(all, archetype{name, s, raw})
	}
	wg := licensing.Domain{Name: "WORKGROUP", Workgroup: "WORKGROUP"}

	add("win7-pro-retail", licensing.Snapshot{Context: ctx("Nagoya", "L1", "NG-L1-001"), OS: win7("Microsoft Windows 7 Professional", 48),
		Hardware: hw("Dell Inc.", "OptiPlex 7010", "7XK2Q1S", false), Domain: wg, Volumes: vols(232, 140, "off"),
		Products: []licensing.Product{wprod("Windows(R) 7, Professional edition", "Windows Operating System - Windows(R) 7, RETAIL channel",
			licensing.ChannelRetail, "RETAIL", "7F2QR", licensing.StatusLicensed)}}, nil)

	add("win7-pro-oem-slp", licensing.Snapshot{Context: ctx("Nagoya", "L1", "NG-L1-002"), OS: win7("Microsoft Windows 7 Professional", 48),
		Hardware: hw("FUJITSU", "ESPRIMO D551/G", "YLAT012345", true), Domain: wg, Volumes: vols(465, 300, "off"),
		Products: []licensing.Product{wprod("Windows(R) 7, Professional edition", "Windows Operating System - Windows(R) 7, OEM_SLP channel",
			licensing.ChannelOEMSLP, "OEM_SLP", "2RG93", licensing.StatusLicensed)}}, nil)

	add("posready7", licensing.Snapshot{Context: ctx("Nagoya", "L2", "NG-POS-07"), OS: win7("Windows Embedded POSReady 7", 65),
		Hardware: hw("Toshiba TEC", "ST-A20", "TEC2A20778", false), Domain: wg, Volumes: vols(30, 2, "off"),
		Products: []licensing.Product{wprod("Windows(R) 7, POSReady edition", "Windows Operating System - Windows(R) 7, OEM_COA_NSLP channel",
			licensing.ChannelCOANSLP, "OEM_COA_NSLP", "H8TVC", licensing.StatusLicensed)}}, nil)

	o14 := licensing.Product{Kind: licensing.KindOffice, ApplicationID: licensing.AppOffice14, Name: "Office 14, OfficeProPlus-Retail edition",
		Description: "Office 14, RETAIL channel", Channel: licensing.ChannelRetail, ChannelRaw: "RETAIL", PartialKey: "M4QJX",
		Status: licensing.StatusNotification, StatusRaw: "5", StatusReason: 0xC004F009, ReasonText: "grace period expired", GraceMinutes: ip(0), Source: licensing.SourceWMI}
	mak7 := wprod("Windows(R) 7, Professional edition", "Windows Operating System - Windows(R) 7, VOLUME_MAK channel",
		licensing.ChannelMAK, "VOLUME_MAK", "J9YG3", licensing.StatusLicensed)
	add("win7-office2010-retail-notification", licensing.Snapshot{Context: ctx("Nagoya", "L2", "NG-L2-011"), OS: win7("Microsoft Windows 7 Professional", 48),
		Hardware: hw("HP", "Compaq 8200 Elite SFF", "JPA2130ABC", true), Domain: wg, Volumes: vols(232, 180, "off"),
		Products: []licensing.Product{mak7, o14}}, nil)

	w81 := wprod("Windows(R), Professional edition", "Windows(R) Operating System, OEM_DM channel", licensing.ChannelOEMDM, "OEM:DM", "4DXJK", licensing.StatusLicensed)
	add("win81-pro-oem-dm", licensing.Snapshot{Context: ctx("Nagoya", "L3", "NG-L3-004"),
		OS: licensing.OS{Caption: "Microsoft Windows 8.1 Pro", Version: "6.3.9600", Build: "9600", Architecture: "64-bit", Language: "1041", CodePage: "932", Source: licensing.SourceWMI},
		Hardware: func() licensing.Hardware {
			h := hw("LENOVO", "ThinkCentre M73", "PC0ABCDE", false)
			h.FirmwareType, h.FirmwareKey, h.FirmwareKeyDescription = "UEFI", true, "[4.0] Professional OEM:DM"
			return h
		}(), Domain: wg, Volumes: vols(238, 120, "on"), Products: []licensing.Product{w81}}, nil)

	ltsc := func(asset string, minutes int) licensing.Snapshot {
		p := wprod("Windows(R), IoTEnterpriseS edition", "Windows(R) Operating System, VOLUME_KMSCLIENT channel", licensing.ChannelGVLK, "Volume:GVLK", "KBN8V", licensing.StatusLicensed)
		p.GraceMinutes = ip(minutes)
		p.KMS = &licensing.KMS{ConfiguredHost: "kms01.nagoya.factory", ConfiguredPort: 1688, DiscoveredHost: "kms01.nagoya.factory", ActivationInterval: ip(120), RenewalInterval: ip(10080)}
		return licensing.Snapshot{Context: ctx("Nagoya", "L3", asset), OS: win10("Microsoft Windows 10 IoT Enterprise LTSC", "19044", 191),
			Hardware: hw("Advantech", "UNO-2484G", "AVT"+asset, false), Domain: wg, Volumes: vols(119, 80, "off"), Products: []licensing.Product{p}}
	}
	add("win10-iot-ltsc-kms", ltsc("NG-L3-INS1", 150*24*60), nil)
	add("win10-iot-ltsc-kms-expiring", ltsc("NG-L3-INS2", 9*24*60), nil)

	add("win10-pro-mak", licensing.Snapshot{Context: ctx("Kumamoto", "A", "KM-A-001"), OS: win10("Microsoft Windows 10 Pro", "19045", 48),
		Hardware: hw("Dell Inc.", "OptiPlex 3080", "5KJ2L83", false), Domain: licensing.Domain{Joined: true, Name: "factory.local"}, Volumes: vols(476, 300, "off"),
		Products: []licensing.Product{wprod("Windows(R), Professional edition", "Windows(R) Operating System, VOLUME_MAK channel", licensing.ChannelMAK, "Volume:MAK", "WFG6P", licensing.StatusLicensed)}}, nil)

	add("win11-pro-digital-license", licensing.Snapshot{Context: ctx("Kumamoto", "A", "KM-A-002"), OS: win10("Microsoft Windows 11 Pro", "22631", 48),
		Hardware: hw("ASUSTeK COMPUTER INC.", "PN52", "N3PN52ABC", false), Domain: wg, Volumes: vols(476, 400, "off"),
		Products: []licensing.Product{wprod("Windows(R), Professional edition", "Windows(R) Operating System, RETAIL channel", licensing.ChannelRetail, "Retail", "3V66T", licensing.StatusLicensed)}}, nil)

	add("win10-home", licensing.Snapshot{Context: ctx("Kumamoto", "A", "KM-A-003"), OS: win10("Microsoft Windows 10 Home", "19045", 101),
		Hardware: hw("HP", "ProDesk 400 G6", "JPH123456", false), Domain: wg, Volumes: vols(238, 150, "off"),
		Products: []licensing.Product{wprod("Windows(R), Core edition", "Windows(R) Operating System, OEM_DM channel", licensing.ChannelOEMDM, "OEM:DM", "TX9XD", licensing.StatusLicensed)}}, nil)

	eval := wprod("Windows(R), ServerStandardEval edition", "Windows(R) Operating System, TIMEBASED_EVAL channel", licensing.ChannelEval, "Retail:TB:Eval", "3PXQ6", licensing.StatusLicensed)
	eval.GraceMinutes = ip(100 * 24 * 60)
	eval.EvaluationEnd = tp("2027-02-10")
	add("server2012r2-eval", licensing.Snapshot{Context: ctx("Kumamoto", "A", "KM-SRV-01"),
		OS:       licensing.OS{Caption: "Microsoft Windows Server 2012 R2 Standard Evaluation", Version: "6.3.9600", Build: "9600", Architecture: "64-bit", Language: "1033", CodePage: "1252", Source: licensing.SourceWMI},
		Hardware: hw("Supermicro", "X10SLL-F", "0123456789", false), Domain: wg, Volumes: vols(930, 500, "off"), Products: []licensing.Product{eval}}, nil)

	// WMI broken: only the saved slmgr /dli text exists (a real output).
	products, raw, data := fromSample("slmgr", "win10-pro-oemdm-dli-checkmk.txt")
	broken := licensing.Snapshot{Context: ctx("Kumamoto", "B", "KM-B-007"),
		OS:       licensing.OS{Hostname: "", Source: ""},
		Products: products, Raw: []licensing.RawOutput{raw},
		Errors: []licensing.SourceError{
			{Source: licensing.SourceWMI, What: "WMI", Error: "winwmi: SWbemLocator: Class not registered (0x80040154)"},
		}}
	broken.OS.Caption = ""
	add("wmi-broken-slmgr-only", broken, map[string][]byte{raw.Member: data})

	off16 := licensing.Product{Kind: licensing.KindOffice, ApplicationID: licensing.AppOffice15, Name: "Office 16, Office16StandardVL_KMS_Client edition",
		Description: "Office 16, VOLUME_KMSCLIENT channel", Channel: licensing.ChannelGVLK, ChannelRaw: "Volume:GVLK", PartialKey: "WFG99",
		Status: licensing.StatusLicensed, StatusRaw: "1", GraceMinutes: ip(170 * 24 * 60), Source: licensing.SourceWMI,
		KMS: &licensing.KMS{DiscoveredHost: "kms01.kumamoto.factory", DiscoveredPort: 1688, ActivationInterval: ip(120), RenewalInterval: ip(10080)}}
	add("win10-office2016-standard-kms", licensing.Snapshot{Context: ctx("Kumamoto", "B", "KM-B-010"), OS: win10("Microsoft Windows 10 Pro", "19045", 48),
		Hardware: hw("Dell Inc.", "OptiPlex 5070", "9QW2L83", false), Domain: wg, Volumes: vols(476, 200, "off"),
		Products: []licensing.Product{wprod("Windows(R), Professional edition", "Windows(R) Operating System, VOLUME_MAK channel", licensing.ChannelMAK, "Volume:MAK", "WFG6P", licensing.StatusLicensed), off16}}, nil)

	for _, a := range all {
		a.s.OS.Hostname = "FA-" + a.s.Context.Asset
		b, err := licensing.Marshal(&a.s)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, a.name+".json"), b, 0o644); err != nil {
			log.Fatal(err)
		}
		for member, data := range a.raw {
			p := filepath.Join(out, a.name+".raw", filepath.FromSlash(member))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				log.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				log.Fatal(err)
			}
		}
	}
	fmt.Println(len(all), "archetypes written to", out)
}
