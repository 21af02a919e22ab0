// Fleet Manager update runs inside the simulation (reference
// fleet-manager.md section 13): triggers, stages, groups, members,
// approvals, waits, the window poll and node image selection.

package fleet

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
	"github.com/patchsim/patchsim/window"
)

// call is an event that runs a function.
type call func()

func (f call) Handle(*sim.Engine) error { f(); return nil }

// manager runs Config.Manager.
type manager struct {
	r       *runner
	cfg     *Manager
	pol     ManagerPolicy
	poll    time.Duration // window poll period; 0 none
	stages  []stageDef
	members []*clusterSim // in strategy order
	runs    []*updateRun
	// waiting lists, per cluster, the groups with a member Pending because
	// the cluster was busy: they are looked at again when it is free.
	waiting map[*clusterSim][]*groupRun
	behind  []float64
}

type stageDef struct {
	cfg    *UpdateStage
	groups []groupDef
}

type groupDef struct {
	cfg     *UpdateGroup
	members []*clusterSim
}

// oneByOne is the strategy of a run without one: every cluster one by one
// (fleet-manager.md section 1).
func oneByOne() *UpdateStrategy {
	return &UpdateStrategy{Stages: []UpdateStage{{Name: "default", Groups: []UpdateGroup{{Name: "default"}}}}}
}

func newManager(r *runner, cfg *Manager) *manager {
	m := &manager{r: r, cfg: cfg, pol: cfg.Policy, waiting: map[*clusterSim][]*groupRun{}}
	if !m.pol.NoWindowPoll {
		m.poll = m.pol.WindowPoll
		if m.poll == 0 {
			m.poll = DefaultWindowPoll
		}
	}
	byName := map[string]*clusterSim{}
	for _, c := range r.clusters {
		byName[c.cfg.Name] = c
	}
	strat := cfg.Strategy
	if strat == nil {
		strat = oneByOne()
	}
	for si := range strat.Stages {
		st := &strat.Stages[si]
		sd := stageDef{cfg: st}
		for gi := range st.Groups {
			g := &st.Groups[gi]
			gd := groupDef{cfg: g}
			if cfg.Strategy == nil {
				if cfg.Members == nil {
					gd.members = r.clusters
				}
				for _, name := range cfg.Members {
					gd.members = append(gd.members, byName[name])
				}
			} else {
				for _, name := range g.Clusters {
					gd.members = append(gd.members, byName[name])
				}
			}
			m.members = append(m.members, gd.members...)
			sd.groups = append(sd.groups, gd)
		}
		m.stages = append(m.stages, sd)
	}
	for _, p := range cfg.Profiles {
		if p.Disabled {
			continue
		}
		for _, c := range m.members {
			c.member = true
		}
	}
	return m
}

// start schedules the profiles' triggers and the daily sample of
// BehindFirstStage.
func (m *manager) start() {
	r := m.r
	for pi := range m.cfg.Profiles {
		p := &m.cfg.Profiles[pi]
		if p.Disabled {
			continue
		}
		s := m.stream(p)
		front := time.Time{}
		for i, rel := range s.Releases {
			if rel.Published.After(front) {
				front = rel.Published
			}
			if !m.follows(p, rel) || front.Before(r.start) {
				// Releases that existed before the start trigger nothing
				// (section 7.3).
				continue
			}
			t := r.offset(front)
			if m.pol.TriggerOn == TriggerAllRegions {
				for _, c := range m.members {
					t = max(t, r.offset(s.Available(i, c.cfg.Region)))
				}
			}
			t = t.Add(m.pol.TriggerLag)
			if t >= r.horizon {
				continue
			}
			r.schedule(t, call(func() { m.create(pi, i) }))
		}
	}
	var sample func()
	sample = func() {
		m.behind = append(m.behind, m.behindShare())
		if t := r.now().Add(day); t < r.horizon {
			r.schedule(t, call(sample))
		}
	}
	r.schedule(0, call(sample))
}

