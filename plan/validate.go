package plan

import (
	"errors"
	"fmt"

	"github.com/patchsim/patchsim/fleet"
)

// Validate reports every problem of the scenario at once, each once and
// naming its path, the value and what is allowed: the scenario's own
// fields, every cluster and pool as the simulator sees them, and every
// variant applied to them. Each problem is a [*FieldError] or, for a
// problem of no one field, a plain error. It reads the trace files. It
// never changes s.
func (s *Scenario) Validate() error {
	_, err := s.compile(true)
	return err
}

// compiled is a scenario converted to the simulator's types and validated,
// once: its variants, each variant's fleet configuration ready to run, and
// its content model.
type compiled struct {
	variants []Variant
	fleets   []*fleet.Checked // by variant
	model    upstreamModel
}

// compile converts and validates s, reading the trace files when traces is
// set. It returns every problem at once.
func (s *Scenario) compile(traces bool) (*compiled, error) {
	var errs problems
	if s.Start.IsZero() {
		// With the forms a date takes, in place of the fleet's bare rule.
		errs.add("", "", fieldErr("start", "is required (%s)", dateFormats))
		errs.mark("plan: start: is required")
	}
	errs.add("", "", field[Scenario]("replications").checkInt("replications", s.Replications))
	for _, err := range s.limits() {
		errs.add("", "", err)
	}
	ex, dis := s.objective()
	for _, o := range []struct{ path, key string }{{"objective.exposure", ex}, {"objective.disruption", dis}} {
		switch m, ok := metricIndex(o.key); {
		case !ok:
			errs.add("", "", fieldErr(o.path, "%q is not a metric (%s)", o.key, metricList()))
		case Metrics[m].HigherIsBetter:
			// The frontier and the recommendation minimise both: the
			// worst variant would be recommended.
			errs.add("", "", fieldErr(o.path, "%q is better when higher, but the objective is minimised (the frontier and the recommendation would favour the worst variants); choose a metric that is better when lower", o.key))
		}
	}
	for i, c := range s.Constraints {
		p := fmt.Sprintf("constraints[%d]", i)
		if _, ok := metricIndex(c.Metric); !ok {
			errs.add("", "", fieldErr(p+".metric", "%q is not a metric (%s)", c.Metric, metricList()))
		}
		if c.Max == nil && c.Min == nil {
			errs.add("", "", fieldErr(p, "needs max or min"))
		}
		if c.Max != nil && c.Min != nil && *c.Min > *c.Max {
			errs.add("", "", fieldErr(p, "min %g is above max %g: no value meets both", *c.Min, *c.Max))
		}
	}
	c := &compiled{}
	var err error
	c.model, err = s.upstreamModel(traces)
	errs.add("", "", err)

	// The clusters as the simulator sees them: conversion problems, then
	// the simulator's own rules (the start, the horizon, at least one
	// cluster among them) on the best-effort conversion.
	clusters, err := s.fleetClusters(nil)
	errs.add("", "", err)
	// The Fleet Manager in the file's terms first; the model sees it only
	// when that holds, so that no problem is told twice.
	var mgr *fleet.Manager
	if fm := s.FleetManager; fm != nil {
		mgr = fm.manager()
		if errs.add("", "", errors.Join(fm.check("fleetManager", s.Clusters)...)) {
			// The model checks the policy alone, so that its problems
			// are listed with the others.
			mgr = (&FleetManager{Policy: fm.Policy}).manager()
		}
	}
	base, err := fleet.Check(s.fleetConfig(clusters, mgr))
	errs.add("", "", managerErrors(err))

	vs, err := s.variants()
	// With problems of the variants or the grid, the variants the file
	// writes are still checked, so that every problem is listed at once.
	badVariants := errs.add("", "", err)
	if !badVariants && errs.add("", "", s.pairLimit(len(vs))) {
		return nil, errs.err()
	}
	c.variants = vs
	first := 0 // vs's index of the file's variants[0]
	if s.Grid != nil {
		first = 1
	}
	for i := range vs {
		v := &vs[i]
		if badVariants && v.grid {
			continue
		}
		if len(s.Variants) == 0 && s.Grid == nil {
			// The single baseline variant is the scenario itself.
			c.fleets = append(c.fleets, base)
			continue
		}
		// vs is the grid's baseline (with a grid), the file's variants,
		// then the grid's.
		label := fmt.Sprintf("variants[%d] (%s)", i-first, v.Name)
		if v.grid || i < first {
			label = fmt.Sprintf("grid (%s)", v.Name)
		}
		cl, err := s.fleetClusters(v)
		errs.add(label, "", err)
		vm := mgr
		if fm, err := s.fleetManager(v); !errs.add(label, "", err) && fm != s.FleetManager {
			vm = nil
			if !errs.add(label, "", errors.Join(fm.check("fleetManager", s.Clusters)...)) {
				vm = fm.manager()
			}
		}
		f, err := fleet.Check(s.fleetConfig(cl, vm))
		errs.add(label, "", managerErrors(err))
		c.fleets = append(c.fleets, f)
	}
	if err := errs.err(); err != nil {
		return nil, err
	}
	return c, nil
}
