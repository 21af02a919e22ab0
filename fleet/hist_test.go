package fleet

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBinsPartitionTheLine(t *testing.T) {
	// Every value falls in the bin whose range holds it, and bins tile
	// [0, 2^40) without gaps.
	prevHi := int64(0)
	for b := 0; b < binOf(1<<40); b++ {
		lo, hi := binRange(b)
		require.Equal(t, prevHi, lo, "bin %d", b)
		require.Less(t, lo, hi)
		require.Equal(t, b, binOf(lo))
		require.Equal(t, b, binOf(hi-1))
		if lo >= linearBins {
			assert.LessOrEqual(t, float64(hi-lo)/float64(lo), 1.0/subBins+1e-12, "relative width")
		}
		prevHi = hi
	}
}

func TestHistogramQuantilesMatchExact(t *testing.T) {
	// Without censoring, Kaplan-Meier is the empirical distribution: the
	// quantiles match the sorted sample within the bin precision.
	rng := rand.New(rand.NewPCG(1, 2))
	var h Histogram
	xs := make([]time.Duration, 5000)
	for i := range xs {
		xs[i] = time.Duration(rng.ExpFloat64() * float64(10*24*time.Hour)).Round(time.Second)
		h.Add(xs[i], 1)
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i] < xs[j] })
	for _, p := range []float64{0.5, 0.9, 0.95, 0.99} {
		exact := xs[int(p*float64(len(xs)))-1]
		got := h.Quantile(p)
		assert.InEpsilon(t, exact.Seconds(), got.Seconds(), 0.01, "p%v: bin midpoint within 1%% (relative width 1/64)", p)
	}
	var sum time.Duration
	for _, x := range xs {
		sum += x
	}
	// the mean is kept exactly, up to float64 summation
	assert.InDelta(t, (sum / time.Duration(len(xs))).Seconds(), h.Mean().Seconds(), 1e-3)
	assert.Equal(t, xs[len(xs)-1], h.Max())
}

func TestHistogramKaplanMeier(t *testing.T) {
	// 4 values: 1, 2, censored at 3, 4 (seconds). KM: S(1)=3/4, S(2)=2/4,
	// censoring at 3 leaves 1 at risk, S(4)=0.
	var h Histogram
	h.Add(1*time.Second, 1)
	h.Add(2*time.Second, 1)
	h.AddCensored(3*time.Second, 1)
	h.Add(4*time.Second, 1)
	assert.InDelta(t, 0.25, h.CDF(1*time.Second), 1e-12)
	assert.InDelta(t, 0.5, h.CDF(3*time.Second), 1e-12)
	assert.InDelta(t, 1.0, h.CDF(4*time.Second), 1e-12)
	assert.Equal(t, 2*time.Second, h.Quantile(0.5))
	assert.Equal(t, 4*time.Second, h.Quantile(0.9))
	// Censoring beyond every event leaves the tail unknown.
	var c Histogram
	c.Add(time.Second, 1)
	c.AddCensored(10*time.Second, 3)
	assert.Equal(t, Censored, c.Quantile(0.5))
	assert.Equal(t, time.Second, c.Quantile(0.25))
	// Merge adds.
	h.Merge(&c)
	assert.Equal(t, uint64(4), h.N)
	assert.Equal(t, uint64(4), h.NC)
}

// Merging several histograms at once gives what adding their values to one
// histogram gives, and what merging them one at a time gives, bit for bit;
// it leaves them as they were.
func TestHistogramMergeMany(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var all Histogram
	parts := make([]Histogram, 5)
	for i := range parts {
		for range 200 {
			d := time.Duration(rng.ExpFloat64() * float64(20*24*time.Hour))
			if rng.IntN(4) == 0 {
				parts[i].AddCensored(d, 1)
				all.AddCensored(d, 1)
			} else {
				parts[i].Add(d, 1)
				all.Add(d, 1)
			}
		}
	}
	before := slices.Clone(parts[0].Bins)
	var many, one Histogram
	one.Add(time.Hour, 1)
	many.Add(time.Hour, 1)
	all.Add(time.Hour, 1)
	ptrs := []*Histogram{&parts[0], &parts[1], &parts[2], &parts[3], &parts[4]}
	many.Merge(ptrs...)
	for _, p := range ptrs {
		one.Merge(p)
	}
	assert.Equal(t, one, many)
	assert.Equal(t, all.Bins, many.Bins)
	assert.Equal(t, all.N, many.N)
	assert.Equal(t, all.NC, many.NC)
	assert.Equal(t, all.MaxSec, many.MaxSec)
	assert.InEpsilon(t, all.Sum, many.Sum, 1e-12)
	assert.Equal(t, before, parts[0].Bins)
	require.NoError(t, many.Validate())

	// A bin out of range (built by hand) is merged as it is, without a
	// panic.
	odd := Histogram{Bins: []Bin{{Index: maxBin + 5, Events: 1}}, N: 1}
	h := Histogram{Bins: []Bin{{Index: 2, Events: 1}}, N: 1}
	h.Merge(&odd, &odd)
	assert.Equal(t, []Bin{{Index: 2, Events: 1}, {Index: maxBin + 5, Events: 2}}, h.Bins)
	assert.Equal(t, uint64(3), h.N)
}