// stream returns the release stream a profile follows.
func (m *manager) stream(p *AutoUpgradeProfile) *channel.Stream {
	if p.Channel.kubernetes() {
		return &m.r.up.Kubernetes
	}
	return &m.r.up.NodeImages
}

// follows reports whether rel is a release of p's channel.
func (m *manager) follows(p *AutoUpgradeProfile, rel channel.Release) bool {
	if p.Channel == ChannelTargetKubernetesVersion {
		return strings.HasPrefix(rel.Version, p.TargetKubernetesVersion+".")
	}
	return true
}

// updateRun is one update run in flight.
type updateRun struct {
	m       *manager
	prof    *AutoUpgradeProfile
	kube    bool
	rel     int // the triggering release in m.stream(prof)
	sel     NodeImageSelection
	picked  map[*channel.Stream]int // Consistent: per image stream; -1 none
	phase   time.Duration           // window poll phase
	rng     *rand.Rand              // approval delays
	stage   int
	stages  []*stageRun
	running int  // members in flight
	stop    bool // start no more members (failed or superseded)
	active  bool // started and not ended
	queued  bool // waiting for older runs (Queue)
	out     *UpdateRun
}

type stageRun struct {
	run     *updateRun
	def     *stageDef
	groups  []*groupRun
	open    int // groups not done
	left    int // members not done
	running int
	max     int
	out     *UpdateStageRun
}

type groupRun struct {
	st      *stageRun
	def     *groupDef
	members []*memberRun
	running int
	max     int
	begun   bool // before-approvals granted
	done    bool
	look    sim.Event // the next scheduled look at the group's members
	lookAt  sim.Time
}

type memberRun struct {
	g   *groupRun
	c   *clusterSim
	out *MemberRun
}

// create is a profile's trigger for release rel.
func (m *manager) create(pi, rel int) {
	r := m.r
	p := &m.cfg.Profiles[pi]
	s := m.stream(p)
	u := &updateRun{m: m, prof: p, kube: p.Channel.kubernetes(), rel: rel, sel: p.NodeImageSelection}
	if u.sel == SelectionDefault {
		u.sel = SelectionRelease
		if u.kube {
			u.sel = SelectionLatest
		}
	}
	key := "fleet/manager/" + p.Name + "/" + s.Releases[rel].Version
	u.rng = sim.Stream(r.cfg.Seed, key+"/approvals")
	if m.poll > 0 {
		u.phase = time.Duration(sim.Stream(r.cfg.Seed, key+"/poll").Int64N(int64(m.poll)))
	}
	u.out = &UpdateRun{Profile: p.Name, Release: s.Releases[rel].Version, Published: s.Releases[rel].Published, Created: r.at(r.now())}
	for si := range m.stages {
		sd := &m.stages[si]
		st := &stageRun{run: u, def: sd, out: &UpdateStageRun{Name: sd.cfg.Name}}
		st.max = sd.cfg.MaxConcurrency
		if st.max <= 0 {
			st.max = MaxStageConcurrency
		}
		for gi := range sd.groups {
			gd := &sd.groups[gi]
			g := &groupRun{st: st, def: gd, max: max(gd.cfg.MaxConcurrency, 1)}
			for _, c := range gd.members {
				mr := &memberRun{g: g, c: c, out: &MemberRun{Cluster: c.cfg.Name, Group: gd.cfg.Name}}
				g.members = append(g.members, mr)
			}
			st.groups = append(st.groups, g)
		}
		u.stages = append(u.stages, st)
	}
	older := false
	for _, o := range m.runs {
		if o.prof != p || !(o.active || o.queued) {
			continue
		}
		switch m.pol.NewerRelease {
		case Supersede:
			if o.queued {
				o.queued = false
				o.out.State = RunStopped
				continue
			}
			o.stop = true
			o.out.State = RunStopped
			o.endIfIdle()
		case Queue:
			older = true
		}
	}
	m.runs = append(m.runs, u)
	if older {
		u.queued = true
		return
	}
	u.begin()
}

