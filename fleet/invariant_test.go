package fleet

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/sim"
	"github.com/patchsim/patchsim/window"
)

var invariantSeed = flag.Uint64("fleet.seed", 2025, "seed of the randomized invariant scenarios")

// randomFleets runs check on n random fleets (nShort with -short), each a
// subtest, drawn by gen from the stream name of the -fleet.seed seed, on
// that seed's upstream; the seed is logged.
func randomFleets(t *testing.T, name string, n, nShort int, gen func(*rand.Rand, *channel.Upstream) Config, check func(*testing.T, Config)) {
	t.Helper()
	t.Logf("seed %d", *invariantSeed)
	rng := sim.Stream(*invariantSeed, name)
	up := defaultUpstream(t, *invariantSeed)
	if testing.Short() {
		n = nShort
	}
	for k := range n {
		cfg := gen(rng, up)
		t.Run(fmt.Sprint(k), func(t *testing.T) { check(t, cfg) })
	}
}

// randomConfig draws a small random fleet: channels, windows, surge and
// unavailability, PDBs, undrainable behaviour, kured, channel changes.
func randomConfig(t *testing.T, rng *rand.Rand, up *channel.Upstream) Config {
	t.Helper()
	chans := []channel.NodeOSChannel{channel.NodeOSNone, channel.NodeOSUnmanaged, channel.NodeOSSecurityPatch, channel.NodeOSNodeImage, channel.NodeOSUnset}
	var clusters []Cluster
	for c := range 1 + rng.IntN(3) {
		cl := Cluster{
			Name: fmt.Sprintf("c%d", c), Region: []string{"westeurope", "eastus", "japaneast"}[rng.IntN(3)],
			NodeOSChannel:  chans[rng.IntN(len(chans))],
			ClusterChannel: []channel.ClusterChannel{channel.ClusterNone, channel.ClusterPatch, channel.ClusterStable}[rng.IntN(3)],
			Policy: WindowPolicy{CatchUp: rng.IntN(4) == 0, OnePass: rng.IntN(2) == 0,
				NoWindowCadence: time.Duration(7+7*rng.IntN(2)) * 24 * time.Hour, Refuse24h: rng.IntN(3) == 0},
		}
		if rng.IntN(4) > 0 {
			s, err := window.WeekdayHours{Days: []time.Weekday{time.Weekday(rng.IntN(7))},
				Start: time.Duration(rng.IntN(24)) * time.Hour, End: time.Duration(rng.IntN(24))*time.Hour + 30*time.Minute}.Schedule()
			require.NoError(t, err)
			cl.Maintenance.NodeOS = s
		}
		if rng.IntN(2) == 0 {
			cl.Maintenance.AutoUpgrade = window.Always
		}
		if cl.NodeOSChannel == channel.NodeOSUnmanaged && rng.IntN(2) == 0 {
			cl.Kured = &Kured{Concurrency: 1 + rng.IntN(2)}
		}
		hasWindows := false
		for p := range 1 + rng.IntN(3) {
			pl := Pool{Name: fmt.Sprintf("p%d", p), Count: 1 + rng.IntN(12), PodsPerNode: rng.IntN(40)}
			if rng.IntN(4) == 0 && cl.NodeOSChannel != channel.NodeOSSecurityPatch {
				pl.OS = channel.OSWindows
				hasWindows = true
			}
			switch rng.IntN(3) {
			case 0:
				pl.Upgrade.MaxSurge = Nodes(1 + rng.IntN(3))
			case 1:
				pl.Upgrade.MaxSurge = Percent(10 + rng.IntN(90))
			case 2:
				pl.Upgrade.MaxSurge, pl.Upgrade.MaxUnavailable = Nodes(0), Nodes(1+rng.IntN(2))
			}
			pl.Upgrade.NodeSoak = time.Duration(rng.IntN(3)) * 5 * time.Minute
			if rng.IntN(2) == 0 {
				pl.Upgrade.Undrainable = UndrainableCordon
			}
			pl.PDB = PDB{Probability: rng.Float64() * 0.3, Block: Dist{Min: 10 * time.Minute, Mode: 20 * time.Minute, Max: 90 * time.Minute}}
			if rng.IntN(5) == 0 {
				pl.PDB.Strict = []int{rng.IntN(pl.Count)}
			}
			if rng.IntN(2) == 0 {
				pl.Autoscale = randomAutoscale(rng, pl.Count)
			}
			cl.Pools = append(cl.Pools, pl)
		}
		if rng.IntN(3) == 0 {
			to := chans[rng.IntN(4)]
			if !(hasWindows && to == channel.NodeOSSecurityPatch) {
				cl.ChannelChanges = []ChannelChange{{At: yearStart.Add(time.Duration(rng.IntN(60)) * 24 * time.Hour), To: to}}
			}
		}
		clusters = append(clusters, cl)
	}
	return Config{Start: yearStart, Horizon: 90 * 24 * time.Hour, Seed: rng.Uint64(), Upstream: up, Clusters: clusters, Trace: true}
}

