package fleet

import (
	"slices"
	"sort"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
)

// The recorder measures exposure online, as nodes' content cuts change, at
// a cost of O(nodes x (advisories + cut changes)) for a run and a few words
// of memory per node (DESIGN.md section 3.1).
//
// Instants are sim.Time since Config.Start (clock.go). A node holds
// advisory f at instant t when cut < P_f <= t, where cut is the node's
// userspace cut for userspace advisories and its running kernel's cut for
// kernel ones. So a cut that moves backwards reopens the advisories between
// the new and the old cut, with no per-advisory state.

// advList is the publication instants of the advisories of one (OS, class),
// sorted, with their severities.
type advList struct {
	pub []sim.Time
	sev []channel.Severity
	// id is the list's place among the recorder's lists (os*2 + class),
	// for the per-list caches of the stages.
	id    int
	class channel.Class
	// bySev[s] is the sorted publication instants of severity s alone.
	bySev [channel.NumSeverities][]sim.Time
	// first is the index of the first advisory published at or after the
	// start of the run; end the index of the first published at or after
	// the end of the measured span (the run less Config.Settle).
	first, end int
	// inRun counts, per severity, the advisories published in the run.
	inRun [channel.NumSeverities]uint64
	// censor is a difference array over advisory indexes: the number of
	// nodes still holding each advisory at the end of the run.
	censor []int32
	// cum[s][i] counts the advisories of severity s before index i; built
	// on first use (churn.go).
	cum [channel.NumSeverities][]uint32
	// pend is a difference array over advisory indexes, within [plo, phi),
	// of the nodes removed at the current instant still holding each: the
	// pairs flush censors.
	pend     []int32
	plo, phi int
	before   held // censorBefore's pairs not yet censored
}

// newAdvLists splits advs into the list of each (OS, class), in two passes
// over them whatever the number of lists.
func newAdvLists(advs []channel.Advisory, start time.Time, measured sim.Time) [2][2]*advList {
	var n [2][2]int
	for _, a := range advs {
		if int(a.OS) < len(n) && int(a.Class) < len(n[0]) {
			n[a.OS][a.Class]++
		}
	}
	var ls [2][2]*advList
	for os := range ls {
		for cl := range ls[os] {
			ls[os][cl] = &advList{pub: make([]sim.Time, 0, n[os][cl]), sev: make([]channel.Severity, 0, n[os][cl])}
		}
	}
	for _, a := range advs {
		if int(a.OS) < len(n) && int(a.Class) < len(n[0]) {
			l := ls[a.OS][a.Class]
			l.pub = append(l.pub, offset(start, a.Published))
			l.sev = append(l.sev, a.Severity)
		}
	}
	for _, byClass := range ls {
		for _, l := range byClass {
			l.index(measured)
		}
	}
	return ls
}

// index sorts the list's advisories if they are not (keeping the order of
// equal instants) and builds what the recorder reads of them.
func (l *advList) index(measured sim.Time) {
	if !slices.IsSorted(l.pub) {
		// channel.Upstream keeps advisories sorted; a hand-built one may
		// not: sort a copy, keeping the order of equal instants.
		idx := make([]int, len(l.pub))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return l.pub[idx[a]] < l.pub[idx[b]] })
		pub, sev := make([]sim.Time, len(idx)), make([]channel.Severity, len(idx))
		for i, j := range idx {
			pub[i], sev[i] = l.pub[j], l.sev[j]
		}
		l.pub, l.sev = pub, sev
	}
	var counts [channel.NumSeverities]int
	for _, s := range l.sev {
		counts[s]++
	}
	for s, n := range counts {
		l.bySev[s] = make([]sim.Time, 0, n)
	}
	for i, p := range l.pub {
		l.bySev[l.sev[i]] = append(l.bySev[l.sev[i]], p)
	}
	l.first = sort.Search(len(l.pub), func(i int) bool { return l.pub[i] >= 0 })
	l.end = sort.Search(len(l.pub), func(i int) bool { return l.pub[i] >= measured })
	for i := l.first; i < l.end; i++ {
		l.inRun[l.sev[i]]++
	}
	l.censor = make([]int32, len(l.pub)+1)
}

