// Where exposure comes from: the stages of a (node, advisory) pair.

package fleet

import (
	"math"
	"math/bits"
	"sync"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
)

// Stage is one part of the exposure of a (node, advisory) pair, from the
// advisory's publication P to the first instant R the node runs its fix
// (DESIGN.md section 3.1). What delivered the fix sets the instants between:
//
//   - a release of the node's feed (a node image, a SecurityPatch snapshot
//     or a Windows image, by a rolling reimage or a live patch): take the
//     first release of that feed that contains the fix (for a kernel
//     advisory, that carries a kernel released at or after P). StageCut
//     runs from P to its cut, StageBuild from the cut to its publication,
//     StageRegion from there until it reached the cluster's region,
//     StageWindow from there until the start of the operation that
//     remediated the node (waiting for a maintenance window or AKS's own
//     cadence, and for earlier operations that failed or were deferred),
//     and StageRollout from that start to R (pools ahead of the node's in
//     the operation, surge, drains and blocked drains, soak, reimage or the
//     live patch's spread).
//   - Unmanaged's nightly install (userspace): the Ubuntu archive publishes
//     the fix with the advisory, so cut, build and region are zero and the
//     wait for the node's nightly install is StageWindow.
//   - a kured reboot (kernel): StageCut runs to the release of the first
//     kernel at or after P (the archive publishes it everywhere at once),
//     StageWindow to the start of the reboot's drain (the nightly install,
//     the wait for kured's check, its lock and its window), StageRollout
//     the drain and reboot.
//
// Each instant is kept between the one before it and R, so the stages of a
// remediated pair are non-negative and add up to R - P exactly. StageNever
// is the exposure of pairs not remediated within the horizon.
type Stage uint8

const (
	StageCut     Stage = iota // publication to the cut of the first release that contains the fix
	StageBuild                // that cut to the release's publication
	StageRegion               // publication to availability in the cluster's region
	StageWindow               // availability to the start of the operation that remediated the node
	StageRollout              // that start to the node running the fix
	StageNever                // not remediated within the horizon
	NumStages
)

// numTimed is the number of stages a remediated pair has.
const numTimed = int(StageNever)

var stageNames = [NumStages]string{"cut", "build", "region", "window", "rollout", "never"}

// String returns the stage's name, as in metric keys (high.exposure.windowDays).
func (s Stage) String() string {
	if s < NumStages {
		return stageNames[s]
	}
	return "unknown"
}

// Stages is an exposure split by stage, indexed by Stage.
type Stages [NumStages]time.Duration

// Total returns the sum of the stages.
func (s Stages) Total() time.Duration {
	var t time.Duration
	for _, d := range s {
		t += d
	}
	return t
}

// feed is one release stream as a cluster's region sees it, in recorder
// time: what the stages of the advisories its releases remediate need.
type feed struct {
	s               *channel.Stream
	cut, pub, avail []sim.Time // per release, in stream order
	// maxCut and maxKernel are the running maxima of the releases' cuts
	// and kernel cuts: the first release containing a fix is the first
	// whose maximum reaches it.
	maxCut, maxKernel []sim.Time
	// firstOf[l.id][i] is the first release that contains advisory i of
	// the recorder's list l (len(cut) if none does), built on first use.
	firstOf [4][]int32
}

type feedKey struct {
	s      *channel.Stream
	region string
}

// feedOf returns the feed of s in region, built on first use.
func (r *runner) feedOf(s *channel.Stream, region string) *feed {
	if s == nil {
		return nil
	}
	k := feedKey{s, region}
	if f, ok := r.feeds[k]; ok {
		return f
	}
	n := len(s.Releases)
	f := &feed{s: s, cut: make([]sim.Time, n), pub: make([]sim.Time, n), avail: make([]sim.Time, n), maxCut: make([]sim.Time, n), maxKernel: make([]sim.Time, n)}
	for i, rel := range s.Releases {
		f.cut[i], f.pub[i] = r.cut(rel), r.offset(rel.Published)
		f.avail[i] = r.offset(s.Available(i, region))
		f.maxCut[i], f.maxKernel[i] = f.cut[i], r.kernelCut(rel)
		if i > 0 {
			f.maxCut[i] = max(f.maxCut[i], f.maxCut[i-1])
			f.maxKernel[i] = max(f.maxKernel[i], f.maxKernel[i-1])
		}
	}
	r.feeds[k] = f
	return f
}

// feed returns the feed of s in the cluster's region (nil for a nil s):
// the runner's, kept at hand.
func (c *clusterSim) feed(s *channel.Stream) *feed {
	for _, f := range c.feeds {
		if f.s == s {
			return f
		}
	}
	f := c.r.feedOf(s, c.cfg.Region)
	if f != nil {
		c.feeds = append(c.feeds, f)
	}
	return f
}

// latest returns the newest release of s available in the cluster's region
// at instant t, as s.Latest does, by a binary search of the feed's
// availability; ok is false if none is.
func (c *clusterSim) latest(s *channel.Stream, t sim.Time) (i int, ok bool) {
	n := after(c.feed(s).avail, t)
	return n - 1, n > 0
}

// firstIndex returns, for each instant of the sorted ps, the index of the
// first element of the non-decreasing m that reaches it (len(m) if none
// does), in one merge walk.
func firstIndex(ps, m []sim.Time) []int32 {
	out := make([]int32, len(ps))
	j := 0
	for i, p := range ps {
		for j < len(m) && m[j] < p {
			j++
		}
		out[i] = int32(j)
	}
	return out
}

