package plan

import (
	"context"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
)

// handPairs returns the pairs of a plan with every value 0 and empty
// histograms, for tests to fill in.
func handPairs(p *Experiment) []Pair {
	var pairs []Pair
	for k := range p.Pairs() {
		v, r := p.Pair(k)
		pairs = append(pairs, Pair{Variant: v, Replication: r, Values: make([]Float, len(Metrics)),
			Exposure: make([]fleet.Histogram, channel.NumSeverities)})
	}
	return pairs
}

func TestPooledQuantileDoesNotFlipOnOneReplication(t *testing.T) {
	s := small(t)
	s.Replications = 2
	p, err := New(s)
	require.NoError(t, err)
	pairs := handPairs(p)
	const day = 86400.0
	// Variant 0's critical pairs: replication 0 fixes all four at 10, 20,
	// 30 and 40 s; replication 1 fixes one of four at 50 s and leaves three
	// open from 60 s.
	r0, r1 := &pairs[0].Exposure[channel.Critical], &pairs[len(p.Variants)].Exposure[channel.Critical]
	for _, x := range []int{10, 20, 30, 40} {
		r0.Add(time.Duration(x)*time.Second, 1)
	}
	r1.Add(50*time.Second, 1)
	r1.AddCensored(60*time.Second, 3)
	p50 := MetricIndex("critical.p50Days")
	// Per replication, p50 is 20 s in replication 0 and never reached in
	// replication 1 (1 of 4 fixed).
	pairs[0].Values[p50] = 20 / day
	pairs[len(p.Variants)].Values[p50] = Float(math.Inf(1))
	c, err := p.Summarize(pairs)
	require.NoError(t, err)
	st := c.Variants[0].Stats[p50]
	assert.Equal(t, 1, st.Inf)
	assert.True(t, math.IsInf(float64(st.Mean), 1), "the mean of the replications' p50 is unreached")
	// Pooled: 8 pairs; Kaplan-Meier S after 10, 20, 30, 40 s is 7/8, 6/8,
	// 5/8, 4/8, so the pooled p50 is 40 s.
	require.NotNil(t, st.Pooled)
	assert.InDelta(t, 40/day, float64(st.Pooled.Value), 1e-15)
	assert.Equal(t, st.Pooled.Value, st.Value())
	// Interval: at 10 s the replications' CDFs are 1/4 and 0, each weighted
	// 4/8: mean 1/8, variance 2/(2-1) * 2 * (1/2)^2 * (1/8)^2 = 1/64, so
	// the half-width is t(0.975, 1 df) * 1/8 = 12.706 / 8 = 1.59, and 1/8 +
	// 1.59 >= 1/2: Lo is 10 s. 1/8 - 1.59 never reaches 1/2: Hi is +Inf.
	assert.InDelta(t, 10/day, float64(st.Pooled.Lo), 1e-15)
	assert.True(t, math.IsInf(float64(st.Pooled.Hi), 1))
	// The pooled p90 is not reached (the curve stops at 5/8).
	p90 := c.Variants[0].Stats[MetricIndex("critical.p90Days")]
	assert.True(t, math.IsInf(float64(p90.Value()), 1))
	// A severity without pairs has NaN quantiles.
	high := c.Variants[0].Stats[MetricIndex("high.p50Days")]
	assert.True(t, math.IsNaN(float64(high.Value())))
	// The pooled histogram holds every pair.
	assert.Equal(t, uint64(8), c.Variants[0].Exposure[channel.Critical].Total())
}

func TestIntervalsStayInTheMetricsRange(t *testing.T) {
	// Shares 0.99, 1, 1, 1: the mean is 0.9975 and a Student-t interval
	// would reach past 1; it is cut at 1. Counts 0, 0, 0, 4 would go below 0.
	st := statOf([]float64{0.99, 1, 1, 1}, 0, 1)
	assert.InDelta(t, 0.9975, float64(st.Mean), 1e-12)
	assert.Equal(t, Float(1), st.Hi)
	assert.Less(t, float64(st.Lo), 0.9975)
	st = statOf([]float64{0, 0, 0, 4}, 0, math.Inf(1))
	assert.Equal(t, Float(0), st.Lo)
	assert.Greater(t, float64(st.Hi), 1.0)
}

