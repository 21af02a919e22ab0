package fleet

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
	"github.com/patchsim/patchsim/window"
)

// Run simulates cfg and returns what it measured. It returns cfg.Validate's
// errors before doing anything, and otherwise only errors of the engine.
// The same cfg always gives a deeply equal Result.
func Run(cfg Config) (*Result, error) {
	r, err := newRunner(cfg)
	if err != nil {
		return nil, err
	}
	return r.run()
}

// liveSpread is the time within which every node applies a SecurityPatch
// live patch once the window opens: the node's snapshot-update timer fires
// every 10 minutes (aks.md section 1.2).
const liveSpread = 10 * time.Minute

const maxDuration = time.Duration(1<<63 - 1)

// opKind is the kind of work a cluster gate starts.
type opKind uint8

const (
	opNodeOS  opKind = iota // node OS channel work (aksManagedNodeOSUpgradeSchedule)
	opUpgrade               // Kubernetes upgrades (aksManagedAutoUpgradeSchedule)
	numOpKinds
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
)

type node struct {
	cuts
	os              channel.OS
	state           nodeState
	pendingReboot   bool  // Unmanaged: an installed kernel waits for a reboot
	installedKernel int64 // Unmanaged: cut of the newest kernel on disk
	since           int64 // when the node last became unavailable
	pool            *poolSim
	idx             int32  // index in the pool
	key             string // name for hashed per-node timing
	kuredPhase      int64  // offset of the node's kured check within the period
	ro              *rollout
}

type runner struct {
	cfg     Config
	eng     *sim.Engine
	up      *channel.Upstream
	start   time.Time
	horizon int64
	rec     *recorder
	nodes   []node
	steps   []nodeStep

	clusters []*clusterSim
	dis      Disruption
	actions  []Action
	remeds   []remediation
	warnings map[string]bool

	events uint64 // events run

	// afterEvent, when set (tests), runs after every event.
	afterEvent func() error
}

type clusterSim struct {
	r      *runner
	cfg    *Cluster
	nodeOS channel.NodeOSChannel
	pol    [2]channel.Policy // by OS
	pools  []*poolSim
	gates  [numOpKinds]*gate
	busy   bool
	op     *operation
	k8s    int  // index of the Kubernetes release the cluster runs; -1 none
	rerun  bool // a channel change asks for a rolling reimage of every pool
	kured  *kuredSim
	rng    *rand.Rand // cluster-level timing (cadence phase)
}

type poolSim struct {
	cl         *clusterSim
	cfg        Pool    // defaults applied
	first      int     // index of the pool's first node in runner.nodes
	surge      int     // surge nodes ready (schedulable)
	alloc      int     // surge nodes requested and not yet removed
	allocSince int64   // last change of alloc, for surge node-hours
	down       int     // pool nodes not schedulable
	rebooting  int     // pool nodes in a kured reboot
	patchUntil int64   // live patches in flight until then
	strict     []bool  // by node index: drains never complete (PDB.Strict)
	night      nightly // Unmanaged nightly installs
	rng        struct{ provision, drain, pdb, reimage, patch, reboot *rand.Rand }
}

// gate is a cluster's window for one kind of work.
type gate struct {
	c       *clusterSim
	kind    opKind
	sched   window.Schedule
	real    bool  // a configured maintenance window, not AKS's own cadence
	winEnd  int64 // end of the window last opened
	passes  int   // operations started in that window
	wanted  bool  // work was requested while the cluster was busy
	catchUp bool  // a catch-up is due
	retry   retryStep
	look    lookStep
}

type retryStep struct{ g *gate }

// operation is one cluster operation: pools in order.
type operation struct {
	g      *gate
	work   []work
	next   int
	failed bool
	k8s    int // Kubernetes release installed on success; -1 none
}

type work struct {
	pool   *poolSim
	action channel.Action
	user   int64 // target userspace cut
	kernel int64 // target kernel cut
	all    bool  // reimage every node, even nodes already at the target
}

