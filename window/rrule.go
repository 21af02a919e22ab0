package window

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/patchsim/patchsim/internal/rfc5545"
)

// RRule is an RFC 5545 recurrence rule plus a window length in an IANA
// zone, as in GKE recurring maintenance windows: a window opens at every
// occurrence and lasts Duration (exact elapsed time).
//
// # DST policy
//
// Occurrences are computed on the wall clock of Location and then turned
// into instants following RFC 5545 §3.3.5, for every zoned kind in this
// package ([RRule], [Cron], [WeekdayHours]):
//   - a wall time that does not exist (a spring-forward gap) is read with
//     the UTC offset in force before the gap: 02:30 on a day when
//     America/New_York jumps from 02:00 to 03:00 is 03:30 EDT (07:30 UTC);
//   - a wall time that occurs twice (a fall-back overlap) is its first
//     occurrence: 01:30 on the day New York falls back is 01:30 EDT.
//
// So a daily 01:30 rule yields exactly one window per day, and an hourly
// rule skips the repeated hour. time.Date, which leaves both cases
// unspecified, is never relied on.
type RRule struct {
	// Rule is the RRULE value, e.g. "FREQ=WEEKLY;BYDAY=SA,SU" (an "RRULE:"
	// prefix is accepted). FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or
	// HOURLY. UNTIL is read as a wall-clock time in Location. DTSTART
	// belongs in Start, not in Rule.
	Rule string
	// Start is DTSTART: its wall-clock fields (year to second) are read in
	// Location; its own location is ignored. Required.
	Start time.Time
	// Duration is the window length; it must be positive and whole seconds.
	Duration time.Duration
	// Location is the zone of the wall clock; nil means UTC.
	Location *time.Location
}

// Validate reports every problem with r, each naming its field.
func (r RRule) Validate() error {
	_, err := r.parse()
	return err
}

func (r RRule) parse() (*rrule.RRule, error) {
	var errs []error
	if r.Start.IsZero() {
		errs = append(errs, errf("Start", "required (DTSTART)"))
	} else if err := rfc5545.CheckStart(r.Start); err != nil {
		errs = append(errs, errf("Start", "%s: %v", r.Start.Format(time.RFC3339), err))
	}
	errs = append(errs, checkDuration("Duration", r.Duration))
	text := strings.TrimPrefix(strings.TrimSpace(r.Rule), "RRULE:")
	var rule *rrule.RRule
	switch {
	case text == "":
		errs = append(errs, errf("Rule", "required"))
	case strings.ContainsAny(text, "\n\r") || strings.Contains(strings.ToUpper(text), "DTSTART"):
		errs = append(errs, errf("Rule", "%q: give DTSTART in Start, and only one rule", r.Rule))
	default:
		opt, err := rrule.StrToROption(text)
		if err != nil {
			errs = append(errs, errf("Rule", "%q: %v", r.Rule, err))
			break
		}
		if opt.Freq > rrule.HOURLY {
			errs = append(errs, errf("Rule", "%q: FREQ=%v is finer than HOURLY (use Cron for minute steps)", r.Rule, opt.Freq))
			break
		}
		if err := rfc5545.CheckByDay(opt); err != nil {
			errs = append(errs, errf("Rule", "%q: %v", r.Rule, err))
			break
		}
		y, mo, d := r.Start.Date()
		h, mi, s := r.Start.Clock()
		opt.Dtstart = time.Date(y, mo, d, h, mi, s, 0, time.UTC)
		if !opt.Until.IsZero() {
			opt.Until = time.Date(opt.Until.Year(), opt.Until.Month(), opt.Until.Day(), opt.Until.Hour(), opt.Until.Minute(), opt.Until.Second(), 0, time.UTC)
		}
		if rule, err = rrule.NewRRule(*opt); err != nil {
			errs = append(errs, errf("Rule", "%q: %v", r.Rule, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return rule, nil
}

// Schedule returns the windows of r, or the errors of [RRule.Validate].
// Windows are clipped where the next occurrence starts, so they never
// overlap. Occurrences are expanded with rrule-go in chunks and cached; the
// schedule is safe for concurrent use (a mutex guards the cache).
func (r RRule) Schedule() (Schedule, error) {
	rule, err := r.parse()
	if err != nil {
		return nil, err
	}
	return occurrences{seq: &rruleSeq{rule: rule}, dur: int64(r.Duration / time.Second), loc: orUTC(r.Location)}, nil
}

// rruleChunk is the number of occurrences expanded per cache refill.
const rruleChunk = 256

// rruleSeq caches a window of consecutive occurrences (wall seconds) and
// keeps the iterator that produced them, so that queries with increasing
// times continue the expansion instead of restarting it at DTSTART.
type rruleSeq struct {
	rule *rrule.RRule

	mu   sync.Mutex
	it   rrule.Next // positioned after occ; nil before the first expansion
	occ  []int64    // consecutive occurrences, sorted
	done bool       // it is exhausted: occ ends with the last occurrence
	// lo is a wall second such that occ holds every occurrence from lo
	// up to its last element.
	lo int64
}

func (q *rruleSeq) next(w int64) (int64, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.it == nil || w < q.lo {
		q.it, q.occ, q.done, q.lo = q.rule.Iterator(), q.occ[:0], false, minWall
	}
	for {
		if n := len(q.occ); n > 0 && q.lo <= w {
			if w <= q.occ[n-1] {
				return q.occ[lowerBound(q.occ, w)], true
			}
		}
		if q.done {
			if len(q.occ) == 0 || w > q.occ[len(q.occ)-1] {
				return 0, false
			}
		}
		q.refill(w)
	}
}

// minWall is below every wall second rrule-go can produce.
const minWall = -1 << 62

// refill expands the next chunk of occurrences: it keeps the last few
// cached ones (queries step back by up to a window length), skips ahead
// to w with bounded memory, and stops rruleChunk occurrences past w.
func (q *rruleSeq) refill(w int64) {
	const keep = 16
	if n := len(q.occ); n > keep {
		q.occ = q.occ[:copy(q.occ, q.occ[n-keep:])]
	}
	if len(q.occ) > 0 {
		q.lo = q.occ[0]
	}
	for ahead := 0; ahead < rruleChunk; {
		t, ok := q.it()
		if !ok {
			q.done = true
			return
		}
		x := t.Unix()
		if x >= w {
			ahead++
		}
		q.occ = append(q.occ, x)
		if ahead == 0 && len(q.occ) > 4*rruleChunk {
			q.occ = q.occ[:copy(q.occ, q.occ[len(q.occ)-keep:])]
			q.lo = q.occ[0]
		}
	}
}

// lowerBound returns the index of the first element of s at or above x.
func lowerBound(s []int64, x int64) int {
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
