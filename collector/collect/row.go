package collect

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// row reads WMI values whatever type the source gave: WMI returns uint64
// as strings and datetimes as CIM_DATETIME strings.
type row map[string]interface{}

func (r row) str(k string) string {
	switch v := r[k].(type) {
	case nil:
		return ""
	case string:
		return v
	case []interface{}:
		var parts []string
		for _, x := range v {
			parts = append(parts, fmt.Sprint(x))
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(v)
	}
}

func (r row) intp(k string) *int {
	switch v := r[k].(type) {
	case int64:
		n := int(v)
		return &n
	case int:
		return &v
	case float64:
		n := int(v)
		return &n
	case bool:
		return nil
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			i := int(n)
			return &i
		}
	}
	return nil
}

func (r row) int(k string) int {
	if p := r.intp(k); p != nil {
		return *p
	}
	return 0
}

func (r row) int64(k string) int64 {
	switch v := r[k].(type) {
	case int64:
		return v
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		return n
	}
	return int64(r.int(k))
}

func (r row) bool(k string) bool {
	switch v := r[k].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true")
	}
	return false
}

// time reads a CIM_DATETIME, "20200114093000.000000+540" (offset in
// minutes), or a time the source already converted.
func (r row) time(k string) *time.Time {
	switch v := r[k].(type) {
	case time.Time:
		return &v
	case string:
		if t, ok := cimTime(v); ok {
			return &t
		}
	}
	return nil
}

func cimTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 14 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", s[:14])
	if err != nil {
		return time.Time{}, false
	}
	if len(s) >= 25 && (s[21] == '+' || s[21] == '-') {
		if off, err := strconv.Atoi(s[22:25]); err == nil {
			if s[21] == '-' {
				off = -off
			}
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", off*60))
		}
	}
	return t, true
}
