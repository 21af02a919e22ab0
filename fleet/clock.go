// Time inside a run: instants are sim.Time, nanoseconds since Config.Start
// (the engine's epoch, newRunner), and lengths are time.Duration. The
// conversions from and to time.Time are these, and only these.

package fleet

import (
	"math"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
)

// maxTime is the latest instant: never, past any run.
const maxTime = sim.Time(math.MaxInt64)

// day is the length the past-SLA series and node-days count in.
const day = 24 * time.Hour

// offset returns t as an instant of a run that starts at start: t.Sub(start),
// saturated the same way, from whole seconds and nanoseconds when the
// seconds apart cannot overflow, which is most of Sub's cost saved (runs
// convert every advisory and release).
func offset(start, t time.Time) sim.Time {
	const lim = math.MaxInt64/int64(time.Second) - 1
	if s := t.Unix() - start.Unix(); s > -lim && s < lim {
		return sim.Time(s*int64(time.Second) + int64(t.Nanosecond()-start.Nanosecond()))
	}
	return sim.Time(t.Sub(start))
}

// offset returns t as an instant of the run.
func (r *runner) offset(t time.Time) sim.Time { return offset(r.start, t) }

// unixOffset returns Unix nanoseconds ns (as channel.Nightly speaks) as an
// instant of a run whose Start is origin Unix nanoseconds.
func unixOffset(origin, ns int64) sim.Time { return sim.Time(ns - origin) }

// at returns the time.Time of instant t.
func (r *runner) at(t sim.Time) time.Time { return r.start.Add(time.Duration(t)) }

// week returns the instant the UTC week of Start begins (Sunday 00:00
// UTC), at or before 0.
func (r *runner) week() sim.Time {
	st := r.start.UTC()
	y, m, d := st.Date()
	return r.offset(time.Date(y, m, d-int(st.Weekday()), 0, 0, 0, 0, time.UTC))
}

// now is the engine's clock: its epoch is Start, so its Time is the run's
// instant.
func (r *runner) now() sim.Time { return r.eng.Clock() }

func (r *runner) schedule(t sim.Time, h sim.Handler) sim.Event { return r.eng.AtTime(t, h) }

// cut returns the instant of rel's content cut.
func (r *runner) cut(rel channel.Release) sim.Time { return r.offset(rel.Cut) }

// kernelCut returns the cut of the kernel rel carries.
func (r *runner) kernelCut(rel channel.Release) sim.Time { return r.offset(rel.Kernel()) }

// ceilDay returns the index of the first day that starts at or after t:
// 0 for t <= 0 (a count of days, not an instant).
func ceilDay(t sim.Time) int64 {
	if t <= 0 {
		return 0
	}
	return int64((time.Duration(t) + day - 1) / day)
}

// hours returns d in hours.
func hours(d time.Duration) float64 { return float64(d) / float64(time.Hour) }
