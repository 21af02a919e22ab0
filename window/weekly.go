package window

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

const week = 7 * day

// WeekdayHours is a time-of-day window on chosen weekdays in a zone, as in
// kured (--reboot-days, --start-time, --end-time, --time-zone) and
// system-upgrade-controller's spec.window. A window opens at Start on each
// chosen day and closes at End the same day, or, when End is before Start,
// at End the next day (wrapping past midnight). Both ends are wall-clock
// times resolved with the DST policy described on [RRule]. Windows that
// touch (e.g. Mon 22:00-24:00 and Tue 00:00-06:00) are merged; a schedule
// open all week is [Always].
type WeekdayHours struct {
	// Days are the days on which a window opens; empty means every day.
	Days []time.Weekday
	// Start is the opening time of day, in [0, 24h).
	Start time.Duration
	// End is the closing time of day, in [0, 24h] and not equal to Start;
	// End < Start wraps past midnight.
	End time.Duration
	// Location is the zone of the wall clock; nil means UTC.
	Location *time.Location
}

// Validate reports every problem with w, each naming its field.
func (w WeekdayHours) Validate() error {
	var errs []error
	for i, d := range w.Days {
		if d < time.Sunday || d > time.Saturday {
			errs = append(errs, errf(fmt.Sprintf("Days[%d]", i), "%d is not a weekday (0 Sunday to 6 Saturday)", int(d)))
		}
	}
	if w.Start < 0 || w.Start >= 24*time.Hour {
		errs = append(errs, errf("Start", "%v is outside [0, 24h)", w.Start))
	}
	if w.End < 0 || w.End > 24*time.Hour {
		errs = append(errs, errf("End", "%v is outside [0, 24h]", w.End))
	}
	if w.End == w.Start {
		errs = append(errs, errf("End", "%v equals Start (an empty window)", w.End))
	}
	if w.Start%time.Second != 0 || w.End%time.Second != 0 {
		errs = append(errs, errors.New("window: Start, End: not whole seconds"))
	}
	return errors.Join(errs...)
}

// Schedule returns the windows of w, or the errors of [WeekdayHours.Validate].
func (w WeekdayHours) Schedule() (Schedule, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	days := w.Days
	if len(days) == 0 {
		days = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
	}
	s, e := int64(w.Start/time.Second), int64(w.End/time.Second)
	if e < s {
		e += day
	}
	var spans []span
	for _, d := range days {
		base := int64((int(d)+6)%7) * day // Monday = 0
		spans = append(spans, span{base + s, base + e})
	}
	return newWeekSpans(spans, orUTC(w.Location)), nil
}

// span is [s, e) in wall seconds from Monday 00:00.
type span struct{ s, e int64 }

// weekSpans repeats wall-clock spans every week.
type weekSpans struct {
	spans []span // sorted, disjoint, not touching, s in [0, week), e <= next s (+week for the last)
	loc   *time.Location
}

// newWeekSpans normalises spans (each shorter than a week, s >= 0) and
// returns their weekly schedule, or Always when they cover the whole week.
func newWeekSpans(in []span, loc *time.Location) Schedule {
	var parts []span
	for _, sp := range in {
		sp.s, sp.e = sp.s%week, sp.e-sp.s+sp.s%week
		if sp.e > week {
			parts = append(parts, span{sp.s, week}, span{0, sp.e - week})
		} else {
			parts = append(parts, sp)
		}
	}
	slices.SortFunc(parts, func(a, b span) int { return int(a.s - b.s) })
	var merged []span
	for _, p := range parts {
		if n := len(merged); n > 0 && p.s <= merged[n-1].e {
			merged[n-1].e = max(merged[n-1].e, p.e)
			continue
		}
		merged = append(merged, p)
	}
	if len(merged) == 1 && merged[0].s == 0 && merged[0].e == week {
		return Always
	}
	if n := len(merged); n > 1 && merged[0].s == 0 && merged[n-1].e == week {
		merged[n-1].e = week + merged[0].e
		merged = merged[1:]
	}
	return weekSpans{spans: merged, loc: loc}
}

func (ws weekSpans) Next(t time.Time) (Interval, bool) {
	z := zone{loc: ws.loc}
	x := t.Unix()
	wx := z.wallOf(x)
	days := floorDiv(wx, day)
	monday := (days - int64((weekdayOf(days)+6)%7)) * day
	for b := monday - week; b <= monday+2*week; b += week {
		for _, sp := range ws.spans {
			if b+sp.e < wx-26*hour {
				continue
			}
			os, oe := z.resolve(b+sp.s), z.resolve(b+sp.e)
			if oe > x && oe > os {
				return Interval{Start: utc(os), End: utc(oe)}, true
			}
		}
	}
	return Interval{}, false
}
