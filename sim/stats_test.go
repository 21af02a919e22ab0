package sim_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/stat"

	"github.com/patchsim/patchsim/sim"
)

func TestTally(t *testing.T) {
	t.Parallel()
	var empty sim.Tally
	assert.Equal(t, 0, empty.N())
	assert.True(t, math.IsNaN(empty.Mean()))
	assert.True(t, math.IsNaN(empty.Min()))
	assert.True(t, math.IsNaN(empty.Max()))

	r := sim.Stream(3, "tally")
	xs := make([]float64, 1000)
	var tl sim.Tally
	for k := range xs {
		xs[k] = 1e6 + r.NormFloat64() // a large offset tests stability
		tl.Add(xs[k])
		if k == 0 {
			assert.True(t, math.IsNaN(tl.Variance()), "variance of one observation")
		}
	}
	mean, variance := stat.MeanVariance(xs, nil)
	assert.Equal(t, len(xs), tl.N())
	assert.InDelta(t, mean, tl.Mean(), 1e-9)
	assert.InDelta(t, variance, tl.Variance(), 1e-9)
	assert.InDelta(t, math.Sqrt(variance), tl.StdDev(), 1e-9)
	assert.Equal(t, xs[argmin(xs)], tl.Min())
	assert.Equal(t, xs[argmax(xs)], tl.Max())
}

func argmin(xs []float64) int {
	k := 0
	for j, x := range xs {
		if x < xs[k] {
			k = j
		}
	}
	return k
}

func argmax(xs []float64) int {
	k := 0
	for j, x := range xs {
		if x > xs[k] {
			k = j
		}
	}
	return k
}

func TestTimeWeighted(t *testing.T) {
	t.Parallel()
	var w sim.TimeWeighted
	assert.True(t, math.IsNaN(w.Mean(epoch)))
	w.Set(epoch, 2)
	assert.True(t, math.IsNaN(w.Mean(epoch)), "empty interval")
	w.Set(epoch.Add(time.Second), 4)
	w.Set(epoch.Add(3*time.Second), 1)
	// 2 for 1 s, 4 for 2 s, 1 for 1 s: (2 + 8 + 1) / 4.
	assert.InDelta(t, 11.0/4, w.Mean(epoch.Add(4*time.Second)), 1e-12)
	assert.Equal(t, 1.0, w.Min())
	assert.Equal(t, 4.0, w.Max())
	assert.PanicsWithValue(t,
		"sim: TimeWeighted.Set at 2025-01-01 00:00:02 +0000 UTC, before the last change at 2025-01-01 00:00:03 +0000 UTC",
		func() { w.Set(epoch.Add(2*time.Second), 0) })
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	xs := []float64{5, 1, 4, 2, 3}
	s := sim.Summarize(xs, 0.95)
	assert.Equal(t, []float64{5, 1, 4, 2, 3}, xs, "input unchanged")
	assert.Equal(t, 5, s.N)
	assert.InDelta(t, 3, s.Mean, 1e-12)
	assert.InDelta(t, math.Sqrt(2.5), s.StdDev, 1e-12)
	// t(0.975, 4 df) = 2.776445 from tables, to 6 decimals.
	half := 2.776445 * math.Sqrt(2.5) / math.Sqrt(5)
	assert.InDelta(t, 3-half, s.Lo, 1e-5)
	assert.InDelta(t, 3+half, s.Hi, 1e-5)
	assert.Equal(t, 0.95, s.Level)
	assert.Equal(t, 1.0, s.Min)
	assert.Equal(t, 5.0, s.Max)
	assert.Equal(t, 3.0, s.P50)
	assert.Equal(t, 5.0, s.P90)
	assert.Equal(t, 5.0, s.P99)

	one := sim.Summarize([]float64{7}, 0.9)
	assert.Equal(t, 7.0, one.Lo)
	assert.Equal(t, 7.0, one.Hi)
	assert.True(t, math.IsNaN(one.StdDev))

	none := sim.Summarize(nil, 0.9)
	assert.Equal(t, 0, none.N)
	assert.True(t, math.IsNaN(none.Mean))

	assert.PanicsWithValue(t, "sim: Summarize level 95: want 0 < level < 1", func() { sim.Summarize(xs, 95) })
}

func TestQuantile(t *testing.T) {
	t.Parallel()
	xs := []float64{10, 40, 20, 30}
	for _, tc := range []struct {
		p, want float64
	}{{0, 10}, {0.25, 10}, {0.26, 20}, {0.5, 20}, {0.75, 30}, {1, 40}} {
		assert.Equal(t, tc.want, sim.Quantile(tc.p, xs), "p=%v", tc.p)
	}
	assert.Equal(t, []float64{10, 40, 20, 30}, xs, "input unchanged")
	assert.True(t, math.IsNaN(sim.Quantile(0.5, nil)))
	require.Panics(t, func() { sim.Quantile(1.5, xs) })
}
