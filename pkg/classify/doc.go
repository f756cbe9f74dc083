// Package classify turns one device snapshot into a verdict a factory can
// act on: exactly one category (urgent, image-backup, volume-license, ok),
// the reasons for it with their evidence, a suggested volume-license route
// per product, and flags that do not change the category.
//
// Every rule is a row of one table in rules.go, with the source it rests
// on; docs/classification.md is the reader's version of that table. The
// facts behind the rules (which editions have volume keys, end-of-support
// dates, generic keys) are tables in facts.go.
//
// Time matters: grace and evaluation periods are read at collection time
// and projected to an explicit as-of date, so a report printed next month
// says what is true next month.
package classify
