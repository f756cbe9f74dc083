// Package fleet is the importer's application layer: it turns bundles and
// saved slmgr/ospp text into stored collections, classifies every device
// of the fleet as of a date, and writes the reports. The importer's
// subcommands are thin adapters from flags to this package; tests and the
// bench call it directly.
//
// # Collections and devices
//
// A [Collection] is one bundle (or one saved text) on its way into the
// store, made by [NewCollection] whatever its origin. A device is its
// hardware ([DeviceKey]); the store keeps every collection of every device
// as history, and the latest one drives verdicts and reports.
//
// # The store
//
// [Store] is what this package needs of a database, no more: storing a
// batch of collections whole or not at all, and reading devices back.
// Package store implements it on SQLite, the embedded default. Nothing
// here assumes SQL.
//
// # Verdicts
//
// A device's verdict depends on the date it is taken at and on its site's
// KMS pool (docs/classification.md); [Verdicts], [Lookup] and [Report]
// count every site's pool over all its devices before classifying any.
//
// docs/architecture.md shows where this package sits among the others.
package fleet
