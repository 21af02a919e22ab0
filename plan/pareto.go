package plan

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// mean returns variant v's mean of metric m.
func (c *Comparison) mean(v, m int) float64 { return float64(c.Variants[v].Stats[m].Mean) }

// frontier returns the variants whose (exposure, disruption) means no other
// variant beats in both (lower or equal in both, lower in one), by
// increasing disruption. Variants with an undefined mean are left out.
func (c *Comparison) frontier() []int {
	ex, _ := metricIndex(c.Objective.Exposure)
	dis, _ := metricIndex(c.Objective.Disruption)
	var pts []int
	for v := range c.Variants {
		if !math.IsNaN(c.mean(v, ex)) && !math.IsNaN(c.mean(v, dis)) {
			pts = append(pts, v)
		}
	}
	var out []int
	for _, a := range pts {
		dominated := false
		for _, b := range pts {
			if a == b {
				continue
			}
			le := c.mean(b, ex) <= c.mean(a, ex) && c.mean(b, dis) <= c.mean(a, dis)
			lt := c.mean(b, ex) < c.mean(a, ex) || c.mean(b, dis) < c.mean(a, dis)
			if le && lt {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := c.mean(out[i], dis), c.mean(out[j], dis)
		if di != dj {
			return di < dj
		}
		return out[i] < out[j]
	})
	return out
}

// Recommendation is the best variant under the constraints: the lowest
// mean of the objective's exposure metric among the variants whose means
// meet every constraint, ties broken by lower disruption.
type Recommendation struct {
	Best     int   `json:"best"`               // variant index; -1 when none is feasible
	RunnerUp int   `json:"runnerUp"`           // -1 when there is none
	Feasible []int `json:"feasible,omitempty"` // every variant meeting the constraints, best first
	// Margin is the paired difference of the exposure metric, runner-up
	// minus best, over the replications: how much the choice matters.
	Margin *Stat  `json:"margin,omitempty"`
	Reason string `json:"reason"`
}

func (c *Comparison) recommend(grid [][]*Pair) *Recommendation {
	ex, _ := metricIndex(c.Objective.Exposure)
	dis, _ := metricIndex(c.Objective.Disruption)
	var feasible []int
	var reasons []string
	for v := range c.Variants {
		ok := !math.IsNaN(c.mean(v, ex))
		for _, k := range c.Constraints {
			m, _ := metricIndex(k.Metric)
			x := c.mean(v, m)
			if math.IsNaN(x) || (k.Max != nil && x > *k.Max) || (k.Min != nil && x < *k.Min) {
				ok = false
			}
		}
		if ok {
			feasible = append(feasible, v)
		}
	}
	sort.SliceStable(feasible, func(i, j int) bool {
		a, b := feasible[i], feasible[j]
		if c.mean(a, ex) != c.mean(b, ex) {
			return c.mean(a, ex) < c.mean(b, ex)
		}
		return c.mean(a, dis) < c.mean(b, dis)
	})
	r := &Recommendation{Best: -1, RunnerUp: -1, Feasible: feasible}
	for _, k := range c.Constraints {
		s := k.Metric
		if k.Max != nil {
			s += fmt.Sprintf(" <= %g", *k.Max)
		}
		if k.Min != nil {
			s += fmt.Sprintf(" >= %g", *k.Min)
		}
		reasons = append(reasons, s)
	}
	cons := "no constraints"
	if len(reasons) > 0 {
		cons = strings.Join(reasons, ", ")
	}
	if len(feasible) == 0 {
		r.Reason = fmt.Sprintf("no variant meets %s", cons)
		return r
	}
	r.Best = feasible[0]
	r.Reason = fmt.Sprintf("lowest mean %s among %d of %d variants meeting %s", c.Objective.Exposure, len(feasible), len(c.Variants), cons)
	if len(feasible) > 1 {
		r.RunnerUp = feasible[1]
		xs := make([]float64, len(grid[0]))
		for rep := range xs {
			xs[rep] = float64(grid[r.RunnerUp][rep].Values[ex] - grid[r.Best][rep].Values[ex])
		}
		m := statOf(xs)
		r.Margin = &m
	}
	return r
}
