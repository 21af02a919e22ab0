// Gates: when a cluster may start work (maintenance windows or AKS's own
// cadence), the operations it starts, and channel changes.

package fleet

import (
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
	"github.com/patchsim/patchsim/window"
)

// opKind is the kind of work a cluster gate starts.
type opKind uint8

const (
	opNodeOS  opKind = iota // node OS channel work (aksManagedNodeOSUpgradeSchedule)
	opUpgrade               // Kubernetes upgrades (aksManagedAutoUpgradeSchedule)
	numOpKinds
)

// gate is a cluster's window for one kind of work.
type gate struct {
	c       *clusterSim
	kind    opKind
	sched   window.Schedule
	real    bool      // a configured maintenance window, not AKS's own cadence
	phase   float64   // AKS's own cadence: where in its period it opens, in [0, 1)
	next    sim.Event // the armed opening
	winEnd  sim.Time  // end of the window last opened
	passes  int       // operations started in that window
	wanted  bool      // work was requested while the cluster was busy
	catchUp bool      // a catch-up is due
	// pending is the operation a window closure deferred: it resumes, with
	// the targets it selected, before any newer work (aks.md section 3.3
	// item 2).
	pending *operation
	retry   retryStep
	look    lookStep
}

type retryStep struct{ g *gate }

// operation is one cluster operation: pools in order.
type operation struct {
	g       *gate
	work    []work
	next    int
	failed  bool
	resumed bool     // a deferred operation resumed in a later window
	k8s     int      // Kubernetes release installed on success; -1 none
	start   sim.Time // when the operation started, or resumed last
	// member is the Fleet Manager update run member the operation
	// upgrades; nil for the cluster's own channel work.
	member *memberRun
}

type work struct {
	pool   *poolSim
	action channel.Action
	user   sim.Time // target userspace cut
	kernel sim.Time // target kernel cut
	all    bool     // reimage every node, even nodes already at the target
	src    source   // what delivers the targets, for the stages
}

func (c *clusterSim) newGate(k opKind) *gate {
	g := &gate{c: c, kind: k}
	g.retry.g, g.look.g = g, g
	var s window.Schedule
	switch k {
	case opNodeOS:
		s = c.cfg.Maintenance.NodeOS
	case opUpgrade:
		s = c.cfg.Maintenance.AutoUpgrade
	}
	if s != nil {
		g.sched, g.real = s, true
		return g
	}
	g.phase = c.rng.Float64()
	g.sched = g.cadence()
	return g
}

// cadence is AKS's own schedule for a cluster without a window for the
// gate's work (aks.md section 3.4): SecurityPatch every
// WindowPolicy.SecurityPatchCadence, other work every NoWindowCadence.
func (g *gate) cadence() cadence {
	p := g.c.cfg.Policy
	period := p.NoWindowCadence
	if period == 0 {
		period = DefaultWindowPolicy().NoWindowCadence
	}
	if g.kind == opNodeOS && g.c.nodeOS == channel.NodeOSSecurityPatch {
		period = p.SecurityPatchCadence
		if period == 0 {
			period = DefaultWindowPolicy().SecurityPatchCadence
		}
	}
	phase := time.Duration(g.phase * float64(period))
	return cadence{origin: g.c.r.start.Add(phase - period), period: period}
}

// recadence follows a channel change: AKS's own cadence may change with
// the channel, from now on.
func (g *gate) recadence() {
	if g.real {
		return
	}
	if c := g.cadence(); c != g.sched {
		g.sched = c
		g.c.r.eng.Cancel(g.next)
		g.arm(g.c.r.now())
	}
}

// arm schedules the gate's next window opening at or after t.
func (g *gate) arm(t sim.Time) {
	r := g.c.r
	if t >= r.horizon {
		return
	}
	iv, ok := g.sched.Next(r.at(t))
	if !ok {
		return
	}
	s := max(r.offset(iv.Start), t)
	if s >= r.horizon {
		return
	}
	g.next = r.schedule(s, g)
}

