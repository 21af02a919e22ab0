package fleet

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
)

// exact agrees with math/big on sums that overflow int64 either way, and
// gives the same value in any order of addition.
func TestExactSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sign := range []int64{1, -1} {
		vs := make([]int64, 1000)
		var want big.Int
		for i := range vs {
			vs[i] = sign * rng.Int64N(1<<62)
			want.Add(&want, big.NewInt(vs[i]))
		}
		var fwd, back exact
		for i := range vs {
			fwd.add(vs[i])
			back.add(vs[len(vs)-1-i])
		}
		assert.Equal(t, fwd, back)
		w, _ := new(big.Float).SetInt(&want).Float64()
		assert.Equal(t, w, fwd.float())
	}
	var s exact
	s.add(5)
	s.add(-7)
	assert.Equal(t, -2.0, s.float())
}

// addN(v, n) is n additions of v: it agrees with math/big on products
// past 64 bits, of either sign.
func TestExactAddN(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var s, loop exact
	var want big.Int
	for range 200 {
		v, n := rng.Int64N(1<<62)-1<<61, rng.Uint64N(1000)
		s.addN(v, n)
		want.Add(&want, new(big.Int).Mul(big.NewInt(v), new(big.Int).SetUint64(n)))
		for range n {
			loop.add(v)
		}
	}
	assert.Equal(t, loop, s)
	w, _ := new(big.Float).SetInt(&want).Float64()
	assert.Equal(t, w, s.float())
	var m exact
	m.addN(-1<<63, 1<<63) // -2^126
	assert.Equal(t, exact{hi: 1<<63 | 1<<62}, m)
}

// seek finds what a binary search finds, from any earlier answer.
func TestSeek(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := make([]sim.Time, 200)
	for i := range p {
		p[i] = sim.Time(i/3) * 10 // runs of equal instants
	}
	i := int32(0)
	for range 2000 {
		cut := sim.Time(rng.Int64N(2100) - 50)
		if rng.IntN(3) > 0 {
			cut = pubAt(p, min(i, 199)) + sim.Time(rng.Int64N(40)) // mostly small steps forward
		}
		i = seek(p, i, cut)
		assert.Equal(t, int32(after(p, cut)), i, "cut %d", cut)
	}
}

// The open cursors follow the cuts through any sequence of changes:
// forward by a day or so (moved by remediate or by seek), backward
// (reopening), and forward again below the highest cut reached.
func TestOpenCursorsFollowCuts(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	up := &channel.Upstream{}
	for i := range 3000 {
		up.Advisories = append(up.Advisories, channel.Advisory{ID: fmt.Sprint(i),
			Published: start.Add(time.Duration(rng.Int64N(int64(200*24*time.Hour))) - 20*24*time.Hour),
			Severity:  channel.Severity(rng.IntN(int(channel.NumSeverities))), Class: channel.Class(rng.IntN(2))})
	}
	r := newRecorder(up, start, 180*24*time.Hour, 0, SLA{})
	var c cuts
	jump := func(most time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(most))) }
	user, kernel := sim.Time(0).Add(-5*day), sim.Time(0).Add(-9*day)
	r.init(&c, channel.OSLinux, 0, user, kernel)
	for step := range 2000 {
		tt := sim.Time(0).Add(time.Duration(step) * day / 12)
		switch rng.IntN(10) {
		case 0:
			user = user.Add(-jump(10 * day))
		case 1:
			kernel = min(tt, kernel.Add(jump(20*day)))
		default:
			user = min(tt, user.Add(jump(2*day)))
		}
		r.change(&c, channel.OSLinux, 0, tt, user, kernel, source{start: tt})
		for class, cut := range []sim.Time{user, kernel} {
			l := r.lists[channel.OSLinux][class]
			for s := range channel.NumSeverities {
				require.Equal(t, int32(after(l.bySev[s], cut)), c.open[class][s], "step %d class %d severity %d", step, class, s)
			}
		}
	}
}

// offset is time.Time.Sub, saturation included, for instants from year 1 to
// 9999 in any zone.
func TestOffsetIsSub(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	zone := time.FixedZone("x", -(9*60+30)*60)
	lo, hi := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix(), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	at := func(spread int64, base time.Time) time.Time {
		if spread == 0 {
			return time.Unix(lo+rng.Int64N(hi-lo), rng.Int64N(1e9)).In(zone)
		}
		return base.Add(time.Duration(rng.Int64N(spread) - spread/2)).In(time.UTC)
	}
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	for i := range 20000 {
		a := at(0, start)
		b := at([]int64{0, int64(time.Hour), math.MaxInt64}[i%3], a)
		require.Equal(t, sim.Time(b.Sub(a)), offset(a, b), "%v to %v", a, b)
	}
	edge := start.Add(math.MaxInt64)
	for _, d := range []time.Duration{-time.Second, -time.Nanosecond, 0, time.Nanosecond, time.Second} {
		assert.Equal(t, sim.Time(edge.Add(d).Sub(start)), offset(start, edge.Add(d)), "%v", d)
		assert.Equal(t, sim.Time(start.Sub(edge.Add(d))), offset(edge.Add(d), start), "%v", d)
	}
	assert.Equal(t, sim.Time(math.MaxInt64), offset(start, edge))
	assert.Equal(t, sim.Time(math.MaxInt64), offset(start, edge.Add(time.Nanosecond)))
	assert.Equal(t, sim.Time(math.MinInt64), offset(edge.Add(time.Second), start))
}
