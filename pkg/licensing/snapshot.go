package licensing

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	// Schema names this version of the snapshot. The part after the slash
	// is the major version: a reader rejects a major it does not know and
	// ignores fields it does not know.
	Schema = "actcourier-device/1"

	// MemberName is the bundle member that holds the snapshot.
	MemberName = "device.json"
)

var (
	// ErrNotSnapshot means the data is not a device snapshot.
	ErrNotSnapshot = errors.New("licensing: not a device snapshot")
	// ErrUnsupportedSchema means the snapshot has a major version this
	// program does not read: a newer collector wrote it.
	ErrUnsupportedSchema = errors.New("licensing: unsupported snapshot schema")
)

// shownSchema is a snapshot's schema as an error quotes it (%q): its
// first 64 bytes and its length when it is longer. A forged bundle's
// device.json may give a schema of a megabyte, a few hundred bytes
// compressed, and an import keeps the error of every input it rejects
// until its summary (TestUnmarshalErrorBounded).
func shownSchema(s string) string {
	const max = 64
	if len(s) <= max {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%q… (%d bytes)", s[:max], len(s))
}

// Snapshot is everything one collection learned about one device.
type Snapshot struct {
	Schema   string    `json:"schema"`
	Context  Context   `json:"context"`
	OS       OS        `json:"os"`
	Hardware Hardware  `json:"hardware"`
	Domain   Domain    `json:"domain"`
	Disks    []Disk    `json:"disks,omitempty"`
	Volumes  []Volume  `json:"volumes,omitempty"`
	Products []Product `json:"products"`
	Services []Service `json:"services,omitempty"`
	// ImageBackups lists WindowsImageBackup folders the collector saw.
	ImageBackups []string `json:"image_backups,omitempty"`
	// Raw lists the bundle members that hold raw command output.
	Raw []RawOutput `json:"raw,omitempty"`
	// Missing lists WMI classes and properties this Windows lacks, as
	// "Class" or "Class.Property"; none is fatal.
	Missing []string `json:"missing,omitempty"`
	// Errors lists every source that failed, with its error.
	Errors []SourceError `json:"errors,omitempty"`
}

// Context is who collected, where, when and with what.
type Context struct {
	Site      string    `json:"site"`
	Line      string    `json:"line"`
	Asset     string    `json:"asset,omitempty"`
	Engineer  string    `json:"engineer,omitempty"`
	Note      string    `json:"note,omitempty"`
	Collector string    `json:"collector"`    // program and version
	Collected time.Time `json:"collected_at"` // device clock, with its UTC offset
	// CollectorBuilt is when the collector's source was committed; a
	// collection older than its collector is implausible.
	CollectorBuilt *time.Time `json:"collector_built,omitempty"`
	TimeZone       string     `json:"time_zone,omitempty"`
	// Sources says where the context facts came from (config, operator, flag).
	Sources map[string]Source `json:"sources,omitempty"`
}

// OS describes the installed Windows.
type OS struct {
	Caption      string     `json:"caption,omitempty"` // "Microsoft Windows 7 Professional"
	Version      string     `json:"version,omitempty"` // "6.1.7601"
	Build        string     `json:"build,omitempty"`
	ServicePack  string     `json:"service_pack,omitempty"`
	SKU          *int       `json:"sku,omitempty"` // OperatingSystemSKU
	Edition      string     `json:"edition,omitempty"`
	Architecture string     `json:"architecture,omitempty"` // "64-bit"
	InstallDate  *time.Time `json:"install_date,omitempty"`
	LastBoot     *time.Time `json:"last_boot,omitempty"`
	Language     string     `json:"language,omitempty"`  // OSLanguage LCID, e.g. "1041"
	CodePage     string     `json:"code_page,omitempty"` // "932"
	Hostname     string     `json:"hostname,omitempty"`
	Source       Source     `json:"source,omitempty"`
}

// Hardware describes the machine and its firmware.
type Hardware struct {
	Manufacturer string     `json:"manufacturer,omitempty"`
	Model        string     `json:"model,omitempty"`
	Serial       string     `json:"serial,omitempty"`
	UUID         string     `json:"uuid,omitempty"`          // SMBIOS UUID
	FirmwareType string     `json:"firmware_type,omitempty"` // "BIOS", "UEFI"
	FirmwareDate *time.Time `json:"firmware_date,omitempty"`
	// FirmwareKey says whether the firmware holds an OEM product key (MSDM
	// table) and its description; the key itself is never read.
	FirmwareKey            bool   `json:"firmware_key,omitempty"`
	FirmwareKeyDescription string `json:"firmware_key_description,omitempty"`
	// SLIC says whether an OEM SLIC marker (Windows 7 OEM:SLP) exists; nil
	// when unknown.
	SLIC   *bool  `json:"slic,omitempty"`
	Source Source `json:"source,omitempty"`
}

// Domain is domain membership.
type Domain struct {
	Joined    bool   `json:"joined"`
	Name      string `json:"name,omitempty"` // domain or workgroup
	Workgroup string `json:"workgroup,omitempty"`
}

// Disk is one physical disk.
type Disk struct {
	Model     string `json:"model,omitempty"`
	SizeBytes int64  `json:"size_bytes"`
}

// Volume is one mounted volume.
type Volume struct {
	Name       string `json:"name"` // "C:"
	FileSystem string `json:"file_system,omitempty"`
	SizeBytes  int64  `json:"size_bytes"`
	FreeBytes  int64  `json:"free_bytes"`
	System     bool   `json:"system,omitempty"` // holds Windows
	// BitLocker: "off", "on", "encrypting", "decrypting", or "" when it
	// could not be read (needs administrator).
	BitLocker string `json:"bitlocker,omitempty"`
}

// Service is a licensing service: SoftwareLicensingService or
// OfficeSoftwareProtectionService.
type Service struct {
	Kind                   Kind   `json:"kind"`
	Version                string `json:"version,omitempty"`
	KMSMachine             string `json:"kms_machine,omitempty"`
	IsKMSHost              bool   `json:"is_kms_host,omitempty"`
	ActivationInterval     *int   `json:"activation_interval_minutes,omitempty"`
	RenewalInterval        *int   `json:"renewal_interval_minutes,omitempty"`
	RemainingWindowsRearm  *int   `json:"remaining_windows_rearm,omitempty"`
	FirmwareKeyDescription string `json:"firmware_key_description,omitempty"`
	Source                 Source `json:"source,omitempty"`
}

// RawOutput names a bundle member holding raw output of a command.
type RawOutput struct {
	Member  string `json:"member"`
	Command string `json:"command"` // e.g. "slmgr.vbs /dlv all"
	Error   string `json:"error,omitempty"`
}

// SourceError records a source that failed; collection goes on.
type SourceError struct {
	Source Source `json:"source"`
	What   string `json:"what"` // e.g. "SoftwareLicensingProduct"
	Error  string `json:"error"`
}

// Marshal encodes s as indented JSON with the current schema.
func Marshal(s *Snapshot) ([]byte, error) {
	c := *s
	c.Schema = Schema
	if c.Products == nil {
		c.Products = []Product{}
	}
	b, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Unmarshal decodes a snapshot and checks it against the bounds (bounds.go):
// it returns ErrNotSnapshot for data that is not one, ErrUnsupportedSchema
// for a major version it does not know, and ErrTooLarge for one over a
// limit. Numbers and dates out of range are read as unknown and noted in
// Errors; strings are cut to MaxString bytes. Every reader of a snapshot,
// at import and from the database, sees the same checked values.
func Unmarshal(data []byte) (*Snapshot, error) {
	if len(data) > MaxSnapshotSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxSnapshotSize)
	}
	return UnmarshalString(string(data))
}

