package plan

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Limits are refused by Validate, before anything runs, each naming its
// field and the limit.
func TestValidateLimits(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		name string
		edit func(s *Scenario)
		err  string
	}{
		{"start in year 1: the content would reach year 0 (rrule-go panicked)", func(s *Scenario) { s.Start = time.Date(1, 2, 1, 0, 0, 0, 0, time.UTC) },
			"plan: start: 0001-02-01T00:00:00Z minus the lookback 60d begins the content at 0000-12-03T00:00:00Z, before 1900-01-01"},
		{"lookback past 1900", func(s *Scenario) {
			s.Start = time.Date(1900, 2, 1, 0, 0, 0, 0, time.UTC)
		}, "plan: start: 1900-02-01T00:00:00Z minus the lookback 60d begins the content at 1899-12-03T00:00:00Z, before 1900-01-01"},
		{"horizon past 9999 (--json failed after the run)", func(s *Scenario) {
			s.Start = time.Date(9999, 6, 1, 0, 0, 0, 0, time.UTC)
			s.Horizon = Duration(365 * day)
		}, "plan: horizon: 365d from start 9999-06-01T00:00:00Z ends at 10000-05-31T00:00:00Z, after the year 9999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := small(t)
			tc.edit(s)
			err := s.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
			_, err = New(s)
			assert.Error(t, err)
		})
	}
	s := small(t)
	s.Start = time.Date(1900, 3, 2, 0, 0, 0, 0, time.UTC) // 60 days after 1900-01-01
	assert.NoError(t, s.Validate())
	s.Start = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Add(-s.horizon())
	assert.NoError(t, s.Validate())
}
