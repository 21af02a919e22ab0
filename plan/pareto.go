package plan

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/patchsim/patchsim/channel"
)

// value returns variant v's value of metric m (see Stat.Value).
func (c *Comparison) value(v, m int) float64 { return float64(c.Variants[v].Stats[m].Value()) }

// frontier returns the variants whose (exposure, disruption) values
// (Stat.Value) no other variant beats in both (lower or equal in both,
// lower in one), by increasing disruption. Variants with an undefined value
// are left out.
func (c *Comparison) frontier() []int {
	ex, _ := metricIndex(c.Objective.Exposure)
	dis, _ := metricIndex(c.Objective.Disruption)
	var pts []int
	for v := range c.Variants {
		if !math.IsNaN(c.value(v, ex)) && !math.IsNaN(c.value(v, dis)) {
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
			le := c.value(b, ex) <= c.value(a, ex) && c.value(b, dis) <= c.value(a, dis)
			lt := c.value(b, ex) < c.value(a, ex) || c.value(b, dis) < c.value(a, dis)
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
		di, dj := c.value(out[i], dis), c.value(out[j], dis)
		if di != dj {
			return di < dj
		}
		return out[i] < out[j]
	})
	return out
}

// Recommendation is the best variant under the constraints: the lowest
// value (see Stat.Value) of the objective's exposure metric among the
// variants whose values meet every constraint, ties broken by lower
// disruption.
type Recommendation struct {
	Best     int   `json:"best"`               // variant index; -1 when none is feasible
	RunnerUp int   `json:"runnerUp"`           // -1 when there is none
	Feasible []int `json:"feasible,omitempty"` // every variant meeting the constraints, best first
	// Tied lists the feasible variants whose exposure metric the
	// replications do not tell apart from Best's: a two-sided sign test over
	// the paired replications (a replication where both are equal, or both
	// unreached, counts for neither) finds no difference at the 5% level.
	Tied []int `json:"tied,omitempty"`
	// Margin is the paired difference of the exposure metric, runner-up
	// minus best, over the replications: how much the choice matters.
	Margin *Stat `json:"margin,omitempty"`
	// Closest is, when no variant is feasible, the one that misses the
	// constraints by the least (the sum of its misses, each relative to its
	// bound), and Misses how it misses; -1 and empty otherwise, and when no
	// variant misses a constraint (none is feasible because the objective
	// is undefined or a race dropped it).
	Closest int    `json:"closest"`
	Misses  []Miss `json:"misses,omitempty"`
	Reason  string `json:"reason"`
}

// Miss is how a variant's value of a constrained metric falls outside the
// bound: By is the distance (+Inf for a quantile not reached).
type Miss struct {
	Metric string  `json:"metric"`
	Bound  float64 `json:"bound"`
	Max    bool    `json:"max"` // the bound is a maximum
	Value  Float   `json:"value"`
	By     Float   `json:"by"`
}

// misses returns how variant v falls outside the constraints, and the sum
// of the misses relative to their bounds (+Inf when a value is unreached
// or undefined).
func (c *Comparison) misses(v int) ([]Miss, float64) {
	var out []Miss
	total := 0.0
	for _, k := range c.Constraints {
		m, _ := metricIndex(k.Metric)
		x := c.value(v, m)
		add := func(bound, by float64, isMax bool) {
			if math.IsNaN(x) {
				by = math.Inf(1)
			}
			out = append(out, Miss{Metric: k.Metric, Bound: bound, Max: isMax, Value: Float(x), By: Float(by)})
			total += by / max(math.Abs(bound), 1e-9)
		}
		if k.Max != nil && !(x <= *k.Max) {
			add(*k.Max, x-*k.Max, true)
		}
		if k.Min != nil && !(x >= *k.Min) {
			add(*k.Min, *k.Min-x, false)
		}
	}
	return out, total
}

