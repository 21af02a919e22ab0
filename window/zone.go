package window

import (
	"math"
	"time"
)

// Wall-clock times are handled as "wall seconds": the Unix seconds of the
// wall-clock fields read as if they were UTC. wall(x) = x + offset(x).

const hour = 3600

// zone answers offset look-ups in loc, remembering the span of the last
// one: the few look-ups of one Next call usually fall in the same span.
// It lives on the stack of one call, so schedules stay safe for
// concurrent use.
type zone struct {
	loc    *time.Location
	lo, hi int64 // the remembered span [lo, hi) in Unix seconds; empty at first
	off    int64
}

// offsetAt returns the UTC offset of the zone at Unix second x, in seconds.
func (z *zone) offsetAt(x int64) int64 {
	if z.loc == time.UTC {
		return 0
	}
	if x >= z.lo && x < z.hi {
		return z.off
	}
	t := time.Unix(x, 0).In(z.loc)
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	z.lo, z.hi, z.off = math.MinInt64, math.MaxInt64, int64(off)
	if !start.IsZero() {
		z.lo = start.Unix()
	}
	if !end.IsZero() {
		z.hi = end.Unix()
	}
	return z.off
}

// wallOf returns the wall seconds of Unix second x.
func (z *zone) wallOf(x int64) int64 {
	return x + z.offsetAt(x)
}

// resolve returns the instant (Unix seconds) of wall time w in loc under the
// package's DST policy (RFC 5545 §3.3.5): a wall time that occurs twice (a
// fall-back overlap) is its first occurrence; a wall time that does not
// occur (a spring-forward gap) is read with the UTC offset in force before
// the gap, so 02:30 in a 02:00→03:00 gap becomes 03:30 after it.
//
// It assumes at most one offset change within 28 hours around w, which holds
// for every zone in the tz database outside a few historical oddities.
func (z *zone) resolve(w int64) int64 {
	if z.loc == time.UTC {
		return w
	}
	// Every instant whose wall time is w lies in [w-14h, w+12h].
	before := z.offsetAt(w - 15*hour)
	after := z.offsetAt(w + 13*hour)
	if before == after {
		return w - before
	}
	c1, c2 := w-before, w-after
	ok1 := z.offsetAt(c1) == before
	ok2 := z.offsetAt(c2) == after
	switch {
	case ok1 && ok2:
		return min(c1, c2)
	case ok1:
		return c1
	case ok2:
		return c2
	default:
		return w - before
	}
}

// lowWall returns a wall time at or below the wall time of every instant at
// or after x (up to the DST policy), to start a search for occurrences whose
// instant is at or after x.
func (z *zone) lowWall(x int64) int64 {
	if z.loc == time.UTC {
		return x
	}
	return x + min(z.offsetAt(x-15*hour), z.offsetAt(x), z.offsetAt(x+15*hour))
}

// utc returns the UTC time of Unix second x.
func utc(x int64) time.Time { return time.Unix(x, 0).UTC() }

// wallSeq is a recurrence in wall-clock time.
type wallSeq interface {
	// next returns the first occurrence at or after wall second w; ok is
	// false when there is none.
	next(w int64) (occ int64, ok bool)
}

// occurrences turns a wall-clock recurrence into windows
// [occurrence, occurrence + dur) in loc under the DST policy of zone.resolve.
// A window ends early where the next occurrence starts, so windows never
// overlap (they may touch); an occurrence the DST policy moves onto or
// after the next one is dropped.
type occurrences struct {
	seq wallSeq
	dur int64 // seconds, > 0
	loc *time.Location
}

func (o occurrences) Next(t time.Time) (Interval, bool) {
	z := zone{loc: o.loc}
	x := t.Unix()
	w, ok := o.seq.next(z.lowWall(x - o.dur + 1))
	if !ok {
		return Interval{}, false
	}
	s := z.resolve(w)
	for {
		end := s + o.dur
		w2, ok2 := o.seq.next(w + 1)
		var s2 int64
		if ok2 {
			s2 = z.resolve(w2)
			end = min(end, s2)
		}
		if end > x && end > s {
			return Interval{Start: utc(s), End: utc(end)}, true
		}
		if !ok2 {
			return Interval{}, false
		}
		w, s = w2, s2
	}
}
