package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// raceGrid is the small default scenario swept over the four channels,
// three window days and two surge settings (24 variants, and the scenario
// as it is), 40 replications,
// choosing the lowest mean critical exposure with at most two reimages per
// node-month (NodeImage reimages about 2.5 times a node-month over these
// 90 days, so only it is infeasible; over 90 days the critical p95 is
// +Inf in some replication of every variant).
func raceGrid(t *testing.T) *Experiment {
	t.Helper()
	s := small(t)
	s.Replications = 40
	s.Objective.Exposure = "critical.meanDays"
	two := 2.0
	s.Constraints = []Constraint{{Metric: "reimagesPerNodeMonth", Max: &two}}
	s.Variants = nil
	s.Grid = &Grid{
		NodeOSUpgradeChannel: []string{"NodeImage", "SecurityPatch", "Unmanaged", "None"},
		WindowDay:            []string{"Monday", "Wednesday", "Sunday"},
		MaxSurge:             []string{"1", "33%"},
	}
	p, err := New(s)
	require.NoError(t, err)
	return p
}

// A race runs fewer pairs than the grid and recommends what the full grid
// recommends, or a variant whose paired difference from it is not
// significant over the full grid's replications.
func TestRaceFindsTheFullRecommendation(t *testing.T) {
	p := raceGrid(t)
	full, err := p.Compare(context.Background(), Options{})
	require.NoError(t, err)
	c, err := p.Race(context.Background(), Racing{First: 5}, Options{})
	require.NoError(t, err)
	r := c.Race
	require.NotNil(t, r)
	t.Logf("rounds %v, %d of %d pairs, replications %v, achieved %.3f", r.Rounds, r.Pairs, r.Full, r.Replications, r.Achieved)
	assert.Less(t, r.Pairs, r.Full)
	sum := 0
	for v, n := range r.Replications {
		sum += n
		assert.Equal(t, n, c.Variants[v].Stats[MetricIndex("reimagesPerNodeMonth")].N, "statistics over the variant's own replications")
		if r.Dropped[v] >= 0 {
			assert.Equal(t, r.Rounds[r.Dropped[v]], n, "a dropped variant ran up to the round that dropped it")
		}
	}
	assert.Equal(t, r.Pairs, sum)
	best, fullBest := c.Recommendation.Best, full.Recommendation.Best
	t.Logf("full: %s; race: %s", full.Recommendation.Reason, c.Recommendation.Reason)
	require.GreaterOrEqual(t, fullBest, 0)
	assert.Equal(t, -1, r.Dropped[best], "the recommendation survived")
	if best != fullBest {
		p.tied(t, full, best, fullBest)
	}
	// The race stopped before the last round only with the recommendation
	// separated at the requested confidence.
	if r.Pairs < r.Full && len(r.Rounds) < 4 {
		assert.GreaterOrEqual(t, r.Achieved, 0.95)
	}
	assert.LessOrEqual(t, r.Achieved, 1.0)
}

// tied checks that a and b do not differ significantly on the objective
// over the full grid's replications.
func (p *Experiment) tied(t *testing.T, full *Comparison, a, b int) {
	t.Helper()
	pairs, err := p.Run(context.Background(), p.All(), Options{})
	require.NoError(t, err)
	grid := make([][]*Pair, len(p.Variants))
	for i := range pairs {
		grid[pairs[i].Variant] = append(grid[pairs[i].Variant], &pairs[i])
	}
	m := MetricIndex(full.Objective.Exposure)
	assert.Greater(t, pValue(diffs(grid[a], grid[b], m, math.Inf(1))), 0.025)
	assert.Greater(t, pValue(diffs(grid[b], grid[a], m, math.Inf(1))), 0.025)
}

// Rounds are fixed by the scenario and the racing settings: any number of
// workers gives the same bytes.
func TestRaceIdenticalForAnyWorkers(t *testing.T) {
	p := raceGrid(t)
	var out []string
	for _, w := range []int{1, 3} {
		c, err := p.Race(context.Background(), Racing{First: 5, Budget: 400}, Options{Workers: w})
		require.NoError(t, err)
		assert.LessOrEqual(t, c.Race.Pairs, 400)
		b, err := json.Marshal(c)
		require.NoError(t, err)
		out = append(out, string(b))
	}
	assert.Equal(t, out[0], out[1])
}