// after returns the index of the first advisory published after cut.
func after(pub []sim.Time, cut sim.Time) int {
	return sort.Search(len(pub), func(i int) bool { return pub[i] > cut })
}

// pubAt returns p[i], or maxTime past the end.
func pubAt(p []sim.Time, i int32) sim.Time {
	if int(i) < len(p) {
		return p[i]
	}
	return maxTime
}

// seek returns the index of the first of p published after cut, starting
// from i, the answer for an earlier cut: a few steps forward when the cut
// moved forward by a day or so, else a binary search.
func seek(p []sim.Time, i int32, cut sim.Time) int32 {
	for range 8 {
		if int(i) == len(p) || p[i] > cut {
			if i == 0 || p[i-1] <= cut {
				return i
			}
			break // the cut moved backwards
		}
		i++
	}
	return int32(after(p, cut))
}

// remediation is a traced first remediation, in recorder time.
type remediation struct {
	node    int32
	sev     channel.Severity
	class   channel.Class
	pub, at sim.Time
	since   sim.Time // the node's creation, when after pub; else 0
	stages  [numTimed]time.Duration
}

// cuts is a node's content state and its accounting cursor.
type cuts struct {
	user, kernel       sim.Time // current cuts
	maxUser, maxKernel sim.Time // highest cuts reached so far
	ptrUser, ptrKernel int32    // first advisory not yet remediated for the first time
	last               sim.Time // instant up to which the node is accounted
	pool               int32    // the node's pool, for the per-pool sums
	// born is when the node was created (0 for the nodes at Start): its
	// exposure to an advisory counts from the later of the advisory's
	// publication and born.
	born sim.Time
	// open[class][s] is the index in bySev[s] of the class's first advisory
	// of severity s published after the cut: the node's oldest open one.
	// It follows the cut, so that accounting needs no search.
	open [2][channel.NumSeverities]int32
}

// seekOpen moves the open cursors of the class of l to cut.
func (c *cuts) seekOpen(l *advList, class channel.Class, cut sim.Time) {
	for s := range c.open[class] {
		c.open[class][s] = seek(l.bySev[s], c.open[class][s], cut)
	}
}

// recorder accumulates exposure for the whole fleet.
type recorder struct {
	horizon sim.Time
	sla     [channel.NumSeverities]time.Duration
	lists   [2][2]*advList // [OS][Class]
	hist    [channel.NumSeverities]accumulator
	pairs   [channel.NumSeverities]uint64
	reopen  [channel.NumSeverities]uint64
	vulnNs  [channel.NumSeverities]exact // vulnerable node-nanoseconds
	pastSLA []int64                      // difference array over days, of node counts
	// poolVuln and poolPast split vulnNs and the past-SLA node-days by
	// pool (cuts.pool).
	poolVuln [][channel.NumSeverities]exact
	poolPast []int64 // node-days
	// ages[s] moves, in the histogram of severity s, the pairs of nodes
	// created after their advisory's publication from their exposure to
	// their SLA age (slaAge); zero when there are none.
	ages  [channel.NumSeverities]ageShift
	trace *[]remediation

	// With an autoscaled pool: ids maps a node's slot to its id for the
	// trace; churned counts the open pairs removed nodes took with them
	// that their pool's image had fixed; alive is a difference array over
	// days of the nodes alive at each day's start, beyond the initial
	// ones; aliveNs is the nodes' existence, in node-nanoseconds.
	ids     []int32
	gone    gone
	removal removal
	churned uint64
	alive   []int64
	aliveNs exact
	// kernels holds the upstream kernel releases, sorted, for the stages
	// of kernel advisories that the archive fixes (source.feed nil), and
	// kernelOf[l.id][i] the first of them released at or after advisory i
	// of kernel list l (built on first use).
	kernels  []sim.Time
	kernelOf [4][]int32
}

