package plan

import (
	"context"
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/patchsim/patchsim/sim"
)

// Racing configures [Experiment.Race]. The zero value races every pair of
// the scenario at 95% confidence, exact ties only, from a first round of
// 10 replications.
type Racing struct {
	// Confidence is the confidence of the final choice: half of 1 -
	// Confidence bounds the chance that the best variant is dropped, the
	// other half the chance that a survivor beats the recommendation by
	// more than Tolerance. Zero means 0.95; it must be in (0, 1).
	Confidence float64
	// Tolerance is the indifference zone, in the unit of the objective's
	// exposure metric (days for the default): a survivor better than the
	// recommendation by less than this is as good, and Kim and Nelson's
	// screen may drop a variant within it of the best. Zero counts only
	// exact ties (identical values in every replication) and turns the
	// screen off; it must not be negative.
	Tolerance float64
	// Budget is the most pairs to run; zero means every pair (variants x
	// replications). It must cover the first round.
	Budget int
	// First is the number of replications of the first round; zero means
	// 10 (all of them when the scenario has fewer).
	First int
}

// Race is what a race did. Per-variant slices are in variant order.
type Race struct {
	Confidence float64 `json:"confidence"` // the requested confidence
	Tolerance  float64 `json:"tolerance"`
	// Rounds is the replications every surviving variant had run after
	// each round: the first round, then doubling up to the scenario's.
	Rounds []int `json:"rounds"`
	Pairs  int   `json:"pairs"` // pairs run
	Full   int   `json:"full"`  // pairs of the full grid
	// Replications is, per variant, the replications (pairs) it ran.
	Replications []int `json:"replications"`
	// Dropped is, per variant, the round (index in Rounds) after which it
	// was dropped, or -1 for a survivor.
	Dropped []int `json:"dropped"`
	// Achieved is the confidence of the recommendation (a Bonferroni
	// bound): 1, less half of 1 - Confidence for the drops, less, for every
	// other survivor, the one-sided p-value of "it beats the recommendation
	// by more than Tolerance" from the final paired differences; 0 without
	// a recommendation. It is at least Confidence when the race separated
	// the recommendation, and less when the budget or the replications ran
	// out first.
	Achieved float64 `json:"achieved"`
}