// UnmarshalString is Unmarshal of a snapshot held as a string, as a
// database returns one. The snapshot's strings are copies: none keeps
// data alive.
func UnmarshalString(data string) (*Snapshot, error) {
	if len(data) > MaxSnapshotSize {
		return nil, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxSnapshotSize)
	}
	// JSON is UTF-8 (RFC 8259), and what a collector writes always is;
	// Go's decoder would read other bytes as U+FFFD and keep them in the
	// stored text, which PostgreSQL refuses.
	if !utf8.ValidString(data) {
		return nil, fmt.Errorf("%w: not UTF-8 text", ErrNotSnapshot)
	}
	// One decode in the common case; the schema is checked after it, and
	// only a failed decode is looked at again for a schema to blame.
	// decodeFast reads what Marshal writes; anything else, encoding/json.
	var s Snapshot
	var err error
	fast, long := decodeFast(data, &s)
	if !fast {
		s = Snapshot{}
		// encoding/json makes every element of a list before a count can
		// be checked: a list (or map) over the largest bound is refused
		// before it reads one (widest).
		if n := widest(data); n > MaxNotes {
			err = fmt.Errorf("%w: a list of %d values, at most %d", ErrTooLarge, n, MaxNotes)
		} else {
			err = json.Unmarshal([]byte(data), &s)
		}
	}
	schema := s.Schema
	if err != nil {
		var head struct {
			Schema string `json:"schema"`
		}
		if json.Unmarshal([]byte(data), &head) != nil {
			return nil, fmt.Errorf("%w: %v", ErrNotSnapshot, err)
		}
		schema = head.Schema
	}
	name, major, ok := strings.Cut(schema, "/")
	if !ok || name != "actcourier-device" {
		return nil, fmt.Errorf("%w: schema %s", ErrNotSnapshot, shownSchema(schema))
	}
	if major != "1" && !strings.HasPrefix(major, "1.") {
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedSchema, shownSchema(schema))
	}
	if errors.Is(err, ErrTooLarge) {
		return nil, err // once the schema is known to be one this program reads
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotSnapshot, err)
	}
	if err := s.bound(); err != nil {
		return nil, err
	}
	if !fast {
		// What decodeFast learns as it reads, from the text: a NUL can
		// only come from a \u0000 escape, JSON holding no raw control
		// character.
		long = longString(data, MaxString) || strings.Contains(data, `\u0000`)
	}
	s.clean(long)
	return &s, nil
}

// PrimaryWindows returns the primary Windows product: the Windows row that
// is not an add-on (ESU rows are add-ons) and has a key in use, or nil.
func (s *Snapshot) PrimaryWindows() *Product {
	for i := range s.Products {
		p := &s.Products[i]
		if p.Kind == KindWindows && !p.IsAddon && !p.NotInUse {
			return p
		}
	}
	return nil
}
