package plan

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/sim"
)

// Comparison is the summary of a what-if: every variant's metrics with 95%
// confidence intervals over the replications, the paired differences
// against the first variant, the Pareto frontier and the recommendation.
type Comparison struct {
	Scenario string `json:"scenario"`
	Hash     string `json:"hash"` // SHA-256 of the scenario's canonical JSON
	// Version is the build that summarised the pairs (see Version).
	Version      string    `json:"version,omitempty"`
	Seed         uint64    `json:"seed"`
	Replications int       `json:"replications"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	// SLA is the effective remediation target per severity (defaults
	// filled in).
	SLA SLA `json:"sla"`
	// Settle is the end of the run whose advisories the exposure metrics
	// leave out (too young to have had their chance).
	Settle      Duration     `json:"settle"`
	Objective   Objective    `json:"objective"`
	Constraints []Constraint `json:"constraints,omitempty"`
	Metrics     []Metric     `json:"metrics"`
	Variants    []Summary    `json:"variants"`
	// Frontier lists the variants on the Pareto frontier of the objective's
	// exposure and disruption values (Stat.Value), by increasing disruption.
	Frontier       []int           `json:"frontier"`
	Recommendation *Recommendation `json:"recommendation,omitempty"`
	// Race says what a race ran ([Experiment.Race]); nil when every pair
	// ran.
	Race *Race `json:"race,omitempty"`
}

// Summary is one variant's outcome.
type Summary struct {
	Name string `json:"name"`
	// Grid is a sweep variant's value on each axis of the grid, in the
	// grid's axis order; empty for a listed variant.
	Grid  []Setting `json:"grid,omitempty"`
	Stats []Stat    `json:"stats"` // in Metrics order
	// Diff is the paired difference (this variant minus the first) per
	// metric; empty for the first variant.
	Diff []Stat `json:"diff,omitempty"`
	// Exposure pools the replications' histograms per severity.
	Exposure []fleet.Histogram `json:"exposure,omitempty"`
	// PastSLA is the mean over replications of the daily share of nodes
	// past SLA (with Options.Distributions).
	PastSLA []Float `json:"pastSLA,omitempty"`
	// Pools breaks exposure and disruption down by pool: where they come
	// from.
	Pools []PoolSummary `json:"pools,omitempty"`
	// Stages breaks the Fleet Manager strategy down by stage: how long a
	// release takes to be done there and its members' exposure; empty
	// without Fleet Manager.
	Stages []UpdateStageSummary `json:"stages,omitempty"`
	// BehindFirstStage is the mean over replications of the daily share of
	// Fleet Manager members behind the first stage (with
	// Options.Distributions).
	BehindFirstStage []Float `json:"behindFirstStage,omitempty"`
	// Actions is replication 0's rollout trace (with Options.Trace).
	Actions  []fleet.Action `json:"actions,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
}

// Stat summarises one metric over replications: the mean and its 95%
// Student-t confidence interval over the N replications with a finite
// value, the interval clamped to the metric's range. Inf counts
// replications where the metric was infinite (a quantile not reached within
// the horizon: +Inf; in a paired difference, -Inf where only the first
// variant missed it); then Mean, Lo and Hi are that infinity, or NaN when
// a difference was infinite both ways. Replications where the metric
// does not apply (no advisory of a severity) are left out. Exposure
// quantiles also carry their Pooled estimate, which [Stat.Value] prefers.
type Stat struct {
	N      int     `json:"n"`
	Inf    int     `json:"inf,omitempty"`
	Mean   Float   `json:"mean"`
	SD     Float   `json:"sd"`
	Lo     Float   `json:"lo"`
	Hi     Float   `json:"hi"`
	Pooled *Pooled `json:"pooled,omitempty"`
}

// Value is the number that stands for the metric in tables, the frontier,
// constraints and the recommendation: the pooled quantile for exposure
// quantiles, the mean over replications otherwise.
func (s Stat) Value() Float {
	if s.Pooled != nil {
		return s.Pooled.Value
	}
	return s.Mean
}

// Interval is the 95% interval of Value.
func (s Stat) Interval() (lo, hi Float) {
	if s.Pooled != nil {
		return s.Pooled.Lo, s.Pooled.Hi
	}
	return s.Lo, s.Hi
}

