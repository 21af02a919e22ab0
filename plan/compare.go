package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/sim"
)

// Options tune a comparison's execution; none changes its numbers.
type Options struct {
	// Workers run replications in parallel; zero means GOMAXPROCS. The
	// output is identical for every value.
	Workers int
	// Progress, when set, is called after each (variant, replication) pair
	// with the pairs done and the total; calls are serialised but come from
	// worker goroutines.
	Progress func(done, total int)
	// Distributions keeps each pair's exposure histograms and past-SLA
	// series, for CDF and timeline figures.
	Distributions bool
	// Trace keeps the rollout trace of replication 0 of each variant, for
	// the rollout timeline figure.
	Trace bool
}

// Pair is the outcome of one replication of one variant.
type Pair struct {
	Variant     int     `json:"variant"`
	Replication int     `json:"replication"`
	Values      []Float `json:"values"` // in Metrics order
	// Exposure holds the histograms per severity (with Distributions).
	Exposure []fleet.Histogram `json:"exposure,omitempty"`
	// PastSLA is the daily share of nodes past SLA (with Distributions).
	PastSLA []Float `json:"pastSLA,omitempty"`
	// Actions is the rollout trace (with Trace, replication 0 only).
	Actions  []fleet.Action `json:"actions,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
}

// Plan is a validated scenario ready to run: its variants expanded and its
// content model loaded.
type Plan struct {
	Scenario *Scenario
	Variants []Variant
	Hash     string // SHA-256 of the scenario's canonical JSON
	clusters [][]fleet.Cluster
	model    upstreamModel
}

// New validates s and prepares it to run.
func New(s *Scenario) (*Plan, error) { return prepare(s, true) }

// prepare builds the plan; without run it skips what only running needs
// (reading trace files), so that parts merge on a machine without them.
func prepare(s *Scenario, run bool) (*Plan, error) {
	if run {
		// Validate first: it lists every problem, where variants() would
		// stop at the variants' own.
		if err := s.Validate(); err != nil {
			return nil, err
		}
	}
	vs, err := s.variants()
	if err != nil {
		return nil, err
	}
	var m upstreamModel
	if run {
		if m, err = s.upstreamConfig(); err != nil {
			return nil, err
		}
	}
	canon, err := s.Canonical()
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	sum := sha256.Sum256(canon)
	p := &Plan{Scenario: s, Variants: vs, Hash: hex.EncodeToString(sum[:]), model: m}
	for i := range vs {
		cl, err := s.fleetClusters(&vs[i])
		if err != nil {
			return nil, err
		}
		p.clusters = append(p.clusters, cl)
	}
	return p, nil
}

// Pairs returns the number of (variant, replication) pairs.
func (p *Plan) Pairs() int { return len(p.Variants) * p.Scenario.replications() }

// Pair returns the variant and replication of pair index k: pairs are
// numbered replication-major, so the first pairs cover every variant of
// replication 0.
func (p *Plan) Pair(k int) (variant, replication int) {
	v := len(p.Variants)
	return k % v, k / v
}

// seeds returns the upstream and fleet seeds of a replication: the same for
// every variant, so variants are compared on common random numbers.
func (p *Plan) seeds(rep int) (upstream, fleetSeed uint64) {
	r := sim.Stream(p.Scenario.Seed, "replication/"+strconv.Itoa(rep))
	return r.Uint64(), r.Uint64()
}

// Run runs the pairs with the given indexes (all of them when nil) and
// returns their outcomes in the order of indexes.
func (p *Plan) Run(ctx context.Context, indexes []int, opt Options) ([]Pair, error) {
	if indexes == nil {
		indexes = make([]int, p.Pairs())
		for i := range indexes {
			indexes[i] = i
		}
	}
	var mu sync.Mutex
	done := 0
	ups := newUpstreams(p, indexes)
	return sim.Replicate(ctx, len(indexes), opt.Workers, func(ctx context.Context, i int) (Pair, error) {
		k := indexes[i]
		if k < 0 || k >= p.Pairs() {
			return Pair{}, fmt.Errorf("plan: pair %d is outside 0 to %d", k, p.Pairs()-1)
		}
		pair, err := p.runPair(k, ups, opt)
		if opt.Progress != nil {
			mu.Lock()
			done++
			opt.Progress(done, len(indexes))
			mu.Unlock()
		}
		return pair, err
	})
}

func (p *Plan) runPair(k int, ups *upstreams, opt Options) (Pair, error) {
	v, rep := p.Pair(k)
	_, fleetSeed := p.seeds(rep)
	up, err := ups.get(rep)
	if err != nil {
		return Pair{}, err
	}
	defer ups.done(rep)
	cfg := p.Scenario.fleetConfig(p.clusters[v], up)
	cfg.Seed = fleetSeed
	cfg.Trace = opt.Trace && rep == 0
	res, err := fleet.Run(cfg)
	if err != nil {
		return Pair{}, fmt.Errorf("plan: variant %q replication %d: %w", p.Variants[v].Name, rep, err)
	}
	out := Pair{Variant: v, Replication: rep, Values: floats(values(res)), Warnings: res.Warnings}
	if opt.Distributions {
		for _, e := range res.Exposure {
			out.Exposure = append(out.Exposure, e.Hist)
		}
		out.PastSLA = floats(res.PastSLA)
	}
	if cfg.Trace {
		out.Actions = res.Actions
	}
	return out, nil
}

// Compare runs every pair and summarises them.
func (p *Plan) Compare(ctx context.Context, opt Options) (*Comparison, error) {
	pairs, err := p.Run(ctx, nil, opt)
	if err != nil {
		return nil, err
	}
	return p.Summarize(pairs)
}

// Comparison is the summary of a what-if: every variant's metrics with 95%
// confidence intervals over the replications, the paired differences
// against the first variant, the Pareto frontier and the recommendation.
type Comparison struct {
	Scenario     string    `json:"scenario"`
	Hash         string    `json:"hash"`
	Seed         uint64    `json:"seed"`
	Replications int       `json:"replications"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	// SLA is the effective remediation target per severity (defaults
	// filled in).
	SLA         SLA          `json:"sla"`
	Objective   Objective    `json:"objective"`
	Constraints []Constraint `json:"constraints,omitempty"`
	Metrics     []Metric     `json:"metrics"`
	Variants    []Summary    `json:"variants"`
	// Frontier lists the variants on the Pareto frontier of the objective's
	// exposure and disruption means, by increasing disruption.
	Frontier       []int           `json:"frontier"`
	Recommendation *Recommendation `json:"recommendation,omitempty"`
}

