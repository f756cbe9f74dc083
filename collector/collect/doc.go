// Package collect gathers one device's licensing state into a
// licensing.Snapshot and the raw evidence beside it.
//
// WMI comes first; the machine's own slmgr.vbs and ospp.vbs output is kept
// as evidence and fills what WMI could not give, each fact marked with its
// source. Nothing here is fatal: a missing class or property, a failing or
// hanging command, a denied BitLocker query is recorded in the snapshot
// and collection goes on. The sources are interfaces so that every error
// path is tested with fakes on any system; sources_windows.go holds the
// live ones.
package collect
