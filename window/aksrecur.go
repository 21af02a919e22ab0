package window

import "time"

const (
	aksDaily = iota
	aksWeekly
	aksAbsoluteMonthly
	aksRelativeMonthly
)

// aksRecurrence is an AKS maintenanceWindow schedule computed arithmetically
// in local seconds (Unix seconds + the fixed offset). Its occurrences are
// those of the RFC 5545 rule with DTSTART = start (weeks start on Monday):
// daily FREQ=DAILY;INTERVAL=n, weekly FREQ=WEEKLY;INTERVAL=n;BYDAY=d,
// absoluteMonthly FREQ=MONTHLY;INTERVAL=n;BYMONTHDAY=d, relativeMonthly
// FREQ=MONTHLY;INTERVAL=n;BYDAY=+k d (Last = -1).
type aksRecurrence struct {
	kind     int
	interval int64
	weekday  int   // Sunday = 0 (weekly, relativeMonthly)
	dom      int   // absoluteMonthly
	nth      int   // 1..4 or -1 (relativeMonthly)
	offset   int64 // seconds east of UTC
	tod      int64 // opening time, seconds after local midnight
	start    int64 // DTSTART, local seconds
	dur      int64 // seconds
}

// maxLocal is the last local second the recurrence produces (end of 9999).
var maxLocal = daysFromCivil(10000, 1, 1)*day - 1

func (r *aksRecurrence) Next(t time.Time) (Interval, bool) {
	q := max(t.Unix()+r.offset-r.dur+1, r.start)
	o, ok := r.first(q)
	if !ok || o > maxLocal {
		return Interval{}, false
	}
	return Interval{Start: utc(o - r.offset), End: utc(o - r.offset + r.dur)}, true
}

// first returns the first occurrence (local seconds) at or after q >= start.
func (r *aksRecurrence) first(q int64) (int64, bool) {
	switch r.kind {
	case aksDaily:
		period := r.interval * day
		return r.start + ceilDiv(q-r.start, period)*period, true
	case aksWeekly:
		period := r.interval * week
		startDay := floorDiv(r.start, day)
		monday := startDay - int64((weekdayOf(startDay)+6)%7)
		// The weekday in DTSTART's week; q >= start skips it when it is
		// before DTSTART.
		o0 := (monday+int64((r.weekday+6)%7))*day + r.tod
		return o0 + max(0, ceilDiv(q-o0, period))*period, true
	}
	y0, m0, _ := civilFromDays(floorDiv(r.start, day))
	mi0 := y0*12 + int64(m0-1)
	yq, mq, _ := civilFromDays(floorDiv(q, day))
	j := max(0, floorDiv(yq*12+int64(mq-1)-mi0, r.interval))
	// Every interval of 1 to 6 months from any month reaches a month with
	// the day within a year; 24 steps is ample.
	for range 24 {
		mi := mi0 + j*r.interval
		y, m := floorDiv(mi, 12), int(mi-floorDiv(mi, 12)*12)+1
		if d, ok := r.dayIn(y, m); ok {
			if o := daysFromCivil(y, m, d)*day + r.tod; o >= q {
				return o, true
			}
		}
		j++
	}
	return 0, false
}

// dayIn returns the day of month y-m on which a monthly recurrence opens.
func (r *aksRecurrence) dayIn(y int64, m int) (int, bool) {
	n := daysIn(y, m)
	if r.kind == aksAbsoluteMonthly {
		return r.dom, r.dom <= n
	}
	if r.nth < 0 {
		wl := weekdayOf(daysFromCivil(y, m, n))
		return n - (wl-r.weekday+7)%7, true
	}
	w1 := weekdayOf(daysFromCivil(y, m, 1))
	return 1 + (r.weekday-w1+7)%7 + 7*(r.nth-1), true
}