func newRecorder(up *channel.Upstream, start time.Time, horizon, settle time.Duration, sla SLA) *recorder {
	r := &recorder{horizon: sim.Time(horizon)}
	for _, s := range severities {
		r.sla[s] = sla.For(s)
	}
	r.lists = newAdvLists(up.Advisories, start, sim.Time(horizon-settle))
	for os, byClass := range r.lists {
		for cl, l := range byClass {
			l.id, l.class = os*2+cl, channel.Class(cl)
		}
	}
	days := ceilDay(r.horizon)
	r.pastSLA = make([]int64, days+1)
	r.addPool(0)
	return r
}

// addPool makes room for the sums of pool i (and those before it); a new
// recorder has room for pool 0.
func (r *recorder) addPool(i int32) {
	for int(i) >= len(r.poolVuln) {
		r.poolVuln = append(r.poolVuln, [channel.NumSeverities]exact{})
		r.poolPast = append(r.poolPast, 0)
	}
}

var severities = [channel.NumSeverities]channel.Severity{channel.Critical, channel.High, channel.Medium, channel.Low}

// due returns the SLA deadline of a (node, advisory) pair of severity s
// whose advisory was published at pub: the pair is within its SLA when its
// node runs the fix by then, and past it from then on while it does not.
// The SLA runs from
// the publication, whatever the node's creation, while the pair's exposure
// runs from the later of the two (DESIGN.md section 3.1). So a node that
// boots without a fix published more than the SLA ago is past the SLA from
// its first instant. Every SLA figure reads it: the past-SLA series and
// node-days (account) and the share within SLA (slaAge).
func (r *recorder) due(s channel.Severity, pub sim.Time) sim.Time { return pub.Add(r.sla[s]) }

// slaAge returns the age at t of a pair of severity s whose advisory was
// published at pub, measured so that the pair is within its SLA at t when
// the age is at most the SLA: t - pub.
func (r *recorder) slaAge(s channel.Severity, pub, t sim.Time) time.Duration {
	return r.sla[s] + t.Sub(r.due(s, pub))
}

// ageShift is how a severity's histogram of SLA ages differs from its
// histogram of exposures, in dense signed bin counts: a pair whose node was
// created after its advisory's publication leaves the bin of its exposure
// for the bin of its SLA age.
type ageShift struct {
	events, censored []int64
	extra            exact // the moved events' ages less their exposures, nanoseconds
	maxSec           int64 // the largest moved event's age, seconds
}

// move moves n values from bin from to bin to of bins.
func (a *ageShift) move(bins *[]int64, from, to int, n int64) {
	if from == to {
		return
	}
	if m := max(from, to) + 1; m > len(*bins) {
		*bins = append(*bins, make([]int64, m-len(*bins))...)
	}
	(*bins)[from] -= n
	(*bins)[to] += n
}

// apply returns h with the shift applied: the histogram of SLA ages. h is
// not modified.
func (a *ageShift) apply(h Histogram) Histogram {
	n := max(len(a.events), len(a.censored))
	for _, b := range h.Bins {
		n = max(n, b.Index+1)
	}
	ev, ce := make([]int64, n), make([]int64, n)
	for _, b := range h.Bins {
		ev[b.Index], ce[b.Index] = int64(b.Events), int64(b.Censored)
	}
	for i, x := range a.events {
		ev[i] += x
	}
	for i, x := range a.censored {
		ce[i] += x
	}
	out := h
	out.Bins = nil
	out.Sum += a.extra.float() / float64(time.Second)
	out.MaxSec = max(out.MaxSec, a.maxSec)
	for i := range n {
		if ev[i] != 0 || ce[i] != 0 {
			out.Bins = append(out.Bins, Bin{Index: i, Events: uint64(ev[i]), Censored: uint64(ce[i])})
		}
	}
	return out
}

