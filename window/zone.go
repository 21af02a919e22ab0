package window

import "time"

// Wall-clock times are handled as "wall seconds": the Unix seconds of the
// wall-clock fields read as if they were UTC. wall(x) = x + offset(x).

const hour = 3600

// offsetAt returns the UTC offset of loc at Unix second x, in seconds.
func offsetAt(loc *time.Location, x int64) int64 {
	if loc == time.UTC {
		return 0
	}
	_, off := time.Unix(x, 0).In(loc).Zone()
	return int64(off)
}

// wallOf returns the wall seconds of Unix second x in loc.
func wallOf(loc *time.Location, x int64) int64 {
	return x + offsetAt(loc, x)
}

// resolve returns the instant (Unix seconds) of wall time w in loc under the
// package's DST policy (RFC 5545 §3.3.5): a wall time that occurs twice (a
// fall-back overlap) is its first occurrence; a wall time that does not
// occur (a spring-forward gap) is read with the UTC offset in force before
// the gap, so 02:30 in a 02:00→03:00 gap becomes 03:30 after it.
//
// It assumes at most one offset change within 28 hours around w, which holds
// for every zone in the tz database outside a few historical oddities.
func resolve(loc *time.Location, w int64) int64 {
	if loc == time.UTC {
		return w
	}
	// Every instant whose wall time is w lies in [w-14h, w+12h].
	before := offsetAt(loc, w-15*hour)
	after := offsetAt(loc, w+13*hour)
	if before == after {
		return w - before
	}
	c1, c2 := w-before, w-after
	ok1 := offsetAt(loc, c1) == before
	ok2 := offsetAt(loc, c2) == after
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
func lowWall(loc *time.Location, x int64) int64 {
	if loc == time.UTC {
		return x
	}
	return x + min(offsetAt(loc, x-15*hour), offsetAt(loc, x), offsetAt(loc, x+15*hour))
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
// [occurrence, occurrence + dur) in loc under the DST policy of [resolve].
// A window ends early where the next occurrence starts, so windows never
// overlap (they may touch); an occurrence the DST policy moves onto or
// after the next one is dropped.
type occurrences struct {
	seq wallSeq
	dur int64 // seconds, > 0
	loc *time.Location
}

func (z occurrences) Next(t time.Time) (Interval, bool) {
	x := t.Unix()
	w, ok := z.seq.next(lowWall(z.loc, x-z.dur+1))
	if !ok {
		return Interval{}, false
	}
	o := resolve(z.loc, w)
	for {
		end := o + z.dur
		w2, ok2 := z.seq.next(w + 1)
		var o2 int64
		if ok2 {
			o2 = resolve(z.loc, w2)
			end = min(end, o2)
		}
		if end > x && end > o {
			return Interval{Start: utc(o), End: utc(end)}, true
		}
		if !ok2 {
			return Interval{}, false
		}
		w, o = w2, o2
	}
}
