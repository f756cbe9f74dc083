// Package licensing holds the device snapshot: what one collection learned
// about one machine's Windows and Office licensing, and the facts that
// decide an image backup. The collector writes it into the bundle as
// device.json ([MemberName]); the importer reads it back. It is versioned
// ([Schema]) and knows nothing of where its facts came from beyond the
// [Source] each one records.
//
// The licensing facts and their meaning follow shared/DOMAIN.md: license
// status numbers, channel tokens, ApplicationIDs and HRESULTs are cited
// there.
package licensing
