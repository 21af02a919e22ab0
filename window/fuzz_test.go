package window_test

import (
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/require"
)

var fuzzFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// collectN returns up to n windows of s from fuzzFrom, checking the
// Schedule invariants on the way.
func collectN(t *testing.T, s window.Schedule, n int) []window.Interval {
	var ivs []window.Interval
	for iv := range window.Between(s, fuzzFrom, window.Latest) {
		if len(ivs) == n {
			break
		}
		ivs = append(ivs, iv)
	}
	checkInvariants(t, ivs)
	if len(ivs) > 0 {
		require.True(t, ivs[0].End.After(fuzzFrom))
	}
	for _, iv := range ivs {
		got, ok := s.Next(iv.Start)
		require.True(t, ok)
		require.Equal(t, iv, got, "Next at a window's start returns that window")
	}
	return ivs
}

// checkLengths asserts every window lasts d, or less only when the next
// window starts where it ends.
func checkLengths(t *testing.T, ivs []window.Interval, d time.Duration) {
	for i, iv := range ivs {
		l := iv.End.Sub(iv.Start)
		require.LessOrEqual(t, l, d, "window %d %v", i, iv)
		if l < d && i+1 < len(ivs) {
			require.Equal(t, iv.End, ivs[i+1].Start, "a short window %d %v is cut by the next one", i, iv)
		}
	}
}

func FuzzCron(f *testing.F) {
	for _, s := range []string{"0 22 * * 1-5", "*/15 2-4 * * SUN", "@weekly", "0 0 29 2 *", "5,10-20/3 */6 1,15 JAN-JUN/2 ?", "0 0 31 * 5", "* * * * *", "1-5/0 * * * *", "@x", "0 0 30 2 *"} {
		f.Add(s, int64(3600), "America/New_York")
		f.Add(s, int64(90), "UTC")
	}
	f.Fuzz(func(t *testing.T, expr string, seconds int64, zone string) {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return
		}
		d := time.Duration(seconds) * time.Second
		if seconds <= 0 || seconds > 400*24*3600 {
			d = time.Hour
		}
		s, err := window.Cron{Expr: expr, Duration: d, Location: loc}.Schedule()
		if err != nil {
			return
		}
		checkLengths(t, collectN(t, s, 50), d)
	})
}

func FuzzRRule(f *testing.F) {
	for _, s := range []string{"FREQ=WEEKLY;BYDAY=SA,SU", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=DAILY;INTERVAL=3;COUNT=5", "FREQ=HOURLY;BYHOUR=1,2,3", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", "FREQ=MONTHLY;BYSETPOS=2;BYDAY=MO,TU", "FREQ=SECONDLY", "BYDAY=XX", "FREQ=DAILY;UNTIL=20250301T000000"} {
		f.Add(s, int64(4*3600), "Europe/London")
		f.Add(s, int64(60), "Australia/Lord_Howe")
	}
	f.Fuzz(func(t *testing.T, rule string, seconds int64, zone string) {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			return
		}
		d := time.Duration(seconds) * time.Second
		if seconds <= 0 || seconds > 400*24*3600 {
			d = time.Hour
		}
		s, err := window.RRule{Rule: rule, Start: time.Date(2024, 12, 20, 1, 30, 0, 0, time.UTC), Duration: d, Location: loc}.Schedule()
		if err != nil {
			return
		}
		checkLengths(t, collectN(t, s, 30), d)
	})
}

func FuzzParseConfigurations(f *testing.F) {
	for _, s := range []string{
		`{"properties": {"maintenanceWindow": {"schedule": {"weekly": {"intervalWeeks": 2, "dayOfWeek": "Monday"}}, "durationHours": 4, "utcOffset": "-08:00", "startTime": "23:00", "notAllowedDates": [{"start": "2025-01-10", "end": "2025-01-20"}]}}}`,
		`[{"name": "aksManagedNodeOSUpgradeSchedule", "maintenanceWindow": {"schedule": {"daily": {"intervalDays": 1}, "weekly": null}, "durationHours": 24, "startTime": "00:00", "startDate": "2025-01-01"}, "timeInWeek": null}]`,
		`{"value": [{"name": "default", "properties": {"timeInWeek": [{"day": "Sunday", "hourSlots": [23]}, {"day": "Monday", "hourSlots": [0]}], "notAllowedTime": [{"start": "2025-01-05T23:30:00Z", "end": "2025-01-06T00:30:00Z"}]}}]}`,
		`{"schedule": {"relativeMonthly": {"intervalMonths": 6, "dayOfWeek": "Friday", "weekIndex": "Last"}}, "durationHours": 12, "utcOffset": "+14:00", "startTime": "13:00"}`,
		`{"schedule": {"absoluteMonthly": {"intervalMonths": 1, "dayOfMonth": 31}}, "durationHours": 8, "startTime": "20:00"}`,
		`{"name": 1}`, `[]`, `null`, `{"value": null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfgs, err := window.ParseConfigurations(data)
		if err != nil {
			return
		}
		for _, c := range cfgs {
			s, err := c.Schedule(fuzzFrom)
			if err != nil {
				continue
			}
			ivs := collectN(t, s, 30)
			var black []window.Interval
			if w := c.MaintenanceWindow; w != nil {
				zone := time.UTC
				if w.UTCOffset != "" {
					o, err := time.Parse("-07:00", w.UTCOffset)
					require.NoError(t, err)
					zone = o.Location()
				}
				for _, d := range w.NotAllowedDates {
					s, err1 := time.ParseInLocation(time.DateOnly, d.Start, zone)
					e, err2 := time.ParseInLocation(time.DateOnly, d.End, zone)
					require.NoError(t, err1)
					require.NoError(t, err2)
					black = append(black, window.Interval{Start: s, End: e.AddDate(0, 0, 1)})
				}
				if len(c.TimeInWeek) == 0 {
					d := time.Duration(w.DurationHours) * time.Hour
					for _, iv := range ivs {
						l := iv.End.Sub(iv.Start)
						require.LessOrEqual(t, l, d)
						if l < d {
							require.True(t, touches(black, iv), "short window %v touches no blackout", iv)
						}
					}
				}
			}
			for _, sp := range c.NotAllowedTime {
				s, err1 := time.Parse(time.RFC3339, sp.Start)
				e, err2 := time.Parse(time.RFC3339, sp.End)
				require.NoError(t, err1)
				require.NoError(t, err2)
				black = append(black, window.Interval{Start: s, End: e})
			}
			for _, iv := range ivs {
				for _, b := range black {
					require.False(t, iv.Start.Before(b.End) && b.Start.Before(iv.End), "window %v intersects blackout %v", iv, b)
				}
			}
		}
	})
}

func touches(black []window.Interval, iv window.Interval) bool {
	for _, b := range black {
		if b.End.Equal(iv.Start) || b.Start.Equal(iv.End) {
			return true
		}
	}
	return false
}
