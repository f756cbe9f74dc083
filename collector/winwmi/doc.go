// Package winwmi runs WQL queries through COM on Windows and reads the
// properties one by one, so that a property the class lacks is reported
// as missing instead of failing the whole query.
//
// It is built on go-ole, as github.com/yusufpapurcu/wmi is, rather than on
// that library: its loader reads properties with a plain
// DISPATCH_PROPERTYGET, which Wine 8 answers with E_NOTIMPL, and it builds
// one SELECT from a struct, so one property that a Windows version lacks
// fails the whole query. Real Windows and Wine both accept
// DISPATCH_METHOD|DISPATCH_PROPERTYGET, which this package uses. Nothing
// here runs on other systems.
package winwmi