func TestSignTest(t *testing.T) {
	// 6 of 6 pairs larger: P(X <= 0) = 1/64, two-sided 1/32 < 0.05.
	a := []float64{2, 3, 4, 5, 6, math.Inf(1)}
	b := []float64{1, 2, 3, 4, 5, 6}
	assert.True(t, signTestDiffers(a, b, 0.05))
	// 5 of 5 (the +Inf against +Inf pair counts for neither): 2/32 = 1/16
	// is not below 0.05.
	b[5] = math.Inf(1)
	assert.False(t, signTestDiffers(a, b, 0.05))
	assert.False(t, signTestDiffers(b, b, 0.05), "equal samples do not differ")
}

// withValues returns a comparison of len(vals) variants whose values of
// the objective's exposure metric, critical.meanDays, are vals (one per
// replication).
func withValues(t *testing.T, vals [][]float64, cons []Constraint) *Comparison {
	t.Helper()
	s := small(t)
	s.Replications = len(vals[0])
	s.Variants = nil
	for v := range vals {
		s.Variants = append(s.Variants, Variant{Name: string(rune('A' + v)), NodeOSUpgradeChannel: "NodeImage"})
	}
	s.Constraints = cons
	s.Objective.Exposure = "critical.meanDays"
	p, err := New(s)
	require.NoError(t, err)
	pairs := handPairs(p)
	ex := MetricIndex("critical.meanDays")
	for k := range pairs {
		pairs[k].Values[ex] = Float(vals[pairs[k].Variant][pairs[k].Replication])
	}
	c, err := p.Summarize(pairs)
	require.NoError(t, err)
	return c
}

func TestRecommendationFlagsTies(t *testing.T) {
	// A beats B in 6 of 6 replications (two-sided sign test p = 1/32);
	// A against C: C is lower in 3 and higher in 3 (p = 1): tied, though
	// C's mean is higher.
	c := withValues(t, [][]float64{
		{5, 5, 5, 5, 5, 5},
		{6, 7, 6, 7, 6, 7},
		{4, 4, 4, 6, 6, 7},
	}, nil)
	r := c.Recommendation
	require.NotNil(t, r)
	assert.Equal(t, 0, r.Best)
	assert.Equal(t, []int{2}, r.Tied)
	assert.Equal(t, 2, r.RunnerUp)
}

func TestClosestVariantWhenNoneFeasible(t *testing.T) {
	lim := 4.0
	c := withValues(t, [][]float64{
		{5, 5, 5, 5, 5, 5},
		{6, 7, 6, 7, 6, 7},
	}, []Constraint{{Metric: "critical.meanDays", Max: &lim}})
	r := c.Recommendation
	assert.Equal(t, -1, r.Best)
	// A misses "<= 4" by 1 day (B by 2.5).
	assert.Equal(t, 0, r.Closest)
	require.Len(t, r.Misses, 1)
	assert.Equal(t, Miss{Metric: "critical.meanDays", Bound: 4, Max: true, Value: 5, By: 1}, r.Misses[0])
}

func TestIdenticalVariantsRunOnce(t *testing.T) {
	s := small(t)
	s.Replications = 3
	// The same channel twice under two names.
	s.Variants = []Variant{{Name: "a", NodeOSUpgradeChannel: "NodeImage"}, {Name: "b", NodeOSUpgradeChannel: "None"},
		{Name: "c", NodeOSUpgradeChannel: "NodeImage"}}
	p, err := New(s)
	require.NoError(t, err)
	runs := 0
	c, err := p.Compare(context.Background(), Options{Workers: 2, Progress: func(done, total int) { runs = total }})
	require.NoError(t, err)
	assert.Equal(t, 6, runs, "2 distinct variants x 3 replications")
	ja, err := json.Marshal(c.Variants[0].Stats)
	require.NoError(t, err)
	jc, err := json.Marshal(c.Variants[2].Stats)
	require.NoError(t, err)
	assert.Equal(t, string(ja), string(jc))
	assert.Equal(t, "c", c.Variants[2].Name)
}

