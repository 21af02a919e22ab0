package window_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"
)

var oracleSeed = flag.Uint64("oracle.seed", 20251125, "seed of the random configurations in TestAKSMatchesRRuleOracle")

var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
var rruleDays = []rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}

// randomConfig returns a valid maintenanceWindow and the anchor it uses.
func randomConfig(rng *rand.Rand) (window.MaintenanceWindow, time.Time) {
	w := window.MaintenanceWindow{DurationHours: 4 + rng.IntN(21)}
	switch rng.IntN(4) {
	case 0:
		w.Schedule.Daily = &window.DailySchedule{IntervalDays: 1 + rng.IntN(7)}
	case 1:
		w.Schedule.Weekly = &window.WeeklySchedule{IntervalWeeks: 1 + rng.IntN(4), DayOfWeek: dayNames[rng.IntN(7)]}
	case 2:
		// Bias towards month ends.
		dom := 1 + rng.IntN(31)
		if rng.IntN(2) == 0 {
			dom = 28 + rng.IntN(4)
		}
		w.Schedule.AbsoluteMonthly = &window.AbsoluteMonthlySchedule{IntervalMonths: 1 + rng.IntN(6), DayOfMonth: dom}
	default:
		idx := []string{"First", "Second", "Third", "Fourth", "Last"}[rng.IntN(5)]
		w.Schedule.RelativeMonthly = &window.RelativeMonthlySchedule{IntervalMonths: 1 + rng.IntN(6), DayOfWeek: dayNames[rng.IntN(7)], WeekIndex: idx}
	}
	if rng.IntN(5) > 0 {
		q := -48 + rng.IntN(105) // quarter hours, -12:00 to +14:00
		sign := "+"
		if q < 0 {
			sign, q = "-", -q
		}
		w.UTCOffset = fmt.Sprintf("%s%02d:%02d", sign, q/4, q%4*15)
	}
	w.StartTime = fmt.Sprintf("%02d:%02d", rng.IntN(24), rng.IntN(60))
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	anchor := base.Add(time.Duration(rng.Int64N(int64(10 * 365 * 24 * time.Hour)))).Truncate(time.Second)
	if rng.IntN(3) > 0 {
		w.StartDate = base.AddDate(0, 0, rng.IntN(10*365)).Format(time.DateOnly)
	}
	for range rng.IntN(4) {
		s := anchor.AddDate(0, 0, rng.IntN(400)-20)
		e := s.AddDate(0, 0, rng.IntN(20))
		w.NotAllowedDates = append(w.NotAllowedDates, window.DateSpan{Start: s.Format(time.DateOnly), End: e.Format(time.DateOnly)})
	}
	return w, anchor
}

