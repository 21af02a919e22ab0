package window

import (
	"fmt"
	"strings"
	"time"
)

// ParseClock parses a time of day "HH:MM" (the hour may have one digit)
// into the time since midnight. With end set, "24:00" (the end of the day)
// is accepted too: a span's end may be the midnight after its start, as
// kured's endTime and [WeekdayHours.End] may; a start may not. The error
// names the value and the accepted range.
func ParseClock(s string, end bool) (time.Duration, error) {
	last := "23:59"
	if end {
		last = "24:00"
	}
	bad := fmt.Errorf("%q is not HH:MM from 00:00 to %s", s, last)
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 || !isDigits(hh+mm) {
		return 0, bad
	}
	h, m := 0, int(mm[0]-'0')*10+int(mm[1]-'0')
	for _, c := range hh {
		h = h*10 + int(c-'0')
	}
	if m > 59 || h > 24 || (h == 24 && (m > 0 || !end)) {
		return 0, bad
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

// ParseWeekday parses a day of the week: its English name ("Monday") or the
// first three letters ("Mon"), in any case. The error names the value and
// the accepted names.
func ParseWeekday(s string) (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(s, d.String()) || strings.EqualFold(s, d.String()[:3]) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%q is not a day of the week (%s, or their first three letters)", s, weekdayList)
}