// statOf summarises xs, clamping the interval to [lo, hi].
func statOf(xs []float64, lo, hi float64) Stat {
	var finite []float64
	pos, neg := 0, 0
	for _, x := range xs {
		switch {
		case math.IsInf(x, 1):
			pos++
		case math.IsInf(x, -1):
			neg++
		case !math.IsNaN(x):
			finite = append(finite, x)
		}
	}
	st := Stat{N: len(finite), Inf: pos + neg}
	if pos+neg > 0 {
		inf := Float(math.Inf(1))
		switch {
		case pos > 0 && neg > 0:
			inf = Float(math.NaN())
		case neg > 0:
			inf = Float(math.Inf(-1))
		}
		st.Mean, st.SD, st.Lo, st.Hi = inf, Float(math.NaN()), inf, inf
		return st
	}
	if len(finite) == 0 {
		nan := Float(math.NaN())
		st.Mean, st.SD, st.Lo, st.Hi = nan, nan, nan, nan
		return st
	}
	s := sim.Summarize(finite, 0.95)
	st.Mean, st.SD, st.Lo, st.Hi = Float(s.Mean), Float(s.StdDev), Float(max(s.Lo, lo)), Float(min(s.Hi, hi))
	if len(finite) == 1 {
		st.SD = Float(math.NaN())
	}
	return st
}

// Summarize turns the outcomes of every pair (in any order, each exactly
// once) into the comparison. It is a pure function of the plan and the
// pairs, so pairs computed on several machines summarise to the same bytes.
func (p *Experiment) Summarize(pairs []Pair) (*Comparison, error) {
	V, R := len(p.Variants), p.Scenario.replications()
	grid := make([][]*Pair, V)
	for v := range grid {
		grid[v] = make([]*Pair, R)
	}
	for i := range pairs {
		q := &pairs[i]
		if q.Variant < 0 || q.Variant >= V || q.Replication < 0 || q.Replication >= R {
			return nil, fmt.Errorf("plan: pair (variant %d, replication %d) is outside the scenario's %d variants x %d replications", q.Variant, q.Replication, V, R)
		}
		if grid[q.Variant][q.Replication] != nil {
			return nil, fmt.Errorf("plan: pair (variant %d, replication %d) appears twice", q.Variant, q.Replication)
		}
		if len(q.Values) != len(Metrics) {
			return nil, fmt.Errorf("plan: pair (variant %d, replication %d) has %d values, want %d", q.Variant, q.Replication, len(q.Values), len(Metrics))
		}
		grid[q.Variant][q.Replication] = q
	}
	for v := range grid {
		for r, q := range grid[v] {
			if q == nil {
				return nil, fmt.Errorf("plan: pair (variant %d %q, replication %d) is missing", v, p.Variants[v].Name, r)
			}
		}
	}
	return p.summarize(grid, nil)
}

// summarize summarises grid[v][r], the pairs of variant v by replication.
// Variants may hold different numbers of replications (a race): each
// variant's statistics are over its own, paired differences over those it
// shares with the first variant. Only variants with eligible set (every
// variant when nil) can be recommended.
func (p *Experiment) summarize(grid [][]*Pair, eligible []bool) (*Comparison, error) {
	V, R := len(p.Variants), p.Scenario.replications()
	s := p.Scenario
	ex, dis := s.objective()
	c := &Comparison{Scenario: s.Name, Hash: p.Hash, Version: buildVersion(), Seed: s.Seed, Replications: R,
		Start: s.Start, End: s.Start.Add(s.horizon()), SLA: s.effectiveSLA(), Settle: Duration(s.settle()), Objective: Objective{Exposure: ex, Disruption: dis},
		Constraints: s.Constraints, Metrics: Metrics}
	horizon := s.horizon().Hours() / 24
	for v := range V {
		sum := Summary{Name: p.Variants[v].Name, Grid: p.Variants[v].cell}
		n, shared := len(grid[v]), min(len(grid[v]), len(grid[0]))
		xs := make([]float64, n)
		for m, mt := range Metrics {
			for r := range n {
				xs[r] = float64(grid[v][r].Values[m])
			}
			lo, hi := mt.bounds(horizon)
			sum.Stats = append(sum.Stats, statOf(xs, lo, hi))
			if v > 0 {
				for r := range shared {
					xs[r] = float64(grid[v][r].Values[m] - grid[0][r].Values[m])
				}
				// A difference of two values in [lo, hi] lies in [lo-hi, hi-lo].
				sum.Diff = append(sum.Diff, statOf(xs[:shared], lo-hi, hi-lo))
			}
		}
		if err := sum.pool(grid[v], horizon); err != nil {
			return nil, fmt.Errorf("plan: variant %d %q: %w", v, sum.Name, err)
		}
		var err error
		if sum.Pools, err = poolSummaries(grid[v], horizon); err != nil {
			return nil, fmt.Errorf("plan: variant %d %q: %w", v, sum.Name, err)
		}
		if sum.Stages, sum.BehindFirstStage, err = stageSummaries(grid[v], p.stageWaits(v)); err != nil {
			return nil, fmt.Errorf("plan: variant %d %q: %w", v, sum.Name, err)
		}
		warn := map[string]bool{}
		for r := range n {
			q := grid[v][r]
			for _, w := range q.Warnings {
				warn[w] = true
			}
			if len(q.PastSLA) > 0 {
				if sum.PastSLA == nil {
					sum.PastSLA = make([]Float, len(q.PastSLA))
				}
				for d, x := range q.PastSLA {
					sum.PastSLA[d] += x / Float(n)
				}
			}
			if r == 0 {
				sum.Actions = q.Actions
			}
		}
		for w := range warn {
			sum.Warnings = append(sum.Warnings, w)
		}
		sort.Strings(sum.Warnings)
		c.Variants = append(c.Variants, sum)
	}
	c.Frontier = c.frontier()
	c.Recommendation = c.recommend(grid, eligible)
	return c, nil
}

