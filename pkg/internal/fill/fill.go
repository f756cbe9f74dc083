// Package fill sets every exported field under a value, for the tests
// that hold code written by hand to what encoding/json does by reflection
// (the report's JSON encoder, the snapshot decoder): a field added to a
// struct is filled too, so a test fails until the code knows it.
package fill

import (
	"reflect"
	"time"
)

// Filler draws its choices from Data (repeated) and its strings from
// Strs: pointers nil or set, slices nil, empty or of one to three
// elements, maps nil, empty or of up to two entries keyed from Keys
// (Strs when empty), numbers and times from a few that test the edges.
type Filler struct {
	Data []byte
	Strs []string
	Keys []string
	at   int
}

func (f *Filler) next(n int) int {
	if len(f.Data) == 0 {
		return 0
	}
	c := int(f.Data[f.at%len(f.Data)]) + f.at/len(f.Data)
	f.at++
	return c % n
}

var (
	ints  = []int64{0, 1, -1, 42, 1 << 31, -1 << 40, 1<<63 - 1, -1 << 63}
	times = []time.Time{
		time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("", 9*3600)),
		time.Date(2010, 1, 2, 3, 4, 5, 123456789, time.UTC),
		time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.FixedZone("", -(5*3600+30*60))),
	}
	timeType = reflect.TypeOf(time.Time{})
)

// Fill sets v and everything under it; it panics on a kind it has no
// rule for, which fails the test that needs one.
func (f *Filler) Fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.Strs[f.next(len(f.Strs))])
	case reflect.Bool:
		v.SetBool(f.next(2) == 1)
	case reflect.Int, reflect.Int64, reflect.Int32:
		n := ints[f.next(len(ints))]
		if v.OverflowInt(n) {
			n = int64(int32(n))
		}
		v.SetInt(n)
	case reflect.Uint32:
		v.SetUint(uint64(uint32(ints[f.next(len(ints))])))
	case reflect.Ptr:
		if f.next(3) > 0 {
			p := reflect.New(v.Type().Elem())
			f.Fill(p.Elem())
			v.Set(p)
		}
	case reflect.Slice:
		if n := f.next(5); n > 0 {
			s := reflect.MakeSlice(v.Type(), n-1, n-1)
			for i := 0; i < s.Len(); i++ {
				f.Fill(s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Map:
		if n := f.next(4); n > 0 {
			keys := f.Keys
			if len(keys) == 0 {
				keys = f.Strs
			}
			m := reflect.MakeMap(v.Type())
			for i := 1; i < n; i++ {
				k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
				k.SetString(keys[f.next(len(keys))])
				f.Fill(e)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(times[f.next(len(times))]))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				f.Fill(v.Field(i))
			}
		}
	default:
		panic("fill: no rule for " + v.Type().String())
	}
}