// Summary is one variant's outcome.
type Summary struct {
	Name  string `json:"name"`
	Stats []Stat `json:"stats"` // in Metrics order
	// Diff is the paired difference (this variant minus the first) per
	// metric; empty for the first variant.
	Diff []Stat `json:"diff,omitempty"`
	// Exposure pools the replications' histograms per severity (with
	// Options.Distributions).
	Exposure []fleet.Histogram `json:"exposure,omitempty"`
	// PastSLA is the mean over replications of the daily share of nodes
	// past SLA (with Options.Distributions).
	PastSLA []Float `json:"pastSLA,omitempty"`
	// Actions is replication 0's rollout trace (with Options.Trace).
	Actions  []fleet.Action `json:"actions,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
}

// Stat summarises one metric over replications: the mean and its 95%
// Student-t confidence interval over the N replications with a finite
// value. Inf counts replications where the metric was +Inf (a quantile not
// reached within the horizon); then Mean, Lo and Hi are +Inf. Replications
// where the metric does not apply (no advisory of a severity) are left out.
type Stat struct {
	N    int   `json:"n"`
	Inf  int   `json:"inf,omitempty"`
	Mean Float `json:"mean"`
	SD   Float `json:"sd"`
	Lo   Float `json:"lo"`
	Hi   Float `json:"hi"`
}

// statOf summarises xs.
func statOf(xs []float64) Stat {
	var finite []float64
	inf := 0
	for _, x := range xs {
		switch {
		case math.IsInf(x, 0):
			inf++
		case !math.IsNaN(x):
			finite = append(finite, x)
		}
	}
	st := Stat{N: len(finite), Inf: inf}
	if inf > 0 {
		st.Mean, st.SD, st.Lo, st.Hi = Float(math.Inf(1)), Float(math.NaN()), Float(math.Inf(1)), Float(math.Inf(1))
		return st
	}
	if len(finite) == 0 {
		nan := Float(math.NaN())
		st.Mean, st.SD, st.Lo, st.Hi = nan, nan, nan, nan
		return st
	}
	s := sim.Summarize(finite, 0.95)
	st.Mean, st.SD, st.Lo, st.Hi = Float(s.Mean), Float(s.StdDev), Float(s.Lo), Float(s.Hi)
	if len(finite) == 1 {
		st.SD = Float(math.NaN())
	}
	return st
}

// Summarize turns the outcomes of every pair (in any order, each exactly
// once) into the comparison. It is a pure function of the plan and the
// pairs, so pairs computed on several machines summarise to the same bytes.
func (p *Plan) Summarize(pairs []Pair) (*Comparison, error) {
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
	s := p.Scenario
	ex, dis := s.objective()
	c := &Comparison{Scenario: s.Name, Hash: p.Hash, Seed: s.Seed, Replications: R,
		Start: s.Start, End: s.Start.Add(s.horizon()), SLA: s.effectiveSLA(), Objective: Objective{Exposure: ex, Disruption: dis},
		Constraints: s.Constraints, Metrics: Metrics}
	xs := make([]float64, R)
	for v := range V {
		sum := Summary{Name: p.Variants[v].Name}
		for m := range Metrics {
			for r := range R {
				xs[r] = float64(grid[v][r].Values[m])
			}
			sum.Stats = append(sum.Stats, statOf(xs))
			if v > 0 {
				for r := range R {
					xs[r] = float64(grid[v][r].Values[m] - grid[0][r].Values[m])
				}
				sum.Diff = append(sum.Diff, statOf(xs))
			}
		}
		warn := map[string]bool{}
		for r := range R {
			q := grid[v][r]
			for _, w := range q.Warnings {
				warn[w] = true
			}
			if len(q.Exposure) > 0 {
				if sum.Exposure == nil {
					sum.Exposure = make([]fleet.Histogram, channel.NumSeverities)
				}
				for i := range q.Exposure {
					sum.Exposure[i].Merge(&q.Exposure[i])
				}
			}
			if len(q.PastSLA) > 0 {
				if sum.PastSLA == nil {
					sum.PastSLA = make([]Float, len(q.PastSLA))
				}
				for d, x := range q.PastSLA {
					sum.PastSLA[d] += x / Float(R)
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
	c.Recommendation = c.recommend(grid)
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

// upstreams shares each replication's upstream content between the pairs
// of that replication: it is generated once, by whichever pair needs it
// first (generation is deterministic, so which one does not matter), and
// dropped when the replication's last pair is done.
type upstreams struct {
	p  *Plan
	mu sync.Mutex
	m  map[int]*sharedUpstream
}

type sharedUpstream struct {
	once sync.Once
	up   *channel.Upstream
	err  error
	left int // pairs of the replication still to use it
}

func newUpstreams(p *Plan, indexes []int) *upstreams {
	u := &upstreams{p: p, m: map[int]*sharedUpstream{}}
	for _, k := range indexes {
		_, rep := p.Pair(k)
		e := u.m[rep]
		if e == nil {
			e = &sharedUpstream{}
			u.m[rep] = e
		}
		e.left++
	}
	return u
}

func (u *upstreams) get(rep int) (*channel.Upstream, error) {
	u.mu.Lock()
	e := u.m[rep]
	u.mu.Unlock()
	e.once.Do(func() {
		seed, _ := u.p.seeds(rep)
		e.up, e.err = u.p.model.generate(u.p.Scenario, seed)
	})
	return e.up, e.err
}

func (u *upstreams) done(rep int) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if e := u.m[rep]; e != nil {
		if e.left--; e.left == 0 {
			delete(u.m, rep)
		}
	}
}
