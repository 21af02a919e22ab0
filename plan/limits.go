package plan

import (
	"time"

	"github.com/patchsim/patchsim/internal/rfc5545"
)

// Bounds of a run's instants: its content starts (Start minus the
// lookback) no earlier than the first instant of the year 1900 and its
// horizon ends no later than the last instant of the year 9999, the last
// year RFC 3339 (and so a comparison's JSON) writes. Calendars misbehave
// outside them (rrule-go panics on the year 0).
var (
	minContent = time.Date(rfc5545.MinYear, 1, 1, 0, 0, 0, 0, time.UTC)
	maxEnd     = time.Date(rfc5545.MaxYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
)

// limits reports the scenario's values that no real plan reaches and the
// simulator cannot represent, each naming the limit.
func (s *Scenario) limits() []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	if !s.Start.IsZero() {
		if from := s.Start.Add(-s.lookback()); from.Before(minContent) {
			add("start", "%s minus the lookback %v begins the content at %s, before %s", s.Start.Format(time.RFC3339), Duration(s.lookback()), from.Format(time.RFC3339), minContent.Format(time.DateOnly))
		}
		if end := s.Start.Add(s.horizon()); end.After(maxEnd) {
			add("horizon", "%v from start %s ends at %s, after the year %d", Duration(s.horizon()), s.Start.Format(time.RFC3339), end.Format(time.RFC3339), rfc5545.MaxYear)
		}
	}
	return errs
}