// randomAutoscale draws autoscale settings for a pool of count nodes at the
// start: a range around it, a weekly profile that may leave it, either
// removal order, sometimes node lifetimes of hours to days.
func randomAutoscale(rng *rand.Rand, count int) *Autoscale {
	a := &Autoscale{Min: 1 + rng.IntN(count), Max: count + rng.IntN(8), Remove: RemovalOrder(rng.IntN(2))}
	a.Profile = Profile{Base: rng.IntN(a.Max + 2), Peak: rng.IntN(a.Max + 2)}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if rng.IntN(2) == 0 {
			a.Profile.Days = append(a.Profile.Days, d)
		}
	}
	if rng.IntN(2) == 0 {
		a.Profile.Start = time.Duration(rng.IntN(23)) * time.Hour
		a.Profile.End = a.Profile.Start + time.Duration(1+rng.IntN(int(24*time.Hour-a.Profile.Start)/int(time.Hour)))*time.Hour
	}
	if rng.IntN(3) == 0 {
		a.ScaleDownUnneeded = time.Duration(rng.IntN(60)) * time.Minute
		a.ScaleDownDelayAfterAdd = time.Duration(rng.IntN(60)) * time.Minute
	}
	if rng.IntN(3) == 0 {
		a.Lifetime = Dist{Min: 6 * time.Hour, Mode: 2 * 24 * time.Hour, Max: 10 * 24 * time.Hour}
	}
	return a
}

// checkInvariants verifies, after an event, what must always hold.
// A place of an autoscaled pool may hold a new node (another id, lastID
// holds the one before) with older content than the node before it:
// monotone holds per node.
func (r *runner) checkInvariants(lastCut []cuts, lastID []int32, monotone []bool) error {
	now := r.now()
	var errs []error
	for _, c := range r.clusters {
		for _, p := range c.pools {
			u := p.cfg.Upgrade
			quarantined, alive := 0, 0
			for i := range p.nodes() {
				switch p.nodes()[i].state {
				case stQuarantined:
					quarantined++
				case stAbsent:
					continue
				}
				alive++
			}
			if alive != p.size {
				errs = append(errs, fmt.Errorf("%s/%s: %d nodes, size %d", c.cfg.Name, p.cfg.Name, alive, p.size))
			}
			// The nodes down beyond the surge nodes standing in for them are
			// within maxUnavailable of the pool's size when the rollout
			// started (the autoscaler may have removed ready nodes since).
			ref := p.size
			if p.ro != nil {
				ref = p.ro.size
			}
			if over := p.down - p.surge - quarantined - p.rebooting; over > u.MaxUnavailable.Resolve(ref) {
				errs = append(errs, fmt.Errorf("%s/%s: %d nodes down beyond the surge nodes, above maxUnavailable %d", c.cfg.Name, p.cfg.Name, over, u.MaxUnavailable.Resolve(ref)))
			}
			if s := p.scale; s != nil {
				if p.size > s.cfg.Max || p.size+s.joining < s.cfg.Min {
					errs = append(errs, fmt.Errorf("%s/%s: %d nodes and %d joining, outside min %d max %d", c.cfg.Name, p.cfg.Name, p.size, s.joining, s.cfg.Min, s.cfg.Max))
				}
				if p.size+s.joining > s.cfg.Max {
					errs = append(errs, fmt.Errorf("%s/%s: %d nodes and %d joining, above max %d", c.cfg.Name, p.cfg.Name, p.size, s.joining, s.cfg.Max))
				}
			}
			if !c.busy && quarantined == 0 && (p.surge != 0 || p.alloc != 0) {
				errs = append(errs, fmt.Errorf("%s/%s: %d surge nodes (%d allocated) left after the operation", c.cfg.Name, p.cfg.Name, p.surge, p.alloc))
			}
		}
	}
	for i := range r.nodes {
		n := &r.nodes[i]
		if n.state == stAbsent {
			continue
		}
		if n.id != lastID[i] {
			lastCut[i], lastID[i] = n.cuts, n.id // a new node in the place
		}
		if n.user > now || n.kernel > now {
			errs = append(errs, fmt.Errorf("node %d runs content cut after now", i))
		}
		if monotone[i] && (n.user < lastCut[i].user || n.kernel < lastCut[i].kernel) {
			errs = append(errs, fmt.Errorf("node %d (%s) moved to older content: user %d -> %d, kernel %d -> %d",
				i, n.pool.cl.nodeOS, lastCut[i].user, n.user, lastCut[i].kernel, n.kernel))
		}
		lastCut[i] = n.cuts
	}
	return errors.Join(errs...)
}

