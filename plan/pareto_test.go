package plan

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNoRecommendationReason: with no variant feasible, the reason says
// what happened to the variants (they miss the constraints, the objective
// has no value, a race dropped them), and Closest is a variant only when
// one misses a constraint.
func TestNoRecommendationReason(t *testing.T) {
	nine := 0.9
	share := []Constraint{{Metric: "minAvailableShare", Min: &nine}}
	nan := math.NaN()
	const noCritical = "no defined critical.meanDays (no critical advisory published before the settle period in any replication)"
	for _, tc := range []struct {
		name     string
		vals     [][3]float64 // critical.meanDays, reimagesPerNodeMonth, minAvailableShare
		cons     []Constraint
		eligible []bool
		reason   string
		closest  int
	}{
		{"every variant misses the constraints", [][3]float64{{1, 1, 0.8}, {2, 1, 0.5}}, share, nil,
			"no variant meets minAvailableShare >= 0.9", 0},
		{"no constraints, the objective undefined everywhere", [][3]float64{{nan, 1, 1}, {nan, 2, 1}}, nil, nil,
			"no variant has a defined critical.meanDays (no critical advisory published before the settle period in any replication)", -1},
		{"the objective undefined, the variants also dropped by the race", [][3]float64{{nan, 1, 1}, {nan, 2, 1}}, nil, []bool{false, false},
			"no variant has a defined critical.meanDays (no critical advisory published before the settle period in any replication)", -1},
		{"no constraints, a race dropped every variant", [][3]float64{{1, 1, 1}, {2, 1, 1}}, nil, []bool{false, false},
			"a race dropped every variant", -1},
		{"one of each", [][3]float64{{nan, 1, 1}, {1, 1, 0.5}, {2, 1, 1}}, share, []bool{true, true, false},
			"no variant can be recommended: of the 3 variants, 1 misses minAvailableShare >= 0.9, 1 has " + noCritical + ", 1 was dropped by a race", 1},
		{"two miss, two undefined", [][3]float64{{1, 1, 0.5}, {nan, 1, 1}, {1, 1, 0.8}, {nan, 1, 0.95}}, share, nil,
			"no variant can be recommended: of the 4 variants, 2 miss minAvailableShare >= 0.9, 2 have " + noCritical, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, grid := comparisonOf(tc.vals, tc.cons)
			r := c.recommend(grid, tc.eligible)
			assert.Equal(t, -1, r.Best)
			assert.Equal(t, tc.reason, r.Reason)
			assert.Equal(t, tc.closest, r.Closest)
			assert.Equal(t, tc.closest >= 0, len(r.Misses) > 0, "misses %v", r.Misses)
		})
	}
}

// TestUndefinedWhy: the metrics that can lack a value say when.
func TestUndefinedWhy(t *testing.T) {
	for key, want := range map[string]string{
		"high.p95Days":            "no high advisory published before the settle period in any replication",
		"low.exposure.windowDays": "no low advisory published before the settle period in any replication",
		"lastStageDays":           "no Fleet Manager update run in any replication",
		"behindFirstStageShare":   "no Fleet Manager in any replication",
		"reimagesPerNodeMonth":    "",
		"pastSLAShare":            "",
	} {
		assert.Equal(t, want, undefinedWhy(key), key)
		assert.GreaterOrEqual(t, MetricIndex(key), 0, "%s is a metric", key)
	}
}

// TestRecommendationReasonWithoutConstraints: without constraints the
// reason says so instead of "meeting" none, and counts only the variants
// with a defined objective.
func TestRecommendationReasonWithoutConstraints(t *testing.T) {
	c, grid := comparisonOf([][3]float64{{3, 1, 1}, {math.NaN(), 1, 1}, {2, 1, 1}}, nil)
	r := c.recommend(grid, nil)
	assert.Equal(t, 2, r.Best)
	assert.Equal(t, "lowest critical.meanDays among 2 of 3 variants (no constraints)", r.Reason)
}