func TestPoolSummaries(t *testing.T) {
	// Two replications of a fleet of pools a (2 nodes) and b (1 node) over
	// 10 days. Past-SLA node-days: a 4 and 6, b 10 and 0; the fleet's 20 in
	// all, a's 10: half of them, and a's share of its own node-days is
	// 10 / (2 nodes x 10 days x 2 replications) = 25%. b fails 3 and 1
	// operations: 2 per replication.
	pool := func(name string, nodes int, past float64, failed uint64) fleet.PoolResult {
		return fleet.PoolResult{Cluster: "c", Pool: name, Count: nodes, PastSLANodeDays: past, Failed: failed,
			VulnerableNodeDays: [channel.NumSeverities]float64{past, 0, 0, 0}}
	}
	reps := []*Pair{
		{Pools: []fleet.PoolResult{pool("a", 2, 4, 0), pool("b", 1, 10, 3)}},
		{Pools: []fleet.PoolResult{pool("a", 2, 6, 0), pool("b", 1, 0, 1)}},
	}
	got, err := poolSummaries(reps, 10)
	require.NoError(t, err)
	require.Len(t, got, 2)
	a, b := got[0], got[1]
	assert.Equal(t, "a", a.Pool)
	assert.InDelta(t, 0.5, float64(a.PastSLAPart), 1e-12)
	assert.InDelta(t, 0.25, float64(a.PastSLAShare), 1e-12)
	assert.InDelta(t, 0.5, float64(b.PastSLAPart), 1e-12)
	assert.InDelta(t, 0.5, float64(b.PastSLAShare), 1e-12, "10 of 1 x 10 x 2 node-days")
	assert.Equal(t, Float(2), b.Failed)
	assert.Equal(t, Float(5), a.VulnerableNodeDays[channel.Critical])

	reps[1].Pools = reps[1].Pools[:1]
	_, err = poolSummaries(reps, 10)
	assert.ErrorContains(t, err, "replication 1 has 1 pools, replication 0 2")
}

// TestValuesOfOneRun: each metric reads its own number of a run, worked by
// hand on a 100-second run whose exposure values fall in one-second bins.
func TestValuesOfOneRun(t *testing.T) {
	const day = 86400.0
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	r := &fleet.Result{Start: start, End: start.Add(100 * time.Second), PastSLA: []float64{0, 0.5, 0.25, 0.25},
		Disruption: fleet.Disruption{Evictions: 12, ReimagesPerNodeMonth: 1.5, RebootsPerNodeMonth: 0.25, LivePatches: 7,
			NodeHoursUnavailable: 3.5, MinAvailableShare: 0.8, SurgeNodeHours: 9, Operations: 5, Failed: 2, OutsideWindow: 4,
			BlockedDrains: 3, Quarantined: 1, Canceled: 6}}
	// Critical: four pairs, fixed at 10, 10 and 20 s, one open past 50 s.
	crit := &r.Exposure[channel.Critical]
	crit.Hist.Add(10*time.Second, 2)
	crit.Hist.Add(20*time.Second, 1)
	crit.Hist.AddCensored(50*time.Second, 1)
	crit.Pairs, crit.Remediated, crit.Censored = 4, 3, 1
	crit.P50, crit.P90, crit.Max, crit.WithinSLA, crit.VulnerableNodeDays = 10*time.Second, fleet.Censored, 20*time.Second, 0.75, 2.5
	// The restricted mean fleet computes on the Kaplan-Meier curve: S = 1
	// to 10 s, 1/2 to 20 s, 1/4 to the 100 s end: 10 + 5 + 20 = 35 s; its
	// stages, set by hand, add up to it.
	crit.RestrictedMean = 35 * time.Second
	crit.Stages = fleet.Stages{fleet.StageCut: 5 * time.Second, fleet.StageWindow: 5 * time.Second, fleet.StageRollout: 5 * time.Second, fleet.StageNever: 20 * time.Second}
	// Medium: two pairs, both fixed, the later at 30 s. High and low: none.
	med := &r.Exposure[channel.Medium]
	med.Hist.Add(30*time.Second, 2)
	med.Pairs, med.Remediated, med.Max, med.WithinSLA = 2, 2, 30*time.Second, 1
	med.RestrictedMean, med.Stages[fleet.StageWindow] = 30*time.Second, 30*time.Second

	got := values(r)
	nan, inf := math.NaN(), math.Inf(1)
	for key, want := range map[string]float64{
		"critical.meanDays": 35 / day, "critical.exposure.cutDays": 5 / day, "critical.exposure.buildDays": 0,
		"critical.exposure.windowDays": 5 / day, "critical.exposure.rolloutDays": 5 / day, "critical.exposure.neverDays": 20 / day,
		"high.exposure.windowDays": nan, "medium.exposure.windowDays": 30 / day, "critical.p50Days": 10 / day, "critical.p90Days": inf,
		"critical.maxDays":   inf, // one still open
		"critical.withinSLA": 0.75, "critical.censored": 0.25, "critical.vulnerableNodeDays": 2.5,
		"high.meanDays": nan, "high.p50Days": nan, "high.maxDays": nan, "high.withinSLA": nan,
		"high.censored": 0, "high.vulnerableNodeDays": 0,
		"medium.maxDays": 30 / day, "medium.meanDays": 30 / day, "medium.censored": 0, "medium.withinSLA": 1,
		"pastSLAShare":         0.25, // (0 + 0.5 + 0.25 + 0.25) / 4
		"reimagesPerNodeMonth": 1.5, "rebootsPerNodeMonth": 0.25, "livePatches": 7, "evictions": 12,
		"nodeHoursUnavailable": 3.5, "minAvailableShare": 0.8, "surgeNodeHours": 9, "operations": 5,
		"failedOperations": 2, "outsideWindow": 4, "blockedDrains": 3, "quarantined": 1, "canceledOperations": 6,
	} {
		i := MetricIndex(key)
		require.GreaterOrEqual(t, i, 0, key)
		switch {
		case math.IsNaN(want):
			assert.True(t, math.IsNaN(got[i]), "%s: %v, want NaN", key, got[i])
		case math.IsInf(want, 1):
			assert.True(t, math.IsInf(got[i], 1), "%s: %v, want +Inf", key, got[i])
		default:
			assert.InDelta(t, want, got[i], 1e-15, key)
		}
	}
	// A run without a past-SLA series (no days) is never past SLA.
	r.PastSLA = nil
	assert.Equal(t, 0.0, values(r)[MetricIndex("pastSLAShare")])
}

