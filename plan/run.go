package plan

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

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
	// Exposure holds the histograms per severity, for the pooled
	// quantiles and the figures.
	Exposure []fleet.Histogram `json:"exposure,omitempty"`
	// PastSLA is the daily share of nodes past SLA (with Distributions).
	PastSLA []Float `json:"pastSLA,omitempty"`
	// Pools is the run's breakdown by pool.
	Pools []fleet.PoolResult `json:"pools,omitempty"`
	// Manager is what Fleet Manager did; nil without it.
	Manager *ManagerPair `json:"manager,omitempty"`
	// Actions is the rollout trace (with Trace, replication 0 only).
	Actions  []fleet.Action `json:"actions,omitempty"`
	Warnings []string       `json:"warnings,omitempty"`
}

// Experiment is a validated scenario ready to run: its variants expanded,
// each converted to the simulator's types and validated once, and its
// content model loaded.
type Experiment struct {
	Scenario *Scenario
	Variants []Variant
	Hash     string // SHA-256 of the scenario's canonical JSON
	fleets   []*fleet.Checked
	// same[v] is the first variant whose clusters are identical to v's
	// (v itself when none before is): such variants are run once.
	same  []int
	model upstreamModel
}

// New validates s, listing every problem at once, and prepares it to run.
func New(s *Scenario) (*Experiment, error) { return prepare(s, true) }

// prepare builds the experiment; without traces it skips reading the
// trace files, which only running needs, so that parts merge on a machine
// without them.
func prepare(s *Scenario, traces bool) (*Experiment, error) {
	c, err := s.compile(traces)
	if err != nil {
		return nil, err
	}
	canon, err := s.Canonical()
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	sum := sha256.Sum256(canon)
	p := &Experiment{Scenario: s, Variants: c.variants, Hash: hex.EncodeToString(sum[:]), fleets: c.fleets, model: c.model}
	first := map[string]int{}
	for i := range p.Variants {
		applied, _ := s.applied(&p.Variants[i]) // compile reported its errors
		fm, _ := s.fleetManager(&p.Variants[i])
		key, err := json.Marshal(struct {
			Clusters     []Cluster
			FleetManager *FleetManager
		}{applied, fm})
		if err != nil {
			return nil, fmt.Errorf("plan: variants[%d]: %w", i, err)
		}
		if j, ok := first[string(key)]; ok {
			p.same = append(p.same, j)
		} else {
			first[string(key)] = i
			p.same = append(p.same, i)
		}
	}
	return p, nil
}

// Pairs returns the number of (variant, replication) pairs.
func (p *Experiment) Pairs() int { return len(p.Variants) * p.Scenario.replications() }

// Pair returns the variant and replication of pair index k: pairs are
// numbered replication-major, so the first pairs cover every variant of
// replication 0.
func (p *Experiment) Pair(k int) (variant, replication int) {
	v := len(p.Variants)
	return k % v, k / v
}

// seeds returns the upstream and fleet seeds of a replication: the same for
// every variant, so variants are compared on common random numbers.
func (p *Experiment) seeds(rep int) (upstream, fleetSeed uint64) {
	r := sim.Stream(p.Scenario.Seed, "replication/"+strconv.Itoa(rep))
	return r.Uint64(), r.Uint64()
}

// All returns the index of every pair, 0 to Pairs()-1, for Run.
func (p *Experiment) All() []int {
	indexes := make([]int, p.Pairs())
	for i := range indexes {
		indexes[i] = i
	}
	return indexes
}

// Run runs exactly the pairs with the given indexes (none when empty: an
// empty shard) and returns their outcomes in the order of indexes; All
// lists every pair. A variant whose clusters are identical to an earlier
// variant's (a sweep axis that changes nothing under some channel, or a
// variant listed twice) is run once per replication and its outcome
// copied; Progress counts the runs.
func (p *Experiment) Run(ctx context.Context, indexes []int, opt Options) ([]Pair, error) {
	// runs are the distinct pairs to run; at[i] is the run of indexes[i].
	var runs []int
	at := make([]int, len(indexes))
	seen := map[int]int{}
	for i, k := range indexes {
		if k < 0 || k >= p.Pairs() {
			return nil, fmt.Errorf("plan: pair %d is outside 0 to %d", k, p.Pairs()-1)
		}
		v, rep := p.Pair(k)
		canon := rep*len(p.Variants) + p.same[v]
		j, ok := seen[canon]
		if !ok {
			j = len(runs)
			seen[canon] = j
			runs = append(runs, canon)
		}
		at[i] = j
	}
	var mu sync.Mutex
	done := 0
	ups := newUpstreams(p, runs)
	out, err := sim.Replicate(ctx, len(runs), opt.Workers, func(ctx context.Context, i int) (Pair, error) {
		pair, err := p.runPair(runs[i], ups, opt)
		if opt.Progress != nil {
			mu.Lock()
			done++
			opt.Progress(done, len(runs))
			mu.Unlock()
		}
		return pair, err
	})
	if err != nil {
		return nil, err
	}
	pairs := make([]Pair, len(indexes))
	for i, k := range indexes {
		pairs[i] = out[at[i]]
		pairs[i].Variant, _ = p.Pair(k)
	}
	return pairs, nil
}

func (p *Experiment) runPair(k int, ups *upstreams, opt Options) (Pair, error) {
	v, rep := p.Pair(k)
	_, fleetSeed := p.seeds(rep)
	up, err := ups.get(rep)
	if err != nil {
		return Pair{}, err
	}
	defer ups.done(rep)
	trace := opt.Trace && rep == 0
	res, err := p.fleets[v].Run(up, fleetSeed, trace)
	if err != nil {
		return Pair{}, fmt.Errorf("plan: variant %q replication %d: %w", p.Variants[v].Name, rep, err)
	}
	out := Pair{Variant: v, Replication: rep, Values: floats(values(res)), Pools: res.Pools, Manager: managerPair(res.Manager, opt.Distributions), Warnings: res.Warnings}
	for _, e := range res.Exposure {
		out.Exposure = append(out.Exposure, e.Hist)
	}
	if opt.Distributions {
		out.PastSLA = floats(res.PastSLA)
	}
	if trace {
		out.Actions = res.Actions
	}
	return out, nil
}

// Compare runs every pair and summarises them.
func (p *Experiment) Compare(ctx context.Context, opt Options) (*Comparison, error) {
	pairs, err := p.Run(ctx, p.All(), opt)
	if err != nil {
		return nil, err
	}
	return p.Summarize(pairs)
}

// upstreams shares each replication's upstream content between the pairs
// of that replication: it is generated once, by whichever pair needs it
// first (generation is deterministic, so which one does not matter), and
// dropped when the replication's last pair is done.
type upstreams struct {
	p  *Experiment
	mu sync.Mutex
	m  map[int]*sharedUpstream
}

type sharedUpstream struct {
	once sync.Once
	up   *channel.Upstream
	err  error
	left int // pairs of the replication still to use it
}

func newUpstreams(p *Experiment, indexes []int) *upstreams {
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
