package window_test

import (
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "time/tzdata"
)

// TestDSTPolicy pins the RFC 5545 §3.3.5 reading for every zoned kind, in
// the manner of robfig/cron's spec_test.go: a nonexistent wall time takes
// the offset from before the gap, a repeated one is its first occurrence.
func TestDSTPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		zone   string
		rule   string // RRULE, with DTSTART at 2000-01-01 and the clock below
		clock  string // HH:MM:SS of DTSTART
		cron   string // the same times as a cron expression
		from   string
		want   []string // window starts; every window lasts 15 minutes
		reason string
	}{
		{
			name: "New York spring forward", zone: "America/New_York",
			rule: "FREQ=DAILY", clock: "02:30:00", cron: "30 2 * * *", from: "2024-03-09T00:00:00Z",
			want:   []string{"2024-03-09T07:30:00Z", "2024-03-10T07:30:00Z", "2024-03-11T06:30:00Z"},
			reason: "02:30 does not exist on 03-10: read as EST, i.e. 03:30 EDT",
		},
		{
			name: "New York fall back", zone: "America/New_York",
			rule: "FREQ=DAILY", clock: "01:30:00", cron: "30 1 * * *", from: "2024-11-02T00:00:00Z",
			want:   []string{"2024-11-02T05:30:00Z", "2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"},
			reason: "01:30 occurs twice on 11-03: the first (EDT) only",
		},
		{
			name: "New York fall back hourly", zone: "America/New_York",
			rule: "FREQ=HOURLY", clock: "00:00:00", cron: "0 * * * *", from: "2024-11-03T04:00:00Z",
			want:   []string{"2024-11-03T04:00:00Z", "2024-11-03T05:00:00Z", "2024-11-03T07:00:00Z"},
			reason: "the repeated 01:00 hour runs once",
		},
		{
			name: "London spring forward", zone: "Europe/London",
			rule: "FREQ=DAILY", clock: "01:30:00", cron: "30 1 * * *", from: "2025-03-29T00:00:00Z",
			want: []string{"2025-03-29T01:30:00Z", "2025-03-30T01:30:00Z", "2025-03-31T00:30:00Z"},
		},
		{
			name: "London fall back", zone: "Europe/London",
			rule: "FREQ=DAILY", clock: "01:30:00", cron: "30 1 * * *", from: "2025-10-25T00:00:00Z",
			want: []string{"2025-10-25T00:30:00Z", "2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"},
		},
		{
			name: "Lord Howe 30-minute spring forward", zone: "Australia/Lord_Howe",
			rule: "FREQ=DAILY", clock: "02:15:00", cron: "15 2 * * *", from: "2025-10-03T12:00:00Z",
			want:   []string{"2025-10-03T15:45:00Z", "2025-10-04T15:45:00Z", "2025-10-05T15:15:00Z"},
			reason: "02:15 does not exist on 10-05 (02:00 -> 02:30): read as +10:30",
		},
		{
			name: "Lord Howe 30-minute fall back", zone: "Australia/Lord_Howe",
			rule: "FREQ=DAILY", clock: "01:45:00", cron: "45 1 * * *", from: "2025-04-04T12:00:00Z",
			want: []string{"2025-04-04T14:45:00Z", "2025-04-05T14:45:00Z", "2025-04-06T15:15:00Z"},
		},
		{
			name: "Kathmandu +05:45", zone: "Asia/Kathmandu",
			rule: "FREQ=WEEKLY;BYDAY=SU", clock: "00:00:00", cron: "0 0 * * 0", from: "2025-01-01T00:00:00Z",
			want: []string{"2025-01-04T18:15:00Z", "2025-01-11T18:15:00Z", "2025-01-18T18:15:00Z"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			loc := mustZone(t, tc.zone)
			clock, err := time.Parse(time.TimeOnly, tc.clock)
			require.NoError(t, err)
			start := time.Date(2000, 1, 1, clock.Hour(), clock.Minute(), clock.Second(), 0, time.UTC)
			rr, err := window.RRule{Rule: tc.rule, Start: start, Duration: 15 * time.Minute, Location: loc}.Schedule()
			require.NoError(t, err)
			cr, err := window.Cron{Expr: tc.cron, Duration: 15 * time.Minute, Location: loc}.Schedule()
			require.NoError(t, err)
			var want []string
			for _, s := range tc.want {
				st := mustTime(t, s)
				want = append(want, format(window.Interval{Start: st, End: st.Add(15 * time.Minute)}))
			}
			from := mustTime(t, tc.from)
			assert.Equal(t, want, windows(rr, from, len(want)), "RRule: %s", tc.reason)
			assert.Equal(t, want, windows(cr, from, len(want)), "Cron: %s", tc.reason)
		})
	}
}

func TestWeekdayHours(t *testing.T) {
	t.Parallel()
	berlin := mustZone(t, "Europe/Berlin")
	tests := []struct {
		name string
		spec window.WeekdayHours
		from string
		want []string
	}{
		{
			name: "wraps past midnight across spring forward",
			spec: window.WeekdayHours{Days: []time.Weekday{time.Saturday}, Start: 22 * time.Hour, End: 4 * time.Hour, Location: berlin},
			from: "2025-03-22T00:00:00Z",
			want: []string{
				"2025-03-22T21:00:00Z 2025-03-23T03:00:00Z",
				"2025-03-29T21:00:00Z 2025-03-30T02:00:00Z", // 5 hours: 02:00-03:00 does not exist
				"2025-04-05T20:00:00Z 2025-04-06T02:00:00Z",
			},
		},
		{
			name: "weekdays at night merge into one span when they touch",
			spec: window.WeekdayHours{Days: []time.Weekday{time.Monday, time.Tuesday}, Start: 0, End: 24 * time.Hour},
			from: "2025-01-01T00:00:00Z",
			want: []string{
				"2025-01-06T00:00:00Z 2025-01-08T00:00:00Z",
				"2025-01-13T00:00:00Z 2025-01-15T00:00:00Z",
			},
		},
		{
			name: "Sunday night into Monday morning wraps the week",
			spec: window.WeekdayHours{Days: []time.Weekday{time.Sunday}, Start: 21 * time.Hour, End: 5 * time.Hour},
			from: "2025-01-06T04:00:00Z",
			want: []string{
				"2025-01-05T21:00:00Z 2025-01-06T05:00:00Z",
				"2025-01-12T21:00:00Z 2025-01-13T05:00:00Z",
			},
		},
		{
			name: "every day when Days is empty",
			spec: window.WeekdayHours{Start: 2 * time.Hour, End: 3 * time.Hour},
			from: "2025-12-31T02:30:00Z",
			want: []string{
				"2025-12-31T02:00:00Z 2025-12-31T03:00:00Z",
				"2026-01-01T02:00:00Z 2026-01-01T03:00:00Z",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := tc.spec.Schedule()
			require.NoError(t, err)
			assert.Equal(t, tc.want, windows(s, mustTime(t, tc.from), len(tc.want)))
		})
	}
	all, err := window.WeekdayHours{Start: 0, End: 24 * time.Hour}.Schedule()
	require.NoError(t, err)
	assert.Equal(t, window.Always, all)
	_, err = window.WeekdayHours{Days: []time.Weekday{9}, Start: 25 * time.Hour, End: 25 * time.Hour}.Schedule()
	assert.EqualError(t, err, "window: Days[0]: 9 is not a weekday (0 Sunday to 6 Saturday)\n"+
		"window: Start: 25h0m0s is outside [0, 24h)\nwindow: End: 25h0m0s is outside [0, 24h]\nwindow: End: 25h0m0s equals Start (an empty window)")
}
