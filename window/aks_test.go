package window_test

import (
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mw(r window.Recurrence, hours int, offset, startDate, startTime string, black ...window.DateSpan) window.MaintenanceConfiguration {
	return window.MaintenanceConfiguration{MaintenanceWindow: &window.MaintenanceWindow{
		Schedule: r, DurationHours: hours, UTCOffset: offset, StartDate: startDate, StartTime: startTime, NotAllowedDates: black,
	}}
}

func TestAKSSchedules(t *testing.T) {
	t.Parallel()
	daily := func(n int) window.Recurrence { return window.Recurrence{Daily: &window.DailySchedule{IntervalDays: n}} }
	weekly := func(n int, d string) window.Recurrence {
		return window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: n, DayOfWeek: d}}
	}
	absolute := func(n, d int) window.Recurrence {
		return window.Recurrence{AbsoluteMonthly: &window.AbsoluteMonthlySchedule{IntervalMonths: n, DayOfMonth: d}}
	}
	relative := func(n int, d, k string) window.Recurrence {
		return window.Recurrence{RelativeMonthly: &window.RelativeMonthlySchedule{IntervalMonths: n, DayOfWeek: d, WeekIndex: k}}
	}
	tests := []struct {
		name   string
		cfg    window.MaintenanceConfiguration
		anchor string
		from   string
		want   []string
	}{
		{
			name: "daily every 2 days, phase from startDate",
			cfg:  mw(daily(2), 4, "+00:00", "2025-01-01", "22:00"),
			from: "2025-01-02T00:00:00Z",
			want: []string{
				"2025-01-01T22:00:00Z 2025-01-02T02:00:00Z", // open at from
				"2025-01-03T22:00:00Z 2025-01-04T02:00:00Z",
				"2025-01-05T22:00:00Z 2025-01-06T02:00:00Z",
			},
		},
		{
			name:   "daily every 3 days, phase from the anchor without startDate",
			cfg:    mw(daily(3), 6, "", "", "01:00"),
			anchor: "2025-06-10T12:00:00Z",
			from:   "2025-06-10T12:00:00Z",
			want: []string{
				"2025-06-13T01:00:00Z 2025-06-13T07:00:00Z",
				"2025-06-16T01:00:00Z 2025-06-16T07:00:00Z",
			},
		},
		{
			name: "weekly every 2 weeks, weeks start Monday",
			// startDate is a Wednesday; its week's Tuesday is before it, so
			// the first window is two weeks later.
			cfg:  mw(weekly(2, "Tuesday"), 4, "+00:00", "2025-01-08", "01:00"),
			from: "2025-01-01T00:00:00Z",
			want: []string{
				"2025-01-21T01:00:00Z 2025-01-21T05:00:00Z",
				"2025-02-04T01:00:00Z 2025-02-04T05:00:00Z",
			},
		},
		{
			name: "weekly crossing midnight at a negative offset",
			cfg:  mw(weekly(1, "Saturday"), 6, "-08:00", "2025-03-01", "21:00"),
			from: "2025-03-01T00:00:00Z",
			want: []string{
				"2025-03-02T05:00:00Z 2025-03-02T11:00:00Z",
				"2025-03-09T05:00:00Z 2025-03-09T11:00:00Z", // no DST at a fixed offset
			},
		},
		{
			name: "positive offset moves the window to the previous UTC day",
			cfg:  mw(weekly(1, "Monday"), 4, "+05:30", "2025-01-01", "02:00"),
			from: "2025-01-01T00:00:00Z",
			want: []string{
				"2025-01-05T20:30:00Z 2025-01-06T00:30:00Z",
				"2025-01-12T20:30:00Z 2025-01-13T00:30:00Z",
			},
		},
		{
			name: "day 31 skips shorter months",
			cfg:  mw(absolute(1, 31), 4, "+00:00", "2025-01-01", "00:00"),
			from: "2025-01-01T00:00:00Z",
			want: []string{
				"2025-01-31T00:00:00Z 2025-01-31T04:00:00Z",
				"2025-03-31T00:00:00Z 2025-03-31T04:00:00Z",
				"2025-05-31T00:00:00Z 2025-05-31T04:00:00Z",
				"2025-07-31T00:00:00Z 2025-07-31T04:00:00Z",
			},
		},
		{
			name: "day 29 every 6 months from February: only leap-year Februaries have it",
			cfg:  mw(absolute(6, 29), 4, "+00:00", "2023-02-01", "12:00"),
			from: "2023-01-01T00:00:00Z",
			want: []string{
				"2023-08-29T12:00:00Z 2023-08-29T16:00:00Z", // Feb 2023 has no 29th
				"2024-02-29T12:00:00Z 2024-02-29T16:00:00Z",
				"2024-08-29T12:00:00Z 2024-08-29T16:00:00Z",
			},
		},
		{
			name: "month end and year end: last Friday across December",
			cfg:  mw(relative(1, "Friday", "Last"), 24, "+00:00", "2025-11-01", "20:00"),
			from: "2025-11-01T00:00:00Z",
			want: []string{
				"2025-11-28T20:00:00Z 2025-11-29T20:00:00Z",
				"2025-12-26T20:00:00Z 2025-12-27T20:00:00Z",
				"2026-01-30T20:00:00Z 2026-01-31T20:00:00Z",
			},
		},
		{
			name: "Last weekIndex on a month ending on that weekday",
			cfg:  mw(relative(1, "Sunday", "Last"), 4, "+00:00", "2025-08-01", "00:00"),
			from: "2025-08-01T00:00:00Z",
			want: []string{
				"2025-08-31T00:00:00Z 2025-08-31T04:00:00Z",
				"2025-09-28T00:00:00Z 2025-09-28T04:00:00Z",
			},
		},
		{
			name: "Fourth Thursday every 3 months",
			cfg:  mw(relative(3, "Thursday", "Fourth"), 8, "+01:00", "2025-01-01", "23:30"),
			from: "2025-01-01T00:00:00Z",
			want: []string{
				"2025-01-23T22:30:00Z 2025-01-24T06:30:00Z",
				"2025-04-24T22:30:00Z 2025-04-25T06:30:00Z",
				"2025-07-24T22:30:00Z 2025-07-25T06:30:00Z",
			},
		},
		{
			name: "window crossing the year end at +14:00",
			cfg:  mw(absolute(1, 31), 12, "+14:00", "2025-12-01", "18:00"),
			from: "2025-12-01T00:00:00Z",
			want: []string{
				"2025-12-31T04:00:00Z 2025-12-31T16:00:00Z",
				"2026-01-31T04:00:00Z 2026-01-31T16:00:00Z",
			},
		},
		{
			name: "blackout clips a window and removes the covered ones",
			// Daily 20:00-08:00 at -05:00; blackout 2025-05-03..2025-05-04
			// local = [05-03T05:00Z, 05-05T05:00Z).
			cfg:  mw(daily(1), 12, "-05:00", "2025-05-01", "20:00", window.DateSpan{Start: "2025-05-03", End: "2025-05-04"}),
			from: "2025-05-02T00:00:00Z",
			want: []string{
				"2025-05-02T01:00:00Z 2025-05-02T13:00:00Z",
				"2025-05-03T01:00:00Z 2025-05-03T05:00:00Z", // clipped by the blackout start
				"2025-05-05T05:00:00Z 2025-05-05T13:00:00Z", // clipped by the blackout end
				"2025-05-06T01:00:00Z 2025-05-06T13:00:00Z",
			},
		},
		{
			name: "daily 24 hours: touching windows, one per day",
			cfg:  mw(daily(1), 24, "+00:00", "2025-01-01", "06:00"),
			from: "2025-01-01T07:00:00Z",
			want: []string{
				"2025-01-01T06:00:00Z 2025-01-02T06:00:00Z",
				"2025-01-02T06:00:00Z 2025-01-03T06:00:00Z",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var anchor time.Time
			if tc.anchor != "" {
				anchor = mustTime(t, tc.anchor)
			}
			s, err := tc.cfg.Schedule(anchor)
			require.NoError(t, err)
			assert.Equal(t, tc.want, windows(s, mustTime(t, tc.from), len(tc.want)))
		})
	}
}