// t975 holds Student's t 0.975 quantiles by degrees of freedom (tables).
var t975 = map[int]float64{1: 12.706204736174707, 2: 4.302652729749464}

// TestSummarizeWorkedExample: two variants of three replications, the
// statistics of each worked by hand: means, standard deviations, 95%
// Student-t intervals clamped to the metric's range, the paired
// differences, values that do not apply or are not reached, the past-SLA
// series, warnings and the trace.
func TestSummarizeWorkedExample(t *testing.T) {
	s := small(t) // a 90-day horizon
	s.Replications = 3
	s.Variants = []Variant{{Name: "A", NodeOSUpgradeChannel: "NodeImage"}, {Name: "B", NodeOSUpgradeChannel: "SecurityPatch"}}
	p, err := New(s)
	require.NoError(t, err)
	pairs := handPairs(p)
	ev, share, mean, p95 := MetricIndex("evictions"), MetricIndex("minAvailableShare"), MetricIndex("high.meanDays"), MetricIndex("high.p95Days")
	nan, inf := Float(math.NaN()), Float(math.Inf(1))
	in := map[int][3][4]Float{ // variant: replication: evictions, minAvailableShare, high.meanDays, high.p95Days
		0: {{10, 0.9, nan, 5}, {20, 1, 2, inf}, {30, 1, 4, 6}},
		1: {{12, 0.5, 1, 4}, {26, 0.5, 1, 4}, {31, 0.5, 1, 4}},
	}
	for k := range pairs {
		q := &pairs[k]
		v := in[q.Variant][q.Replication]
		q.Values[ev], q.Values[share], q.Values[mean], q.Values[p95] = v[0], v[1], v[2], v[3]
		if q.Variant == 0 {
			q.PastSLA = []Float{Float(q.Replication) / 2, 1 - Float(q.Replication)/2}
			q.Warnings = [][]string{{"w2", "w1"}, {"w1"}, nil}[q.Replication]
			q.Actions = []fleet.Action{{Cluster: "c", Node: q.Replication}}
		}
	}
	c, err := p.Summarize(pairs)
	require.NoError(t, err)
	a, b := c.Variants[0], c.Variants[1]
	near := func(want float64, got Float, msg string) {
		t.Helper()
		assert.InDelta(t, want, float64(got), 1e-9, msg)
	}

	// A's evictions 10, 20, 30: mean 20, SD 10, half-width
	// t(2) x 10 / sqrt 3 = 24.84: the interval is cut at 0 below.
	st := a.Stats[ev]
	assert.Equal(t, 3, st.N)
	near(20, st.Mean, "mean")
	near(10, st.SD, "sd")
	near(0, st.Lo, "lo, cut at 0")
	near(20+t975[2]*10/math.Sqrt(3), st.Hi, "hi")
	// B - A: 2, 6, 1: mean 3, SD sqrt 7; a difference may be negative.
	d := b.Diff[ev]
	near(3, d.Mean, "diff mean")
	near(math.Sqrt(7), d.SD, "diff sd")
	near(3-t975[2]*math.Sqrt(7/3.0), d.Lo, "diff lo")
	near(3+t975[2]*math.Sqrt(7/3.0), d.Hi, "diff hi")
	assert.Empty(t, a.Diff, "the first variant has no difference")

	// A's shares 0.9, 1, 1: mean 29/30, SD 0.1/sqrt 3; the interval is
	// cut at 1 above. B's 0.5, 0.5, 0.5: no spread, the interval is the
	// mean.
	near(29.0/30, a.Stats[share].Mean, "share mean")
	near(1, a.Stats[share].Hi, "share hi, cut at 1")
	near(29.0/30-t975[2]*0.1/math.Sqrt(3)/math.Sqrt(3), a.Stats[share].Lo, "share lo")
	near(0.5, b.Stats[share].Lo, "no spread")
	near(0.5, b.Stats[share].Hi, "no spread")
	// B - A: -0.4, -0.5, -0.5, within [-1, 1].
	near(-1.4/3, b.Diff[share].Mean, "share diff")

	// A's high.meanDays does not apply in replication 0: the mean of 2
	// and 4 over N = 2, the interval (t(1) x sqrt 2 / sqrt 2 = 12.7 wide
	// each way) cut to [0, the 90-day horizon]... not reached above.
	st = a.Stats[mean]
	assert.Equal(t, 2, st.N)
	near(3, st.Mean, "mean of the replications it applies to")
	near(0, st.Lo, "lo")
	near(3+t975[1], st.Hi, "hi")
	// The difference pairs replications 1 and 2 only: 1-2, 1-4.
	assert.Equal(t, 2, b.Diff[mean].N)
	near(-2, b.Diff[mean].Mean, "paired over the shared replications")

	// A's high.p95Days is not reached in replication 1: the mean is +Inf
	// with one Inf. B reaches it there: B - A is -Inf, B infinitely
	// better, not worse.
	assert.Equal(t, 1, a.Stats[p95].Inf)
	assert.True(t, math.IsInf(float64(a.Stats[p95].Mean), 1))
	assert.Equal(t, 1, b.Diff[p95].Inf)
	assert.True(t, math.IsInf(float64(b.Diff[p95].Mean), -1), "B - A = %v", b.Diff[p95].Mean)
	assert.True(t, math.IsInf(float64(b.Diff[p95].Hi), -1))

	// The past-SLA series averages the replications day by day: day 0
	// (0 + 0.5 + 1) / 3, day 1 (1 + 0.5 + 0) / 3.
	require.Len(t, a.PastSLA, 2)
	near(0.5, a.PastSLA[0], "day 0")
	near(0.5, a.PastSLA[1], "day 1")
	assert.Nil(t, b.PastSLA)
	assert.Equal(t, []string{"w1", "w2"}, a.Warnings, "every replication's warnings, once, sorted")
	require.Len(t, a.Actions, 1)
	assert.Equal(t, 0, a.Actions[0].Node, "the trace is replication 0's")
	assert.Equal(t, c.Start.Add(90*24*time.Hour), c.End)
	assert.Equal(t, 3, c.Replications)
}

