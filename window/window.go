package window

import (
	"iter"
	"slices"
	"time"
)

// Interval is the half-open span [Start, End).
type Interval struct{ Start, End time.Time }

// Contains reports whether Start <= t < End.
func (iv Interval) Contains(t time.Time) bool {
	return !t.Before(iv.Start) && t.Before(iv.End)
}

// Schedule is any kind of maintenance window calendar.
//
// The windows of one Schedule are ordered and never overlap; they may touch
// (one ends where the next starts) unless the kind says otherwise. All
// implementations in this package are safe for concurrent use.
type Schedule interface {
	// Next returns the first window open at or after t: the window containing t when t is
	// inside one (Start <= t < End, with Start possibly before t), else the next one.
	// ok is false when no window opens at or after t (e.g. a fully blacked-out finite calendar).
	// Returned instants are in UTC.
	Next(t time.Time) (iv Interval, ok bool)
}

// Open reports whether a window of s contains t.
func Open(s Schedule, t time.Time) bool {
	iv, ok := s.Next(t)
	return ok && iv.Contains(t)
}

// Between yields, in order, the windows of s that intersect [from, to),
// whole (not clipped to [from, to)).
func Between(s Schedule, from, to time.Time) iter.Seq[Interval] {
	return func(yield func(Interval) bool) {
		t := from
		for t.Before(to) {
			iv, ok := s.Next(t)
			if !ok || !iv.Start.Before(to) {
				return
			}
			if !yield(iv) {
				return
			}
			t = iv.End
		}
	}
}

// Earliest and Latest bound the instants this package works with: the
// single window of [Always] is [Earliest, Latest). Earliest equals the zero
// Time. Latest is the last second that RFC 3339 can print.
var (
	Earliest = time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC)
	Latest   = time.Date(9999, time.December, 31, 23, 59, 59, 0, time.UTC)
)

// Always is the schedule that is always open: one window [Earliest, Latest).
var Always Schedule = always{}

type always struct{}

func (always) Next(t time.Time) (Interval, bool) {
	if !t.Before(Latest) {
		return Interval{}, false
	}
	return Interval{Start: Earliest, End: Latest}, true
}

// Union returns the schedule open whenever any of ss is open. Windows that
// overlap or touch are merged into one; Next looks forward only, so the Start
// of the window containing t is the earliest Start among the windows of ss
// that contain t. Next costs one call per merged window of ss. With no
// schedules, Union is never open.
func Union(ss ...Schedule) Schedule {
	return union(slices.Clone(ss))
}

type union []Schedule

func (u union) Next(t time.Time) (Interval, bool) {
	var cur Interval
	found := false
	for _, s := range u {
		if iv, ok := s.Next(t); ok && (!found || iv.Start.Before(cur.Start)) {
			cur, found = iv, true
		}
	}
	if !found {
		return Interval{}, false
	}
	for grown := true; grown; {
		grown = false
		for _, s := range u {
			if iv, ok := s.Next(cur.End); ok && !iv.Start.After(cur.End) && iv.End.After(cur.End) {
				cur.End = iv.End
				grown = true
			}
		}
	}
	return cur, true
}

// Except returns s with the blackout spans removed: windows of s are clipped
// by the blackouts, a window split by a blackout becomes two windows, and a
// fully covered window disappears. Blackouts may overlap and come in any
// order; empty ones are ignored.
func Except(s Schedule, blackouts ...Interval) Schedule {
	var bs []Interval
	for _, b := range blackouts {
		if b.Start.Before(b.End) {
			bs = append(bs, Interval{Start: b.Start.UTC(), End: b.End.UTC()})
		}
	}
	slices.SortFunc(bs, func(a, b Interval) int { return a.Start.Compare(b.Start) })
	var merged []Interval
	for _, b := range bs {
		if n := len(merged); n > 0 && !b.Start.After(merged[n-1].End) {
			if b.End.After(merged[n-1].End) {
				merged[n-1].End = b.End
			}
			continue
		}
		merged = append(merged, b)
	}
	if len(merged) == 0 {
		return s
	}
	return except{s: s, blackouts: merged}
}

type except struct {
	s         Schedule
	blackouts []Interval // sorted, disjoint, not touching
}

func (e except) Next(t time.Time) (Interval, bool) {
	cur := t
	for {
		iv, ok := e.s.Next(cur)
		if !ok {
			return Interval{}, false
		}
		// First blackout ending after the window starts.
		i, _ := slices.BinarySearchFunc(e.blackouts, iv.Start, func(b Interval, x time.Time) int {
			if b.End.After(x) {
				return 1
			}
			return -1
		})
		ps := iv.Start
		for ; i < len(e.blackouts) && e.blackouts[i].Start.Before(iv.End); i++ {
			b := e.blackouts[i]
			if b.Start.After(ps) && b.Start.After(t) {
				return Interval{Start: ps, End: b.Start}, true
			}
			if b.End.After(ps) {
				ps = b.End
			}
			if !ps.Before(iv.End) {
				break
			}
		}
		if ps.Before(iv.End) {
			return Interval{Start: ps, End: iv.End}, true
		}
		cur = ps
	}
}
