package slmgr

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dateRe is a short date and an optional time. The AM/PM designator
// follows the time in en-US and ja-JP, and precedes it in ko-KR
// ("2026-12-24 오후 3:00:00") and zh-TW ("2026/12/24 下午 03:00:00").
var dateRe = regexp.MustCompile(`^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T]+` + ampm + `?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*` + ampm + `?)?$`)

const ampm = `(AM|PM|am|pm|午前|午後|上午|下午|오전|오후)`

// parseDate reads a date as slmgr and ospp print it: in the machine's
// short-date format, which the text does not name. It accepts y/m/d,
// d/m/y and m/d/y with '/', '.' or '-', 12 or 24 hours. When day and month
// cannot be told apart (both 12 or less, and not y/m/d) it returns ok
// false rather than guess; the text is kept beside it. The time is taken
// as UTC, since the output carries no zone.
func parseDate(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	m := dateRe.FindStringSubmatch(s)
	if m == nil || m[4] != "" && m[8] != "" {
		return time.Time{}, false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	c, _ := strconv.Atoi(m[3])
	var y, mo, d int
	switch {
	case len(m[1]) == 4: // yyyy/mm/dd
		y, mo, d = a, b, c
	case len(m[3]) == 4:
		y = c
		switch {
		case a > 12 && b <= 12:
			d, mo = a, b
		case b > 12 && a <= 12:
			mo, d = a, b
		case a == b:
			d, mo = a, b
		case strings.Contains(s, "."):
			d, mo = a, b // dd.mm.yyyy is the only dotted order in use
		default:
			return time.Time{}, false
		}
	default:
		return time.Time{}, false
	}
	hh, mm, ss := 0, 0, 0
	if m[5] != "" {
		hh, _ = strconv.Atoi(m[5])
		mm, _ = strconv.Atoi(m[6])
		ss, _ = strconv.Atoi(m[7])
		switch m[4] + m[8] {
		case "PM", "pm", "午後", "下午", "오후":
			if hh < 12 {
				hh += 12
			}
		case "AM", "am", "午前", "上午", "오전":
			if hh == 12 {
				hh = 0
			}
		}
	}
	if mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, false
	}
	t = time.Date(y, time.Month(mo), d, hh, mm, ss, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}
