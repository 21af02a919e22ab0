// Package rfc5545 bounds recurrence rules to what rrule-go expands
// correctly: it panics on some ordinals it accepts and on year 0, and
// silently lists nothing for others. window and channel both check their
// rules here, so the bounds live in one place.
package rfc5545

import (
	"fmt"
	"time"

	"github.com/teambition/rrule-go"
)

// MinYear and MaxYear bound a rule's DTSTART: rrule-go panics when it
// expands year 0 and lists nothing from year 1, and RFC 3339 writes no year
// past 9999. No maintenance schedule or release cadence starts outside them.
const (
	MinYear = 1900
	MaxYear = 9999
)

// CheckStart reports a DTSTART outside MinYear to MaxYear.
func CheckStart(t time.Time) error {
	if y := t.Year(); y < MinYear || y > MaxYear {
		return fmt.Errorf("the year %d is outside %d to %d", y, MinYear, MaxYear)
	}
	return nil
}

// CheckByDay reports the numeric BYDAY values of opt that RFC 5545 section
// 3.3.10 does not allow: an ordinal ("2TU", "-1FR") only with FREQ=MONTHLY
// or YEARLY, not with YEARLY and BYWEEKNO, and within the period it counts
// in: -5 to 5 in a month (MONTHLY, or YEARLY with BYMONTH), -53 to 53 in a
// year.
func CheckByDay(opt *rrule.ROption) error {
	period, limit := "year", 53
	if opt.Freq == rrule.MONTHLY || len(opt.Bymonth) > 0 {
		period, limit = "month", 5
	}
	for _, wd := range opt.Byweekday {
		n := wd.N()
		if n == 0 {
			continue
		}
		switch {
		case opt.Freq != rrule.MONTHLY && opt.Freq != rrule.YEARLY:
			return fmt.Errorf("BYDAY=%s: a numbered weekday needs FREQ=MONTHLY or YEARLY", byDay(wd))
		case opt.Freq == rrule.YEARLY && len(opt.Byweekno) > 0:
			return fmt.Errorf("BYDAY=%s: a numbered weekday cannot go with BYWEEKNO", byDay(wd))
		case n < -limit || n > limit:
			return fmt.Errorf("BYDAY=%s: %d is outside -%d to %d: a %s has at most %d of each weekday", byDay(wd), n, limit, limit, period, limit)
		}
	}
	return nil
}

func byDay(wd rrule.Weekday) string {
	return fmt.Sprintf("%d%s", wd.N(), [...]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}[wd.Day()])
}
