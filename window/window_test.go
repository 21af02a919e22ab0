package window_test

import (
	"slices"
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// list is a finite schedule for tests: its windows, sorted and disjoint.
type list []window.Interval

func (l list) Next(t time.Time) (window.Interval, bool) {
	for _, iv := range l {
		if iv.End.After(t) {
			return iv, true
		}
	}
	return window.Interval{}, false
}

func iv(t *testing.T, s, e string) window.Interval {
	return window.Interval{Start: mustTime(t, s), End: mustTime(t, e)}
}

func TestUnionMergesOverlappingAndTouching(t *testing.T) {
	t.Parallel()
	a := list{iv(t, "2025-01-01T00:00:00Z", "2025-01-01T02:00:00Z"), iv(t, "2025-01-01T10:00:00Z", "2025-01-01T11:00:00Z")}
	b := list{iv(t, "2025-01-01T01:00:00Z", "2025-01-01T03:00:00Z"), iv(t, "2025-01-01T05:00:00Z", "2025-01-01T06:00:00Z")}
	c := list{iv(t, "2025-01-01T03:00:00Z", "2025-01-01T04:00:00Z"), iv(t, "2025-01-01T11:00:00Z", "2025-01-01T12:00:00Z")}
	u := window.Union(a, b, c)
	assert.Equal(t, []string{
		"2025-01-01T00:00:00Z 2025-01-01T04:00:00Z",
		"2025-01-01T05:00:00Z 2025-01-01T06:00:00Z",
		"2025-01-01T10:00:00Z 2025-01-01T12:00:00Z",
	}, windows(u, mustTime(t, "2024-12-31T00:00:00Z"), 10))
	got, ok := u.Next(mustTime(t, "2025-01-01T02:30:00Z"))
	require.True(t, ok)
	assert.Equal(t, "2025-01-01T01:00:00Z 2025-01-01T04:00:00Z", format(got), "forward-looking start")
	_, ok = window.Union().Next(mustTime(t, "2025-01-01T00:00:00Z"))
	assert.False(t, ok)
}

func TestExcept(t *testing.T) {
	t.Parallel()
	s := list{
		iv(t, "2025-01-01T00:00:00Z", "2025-01-01T10:00:00Z"),
		iv(t, "2025-01-02T00:00:00Z", "2025-01-02T10:00:00Z"),
		iv(t, "2025-01-03T00:00:00Z", "2025-01-03T10:00:00Z"),
	}
	e := window.Except(s,
		iv(t, "2025-01-01T04:00:00Z", "2025-01-01T05:00:00Z"),
		iv(t, "2025-01-02T09:00:00Z", "2025-01-03T02:00:00Z"),
		iv(t, "2025-01-01T02:00:00Z", "2025-01-01T03:00:00Z"),
		iv(t, "2025-01-01T02:30:00Z", "2025-01-01T04:00:00Z"), // overlaps the one before
		iv(t, "2025-01-01T08:00:00Z", "2025-01-01T08:00:00Z"), // empty: ignored
	)
	assert.Equal(t, []string{
		"2025-01-01T00:00:00Z 2025-01-01T02:00:00Z",
		"2025-01-01T05:00:00Z 2025-01-01T10:00:00Z", // blackouts 02-03, 02:30-04 and 04-05 merged
		"2025-01-02T00:00:00Z 2025-01-02T09:00:00Z",
		"2025-01-03T02:00:00Z 2025-01-03T10:00:00Z",
	}, windows(e, mustTime(t, "2024-12-31T00:00:00Z"), 10))
	got, ok := e.Next(mustTime(t, "2025-01-01T03:00:00Z"))
	require.True(t, ok)
	assert.Equal(t, "2025-01-01T05:00:00Z 2025-01-01T10:00:00Z", format(got))
	all := window.Except(s, iv(t, "2024-01-01T00:00:00Z", "2026-01-01T00:00:00Z"))
	_, ok = all.Next(mustTime(t, "2024-12-31T00:00:00Z"))
	assert.False(t, ok, "a fully blacked-out finite calendar has no window")
}

func TestAlwaysAndOpen(t *testing.T) {
	t.Parallel()
	now := mustTime(t, "2025-06-01T12:00:00Z")
	assert.True(t, window.Open(window.Always, now))
	got, ok := window.Always.Next(now)
	require.True(t, ok)
	assert.Equal(t, window.Interval{Start: window.Earliest, End: window.Latest}, got)
	_, ok = window.Always.Next(window.Latest)
	assert.False(t, ok)
	blocked := window.Except(window.Always, iv(t, "2025-06-01T00:00:00Z", "2025-06-02T00:00:00Z"))
	assert.False(t, window.Open(blocked, now))
	assert.True(t, window.Open(blocked, mustTime(t, "2025-06-02T00:00:00Z")))
}

func TestBetweenStopsEarlyAndAtTo(t *testing.T) {
	t.Parallel()
	s, err := window.Cron{Expr: "@daily", Duration: time.Hour}.Schedule()
	require.NoError(t, err)
	from, to := mustTime(t, "2025-01-01T00:30:00Z"), mustTime(t, "2025-01-03T00:00:00Z")
	got := slices.Collect(window.Between(s, from, to))
	assert.Len(t, got, 2, "the window at `to` does not intersect [from, to)")
	for iv := range window.Between(s, from, to) {
		assert.Equal(t, "2025-01-01T00:00:00Z 2025-01-01T01:00:00Z", format(iv))
		break
	}
}

func TestCron(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr string
		dur  time.Duration
		from string
		want []string
	}{
		{"0 22 * * 1-5", 2 * time.Hour, "2025-01-03T23:00:00Z", []string{ // Friday
			"2025-01-03T22:00:00Z 2025-01-04T00:00:00Z", "2025-01-06T22:00:00Z 2025-01-07T00:00:00Z"}},
		{"*/20 3 * * *", 10 * time.Minute, "2025-01-01T00:00:00Z", []string{
			"2025-01-01T03:00:00Z 2025-01-01T03:10:00Z", "2025-01-01T03:20:00Z 2025-01-01T03:30:00Z", "2025-01-01T03:40:00Z 2025-01-01T03:50:00Z", "2025-01-02T03:00:00Z 2025-01-02T03:10:00Z"}},
		{"0 0 13 * FRI", time.Hour, "2025-06-01T00:00:00Z", []string{ // both day fields: either matches
			"2025-06-06T00:00:00Z 2025-06-06T01:00:00Z", "2025-06-13T00:00:00Z 2025-06-13T01:00:00Z", "2025-06-20T00:00:00Z 2025-06-20T01:00:00Z"}},
		{"0 0 29 feb *", time.Hour, "2025-01-01T00:00:00Z", []string{"2028-02-29T00:00:00Z 2028-02-29T01:00:00Z"}},
		{"@monthly", 4 * time.Hour, "2025-12-15T00:00:00Z", []string{"2026-01-01T00:00:00Z 2026-01-01T04:00:00Z"}},
		{"0 * * * *", 2 * time.Hour, "2025-01-01T00:30:00Z", []string{ // overlapping: clipped at the next start
			"2025-01-01T00:00:00Z 2025-01-01T01:00:00Z", "2025-01-01T01:00:00Z 2025-01-01T02:00:00Z"}},
		{"59 23 31 12 7", 2 * time.Minute, "2025-01-01T00:00:00Z", []string{ // December 31st or a December Sunday (7); open across the year end
			"2024-12-31T23:59:00Z 2025-01-01T00:01:00Z", "2025-12-07T23:59:00Z 2025-12-08T00:01:00Z"}},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			t.Parallel()
			s, err := window.Cron{Expr: tc.expr, Duration: tc.dur}.Schedule()
			require.NoError(t, err)
			assert.Equal(t, tc.want, windows(s, mustTime(t, tc.from), len(tc.want)))
		})
	}
}

func TestCronErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, want string }{
		{"0 0 * *", `window: Expr: "0 0 * *" has 4 fields, want 5 (minute hour day-of-month month day-of-week)`},
		{"60 24 0 13 8", "window: Expr: minute field \"60\": 60 is outside 0 to 59\n" +
			"window: Expr: hour field \"24\": 24 is outside 0 to 23\n" +
			"window: Expr: day-of-month field \"0\": 0 is outside 1 to 31\n" +
			"window: Expr: month field \"13\": 13 is outside 1 to 12\n" +
			"window: Expr: day-of-week field \"8\": 8 is outside 0 to 7"},
		{"5-1/0 * * * *", "window: Expr: minute field \"5-1/0\": step \"0\" is not a positive integer"},
		{"0 0 30 2 *", `window: Expr: "0 0 30 2 *" never matches: no chosen month has a chosen day of the month`},
		{"@fortnightly", `window: Expr: unknown macro "@fortnightly" (allowed: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)`},
	} {
		assert.EqualError(t, window.Cron{Expr: tc.expr, Duration: time.Hour}.Validate(), tc.want)
	}
	assert.EqualError(t, window.Cron{Expr: "@daily", Duration: 1500 * time.Millisecond}.Validate(),
		"window: Duration: 1.5s is not a whole number of seconds")
}

