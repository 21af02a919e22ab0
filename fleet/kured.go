package fleet

import (
	"time"

	"github.com/patchsim/patchsim/sim"
	"github.com/patchsim/patchsim/window"
)

// kuredSim reboots Unmanaged nodes with a pending kernel, one lock holder
// at a time per cluster (kured's default concurrency 1), each node
// checking every period at its own phase (aks.md section 1.2).
type kuredSim struct {
	c       *clusterSim
	cfg     Kured
	active  int
	ev      sim.Event
	pending bool
	next    int32 // node chosen for the scheduled start
}

func newKured(c *clusterSim, k Kured) *kuredSim {
	def := DefaultKured()
	if k.Period == 0 {
		k.Period = def.Period
	}
	if k.Concurrency == 0 {
		k.Concurrency = def.Concurrency
	}
	if k.Reboot.isZero() {
		k.Reboot = def.Reboot
	}
	ks := &kuredSim{c: c, cfg: k}
	rng := sim.Stream(c.r.cfg.Seed, "fleet/"+c.cfg.Name+"/kured")
	for _, p := range c.pools {
		for i := range p.nodes() {
			p.nodes()[i].kuredPhase = time.Duration(rng.Int64N(int64(k.Period)))
		}
	}
	return ks
}

// wake (re)schedules the next reboot start: the earliest check, by a node
// with a pending reboot, at which the lock is free and the window open.
func (k *kuredSim) wake() {
	r := k.c.r
	if k.active >= k.cfg.Concurrency {
		return
	}
	now := r.now()
	best, who := maxTime, int32(-1)
	for _, p := range k.c.pools {
		for i := range p.nodes() {
			n := &p.nodes()[i]
			if !n.pendingReboot || n.state != stReady {
				continue
			}
			t := k.check(n, now)
			if t < best {
				best, who = t, int32(p.first+i)
			}
		}
	}
	if k.pending {
		r.eng.Cancel(k.ev)
		k.pending = false
	}
	if who < 0 || best >= r.horizon {
		return
	}
	k.next = who
	k.pending = true
	k.ev = r.schedule(best, k)
}

// check returns node n's first check at or after t inside the window.
func (k *kuredSim) check(n *node, t sim.Time) sim.Time {
	period := k.cfg.Period
	// The first instant at or after t that is kuredPhase past a multiple
	// of period from Start.
	next := func(t sim.Time) sim.Time { return t.Add(((n.kuredPhase-time.Duration(t))%period + period) % period) }
	c := next(t)
	if k.cfg.Window == nil {
		return c
	}
	r := k.c.r
	for range 8 {
		iv, ok := k.cfg.Window.Next(r.at(c))
		if !ok {
			return maxTime
		}
		if !iv.Start.After(r.at(c)) {
			return c
		}
		c = next(r.offset(iv.Start))
	}
	return c
}

// Handle starts the reboot of the chosen node: drain, then reboot.
func (k *kuredSim) Handle(*sim.Engine) error {
	k.pending = false
	r := k.c.r
	n := &r.nodes[k.next]
	if !n.pendingReboot || n.state != stReady || k.active >= k.cfg.Concurrency || !k.inWindow(r.now()) {
		k.wake()
		return nil
	}
	p := n.pool
	k.active++
	n.state = stRebootDrain
	n.since = r.now()
	p.down++
	p.rebooting++
	r.dis.Evictions += uint64(p.cfg.PodsPerNode)
	d := p.cfg.Durations.Drain.Sample(p.rng.drain)
	r.schedule(r.now().Add(d), &r.steps[k.next])
	p.observe()
	k.wake()
	return nil
}

func (k *kuredSim) inWindow(t sim.Time) bool {
	return k.cfg.Window == nil || window.Open(k.cfg.Window, k.c.r.at(t))
}

// done releases the lock after a reboot.
func (k *kuredSim) done() {
	k.active--
	k.wake()
}
