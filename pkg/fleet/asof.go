package fleet

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrDate means an as-of date that is not a date.
var ErrDate = errors.New("fleet: not a date (write YYYY-MM-DD, e.g. 2026-12-01)")

// AsOf reads an as-of date, YYYY-MM-DD in loc, for the commands that read
// the fleet: devices, show and report agree on it. Verdicts are taken at
// the start of that day (grace periods projected to it), and the fleet
// is what it was at its end: until is the start of the next day, so the
// latest collection of each device made on or before that date counts
// and a device first collected later is left out. An empty date is now,
// with every collection (until is zero). Anything else wraps ErrDate.
func AsOf(date string, now time.Time, loc *time.Location) (at, until time.Time, err error) {
	date = strings.TrimSpace(date)
	if date == "" {
		return now, time.Time{}, nil
	}
	at, err = time.ParseInLocation("2006-01-02", date, loc)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: %q", ErrDate, date)
	}
	return at, at.AddDate(0, 0, 1), nil
}