// Handle opens the window that contains now.
func (g *gate) Handle(e *sim.Engine) error {
	r := g.c.r
	now := r.now()
	iv, ok := g.sched.Next(e.Now())
	if !ok {
		return nil
	}
	g.winEnd = r.offset(iv.End)
	if iv.End.After(r.at(r.horizon)) {
		g.winEnd = r.horizon
	}
	g.passes = 0
	g.c.maybeStart(g.kind)
	g.watch(now)
	if g.winEnd > now {
		g.arm(g.winEnd)
	}
	return nil
}

// watch, unless OnePass, schedules a look at the work when the next
// release of the cluster's node OS feeds reaches its region while the
// window is still open (aks.md section 3.3 item 4).
func (g *gate) watch(now sim.Time) {
	c := g.c
	if g.kind != opNodeOS || !g.secondPass() {
		return
	}
	next := maxTime
	for _, p := range c.pools {
		// The first release to arrive after now: availability is
		// non-decreasing in the release index.
		if f := c.feed(c.r.up.Stream(c.pol[p.cfg.OS].Feed)); f != nil {
			if i := after(f.avail, now); i < len(f.avail) {
				next = min(next, f.avail[i])
			}
		}
	}
	if next < g.winEnd {
		c.r.schedule(next, &g.look)
	}
}

// lookStep reconsiders a gate's work when a release arrives mid-window.
type lookStep struct{ g *gate }

func (s *lookStep) Handle(*sim.Engine) error {
	g := s.g
	g.c.maybeStart(g.kind)
	g.watch(g.c.r.now())
	return nil
}

func (g *gate) open(now sim.Time) bool { return now < g.winEnd }

// secondPass reports whether a window may start another pass: a configured
// maintenance window unless OnePass (aks.md section 3.3 item 4); AKS's own
// cadence runs one pass a period (section 3.4).
func (g *gate) secondPass() bool { return g.real && !g.c.cfg.Policy.OnePass }

// Handle runs a catch-up.
func (s *retryStep) Handle(*sim.Engine) error {
	s.g.catchUp = true
	s.g.c.maybeStart(s.g.kind)
	return nil
}

func (c *clusterSim) maybeStart(k opKind) {
	g := c.gates[k]
	if c.busy {
		g.wanted = true
		return
	}
	now := c.r.now()
	if !g.open(now) && !g.catchUp {
		return
	}
	if g.open(now) && g.passes > 0 && !g.secondPass() && !g.catchUp {
		return
	}
	g.wanted = false
	if op := g.pending; op != nil {
		// Deferred work resumes first, with the targets it selected then;
		// it is not a new pass of the window.
		g.pending = nil
		op.resumed = true
		op.start = now
		c.busy, c.op = true, op
		c.nextPool()
		return
	}
	var ws []work
	k8s := -1
	switch k {
	case opNodeOS:
		ws = c.nodeOSWork(now)
	case opUpgrade:
		ws, k8s = c.upgradeWork(now)
	}
	if len(ws) == 0 {
		g.catchUp = false
		return
	}
	if g.open(now) {
		g.passes++
	}
	c.busy = true
	c.op = &operation{g: g, work: ws, k8s: k8s, start: now}
	c.nextPool()
}

