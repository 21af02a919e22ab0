package fleet

import (
	"math"
	"math/rand/v2"
	"time"
)

// Dist is a triangular distribution of durations on [Min, Max] with its
// peak at Mode. Min == Max is the fixed duration Min. The zero value is
// "unset" where a default exists, else the fixed duration zero.
type Dist struct {
	Min, Mode, Max time.Duration
}

// Fixed returns the distribution that always yields d.
func Fixed(d time.Duration) Dist { return Dist{Min: d, Mode: d, Max: d} }

func (d Dist) isZero() bool { return d == Dist{} }

// Mean returns the distribution's mean, (Min+Mode+Max)/3.
func (d Dist) Mean() time.Duration { return (d.Min + d.Mode + d.Max) / 3 }

// Sample draws one duration from src, rounded to the second so that traces
// read cleanly. It draws what gonum's distuv.Triangle draws from src (one
// Uint64 through the inverse CDF), without building a distribution and a
// generator per draw: it runs for every step of every node.
func (d Dist) Sample(src rand.Source) time.Duration {
	if d.Min == d.Max {
		return d.Min
	}
	a, b, c := float64(d.Min), float64(d.Max), float64(d.Mode)
	p := float64(src.Uint64()<<11>>11) / (1 << 53) // rand.Rand.Float64
	var x float64
	if p < (c-a)/(b-a) {
		x = a + math.Sqrt(p*(b-a)*(c-a))
	} else {
		x = b - math.Sqrt((1-p)*(b-a)*(b-c))
	}
	return time.Duration(x).Round(time.Second)
}

func (d Dist) validate(path string) []error {
	if d.isZero() {
		return nil
	}
	var errs []error
	if d.Min < 0 {
		errs = append(errs, fieldErr(path+".min", "%v must not be negative", d.Min))
	}
	if d.Mode < d.Min || d.Mode > d.Max {
		errs = append(errs, fieldErr(path+".mode", "%v is outside [min %v, max %v]", d.Mode, d.Min, d.Max))
	}
	return errs
}
