package fleet

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
)

// Run simulates cfg and returns what it measured. It returns cfg.Validate's
// errors before doing anything, and otherwise only errors of the engine.
// The same cfg always gives a deeply equal Result.
// To run one configuration many times, validate it once with [Check].
func Run(cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return run(cfg)
}

// run simulates a valid cfg.
func run(cfg Config) (*Result, error) {
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

type node struct {
	cuts
	os              channel.OS
	state           nodeState
	pendingReboot   bool     // Unmanaged: an installed kernel waits for a reboot
	installedKernel sim.Time // Unmanaged: cut of the newest kernel on disk
	archive         int32    // Unmanaged: the first kernel released after the last install
	since           sim.Time // when the node last became unavailable
	pool            *poolSim
	idx             int32         // index in the pool
	key             string        // name for hashed per-node timing
	kuredPhase      time.Duration // offset of the node's kured check within the period
	ro              *rollout
	id              int32 // fleet-wide: Remediation.Node
}

type runner struct {
	cfg     Config
	eng     *sim.Engine
	up      *channel.Upstream
	start   time.Time
	horizon sim.Time // the end of the run
	rec     *recorder
	// kernels holds the upstream kernel releases as offsets from start,
	// in release order, for archiveKernel's search.
	kernels []sim.Time
	nodes   []node
	steps   []nodeStep
	patches []livePatchStep // by node, made at the first live patch

	clusters []*clusterSim
	pools    []*poolSim // every pool, in cluster and pool order
	dis      Disruption
	actions  []Action
	remeds   []remediation
	warnings map[string]bool
	feeds    map[feedKey]*feed // by stream and region, for the stages

	events uint64 // events run

	// ids maps a node's slot (index in nodes) to the id of the node that
	// holds it, when a pool autoscales; nextID is the next id to give.
	ids    []int32
	nextID int32
	churn  Churn

	mgr *manager // Fleet Manager; nil without

	// afterEvent, when set (tests), runs after every event.
	afterEvent func() error
	// nightlyEvents (tests) runs nightly installs as events even where
	// the per-node pass applies.
	nightlyEvents bool
}

type clusterSim struct {
	r      *runner
	cfg    *Cluster
	nodeOS channel.NodeOSChannel
	pol    [2]channel.Resolution // by OS
	pools  []*poolSim
	gates  [numOpKinds]*gate
	busy   bool
	op     *operation
	k8s    int  // index of the Kubernetes release the cluster runs; -1 none
	member bool // a member of an enabled Fleet Manager profile's runs
	rerun  bool // a channel change asks for a rolling reimage of every pool
	kured  *kuredSim
	rng    *rand.Rand // cluster-level timing (cadence phase)
	feeds  []*feed    // the feeds of the cluster's region used so far
}

type poolSim struct {
	cl         *clusterSim
	cfg        Pool     // defaults applied
	first      int      // index of the pool's first node in runner.nodes
	surge      int      // surge nodes ready (schedulable)
	alloc      int      // surge nodes requested and not yet removed
	allocSince sim.Time // last change of alloc, for surge node-hours
	down       int      // pool nodes not schedulable
	rebooting  int      // pool nodes in a kured reboot
	patchUntil sim.Time // live patches in flight until then
	ro         *rollout // the rollout in flight, if any
	strict     []bool   // by node index: drains never complete (PDB.Strict)
	night      nightly  // Unmanaged nightly installs
	rng        struct{ provision, drain, pdb, reimage, patch, reboot *rand.Rand }
	stats      PoolResult // the pool's counters; exposure is the recorder's
	index      int32      // in cluster and pool order, for the recorder
	size       int        // pool nodes that exist (Count unless autoscaled)
	slots      int        // nodes' places in runner.nodes: Count, or Autoscale.Max
	nextIdx    int32      // the index in the pool of the next node created
	boot       bootImage  // what a node created now boots from
	scale      *scaler    // nil for a fixed-size pool
	dayStarts  int64      // the pool's nodes at each day's start, summed (PoolResult.NodeDays)
}

// newRunner sets up the run of a valid cfg.
func newRunner(cfg Config) (*runner, error) {
	eng, err := sim.New(sim.Config{Epoch: cfg.Start, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, eng: eng, up: cfg.Upstream, start: cfg.Start, horizon: sim.Time(cfg.Horizon), warnings: map[string]bool{}, feeds: map[feedKey]*feed{}}
	r.kernels = make([]sim.Time, len(cfg.Upstream.Kernels))
	for i, k := range cfg.Upstream.Kernels {
		r.kernels[i] = r.offset(k)
	}
	for _, w := range cfg.inputWarnings() {
		r.warnings[w] = true
	}
	r.rec = newRecorder(cfg.Upstream, cfg.Start, cfg.Horizon, cfg.Settle, cfg.SLA.Effective())
	r.rec.kernels = r.kernels
	if cfg.Trace {
		r.rec.trace = &r.remeds
	}
	total, initial := 0, 0
	for _, cl := range cfg.Clusters {
		for _, p := range cl.Pools {
			initial += p.Count
			if p.Autoscale != nil {
				total += p.Autoscale.Max
			} else {
				total += p.Count
			}
		}
	}
	r.nodes = make([]node, total)
	r.steps = make([]nodeStep, total)
	if cfg.autoscales() {
		r.ids = make([]int32, total)
		r.rec.ids = r.ids
		r.rec.alive = make([]int64, len(r.rec.pastSLA))
		r.rec.aliveNs.addN(int64(r.horizon), uint64(initial))
	}
	r.nextID = int32(initial)
	id := int32(0)
	r.dis.MinAvailableShare = 1
	next := 0
	for ci := range cfg.Clusters {
		cl := &cfg.Clusters[ci]
		c := &clusterSim{r: r, cfg: cl, nodeOS: cl.NodeOSChannel, k8s: -1,
			rng: sim.Stream(cfg.Seed, "fleet/"+cl.Name+"/cluster")}
		c.resolve()
		if i, ok := c.latest(&r.up.Kubernetes, 0); ok {
			c.k8s = i
		}
		for pi := range cl.Pools {
			pc := cl.Pools[pi]
			pc.Upgrade = pc.Upgrade.WithDefaults()
			pc.Durations = pc.Durations.withDefaults()
			p := &poolSim{cl: c, cfg: pc, first: next, index: int32(len(r.pools)), size: pc.Count, slots: pc.Count, nextIdx: int32(pc.Count)}
			if pc.Autoscale != nil {
				p.slots = pc.Autoscale.Max
			}
			p.stats = PoolResult{Cluster: cl.Name, Pool: pc.Name, Count: pc.Count}
			r.pools = append(r.pools, p)
			r.rec.addPool(p.index)
			base := "fleet/" + cl.Name + "/" + pc.Name + "/"
			p.rng.provision = sim.Stream(cfg.Seed, base+"provision")
			p.rng.drain = sim.Stream(cfg.Seed, base+"drain")
			p.rng.pdb = sim.Stream(cfg.Seed, base+"pdb")
			p.rng.reimage = sim.Stream(cfg.Seed, base+"reimage")
			p.rng.patch = sim.Stream(cfg.Seed, base+"live-patch")
			p.rng.reboot = sim.Stream(cfg.Seed, base+"reboot")
			p.strict = make([]bool, pc.Count)
			for _, j := range pc.PDB.Strict {
				p.strict[j] = true
			}
			c.pools = append(c.pools, p)
			user, kernel := c.initialCuts(pc)
			p.boot = bootImage{user, kernel}
			if !pc.Image.Userspace.IsZero() {
				p.boot.user, p.boot.kernel = r.stateCuts(pc.Image)
			}
			for j := 0; j < p.slots; j++ {
				if j >= pc.Count {
					n := &r.nodes[next]
					n.os, n.pool, n.idx, n.state = pc.OS, p, -1, stAbsent
					n.key = base + "slot" + strconv.Itoa(j)
					n.cuts.pool = p.index
					r.steps[next] = nodeStep{r: r, i: int32(next)}
					next++
					continue
				}
				n := &r.nodes[next]
				if len(pc.InitialNodes) > 0 {
					user, kernel = r.stateCuts(pc.InitialNodes[j])
				}
				n.os, n.pool, n.idx = pc.OS, p, int32(j)
				n.key = base + strconv.Itoa(j)
				n.installedKernel = kernel
				r.rec.init(&n.cuts, pc.OS, 0, user, kernel)
				n.cuts.pool = p.index
				n.id = id
				if r.ids != nil {
					r.ids[next] = id
				}
				id++
				r.steps[next] = nodeStep{r: r, i: int32(next)}
				next++
			}
			if pc.Autoscale != nil {
				p.scale = newScaler(p, *pc.Autoscale)
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
	if cfg.Manager != nil {
		r.mgr = newManager(r, cfg.Manager)
	}
	return r, nil
}

// resolve recomputes the cluster's per-OS policies for its current channel.
func (c *clusterSim) resolve() {
	for _, os := range []channel.OS{channel.OSLinux, channel.OSWindows} {
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
func (c *clusterSim) initialCuts(p Pool) (user, kernel sim.Time) {
	if !p.Initial.Userspace.IsZero() {
		return c.r.stateCuts(p.Initial)
	}
	user, kernel, _ = c.newest(p.OS, c.pol[p.OS].Feed, 0)
	return user, kernel
}

// newest returns the cuts (content and kernel) of the newest release that
// a node of os on feed would be reimaged to at instant t: the newest node
// image (Windows image for Windows), or for SecurityPatch the newer of that
// and the newest snapshot, and the stream it comes from. With nothing
// available it returns t - 30 days, a node built a month ago (ASSUMPTION;
// supply an Upstream that starts earlier), and a nil stream.
func (c *clusterSim) newest(os channel.OS, feed channel.Feed, t sim.Time) (cut, kernel sim.Time, from *channel.Stream) {
	s := c.r.up.Images(os)
	cut = t.Add(-30 * 24 * time.Hour)
	kernel = cut
	if i, ok := c.latest(s, t); ok {
		cut, kernel, from = c.r.cut(s.Releases[i]), c.r.kernelCut(s.Releases[i]), s
	}
	if feed == channel.FeedSecurityPatches {
		sp := &c.r.up.SecurityPatches
		if i, ok := c.latest(sp, t); ok && c.r.cut(sp.Releases[i]) > cut {
			cut, kernel, from = c.r.cut(sp.Releases[i]), c.r.kernelCut(sp.Releases[i]), sp
		}
	}
	return cut, kernel, from
}

// stateCuts converts a configured node state to recorder cuts.
func (r *runner) stateCuts(s NodeState) (user, kernel sim.Time) {
	user = r.offset(s.Userspace)
	kernel = user
	if !s.Kernel.IsZero() {
		kernel = r.offset(s.Kernel)
	}
	return user, kernel
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
		for _, p := range c.pools {
			if p.scale != nil {
				p.scale.start()
			}
		}
	}
	if r.mgr != nil {
		r.mgr.start()
	}
	for {
		t, ok := r.eng.PeekTime()
		if !ok || t > r.horizon {
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

// autoscales reports whether a pool of the configuration autoscales.
func (c Config) autoscales() bool {
	for _, cl := range c.Clusters {
		for _, p := range cl.Pools {
			if p.Autoscale != nil {
				return true
			}
		}
	}
	return false
}