func (s *Scenario) objective() (exposure, disruption string) {
	exposure, disruption = s.Objective.Exposure, s.Objective.Disruption
	if exposure == "" {
		exposure = DefaultExposure
	}
	if disruption == "" {
		disruption = DefaultDisruption
	}
	return exposure, disruption
}

// PoolSummary is one pool's share of a variant's exposure and disruption,
// over the replications.
type PoolSummary struct {
	Cluster string `json:"cluster"`
	Pool    string `json:"pool"`
	Count   int    `json:"count"` // the pool's nodes
	// PastSLAShare is the share of the pool's node-days past SLA (its nodes
	// holding an advisory older than its SLA at the start of a day), and
	// PastSLAPart its part of the fleet's node-days past SLA; both pool
	// every replication's node-days (NaN when the fleet was never past
	// SLA).
	PastSLAShare Float `json:"pastSLAShare"`
	PastSLAPart  Float `json:"pastSLAPart"`
	// VulnerableNodeDays per severity (critical first) and the
	// disruption counts are means per replication.
	VulnerableNodeDays []Float `json:"vulnerableNodeDays"`
	Operations         Float   `json:"operations"`
	Failed             Float   `json:"failedOperations"`
	BlockedDrains      Float   `json:"blockedDrains"`
	Quarantined        Float   `json:"quarantined"`
	Reimages           Float   `json:"reimages"`
	// NodesCreated and NodesRemoved are the autoscaler's, per replication
	// (zero for a fixed-size pool).
	NodesCreated Float `json:"nodesCreated,omitempty"`
	NodesRemoved Float `json:"nodesRemoved,omitempty"`
}

// poolSummaries sums the replications' pool breakdowns; every replication
// has the same pools.
func poolSummaries(reps []*Pair, horizonDays float64) ([]PoolSummary, error) {
	if len(reps) == 0 || len(reps[0].Pools) == 0 {
		return nil, nil
	}
	first := reps[0].Pools
	out := make([]PoolSummary, len(first))
	past := make([]float64, len(first))
	nodeDays := make([]float64, len(first))
	total := 0.0
	n := Float(len(reps))
	for i, p := range first {
		out[i] = PoolSummary{Cluster: p.Cluster, Pool: p.Pool, Count: p.Count, VulnerableNodeDays: make([]Float, len(p.VulnerableNodeDays))}
	}
	for r, q := range reps {
		if len(q.Pools) != len(first) {
			return nil, fmt.Errorf("replication %d has %d pools, replication 0 %d", r, len(q.Pools), len(first))
		}
		for i, p := range q.Pools {
			o := &out[i]
			if p.Cluster != o.Cluster || p.Pool != o.Pool {
				return nil, fmt.Errorf("replication %d: pool %d is %s/%s, in replication 0 %s/%s", r, i, p.Cluster, p.Pool, o.Cluster, o.Pool)
			}
			// Sums, divided by the replications at the end.
			for s, x := range p.VulnerableNodeDays {
				o.VulnerableNodeDays[s] += Float(x)
			}
			o.Operations += Float(p.Operations)
			o.Failed += Float(p.Failed)
			o.BlockedDrains += Float(p.BlockedDrains)
			o.Quarantined += Float(p.Quarantined)
			o.Reimages += Float(p.Reimages)
			o.NodesCreated += Float(p.Created)
			o.NodesRemoved += Float(p.Removed)
			past[i] += p.PastSLANodeDays
			nodeDays[i] += p.NodeDays
			total += p.PastSLANodeDays
		}
	}
	for i := range out {
		o := &out[i]
		for s := range o.VulnerableNodeDays {
			o.VulnerableNodeDays[s] /= n
		}
		for _, x := range []*Float{&o.Operations, &o.Failed, &o.BlockedDrains, &o.Quarantined, &o.Reimages, &o.NodesCreated, &o.NodesRemoved} {
			*x /= n
		}
		o.PastSLAShare = Float(past[i] / (float64(o.Count) * math.Ceil(horizonDays) * float64(len(reps))))
		if o.NodesCreated+o.NodesRemoved > 0 {
			// An autoscaled pool: over the node-days it had.
			o.PastSLAShare = Float(past[i] / nodeDays[i])
		}
		o.PastSLAPart = Float(math.NaN())
		if total > 0 {
			o.PastSLAPart = Float(past[i] / total)
		}
	}
	return out, nil
}