// Race runs the comparison in rounds and drops, after each round, the
// variants that are worse with confidence: those that miss a constraint,
// and those whose paired difference against the current best (the
// recommendation among the survivors) on the objective's exposure metric
// is above zero. A drop also needs the recommendation's own reading of the
// variant ([Stat.Value], pooled for exposure quantiles) to miss the
// constraint or to be worse than the best's, so a race never drops what
// the full grid would find feasible or better. It stops when the recommendation is separated from every
// other survivor at the requested confidence, when the scenario's
// replications are all run, or before a round that would exceed the
// budget. With a Tolerance, Kim and Nelson's indifference-zone screen
// (procedure KN) drops variants too: its bound on the paired difference
// shrinks with the replications, so that near-ties go once they are shown
// to be within the tolerance.
//
// Every round runs the same replications for every survivor, so
// differences are paired on common random numbers, and rounds depend on
// the scenario, rc and the pairs' values alone: the same seed gives the
// same pairs and the same Comparison whatever opt.Workers. Half of 1 -
// Confidence is shared equally by the kinds of test (each constraint, the
// paired t-test, and the screen with a tolerance); a one-sided test's
// share is divided by the rounds, as the best variant meets at most one
// test of each kind per round, so it is dropped with probability at most
// that half (Bonferroni,
// with the paired t-test's normal approximation, and a sign test where a
// metric is infinite in some replication). A variant whose exposure metric
// has no value in any replication (nothing remediated) cannot be
// recommended and is dropped too. The Comparison's statistics are over
// each variant's own replications, its recommendation is among the
// survivors, and its Race field says what ran.
func (p *Experiment) Race(ctx context.Context, rc Racing, opt Options) (*Comparison, error) {
	V, R := len(p.Variants), p.Scenario.replications()
	if err := rc.validate(V * R); err != nil {
		return nil, err
	}
	conf, first, budget := rc.Confidence, rc.First, rc.Budget
	if conf == 0 {
		conf = 0.95
	}
	if first == 0 {
		first = 10
	}
	if budget == 0 {
		budget = V * R
	}
	var rounds []int
	for n := min(first, R); ; n = min(2*n, R) {
		rounds = append(rounds, n)
		if n == R {
			break
		}
	}
	if V*rounds[0] > budget {
		return nil, fmt.Errorf("plan: racing budget %d is below the first round's %d pairs (%d variants x %d replications)", budget, V*rounds[0], V, rounds[0])
	}
	ex, _ := p.Scenario.objective()
	exM, _ := metricIndex(ex)
	horizon := p.Scenario.horizon().Hours() / 24
	_, hi := Metrics[exM].bounds(horizon)
	half := (1 - conf) / 2
	// The drops' half is shared by the kinds of test: constraints, the
	// paired t-test and, with a tolerance, the indifference-zone screen.
	kinds := 1 + len(p.Scenario.Constraints)
	if rc.Tolerance > 0 {
		kinds++
	}
	alpha := half / float64(kinds*len(rounds))
	kn := newScreen(half/float64(kinds), rc.Tolerance, V, rounds[0])

	race := &Race{Confidence: conf, Tolerance: rc.Tolerance, Full: V * R, Replications: make([]int, V), Dropped: make([]int, V)}
	alive := make([]bool, V)
	for v := range alive {
		alive[v] = true
		race.Dropped[v] = -1
	}
	grid := make([][]*Pair, V)
	// unseparated sums the final tests of the survivors against best.
	unseparated := func(best int) float64 {
		q := 0.0
		for v := range V {
			if alive[v] && v != best {
				q += tieP(diffs(grid[v], grid[best], exM, hi), rc.Tolerance)
			}
		}
		return q
	}
	drop := func(v, round int) { alive[v], race.Dropped[v] = false, round }
	done := 0
	var c *Comparison
	for j, n := range rounds {
		var idx []int
		for r := done; r < n; r++ {
			for v := range V {
				if alive[v] {
					idx = append(idx, r*V+v)
				}
			}
		}
		if j > 0 && race.Pairs+len(idx) > budget {
			break
		}
		pairs, err := p.Run(ctx, idx, opt)
		if err != nil {
			return nil, err
		}
		for i := range pairs {
			q := &pairs[i]
			grid[q.Variant] = append(grid[q.Variant], q)
		}
		race.Pairs += len(idx)
		race.Rounds = append(race.Rounds, n)
		done = n
		// The recommendation reads exposure quantiles pooled over the
		// replications (Stat.Value); a drop needs that reading to agree
		// with the paired test, so that the race never drops a variant the
		// full grid would find feasible, or better than the best.
		if c, err = p.summarize(grid, alive); err != nil {
			return nil, err
		}
		best := c.Recommendation.Best
		for v := range V {
			if !alive[v] {
				continue
			}
			race.Replications[v] = n
			switch {
			case undefined(grid[v], exM),
				p.missesConstraint(grid[v], alpha, horizon) && !c.meets(v),
				best >= 0 && v != best && c.value(v, exM) > c.value(best, exM) &&
					(pValue(diffs(grid[v], grid[best], exM, hi)) < alpha || kn.drops(grid[v], grid[best], exM, hi, n)):
				drop(v, j)
			}
		}
		if best < 0 {
			continue
		}
		if unseparated(best) <= half {
			break
		}
	}
	c, err := p.summarize(grid, alive)
	if err != nil {
		return nil, err
	}
	if best := c.Recommendation.Best; best >= 0 {
		race.Achieved = max(1-half-unseparated(best), 0)
		c.Recommendation.Reason += fmt.Sprintf(", among the %d variants a race kept", count(alive))
	}
	c.Race = race
	return c, nil
}

// undefined reports whether metric m has no value in any of pairs.
func undefined(pairs []*Pair, m int) bool {
	for _, q := range pairs {
		if !math.IsNaN(float64(q.Values[m])) {
			return false
		}
	}
	return true
}

// tieP returns the one-sided p-value of "a beats b by more than tol" from
// the paired differences a - b: 0 for an exact tie (a difference of zero,
// or none, in every replication), else the p-value of the mean of d + tol
// being at most 0. Differences without a value (NaN) are left out, as
// pValue does.
func tieP(d []float64, tol float64) float64 {
	same := true
	for i, x := range d {
		same = same && (x == 0 || math.IsNaN(x))
		d[i] = x + tol
	}
	if same {
		return 0
	}
	return pValue(d)
}

func (rc Racing) validate(full int) error {
	var errs []error
	if rc.Confidence != 0 && !(rc.Confidence > 0 && rc.Confidence < 1) {
		errs = append(errs, fmt.Errorf("plan: racing confidence: %v is outside (0, 1)", rc.Confidence))
	}
	if rc.Tolerance < 0 || math.IsNaN(rc.Tolerance) || math.IsInf(rc.Tolerance, 0) {
		errs = append(errs, fmt.Errorf("plan: racing tolerance: %v is not a finite value >= 0", rc.Tolerance))
	}
	if rc.Budget < 0 {
		errs = append(errs, fmt.Errorf("plan: racing budget: %d is negative; 0 means every pair (%d)", rc.Budget, full))
	}
	if rc.First < 0 {
		errs = append(errs, fmt.Errorf("plan: racing first round: %d is negative; 0 means 10 replications", rc.First))
	}
	return errors.Join(errs...)
}