func TestHistogramRestrictedMean(t *testing.T) {
	// Values 1, 2, censored at 3, 4 seconds, as above: S is 1 on [0,1),
	// 3/4 on [1,2), 1/2 on [2,4), 0 from 4. Area to tau=10:
	// 1*1 + 0.75*1 + 0.5*2 = 2.75 s.
	var h Histogram
	h.Add(1*time.Second, 1)
	h.Add(2*time.Second, 1)
	h.AddCensored(3*time.Second, 1)
	h.Add(4*time.Second, 1)
	assert.Equal(t, 2750*time.Millisecond, h.RestrictedMean(10*time.Second))
	// To tau=3: 1 + 0.75 + 0.5*1 = 2.25 s.
	assert.Equal(t, 2250*time.Millisecond, h.RestrictedMean(3*time.Second))
	// A value still open past the last event holds the curve up to tau:
	// 1 remediated at 1 s and 3 open from 10 s; S is 3/4 from 1 s on, so
	// the area to 100 s is 1 + 0.75*99 = 75.25 s, where a mean over the
	// remediated values alone would say 1 s.
	var c Histogram
	c.Add(time.Second, 1)
	c.AddCensored(10*time.Second, 3)
	assert.Equal(t, 75250*time.Millisecond, c.RestrictedMean(100*time.Second))
	// Without censoring and with tau past every value it is the mean (of
	// the bin values; 1-second bins here are exact).
	var u Histogram
	for _, s := range []int{3, 5, 7, 100} {
		u.Add(time.Duration(s)*time.Second, 1)
	}
	assert.Equal(t, u.Mean(), u.RestrictedMean(time.Hour))
	var empty Histogram
	assert.Equal(t, time.Duration(0), empty.RestrictedMean(time.Hour))
}

// Validate accepts what Add, AddCensored and Merge build and refuses what
// they cannot, as a part file edited by hand may hold.
func TestHistogramValidate(t *testing.T) {
	var h, o Histogram
	h.Add(3*time.Hour, 2)
	h.AddCensored(90*24*time.Hour, 1)
	o.Add(time.Second, 1)
	h.Merge(&o)
	require.NoError(t, h.Validate())
	for _, tc := range []struct {
		name string
		edit func(h *Histogram)
		err  string
	}{
		{"counts do not add up", func(h *Histogram) { h.N++ }, "fleet: histogram: n 4, but its bins hold 3 remediated values"},
		{"censored counts do not add up", func(h *Histogram) { h.NC = 0 }, "fleet: histogram: nc 0, but its bins hold 1 censored values"},
		{"bins out of order", func(h *Histogram) { h.Bins[0], h.Bins[1] = h.Bins[1], h.Bins[0] }, "does not follow"},
		{"a negative bin", func(h *Histogram) { h.Bins[0].Index = -1 }, "fleet: histogram bin 0: index -1 is outside 0 to"},
		{"an empty bin", func(h *Histogram) { h.Bins = append(h.Bins, Bin{Index: maxBin}) }, "fleet: histogram bin 3: empty"},
		{"a negative sum", func(h *Histogram) { h.Sum = -1 }, "sum -1 is not a finite non-negative number"},
		{"a negative maximum", func(h *Histogram) { h.MaxSec = -5 }, "maxSec -5 is negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := h
			e.Bins = append([]Bin(nil), h.Bins...)
			tc.edit(&e)
			assert.ErrorContains(t, e.Validate(), tc.err)
		})
	}
}