// begin starts the run: Consistent picks its versions, then the first
// stage opens.
func (u *updateRun) begin() {
	r := u.m.r
	now := r.now()
	u.queued, u.active = false, true
	u.out.Start = r.at(now)
	u.out.State = RunRunning
	if u.sel == SelectionConsistent {
		u.picked = map[*channel.Stream]int{}
		u.out.Consistent = map[string]string{}
		for _, os := range []channel.OS{channel.OSLinux, channel.OSWindows} {
			s := r.up.Images(os)
			if !u.usesImages(os) {
				continue
			}
			pick := -1
			first := true
			for _, st := range u.stages {
				for _, g := range st.groups {
					for _, mr := range g.members {
						i, ok := mr.c.latest(s, now)
						if !ok {
							i = -1
						}
						if first || i < pick {
							pick, first = i, false
						}
					}
				}
			}
			u.picked[s] = pick
			v := ""
			if pick >= 0 {
				v = s.Releases[pick].Version
			}
			u.out.Consistent[s.Name] = v
		}
	}
	u.openStage(0)
}

// usesImages reports whether a member of the run has a pool of os.
func (u *updateRun) usesImages(os channel.OS) bool {
	for _, st := range u.stages {
		for _, g := range st.groups {
			for _, mr := range g.members {
				if mr.c.hasOS(os) {
					return true
				}
			}
		}
	}
	return false
}

// grant returns when n approval gates reached at t are all granted:
// each after ApprovalDelay, at the first moment inside ApprovalWindow
// (fleet-manager.md section 12 item 6).
func (u *updateRun) grant(t sim.Time, n int) sim.Time {
	r := u.m.r
	end := t
	for range n {
		g := t.Add(u.m.pol.ApprovalDelay.Sample(u.rng))
		if w := u.m.pol.ApprovalWindow; w != nil {
			iv, ok := w.Next(r.at(g))
			if !ok {
				return maxTime
			}
			g = max(g, r.offset(iv.Start))
		}
		end = max(end, g)
	}
	return end
}

// gates returns when the before-gates reached at t complete: n approvals
// (grant) and the scheduled starts ss.
func (u *updateRun) gates(t sim.Time, n int, ss []ScheduledStart) sim.Time {
	r := u.m.r
	end := u.grant(t, n)
	for _, s := range ss {
		end = max(end, r.offset(s.next(r.at(t))))
	}
	return end
}

// at runs f at t, now if t is now, never if t is past the horizon.
func (u *updateRun) at(t sim.Time, f func()) {
	r := u.m.r
	if t >= r.horizon && t > r.now() {
		return
	}
	if t <= r.now() {
		f()
		return
	}
	r.schedule(t, call(f))
}

func (u *updateRun) openStage(k int) {
	r := u.m.r
	u.stage = k
	st := u.stages[k]
	now := r.now()
	st.out.Start = r.at(now)
	st.open = len(st.groups)
	for _, g := range st.groups {
		st.left += len(g.members)
	}
	st.noteDone() // a stage without members is done at once
	u.at(u.gates(now, len(st.def.cfg.BeforeApprovals), st.def.cfg.ScheduledStarts), func() {
		for _, g := range st.groups {
			u.at(u.gates(r.now(), len(g.def.cfg.BeforeApprovals), g.def.cfg.ScheduledStarts), func() {
				g.begun = true
				for _, mr := range g.members {
					mr.out.Reached = r.at(r.now())
				}
				g.pick()
			})
		}
	})
}

