package store

import (
	"sync"

	"modernc.org/libc"
)

// pinAllocator keeps one block of each of the C allocator's size classes
// allocated for the life of the process.
//
// modernc.org/sqlite copies every bound text and blob into C memory and
// frees it after the statement; its allocator (modernc.org/memory) hands
// out blocks of a size class from a page (1 MiB on Linux) and unmaps the
// page as soon as its last block is freed. An import binds thousands of
// values a second, each batch emptying the pages the last one mapped:
// mmap, munmap and fresh pages to fault in cost about a tenth of the
// import's CPU time. A block held in each class keeps its page mapped,
// and the next batch's blocks are taken from it. What it costs is one
// page per class, mapped once (on Windows, where pages are 64 KiB and
// blocks over 16 KiB are pages of their own, those four are under
// 512 KiB, once). Measured with the bench's 10,000 bundles: the import's
// system time halves and its wall time falls by a quarter.
var pinOnce sync.Once

func pinAllocator() {
	pinOnce.Do(func() {
		tls := libc.NewTLS() // never closed: the blocks stay allocated
		for log := 4; log <= 18; log++ {
			libc.Xmalloc(tls, 1<<log) // 16 bytes to 256 KiB: the classes that share pages
		}
	})
}
