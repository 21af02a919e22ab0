package window

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// Cron is a cron expression plus a window length, as in Karpenter
// disruption budgets: a window opens at every time the expression matches,
// read on the wall clock of Location, and lasts Duration. Nonexistent and
// repeated wall times follow the package DST policy (see [RRule]).
type Cron struct {
	// Expr has 5 fields "minute hour day-of-month month day-of-week" or is
	// one of @yearly (@annually), @monthly, @weekly, @daily (@midnight),
	// @hourly. Fields take *, ?, n, a-b, lists a,b and steps */s, a-b/s,
	// a/s; months JAN-DEC and weekdays SUN-SAT by name too; day-of-week 0
	// and 7 are Sunday. When both day fields are restricted (neither starts
	// with * or ?) a day matches either, as in Vixie cron.
	Expr string
	// Duration is the window length; it must be positive and whole seconds.
	Duration time.Duration
	// Location is the zone of the wall clock; nil means UTC.
	Location *time.Location
}

// Validate reports every problem with c, each naming its field.
func (c Cron) Validate() error {
	_, err := parseCron(c.Expr)
	return errors.Join(err, checkDuration("Duration", c.Duration))
}

// Schedule returns the windows of c, or the errors of [Cron.Validate].
func (c Cron) Schedule() (Schedule, error) {
	spec, err := parseCron(c.Expr)
	if err := errors.Join(err, checkDuration("Duration", c.Duration)); err != nil {
		return nil, err
	}
	return occurrences{seq: spec, dur: int64(c.Duration / time.Second), loc: orUTC(c.Location)}, nil
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

func checkDuration(field string, d time.Duration) error {
	switch {
	case d <= 0:
		return errf(field, "%v is not positive", d)
	case d%time.Second != 0:
		return errf(field, "%v is not a whole number of seconds", d)
	}
	return nil
}

// cronSpec holds one bit per allowed value of each field.
type cronSpec struct {
	minute, hour, dom, month, dow uint64
	domStar, dowStar              bool
}

var cronMacros = map[string]string{
	"@yearly":   "0 0 1 1 *",
	"@annually": "0 0 1 1 *",
	"@monthly":  "0 0 1 * *",
	"@weekly":   "0 0 * * 0",
	"@daily":    "0 0 * * *",
	"@midnight": "0 0 * * *",
	"@hourly":   "0 * * * *",
}

type cronField struct {
	name     string
	min, max int
	names    []string // names[i] is value min+i
}

var cronFields = [5]cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day-of-week", min: 0, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
}