func TestRRule(t *testing.T) {
	t.Parallel()
	paris := mustZone(t, "Europe/Paris")
	s, err := window.RRule{
		Rule:     "RRULE:FREQ=WEEKLY;BYDAY=SA;COUNT=3",
		Start:    time.Date(2025, 3, 15, 2, 30, 0, 0, time.UTC), // wall clock, read in Paris
		Duration: 4 * time.Hour,
		Location: paris,
	}.Schedule()
	require.NoError(t, err)
	from := mustTime(t, "2025-03-01T00:00:00Z")
	assert.Equal(t, []string{
		"2025-03-15T01:30:00Z 2025-03-15T05:30:00Z",
		"2025-03-22T01:30:00Z 2025-03-22T05:30:00Z",
		"2025-03-29T01:30:00Z 2025-03-29T05:30:00Z", // DST starts the next night
	}, windows(s, from, 10), "COUNT ends the calendar")
	// A query before the cached chunk restarts the expansion.
	got, ok := s.Next(mustTime(t, "2025-03-22T03:00:00Z"))
	require.True(t, ok)
	assert.Equal(t, "2025-03-22T01:30:00Z 2025-03-22T05:30:00Z", format(got))
	got, ok = s.Next(from)
	require.True(t, ok)
	assert.Equal(t, "2025-03-15T01:30:00Z 2025-03-15T05:30:00Z", format(got))

	err = window.RRule{Rule: "FREQ=MINUTELY", Duration: -time.Hour}.Validate()
	assert.EqualError(t, err, "window: Start: required (DTSTART)\nwindow: Duration: -1h0m0s is not positive\n"+
		`window: Rule: "FREQ=MINUTELY": FREQ=MINUTELY is finer than HOURLY (use Cron for minute steps)`)
	err = window.RRule{Rule: "FREQ=DAILY;BYHOUR=25", Start: from, Duration: time.Hour}.Validate()
	assert.EqualError(t, err, `window: Rule: "FREQ=DAILY;BYHOUR=25": byhour must be between 0 and 23`)
	// rrule-go panics on 10FR and -6FR and lists nothing for 6FR: a month
	// has at most five of each weekday.
	err = window.RRule{Rule: "FREQ=MONTHLY;BYDAY=6FR", Start: from, Duration: time.Hour}.Validate()
	assert.EqualError(t, err, `window: Rule: "FREQ=MONTHLY;BYDAY=6FR": BYDAY=6FR: 6 is outside -5 to 5: a month has at most 5 of each weekday`)
	err = window.RRule{Rule: "FREQ=WEEKLY", Start: time.Date(1, 3, 1, 0, 0, 0, 0, time.UTC), Duration: time.Hour}.Validate()
	assert.EqualError(t, err, "window: Start: 0001-03-01T00:00:00Z: the year 1 is outside 1900 to 9999")
}

func TestRRuleLongRunCache(t *testing.T) {
	t.Parallel()
	// Increasing queries over many cache chunks agree with a fresh
	// schedule queried once per window.
	spec := window.RRule{Rule: "FREQ=HOURLY;INTERVAL=5", Start: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Duration: 3 * time.Hour, Location: mustZone(t, "America/New_York")}
	s, err := spec.Schedule()
	require.NoError(t, err)
	var ivs []window.Interval
	for iv := range window.Between(s, mustTime(t, "2021-01-01T00:00:00Z"), mustTime(t, "2022-01-01T00:00:00Z")) {
		ivs = append(ivs, iv)
	}
	checkInvariants(t, ivs)
	require.Len(t, ivs, 1752, "8760 h / 5 h, less none (windows do not overlap)")
	for _, i := range []int{0, 300, 1000, 1751} {
		fresh, err := spec.Schedule()
		require.NoError(t, err)
		got, ok := fresh.Next(ivs[i].Start)
		require.True(t, ok)
		assert.Equal(t, ivs[i], got)
	}
}

func TestRRuleConcurrentUse(t *testing.T) {
	t.Parallel()
	s, err := window.RRule{Rule: "FREQ=DAILY", Start: time.Date(2020, 1, 1, 3, 0, 0, 0, time.UTC), Duration: time.Hour}.Schedule()
	require.NoError(t, err)
	want := windows(s, mustTime(t, "2020-01-01T00:00:00Z"), 2000)
	done := make(chan []string)
	for g := range 4 {
		go func() {
			// Each goroutine starts elsewhere, forcing cache restarts.
			from := mustTime(t, "2020-01-01T00:00:00Z").AddDate(0, 0, 500*g)
			done <- windows(s, from, 2000-500*g)
		}()
	}
	for range 4 {
		got := <-done
		assert.Equal(t, want[len(want)-len(got):], got)
	}
}
