package sim_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/stat"

	"github.com/patchsim/patchsim/sim"
)

func draws(n int, next func() uint64) []uint64 {
	out := make([]uint64, n)
	for k := range out {
		out[k] = next()
	}
	return out
}

func TestStreamOrderIndependence(t *testing.T) {
	t.Parallel()
	// Created in different orders, with draws interleaved, each name gives
	// the same sequence.
	a1 := sim.Stream(42, "arrivals")
	b1 := sim.Stream(42, "service")
	wantA, wantB := draws(100, a1.Uint64), draws(100, b1.Uint64)

	b2 := sim.Stream(42, "service")
	_ = draws(7, b2.Uint64)
	a2 := sim.Stream(42, "arrivals")
	b3 := sim.Stream(42, "service")
	assert.Equal(t, wantA, draws(100, a2.Uint64))
	assert.Equal(t, wantB, draws(100, b3.Uint64))
	assert.Equal(t, wantA, draws(100, sim.NewSource(42, "arrivals").Uint64))
}

func TestStreamsDiffer(t *testing.T) {
	t.Parallel()
	base := draws(4, sim.Stream(1, "a").Uint64)
	for _, tc := range []struct {
		name string
		seed uint64
		s    string
	}{
		{"other name", 1, "b"},
		{"other seed", 2, "a"},
		{"empty name", 1, ""},
		{"name prefix", 1, "a\x00"},
	} {
		assert.NotEqual(t, base, draws(4, sim.Stream(tc.seed, tc.s).Uint64), tc.name)
	}
}

func TestStreamStatistics(t *testing.T) {
	t.Parallel()
	const n = 100000
	x, y := make([]float64, n), make([]float64, n)
	rx, ry := sim.Stream(9, "x"), sim.Stream(9, "y")
	for k := range x {
		x[k], y[k] = rx.Float64(), ry.Float64()
	}
	// Uniform(0, 1): mean 1/2 and variance 1/12; with n draws the standard
	// error of the mean is sqrt(1/12/n) ≈ 0.0009 and of a correlation
	// 1/sqrt(n) ≈ 0.003. Tolerances are 5 standard errors.
	mean, variance := stat.MeanVariance(x, nil)
	assert.InDelta(t, 0.5, mean, 5*math.Sqrt(1.0/12/n))
	assert.InDelta(t, 1.0/12, variance, 0.002)
	assert.InDelta(t, 0, stat.Correlation(x, y, nil), 5/math.Sqrt(n), "streams x and y correlated")
	assert.InDelta(t, 0, stat.Correlation(x[:n-1], x[1:], nil), 5/math.Sqrt(n), "lag-1 autocorrelation")

	// Streams of consecutive seeds under one name are uncorrelated too.
	z := make([]float64, n)
	rz := sim.Stream(10, "x")
	for k := range z {
		z[k] = rz.Float64()
	}
	assert.InDelta(t, 0, stat.Correlation(x, z, nil), 5/math.Sqrt(n), "seeds 9 and 10")
}
