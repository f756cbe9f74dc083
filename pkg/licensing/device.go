package licensing

import "strings"

// junkIDs are placeholders firmware ships instead of a real UUID or serial.
var junkIDs = []string{"", "0", "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
	"03000200-0400-0500-0006-000700080009", "TO BE FILLED BY O.E.M.", "DEFAULT STRING", "SYSTEM SERIAL NUMBER",
	"NONE", "N/A", "NOT APPLICABLE", "NOT SPECIFIED", "INVALID", "123456789", "0123456789", "CHASSIS SERIAL NUMBER"}

func realID(s string) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, j := range junkIDs {
		if u == j {
			return ""
		}
	}
	if strings.Trim(u, "0-") == "" || strings.Trim(u, "F-") == "" {
		return ""
	}
	return u
}

// DeviceKey identifies the device of a snapshot (docs/importer.md,
// "Device identity"): "hw:UUID/SERIAL" when the hardware has a real SMBIOS
// UUID or BIOS serial, else "loc:site/line/asset/host" in lower case. A
// machine moved to another line, or reinstalled, keeps its history.
func DeviceKey(s *Snapshot) string {
	uuid, serial := realID(s.Hardware.UUID), realID(s.Hardware.Serial)
	if uuid != "" || serial != "" {
		return "hw:" + uuid + "/" + serial
	}
	parts := []string{s.Context.Site, s.Context.Line, s.Context.Asset, s.OS.Hostname}
	for i, p := range parts {
		parts[i] = strings.ToLower(strings.TrimSpace(p))
	}
	return "loc:" + strings.Join(parts, "/")
}