// recommend recommends among the variants with eligible set (every variant
// when eligible is nil). Paired tests and margins are over the
// replications both variants ran.
func (c *Comparison) recommend(grid [][]*Pair, eligible []bool) *Recommendation {
	ex, _ := metricIndex(c.Objective.Exposure)
	dis, _ := metricIndex(c.Objective.Disruption)
	var feasible []int
	var reasons []string
	for v := range c.Variants {
		if ms, _ := c.misses(v); len(ms) == 0 && !math.IsNaN(c.value(v, ex)) && (eligible == nil || eligible[v]) {
			feasible = append(feasible, v)
		}
	}
	sort.SliceStable(feasible, func(i, j int) bool {
		a, b := feasible[i], feasible[j]
		if c.value(a, ex) != c.value(b, ex) {
			return c.value(a, ex) < c.value(b, ex)
		}
		return c.value(a, dis) < c.value(b, dis)
	})
	r := &Recommendation{Best: -1, RunnerUp: -1, Closest: -1, Feasible: feasible}
	for _, k := range c.Constraints {
		reasons = append(reasons, k.String())
	}
	cons := strings.Join(reasons, ", ")
	if len(feasible) == 0 {
		r.Reason = c.noneReason(eligible, cons)
		best := math.Inf(1)
		for v := range c.Variants {
			if ms, total := c.misses(v); len(ms) > 0 && (r.Closest < 0 || total < best) {
				r.Closest, r.Misses, best = v, ms, total
			}
		}
		return r
	}
	r.Best = feasible[0]
	r.Reason = fmt.Sprintf("lowest %s among %d of %d variants meeting %s", c.Objective.Exposure, len(feasible), len(c.Variants), cons)
	if len(c.Constraints) == 0 {
		r.Reason = fmt.Sprintf("lowest %s among %d of %d variants (no constraints)", c.Objective.Exposure, len(feasible), len(c.Variants))
	}
	pairs := func(v int) []float64 {
		xs := make([]float64, len(grid[v]))
		for rep, q := range grid[v] {
			xs[rep] = float64(q.Values[ex])
		}
		return xs
	}
	best := pairs(r.Best)
	for _, v := range feasible[1:] {
		a := pairs(v)
		n := min(len(a), len(best))
		if !signTestDiffers(a[:n], best[:n], 0.05) {
			r.Tied = append(r.Tied, v)
		}
	}
	if len(feasible) > 1 {
		r.RunnerUp = feasible[1]
		xs := pairs(r.RunnerUp)
		xs = xs[:min(len(xs), len(best))]
		for rep := range xs {
			xs[rep] -= best[rep]
		}
		lo, hi := Metrics[ex].bounds(c.End.Sub(c.Start).Hours() / 24)
		m := statOf(xs, lo-hi, hi-lo)
		r.Margin = &m
	}
	return r
}

// noneReason says why no variant is feasible, given the variants that may
// be recommended (eligible, nil for all) and the constraints in words
// (cons): every variant misses the constraints, has no value of the
// objective's exposure metric, or was dropped by a race; or, when the
// causes differ between variants, how many of them had each.
func (c *Comparison) noneReason(eligible []bool, cons string) string {
	ex, _ := metricIndex(c.Objective.Exposure)
	noValue := "no defined " + c.Objective.Exposure
	if why := undefinedWhy(c.Objective.Exposure); why != "" {
		noValue += " (" + why + ")"
	}
	miss, undef, dropped := 0, 0, 0
	for v := range c.Variants {
		switch ms, _ := c.misses(v); {
		case len(ms) > 0:
			miss++
		case math.IsNaN(c.value(v, ex)):
			undef++
		case eligible != nil && !eligible[v]:
			dropped++
		}
	}
	n := len(c.Variants)
	switch {
	case n == 0:
		return "there are no variants"
	case miss == n:
		return "no variant meets " + cons
	case undef == n:
		return "no variant has a " + strings.TrimPrefix(noValue, "no ")
	case dropped == n:
		return "a race dropped every variant"
	}
	var parts []string
	if miss > 0 {
		parts = append(parts, fmt.Sprintf("%d %s %s", miss, plural(miss, "misses", "miss"), cons))
	}
	if undef > 0 {
		parts = append(parts, fmt.Sprintf("%d %s %s", undef, plural(undef, "has", "have"), noValue))
	}
	if dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d %s dropped by a race", dropped, plural(dropped, "was", "were")))
	}
	return fmt.Sprintf("no variant can be recommended: of the %d variants, %s", n, strings.Join(parts, ", "))
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// undefinedWhy says when metric key has no value in a replication, for the
// metrics that can lack one: an exposure metric when no advisory of its
// severity counts (published before the settle period), a Fleet Manager
// metric without an update run. Empty for the others.
func undefinedWhy(key string) string {
	switch key {
	case "lastStageDays":
		return "no Fleet Manager update run in any replication"
	case "behindFirstStageShare":
		return "no Fleet Manager in any replication"
	}
	if sev, _, ok := strings.Cut(key, "."); ok {
		if _, err := channel.ParseSeverity(sev); err == nil {
			return "no " + sev + " advisory published before the settle period in any replication"
		}
	}
	return ""
}

// signTestDiffers reports whether the paired samples a and b differ in a
// two-sided sign test at level alpha: among the pairs that differ (NaN
// pairs and equal pairs, +Inf against +Inf included, left out), are a's
// values larger about as often as smaller? The p-value is exact (binomial
// with p = 1/2).
func signTestDiffers(a, b []float64, alpha float64) bool {
	n, k := 0, 0
	for i := range a {
		switch {
		case a[i] > b[i]:
			n, k = n+1, k+1
		case a[i] < b[i]:
			n++
		}
	}
	if n == 0 {
		return false
	}
	k = min(k, n-k)
	// P(X <= k) for X ~ Binomial(n, 1/2), summed in logs.
	p := 0.0
	for i := 0; i <= k; i++ {
		lc, _ := math.Lgamma(float64(n + 1))
		li, _ := math.Lgamma(float64(i + 1))
		lr, _ := math.Lgamma(float64(n - i + 1))
		p += math.Exp(lc - li - lr - float64(n)*math.Ln2)
	}
	return 2*p < alpha
}
