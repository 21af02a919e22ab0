package plan

import (
	"context"
	"fmt"
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

// Bisection by hand. Upward: the recommendation is "A" up to 6 and "B"
// above; from base 2 toward 10 the halvings test 6 (A), 8 (B), 7 (B), 6.5
// (B): the last interval is (6, 6.5], so At is 6.25, above. Downward: "A"
// from 4 up; from base 10 toward 0 they test 5 (A), 2.5 (B), 3.75 (B),
// 4.375 (A): the last interval is [3.75, 4.375), so At is 4.0625, below.
func TestBreakBetween(t *testing.T) {
	a := Assumption{Name: "x", Unit: "days"}
	for _, tc := range []struct {
		base, end float64
		holds     func(v float64) bool
		tried     []float64
		at        float64
		above     bool
	}{
		{2, 10, func(v float64) bool { return v <= 6 }, []float64{6, 8, 7, 6.5}, 6.25, true},
		{10, 0, func(v float64) bool { return v >= 4 }, []float64{5, 2.5, 3.75, 4.375}, 4.0625, false},
	} {
		var tried []float64
		b, err := breakBetween(a, tc.base, tc.end, "A", func(v float64) (string, error) {
			tried = append(tried, v)
			if tc.holds(v) {
				return "A", nil
			}
			return "B", nil
		})
		require.NoError(t, err)
		assert.Equal(t, tc.tried, tried)
		assert.Equal(t, tc.at, b.At)
		assert.Equal(t, tc.above, b.Above)
	}

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

// assumption returns s's assumption name, or fails.
func assumption(t *testing.T, s *Scenario, name string) Assumption {
	t.Helper()
	for _, a := range s.Assumptions() {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no assumption %s", name)
	return Assumption{}
}

// TestAssumptionsFollowTheScenario: which assumptions a scenario has, at
// which base value, and what setting one changes.
func TestAssumptionsFollowTheScenario(t *testing.T) {
	names := func(s *Scenario) []string {
		var out []string
		for _, a := range s.Assumptions() {
			out = append(out, a.Name)
		}
		return out
	}
	s := small(t)
	assert.Contains(t, names(s), "clusters[].pools[].pdb.probability", "the default scenario has PDBs")
	for i := range s.Clusters {
		for j := range s.Clusters[i].Pools {
			s.Clusters[i].Pools[j].PDB = nil
		}
	}
	assert.NotContains(t, names(s), "clusters[].pools[].pdb.probability", "no pool has a PDB")
	s.Upstream.AdvisoryTrace = "advisories.csv"
	assert.NotContains(t, names(s), "upstream.userspacePerYear", "traced advisories have no rate")
	s.Upstream.AdvisoryTrace = ""
	s.Upstream.History, s.Start = "2024", time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, []string{"upstream.nodeImageRollout", "upstream.securityPatchRollout", "upstream.securityPatchMeanGap",
		"upstream.userspacePerYear", "clusters[].pools[].durations"}, names(s), "2024 replays node images and kernels, not SecurityPatch")

	s = small(t)
	three := Duration(3 * 24 * time.Hour)
	s.Upstream.NodeImageRollout = &three
	assert.Equal(t, 3.0, assumption(t, s, "upstream.nodeImageRollout").Base, "the scenario's value, in days")
	assert.Equal(t, 14.0, assumption(t, s, "upstream.securityPatchRollout").Base, "the calibrated default, in days")

	// Advisory rates scale the scenario's own.
	s.Upstream.UserspacePerYear = &PerSeverity{Critical: 1, High: 2, Medium: 3, Low: 4}
	c, err := s.clone()
	require.NoError(t, err)
	assumption(t, s, "upstream.userspacePerYear").set(c, 0.5)
	assert.Equal(t, PerSeverity{Critical: 0.5, High: 1, Medium: 1.5, Low: 2}, *c.Upstream.UserspacePerYear)

	// PDB probabilities scale alike from the largest, capped at 1; a pool
	// without one stays without.
	s = small(t)
	s.Clusters = s.Clusters[:1]
	pools := s.Clusters[0].Pools[:1]
	for i, pr := range []float64{0.3, 0.1, 0} {
		p := pools[0]
		p.Name = fmt.Sprintf("p%d", i)
		p.PDB = &PDB{Probability: pr}
		pools = append(pools, p)
	}
	s.Clusters[0].Pools = pools[1:]
	a := assumption(t, s, "clusters[].pools[].pdb.probability")
	assert.Equal(t, [3]float64{0.3, 0, 1}, [3]float64{a.Base, a.Low, a.High}, "from none to four times, at most 1")
	for v, want := range map[float64][3]float64{0.6: {0.6, 0.2, 0}, 1: {1, 1.0 / 3, 0}, 0: {0, 0, 0}} {
		c, err := s.clone()
		require.NoError(t, err)
		a.set(c, v)
		var got [3]float64
		for i, p := range c.Clusters[0].Pools {
			got[i] = p.PDB.Probability
		}
		assert.InDeltaSlice(t, want[:], got[:], 1e-12, "at %v", v)
	}
}

func TestAssumptionFormatAndHolds(t *testing.T) {
	for _, tc := range []struct {
		unit string
		v    float64
		want string
	}{{"days", 14, "14d"}, {"days", 0.5, "0.5d"}, {"days", 4.0625, "4.06d"}, {"share", 0.125, "0.125"}, {"times", 2, "x2"}, {"node-hours", 1234.5, "1.23e+03 node-hours"}} {
		assert.Equal(t, tc.want, Assumption{Unit: tc.unit}.Format(tc.v))
	}
	x := &Sensitivity{Base: &Comparison{Variants: []Summary{{Name: "A"}}, Recommendation: &Recommendation{Best: -1}},
		Breaks: []Break{
			{Assumption: Assumption{Name: "x", Unit: "days"}, At: 4.0625, To: "A"},
			{Assumption: Assumption{Name: "y", Unit: "times"}, At: 1.5, Above: true, To: "A"},
			{Assumption: Assumption{Name: "z", Unit: "share"}, At: 0.25, Above: true, To: "B"},
		}}
	assert.Equal(t, "The recommendation (no recommendation) holds unless x falls below about 4.06d (then A), y exceeds about x1.5 (then A), or z exceeds about 0.25 (then B).", x.Holds())
}