// nodeOSWork lists the pools with node OS channel work at now.
func (c *clusterSim) nodeOSWork(now sim.Time) []work {
	var ws []work
	for _, p := range c.pools {
		pol := c.pol[p.cfg.OS]
		if c.rerun {
			t, k, s := c.newest(p.cfg.OS, pol.Feed, now)
			ws = append(ws, work{pool: p, action: channel.ActionReimage, user: t, kernel: k, all: true, src: source{feed: c.feed(s)}})
			continue
		}
		s := c.r.up.Stream(pol.Feed)
		if s == nil {
			continue // None, or Unmanaged's nightly installs (nightly.go)
		}
		if pol.Feed == channel.FeedSecurityPatches && now < p.patchUntil {
			continue // the last live patch is still being applied
		}
		i, ok := c.latest(s, now)
		if !ok {
			continue
		}
		rel := s.Releases[i]
		cut, kernel := c.r.cut(rel), c.r.kernelCut(rel)
		minUser, minKernel := p.minCuts()
		if minUser >= cut && minKernel >= kernel {
			continue
		}
		// What the channel does with the release on these nodes is the
		// channel package's rule.
		src := source{feed: c.feed(s)}
		switch pol.Action(c.r.newerKernel(rel, minKernel)) {
		case channel.ActionReimage:
			ws = append(ws, work{pool: p, action: channel.ActionReimage, user: cut, kernel: kernel, src: src})
		case channel.ActionLivePatch:
			if minUser < cut && c.patchFits(now) {
				ws = append(ws, work{pool: p, action: channel.ActionLivePatch, user: cut, src: src})
			}
		}
	}
	return ws
}

// patchFits reports whether a live-patch pass started at now ends inside
// the node OS window: every node applies it within liveSpread, so a pass is
// started only with liveSpread left (ASSUMPTION: whether a live patch may
// overrun a window is not documented, aks.md section 9). Catch-ups and
// AKS's own cadence are not bounded.
func (c *clusterSim) patchFits(now sim.Time) bool {
	g := c.gates[opNodeOS]
	return !g.real || g.catchUp || !g.open(now) || now.Add(liveSpread) <= g.winEnd
}

// upgradeWork lists the Kubernetes upgrade of every pool when a newer
// Kubernetes release is available: every upgrade reimages the nodes to the
// newest image (aks.md section 1.4).
func (c *clusterSim) upgradeWork(now sim.Time) ([]work, int) {
	if !c.pol[channel.OSLinux].KubernetesUpgrades && !c.pol[channel.OSWindows].KubernetesUpgrades {
		return nil, -1
	}
	i, ok := c.latest(&c.r.up.Kubernetes, now)
	if !ok || i <= c.k8s {
		return nil, -1
	}
	var ws []work
	for _, p := range c.pools {
		t, k, s := c.newest(p.cfg.OS, c.pol[p.cfg.OS].Feed, now)
		ws = append(ws, work{pool: p, action: channel.ActionReimage, user: t, kernel: k, all: true, src: source{feed: c.feed(s)}})
	}
	return ws, i
}

// kernelBetween reports whether a kernel was released in (lo, hi].
func (r *runner) kernelBetween(lo, hi sim.Time) bool {
	i := after(r.kernels, lo)
	return i < len(r.kernels) && r.kernels[i] <= hi
}

// newerKernel reports whether rel carries a kernel newer than the kernel
// cut have: its KernelCut is later, or, for a release without one (built
// by hand), a kernel of the upstream was released in (have, Cut].
func (r *runner) newerKernel(rel channel.Release, have sim.Time) bool {
	if rel.KernelCut.IsZero() {
		return r.kernelBetween(have, r.cut(rel))
	}
	return r.kernelCut(rel) > have
}

// archiveKernel returns the kernel cut a node that has kernel cut have
// gets from the archive at t: the newest kernel released by then (have if
// none was), or t when the upstream has no kernels at all. next is the
// node's cursor: the index of the first kernel released after its last
// install, where the search starts (a node installs forward in time).
func (r *runner) archiveKernel(t, have sim.Time, next *int32) sim.Time {
	ks := r.kernels
	if len(ks) == 0 {
		return t
	}
	*next = seek(ks, *next, t)
	if *next == 0 {
		return have
	}
	return max(have, ks[*next-1])
}

