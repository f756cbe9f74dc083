package bundle

// Limits bound what [Open] will read, so that a hostile or broken bundle
// (a decompression bomb, a tar with millions of members) costs a bounded
// amount of memory and time. A zero field means its default.
type Limits struct {
	MaxTotalSize    int64  // sum of member sizes, bytes; default 16 MiB
	MaxMemberSize   int64  // one member, bytes; default 4 MiB
	MaxManifestSize int64  // manifest.json, bytes; default 64 KiB
	MaxMembers      int    // members besides the manifest; default 64
	MaxWindow       uint64 // zstd window, bytes; default 8 MiB (the format's SHOULD)
}

// Default limits. A real bundle is 2-10 KiB compressed and holds about ten
// members, the largest an `slmgr /dlv all` output of up to a few hundred
// KiB (UTF-16). Anyone holding a stick can write a bundle, and an importer
// keeps every bundle it accepts, whole: the defaults leave an order of
// magnitude of room over the largest genuine output and no more.
const (
	DefaultMaxTotalSize    = 16 << 20
	DefaultMaxMemberSize   = 4 << 20
	DefaultMaxManifestSize = 64 << 10
	DefaultMaxMembers      = 64
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

// maxFile is the largest encrypted file a bundle within l can be: the
// largest stream zstd may hold (incompressible data grows by a few bytes
// per 128 KiB block), age's 16 bytes per 64 KiB chunk, and its header.
func (l Limits) maxFile() int64 {
	s := l.maxStream()
	return s + s/1024 + maxHeader + 64<<10
}
