package fleet

import (
	"math"
	"math/bits"
	"time"
)

// Histogram is a distribution of exposure durations, some of them
// right-censored (still open at the end of the run). Values are kept in
// log-linear bins of one second below 128 s and a relative width of 1/64
// above, so quantiles (bin midpoints) are within 0.8% of the exact value,
// well inside the confidence intervals of any comparison; the mean and the
// maximum are exact. A run's histogram takes about 10 KB. Quantiles and the CDF use the Kaplan-Meier estimator, so
// censored values count as "at least this long" rather than being dropped
// or taken at face value.
//
// The zero value is an empty histogram. Histograms from replications merge
// with [Histogram.Merge].
type Histogram struct {
	Events   []uint64 // remediated count per bin
	Censored []uint64 // censored count per bin
	N        uint64   // remediated values
	NC       uint64   // censored values
	Sum      float64  // sum of remediated values, seconds
	MaxSec   int64    // largest remediated value, seconds
}

const (
	linearLog  = 7              // values below 2^linearLog seconds have a bin each
	subLog     = 6              // each power of two above has 2^subLog bins
	linearBins = 1 << linearLog // bins of one second
	subBins    = 1 << subLog    // bins per power of two
)

// binOf returns the bin of a value of v seconds (v >= 0).
func binOf(v int64) int {
	if v < linearBins {
		return int(v)
	}
	k := bits.Len64(uint64(v)) - 1 // 2^k <= v < 2^(k+1), k >= linearLog
	shift := k - subLog
	return linearBins + (k-linearLog)*subBins + int(v>>shift) - subBins
}

// binRange returns the half-open range of seconds [lo, hi) of bin b.
func binRange(b int) (lo, hi int64) {
	if b < linearBins {
		return int64(b), int64(b) + 1
	}
	k := (b-linearBins)/subBins + linearLog
	shift := k - subLog
	m := int64((b-linearBins)%subBins + subBins)
	return m << shift, (m + 1) << shift
}

func grow(s []uint64, n int) []uint64 {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	t := make([]uint64, n, n+n/2)
	copy(t, s)
	return t
}

// Add records count remediated values of d.
func (h *Histogram) Add(d time.Duration, count uint64) {
	if count == 0 {
		return
	}
	s := int64(d / time.Second)
	if s < 0 {
		s = 0
	}
	b := binOf(s)
	h.Events = grow(h.Events, b+1)
	h.Events[b] += count
	h.N += count
	h.Sum += float64(count) * d.Seconds()
	if s > h.MaxSec {
		h.MaxSec = s
	}
}

// AddCensored records count values known only to exceed d.
func (h *Histogram) AddCensored(d time.Duration, count uint64) {
	if count == 0 {
		return
	}
	s := max(int64(d/time.Second), 0)
	b := binOf(s)
	h.Censored = grow(h.Censored, b+1)
	h.Censored[b] += count
	h.NC += count
}

// Merge adds o's values to h.
func (h *Histogram) Merge(o *Histogram) {
	h.Events = grow(h.Events, len(o.Events))
	for i, c := range o.Events {
		h.Events[i] += c
	}
	h.Censored = grow(h.Censored, len(o.Censored))
	for i, c := range o.Censored {
		h.Censored[i] += c
	}
	h.N += o.N
	h.NC += o.NC
	h.Sum += o.Sum
	h.MaxSec = max(h.MaxSec, o.MaxSec)
}

// Total returns the number of values, remediated and censored.
func (h *Histogram) Total() uint64 { return h.N + h.NC }

// Mean returns the mean of the remediated values; 0 when there are none.
func (h *Histogram) Mean() time.Duration {
	if h.N == 0 {
		return 0
	}
	return time.Duration(h.Sum / float64(h.N) * float64(time.Second))
}

// Max returns the largest remediated value.
func (h *Histogram) Max() time.Duration { return time.Duration(h.MaxSec) * time.Second }

// CDF returns the Kaplan-Meier estimate of P(exposure <= d). Censored values
// at a bin count as at risk through that bin.
func (h *Histogram) CDF(d time.Duration) float64 {
	s := 1.0
	atRisk := float64(h.Total())
	limit := int64(d / time.Second)
	for b := 0; b < max(len(h.Events), len(h.Censored)); b++ {
		lo, _ := binRange(b)
		if lo > limit {
			break
		}
		e, c := at(h.Events, b), at(h.Censored, b)
		if atRisk > 0 && e > 0 {
			s *= 1 - float64(e)/atRisk
		}
		atRisk -= float64(e + c)
	}
	return 1 - s
}

// Quantile returns the Kaplan-Meier p-quantile (0 < p <= 1): the smallest
// bin midpoint at which the estimated CDF reaches p. It returns +Inf (as
// math.MaxInt64 nanoseconds, see [Censored]) when censoring leaves the CDF
// below p, and 0 for an empty histogram.
func (h *Histogram) Quantile(p float64) time.Duration {
	if h.Total() == 0 {
		return 0
	}
	s := 1.0
	atRisk := float64(h.Total())
	for b := 0; b < max(len(h.Events), len(h.Censored)); b++ {
		e, c := at(h.Events, b), at(h.Censored, b)
		if atRisk > 0 && e > 0 {
			s *= 1 - float64(e)/atRisk
			if 1-s >= p-1e-12 {
				lo, hi := binRange(b)
				if hi-lo == 1 {
					return time.Duration(lo) * time.Second
				}
				return time.Duration(lo+(hi-lo)/2) * time.Second
			}
		}
		atRisk -= float64(e + c)
	}
	return Censored
}

// Censored is the value Quantile returns when the quantile lies beyond
// every remediated value because of censoring: "not reached in the run".
const Censored = time.Duration(math.MaxInt64)

// Points returns the Kaplan-Meier CDF as (seconds, probability) steps at
// each bin holding remediated values, for plotting.
func (h *Histogram) Points() (xs, ys []float64) {
	s := 1.0
	atRisk := float64(h.Total())
	for b := 0; b < max(len(h.Events), len(h.Censored)); b++ {
		e, c := at(h.Events, b), at(h.Censored, b)
		if atRisk > 0 && e > 0 {
			s *= 1 - float64(e)/atRisk
			lo, _ := binRange(b)
			xs = append(xs, float64(lo))
			ys = append(ys, 1-s)
		}
		atRisk -= float64(e + c)
	}
	return xs, ys
}

func at(s []uint64, i int) uint64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}