// TestStatOfInfinities: a metric not reached is +Inf; a difference is -Inf
// where only the variant subtracted missed it, and undefined when the
// differences are infinite both ways. Each counts in Inf, never in N.
func TestStatOfInfinities(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		name   string
		xs     []float64
		n, inf int
		mean   float64
	}{
		{"all finite", []float64{1, 2, 3}, 3, 0, 2},
		{"one not reached", []float64{1, inf, 3}, 2, 1, inf},
		{"only the subtracted variant missed it", []float64{1, -inf, -inf}, 1, 2, -inf},
		{"infinite both ways", []float64{inf, -inf, 3}, 1, 2, nan},
		{"does not apply, left out", []float64{nan, 4, nan}, 1, 0, 4},
		{"applies nowhere", []float64{nan, nan}, 0, 0, nan},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := statOf(tc.xs, math.Inf(-1), math.Inf(1))
			assert.Equal(t, tc.n, st.N)
			assert.Equal(t, tc.inf, st.Inf)
			if math.IsNaN(tc.mean) {
				assert.True(t, math.IsNaN(float64(st.Mean)), "mean %v, want NaN", st.Mean)
				return
			}
			assert.Equal(t, tc.mean, float64(st.Mean))
			if math.IsInf(tc.mean, 0) {
				assert.Equal(t, tc.mean, float64(st.Lo))
				assert.Equal(t, tc.mean, float64(st.Hi))
			}
		})
	}
}