// TestInvariantsRandomized runs random fleets and checks the invariants
// after every event; the seed is a flag (-fleet.seed) and logged.
func TestInvariantsRandomized(t *testing.T) {
	gen := func(rng *rand.Rand, up *channel.Upstream) Config { return randomConfig(t, rng, up) }
	randomFleets(t, "scenarios", 40, 10, gen, func(t *testing.T, cfg Config) {
		require.NoError(t, cfg.Validate())
		r, err := newRunner(cfg)
		require.NoError(t, err)
		last := make([]cuts, len(r.nodes))
		ids := make([]int32, len(r.nodes))
		monotone := make([]bool, len(r.nodes))
		for i := range r.nodes {
			n := &r.nodes[i]
			last[i], ids[i] = n.cuts, n.id
			c := n.pool.cl
			// Content only moves forward unless a channel rule says
			// otherwise: a change of channel, or a Kubernetes upgrade or
			// reimage onto an image older than nightly packages
			// (Unmanaged), or kured-free Unmanaged.
			monotone[i] = len(c.cfg.ChannelChanges) == 0 && c.pol[n.os].Feed != channel.FeedArchive
		}
		r.afterEvent = func() error { return r.checkInvariants(last, ids, monotone) }
		res, err := r.run()
		require.NoError(t, err)
		// No work started outside a window unless catch-up allows it.
		catchUp := false
		for _, c := range cfg.Clusters {
			catchUp = catchUp || c.Policy.CatchUp
		}
		if !catchUp {
			assert.Zero(t, res.Disruption.OutsideWindow)
		}
		// No advisory is remediated before it is published, nor before a
		// release containing it exists.
		for _, m := range res.Remediations {
			assert.False(t, m.At.Before(m.Published), "remediated before publication")
		}
		for _, e := range res.Exposure {
			assert.Equal(t, e.Pairs, e.Remediated+e.Censored, "every pair is remediated or censored")
		}
		checkPoolsAddUp(t, res)
		checkStages(t, cfg, res)
		checkSLAFromTrace(t, cfg, res)
	})
}

// checkSLAFromTrace checks the SLA figures against the trace: a pair's SLA
// age runs from its advisory's publication, whatever its node's creation,
// and its exposure from the later of the two.
//   - The remediated values of Exposure.SLAAges are the traced pairs' At -
//     Published (bins, sum and maximum), those of Hist their Exposure();
//     both hold every pair,
//     and a censored pair is no younger for its SLA than for its exposure.
//   - WithinSLA is SLAAges' Kaplan-Meier CDF at the SLA, so at least the
//     share of pairs fixed by then (At - Published <= SLA) and at most that
//     plus the censored ones and those in the SLA's bin.
//   - At each day's start, a node holding a traced pair (from the later of
//     publication and creation to its fix) whose SLA ran out by then is
//     past SLA: the day's count is at least those nodes.
func checkSLAFromTrace(t *testing.T, cfg Config, res *Result) {
	t.Helper()
	sla := cfg.SLA.Effective()
	const day = 24 * time.Hour
	var ages, exposures [channel.NumSeverities]map[int]uint64
	var within, near [channel.NumSeverities]uint64
	var sum [channel.NumSeverities]float64
	var oldest [channel.NumSeverities]int64
	past := make([]map[int32]bool, len(res.PastSLA))
	for _, m := range res.Remediations {
		s := m.Severity
		if ages[s] == nil {
			ages[s], exposures[s] = map[int]uint64{}, map[int]uint64{}
		}
		age := m.At.Sub(m.Published)
		ages[s][binOf(seconds(age))]++
		sum[s] += age.Seconds()
		oldest[s] = max(oldest[s], seconds(age))
		exposures[s][binOf(seconds(m.Exposure()))]++
		if age <= sla.For(s) {
			within[s]++
		} else if binOf(seconds(age)) == binOf(seconds(sla.For(s))) {
			near[s]++
		}
		from := m.Published.Add(sla.For(s)) // due: past it from then on
		if m.Since.After(from) {
			from = m.Since
		}
		for d := range past {
			if x := res.Start.Add(time.Duration(d) * day); !x.Before(from) && x.Before(m.At) {
				if past[d] == nil {
					past[d] = map[int32]bool{}
				}
				past[d][m.Node] = true
			}
		}
	}
	events := func(h Histogram) map[int]uint64 {
		out := map[int]uint64{}
		for _, b := range h.Bins {
			if b.Events > 0 {
				out[b.Index] = b.Events
			}
		}
		return out
	}
	for s, e := range res.Exposure {
		sev := channel.Severity(s)
		if ages[s] == nil {
			ages[s], exposures[s] = map[int]uint64{}, map[int]uint64{}
		}
		assert.Equal(t, ages[s], events(e.SLAAges), "%s: SLA ages of the remediated pairs are At - Published", sev)
		assert.Equal(t, exposures[s], events(e.Hist), "%s: exposures of the remediated pairs", sev)
		assert.Equal(t, [2]uint64{e.Remediated, e.Censored}, [2]uint64{e.SLAAges.N, e.SLAAges.NC}, "%s: every pair has an SLA age", sev)
		assert.InDelta(t, sum[s], e.SLAAges.Sum, 1e-9*(1+sum[s]), "%s: sum of the SLA ages", sev)
		assert.Equal(t, oldest[s], e.SLAAges.MaxSec, "%s: oldest SLA age", sev)
		var cAge, cExp uint64
		for k := range maxBin + 1 {
			for _, b := range e.SLAAges.Bins {
				if b.Index == k {
					cAge += b.Censored
				}
			}
			for _, b := range e.Hist.Bins {
				if b.Index == k {
					cExp += b.Censored
				}
			}
			if cAge > cExp {
				t.Errorf("%s: %d censored SLA ages up to bin %d, but only %d censored exposures", sev, cAge, k, cExp)
				break
			}
			if cAge == e.Censored {
				break
			}
		}
		if e.Pairs == 0 {
			continue
		}
		assert.Equal(t, e.SLAAges.CDF(sla.For(sev)), e.WithinSLA, "%s", sev)
		n := float64(e.Pairs)
		assert.GreaterOrEqual(t, e.WithinSLA, float64(within[s])/n-1e-12, "%s: within SLA, at least the pairs fixed within it", sev)
		assert.LessOrEqual(t, e.WithinSLA, float64(within[s]+near[s]+e.Censored)/n+1e-12, "%s: within SLA, at most those and the open ones", sev)
	}
	for d, x := range res.PastSLA {
		nodes := res.Nodes
		if res.Churn.Nodes != nil {
			nodes = res.Churn.Nodes[d]
		}
		assert.GreaterOrEqual(t, math.Round(x*float64(nodes)), float64(len(past[d])), "day %d: nodes past SLA", d)
	}
}