type rollout struct {
	p          *poolSim
	w          work
	todo       []int32 // node indexes in runner.nodes
	next       int
	batch      int // nodes per batch
	inBatch    int // nodes of the current batch still in flight
	surge      int
	surgeStart int64
	surgeReady bool
	blocked    int // nodes whose drain hit the timeout
	retained   int // surge nodes kept for quarantined nodes
	maxBlocked int
	failed     bool
	ready      surgeReady
}

type surgeReady struct{ ro *rollout }

// nodeStep advances node i's rollout or reboot.
type nodeStep struct {
	r *runner
	i int32
}

func newRunner(cfg Config) (*runner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	eng, err := sim.New(sim.Config{Epoch: cfg.Start, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, eng: eng, up: cfg.Upstream, start: cfg.Start, horizon: int64(cfg.Horizon), warnings: map[string]bool{}}
	r.rec = newRecorder(cfg.Upstream, cfg.Start, cfg.Horizon, cfg.Settle, cfg.SLA.withDefaults())
	if cfg.Trace {
		r.rec.trace = &r.remeds
	}
	total := 0
	for _, cl := range cfg.Clusters {
		for _, p := range cl.Pools {
			total += p.Nodes
		}
	}
	r.nodes = make([]node, total)
	r.steps = make([]nodeStep, total)
	r.dis.MinAvailableShare = 1
	next := 0
	for ci := range cfg.Clusters {
		cl := &cfg.Clusters[ci]
		c := &clusterSim{r: r, cfg: cl, nodeOS: cl.NodeOSChannel, k8s: -1,
			rng: sim.Stream(cfg.Seed, "fleet/"+cl.Name+"/cluster")}
		c.resolve()
		if i, ok := r.up.Kubernetes.Latest(cfg.Start, cl.Region); ok {
			c.k8s = i
		}
		for pi := range cl.Pools {
			pc := cl.Pools[pi]
			pc.Upgrade = pc.Upgrade.withDefaults()
			pc.Durations = pc.Durations.withDefaults()
			p := &poolSim{cl: c, cfg: pc, first: next}
			base := "fleet/" + cl.Name + "/" + pc.Name + "/"
			p.rng.provision = sim.Stream(cfg.Seed, base+"provision")
			p.rng.drain = sim.Stream(cfg.Seed, base+"drain")
			p.rng.pdb = sim.Stream(cfg.Seed, base+"pdb")
			p.rng.reimage = sim.Stream(cfg.Seed, base+"reimage")
			p.rng.patch = sim.Stream(cfg.Seed, base+"live-patch")
			p.rng.reboot = sim.Stream(cfg.Seed, base+"reboot")
			p.strict = make([]bool, pc.Nodes)
			for _, j := range pc.PDB.Strict {
				p.strict[j] = true
			}
			c.pools = append(c.pools, p)
			user, kernel := c.initialCuts(pc)
			for j := 0; j < pc.Nodes; j++ {
				n := &r.nodes[next]
				if len(pc.InitialNodes) > 0 {
					user, kernel = r.stateCuts(pc.InitialNodes[j])
				}
				n.os, n.pool, n.idx = pc.OS, p, int32(j)
				n.key = base + fmt.Sprint(j)
				n.installedKernel = kernel
				r.rec.init(&n.cuts, pc.OS, 0, user, kernel)
				r.steps[next] = nodeStep{r: r, i: int32(next)}
				next++
			}
		}
		for k := opKind(0); k < numOpKinds; k++ {
			c.gates[k] = c.newGate(k)
		}
		if cl.Kured != nil {
			c.kured = newKured(c, *cl.Kured)
		}
		r.clusters = append(r.clusters, c)
	}
	return r, nil
}

// resolve recomputes the cluster's per-OS policies for its current channel.
func (c *clusterSim) resolve() {
	for _, os := range []channel.OS{channel.Linux, channel.Windows} {
		p, warnings, err := c.cfg.policy(os, c.nodeOS)
		if err != nil {
			// Validate rejected every combination a pool uses; an OS without
			// pools may be invalid and is never consulted.
			continue
		}
		c.pol[os] = p
		if c.hasOS(os) {
			for _, w := range warnings {
				c.r.warnings[w] = true
			}
		}
	}
}

func (c *clusterSim) hasOS(os channel.OS) bool {
	for _, p := range c.cfg.Pools {
		if p.OS == os {
			return true
		}
	}
	return false
}

// initialCuts returns the cuts a pool's nodes start with: the configured
// state, else the newest content of the pool's feed available at Start.
func (c *clusterSim) initialCuts(p Pool) (user, kernel int64) {
	if !p.Initial.Userspace.IsZero() {
		return c.r.stateCuts(p.Initial)
	}
	cut := c.newest(p.OS, c.pol[p.OS].Feed, 0)
	return cut, cut
}

// newest returns the cut of the newest release that a node of os on feed
// would be reimaged to at instant t: the newest node image (Windows image
// for Windows), or for SecurityPatch the newer of that and the newest
// snapshot. With nothing available it returns t - 30 days, a node built a
// month ago (ASSUMPTION; supply an Upstream that starts earlier).
func (c *clusterSim) newest(os channel.OS, feed channel.Feed, t int64) int64 {
	at := c.r.start.Add(time.Duration(t))
	s := &c.r.up.NodeImages
	if os == channel.Windows {
		s = &c.r.up.WindowsImages
	}
	cut := t - int64(30*24*time.Hour)
	if i, ok := s.Latest(at, c.cfg.Region); ok {
		cut = c.r.cut(s.Releases[i])
	}
	if feed == channel.FeedSecurityPatches {
		sp := &c.r.up.SecurityPatches
		if i, ok := sp.Latest(at, c.cfg.Region); ok {
			cut = max(cut, c.r.cut(sp.Releases[i]))
		}
	}
	return cut
}

// stateCuts converts a configured node state to recorder cuts.
func (r *runner) stateCuts(s NodeState) (user, kernel int64) {
	user = int64(s.Userspace.Sub(r.start))
	kernel = user
	if !s.Kernel.IsZero() {
		kernel = int64(s.Kernel.Sub(r.start))
	}
	return user, kernel
}

func (r *runner) cut(rel channel.Release) int64 { return int64(rel.Cut.Sub(r.start)) }

func (r *runner) now() int64 { return int64(r.eng.Now().Sub(r.start)) }

func (r *runner) at(t int64) time.Time { return r.start.Add(time.Duration(t)) }

func (r *runner) schedule(t int64, h sim.Handler) sim.Event {
	return r.eng.At(r.at(t), h)
}

func (r *runner) run() (*Result, error) {
	for _, c := range r.clusters {
		for _, g := range c.gates {
			g.arm(0)
		}
		for i, ch := range c.cfg.ChannelChanges {
			delay := ch.Delay
			if delay == 0 {
				delay = channel.MaxChangeDelay
			}
			eff := channel.ChangeEffective(r.cfg.Seed, c.cfg.Name, ch.At, delay)
			r.eng.At(eff, &changeStep{c: c, i: i})
		}
		c.startNightly()
	}
	end := r.at(r.horizon)
	for {
		t, ok := r.eng.Peek()
		if !ok || t.After(end) {
			break
		}
		if _, err := r.eng.Step(); err != nil {
			return nil, err
		}
		r.events++
		if r.afterEvent != nil {
			if err := r.afterEvent(); err != nil {
				return nil, fmt.Errorf("fleet: invariant after event at %s: %w", r.eng.Now().Format(time.RFC3339), err)
			}
		}
	}
	return r.result(), nil
}

// --- gates and operations ---

func (c *clusterSim) newGate(k opKind) *gate {
	g := &gate{c: c, kind: k}
	g.retry.g, g.look.g = g, g
	var s window.Schedule
	switch k {
	case opNodeOS:
		s = c.cfg.Windows.NodeOS
	case opUpgrade:
		s = c.cfg.Windows.AutoUpgrade
	}
	if s != nil {
		g.sched, g.real = s, true
		return g
	}
	period := c.cfg.Policy.NoWindowCadence
	if period == 0 {
		period = 7 * 24 * time.Hour
	}
	phase := time.Duration(c.rng.Int64N(int64(period)))
	g.sched = cadence{origin: c.r.start.Add(phase - period), period: period}
	return g
}

// arm schedules the gate's next window opening at or after t.
func (g *gate) arm(t int64) {
	r := g.c.r
	if t >= r.horizon {
		return
	}
	iv, ok := g.sched.Next(r.at(t))
	if !ok {
		return
	}
	s := max(int64(iv.Start.Sub(r.start)), t)
	if s >= r.horizon {
		return
	}
	r.schedule(s, g)
}

// Handle opens the window that contains now.
func (g *gate) Handle(e *sim.Engine) error {
	r := g.c.r
	now := r.now()
	iv, ok := g.sched.Next(e.Now())
	if !ok {
		return nil
	}
	g.winEnd = int64(iv.End.Sub(r.start))
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

// watch, with SecondPass, schedules a look at the work when the next
// release of the cluster's node OS feeds reaches its region while the
// window is still open (aks.md section 3.3 item 4).
func (g *gate) watch(now int64) {
	c := g.c
	if g.kind != opNodeOS || !c.cfg.Policy.SecondPass {
		return
	}
	next := maxTime
	for _, s := range c.feedStreams() {
		for i := range s.Releases {
			if t := int64(s.Available(i, c.cfg.Region).Sub(c.r.start)); t > now && t < next {
				next = t
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

// feedStreams returns the release streams the cluster's pools follow now.
func (c *clusterSim) feedStreams() []*channel.Stream {
	var out []*channel.Stream
	seen := map[*channel.Stream]bool{}
	for _, p := range c.pools {
		var s *channel.Stream
		switch c.pol[p.cfg.OS].Feed {
		case channel.FeedNodeImages:
			s = &c.r.up.NodeImages
		case channel.FeedWindowsImages:
			s = &c.r.up.WindowsImages
		case channel.FeedSecurityPatches:
			s = &c.r.up.SecurityPatches
		}
		if s != nil && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func (g *gate) open(now int64) bool { return now < g.winEnd }

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
	if g.open(now) && g.passes > 0 && !c.cfg.Policy.SecondPass && !g.catchUp {
		return
	}
	g.wanted = false
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
	c.op = &operation{g: g, work: ws, k8s: k8s}
	c.nextPool()
}

// nodeOSWork lists the pools with node OS channel work at now.
func (c *clusterSim) nodeOSWork(now int64) []work {
	var ws []work
	for _, p := range c.pools {
		pol := c.pol[p.cfg.OS]
		if c.rerun {
			t := c.newest(p.cfg.OS, pol.Feed, now)
			ws = append(ws, work{pool: p, action: channel.ActionReimage, user: t, kernel: t, all: true})
			continue
		}
		switch pol.Feed {
		case channel.FeedNodeImages, channel.FeedWindowsImages:
			s := &c.r.up.NodeImages
			if pol.Feed == channel.FeedWindowsImages {
				s = &c.r.up.WindowsImages
			}
			i, ok := s.Latest(c.r.at(now), c.cfg.Region)
			if !ok {
				continue
			}
			cut := c.r.cut(s.Releases[i])
			if p.behind(cut, cut) {
				ws = append(ws, work{pool: p, action: channel.ActionReimage, user: cut, kernel: cut})
			}
		case channel.FeedSecurityPatches:
			if now < p.patchUntil {
				continue // the last live patch is still being applied
			}
			s := &c.r.up.SecurityPatches
			i, ok := s.Latest(c.r.at(now), c.cfg.Region)
			if !ok {
				continue
			}
			g := c.r.cut(s.Releases[i])
			minUser, minKernel := p.minCuts()
			if minUser >= g && minKernel >= g {
				continue
			}
			if c.r.kernelBetween(minKernel, g) {
				// A snapshot with a new kernel needs a reimage (aks.md 1.1).
				ws = append(ws, work{pool: p, action: channel.ActionReimage, user: g, kernel: g})
			} else if minUser < g {
				ws = append(ws, work{pool: p, action: channel.ActionLivePatch, user: g})
			}
		}
	}
	return ws
}

// upgradeWork lists the Kubernetes upgrade of every pool when a newer
// Kubernetes release is available: every upgrade reimages the nodes to the
// newest image (aks.md section 1.4).
func (c *clusterSim) upgradeWork(now int64) ([]work, int) {
	if !c.pol[channel.Linux].KubernetesUpgrades && !c.pol[channel.Windows].KubernetesUpgrades {
		return nil, -1
	}
	i, ok := c.r.up.Kubernetes.Latest(c.r.at(now), c.cfg.Region)
	if !ok || i <= c.k8s {
		return nil, -1
	}
	var ws []work
	for _, p := range c.pools {
		t := c.newest(p.cfg.OS, c.pol[p.cfg.OS].Feed, now)
		ws = append(ws, work{pool: p, action: channel.ActionReimage, user: t, kernel: t, all: true})
	}
	return ws, i
}

// kernelBetween reports whether a kernel was released in (lo, hi].
func (r *runner) kernelBetween(lo, hi int64) bool {
	ks := r.up.Kernels
	i := sort.Search(len(ks), func(j int) bool { return int64(ks[j].Sub(r.start)) > lo })
	return i < len(ks) && int64(ks[i].Sub(r.start)) <= hi
}

// nextPool starts the operation's next pool, or ends the operation.
func (c *clusterSim) nextPool() {
	op := c.op
	now := c.r.now()
	if op.failed || op.next >= len(op.work) {
		c.endOp()
		return
	}
	// Later pools wait for the next window (aks.md section 3.3 item 2),
	// unless a catch-up is running.
	if op.next > 0 && op.g.real && !op.g.open(now) && !op.g.catchUp {
		c.endOp()
		return
	}
	w := op.work[op.next]
	op.next++
	c.r.dis.Operations++
	if op.g.real && !op.g.open(now) {
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

func (c *clusterSim) poolDone(failed bool) {
	if failed {
		c.op.failed = true
		c.r.dis.Failed++
	}
	c.nextPool()
}

func (c *clusterSim) endOp() {
	op := c.op
	g := op.g
	c.busy, c.op = false, nil
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
			d = time.Hour
		}
		c.r.eng.After(d, &g.retry)
	}
	for k := opKind(0); k < numOpKinds; k++ {
		o := c.gates[k]
		if !c.busy && (o.wanted || (o.open(c.r.now()) && (o != g || (complete && c.cfg.Policy.SecondPass)))) {
			c.maybeStart(k)
		}
	}
}

// --- pools ---

func (p *poolSim) nodes() []node { return p.cl.r.nodes[p.first : p.first+p.cfg.Nodes] }

// behind reports whether any schedulable node's cuts are older than the
// target.
func (p *poolSim) behind(user, kernel int64) bool {
	for i := range p.nodes() {
		n := &p.nodes()[i]
		if n.state != stQuarantined && (n.user < user || n.kernel < kernel) {
			return true
		}
	}
	return false
}

func (p *poolSim) minCuts() (user, kernel int64) {
	user, kernel = maxTime, maxTime
	for i := range p.nodes() {
		n := &p.nodes()[i]
		if n.state == stQuarantined {
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
	p.patchUntil = now + int64(liveSpread)
	for i := range p.nodes() {
		n := &p.nodes()[i]
		if n.state == stQuarantined || n.user >= w.user {
			continue
		}
		d := int64(p.rng.patch.Int64N(int64(liveSpread)))
		r.schedule(now+d, &livePatchStep{r: r, i: int32(p.first + i), user: w.user})
	}
}

type livePatchStep struct {
	r    *runner
	i    int32
	user int64
}

func (s *livePatchStep) Handle(*sim.Engine) error {
	r := s.r
	n := &r.nodes[s.i]
	now := r.now()
	if n.user < s.user {
		r.rec.change(&n.cuts, n.os, s.i, now, s.user, n.kernel)
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
			ro.todo = append(ro.todo, int32(p.first+i))
		}
	}
	if len(ro.todo) == 0 {
		p.cl.poolDone(false)
		return
	}
	u := p.cfg.Upgrade
	ro.surge = min(u.MaxSurge.Resolve(p.cfg.Nodes), len(ro.todo))
	unav := min(u.MaxUnavailable.Resolve(p.cfg.Nodes), len(ro.todo))
	ro.batch = ro.surge + unav
	ro.maxBlocked = u.MaxBlockedNodes.Resolve(p.cfg.Nodes)
	if p.cl.cfg.Policy.Refuse24h && p.estimate(len(ro.todo), ro.batch) > 24*time.Hour {
		r.dis.Refused++
		p.cl.poolDone(true)
		return
	}
	ro.surgeStart = now
	if ro.surge == 0 {
		ro.startBatch()
		return
	}
	p.allocate(ro.surge)
	var ready time.Duration
	for range ro.surge {
		ready = max(ready, p.cfg.Durations.Provision.Sample(p.rng.provision))
	}
	r.schedule(now+int64(ready), &ro.ready)
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
	k := min(ro.batch-ro.blocked, len(ro.todo)-ro.next)
	if k <= 0 {
		// Every surge node stands in for a quarantined node: nothing can
		// drain ("Cordoned nodes have used all surge nodes", aks.md 4.2).
		ro.failed = true
		ro.finish()
		return
	}
	now := r.now()
	for range k {
		i := ro.todo[ro.next]
		ro.next++
		ro.inBatch++
		n := &r.nodes[i]
		n.ro = ro
		n.state = stDraining
		n.since = now
		p.down++
		r.dis.Evictions += uint64(p.cfg.PodsPerNode)
		d := p.cfg.Durations.Drain.Sample(p.rng.drain)
		if p.cfg.PDB.Probability > 0 && p.rng.pdb.Float64() < p.cfg.PDB.Probability {
			d += p.cfg.PDB.Block.Sample(p.rng.pdb)
		}
		if p.strict[n.idx] {
			d = maxDuration
		}
		if to := p.cfg.Upgrade.DrainTimeout; d > to {
			d = to
			r.schedule(now+int64(d), &blockedStep{r: r, i: i})
			continue
		}
		r.schedule(now+int64(d), &r.steps[i])
	}
	p.observe()
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
	r.trace(n, ActBlocked, n.since, now)
	switch p.cfg.Upgrade.Undrainable {
	case Cordon:
		// Quarantine: the node stays cordoned on its old content; one
		// surge node is retained in its place (aks.md section 4.1).
		n.state = stQuarantined
		r.dis.Quarantined++
		ro.blocked++
		if ro.blocked <= ro.surge {
			ro.retained++
		}
		if ro.blocked > ro.maxBlocked {
			ro.failed = true
		}
		r.schedule(now+int64(p.cfg.Durations.QuarantineCleanup), &cleanupStep{r: r, i: s.i, since: now, user: ro.w.user, kernel: ro.w.kernel, retained: ro.blocked <= ro.surge})
	default:
		// Schedule: the node is made schedulable on its old content and
		// the operation fails.
		n.state = stReady
		p.down--
		r.dis.NodeHoursUnavailable += hours(now - n.since)
		ro.failed = true
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
	since        int64
	user, kernel int64
	retained     bool // a surge node stood in for the node
}

func (s *cleanupStep) Handle(*sim.Engine) error {
	r := s.r
	n := &r.nodes[s.i]
	p := n.pool
	now := r.now()
	r.trace(n, ActQuarantine, s.since, now)
	r.dis.NodeHoursUnavailable += hours(now - n.since)
	r.rec.change(&n.cuts, n.os, s.i, now, s.user, s.kernel)
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
			r.trace(n, ActSoak, now, now+int64(soak))
			r.schedule(now+int64(soak), s)
			return nil
		}
		fallthrough
	case stSoaking:
		n.state = stReimaging
		d := p.cfg.Durations.Reimage.Sample(p.rng.reimage)
		r.trace(n, ActReimage, now, now+int64(d))
		r.schedule(now+int64(d), s)
	case stReimaging:
		ro := n.ro
		r.rec.change(&n.cuts, n.os, s.i, now, ro.w.user, ro.w.kernel)
		n.installedKernel = ro.w.kernel
		n.pendingReboot = false
		r.dis.Reimages++
		r.dis.NodeHoursUnavailable += hours(now - n.since)
		n.state = stReady
		p.down--
		p.observe()
		ro.nodeDone()
	case stRebootDrain:
		n.state = stRebooting
		d := p.cl.kured.cfg.Reboot.Sample(p.rng.reboot)
		r.schedule(now+int64(d), s)
	case stRebooting:
		r.rec.change(&n.cuts, n.os, s.i, now, n.user, n.installedKernel)
		n.pendingReboot = false
		r.dis.Reboots++
		r.dis.NodeHoursUnavailable += hours(now - n.since)
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
	if ro.failed || ro.next >= len(ro.todo) {
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
	p.cl.poolDone(ro.failed)
}

// allocate changes the surge nodes allocated to the pool by d, charging
// the surge node-hours since the last change.
func (p *poolSim) allocate(d int) {
	r := p.cl.r
	now := r.now()
	r.dis.SurgeNodeHours += float64(p.alloc) * hours(now-p.allocSince)
	p.alloc += d
	p.allocSince = now
}

// observe records the pool's available share.
func (p *poolSim) observe() {
	avail := p.cfg.Nodes - p.down + p.surge
	if s := float64(avail) / float64(p.cfg.Nodes); s < p.cl.r.dis.MinAvailableShare {
		p.cl.r.dis.MinAvailableShare = s
	}
}

func hours(ns int64) float64 { return float64(ns) / float64(time.Hour) }

func (r *runner) trace(n *node, k ActionKind, start, end int64) {
	if !r.cfg.Trace {
		return
	}
	r.actions = append(r.actions, Action{Cluster: n.pool.cl.cfg.Name, Pool: n.pool.cfg.Name, Node: int(n.idx), Kind: k, Start: r.at(start), End: r.at(end)})
}

// --- Unmanaged nightly installs ---

func (c *clusterSim) startNightly() {
	now := c.r.now()
	for _, p := range c.pools {
		if c.pol[p.cfg.OS].Feed == channel.FeedArchive && !p.night.active {
			p.night = nightly{p: p, active: true}
			y, m, d := c.r.at(now).UTC().Date()
			p.night.plan(time.Date(y, m, d, 0, 0, 0, 0, time.UTC), now)
		}
	}
}

// nightly runs a pool's Unmanaged nightly installs as one pending event
// that walks each night's installs in time order, rather than one pending
// event per node: the queue stays small and each install runs at its own
// instant, in order with everything else that happens to its node.
type nightly struct {
	p      *poolSim
	active bool
	day    time.Time // the UTC date whose installs queue holds
	queue  []install // tonight's installs, by time
	next   int       // the first of queue still to run
}

type install struct {
	at   int64 // nanoseconds since Start
	node int32 // index in runner.nodes
}

// plan queues the installs of day that fall after instant after, moving
// on to later days until one has any, and schedules the first. Past the
// horizon it stops.
func (n *nightly) plan(day time.Time, after int64) {
	r := n.p.cl.r
	for {
		n.day = day
		n.queue, n.next = n.queue[:0], 0
		for i := range n.p.nodes() {
			nd := &n.p.nodes()[i]
			at := int64(channel.NightlyInstall(r.cfg.Seed, nd.key, day).Sub(r.start))
			if at > after && at < r.horizon {
				n.queue = append(n.queue, install{at: at, node: int32(n.p.first + i)})
			}
		}
		if len(n.queue) > 0 {
			break
		}
		if int64(day.Sub(r.start)) >= r.horizon {
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

// Handle installs the archive's packages on the next node of the night:
// userspace fixes take effect, a new kernel waits for a reboot (aks.md
// section 1.2).
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
		r.rec.change(&nd.cuts, nd.os, in.node, now, now, nd.kernel)
		nd.installedKernel = now
		r.dis.Installs++
		r.trace(nd, ActInstall, now, now)
		if !nd.pendingReboot && r.kernelBetween(nd.kernel, nd.installedKernel) {
			nd.pendingReboot = true
			if c.kured != nil {
				c.kured.wake()
			}
		}
	}
	if n.next < len(n.queue) {
		r.schedule(n.queue[n.next].at, n)
	} else {
		n.plan(n.day.AddDate(0, 0, 1), now)
	}
	return nil
}

// --- channel changes ---

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
	if channel.ChangeReimages(from, ch.To, ch.LegacyAnyChangeReimages) {
		c.rerun = true
	}
	c.startNightly()
	c.maybeStart(opNodeOS)
	return nil
}

// --- result ---

func (r *runner) result() *Result {
	for _, c := range r.clusters {
		for _, p := range c.pools {
			r.dis.SurgeNodeHours += float64(p.alloc) * hours(r.horizon-p.allocSince)
		}
	}
	for i := range r.nodes {
		n := &r.nodes[i]
		if n.state != stReady {
			r.dis.NodeHoursUnavailable += hours(r.horizon - n.since)
		}
		r.rec.finish(&n.cuts, n.os)
	}
	r.rec.close()
	res := &Result{Start: r.start, End: r.at(r.horizon), Nodes: len(r.nodes), Events: r.events, Disruption: r.dis, Actions: r.actions}
	months := float64(r.horizon) / float64(365.25/12*24*float64(time.Hour))
	if res.Nodes > 0 && months > 0 {
		res.Disruption.ReimagesPerNodeMonth = float64(r.dis.Reimages) / float64(res.Nodes) / months
		res.Disruption.RebootsPerNodeMonth = float64(r.dis.Reboots) / float64(res.Nodes) / months
	}
	sla := r.cfg.SLA.withDefaults()
	for _, s := range severities {
		h := r.rec.hist[s]
		res.Exposure[s] = Exposure{
			Severity: s, Pairs: r.rec.pairs[s], Remediated: h.N, Censored: h.NC,
			Mean: h.Mean(), Max: h.Max(),
			P50: h.Quantile(0.50), P90: h.Quantile(0.90), P95: h.Quantile(0.95), P99: h.Quantile(0.99),
			WithinSLA:          h.CDF(sla.For(s)),
			VulnerableNodeDays: r.rec.vulnNs[s] / float64(day),
			Reopened:           r.rec.reopen[s],
			Hist:               h,
		}
	}
	res.PastSLA = r.rec.series(len(r.nodes))
	for _, m := range r.remeds {
		res.Remediations = append(res.Remediations, Remediation{Node: m.node, Severity: m.sev, Class: m.class, Published: r.at(m.pub), At: r.at(m.at)})
	}
	for w := range r.warnings {
		res.Warnings = append(res.Warnings, w)
	}
	sort.Strings(res.Warnings)
	return res
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