// ageHistogram returns the histogram of SLA ages of severity s, given h,
// its histogram of exposures: a copy of h when no pair's node was created
// after its advisory's publication.
func (r *recorder) ageHistogram(s channel.Severity, h Histogram) Histogram {
	a := &r.ages[s]
	if a.events == nil && a.censored == nil {
		h.Bins = slices.Clone(h.Bins)
		return h
	}
	return a.apply(h)
}

// init starts accounting a node of os at instant t with the given cuts.
func (r *recorder) init(c *cuts, os channel.OS, t, user, kernel sim.Time) {
	u, k := r.lists[os][channel.Userspace], r.lists[os][channel.Kernel]
	*c = cuts{user: user, kernel: kernel, maxUser: user, maxKernel: kernel, last: t,
		ptrUser: int32(after(u.pub, user)), ptrKernel: int32(after(k.pub, kernel))}
	c.seekOpen(u, channel.Userspace, user)
	c.seekOpen(k, channel.Kernel, kernel)
	for _, s := range severities {
		r.pairs[s] += u.inRun[s] + k.inRun[s]
	}
}

// account charges [c.last, t) at the node's current cuts, n times (n nodes
// with these cuts): vulnerable time per severity, and the days at whose
// start the node held an advisory past its SLA.
func (r *recorder) account(c *cuts, os channel.OS, t sim.Time, n uint64) {
	a := c.last
	if t <= a {
		return
	}
	u, k := r.lists[os][channel.Userspace], r.lists[os][channel.Kernel]
	past := maxTime
	for _, s := range severities {
		v := min(pubAt(u.bySev[s], c.open[channel.Userspace][s]), pubAt(k.bySev[s], c.open[channel.Kernel][s]))
		if v == maxTime {
			continue
		}
		if v < t {
			d := int64(t.Sub(max(a, v)))
			r.vulnNs[s].addN(d, n)
			r.poolVuln[c.pool][s].addN(d, n)
		}
		past = min(past, r.due(s, v))
	}
	if past < t {
		from := max(a, past)
		d0, d1 := ceilDay(from), ceilDay(t)
		if d0 < d1 {
			d1 = min(d1, int64(len(r.pastSLA)-1))
			r.pastSLA[d0] += int64(n)
			r.pastSLA[d1] -= int64(n)
			r.poolPast[c.pool] += int64(n) * (d1 - d0)
		}
	}
	c.last = t
}

// change moves node c of os to new cuts at instant t: it accounts the time
// before, counts reopened advisories when a cut moves backwards, and records
// the first remediation of every advisory the new cuts cover for the first
// time, its stages read from src. node identifies the node in traces.
func (r *recorder) change(c *cuts, os channel.OS, node int32, t, user, kernel sim.Time, src source) {
	u, k := r.lists[os][channel.Userspace], r.lists[os][channel.Kernel]
	if kernel == c.kernel && user >= c.user && c.user == c.maxUser && pubAt(u.pub, c.ptrUser) > user {
		// No advisory was published between the cuts (most nightly
		// installs): the node holds the same advisories, so the time
		// before is accounted later in one piece, which gives the same
		// exact sums, and only the cut moves.
		c.user, c.maxUser = user, user
		return
	}
	r.account(c, os, t, 1)
	if user < c.user {
		r.countReopened(u, user, min(c.user, t))
	}
	if kernel < c.kernel {
		r.countReopened(k, kernel, min(c.kernel, t))
	}
	// A cut at its highest so far that moves higher passes exactly the
	// advisories remediate walks, so they move its open cursors too;
	// otherwise the cursors seek.
	seekUser, seekKernel := user != c.user, kernel != c.kernel
	if user > c.maxUser {
		var open *[channel.NumSeverities]int32
		if c.user == c.maxUser {
			open, seekUser = &c.open[channel.Userspace], false
		}
		c.ptrUser = r.remediate(u, channel.Userspace, c.ptrUser, user, t, c.born, node, open, src)
		c.maxUser = user
	}
	if kernel > c.maxKernel {
		var open *[channel.NumSeverities]int32
		if c.kernel == c.maxKernel {
			open, seekKernel = &c.open[channel.Kernel], false
		}
		c.ptrKernel = r.remediate(k, channel.Kernel, c.ptrKernel, kernel, t, c.born, node, open, src)
		c.maxKernel = kernel
	}
	if seekUser {
		c.seekOpen(u, channel.Userspace, user)
	}
	if seekKernel {
		c.seekOpen(k, channel.Kernel, kernel)
	}
	c.user, c.kernel = user, kernel
}