// nextPool starts the operation's next pool, or ends the operation.
func (c *clusterSim) nextPool() {
	op := c.op
	now := c.r.now()
	if op.failed || op.next >= len(op.work) {
		c.endOp()
		return
	}
	// Later pools wait for the next window, where they resume first (aks.md
	// section 3.3 item 2), unless a catch-up is running.
	// A Fleet Manager member upgrade runs all its pools, unless
	// ManagerPolicy.DeferRemainingPools (fleet-manager.md section 12 item
	// 4).
	own := op.member == nil
	if own && op.next > 0 && op.g.real && !op.g.open(now) && !op.g.catchUp {
		op.g.pending = op
		c.endOp()
		return
	}
	if !own && op.next > 0 && op.member.deferred(now) {
		return // resumes in the member's next window
	}
	w := op.work[op.next]
	w.src.start = op.start
	op.next++
	c.r.dis.Operations++
	w.pool.stats.Operations++
	if own && op.g.real && !op.g.open(now) {
		c.r.dis.OutsideWindow++
	}
	switch w.action {
	case channel.ActionLivePatch:
		w.pool.livePatch(w)
		c.nextPool()
	case channel.ActionReimage:
		w.pool.startRollout(w)
	}
}

func (c *clusterSim) poolDone(o outcome) {
	switch o {
	case failed:
		c.op.failed = true
		c.r.dis.Failed++
		c.op.work[c.op.next-1].pool.stats.Failed++
	case canceled:
		c.op.failed = true
		c.r.dis.Canceled++
	}
	c.nextPool()
}

func (c *clusterSim) endOp() {
	op := c.op
	g := op.g
	c.busy, c.op = false, nil
	if op.member != nil {
		c.endMemberOp(op)
		return
	}
	g.catchUp = false
	complete := !op.failed && op.next >= len(op.work)
	if complete {
		if op.k8s >= 0 {
			c.k8s = op.k8s
		}
		if g.kind == opNodeOS {
			c.rerun = false
		}
	} else if c.cfg.Policy.CatchUp {
		d := c.cfg.Policy.RetryDelay
		if d == 0 {
			d = DefaultWindowPolicy().RetryDelay
		}
		c.r.eng.After(d, &g.retry)
	}
	for k := opKind(0); k < numOpKinds; k++ {
		o := c.gates[k]
		// After a pass, the same window starts newer work only with
		// unless OnePass; after resumed deferred work, it always may.
		again := complete && (o.secondPass() || op.resumed)
		if !c.busy && (o.wanted || (o.open(c.r.now()) && (o != g || again))) {
			c.maybeStart(k)
		}
	}
	if m := c.r.mgr; m != nil && !c.busy {
		m.free(c)
	}
}

// endMemberOp ends a Fleet Manager member's operation: the run learns the
// outcome, then the cluster's own work that waited may start.
func (c *clusterSim) endMemberOp(op *operation) {
	complete := !op.failed && op.next >= len(op.work)
	if complete && op.k8s >= 0 {
		c.k8s = op.k8s
	}
	op.member.done(complete)
	for k := opKind(0); k < numOpKinds; k++ {
		if o := c.gates[k]; !c.busy && (o.wanted || o.open(c.r.now())) {
			c.maybeStart(k)
		}
	}
	if !c.busy {
		c.r.mgr.free(c)
	}
}

type changeStep struct {
	c *clusterSim
	i int
}

func (s *changeStep) Handle(*sim.Engine) error {
	c := s.c
	ch := c.cfg.ChannelChanges[s.i]
	from := c.nodeOS
	c.nodeOS = ch.To
	c.resolve()
	// Node OS work deferred under the old channel is superseded by the new
	// channel's own.
	c.gates[opNodeOS].pending = nil
	c.gates[opNodeOS].recadence()
	if channel.ChangeReimages(from, ch.To, ch.LegacyAnyChangeReimages) {
		c.rerun = true
	}
	c.startNightly()
	c.maybeStart(opNodeOS)
	return nil
}

// cadence is AKS's own schedule for a cluster without a window: one
// window per period, each lasting the whole period, from a random phase.
type cadence struct {
	origin time.Time
	period time.Duration
}

func (c cadence) Next(t time.Time) (window.Interval, bool) {
	k := t.Sub(c.origin) / c.period
	s := c.origin.Add(k * c.period)
	return window.Interval{Start: s, End: s.Add(c.period)}, true
}