// checkPoolsAddUp checks that the per-pool breakdown adds up to the
// fleet's totals, and that each pool's blocked drains and reimages are the
// trace's (when traced).
func checkPoolsAddUp(t *testing.T, res *Result) {
	t.Helper()
	var sum PoolResult
	nodes := 0
	for _, p := range res.Pools {
		nodes += p.Count
		for s := range p.VulnerableNodeDays {
			sum.VulnerableNodeDays[s] += p.VulnerableNodeDays[s]
		}
		sum.PastSLANodeDays += p.PastSLANodeDays
		sum.Operations += p.Operations
		sum.Failed += p.Failed
		sum.BlockedDrains += p.BlockedDrains
		sum.Quarantined += p.Quarantined
		sum.Reimages += p.Reimages
	}
	assert.Equal(t, res.Nodes, nodes)
	for s, e := range res.Exposure {
		// Sums of float64 conversions of exact sums: equal to rounding.
		assert.InDelta(t, e.VulnerableNodeDays, sum.VulnerableNodeDays[s], 1e-9*(1+e.VulnerableNodeDays))
	}
	past, nodeDays := 0.0, 0.0
	for d, x := range res.PastSLA {
		n := res.Nodes
		if res.Churn.Nodes != nil {
			n = res.Churn.Nodes[d] // the nodes alive at the day's start
		}
		past += x * float64(n)
		nodeDays += float64(n)
	}
	poolDays := 0.0
	for _, p := range res.Pools {
		poolDays += p.NodeDays
	}
	assert.Equal(t, nodeDays, poolDays, "the pools' node-days are the fleet's")
	assert.InDelta(t, past, sum.PastSLANodeDays, 1e-6*(1+past))
	d := res.Disruption
	assert.Equal(t, [5]uint64{d.Operations, d.Failed, d.BlockedDrains, d.Quarantined, d.Reimages},
		[5]uint64{sum.Operations, sum.Failed, sum.BlockedDrains, sum.Quarantined, sum.Reimages})
	if len(res.Actions) == 0 {
		return
	}
	type key struct{ cluster, pool string }
	blocked, reimaged := map[key]uint64{}, map[key]uint64{}
	for _, a := range res.Actions {
		switch a.Kind {
		case ActBlocked:
			blocked[key{a.Cluster, a.Pool}]++
		case ActReimage:
			reimaged[key{a.Cluster, a.Pool}]++
		}
	}
	for _, p := range res.Pools {
		assert.Equal(t, blocked[key{p.Cluster, p.Pool}], p.BlockedDrains, "%s/%s blocked drains", p.Cluster, p.Pool)
		assert.LessOrEqual(t, p.Reimages, reimaged[key{p.Cluster, p.Pool}], "%s/%s reimages ended are traced reimages", p.Cluster, p.Pool)
	}
}
