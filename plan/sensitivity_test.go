package plan

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSensitivity(t *testing.T) {
	s := small(t)
	s.Replications = 3
	x, err := s.Sensitivity(context.Background(), Options{})
	require.NoError(t, err)
	var names []string
	for _, r := range x.Rows {
		names = append(names, r.Assumption.Name)
	}
	assert.Equal(t, []string{"upstream.nodeImageRollout", "upstream.securityPatchRollout", "upstream.nodeImageMeanGap",
		"upstream.kernelEvery", "upstream.securityPatchMeanGap", "upstream.userspacePerYear", "clusters[].pools[].durations",
		"clusters[].pools[].pdb.probability"}, names)
	ex := MetricIndex(x.Base.Objective.Exposure)
	// Common random numbers: an end that equals the base value (the
	// rollout spreads' 14 days) reproduces the base comparison exactly.
	for _, r := range x.Rows[:2] {
		require.Equal(t, 14.0, r.Assumption.Base)
		for v, sum := range x.Base.Variants {
			assert.Equal(t, sum.Stats[ex].Value(), r.High[v], "%s at its base value, variant %s", r.Assumption.Name, sum.Name)
		}
		assert.Equal(t, recommended(x.Base), r.RecommendedHigh)
	}
	// Replayed streams have no cadence assumption.
	s.Upstream.History = "2025"
	s.Start = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	var replayed []string
	for _, a := range s.Assumptions() {
		replayed = append(replayed, a.Name)
	}
	assert.NotContains(t, replayed, "upstream.nodeImageMeanGap")
	assert.NotContains(t, replayed, "upstream.securityPatchMeanGap")
	assert.Contains(t, replayed, "upstream.securityPatchRollout")
}

// Bisection by hand: the recommendation is "A" up to 6 and "B" above; from
// base 2 toward 10 the halvings test 6 (A), 8 (B), 7 (B), 6.5 (B): the last
// interval is (6, 6.5], so At is 6.25.
func TestBreakBetween(t *testing.T) {
	a := Assumption{Name: "x", Unit: "days"}
	var tried []float64
	b, err := breakBetween(a, 2, 10, "A", func(v float64) (string, error) {
		tried = append(tried, v)
		if v <= 6 {
			return "A", nil
		}
		return "B", nil
	})
	require.NoError(t, err)
	assert.Equal(t, []float64{6, 8, 7, 6.5}, tried)
	assert.Equal(t, 6.25, b.At)
	assert.True(t, b.Above)

	x := &Sensitivity{Base: &Comparison{Variants: []Summary{{Name: "A"}}, Recommendation: &Recommendation{Best: 0}},
		Breaks: []Break{{Assumption: a, At: 6.25, Above: true, To: "B"}, {Assumption: Assumption{Name: "y", Unit: "share"}, At: 0.1, To: ""}}}
	assert.Equal(t, "The recommendation (A) holds unless x exceeds about 6.25d (then B), or y falls below about 0.1 (then no variant meeting the constraints).", x.Holds())
	x.Breaks = nil
	assert.Equal(t, "The recommendation (A) holds across the plausible range of every assumption varied.", x.Holds())
}

// Step durations scale from the defaults where a pool sets none: the
// default drain of 1-3-10 minutes doubles to 2-6-20.
func TestDurationsAssumption(t *testing.T) {
	s := Default()
	for _, a := range s.Assumptions() {
		if a.Name != "clusters[].pools[].durations" {
			continue
		}
		c, err := s.clone()
		require.NoError(t, err)
		a.set(c, 2)
		d := c.Clusters[0].Pools[0].Durations
		require.NotNil(t, d)
		assert.Equal(t, Dist{Min: Duration(2 * time.Minute), Mode: Duration(6 * time.Minute), Max: Duration(20 * time.Minute)}, *d.Drain)
		assert.Nil(t, s.Clusters[0].Pools[0].Durations, "the scenario itself is left alone")
		return
	}
	t.Fatal("no durations assumption")
}
