// Rollouts: live patches and rolling reimages of a pool, node by node.

package fleet

import (
	"time"

	"github.com/patchsim/patchsim/sim"
)

// nodeState is what a pool node is doing.
type nodeState uint8

const (
	stReady nodeState = iota
	stDraining
	stSoaking
	stReimaging
	stRebootDrain
	stRebooting
	stQuarantined
	stAbsent // a place for a node the autoscaler may create
)

type rollout struct {
	p          *poolSim
	w          work
	todo       []int32 // node indexes in runner.nodes
	ids        []int32 // the ids of those nodes, when the pool autoscales
	next       int
	batch      int // nodes per batch
	size       int // the pool's nodes when it started, which surge and unavailability are of
	inBatch    int // nodes of the current batch still in flight
	surge      int
	surgeStart sim.Time
	surgeReady bool
	blocked    int // nodes whose drain hit the timeout
	quarantine int // blocked nodes quarantined (Cordon)
	retained   int // surge nodes kept for quarantined nodes
	maxBlocked int
	stop       bool // start no more nodes
	ready      surgeReady
}

type surgeReady struct{ ro *rollout }

// nodeStep advances node i's rollout or reboot.
type nodeStep struct {
	r *runner
	i int32
}

// nodes returns the pool's places: its nodes and, when it autoscales,
// places without one (stAbsent).
func (p *poolSim) nodes() []node { return p.cl.r.nodes[p.first : p.first+p.slots] }

func (p *poolSim) minCuts() (user, kernel sim.Time) {
	user, kernel = maxTime, maxTime
	for i := range p.nodes() {
		n := &p.nodes()[i]
		if n.state == stQuarantined || n.state == stAbsent {
			continue
		}
		user, kernel = min(user, n.user), min(kernel, n.kernel)
	}
	return user, kernel
}

// livePatch applies a SecurityPatch snapshot in place: each node within
// liveSpread, no drain.
func (p *poolSim) livePatch(w work) {
	r := p.cl.r
	now := r.now()
	p.patchUntil = now.Add(liveSpread)
	p.moveBoot(w.user, noKernel)
	for i := range p.nodes() {
		n := &p.nodes()[i]
		if n.state == stQuarantined || n.state == stAbsent || n.user >= w.user {
			continue
		}
		d := time.Duration(p.rng.patch.Int64N(int64(liveSpread)))
		if r.patches == nil {
			r.patches = make([]livePatchStep, len(r.nodes))
		}
		s := &r.patches[p.first+i]
		if s.pending {
			s = new(livePatchStep) // the node's last live patch is still in flight
		}
		*s = livePatchStep{r: r, i: int32(p.first + i), user: w.user, src: w.src, pending: true}
		r.schedule(now.Add(d), s)
	}
}

// livePatchStep applies a live patch to node i; each node has one, reused
// from patch to patch.
type livePatchStep struct {
	r       *runner
	i       int32
	pending bool // scheduled and not yet run
	user    sim.Time
	src     source
}

func (s *livePatchStep) Handle(*sim.Engine) error {
	s.pending = false
	r := s.r
	n := &r.nodes[s.i]
	now := r.now()
	if n.state != stAbsent && n.user < s.user {
		r.rec.change(&n.cuts, n.os, s.i, now, s.user, n.kernel, s.src)
		r.dis.LivePatches++
		r.trace(n, ActLivePatch, now, now)
	}
	return nil
}

func (p *poolSim) startRollout(w work) {
	r := p.cl.r
	now := r.now()
	ro := &rollout{p: p, w: w}
	ro.ready.ro = ro
	for i := range p.nodes() {
		n := &p.nodes()[i]
		if n.state == stQuarantined || n.state != stReady {
			continue
		}
		if w.all || n.user < w.user || n.kernel < w.kernel {
			if ro.todo == nil {
				ro.todo = make([]int32, 0, p.slots-i)
			}
			ro.todo = append(ro.todo, int32(p.first+i))
			if p.scale != nil {
				ro.ids = append(ro.ids, n.id)
			}
		}
	}
	if len(ro.todo) == 0 {
		p.cl.poolDone(succeeded)
		return
	}
	u := p.cfg.Upgrade
	ro.size = p.size
	ro.surge = min(u.MaxSurge.Resolve(ro.size), len(ro.todo))
	unav := min(u.MaxUnavailable.Resolve(ro.size), len(ro.todo))
	ro.batch = ro.surge + unav
	ro.maxBlocked = u.MaxBlockedNodes.Resolve(ro.size)
	if p.cl.cfg.Policy.Refuse24h && p.estimate(len(ro.todo), ro.batch) > 24*time.Hour {
		r.dis.Refused++
		p.cl.poolDone(failed)
		return
	}
	// The operation updates the pool's scale set model first: its surge
	// nodes, and any node created from now on, boot the target.
	p.moveBoot(w.user, w.kernel)
	ro.surgeStart = now
	p.ro = ro
	if ro.surge == 0 {
		ro.startBatch()
		return
	}
	p.allocate(ro.surge)
	var ready time.Duration
	for range ro.surge {
		ready = max(ready, p.cfg.Durations.Provision.Sample(p.rng.provision))
	}
	r.schedule(now.Add(ready), &ro.ready)
}