func TestLegacyTimeInWeek(t *testing.T) {
	t.Parallel()
	cfg := window.MaintenanceConfiguration{
		Name: window.NameDefault,
		TimeInWeek: []window.TimeInWeek{
			{Day: "Tuesday", HourSlots: []int{22, 23}},
			{Day: "Wednesday", HourSlots: []int{0, 1, 5}},
			{Day: "Saturday"},
		},
		NotAllowedTime: []window.TimeSpan{{Start: "2025-01-15T01:30:00Z", End: "2025-01-15T02:00:00Z"}},
	}
	s, err := cfg.Schedule(time.Time{})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"2025-01-14T22:00:00Z 2025-01-15T01:30:00Z", // Tue 22-24 + Wed 0-2 merged, clipped
		"2025-01-15T05:00:00Z 2025-01-15T06:00:00Z",
		"2025-01-18T00:00:00Z 2025-01-19T00:00:00Z", // a day without slots is the whole day
		"2025-01-21T22:00:00Z 2025-01-22T02:00:00Z",
	}, windows(s, mustTime(t, "2025-01-13T00:00:00Z"), 4))
}

func TestValidateReportsEverything(t *testing.T) {
	t.Parallel()
	cfg := window.MaintenanceConfiguration{
		Name: "nightly",
		MaintenanceWindow: &window.MaintenanceWindow{
			Schedule: window.Recurrence{
				Daily:           &window.DailySchedule{IntervalDays: 8},
				RelativeMonthly: &window.RelativeMonthlySchedule{IntervalMonths: 0, DayOfWeek: "Funday", WeekIndex: "Fifth"},
			},
			DurationHours:   3,
			UTCOffset:       "+5:00",
			StartDate:       "2025-02-30",
			StartTime:       "24:00",
			NotAllowedDates: []window.DateSpan{{Start: "2025-03-10", End: "2025-03-01"}},
		},
		TimeInWeek: []window.TimeInWeek{{Day: "Mon", HourSlots: []int{24}}},
	}
	err := cfg.Validate()
	require.Error(t, err)
	for _, want := range []string{
		`window: name: "nightly" is not one of default, aksManagedAutoUpgradeSchedule, aksManagedNodeOSUpgradeSchedule`,
		"window: maintenanceWindow.durationHours: 3 is below the minimum 4",
		"window: maintenanceWindow.schedule.daily.intervalDays: 8 is above the maximum 7",
		"window: maintenanceWindow.schedule.relativeMonthly.intervalMonths: required (1 to 6)",
		`window: maintenanceWindow.schedule.relativeMonthly.dayOfWeek: "Funday" is not one of Sunday`,
		`window: maintenanceWindow.schedule.relativeMonthly.weekIndex: "Fifth" is not one of First, Second, Third, Fourth, Last`,
		"window: maintenanceWindow.schedule: 2 kinds set [daily relativeMonthly]; exactly one",
		`window: maintenanceWindow.utcOffset: "+5:00" is not ±hh:mm`,
		`window: maintenanceWindow.startDate: "2025-02-30" is not a date YYYY-MM-DD`,
		`window: maintenanceWindow.startTime: "24:00" is not HH:MM from 00:00 to 23:59`,
		"window: maintenanceWindow.notAllowedDates[0].end: 2025-03-01 is before start 2025-03-10",
		"window: timeInWeek: only configuration \"default\" takes the legacy timeInWeek",
		`window: timeInWeek[0].day: "Mon" is not one of Sunday`,
		"window: timeInWeek[0].hourSlots[0]: 24 is outside 0 to 23",
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestValidateNameRules(t *testing.T) {
	t.Parallel()
	cfg := mw(window.Recurrence{Daily: &window.DailySchedule{IntervalDays: 1}}, 4, "", "2025-01-01", "00:00")
	for _, tc := range []struct {
		name string
		want string // "" means valid
	}{
		{window.NameNodeOSUpgrade, ""},
		{window.NameAutoUpgrade, ""},
		{"", ""},
		{window.NameDefault, `window: maintenanceWindow.schedule.daily: not supported for configuration "default" (only weekly)`},
	} {
		cfg.Name = tc.name
		err := cfg.Validate()
		if tc.want == "" {
			assert.NoError(t, err, tc.name)
		} else {
			assert.EqualError(t, err, tc.want)
		}
	}
	_, err := window.MaintenanceConfiguration{}.Schedule(time.Time{})
	assert.EqualError(t, err, "window: maintenanceWindow: required (or the legacy timeInWeek)")
}