// pick starts the group's next members, as many as its and the stage's
// maxConcurrency allow, by window class (section 2.3): the first member in
// listed order that can start inside an open window, else the first that
// can start without one. When none can, it schedules a look at the
// Pending ones for when they could start; a member's end picks again.
func (g *groupRun) pick() {
	u := g.st.run
	now := u.m.r.now()
	if !g.begun || g.done {
		return
	}
	next := maxTime
	for !u.stop && g.running < g.max && g.st.running < g.st.max {
		var best *memberRun
		for _, mr := range g.members {
			s := mr.out.State
			if s != MemberNotStarted && s != MemberPending {
				continue
			}
			ok, open, again := mr.ready(now)
			if !ok {
				next = min(next, again)
				continue
			}
			if mr.out.State == MemberSkipped {
				continue
			}
			if open {
				best = mr
				break
			}
			if best == nil {
				best = mr
			}
		}
		if best == nil {
			break
		}
		best.begin()
	}
	g.maybeDone()
	if next < maxTime && !g.done && !u.stop {
		g.lookAtPoll(next)
	}
}

// lookAtPoll schedules a look at the group at the first poll at or after
// t (fleet-manager.md section 12 item 3), unless one is due earlier.
func (g *groupRun) lookAtPoll(t sim.Time) {
	r := g.st.run.m.r
	t = g.st.run.pollAt(t)
	if t >= r.horizon {
		return
	}
	if g.look != (sim.Event{}) && g.lookAt > r.now() && g.lookAt <= t {
		return
	}
	r.eng.Cancel(g.look)
	g.lookAt = t
	g.look = r.schedule(t, call(func() { g.look = sim.Event{}; g.pick() }))
}

// pollAt returns the first window poll at or after t: the run's poll
// instants are its phase plus multiples of the period from Start.
func (u *updateRun) pollAt(t sim.Time) sim.Time {
	p := u.m.poll
	if p == 0 || t == maxTime {
		return t
	}
	first := sim.Time(0).Add(u.phase)
	if t <= first {
		return first
	}
	k := (t.Sub(first) + p - 1) / p
	return first.Add(k * p)
}

// ready reports whether the member can start now; if it cannot, it marks
// it Pending (or Skipped, when it is already at or ahead of the target)
// and returns when it might (maxTime: only when something else changes).
// open reports a member inside an open window, picked before members with
// none.
func (mr *memberRun) ready(now sim.Time) (ok, open bool, again sim.Time) {
	c := mr.c
	u := mr.g.st.run
	r := u.m.r
	if u.kube {
		s := &r.up.Kubernetes
		if c.k8s >= u.rel {
			mr.skip()
			return true, false, 0
		}
		if t := r.offset(s.Available(u.rel, c.cfg.Region)); t > now {
			mr.pending(PendingRegion)
			return false, false, t
		}
	} else {
		ws, _, wait := mr.work(now)
		if wait > now {
			mr.pending(PendingRegion)
			return false, false, wait
		}
		if len(ws) == 0 {
			mr.skip()
			return true, false, 0
		}
	}
	sched := mr.window()
	if sched != nil {
		if !window.Open(sched, r.at(now)) {
			mr.pending(PendingWindow)
			return false, false, u.nextChance(sched, now)
		}
		open = true
	}
	if c.busy {
		mr.pending(PendingBusy)
		u.m.waitFor(c, mr.g)
		return false, false, maxTime
	}
	return true, open, 0
}

// nextChance returns the first window poll inside a window of sched at or
// after t (maxTime if none within the run).
func (u *updateRun) nextChance(sched window.Schedule, t sim.Time) sim.Time {
	r := u.m.r
	for t < r.horizon {
		iv, ok := sched.Next(r.at(t))
		if !ok {
			return maxTime
		}
		s := max(t, r.offset(iv.Start))
		p := u.pollAt(s)
		if p < r.offset(iv.End) {
			return p
		}
		t = r.offset(iv.End)
	}
	return maxTime
}