// stager returns the stager of the advisories of l that src remediates.
func (r *recorder) stager(l *advList, src source) stager {
	sg := stager{src: src}
	switch {
	case src.feed != nil:
		f := src.feed
		if f.firstOf[l.id] == nil {
			m := f.maxCut
			if l.class == channel.Kernel {
				m = f.maxKernel
			}
			f.firstOf[l.id] = firstIndex(l.pub, m)
		}
		sg.first, sg.cut, sg.pub, sg.avail = f.firstOf[l.id], f.cut, f.pub, f.avail
	case l.class == channel.Kernel:
		if r.kernelOf[l.id] == nil {
			r.kernelOf[l.id] = firstIndex(l.pub, r.kernels)
		}
		sg.first, sg.cut, sg.pub, sg.avail = r.kernelOf[l.id], r.kernels, r.kernels, r.kernels
	}
	return sg
}

// source is what gave a node new content: the feed of the release it got
// (nil for the Ubuntu archive: Unmanaged's nightly installs and kured's
// reboots) and when the operation that delivered it started (the install
// itself for a nightly install, the drain for a kured reboot).
type source struct {
	feed  *feed
	start sim.Time
}

// stager splits exposures into stages for one (list, source) while
// remediate walks the advisories it covers: first[i] is the release that
// first contains advisory i of the list, and cut, pub and avail hold each
// release's cut, publication and arrival in the region (the kernels'
// releases, all three, for the archive; none for the archive's userspace
// fixes).
type stager struct {
	src             source
	first           []int32
	cut, pub, avail []sim.Time
}

// stages returns the timed stages of advisory i of the list, published at
// p and first remediated at t.
func (s *stager) stages(i int, p, t sim.Time) [numTimed]time.Duration {
	t1, t2, t3 := p, p, p
	if s.first != nil {
		if j := s.first[i]; int(j) < len(s.cut) {
			t1, t2, t3 = s.cut[j], s.pub[j], s.avail[j]
		}
	}
	// Each instant between the one before it and t.
	t1 = min(max(t1, p), t)
	t2 = min(max(t2, t1), t)
	t3 = min(max(t3, t2), t)
	t4 := min(max(s.src.start, t3), t)
	return [numTimed]time.Duration{t1.Sub(p), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3), t.Sub(t4)}
}

// stageSums holds, per histogram bin, the exact sums of the stages of the
// remediated values in it: lo modulo 2^64 and hi the carries out of it (a
// stage is never negative), apart so that the words every remediation
// touches stay dense.
type stageSums struct {
	lo, hi [][numTimed]uint64
}

var stagePool = sync.Pool{New: func() any { return new(stageSums) }}

// grow makes room for bin b.
func (s *stageSums) grow(b int) {
	if b < len(s.lo) {
		return
	}
	if b < cap(s.lo) && b < cap(s.hi) {
		s.lo, s.hi = s.lo[:b+1], s.hi[:b+1]
		return
	}
	lo, hi := make([][numTimed]uint64, b+1, 2*(b+1)), make([][numTimed]uint64, b+1, 2*(b+1))
	copy(lo, s.lo)
	copy(hi, s.hi)
	s.lo, s.hi = lo, hi
}

// addStages adds the stages st of a remediated value in bin b.
func (a *accumulator) addStages(b int, st *[numTimed]time.Duration) {
	if a.stages == nil {
		a.stages = stagePool.Get().(*stageSums)
	}
	s := a.stages
	s.grow(b)
	lo := &s.lo[b]
	for k, v := range st {
		if v != 0 {
			var c uint64
			lo[k], c = bits.Add64(lo[k], uint64(v), 0)
			if c != 0 {
				s.hi[b][k]++
			}
		}
	}
}

// sum returns the sum of stage k in bin b.
func (s *stageSums) sum(b, k int) float64 {
	if s == nil || b >= len(s.lo) {
		return 0
	}
	return exact{hi: s.hi[b][k], lo: s.lo[b][k]}.float()
}

// stageMeans returns the stages of the Kaplan-Meier restricted mean to
// tau: on the histogram's bins, as Histogram.RestrictedMean, but with each
// remediated value at its exact exposure. A remediated value
// weighs the survival before its bin over the values at risk there, so
// values censored earlier (advisories too young to be remediated) count as
// the values still open at their age do; the survival left after the last
// remediated value counts tau, all of it StageNever. Call it before
// histogram, which returns the bins to their pool.
func (a *accumulator) stageMeans(tau time.Duration) Stages {
	var acc [NumStages]float64
	s := 1.0
	atRisk := float64(a.h.N + a.h.NC)
	if atRisk == 0 {
		return Stages{}
	}
	for b := range max(len(a.events), len(a.censored)) {
		ev, cv := at(a.events, b), at(a.censored, b)
		if ev == 0 && cv == 0 {
			continue // most bins: nothing changes
		}
		e, c := float64(ev), float64(cv)
		if e > 0 && atRisk > 0 {
			w := s / atRisk
			for k := range numTimed {
				acc[k] += w * a.stages.sum(b, k)
			}
			s *= 1 - e/atRisk
		}
		atRisk -= e + c
	}
	acc[StageNever] = s * float64(tau)
	var out Stages
	for k, x := range acc {
		out[k] = time.Duration(math.Round(x))
	}
	return out
}

// releaseStages returns the stage sums to the pool.
func (a *accumulator) releaseStages() {
	if a.stages != nil {
		s := a.stages
		clear(s.lo)
		clear(s.hi)
		s.lo, s.hi = s.lo[:0], s.hi[:0]
		stagePool.Put(a.stages)
		a.stages = nil
	}
}
