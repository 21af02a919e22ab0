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