// estimate is the expected duration of a rollout of todo nodes in batches.
func (p *poolSim) estimate(todo, batch int) time.Duration {
	d := p.cfg.Durations
	per := d.Drain.Mean() + p.cfg.Upgrade.NodeSoak + d.Reimage.Mean()
	batches := (todo + batch - 1) / batch
	return d.Provision.Mean() + time.Duration(batches)*per
}

// Handle: the surge nodes are ready.
func (s *surgeReady) Handle(*sim.Engine) error {
	ro := s.ro
	ro.p.surge += ro.surge
	ro.surgeReady = true
	ro.p.observe()
	ro.startBatch()
	return nil
}

func (ro *rollout) startBatch() {
	p := ro.p
	r := p.cl.r
	k := min(ro.batch-ro.quarantine, len(ro.todo)-ro.next)
	if k <= 0 {
		// Every surge node stands in for a quarantined node: nothing can
		// drain ("Cordoned nodes have used all surge nodes", aks.md 4.2).
		ro.stop = true
		ro.finish()
		return
	}
	now := r.now()
	for k > 0 && ro.next < len(ro.todo) {
		i := ro.todo[ro.next]
		ro.next++
		n := &r.nodes[i]
		if n.state != stReady || (ro.ids != nil && n.id != ro.ids[ro.next-1]) {
			// Taken since the rollout began (a kured reboot) or removed by
			// the autoscaler: left for the next operation, or gone.
			continue
		}
		k--
		ro.inBatch++
		n.ro = ro
		n.state = stDraining
		n.since = now
		p.down++
		r.dis.Evictions += uint64(p.cfg.PodsPerNode)
		d := p.cfg.Durations.Drain.Sample(p.rng.drain)
		if p.cfg.PDB.Probability > 0 && p.rng.pdb.Float64() < p.cfg.PDB.Probability {
			d += p.cfg.PDB.Block.Sample(p.rng.pdb)
		}
		if int(n.idx) < len(p.strict) && p.strict[n.idx] {
			d = maxDuration
		}
		if to := p.cfg.Upgrade.DrainTimeout; d > to {
			d = to
			r.schedule(now.Add(d), &blockedStep{r: r, i: i})
			continue
		}
		r.schedule(now.Add(d), &r.steps[i])
	}
	p.observe()
	if ro.inBatch == 0 {
		ro.finish()
	}
}

// blockedStep is a drain that reached the drain timeout.
type blockedStep struct {
	r *runner
	i int32
}

func (s *blockedStep) Handle(*sim.Engine) error {
	r := s.r
	n := &r.nodes[s.i]
	ro, p := n.ro, n.pool
	now := r.now()
	r.dis.BlockedDrains++
	p.stats.BlockedDrains++
	r.trace(n, ActBlocked, n.since, now)
	switch p.cfg.Upgrade.Undrainable {
	case UndrainableCordon:
		// Quarantine: the node stays cordoned on its old content; one
		// surge node is retained in its place and the rollout goes on
		// while blocked nodes stay within maxBlockedNodes (aks.md section
		// 4.1).
		n.state = stQuarantined
		r.dis.Quarantined++
		p.stats.Quarantined++
		ro.blocked++
		ro.quarantine++
		retained := ro.quarantine <= ro.surge
		if retained {
			ro.retained++
		}
		if ro.quarantine > ro.maxBlocked {
			ro.stop = true
		}
		r.schedule(now.Add(p.cfg.Durations.QuarantineCleanup), &cleanupStep{r: r, i: s.i, since: now, user: ro.w.user, kernel: ro.w.kernel, src: ro.w.src, retained: retained})
	default:
		// Schedule: the node is made schedulable on its old content and is
		// not upgraded; the rollout goes on with the other nodes and the
		// operation ends failed (API text of undrainableNodeBehavior,
		// aks.md section 4.1; the docs' "the upgrade operation stops" is
		// the older wording, section 9).
		ro.blocked++
		n.state = stReady
		p.down--
		r.dis.NodeHoursUnavailable += hours(now.Sub(n.since))
	}
	p.observe()
	ro.nodeDone()
	return nil
}

// cleanupStep is the operator deleting a quarantined node: the retained
// surge node, which runs the rollout's target, takes its place.
type cleanupStep struct {
	r            *runner
	i            int32
	since        sim.Time
	user, kernel sim.Time
	src          source
	retained     bool // a surge node stood in for the node
}

func (s *cleanupStep) Handle(*sim.Engine) error {
	r := s.r
	n := &r.nodes[s.i]
	p := n.pool
	now := r.now()
	r.trace(n, ActQuarantine, s.since, now)
	r.dis.NodeHoursUnavailable += hours(now.Sub(n.since))
	r.rec.change(&n.cuts, n.os, s.i, now, s.user, s.kernel, s.src)
	n.installedKernel = s.kernel
	n.state = stReady
	p.down--
	if s.retained {
		// The retained surge node becomes a regular pool member.
		p.surge--
		p.allocate(-1)
	}
	p.observe()
	return nil
}

