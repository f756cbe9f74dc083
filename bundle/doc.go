// Package bundle reads and writes ActCourier bundles: the one file a
// collector run leaves on the USB stick, carrying one collection from one
// device across the air gap.
//
// A bundle is a tar archive, compressed with zstd and encrypted with age
// to one or more recipients, named <bundle-id>.tar.zst.age with a random
// bundle ID. Anyone holding an identity can open it with standard tools:
//
//	age -d -i key.txt 3f9c….tar.zst.age | zstd -d | tar -t
//
// SPEC.md beside this file is the normative description; testdata/vectors
// holds test vectors for other implementations.
//
// # Writing
//
// [NewWriter] collects members and [Writer.Close] encodes them after the
// manifest. [WriteFile] writes a bundle into a folder so that no partial
// file ever carries the final name.
//
// # Reading
//
// [Open] decrypts and checks a whole bundle in memory, within [Limits], and
// returns a [Bundle] only if every check passed. Failures wrap one of the
// sentinel errors ([ErrWrongKey], [ErrNotBundle], [ErrTampered],
// [ErrTooLarge], [ErrUnsupportedVersion], [ErrManifestMismatch],
// [ErrInsecureMember]), to be tested with errors.Is; an empty file is
// [ErrEmpty] as well as ErrNotBundle.
//
// # What age does and does not promise
//
// age keeps a bundle confidential and detects any change to it, but the
// recipient is public (it sits on the stick in the collector's config), so
// anyone who has it can make a valid bundle. A bundle proves what a
// collector wrote only as far as the stick was in trusted hands.
package bundle
