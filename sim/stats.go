package sim

import (
	"fmt"
	"math"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Tally accumulates observations one at a time (Welford's algorithm, stable
// for large counts) without storing them. The zero value is an empty tally.
type Tally struct {
	n        int
	mean, m2 float64
	min, max float64
}

// Add records the observation x.
func (t *Tally) Add(x float64) {
	t.n++
	if t.n == 1 {
		t.min, t.max = x, x
	} else {
		t.min, t.max = min(t.min, x), max(t.max, x)
	}
	d := x - t.mean
	t.mean += d / float64(t.n)
	t.m2 += d * (x - t.mean)
}

// N returns the number of observations.
func (t *Tally) N() int { return t.n }

// Mean returns the mean of the observations; NaN if there are none.
func (t *Tally) Mean() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.mean
}

// Variance returns the sample variance (divisor N-1); NaN if N < 2.
func (t *Tally) Variance() float64 {
	if t.n < 2 {
		return math.NaN()
	}
	return t.m2 / float64(t.n-1)
}

// StdDev returns the sample standard deviation; NaN if N < 2.
func (t *Tally) StdDev() float64 { return math.Sqrt(t.Variance()) }

// Min returns the smallest observation; NaN if there are none.
func (t *Tally) Min() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.min
}

// Max returns the largest observation; NaN if there are none.
func (t *Tally) Max() float64 {
	if t.n == 0 {
		return math.NaN()
	}
	return t.max
}

// TimeWeighted is the time-weighted average of a piecewise-constant value,
// such as a queue length: each value counts for as long as it holds. The
// first [TimeWeighted.Set] starts the record. The zero value is empty.
type TimeWeighted struct {
	origin   time.Time // instant of ns 0
	started  bool
	t0       int64   // start of the record, ns since origin
	last     int64   // time of the last change, ns since origin
	v        float64 // value since last
	area     float64 // integral of the value over [t0, last], value × ns
	min, max float64
}

// start begins the record at ns since origin with value v.
func (w *TimeWeighted) start(origin time.Time, ns int64, v float64) {
	*w = TimeWeighted{origin: origin, started: true, t0: ns, last: ns, v: v, min: v, max: v}
}

// set changes the value to v at ns since origin; ns must not be before the
// last change.
func (w *TimeWeighted) set(ns int64, v float64) {
	w.area += w.v * float64(ns-w.last)
	w.last, w.v = ns, v
	w.min, w.max = min(w.min, v), max(w.max, v)
}

// Set records that the value is v from t on. The first call starts the
// record at t.
//
// It panics if t is before the previous Set: time runs forward.
func (w *TimeWeighted) Set(t time.Time, v float64) {
	if !w.started {
		w.start(t, 0, v)
		return
	}
	ns := w.ns(t, "Set")
	w.set(ns, v)
}

func (w *TimeWeighted) ns(t time.Time, op string) int64 {
	ns := int64(t.Sub(w.origin))
	if ns < w.last {
		panic(fmt.Sprintf("sim: TimeWeighted.%s at %v, before the last change at %v", op, t, w.origin.Add(time.Duration(w.last))))
	}
	return ns
}

// Mean returns the time-weighted average of the value from the start of the
// record to until; NaN if nothing was Set or until is the start.
//
// It panics if until is before the last Set.
func (w *TimeWeighted) Mean(until time.Time) float64 {
	if !w.started {
		return math.NaN()
	}
	ns := w.ns(until, "Mean")
	if ns == w.t0 {
		return math.NaN()
	}
	return (w.area + w.v*float64(ns-w.last)) / float64(ns-w.t0)
}

// Min returns the smallest value set; NaN if nothing was Set.
func (w *TimeWeighted) Min() float64 {
	if !w.started {
		return math.NaN()
	}
	return w.min
}

// Max returns the largest value set; NaN if nothing was Set.
func (w *TimeWeighted) Max() float64 {
	if !w.started {
		return math.NaN()
	}
	return w.max
}

// Summary describes a sample: its size, mean and sample standard deviation,
// a Student-t confidence interval [Lo, Hi] for the mean at confidence Level,
// and its extremes and empirical quantiles.
type Summary struct {
	N             int
	Mean, StdDev  float64
	Lo, Hi        float64 // confidence interval for the mean
	Level         float64 // confidence level of [Lo, Hi], e.g. 0.95
	Min, Max      float64
	P50, P90, P99 float64 // empirical quantiles (see Quantile)
}

// Summarize returns the [Summary] of xs with a confidence interval at level.
// It does not modify xs. With no observations every field but N and Level is
// NaN; with one, StdDev is NaN and Lo = Hi = Mean (a single observation says
// nothing about spread).
//
// It panics if level is not in (0, 1).
func Summarize(xs []float64, level float64) Summary {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("sim: Summarize level %v: want 0 < level < 1", level))
	}
	nan := math.NaN()
	s := Summary{N: len(xs), Level: level}
	if len(xs) == 0 {
		s.Mean, s.StdDev, s.Lo, s.Hi = nan, nan, nan, nan
		s.Min, s.Max, s.P50, s.P90, s.P99 = nan, nan, nan, nan, nan
		return s
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	s.Min, s.Max = sorted[0], sorted[len(sorted)-1]
	s.P50 = stat.Quantile(0.5, stat.Empirical, sorted, nil)
	s.P90 = stat.Quantile(0.9, stat.Empirical, sorted, nil)
	s.P99 = stat.Quantile(0.99, stat.Empirical, sorted, nil)
	if len(xs) == 1 {
		s.Mean, s.StdDev, s.Lo, s.Hi = xs[0], nan, xs[0], xs[0]
		return s
	}
	s.Mean, s.StdDev = stat.MeanStdDev(xs, nil)
	// The Student-t quantile needs no random numbers; Src is set anyway,
	// because a nil Src would mean the global generator.
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(xs) - 1), Src: NewSource(0, "sim.Summarize")}
	half := t.Quantile(0.5+level/2) * s.StdDev / math.Sqrt(float64(len(xs)))
	s.Lo, s.Hi = s.Mean-half, s.Mean+half
	return s
}

// Quantile returns the empirical p-quantile of xs: the smallest observation
// x such that at least a fraction p of the observations are <= x (gonum
// stat.Empirical). It does not modify xs. It returns NaN if xs is empty.
//
// It panics if p is not in [0, 1].
func Quantile(p float64, xs []float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("sim: Quantile p %v: want 0 <= p <= 1", p))
	}
	if len(xs) == 0 {
		return math.NaN()
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	return stat.Quantile(p, stat.Empirical, sorted, nil)
}