func TestRaceRefusesBadSettings(t *testing.T) {
	p := raceGrid(t)
	_, err := p.Race(context.Background(), Racing{Confidence: 1.5, Budget: -1, First: -2}, Options{})
	require.Error(t, err)
	for _, want := range []string{"confidence: 1.5 is outside (0, 1)", "budget: -1 is negative", "first round: -2 is negative"} {
		assert.Contains(t, err.Error(), want)
	}
	V := len(p.Variants) // the grid's 24 and the scenario as it is
	_, err = p.Race(context.Background(), Racing{First: 5, Budget: 100}, Options{})
	assert.EqualError(t, err, fmt.Sprintf("plan: racing budget 100 is below the first round's %d pairs (%d variants x 5 replications)", 5*V, V))
}

// Hand-computed p-values.
func TestPValue(t *testing.T) {
	inf := math.Inf(1)
	for _, tc := range []struct {
		name string
		xs   []float64
		want float64
	}{
		// mean 2, sd 1, t = 2/(1/sqrt 3) = 2 sqrt 3; with 2 degrees of
		// freedom P(T > t) = 1/2 - t/(2 sqrt(2 + t^2)) = 1/2 - sqrt(12)/(2 sqrt 14).
		{"t test", []float64{1, 2, 3}, 0.5 - math.Sqrt(12)/(2*math.Sqrt(14))},
		{"NaN left out", []float64{1, math.NaN(), 2, 3}, 0.5 - math.Sqrt(12)/(2*math.Sqrt(14))},
		// 3 up, 1 down: P(Binomial(4, 1/2) >= 3) = 5/16.
		{"sign test", []float64{inf, 1, 2, -1}, 5.0 / 16},
		{"sign test, ties out", []float64{inf, 0, 0, inf}, 1.0 / 4},
		{"constant above 0", []float64{2, 2, 2}, 0},
		{"one value", []float64{5}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// gonum's Student-t CDF is accurate to about 1e-12.
			assert.InDelta(t, tc.want, pValue(tc.xs), 1e-9)
		})
	}
}

// The indifference-zone screen, by hand: k = 2 variants, alpha 0.05,
// n0 = 3, so eta = ((2 x 0.05 / 1)^(-2/2) - 1) / 2 = 4.5 and
// h2 = 2 x 4.5 x 2 = 18. The first three differences 1, 2, 3 have
// variance 1; with delta 1 the bound after r replications is
// max(0, 1/(2r) (18 - r)).
func TestScreen(t *testing.T) {
	s := newScreen(0.05, 1, 2, 3)
	assert.InDelta(t, 18, s.h2, 1e-12)
	pairs := func(xs ...float64) []*Pair {
		var out []*Pair
		for _, x := range xs {
			v := make([]Float, len(Metrics))
			v[0] = Float(x)
			out = append(out, &Pair{Values: v})
		}
		return out
	}
	a := pairs(1, 2, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)
	b := pairs(0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2)
	// r = 3: mean 2 against 1/6 x 15 = 2.5: kept.
	assert.False(t, s.drops(a, b, 0, math.Inf(1), 3))
	// r = 6: mean 15/6 = 2.5 against 1/12 x 12 = 1: dropped.
	assert.True(t, s.drops(a, b, 0, math.Inf(1), 6))
	// r = 18: mean 15/18 against a bound of 0: dropped, and b is never
	// worse than a.
	assert.True(t, s.drops(a, b, 0, math.Inf(1), 18))
	assert.False(t, s.drops(b, a, 0, math.Inf(1), 18))
	// Without a tolerance the screen drops nothing.
	assert.False(t, newScreen(0.05, 0, 2, 3).drops(a, b, 0, math.Inf(1), 18))
}
