// Package codepage tells which code page saved console text is in and
// decodes it: UTF-8, UTF-16, GBK/GB18030 (936), Big5 (950), EUC-KR/UHC
// (949), Shift_JIS (932), the Windows-125x and the OEM console code pages
// (866, 850, 852, 437).
//
// The collector never needs it: it runs cscript //U, which writes UTF-16
// whatever the console code page (shared/DOMAIN.md), and slmgr.vbs reads
// its slmgr.ini as Unicode. Text an engineer saved by hand on a machine
// where nothing may run is another matter: "slmgr /dlv > file.txt" writes
// the console's code page, GBK on a Chinese Windows. The importer links
// this package (and x/text's CJK tables) and passes [Decoder] to
// slmgr.Options.Decode; pkg/slmgr itself keeps only what the collector
// needs.
//
// # Detection
//
// Nothing is assumed. A BOM, UTF-16's zero bytes or valid UTF-8 decide
// first. Otherwise every candidate code page that decodes the bytes
// without error is scored: words every such text holds (the cscript banner,
// slmgr and ospp labels) decide when only one code page finds them; else
// how many of the decoded characters fall in the common part of the code
// page (GB2312 level 1, Big5 frequent characters, Hangul syllables, kana
// and JIS level 1 kanji) for the CJK code pages, and how many high bytes
// decode to letters of one script inside words for the single-byte ones.
// When a CJK code page and Windows-1252 (or two CJK code pages) remain
// plausible, [Decode] refuses with an [*UnsureError] that names them,
// rather than garble: the caller then passes the code page by name. A
// text that every CJK code page refuses for its last line only (a stray
// byte after it, a file cut inside its last character) is read as its
// lines before it are, the bad bytes as U+FFFD, as pkg/slmgr's own
// decoder reads UTF-8 and Shift_JIS.
package codepage