func parseCron(expr string) (*cronSpec, error) {
	src := strings.TrimSpace(expr)
	if strings.HasPrefix(src, "@") {
		m, ok := cronMacros[strings.ToLower(src)]
		if !ok {
			return nil, errf("Expr", "unknown macro %q (allowed: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)", src)
		}
		src = m
	}
	fields := strings.Fields(src)
	if len(fields) != 5 {
		return nil, errf("Expr", "%q has %d fields, want 5 (minute hour day-of-month month day-of-week)", expr, len(fields))
	}
	var masks [5]uint64
	var stars [5]bool
	var errs []error
	for i, f := range fields {
		m, star, err := parseCronField(f, cronFields[i])
		errs = append(errs, err)
		masks[i], stars[i] = m, star
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if masks[4]&(1<<7) != 0 {
		masks[4] = masks[4]&^(1<<7) | 1
	}
	s := &cronSpec{minute: masks[0], hour: masks[1], dom: masks[2], month: masks[3], dow: masks[4], domStar: stars[2], dowStar: stars[4]}
	if !s.domStar && s.dowStar && !s.someMonthHasDay() {
		return nil, errf("Expr", "%q never matches: no chosen month has a chosen day of the month", expr)
	}
	return s, nil
}

// someMonthHasDay reports whether some chosen month has a chosen day in
// some year (February has 29 days in leap years).
func (s *cronSpec) someMonthHasDay() bool {
	for m := 1; m <= 12; m++ {
		if s.month&(1<<m) == 0 {
			continue
		}
		n := daysIn(2000, m) // 2000 is a leap year
		if s.dom&(uint64(1)<<(n+1)-1) != 0 {
			return true
		}
	}
	return false
}

func parseCronField(f string, spec cronField) (mask uint64, star bool, err error) {
	star = strings.HasPrefix(f, "*") || strings.HasPrefix(f, "?")
	var errs []error
	for _, item := range strings.Split(f, ",") {
		m, err := parseCronItem(item, spec)
		if err != nil {
			errs = append(errs, &FieldError{Path: "Expr", Err: fmt.Errorf("%s field %q: %w", spec.name, item, err)})
		}
		mask |= m
	}
	return mask, star, errors.Join(errs...)
}

func parseCronItem(item string, spec cronField) (uint64, error) {
	rng, stepText, hasStep := strings.Cut(item, "/")
	step := 1
	if hasStep {
		n, err := strconv.Atoi(stepText)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("step %q is not a positive integer", stepText)
		}
		step = n
	}
	lo, hi := spec.min, spec.max
	switch {
	case rng == "*" || rng == "?":
	case strings.Contains(rng, "-"):
		a, b, _ := strings.Cut(rng, "-")
		var err error
		if lo, err = cronValue(a, spec); err != nil {
			return 0, err
		}
		if hi, err = cronValue(b, spec); err != nil {
			return 0, err
		}
		if hi < lo {
			return 0, fmt.Errorf("range end %d is before its start %d", hi, lo)
		}
	default:
		v, err := cronValue(rng, spec)
		if err != nil {
			return 0, err
		}
		lo = v
		if !hasStep {
			hi = v
		}
	}
	var m uint64
	for v := lo; v <= hi; v += step {
		m |= 1 << v
	}
	return m, nil
}

func cronValue(s string, spec cronField) (int, error) {
	for i, n := range spec.names {
		if strings.EqualFold(s, n) {
			return spec.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if v < spec.min || v > spec.max {
		return 0, fmt.Errorf("%d is outside %d to %d", v, spec.min, spec.max)
	}
	return v, nil
}

// nextBit returns the lowest set bit of m at or above i, or -1.
func nextBit(m uint64, i int) int {
	if i > 63 {
		return -1
	}
	m >>= uint(i)
	if m == 0 {
		return -1
	}
	return i + bits.TrailingZeros64(m)
}

func (s *cronSpec) dayMatch(y int64, m, d int) bool {
	domOK := s.dom&(1<<d) != 0
	dowOK := s.dow&(1<<weekdayOf(daysFromCivil(y, m, d))) != 0
	if s.domStar || s.dowStar {
		return domOK && dowOK
	}
	return domOK || dowOK
}

// next returns the first matching wall second at or after w (up to year 9999).
func (s *cronSpec) next(w int64) (int64, bool) {
	w = ceilDiv(w, 60) * 60
	days := floorDiv(w, day)
	y, mo, d := civilFromDays(days)
	sod := int(w - days*day)
	h, mi := sod/hour, sod%hour/60
	nextDay := func() {
		h, mi = 0, 0
		if d++; d > daysIn(y, mo) {
			d = 1
			if mo++; mo > 12 {
				mo, y = 1, y+1
			}
		}
	}
	for y <= 9999 {
		if s.month&(1<<mo) == 0 {
			h, mi, d = 0, 0, 1
			if mo++; mo > 12 {
				mo, y = 1, y+1
			}
			continue
		}
		if !s.dayMatch(y, mo, d) {
			nextDay()
			continue
		}
		nh := nextBit(s.hour, h)
		if nh < 0 {
			nextDay()
			continue
		}
		if nh != h {
			h, mi = nh, 0
		}
		nm := nextBit(s.minute, mi)
		if nm < 0 {
			if h++; h == 24 {
				nextDay()
			} else {
				mi = 0
			}
			continue
		}
		return daysFromCivil(y, mo, d)*day + int64(h)*hour + int64(nm)*60, true
	}
	return 0, false
}
