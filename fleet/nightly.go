// Unmanaged nightly installs.

package fleet

import (
	"cmp"
	"slices"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
)

func (c *clusterSim) startNightly() {
	now := c.r.now()
	for _, p := range c.pools {
		if c.pol[p.cfg.OS].Feed == channel.FeedArchive && !p.night.active {
			if now == 0 && !c.r.cfg.Trace && !c.r.nightlyEvents && c.independent() {
				if p.scale == nil {
					p.installAll()
				} else {
					// Each node's nights run in one pass when it goes or
					// at the end (installLife).
					p.night = nightly{p: p, active: true, lazy: true, scheds: make([]channel.Nightly, p.slots)}
					for i := range p.nodes() {
						p.night.scheds[i] = channel.NewNightly(c.r.cfg.Seed, p.nodes()[i].key)
					}
				}
				continue
			}
			p.night = nightly{p: p, active: true}
			y, m, d := c.r.at(now).UTC().Date()
			p.night.plan(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), now)
		}
	}
}

// independent reports whether nothing but the nightly install ever touches
// the cluster's Unmanaged pools: no kured, no channel change, no Kubernetes
// upgrade, no Fleet Manager run (the node OS gate has no work for the
// archive feed). Their nodes
// are then independent of each other and of every event.
func (c *clusterSim) independent() bool {
	return c.kured == nil && len(c.cfg.ChannelChanges) == 0 && !c.member &&
		!c.pol[channel.OSLinux].KubernetesUpgrades && !c.pol[channel.OSWindows].KubernetesUpgrades
}

// installAll runs every nightly install of an independent pool node by
// node, in one pass instead of one event per node-night: each install
// happens at the instant, and does to its node exactly, what the event
// would, and the recorder's sums are exact, so the result is the same to
// the last bit. Traced runs (Config.Trace) keep the events, whose actions
// are listed in time order.
func (p *poolSim) installAll() {
	r := p.cl.r
	origin := r.start.UnixNano()
	const daySec = 24 * 60 * 60
	u := r.start.Unix()
	first := (u - ((u%daySec)+daySec)%daySec) / daySec // the UTC date of Start, in days since 1970
	last := first + ceilDay(r.horizon)                 // no install of a later date falls in the run
	for i := range p.nodes() {
		sched := channel.NewNightly(r.cfg.Seed, p.nodes()[i].key)
		p.installLife(int32(p.first+i), sched, 0, r.horizon, first, last, origin)
	}
}

// installLife runs, in one pass, the nightly installs of node idx (its
// schedule sched) in (from, to) on the UTC dates first to last (days since
// 1970), as installAll does; origin is Start in Unix nanoseconds.
func (p *poolSim) installLife(idx int32, sched channel.Nightly, from, to sim.Time, first, last, origin int64) {
	r := p.cl.r
	nd := &r.nodes[idx]
	for d := first; d <= last; d++ {
		if at := unixOffset(origin, sched.On(d)); at > from && at < to {
			nd.install(r, idx, at)
		}
	}
}

// installUntil runs the nightly installs of node idx of an autoscaled
// independent pool from its creation to t (its removal, or the end), in
// one pass: what the events would do, as installAll.
func (p *poolSim) installUntil(idx int32, t sim.Time) {
	r := p.cl.r
	origin := r.start.UnixNano()
	date := func(t sim.Time) int64 { // the UTC date of t, in days since 1970
		const dayNs = int64(day)
		ns := origin + int64(t)
		return (ns - ((ns%dayNs)+dayNs)%dayNs) / dayNs
	}
	born := r.nodes[idx].cuts.born
	p.installLife(idx, p.night.scheds[int(idx)-p.first], born, t, date(born), date(t), origin)
}

// install installs the archive's packages on node nd (index idx) at t:
// userspace fixes take effect, a new kernel waits for a reboot (aks.md
// section 1.2). It reports whether the node now waits for a reboot it did
// not wait for before.
func (nd *node) install(r *runner, idx int32, t sim.Time) bool {
	r.rec.change(&nd.cuts, nd.os, idx, t, t, nd.kernel, source{start: t})
	nd.installedKernel = r.archiveKernel(t, nd.kernel, &nd.archive)
	r.dis.Installs++
	// A newer kernel than the running one came from the archive: a kernel
	// was released in (kernel, installedKernel].
	if !nd.pendingReboot && len(r.kernels) > 0 && nd.installedKernel > nd.kernel {
		nd.pendingReboot = true
		return true
	}
	return false
}

// nightly runs a pool's Unmanaged nightly installs as one pending event
// that walks each night's installs in time order, rather than one pending
// event per node: the queue stays small and each install runs at its own
// instant, in order with everything else that happens to its node.
type nightly struct {
	p      *poolSim
	active bool
	lazy   bool              // an autoscaled independent pool: installs run by installUntil
	scheds []channel.Nightly // a lazy pool's install schedules, by place in the pool
	day    time.Time         // the UTC date whose installs queue holds
	queue  []install         // tonight's installs, by time
	next   int               // the first of queue still to run
}

type install struct {
	at   sim.Time
	node int32 // index in runner.nodes
}

// plan queues the installs of day that fall after instant after, moving
// on to later days until one has any, and schedules the first. Past the
// horizon it stops.
func (n *nightly) plan(day time.Time, after sim.Time) {
	r := n.p.cl.r
	for {
		n.day = day
		n.queue, n.next = n.queue[:0], 0
		for i := range n.p.nodes() {
			nd := &n.p.nodes()[i]
			at := r.offset(channel.NightlyInstall(r.cfg.Seed, nd.key, day))
			if at > after && at < r.horizon {
				n.queue = append(n.queue, install{at: at, node: int32(n.p.first + i)})
			}
		}
		if len(n.queue) > 0 {
			break
		}
		if r.offset(day) >= r.horizon {
			n.active = false
			return
		}
		day = day.AddDate(0, 0, 1)
	}
	slices.SortFunc(n.queue, func(a, b install) int {
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.node, b.node)
	})
	r.schedule(n.queue[0].at, n)
}

// Handle installs the archive's packages on the next node of the night.
func (n *nightly) Handle(*sim.Engine) error {
	r := n.p.cl.r
	c := n.p.cl
	now := r.now()
	in := n.queue[n.next]
	n.next++
	nd := &r.nodes[in.node]
	if c.pol[nd.os].Feed != channel.FeedArchive {
		n.active = false // the channel changed away from Unmanaged
		return nil
	}
	if nd.state == stReady || nd.state == stQuarantined {
		r.trace(nd, ActInstall, now, now)
		if nd.install(r, in.node, now) && c.kured != nil {
			c.kured.wake()
		}
	}
	if n.next < len(n.queue) {
		r.schedule(n.queue[n.next].at, n)
	} else {
		n.plan(n.day.AddDate(0, 0, 1), now)
	}
	return nil
}