// TestPooledQuantilesWorked: the pooled p50 and its interval over
// replications, on values in one-second bins (exact). Two replications
// of 4 pairs each, fixed at 10-40 s and at 50-80 s: pooled, 4 of 8 are
// fixed by 40 s. Their CDFs differ by up to 1, so with Student t(1) =
// 12.7 the interval opens at the first step (10 s: mean 1/8, half-width
// 12.7 x 1/8 reaches 1/2) and closes only where the replications agree
// again, at 80 s.
func TestPooledQuantilesWorked(t *testing.T) {
	const s = 1.0 / 86400 // a second in days
	hist := func(fixed []int, open int, at int) *fleet.Histogram {
		h := &fleet.Histogram{}
		for _, x := range fixed {
			h.Add(time.Duration(x)*time.Second, 1)
		}
		h.AddCensored(time.Duration(at)*time.Second, uint64(open))
		return h
	}
	pooledOf := func(hs ...*fleet.Histogram) *fleet.Histogram {
		p := &fleet.Histogram{}
		for _, h := range hs {
			p.Merge(h)
		}
		return p
	}
	near := func(t *testing.T, want []float64, got Pooled) {
		t.Helper()
		for i, g := range []Float{got.Value, got.Lo, got.Hi} {
			switch w := want[i]; {
			case math.IsNaN(w):
				assert.True(t, math.IsNaN(float64(g)), "%d: %v, want NaN", i, g)
			case math.IsInf(w, 1):
				assert.True(t, math.IsInf(float64(g), 1), "%d: %v, want +Inf", i, g)
			default:
				assert.InDelta(t, w, float64(g), 1e-15, "%d", i)
			}
		}
	}
	nan, inf := math.NaN(), math.Inf(1)
	a, b := hist([]int{10, 20, 30, 40}, 0, 0), hist([]int{50, 60, 70, 80}, 0, 0)
	for _, tc := range []struct {
		name    string
		reps    []*fleet.Histogram
		horizon float64
		want    []float64 // value, lo, hi
	}{
		{"replications that disagree", []*fleet.Histogram{a, b}, 1, []float64{40 * s, 10 * s, 80 * s}},
		{"replications that agree: no spread", []*fleet.Histogram{a, a}, 1, []float64{20 * s, 20 * s, 20 * s}},
		{"one replication with pairs: no interval", []*fleet.Histogram{a, {}}, 1, []float64{20 * s, nan, nan}},
		{"no pairs at all", []*fleet.Histogram{{}, {}}, 1, []float64{nan, nan, nan}},
		// 1 of 4 fixed in each: the pooled curve stops at 1/4, but at 10 s
		// (CDFs 1/4 and 0) the interval's upper end, 1/8 + 12.7 x 1/8,
		// reaches 1/2.
		{"not reached", []*fleet.Histogram{hist([]int{10}, 3, 50), hist([]int{20}, 3, 50)}, 1, []float64{inf, 10 * s, inf}},
		{"cut at the horizon", []*fleet.Histogram{a, b}, 30 * s, []float64{30 * s, 10 * s, 30 * s}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := pooledQuantiles(tc.reps, pooledOf(tc.reps...), []float64{0.5}, tc.horizon)
			require.Len(t, got, 1)
			near(t, tc.want, got[0])
		})
	}
}
