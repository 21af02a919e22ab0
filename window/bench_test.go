package window_test

import (
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/require"
)

// BenchmarkNext calls Next with increasing t (7h13m apart, restarting
// after a century) on each kind of schedule.
func BenchmarkNext(b *testing.B) {
	ny := mustZone(b, "America/New_York")
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	aks := func(r window.Recurrence, black ...window.DateSpan) window.Schedule {
		s, err := mw(r, 6, "-05:00", "2024-12-01", "22:00", black...).Schedule(start)
		require.NoError(b, err)
		return s
	}
	must := func(s window.Schedule, err error) window.Schedule {
		require.NoError(b, err)
		return s
	}
	legacy := window.MaintenanceConfiguration{Name: window.NameDefault, TimeInWeek: []window.TimeInWeek{
		{Day: "Monday", HourSlots: []int{1, 2, 3}}, {Day: "Thursday", HourSlots: []int{22, 23}}, {Day: "Friday", HourSlots: []int{0, 1}}}}
	var blackouts []window.DateSpan
	for y := 2025; y < 2125; y++ {
		blackouts = append(blackouts, window.DateSpan{Start: time.Date(y, 12, 20, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), End: time.Date(y+1, 1, 5, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
	}
	weekly := window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 2, DayOfWeek: "Saturday"}}
	kinds := []struct {
		name string
		s    window.Schedule
	}{
		{"aks-daily", aks(window.Recurrence{Daily: &window.DailySchedule{IntervalDays: 3}})},
		{"aks-weekly", aks(weekly)},
		{"aks-absoluteMonthly", aks(window.Recurrence{AbsoluteMonthly: &window.AbsoluteMonthlySchedule{IntervalMonths: 1, DayOfMonth: 31}})},
		{"aks-relativeMonthly", aks(window.Recurrence{RelativeMonthly: &window.RelativeMonthlySchedule{IntervalMonths: 2, DayOfWeek: "Sunday", WeekIndex: "Last"}})},
		{"aks-weekly-100-blackouts", aks(weekly, blackouts...)},
		{"aks-legacy-timeInWeek", must(legacy.Schedule(start))},
		{"rrule-zone", must(window.RRule{Rule: "FREQ=WEEKLY;BYDAY=TU,SA", Start: start.Add(2 * time.Hour), Duration: 4 * time.Hour, Location: ny}.Schedule())},
		{"cron-zone", must(window.Cron{Expr: "30 2 * * 1-5", Duration: 3 * time.Hour, Location: ny}.Schedule())},
		{"weekdayHours-zone", must(window.WeekdayHours{Days: []time.Weekday{time.Friday, time.Saturday}, Start: 22 * time.Hour, End: 4 * time.Hour, Location: ny}.Schedule())},
		{"union", window.Union(aks(weekly), must(window.Cron{Expr: "0 3 * * 3", Duration: 4 * time.Hour}.Schedule()))},
		{"always", window.Always},
	}
	const step = 7*time.Hour + 13*time.Minute
	end := start.AddDate(100, 0, 0)
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			t := start
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := k.s.Next(t); !ok {
					b.Fatalf("no window after %v", t)
				}
				if t = t.Add(step); t.After(end) {
					t = start
				}
			}
		})
	}
}