// window returns the member's maintenance window that gates the run: the
// auto-upgrade window for Kubernetes runs, the node OS window for node
// image runs (fleet-manager.md section 8.1); nil if it has none.
func (mr *memberRun) window() window.Schedule {
	if mr.g.st.run.kube {
		return mr.c.cfg.Maintenance.AutoUpgrade
	}
	return mr.c.cfg.Maintenance.NodeOS
}

func (mr *memberRun) pending(why PendingReason) {
	if mr.out.State != MemberPending || mr.out.Reason != why {
		mr.out.Pending++
	}
	mr.out.State, mr.out.Reason = MemberPending, why
}

func (mr *memberRun) skip() {
	mr.out.State = MemberSkipped
	mr.out.End = mr.g.st.run.m.r.at(mr.g.st.run.m.r.now())
	mr.g.st.left--
	mr.g.st.noteDone()
}

// target returns the release of image stream s that the member's pools of
// that stream get at now, -1 for none, and when that release reaches the
// member's region.
func (mr *memberRun) target(s *channel.Stream, now sim.Time) (int, sim.Time) {
	u := mr.g.st.run
	r := u.m.r
	region := mr.c.cfg.Region
	switch {
	case u.sel == SelectionConsistent:
		return u.picked[s], 0
	case u.sel == SelectionRelease && !u.kube && s == &r.up.NodeImages:
		return u.rel, r.offset(s.Available(u.rel, region))
	}
	i, ok := mr.c.latest(s, now)
	if !ok {
		return -1, 0
	}
	return i, 0
}

// work lists the member's pool upgrades at now and the version of their
// target (a Linux pool's if any), or, when a target has not reached the
// member's region yet, when it will (else 0). Node image runs leave pools
// at or ahead of the target alone (section 5.3); Kubernetes runs reimage
// every pool.
func (mr *memberRun) work(now sim.Time) ([]work, string, sim.Time) {
	c := mr.c
	u := mr.g.st.run
	r := u.m.r
	var ws []work
	target := ""
	linux := false
	for _, p := range c.pools {
		s := r.up.Images(p.cfg.OS)
		i, avail := mr.target(s, now)
		if i < 0 {
			continue
		}
		rel := s.Releases[i]
		cut, kernel := r.cut(rel), r.kernelCut(rel)
		src := source{feed: c.feed(s)}
		ahead := false
		if mu, mk := p.minCuts(); mu >= cut && mk >= kernel {
			ahead = true
		}
		if u.kube {
			// A Kubernetes upgrade reimages every node; a pool already at
			// or ahead of the run's image gets the newest in its region,
			// as the cluster's own upgrade would (ASSUMPTION).
			if ahead {
				var from *channel.Stream
				cut, kernel, from = c.newest(p.cfg.OS, c.pol[p.cfg.OS].Feed, now)
				src.feed = c.feed(from)
			}
			ws = append(ws, work{pool: p, action: channel.ActionReimage, user: cut, kernel: kernel, all: true, src: src})
			continue
		}
		if ahead {
			continue
		}
		if avail > now {
			return nil, "", avail
		}
		ws = append(ws, work{pool: p, action: channel.ActionReimage, user: cut, kernel: kernel, src: src})
		if target == "" || !linux && p.cfg.OS == channel.OSLinux {
			target, linux = rel.Version, p.cfg.OS == channel.OSLinux
		}
	}
	return ws, target, 0
}

// begin starts the member's upgrade: one operation of the cluster over
// all its pools, which finishes even if the window closes unless
// DeferRemainingPools (fleet-manager.md section 12 item 4).
func (mr *memberRun) begin() {
	c := mr.c
	g := mr.g
	u := g.st.run
	r := u.m.r
	now := r.now()
	ws, target, _ := mr.work(now)
	k8s := -1
	kind := opNodeOS
	mr.out.Target = target
	if u.kube {
		k8s, kind = u.rel, opUpgrade
		mr.out.Target = r.up.Kubernetes.Releases[u.rel].Version
	}
	mr.out.State = MemberRunning
	mr.out.Start = r.at(now)
	g.running++
	g.st.running++
	u.running++
	c.busy = true
	c.op = &operation{g: c.gates[kind], work: ws, k8s: k8s, member: mr, start: now}
	c.nextPool()
}

