package bundle

// Limits bound what [Open] will read, so that a hostile or broken bundle
// (a decompression bomb, a tar with millions of members) costs a bounded
// amount of memory and time. A zero field means its default.
type Limits struct {
	MaxTotalSize    int64  // sum of member sizes, bytes; default 64 MiB
	MaxMemberSize   int64  // one member, bytes; default 16 MiB
	MaxManifestSize int64  // manifest.json, bytes; default 1 MiB
	MaxMembers      int    // members besides the manifest; default 256
	MaxWindow       uint64 // zstd window, bytes; default 8 MiB (the format's SHOULD)
}

// Default limits. A typical bundle is tens of KiB; the defaults leave two to
// three orders of magnitude of room and still fit a 32-bit importer.
const (
	DefaultMaxTotalSize    = 64 << 20
	DefaultMaxMemberSize   = 16 << 20
	DefaultMaxManifestSize = 1 << 20
	DefaultMaxMembers      = 256
	DefaultMaxWindow       = 8 << 20
)

// withDefaults returns l with every zero field set to its default.
func (l Limits) withDefaults() Limits {
	if l.MaxTotalSize <= 0 {
		l.MaxTotalSize = DefaultMaxTotalSize
	}
	if l.MaxMemberSize <= 0 {
		l.MaxMemberSize = DefaultMaxMemberSize
	}
	if l.MaxManifestSize <= 0 {
		l.MaxManifestSize = DefaultMaxManifestSize
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = DefaultMaxMembers
	}
	if l.MaxWindow == 0 {
		l.MaxWindow = DefaultMaxWindow
	}
	return l
}

// maxStream is the most decompressed tar bytes a bundle within l can take:
// the members and the manifest, a header block and padding per member
// (PAX headers included, generously), and the end-of-archive record.
func (l Limits) maxStream() int64 {
	return l.MaxTotalSize + l.MaxManifestSize + int64(l.MaxMembers+1)*4096 + 64<<10
}