// Handle advances a node through drain, soak, reimage or reboot.
func (s *nodeStep) Handle(*sim.Engine) error {
	r := s.r
	n := &r.nodes[s.i]
	p := n.pool
	now := r.now()
	switch n.state {
	case stDraining:
		r.trace(n, ActDrain, n.since, now)
		if soak := p.cfg.Upgrade.NodeSoak; soak > 0 {
			n.state = stSoaking
			r.trace(n, ActSoak, now, now.Add(soak))
			r.schedule(now.Add(soak), s)
			return nil
		}
		fallthrough
	case stSoaking:
		n.state = stReimaging
		d := p.cfg.Durations.Reimage.Sample(p.rng.reimage)
		r.trace(n, ActReimage, now, now.Add(d))
		r.schedule(now.Add(d), s)
	case stReimaging:
		ro := n.ro
		r.rec.change(&n.cuts, n.os, s.i, now, ro.w.user, ro.w.kernel, ro.w.src)
		n.installedKernel = ro.w.kernel
		n.pendingReboot = false
		r.dis.Reimages++
		p.stats.Reimages++
		r.dis.NodeHoursUnavailable += hours(now.Sub(n.since))
		n.state = stReady
		p.down--
		p.observe()
		ro.nodeDone()
	case stRebootDrain:
		n.state = stRebooting
		d := p.cl.kured.cfg.Reboot.Sample(p.rng.reboot)
		r.schedule(now.Add(d), s)
	case stRebooting:
		// The archive's kernel, from the start of the reboot's drain.
		r.rec.change(&n.cuts, n.os, s.i, now, n.user, n.installedKernel, source{start: n.since})
		n.pendingReboot = false
		r.dis.Reboots++
		r.dis.NodeHoursUnavailable += hours(now.Sub(n.since))
		r.trace(n, ActReboot, n.since, now)
		n.state = stReady
		p.down--
		p.rebooting--
		p.observe()
		p.cl.kured.done()
	}
	return nil
}

func (ro *rollout) nodeDone() {
	ro.inBatch--
	if ro.inBatch > 0 {
		return
	}
	if ro.stop || ro.next >= len(ro.todo) {
		ro.finish()
		return
	}
	ro.startBatch()
}

// finish removes the surge nodes not retained for quarantined nodes.
func (ro *rollout) finish() {
	p := ro.p
	r := p.cl.r
	now := r.now()
	p.ro = nil
	if ro.surge > 0 {
		if r.cfg.Trace {
			r.actions = append(r.actions, Action{Cluster: p.cl.cfg.Name, Pool: p.cfg.Name, Node: -1, Kind: ActSurge, Start: r.at(ro.surgeStart), End: r.at(now)})
		}
		// Surge nodes go, except those retained for quarantined nodes.
		gone := ro.surge - ro.retained
		if ro.surgeReady {
			p.surge -= gone
		}
		p.allocate(-gone)
	}
	p.observe()
	p.cl.poolDone(ro.end())
}

// outcome is how a pool operation ends, as the AKS API reports it.
type outcome uint8

const (
	succeeded outcome = iota
	failed
	canceled
)

// end returns the rollout's outcome: failed when any node was blocked,
// canceled when under Cordon the blocked nodes outnumbered the surge nodes
// that could replace them (undrainableNodeBehavior, aks.md section 4.1).
func (ro *rollout) end() outcome {
	switch {
	case ro.blocked == 0 && !ro.stop:
		return succeeded
	case ro.quarantine > ro.surge:
		return canceled
	}
	return failed
}

// allocate changes the surge nodes allocated to the pool by d, charging
// the surge node-hours since the last change.
func (p *poolSim) allocate(d int) {
	r := p.cl.r
	now := r.now()
	r.dis.SurgeNodeHours += float64(p.alloc) * hours(now.Sub(p.allocSince))
	p.alloc += d
	p.allocSince = now
}

// observe records the pool's available share (none of a pool whose nodes
// all expired).
func (p *poolSim) observe() {
	if p.size == 0 {
		return
	}
	avail := p.size - p.down + p.surge
	if s := float64(avail) / float64(p.size); s < p.cl.r.dis.MinAvailableShare {
		p.cl.r.dis.MinAvailableShare = s
	}
}

// trace records node n's action k from start to end, when the run is
// traced (small, so that it inlines where tracing is off).
func (r *runner) trace(n *node, k ActionKind, start, end sim.Time) {
	if r.cfg.Trace {
		r.appendAction(n, k, start, end)
	}
}

func (r *runner) appendAction(n *node, k ActionKind, start, end sim.Time) {
	r.actions = append(r.actions, Action{Cluster: n.pool.cl.cfg.Name, Pool: n.pool.cfg.Name, Node: int(n.idx), Kind: k, Start: r.at(start), End: r.at(end)})
}