// countReopened counts the advisories of l published in (lo, hi].
func (r *recorder) countReopened(l *advList, lo, hi sim.Time) {
	for i := after(l.pub, lo); i < len(l.pub) && l.pub[i] <= hi; i++ {
		r.reopen[l.sev[i]]++
	}
}

// remediate records the first remediation at t of every advisory from index
// ptr published at or before cut, and returns the new pointer. With open
// set, it counts the advisories it walks there, by severity. src says
// what delivered the cut, for the stages.
func (r *recorder) remediate(l *advList, class channel.Class, ptr int32, cut, t, born sim.Time, node int32, open *[channel.NumSeverities]int32, src source) int32 {
	i := int(ptr)
	if i >= len(l.pub) || l.pub[i] > cut {
		return ptr // nothing new: most nightly installs
	}
	sg := r.stager(l, src)
	for ; i < len(l.pub) && l.pub[i] <= cut; i++ {
		if open != nil {
			open[l.sev[i]]++
		}
		if i < l.first || i >= l.end {
			continue
		}
		d := t.Sub(max(l.pub[i], born))
		st := sg.stages(i, l.pub[i], t)
		a := &r.hist[l.sev[i]]
		b := a.add(d)
		if born > l.pub[i] {
			st = sinceBirth(st, l.pub[i], born)
			sh, age := &r.ages[l.sev[i]], r.slaAge(l.sev[i], l.pub[i], t)
			sh.move(&sh.events, b, binOf(seconds(age)), 1)
			sh.extra.add(int64(age - d))
			sh.maxSec = max(sh.maxSec, seconds(age))
		}
		a.addStages(b, &st)
		if r.trace != nil {
			id := node
			if r.ids != nil {
				id = r.ids[node]
			}
			rm := remediation{node: id, pub: l.pub[i], at: t, sev: l.sev[i], class: class, stages: st}
			if born > l.pub[i] {
				rm.since = born
			}
			*r.trace = append(*r.trace, rm)
		}
	}
	return int32(i)
}

// finish accounts node c to the end of the run and marks the advisories it
// still holds as censored.
func (r *recorder) finish(c *cuts, os channel.OS) {
	r.account(c, os, r.horizon, 1)
	for cl, ptr := range []int32{c.ptrUser, c.ptrKernel} {
		l := r.lists[os][cl]
		from := max(int(ptr), l.first)
		if c.born > 0 && from < l.end {
			// Held since the node's creation: censored at horizon - born.
			from = r.censorBefore(l, from, l.end, c.born, r.horizon, 1)
		}
		if from < l.end {
			l.censor[from]++
			l.censor[l.end]--
		}
	}
}

// close turns the censoring difference arrays into censored values.
func (r *recorder) close() {
	for _, byClass := range r.lists {
		for _, l := range byClass {
			r.censorHeld(l)
			n := int64(0)
			for i := 0; i < l.end; i++ {
				n += int64(l.censor[i])
				if i >= l.first && n > 0 {
					r.hist[l.sev[i]].addCensored(r.horizon.Sub(l.pub[i]), uint64(n))
				}
			}
		}
	}
}

// series returns the share of nodes past SLA at the start of each day.
func (r *recorder) series(nodes int) []float64 {
	out := make([]float64, len(r.pastSLA)-1)
	n := int64(0)
	for d := range out {
		n += r.pastSLA[d]
		out[d] = float64(n) / float64(nodes)
	}
	return out
}