// deferred, under ManagerPolicy.DeferRemainingPools, holds the member's
// later pools once its window has closed: the operation, its cluster still
// busy, resumes at the first window poll inside the member's next window.
func (mr *memberRun) deferred(now sim.Time) bool {
	u := mr.g.st.run
	r := u.m.r
	sched := mr.window()
	if !u.m.pol.DeferRemainingPools || sched == nil || window.Open(sched, r.at(now)) {
		return false
	}
	if t := u.nextChance(sched, now); t < r.horizon {
		r.schedule(t, call(func() {
			mr.c.op.start = r.now()
			mr.c.nextPool()
		}))
	}
	return true
}

// done ends the member's operation: completed, or failed, which stops the
// run (fail-fast, fleet-manager.md section 5.4).
func (mr *memberRun) done(ok bool) {
	g := mr.g
	u := g.st.run
	r := u.m.r
	now := r.now()
	mr.out.End = r.at(now)
	g.running--
	g.st.running--
	u.running--
	if ok {
		mr.out.State = MemberCompleted
		g.st.left--
		g.st.noteDone()
	} else {
		mr.out.State = MemberFailed
		u.stop = true
		u.out.State = RunFailed
	}
	if u.endIfIdle() {
		return
	}
	if u.stop {
		return
	}
	t := now.Add(u.m.pol.StepLatency)
	if t < r.horizon {
		r.schedule(t, call(func() {
			// Every group of the stage may be under the stage's ceiling.
			for _, o := range g.st.groups {
				o.pick()
			}
		}))
	}
}

// noteDone records the stage's Done when its last member is done.
func (st *stageRun) noteDone() {
	if st.left == 0 && st.out.Done.IsZero() {
		st.out.Done = st.run.m.r.at(st.run.m.r.now())
	}
}

// maybeDone ends the group when every member is completed or skipped, after
// its after-approvals; the stage ends with its last group.
func (g *groupRun) maybeDone() {
	if g.done {
		return
	}
	for _, mr := range g.members {
		if s := mr.out.State; s != MemberCompleted && s != MemberSkipped {
			return
		}
	}
	g.done = true
	u := g.st.run
	r := u.m.r
	r.eng.Cancel(g.look)
	u.at(u.grant(r.now(), len(g.def.cfg.AfterApprovals)), func() {
		st := g.st
		st.open--
		if st.open > 0 {
			return
		}
		// The after-stage wait and approvals run at the same time
		// (fleet-manager.md section 3; section 12 item 14); the last
		// stage's wait delays nothing (section 12 item 13).
		now := r.now()
		end := u.grant(now, len(st.def.cfg.AfterApprovals))
		if u.stage+1 < len(u.stages) {
			end = max(end, now.Add(st.def.cfg.AfterStageWait))
		}
		u.at(end, func() {
			if u.stop {
				return // the run ended (failed or stopped)
			}
			st.out.End = r.at(r.now())
			if u.stage+1 < len(u.stages) {
				u.openStage(u.stage + 1)
				return
			}
			u.finish(RunCompleted)
		})
	})
}

// endIfIdle ends a stopped run once its members in flight are done.
func (u *updateRun) endIfIdle() bool {
	if !u.stop || u.running > 0 || !u.active {
		return false
	}
	u.finish(u.out.State)
	return true
}

// finish ends the run in state s; under Queue the next run of the profile
// begins.
func (u *updateRun) finish(s RunState) {
	r := u.m.r
	u.active = false
	u.out.State = s
	u.out.End = r.at(r.now())
	for _, st := range u.stages {
		for _, g := range st.groups {
			r.eng.Cancel(g.look)
		}
	}
	for _, o := range u.m.runs {
		if o.prof == u.prof && o.queued {
			o.begin()
			return
		}
	}
}