// oracle lists the windows of w intersecting [from, to) with rrule-go and
// straightforward interval subtraction.
func oracle(t *testing.T, w window.MaintenanceWindow, anchor, from, to time.Time) []string {
	off := 0
	if w.UTCOffset != "" {
		o, err := time.Parse("-07:00", w.UTCOffset)
		require.NoError(t, err)
		_, off = o.Zone()
	}
	zone := time.FixedZone("offset", off)
	clock, err := time.Parse("15:04", w.StartTime)
	require.NoError(t, err)
	var date time.Time
	if w.StartDate != "" {
		date, err = time.Parse(time.DateOnly, w.StartDate)
		require.NoError(t, err)
	} else {
		date = anchor.In(zone)
	}
	opt := rrule.ROption{
		Dtstart: time.Date(date.Year(), date.Month(), date.Day(), clock.Hour(), clock.Minute(), 0, 0, zone),
		Wkst:    rrule.MO,
	}
	switch s := w.Schedule; {
	case s.Daily != nil:
		opt.Freq, opt.Interval = rrule.DAILY, s.Daily.IntervalDays
	case s.Weekly != nil:
		opt.Freq, opt.Interval = rrule.WEEKLY, s.Weekly.IntervalWeeks
		opt.Byweekday = []rrule.Weekday{rruleDays[dayIndex(s.Weekly.DayOfWeek)]}
	case s.AbsoluteMonthly != nil:
		opt.Freq, opt.Interval = rrule.MONTHLY, s.AbsoluteMonthly.IntervalMonths
		opt.Bymonthday = []int{s.AbsoluteMonthly.DayOfMonth}
	default:
		m := s.RelativeMonthly
		n := map[string]int{"First": 1, "Second": 2, "Third": 3, "Fourth": 4, "Last": -1}[m.WeekIndex]
		opt.Freq, opt.Interval = rrule.MONTHLY, m.IntervalMonths
		opt.Byweekday = []rrule.Weekday{rruleDays[dayIndex(m.DayOfWeek)].Nth(n)}
	}
	r, err := rrule.NewRRule(opt)
	require.NoError(t, err)
	dur := time.Duration(w.DurationHours) * time.Hour
	var black []window.Interval
	for _, d := range w.NotAllowedDates {
		s, err1 := time.ParseInLocation(time.DateOnly, d.Start, zone)
		e, err2 := time.ParseInLocation(time.DateOnly, d.End, zone)
		require.NoError(t, err1)
		require.NoError(t, err2)
		black = append(black, window.Interval{Start: s, End: e.AddDate(0, 0, 1)})
	}
	var out []string
	for _, o := range r.Between(from.Add(-dur), to, true) {
		pieces := []window.Interval{{Start: o, End: o.Add(dur)}}
		for _, b := range black {
			var next []window.Interval
			for _, p := range pieces {
				if !b.Start.Before(p.End) || !b.End.After(p.Start) {
					next = append(next, p)
					continue
				}
				if b.Start.After(p.Start) {
					next = append(next, window.Interval{Start: p.Start, End: b.Start})
				}
				if b.End.Before(p.End) {
					next = append(next, window.Interval{Start: b.End, End: p.End})
				}
			}
			pieces = next
		}
		for _, p := range pieces {
			if p.End.After(from) && p.Start.Before(to) {
				out = append(out, format(window.Interval{Start: p.Start.UTC(), End: p.End.UTC()}))
			}
		}
	}
	return out
}

func dayIndex(name string) int {
	for i, n := range dayNames {
		if n == name {
			return i
		}
	}
	panic("unknown day " + name)
}

// TestAKSMatchesRRuleOracle compares every AKS schedule kind with an
// independent RFC 5545 expansion (rrule-go) over random valid
// configurations, a year each.
func TestAKSMatchesRRuleOracle(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(*oracleSeed, 0x0a1c))
	t.Logf("seed %d", *oracleSeed)
	const configs = 600
	for i := range configs {
		w, anchor := randomConfig(rng)
		cfg := window.MaintenanceConfiguration{Name: window.NameNodeOSUpgrade, MaintenanceWindow: &w}
		s, err := cfg.Schedule(anchor)
		require.NoError(t, err, "%+v", w)
		from := anchor.Add(time.Duration(rng.Int64N(int64(30*24*time.Hour))) - 10*24*time.Hour)
		if w.StartDate != "" && rng.IntN(2) == 0 {
			// Start near startDate: the first weeks and months are where
			// DTSTART's phase matters.
			sd, err := time.Parse(time.DateOnly, w.StartDate)
			require.NoError(t, err)
			from = sd.Add(-time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))
		}
		to := from.AddDate(1, 0, 0)
		var got []string
		var ivs []window.Interval
		for iv := range window.Between(s, from, to) {
			got = append(got, format(iv))
			ivs = append(ivs, iv)
		}
		want := oracle(t, w, anchor, from, to)
		if !assert.Equal(t, want, got, "config %d: %+v schedule %+v anchor %v from %v", i, w, w.Schedule, anchor, from) {
			return
		}
		checkInvariants(t, ivs)
		for _, iv := range ivs {
			assert.True(t, window.Open(s, iv.Start), "open at the start of %v", iv)
			assert.False(t, window.Open(s, iv.End) && !contains(ivs, iv.End), "open at the end of %v", iv)
		}
	}
}

func contains(ivs []window.Interval, t time.Time) bool {
	for _, iv := range ivs {
		if iv.Contains(t) {
			return true
		}
	}
	return false
}
