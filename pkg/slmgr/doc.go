// Package slmgr reads saved output of slmgr.vbs (/dli, /dlv, /xpr) and
// ospp.vbs (/dstatus, /act) into licensing products.
//
// # Encodings
//
// [Decode] detects UTF-8, UTF-16 (with or without BOM, as cscript //U
// writes), Shift_JIS (code page 932) and falls back to Windows-1252; CRLF
// or LF.
//
// # Languages
//
// slmgr.vbs takes its labels from slmgr.ini in the machine's language
// (shared/DOMAIN.md). [Parse] matches lines against those resource strings
// by key: English is built in ([English]); another language comes from the
// slmgr.ini the collector copies ([ParseStrings]). With no strings for the
// language, lines are read by the shapes of their values (GUIDs, extended
// PIDs, partial keys, minute counts, HRESULTs, channel tokens) and
// [Result.Unread] names what could not be read. ospp.vbs labels are English
// on every machine.
//
// Lines wrapped at 80 columns are joined; banners, prompts and separators
// are skipped; every other line not understood is kept in
// [Result.Unknown]. Parse never fails on odd input.
package slmgr
