package plan

import (
	"bytes"
	"fmt"
	"path/filepath"
	"time"

	"github.com/patchsim/patchsim/internal/infile"
	"github.com/patchsim/patchsim/internal/rfc5545"
)

// Limits that keep a scenario's memory and time bounded. No real plan
// meets them; each error names the one it exceeds.
const (
	// MaxFileBytes bounds a scenario file and each trace file it names (a
	// 220 MB scenario of blackout dates took minutes to refuse; /dev/zero
	// as a trace never ended).
	MaxFileBytes = 8 << 20
	// MaxLookback bounds upstream.lookback: ten years of content before
	// the start.
	MaxLookback = Duration(10 * 365 * 24 * time.Hour)
	// MaxPairs bounds the variants times the replications: a million runs,
	// whose results alone take about half a gigabyte (14,112 grid variants
	// x 100,000 replications validated, then could never finish).
	MaxPairs = 1_000_000
)

// Read reads the scenario file at path (a regular file of at most
// MaxFileBytes) and parses it, resolving its trace paths against its
// directory. It does not validate; Load does.
func Read(path string) (*Scenario, error) {
	data, err := infile.Read(path, MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return Parse(data, filepath.Dir(path))
}

// readTrace returns a reader of the trace file at p (relative to the
// scenario's directory), bounded as Read bounds a scenario.
func (s *Scenario) readTrace(p string) (*bytes.Reader, error) {
	data, err := infile.Read(s.path(p), MaxFileBytes)
	if err != nil {
		return nil, err
	}
	return bytes.NewReader(data), nil
}

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
	if s.Upstream.Lookback > MaxLookback {
		add("upstream.lookback", "%v is above the maximum %v", s.Upstream.Lookback, MaxLookback)
	}
	return errs
}

// pairLimit reports variants times replications above MaxPairs.
func (s *Scenario) pairLimit(variants int) error {
	if pairs := int64(variants) * int64(s.replications()); pairs > MaxPairs {
		return fieldErr("replications", "%d variants x %d replications make %d runs, above the maximum %d; fewer grid values or replications", variants, s.replications(), pairs, MaxPairs)
	}
	return nil
}
