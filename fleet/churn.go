// The recorder's side of churn: nodes that start or stop existing during
// the run (autoscale.go).

package fleet

import (
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
)

// counts returns the advisories of l with indexes in [lo, hi), by
// severity, from prefix counts built on first use.
func (l *advList) counts(lo, hi int) [channel.NumSeverities]uint64 {
	var out [channel.NumSeverities]uint64
	if lo >= hi {
		return out
	}
	if l.cum[0] == nil {
		for s := range l.cum {
			l.cum[s] = make([]uint32, len(l.pub)+1)
		}
		for i, sev := range l.sev {
			for s := range l.cum {
				l.cum[s][i+1] = l.cum[s][i]
			}
			l.cum[sev][i+1]++
		}
	}
	for s := range out {
		out[s] = uint64(l.cum[s][hi] - l.cum[s][lo])
	}
	return out
}

// born starts accounting nodes created at instant t with the given cuts,
// setting c for each to copy. A node's pairs are the measured advisories
// its cuts lack: those published before t are open from its start, the
// others open when published (DESIGN.md section 3.1).
func (r *recorder) born(c *cuts, os channel.OS, t, user, kernel sim.Time, nodes int) {
	u, k := r.lists[os][channel.Userspace], r.lists[os][channel.Kernel]
	*c = cuts{user: user, kernel: kernel, maxUser: user, maxKernel: kernel, last: t, born: t,
		ptrUser: int32(after(u.pub, user)), ptrKernel: int32(after(k.pub, kernel))}
	c.seekOpen(u, channel.Userspace, user)
	c.seekOpen(k, channel.Kernel, kernel)
	for _, lp := range []struct {
		l   *advList
		ptr int32
	}{{u, c.ptrUser}, {k, c.ptrKernel}} {
		n := lp.l.counts(max(int(lp.ptr), lp.l.first), lp.l.end)
		for s := range n {
			r.pairs[s] += n[s] * uint64(nodes)
		}
	}
}

// remove stops accounting node c at instant t, when the node leaves the
// pool: its time is charged up to t; the advisories published by then that
// it never ran a fix for are censored at t (when flush(t) runs, once for
// every node removed at t), and counted as remediated by churn when the
// pool's image (bootUser, bootKernel) holds their fix; the advisories
// published after t are not its pairs. Nodes removed at t with equal cuts
// (created together, touched by the same operations) are charged once for
// all, when a node with other cuts goes or flush(t) runs.
func (r *recorder) remove(c *cuts, os channel.OS, t, bootUser, bootKernel sim.Time) {
	g := &r.gone
	if g.n == 0 || g.c != *c || g.t != t || g.os != os || g.boot != [2]sim.Time{bootUser, bootKernel} {
		r.chargeGone()
		*g = gone{c: *c, os: os, t: t, boot: [2]sim.Time{bootUser, bootKernel}}
	}
	g.n++
	c.last = r.horizon // finish has nothing left to charge
	c.ptrUser, c.ptrKernel = int32(len(r.lists[os][channel.Userspace].pub)), int32(len(r.lists[os][channel.Kernel].pub))
}

// gone is the nodes remove holds: n nodes of os with cuts c, removed at t
// from pools whose image is boot.
type gone struct {
	c    cuts
	os   channel.OS
	t    sim.Time
	boot [2]sim.Time
	n    uint64
}

// chargeGone charges the nodes remove holds, as remove describes.
func (r *recorder) chargeGone() {
	g := &r.gone
	if g.n == 0 {
		return
	}
	os, t := g.os, g.t
	r.account(&g.c, os, t, g.n)
	if rm := &r.removal; rm.t != t || rm.os != os || rm.boot != g.boot || !rm.set {
		// The searches of the first nodes removed at t serve the others.
		*rm = removal{t: t, os: os, boot: g.boot, set: true}
		for cl := range rm.seen {
			l := r.lists[os][cl]
			rm.seen[cl] = min(after(l.pub, t), l.end)
			rm.fixed[cl] = after(l.pub, rm.boot[cl])
			rm.unseen[cl] = l.counts(rm.seen[cl], l.end)
		}
	}
	for cl, ptr := range []int32{g.c.ptrUser, g.c.ptrKernel} {
		l := r.lists[os][cl]
		lo := max(int(ptr), l.first)
		seen := r.removal.seen[cl]
		if lo < seen {
			for _, n := range l.counts(lo, min(seen, r.removal.fixed[cl])) {
				r.churned += n * g.n
			}
			// Censored at t - born for those published before the node
			// was created, at t - publication for the others.
			from := r.censorBefore(l, lo, seen, g.c.born, t, g.n)
			if from < seen {
				if l.pend == nil {
					l.pend = make([]int32, len(l.pub)+1)
				}
				if l.plo == l.phi {
					l.plo, l.phi = from, seen
				}
				l.plo, l.phi = min(l.plo, from), max(l.phi, seen)
				l.pend[from] += int32(g.n)
				l.pend[seen] -= int32(g.n)
			}
		}
		n := &r.removal.unseen[cl]
		if lo > seen {
			m := l.counts(lo, l.end)
			n = &m
		}
		for s := range n {
			r.pairs[s] -= n[s] * g.n
		}
	}
	g.n = 0
}

