package window_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/require"
)

// windows returns the first n windows of s whose end is after from, each
// as "START END" in RFC 3339 UTC.
func windows(s window.Schedule, from time.Time, n int) []string {
	var out []string
	for iv := range window.Between(s, from, window.Latest) {
		if len(out) == n {
			break
		}
		out = append(out, format(iv))
	}
	return out
}

func format(iv window.Interval) string {
	return iv.Start.Format(time.RFC3339) + " " + iv.End.Format(time.RFC3339)
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	require.NoError(t, err)
	return v
}

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

// checkInvariants asserts that ivs are ordered, non-overlapping, non-empty
// and in UTC.
func checkInvariants(t testing.TB, ivs []window.Interval) {
	t.Helper()
	for i, iv := range ivs {
		require.True(t, iv.Start.Before(iv.End), "window %d empty: %v", i, iv)
		require.Equal(t, time.UTC, iv.Start.Location(), "window %d not UTC", i)
		if i > 0 {
			require.False(t, iv.Start.Before(ivs[i-1].End), "window %d %v overlaps %v", i, fmt.Sprint(iv), fmt.Sprint(ivs[i-1]))
		}
	}
}