// missesConstraint reports whether the pairs of one variant miss a
// constraint with confidence 1 - alpha: the per-replication excess over a
// maximum (or shortfall under a minimum) is above zero. A quantile not
// reached counts as the horizon, as in diffs.
func (p *Experiment) missesConstraint(pairs []*Pair, alpha, horizon float64) bool {
	for _, k := range p.Scenario.Constraints {
		m, _ := metricIndex(k.Metric)
		_, hi := Metrics[m].bounds(horizon)
		for _, bound := range []struct {
			b    *float64
			sign float64
		}{{k.Max, 1}, {k.Min, -1}} {
			if bound.b == nil {
				continue
			}
			xs := make([]float64, len(pairs))
			for r, q := range pairs {
				xs[r] = bound.sign * (capped(q.Values[m], hi) - *bound.b)
			}
			if pValue(xs) < alpha {
				return true
			}
		}
	}
	return false
}

// diffs returns the paired differences a - b of metric m over the
// replications both ran. A value of +Inf (an exposure quantile not reached
// within the horizon) counts as hi, the metric's largest value (the
// horizon), so that such replications still enter the t-test and the
// screen: the difference is then a lower bound on the true one.
func diffs(a, b []*Pair, m int, hi float64) []float64 {
	xs := make([]float64, min(len(a), len(b)))
	for r := range xs {
		xs[r] = capped(a[r].Values[m], hi) - capped(b[r].Values[m], hi)
	}
	return xs
}

func capped(x Float, hi float64) float64 { return min(float64(x), hi) }

// pValue returns the one-sided p-value of "the mean of xs is at most 0"
// against "above 0". NaN values (a metric that does not apply) are left
// out. With every value finite it is the Student-t test; when some value
// is infinite (a quantile not reached, or two such) it is the sign test,
// an infinity counting as its sign and ties left out. It returns 1 when
// there is nothing to test.
func pValue(xs []float64) float64 {
	var finite []float64
	inf := false
	up, down := 0, 0
	for _, x := range xs {
		switch {
		case math.IsNaN(x):
			continue
		case math.IsInf(x, 0):
			inf = true
		default:
			finite = append(finite, x)
		}
		if x > 0 {
			up++
		} else if x < 0 {
			down++
		}
	}
	if inf {
		if up+down == 0 {
			return 1
		}
		// P(Binomial(up+down, 1/2) >= up).
		b := distuv.Binomial{N: float64(up + down), P: 0.5, Src: sim.NewSource(0, "plan.race")}
		if up == 0 {
			return 1
		}
		return 1 - b.CDF(float64(up-1))
	}
	if len(finite) < 2 {
		return 1
	}
	s := sim.Summarize(finite, 0.95)
	if s.StdDev == 0 {
		if s.Mean > 0 {
			return 0
		}
		return 1
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(finite) - 1), Src: sim.NewSource(0, "plan.race")}
	return 1 - t.CDF(s.Mean/(s.StdDev/math.Sqrt(float64(len(finite)))))
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// screen is Kim and Nelson's fully sequential screen with common random
// numbers (procedure KN, 2001) for minimising: after r replications,
// variant i is worse than l when
//
//	mean_i - mean_l > max(0, delta/(2r) (h2 S2/delta^2 - r)),
//
// S2 the variance of the paired differences i - l over the first n0
// replications, h2 = 2 eta (n0 - 1) and eta = ((2 alpha/(k-1))^(-2/(n0-1))
// - 1) / 2. The bound shrinks to zero at r = h2 S2 / delta^2: a variant
// within delta of the best may then go, which costs at most delta. It
// holds at any subset of checks (here the ends of rounds). Replications
// where either value is infinite or undefined leave the pair to the other
// tests. With delta 0 it drops nothing.
type screen struct {
	delta, h2 float64
	n0        int
}

func newScreen(alpha, delta float64, k, n0 int) screen {
	if delta <= 0 || k < 2 || n0 < 2 {
		return screen{}
	}
	eta := (math.Pow(2*alpha/float64(k-1), -2/float64(n0-1)) - 1) / 2
	return screen{delta: delta, h2: 2 * eta * float64(n0-1), n0: n0}
}

// drops reports whether the first r replications of a show it worse than
// b on metric m (capped at hi, as in diffs).
func (s screen) drops(a, b []*Pair, m int, hi float64, r int) bool {
	if s.delta == 0 {
		return false
	}
	d := diffs(a[:r], b[:r], m, hi)
	for _, x := range d {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	first := sim.Summarize(d[:s.n0], 0.95)
	mean := sim.Summarize(d, 0.95).Mean
	w := max(0, s.delta/(2*float64(r))*(s.h2*first.StdDev*first.StdDev/(s.delta*s.delta)-float64(r)))
	return mean > w
}

// meets reports whether variant v's values (Stat.Value) meet every
// constraint.
func (c *Comparison) meets(v int) bool {
	ms, _ := c.misses(v)
	return len(ms) == 0
}
