package plan

import (
	"errors"
	"fmt"

	"github.com/patchsim/patchsim/channel"
)

// Validate reports every problem of the scenario at once, each naming its
// path, the value and what is allowed: the scenario's own fields, every
// cluster and pool as the simulator sees them, and every variant applied to
// them. It never changes s.
func (s *Scenario) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, fmt.Errorf("plan: %s: "+format, append([]any{path}, args...)...))
	}
	if s.Start.IsZero() {
		add("start", "is required (RFC 3339, e.g. 2025-01-06T00:00:00Z)")
	}
	if s.Horizon < 0 {
		add("horizon", "%v must be positive", s.Horizon)
	}
	if s.Replications < 0 || s.Replications > MaxReplications {
		add("replications", "%d is outside 1 to %d (0 means %d)", s.Replications, MaxReplications, DefaultReplications)
	}
	if len(s.Clusters) == 0 {
		errs = append(errs, errNoClusters)
	}
	errs = append(errs, s.limits()...)
	if _, err := s.upstreamConfig(); err != nil {
		errs = append(errs, err)
	}
	ex, dis := s.objective()
	if _, ok := metricIndex(ex); !ok {
		add("objective.exposure", "%q is not a metric (%s)", ex, metricList())
	}
	if _, ok := metricIndex(dis); !ok {
		add("objective.disruption", "%q is not a metric (%s)", dis, metricList())
	}
	for i, c := range s.Constraints {
		p := fmt.Sprintf("constraints[%d]", i)
		if _, ok := metricIndex(c.Metric); !ok {
			add(p+".metric", "%q is not a metric (%s)", c.Metric, metricList())
		}
		if c.Max == nil && c.Min == nil {
			add(p, "needs max or min")
		}
	}
	// The clusters as the simulator sees them: conversion problems, then
	// the simulator's own rules on the best-effort conversion.
	base, err := s.fleetClusters(nil)
	if err != nil {
		errs = append(errs, err)
	}
	if ferr := s.fleetConfig(base, &channel.Upstream{}).Validate(); ferr != nil {
		errs = append(errs, prefix("", ferr)...)
	}
	variants, verr := s.variants()
	if verr != nil {
		errs = append(errs, verr)
	}
	if err == nil && verr == nil {
		// Variant problems are reported only on a valid base, so that a
		// base problem is not repeated once per variant.
		for i, v := range variants {
			p := fmt.Sprintf("variants[%d] (%s) ", i, v.Name)
			if v.grid {
				p = fmt.Sprintf("grid (%s) ", v.Name)
			}
			cl, err := s.fleetClusters(&v)
			if err != nil {
				errs = append(errs, prefix(p, err)...)
			}
			if ferr := s.fleetConfig(cl, &channel.Upstream{}).Validate(); ferr != nil {
				errs = append(errs, prefix(p, ferr)...)
			}
		}
	}
	return errors.Join(errs...)
}
