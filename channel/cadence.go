package channel

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/teambition/rrule-go"

	"github.com/patchsim/patchsim/internal/rfc5545"
)

// Kind is the kind of a [Cadence]. The zero value is Off.
type Kind uint8

const (
	// Off yields no instants: the stream is empty.
	Off Kind = iota
	// Periodic yields one instant per Period, at a random phase, each
	// delayed by a uniform jitter in [0, Jitter).
	Periodic
	// Recurrence yields the occurrences of an RFC 5545 recurrence rule, each
	// delayed by a uniform jitter in [0, Jitter).
	Recurrence
	// Poisson yields a Poisson process with mean gap MeanGap.
	Poisson
	// Renewal yields gaps of MinGap plus an Erlang(Shape) variable, with
	// mean MeanGap: a Poisson process with a dead time when Shape is 1, more
	// regular as Shape grows.
	Renewal
	// Trace replays Trace exactly.
	Trace
)

var kindNames = [...]string{"Off", "Periodic", "Recurrence", "Poisson", "Renewal", "Trace"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Cadence describes when the releases of a stream are anchored (built, or,
// for Windows images, cut). Only the fields of its Kind are used; the others
// must be zero so that a configuration means one thing.
type Cadence struct {
	Kind Kind
	// Period is the nominal gap of a Periodic cadence; must be positive.
	Period time.Duration
	// Jitter delays each Periodic or Recurrence instant by a uniform draw in
	// [0, Jitter). Zero: no jitter.
	Jitter time.Duration
	// Rule is the Recurrence cadence's RFC 5545 RRULE value without DTSTART,
	// e.g. "FREQ=MONTHLY;BYDAY=2TU;BYHOUR=18;BYMINUTE=0;BYSECOND=0".
	// rrule-go truncates instants to whole seconds.
	Rule string
	// Dtstart is the Recurrence cadence's DTSTART. Zero: the start of the
	// generated interval, so pin the time of day with BYHOUR etc.
	Dtstart time.Time
	// MeanGap is the mean gap of a Poisson or Renewal cadence; must be
	// positive (and exceed MinGap).
	MeanGap time.Duration
	// MinGap is a Renewal cadence's minimum gap. Zero: none.
	MinGap time.Duration
	// Shape is a Renewal cadence's Erlang shape. Zero means 1.
	Shape int
	// Trace is the Trace cadence's releases, ordered by Built.
	Trace []TraceEntry
	// Truncate rounds every generated instant down to a multiple of
	// Truncate since the zero time (24h: midnight UTC), before anything else
	// uses it. Zero: no rounding. Not used by Trace.
	Truncate time.Duration
}

// Validate reports every problem of c, each naming its field.
func (c Cadence) Validate() error { return errors.Join(c.validate("Cadence")...) }

// MinMeanGap is the shortest Period and MeanGap a cadence takes (not to be
// read as a Renewal's MinGap, its dead time): no release
// stream comes faster than hourly, and a run's memory grows with its
// releases.
const MinMeanGap = time.Hour

func (c Cadence) validate(path string) []error {
	var errs []error
	bad := func(field string, v any, want string) {
		errs = append(errs, fmt.Errorf("channel: %s.%s: %v: %s", path, field, v, want))
	}
	unused := func(field string, set bool) {
		if set {
			bad(field, "set", "not used by kind "+c.Kind.String()+"; leave it zero")
		}
	}
	if c.Truncate < 0 {
		bad("Truncate", c.Truncate, "must not be negative")
	}
	if c.Jitter < 0 {
		bad("Jitter", c.Jitter, "must not be negative")
	}
	switch c.Kind {
	case Off:
	case Periodic:
		if c.Period < MinMeanGap {
			bad("Period", c.Period, fmt.Sprintf("must be at least %v", MinMeanGap))
		}
	case Recurrence:
		opt, err := rrule.StrToROption(c.Rule)
		if err == nil && c.Rule != "" {
			err = rfc5545.CheckByDay(opt)
		}
		if err != nil || c.Rule == "" {
			bad("Rule", fmt.Sprintf("%q", c.Rule), fmt.Sprintf("must be an RFC 5545 RRULE value (%v)", err))
		}
		if !c.Dtstart.IsZero() {
			if err := rfc5545.CheckStart(c.Dtstart); err != nil {
				bad("Dtstart", c.Dtstart.Format(time.RFC3339), err.Error())
			}
		}
	case Poisson, Renewal:
		if c.MeanGap < MinMeanGap {
			bad("MeanGap", c.MeanGap, fmt.Sprintf("must be at least %v", MinMeanGap))
		}
		if c.MinGap < 0 || (c.MeanGap > 0 && c.MinGap >= c.MeanGap) {
			bad("MinGap", c.MinGap, "must be in [0, MeanGap)")
		}
		if c.Shape < 0 || c.Shape > 64 {
			bad("Shape", c.Shape, "must be in [0, 64] (0 means 1)")
		}
		if c.Kind == Poisson {
			unused("MinGap", c.MinGap != 0)
			unused("Shape", c.Shape != 0)
		}
	case Trace:
		for i, e := range c.Trace {
			if e.Built.IsZero() {
				bad(fmt.Sprintf("Trace[%d].Built", i), e.Version, "must be set")
			}
			if !e.Published.IsZero() && e.Published.Before(e.Built) {
				bad(fmt.Sprintf("Trace[%d].Published", i), e.Published.Format(time.RFC3339), "must not precede Built "+e.Built.Format(time.RFC3339))
			}
			if i > 0 && e.Built.Before(c.Trace[i-1].Built) {
				bad(fmt.Sprintf("Trace[%d].Built", i), e.Built.Format(time.RFC3339), "trace must be ordered by Built")
			}
		}
	default:
		bad("Kind", c.Kind, "want one of Off, Periodic, Recurrence, Poisson, Renewal, Trace")
	}
	if c.Kind != Off {
		unused("Period", c.Kind != Periodic && c.Period != 0)
		unused("Jitter", c.Kind != Periodic && c.Kind != Recurrence && c.Jitter != 0)
		unused("Rule", c.Kind != Recurrence && c.Rule != "")
		unused("Dtstart", c.Kind != Recurrence && !c.Dtstart.IsZero())
		unused("MeanGap", c.Kind != Poisson && c.Kind != Renewal && c.MeanGap != 0)
		unused("Trace", c.Kind != Trace && len(c.Trace) != 0)
		unused("Truncate", c.Kind == Trace && c.Truncate != 0)
	}
	if c.Kind != Renewal && c.Kind != Poisson {
		unused("MinGap", c.MinGap != 0)
		unused("Shape", c.Shape != 0)
	}
	return errs
}

// instants returns the cadence's instants in [from, to), sorted, drawing
// from r. c must be valid and not a Trace.
func (c Cadence) instants(r *rand.Rand, from, to time.Time) []time.Time {
	var out []time.Time
	add := func(t time.Time) {
		if c.Truncate > 0 {
			t = t.Truncate(c.Truncate)
		}
		if !t.Before(from) && t.Before(to) {
			out = append(out, t)
		}
	}
	jitter := func() time.Duration {
		if c.Jitter <= 0 {
			return 0
		}
		return time.Duration(r.Int64N(int64(c.Jitter)))
	}
	switch c.Kind {
	case Periodic:
		t := from.Add(time.Duration(r.Int64N(int64(c.Period))))
		for ; t.Before(to); t = t.Add(c.Period) {
			add(t.Add(jitter()))
		}
	case Recurrence:
		opt, _ := rrule.StrToROption(c.Rule) // validated
		opt.Dtstart = c.Dtstart
		if opt.Dtstart.IsZero() {
			opt.Dtstart = from
		}
		rule, err := rrule.NewRRule(*opt)
		if err != nil {
			return nil
		}
		for _, t := range rule.Between(from, to, true) {
			add(t.UTC().Add(jitter()))
		}
	case Poisson, Renewal:
		shape := max(c.Shape, 1)
		scale := float64(c.MeanGap-c.MinGap) / float64(shape)
		gap := func() time.Duration {
			g := 0.0
			for range shape {
				g += r.ExpFloat64()
			}
			return c.MinGap + time.Duration(g*scale)
		}
		// Start at a uniform point of the first gap, so the process looks
		// as if it had been running before from.
		t := from.Add(time.Duration(r.Float64() * float64(gap())))
		for ; t.Before(to); t = t.Add(gap()) {
			add(t)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// Delay is a duration drawn uniformly in [Min, Max]. The zero value is no
// delay.
type Delay struct {
	Min, Max time.Duration
}

func (d Delay) validate(path string) []error {
	if d.Min < 0 || d.Max < d.Min {
		return []error{fmt.Errorf("channel: %s: [%v, %v]: want 0 <= Min <= Max", path, d.Min, d.Max)}
	}
	return nil
}

func (d Delay) draw(r *rand.Rand) time.Duration {
	if d.Max <= d.Min {
		return d.Min
	}
	return d.Min + time.Duration(r.Int64N(int64(d.Max-d.Min)+1))
}
