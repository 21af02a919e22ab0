package fleet

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"
	"time"
)

// Histogram is a distribution of exposure durations, some of them
// right-censored (still open at the end of the run). Values are kept in
// log-linear bins of one second below 128 s and a relative width of 1/64
// above, so quantiles (bin midpoints) are within 0.8% of the exact value,
// well inside the confidence intervals of any comparison; the mean and the
// maximum are exact. Only non-empty bins are stored. Quantiles and the CDF
// use the Kaplan-Meier estimator, so censored values count as "at least
// this long" rather than being dropped or taken at face value.
//
// The zero value is an empty histogram. Histograms from replications merge
// with [Histogram.Merge].
type Histogram struct {
	Bins   []Bin   `json:"bins,omitempty"` // non-empty bins, by increasing Index
	N      uint64  `json:"n"`              // remediated values
	NC     uint64  `json:"nc"`             // censored values
	Sum    float64 `json:"sum"`            // sum of remediated values, seconds
	MaxSec int64   `json:"maxSec"`         // largest remediated value, seconds
}

// Bin holds the values of one bin: those remediated, and those censored
// (known only to be at least the bin's value).
type Bin struct {
	Index    int    `json:"i"`
	Events   uint64 `json:"e,omitempty"`
	Censored uint64 `json:"c,omitempty"`
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

// bin returns the bin with index b, inserting it if absent.
func (h *Histogram) bin(b int) *Bin {
	i := sort.Search(len(h.Bins), func(i int) bool { return h.Bins[i].Index >= b })
	if i == len(h.Bins) || h.Bins[i].Index != b {
		h.Bins = slices.Insert(h.Bins, i, Bin{Index: b})
	}
	return &h.Bins[i]
}

func seconds(d time.Duration) int64 { return max(int64(d/time.Second), 0) }

// Add records count remediated values of d.
func (h *Histogram) Add(d time.Duration, count uint64) {
	if count == 0 {
		return
	}
	s := seconds(d)
	h.bin(binOf(s)).Events += count
	h.N += count
	h.Sum += float64(count) * d.Seconds()
	h.MaxSec = max(h.MaxSec, s)
}

// AddCensored records count values known only to exceed d.
func (h *Histogram) AddCensored(d time.Duration, count uint64) {
	if count == 0 {
		return
	}
	h.bin(binOf(seconds(d))).Censored += count
	h.NC += count
}

// Merge adds the values of each of os to h, in order. Merging many at once
// walks their bins once, rather than the growing merge once per histogram.
func (h *Histogram) Merge(os ...*Histogram) {
	if dense, ok := denseBins(h, os); ok {
		for _, o := range os {
			for _, b := range o.Bins {
				d := &dense[b.Index]
				d.Index = b.Index
				d.Events += b.Events
				d.Censored += b.Censored
			}
		}
		n := 0
		for _, b := range dense {
			if b.Index >= 0 {
				n++
			}
		}
		out := make([]Bin, 0, n)
		for _, b := range dense {
			if b.Index >= 0 {
				out = append(out, b)
			}
		}
		h.Bins = out
	} else {
		for _, o := range os {
			h.mergeBins(o)
		}
	}
	for _, o := range os {
		h.N += o.N
		h.NC += o.NC
		h.Sum += o.Sum
		h.MaxSec = max(h.MaxSec, o.MaxSec)
	}
}

// denseBins returns h's bins placed at their indexes, the places of no
// bin marked Index -1, with room for the bins of os; ok is false when a
// bin's index is outside 0 to maxBin (a histogram built by hand).
func denseBins(h *Histogram, os []*Histogram) (dense []Bin, ok bool) {
	top := -1
	for _, x := range append([]*Histogram{h}, os...) {
		for _, b := range x.Bins {
			if b.Index < 0 || b.Index > maxBin {
				return nil, false
			}
			top = max(top, b.Index)
		}
	}
	dense = make([]Bin, top+1)
	for i := range dense {
		dense[i].Index = -1
	}
	for _, b := range h.Bins {
		dense[b.Index] = b
	}
	return dense, true
}

// mergeBins merges o's bins into h's.
func (h *Histogram) mergeBins(o *Histogram) {
	out := make([]Bin, 0, len(h.Bins)+len(o.Bins))
	i, j := 0, 0
	for i < len(h.Bins) || j < len(o.Bins) {
		switch {
		case j == len(o.Bins) || (i < len(h.Bins) && h.Bins[i].Index < o.Bins[j].Index):
			out = append(out, h.Bins[i])
			i++
		case i == len(h.Bins) || o.Bins[j].Index < h.Bins[i].Index:
			out = append(out, o.Bins[j])
			j++
		default:
			b := h.Bins[i]
			b.Events += o.Bins[j].Events
			b.Censored += o.Bins[j].Censored
			out = append(out, b)
			i, j = i+1, j+1
		}
	}
	h.Bins = out
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
	for _, b := range h.Bins {
		if lo, _ := binRange(b.Index); lo > limit {
			break
		}
		if atRisk > 0 && b.Events > 0 {
			s *= 1 - float64(b.Events)/atRisk
		}
		atRisk -= float64(b.Events + b.Censored)
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
	for _, b := range h.Bins {
		if atRisk > 0 && b.Events > 0 {
			s *= 1 - float64(b.Events)/atRisk
			if 1-s >= p-1e-12 {
				return time.Duration(binValue(b.Index)) * time.Second
			}
		}
		atRisk -= float64(b.Events + b.Censored)
	}
	return Censored
}

// binValue is the value in seconds that stands for bin b in quantiles and
// the restricted mean: its midpoint, or its only value for one-second bins.
func binValue(b int) int64 {
	lo, hi := binRange(b)
	return lo + (hi-lo)/2
}

// RestrictedMean returns the Kaplan-Meier restricted mean up to tau: the
// area under the estimated survival curve from 0 to tau, that is the mean
// of min(exposure, tau) had no value been censored. Remediated values stand
// at their bin's value (as in [Histogram.Quantile]); beyond the last one
// the curve stays at its last level, so values still open count up to tau.
// It returns 0 for an empty histogram or a tau <= 0.
func (h *Histogram) RestrictedMean(tau time.Duration) time.Duration {
	limit := tau.Seconds()
	if h.Total() == 0 || limit <= 0 {
		return 0
	}
	s, area, prev := 1.0, 0.0, 0.0
	atRisk := float64(h.Total())
	for _, b := range h.Bins {
		if atRisk > 0 && b.Events > 0 {
			t := float64(binValue(b.Index))
			if t >= limit {
				break
			}
			area += s * (t - prev)
			s *= 1 - float64(b.Events)/atRisk
			prev = t
		}
		atRisk -= float64(b.Events + b.Censored)
	}
	area += s * (limit - prev)
	return time.Duration(area * float64(time.Second))
}

// Censored is the value Quantile returns when the quantile lies beyond
// every remediated value because of censoring: "not reached in the run".
const Censored = time.Duration(math.MaxInt64)

// Points returns the Kaplan-Meier CDF as (seconds, probability) steps at
// each bin holding remediated values, for plotting.
func (h *Histogram) Points() (xs, ys []float64) {
	s := 1.0
	atRisk := float64(h.Total())
	for _, b := range h.Bins {
		if atRisk > 0 && b.Events > 0 {
			s *= 1 - float64(b.Events)/atRisk
			lo, _ := binRange(b.Index)
			xs = append(xs, float64(lo))
			ys = append(ys, 1-s)
		}
		atRisk -= float64(b.Events + b.Censored)
	}
	return xs, ys
}

// accumulator collects a run's values in dense bins, cheaper to update
// than a Histogram's sparse ones, and turns them into a Histogram at the
// end. Its bins come from a pool, so runs in steady state allocate only
// the final Histogram.
type accumulator struct {
	events, censored []uint64
	sum              exact     // nanoseconds, exact so that any order of adds gives the same Sum
	h                Histogram // N, NC, MaxSec
	stages           *stageSums
}

var binPool = sync.Pool{New: func() any { return new([]uint64) }}

func (a *accumulator) slot(s *[]uint64, b int) *uint64 {
	if *s == nil {
		*s = *binPool.Get().(*[]uint64)
	}
	if b >= len(*s) {
		if b < cap(*s) {
			*s = (*s)[:b+1]
		} else {
			t := make([]uint64, b+1, 2*(b+1))
			copy(t, *s)
			*s = t
		}
	}
	return &(*s)[b]
}

// add records one remediated value of d and returns its bin.
func (a *accumulator) add(d time.Duration) int {
	s := seconds(d)
	b := binOf(s)
	*a.slot(&a.events, b)++
	a.h.N++
	a.sum.add(int64(d))
	a.h.MaxSec = max(a.h.MaxSec, s)
	return b
}

func (a *accumulator) addCensored(d time.Duration, count uint64) {
	*a.slot(&a.censored, binOf(seconds(d))) += count
	a.h.NC += count
}

// histogram returns the values as a Histogram and returns the dense bins
// to the pool.
func (a *accumulator) histogram() Histogram {
	h := a.h
	h.Sum = a.sum.float() / float64(time.Second)
	n := 0
	for b := range max(len(a.events), len(a.censored)) {
		if at(a.events, b)+at(a.censored, b) > 0 {
			n++
		}
	}
	h.Bins = make([]Bin, 0, n)
	for b := range max(len(a.events), len(a.censored)) {
		if e, c := at(a.events, b), at(a.censored, b); e+c > 0 {
			h.Bins = append(h.Bins, Bin{Index: b, Events: e, Censored: c})
		}
	}
	for _, s := range []*[]uint64{&a.events, &a.censored} {
		if *s != nil {
			clear(*s)
			t := (*s)[:0]
			binPool.Put(&t)
			*s = nil
		}
	}
	a.releaseStages()
	return h
}

func at(s []uint64, i int) uint64 {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// maxBin is the bin of the largest duration.
var maxBin = binOf(math.MaxInt64)

// Validate reports a histogram that Add and Merge cannot have built: bins
// out of order, out of range or empty, counts that do not add up to N and
// NC, or a negative or non-finite sum or maximum. It is for histograms read
// back from outside, such as a part file.
func (h *Histogram) Validate() error {
	var events, censored uint64
	for i, b := range h.Bins {
		switch {
		case b.Index < 0 || b.Index > maxBin:
			return fmt.Errorf("fleet: histogram bin %d: index %d is outside 0 to %d", i, b.Index, maxBin)
		case i > 0 && b.Index <= h.Bins[i-1].Index:
			return fmt.Errorf("fleet: histogram bin %d: index %d does not follow %d; bins go by increasing index", i, b.Index, h.Bins[i-1].Index)
		case b.Events == 0 && b.Censored == 0:
			return fmt.Errorf("fleet: histogram bin %d: empty; only non-empty bins are kept", i)
		}
		events += b.Events
		censored += b.Censored
	}
	switch {
	case events != h.N:
		return fmt.Errorf("fleet: histogram: n %d, but its bins hold %d remediated values", h.N, events)
	case censored != h.NC:
		return fmt.Errorf("fleet: histogram: nc %d, but its bins hold %d censored values", h.NC, censored)
	case math.IsNaN(h.Sum) || math.IsInf(h.Sum, 0) || h.Sum < 0:
		return fmt.Errorf("fleet: histogram: sum %v is not a finite non-negative number of seconds", h.Sum)
	case h.MaxSec < 0:
		return fmt.Errorf("fleet: histogram: maxSec %d is negative", h.MaxSec)
	}
	return nil
}