// removal caches, for the nodes removed at one instant from pools with one
// image, the index of the first advisory published after t (or the end of
// the measured span) and the first the image lacks, per class.
type removal struct {
	t      sim.Time
	os     channel.OS
	boot   [2]sim.Time
	set    bool
	seen   [2]int
	fixed  [2]int
	unseen [2][channel.NumSeverities]uint64 // advisories of [seen, end), by severity
}

// censorBefore censors at t the pairs of l in [lo, hi) of n nodes created
// at born whose advisories were published by then: their exposure runs
// from born, so each is t - born. It returns the index of the first
// advisory of [lo, hi) published after born.
func (r *recorder) censorBefore(l *advList, lo, hi int, born, t sim.Time, n uint64) int {
	if born <= 0 || lo >= hi {
		return lo
	}
	// Nodes created together and removed together share the answer: they
	// are censored together when another node or flush comes.
	if b := &l.before; b.n > 0 && b.born == born && b.lo == lo && b.hi == hi && b.t == t {
		b.n += n
		return b.k
	}
	r.censorHeld(l)
	k := max(lo, min(after(l.pub, born), hi))
	l.before = held{born: born, t: t, lo: lo, hi: hi, k: k, n: n}
	return k
}

// held is the pairs censorBefore holds: n nodes created at born, removed
// at t, each with the advisories [lo, k) of l published by born.
type held struct {
	born, t   sim.Time
	lo, hi, k int
	n         uint64
}

// censorHeld censors the pairs censorBefore holds for l.
func (r *recorder) censorHeld(l *advList) {
	b := &l.before
	if b.n == 0 {
		return
	}
	d := b.t.Sub(b.born)
	for s, n := range l.counts(b.lo, b.k) {
		r.hist[s].addCensored(d, n*b.n)
	}
	// Their SLA ages run from publication, each its own.
	from := binOf(seconds(d))
	for i := b.lo; i < b.k; i++ {
		if s := l.sev[i]; l.pub[i] < b.born {
			sh := &r.ages[s]
			sh.move(&sh.censored, from, binOf(seconds(r.slaAge(s, l.pub[i], b.t))), int64(b.n))
		}
	}
	b.n = 0
}

// sinceBirth returns the stages st of an exposure from publication p cut to
// begin at born, when the node was created after p: the time before it
// existed is no stage of its exposure.
func sinceBirth(st [numTimed]time.Duration, p, born sim.Time) [numTimed]time.Duration {
	m := p
	var out [numTimed]time.Duration
	for k, d := range st {
		end := m.Add(d)
		out[k] = max(end, born).Sub(max(m, born))
		m = end
	}
	return out
}

// flush censors at t the pairs of the nodes removed at t.
func (r *recorder) flush(t sim.Time) {
	r.chargeGone()
	for _, byClass := range r.lists {
		for _, l := range byClass {
			r.censorHeld(l)
			if l.plo == l.phi {
				continue
			}
			n := int32(0)
			for i := l.plo; i < l.phi; i++ {
				n += l.pend[i]
				l.pend[i] = 0
				if n > 0 {
					r.hist[l.sev[i]].addCensored(t.Sub(l.pub[i]), uint64(n))
				}
			}
			l.pend[l.phi] = 0
			l.plo, l.phi = 0, 0
		}
	}
}

// exist records that a node started (d = +1) or stopped (d = -1) existing
// at instant t: for the daily node counts of the past-SLA series and for
// the node-months.
func (r *recorder) exist(t sim.Time, d int) {
	i := min(ceilDay(t), int64(len(r.alive)-1))
	r.alive[i] += int64(d)
	r.aliveNs.addN(int64(d), uint64(r.horizon.Sub(t)))
}

// dailyNodes returns the nodes alive at the start of each day, from the
// initial count n.
func (r *recorder) dailyNodes(n int) []int {
	out := make([]int, len(r.pastSLA)-1)
	a := int64(n)
	for d := range out {
		a += r.alive[d]
		out[d] = int(a)
	}
	return out
}

// seriesBy returns the share of nodes past SLA at the start of each day,
// over the nodes alive then.
func (r *recorder) seriesBy(nodes []int) []float64 {
	out := make([]float64, len(nodes))
	n := int64(0)
	for d := range out {
		n += r.pastSLA[d]
		if nodes[d] > 0 {
			out[d] = float64(n) / float64(nodes[d])
		}
	}
	return out
}
