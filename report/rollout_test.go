package report

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/patchsim/patchsim/fleet"
)

// TestMergeBars: per row and kind, bars that overlap or lie within a
// thousandth of the axis join; other kinds and rows stay apart; steps are
// clipped to the axis. Times in hours from t0 on a 10-hour axis: the gap
// that joins is 0.01 h.
func TestMergeBars(t *testing.T) {
	t0 := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	at := func(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }
	act := func(node int, k fleet.ActionKind, from, to float64) fleet.Action {
		return fleet.Action{Node: node, Kind: k, Start: at(from), End: at(to)}
	}
	hours := func(t time.Time) float64 { return t.Sub(t0).Hours() }
	// Nodes 0 and 1 share row 2 (a batch); node 2 is row 1; surge row 0.
	rowOf := map[int]float64{0: 2, 1: 2, 2: 1, -1: 0}
	got := mergeBars([]fleet.Action{
		act(0, fleet.ActDrain, 1, 2),
		act(1, fleet.ActDrain, 2.005, 3),   // within 0.01 h: joins
		act(0, fleet.ActReimage, 2, 2.5),   // another kind: apart
		act(2, fleet.ActDrain, 4, 5),       // another row
		act(2, fleet.ActDrain, 5.5, 6),     // half an hour later: apart
		act(2, fleet.ActDrain, 4.5, 4.75),  // inside the first: joins it
		act(-1, fleet.ActSurge, -1, 12),    // clipped to [0, 10]
		act(1, fleet.ActReimage, 2.4, 2.6), // overlaps node 0's: joins
	}, rowOf, hours, 10)
	drain, reimage, surge := kindColor[fleet.ActDrain], kindColor[fleet.ActReimage], kindColor[fleet.ActSurge]
	assert.Equal(t, []bar{
		{row: 2, x0: 1, x1: 3, col: drain},
		{row: 2, x0: 2, x1: 2.6, col: reimage},
		{row: 1, x0: 4, x1: 5, col: drain},
		{row: 1, x0: 5.5, x1: 6, col: drain},
		{row: 0, x0: 0, x1: 10, col: surge},
	}, got)
}

// TestFirstRollout: the first reimage and every step of its cluster
// joined to it by gaps under an hour; another cluster's steps do not
// count; without a reimage, the first step; an empty span is a minute.
func TestFirstRollout(t *testing.T) {
	t0 := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	h := func(x float64) time.Time { return t0.Add(time.Duration(x * float64(time.Hour))) }
	act := func(cluster string, k fleet.ActionKind, from, to float64) fleet.Action {
		return fleet.Action{Cluster: cluster, Kind: k, Start: h(from), End: h(to)}
	}
	acts := []fleet.Action{
		act("a", fleet.ActDrain, 9.5, 10),    // joined: ends at the reimage
		act("a", fleet.ActReimage, 10, 11),   // the first reimage
		act("a", fleet.ActDrain, 11.5, 12),   // 30 min after: joined
		act("a", fleet.ActReimage, 12.9, 13), // 54 min after: joined
		act("a", fleet.ActDrain, 14.5, 15),   // 90 min after: not
		act("b", fleet.ActReimage, 13.5, 14), // another cluster
		act("a", fleet.ActInstall, 2, 2),     // long before
	}
	from, to, ok := firstRollout(acts)
	assert.True(t, ok)
	assert.Equal(t, [2]time.Time{h(9.5), h(13)}, [2]time.Time{from, to})

	from, to, ok = firstRollout([]fleet.Action{act("a", fleet.ActReboot, 5, 6), act("a", fleet.ActInstall, 2, 2)})
	assert.True(t, ok)
	assert.Equal(t, [2]time.Time{h(2), h(2).Add(time.Minute)}, [2]time.Time{from, to}, "no reimage: the first step alone (3 h before the next), an instant given a minute")
	_, _, ok = firstRollout(nil)
	assert.False(t, ok)
}