// waitFor notes that group g waits for cluster c to be free.
func (m *manager) waitFor(c *clusterSim, g *groupRun) {
	for _, o := range m.waiting[c] {
		if o == g {
			return
		}
	}
	m.waiting[c] = append(m.waiting[c], g)
}

// free is called when cluster c's operation ended: the groups waiting for
// it look again, at the next poll.
func (m *manager) free(c *clusterSim) {
	gs := m.waiting[c]
	if len(gs) == 0 {
		return
	}
	delete(m.waiting, c)
	for _, g := range gs {
		if !g.done && !g.st.run.stop {
			g.lookAtPoll(m.r.now())
		}
	}
}

// level returns the content cut of a member's oldest Linux node (of any
// node when it has no Linux pool).
func level(c *clusterSim) sim.Time {
	lv := maxTime
	linux := c.hasOS(channel.OSLinux)
	for _, p := range c.pools {
		if linux && p.cfg.OS != channel.OSLinux {
			continue
		}
		u, _ := p.minCuts()
		lv = min(lv, u)
	}
	return lv
}

// behindShare is the share of members whose level is below every first
// stage member's.
func (m *manager) behindShare() float64 {
	if len(m.members) == 0 {
		return 0
	}
	first := maxTime
	for _, g := range m.stages[0].groups {
		for _, c := range g.members {
			first = min(first, level(c))
		}
	}
	n := 0
	for _, c := range m.members {
		if level(c) < first {
			n++
		}
	}
	return float64(n) / float64(len(m.members))
}

// result assembles the ManagerResult; pools are the run's PoolResults.
func (m *manager) result(pools []PoolResult) *ManagerResult {
	res := &ManagerResult{BehindFirstStage: m.behind}
	for _, u := range m.runs {
		out := *u.out
		for _, st := range u.stages {
			so := *st.out
			for _, g := range st.groups {
				for _, mr := range g.members {
					so.Members = append(so.Members, *mr.out)
				}
			}
			out.Stages = append(out.Stages, so)
		}
		res.Runs = append(res.Runs, out)
	}
	byCluster := map[string][]PoolResult{}
	for _, p := range pools {
		byCluster[p.Cluster] = append(byCluster[p.Cluster], p)
	}
	for si, sd := range m.stages {
		sr := UpdateStageResult{Name: sd.cfg.Name}
		var sum time.Duration
		through := 0
		for _, u := range res.Runs {
			if u.Stages[si].Done.IsZero() {
				continue
			}
			sr.Completed++
			if last := u.Stages[len(u.Stages)-1].Done; !last.IsZero() {
				// The same runs for every stage, so that no stage is done
				// before the one ahead of it.
				lat := u.Stages[si].Done.Sub(u.Published)
				through++
				sum += lat
				sr.MaxReleaseToDone = max(sr.MaxReleaseToDone, lat)
			}
		}
		if through > 0 {
			sr.MeanReleaseToDone = sum / time.Duration(through)
		}
		for _, g := range sd.groups {
			for _, c := range g.members {
				sr.Members = append(sr.Members, c.cfg.Name)
				mres := MemberResult{Cluster: c.cfg.Name, Stage: sd.cfg.Name}
				for _, p := range byCluster[c.cfg.Name] {
					for s := range p.VulnerableNodeDays {
						mres.VulnerableNodeDays[s] += p.VulnerableNodeDays[s]
						sr.VulnerableNodeDays[s] += p.VulnerableNodeDays[s]
					}
					mres.PastSLANodeDays += p.PastSLANodeDays
					sr.PastSLANodeDays += p.PastSLANodeDays
				}
				res.Members = append(res.Members, mres)
			}
		}
		res.Stages = append(res.Stages, sr)
	}
	return res
}
