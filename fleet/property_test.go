package fleet

import (
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// TestTraceProperties runs random fleets (the generator of
// TestInvariantsRandomized; seed -fleet.seed) and checks, from nothing but
// the public Result of Run with Trace and the Config it was given:
//   - every pool operation and every live patch starts inside a window of
//     its cluster, or AKS's own cadence, or is counted in
//     Disruption.OutsideWindow (only catch-ups may be);
//   - no node runs a fix before a release containing it reached the node's
//     region;
//   - nodes out of service never exceed the pool's limits: a rollout has at
//     most maxSurge + maxUnavailable nodes down at once, kured at most its
//     concurrency, and with maxUnavailable 0 a node drains only while the
//     pool's surge nodes are there.
func TestTraceProperties(t *testing.T) {
	gen := func(rng *rand.Rand, up *channel.Upstream) Config { return randomConfig(t, rng, up) }
	randomFleets(t, "trace-properties", 40, 10, gen, func(t *testing.T, cfg Config) {
		res, err := Run(cfg)
		require.NoError(t, err)
		checkWindows(t, cfg, res)
		checkReleases(t, cfg, res)
		checkOutOfService(t, cfg, res)
		checkLifetimes(t, cfg, res)
	})
}

func clusterOf(cfg Config, name string) *Cluster {
	for i := range cfg.Clusters {
		if cfg.Clusters[i].Name == name {
			return &cfg.Clusters[i]
		}
	}
	return nil
}

func poolOf(cl *Cluster, name string) *Pool {
	for i := range cl.Pools {
		if cl.Pools[i].Name == name {
			return &cl.Pools[i]
		}
	}
	return nil
}

// allowed reports whether cluster cl may start work at t: inside its node
// OS window or AKS's own cadence when it has none, or, with a cluster
// channel that upgrades Kubernetes, inside its auto-upgrade window or
// cadence.
func allowed(cl *Cluster, t time.Time) bool {
	if cl.Maintenance.NodeOS == nil || window.Open(cl.Maintenance.NodeOS, t) {
		return true
	}
	k8s := cl.ClusterChannel == channel.ClusterPatch || cl.ClusterChannel == channel.ClusterStable || cl.ClusterChannel == channel.ClusterRapid
	return k8s && (cl.Maintenance.AutoUpgrade == nil || window.Open(cl.Maintenance.AutoUpgrade, t))
}

// operationStarts returns when each pool operation with a rolling reimage
// started, read from the trace: the surge request of a pool with surge
// nodes; for a pool without, a drain that no node of the pool finishing at
// the same instant started (the next batch starts as the last node of the
// previous one finishes), once per instant (a batch drains several nodes).
func operationStarts(cfg Config, res *Result) []Action {
	done := map[[2]string]map[time.Time]bool{}
	for _, a := range res.Actions {
		if a.Kind == ActReimage || a.Kind == ActBlocked {
			key := [2]string{a.Cluster, a.Pool}
			if done[key] == nil {
				done[key] = map[time.Time]bool{}
			}
			done[key][a.End] = true
		}
	}
	var out []Action
	seen := map[[2]string]map[time.Time]bool{}
	for _, a := range res.Actions {
		key := [2]string{a.Cluster, a.Pool}
		surge := effectiveSurge(poolOf(clusterOf(cfg, a.Cluster), a.Pool)) > 0
		switch {
		case a.Kind == ActSurge:
			out = append(out, a)
		case !surge && (a.Kind == ActDrain || a.Kind == ActBlocked) && !done[key][a.Start] && !seen[key][a.Start]:
			if seen[key] == nil {
				seen[key] = map[time.Time]bool{}
			}
			seen[key][a.Start] = true
			out = append(out, a)
		}
	}
	return out
}

// largest is the most nodes pool p ever has: Count, or its autoscale Max.
func largest(p *Pool) int {
	if p.Autoscale != nil {
		return p.Autoscale.Max
	}
	return p.Count
}

func effectiveSurge(p *Pool) int { return p.Upgrade.WithDefaults().MaxSurge.Resolve(largest(p)) }

func checkWindows(t *testing.T, cfg Config, res *Result) {
	t.Helper()
	catchUp := false
	for _, c := range cfg.Clusters {
		catchUp = catchUp || c.Policy.CatchUp
	}
	outside := 0
	for _, a := range operationStarts(cfg, res) {
		if inMemberUpgrade(res, a.Cluster, a.Start) {
			continue // a Fleet Manager member upgrade: checkManager's
		}
		if !allowed(clusterOf(cfg, a.Cluster), a.Start) {
			outside++
		}
	}
	assert.LessOrEqual(t, uint64(outside), res.Disruption.OutsideWindow, "operations started outside windows are counted")
	for _, a := range res.Actions {
		cl := clusterOf(cfg, a.Cluster)
		if a.Kind == ActLivePatch && !cl.Policy.CatchUp {
			assert.True(t, allowed(cl, a.Start), "live patch of %s/%s/%d at %s outside the window", a.Cluster, a.Pool, a.Node, a.Start)
		}
	}
	if !catchUp {
		assert.Zero(t, outside, "no catch-up: every operation starts inside a window")
	}
}

// inMemberUpgrade reports whether a Fleet Manager update run was
// upgrading cluster at t: its pools' operations start then whatever the
// window, once the member started inside it (checkManager).
func inMemberUpgrade(res *Result, cluster string, t time.Time) bool {
	if res.Manager == nil {
		return false
	}
	for _, run := range res.Manager.Runs {
		for _, st := range run.Stages {
			for _, m := range st.Members {
				if m.Cluster != cluster || m.Start.IsZero() || t.Before(m.Start) {
					continue
				}
				if m.End.IsZero() || !t.After(m.End) {
					return true
				}
			}
		}
	}
	return false
}

func checkReleases(t *testing.T, cfg Config, res *Result) {
	t.Helper()
	// Remediation.Node counts pools in cluster order, nodes in pool order.
	type where struct {
		cl *Cluster
	}
	var nodes []where
	for i := range cfg.Clusters {
		for _, p := range cfg.Clusters[i].Pools {
			for range p.Count {
				nodes = append(nodes, where{&cfg.Clusters[i]})
			}
		}
	}
	// Nodes created during the run follow, in the order of their
	// ActCreate actions.
	for _, a := range res.Actions {
		if a.Kind == ActCreate {
			nodes = append(nodes, where{clusterOf(cfg, a.Cluster)})
		}
	}
	up := cfg.Upstream
	for _, m := range res.Remediations {
		cl := nodes[m.Node].cl
		ok := false
		for _, s := range []*channel.Stream{&up.NodeImages, &up.WindowsImages, &up.SecurityPatches} {
			for i, r := range s.Releases {
				if !r.Cut.Before(m.Published) && !s.Available(i, cl.Region).After(m.At) {
					ok = true
					break
				}
			}
		}
		// Unmanaged installs from the distribution archive, which holds a
		// fix once it is published.
		unmanaged := cl.NodeOSChannel == channel.NodeOSUnmanaged
		for _, ch := range cl.ChannelChanges {
			unmanaged = unmanaged || ch.To == channel.NodeOSUnmanaged
		}
		ok = ok || unmanaged && !m.At.Before(m.Published)
		assert.True(t, ok, "node %d ran the fix of an advisory published %s at %s, before any release holding it reached %s", m.Node, m.Published, m.At, cl.Region)
	}
}

type ev struct {
	at    time.Time
	delta int
}

func checkOutOfService(t *testing.T, cfg Config, res *Result) {
	t.Helper()
	down := map[[2]string][]ev{} // rollout: drain, soak, reimage, blocked
	reboots := map[string][]ev{} // kured, per cluster
	surges := map[[2]string][]Action{}
	for _, a := range res.Actions {
		key := [2]string{a.Cluster, a.Pool}
		switch a.Kind {
		case ActDrain, ActSoak, ActReimage, ActBlocked:
			down[key] = append(down[key], ev{a.Start, +1}, ev{a.End, -1})
		case ActReboot:
			reboots[a.Cluster] = append(reboots[a.Cluster], ev{a.Start, +1}, ev{a.End, -1})
		case ActSurge:
			surges[key] = append(surges[key], a)
		}
	}
	peak := func(evs []ev) int {
		// [start, end): at equal instants, ends before starts.
		sort.Slice(evs, func(i, j int) bool {
			if !evs[i].at.Equal(evs[j].at) {
				return evs[i].at.Before(evs[j].at)
			}
			return evs[i].delta < evs[j].delta
		})
		n, top := 0, 0
		for _, e := range evs {
			n += e.delta
			top = max(top, n)
		}
		return top
	}
	for key, evs := range down {
		p := poolOf(clusterOf(cfg, key[0]), key[1])
		limit := effectiveSurge(p) + p.Upgrade.MaxUnavailable.Resolve(largest(p))
		assert.LessOrEqual(t, peak(evs), limit, "%s/%s: nodes down at once", key[0], key[1])
	}
	for name, evs := range reboots {
		k := clusterOf(cfg, name).Kured
		limit := 1
		if k != nil && k.Concurrency > 0 {
			limit = k.Concurrency
		}
		assert.LessOrEqual(t, peak(evs), limit, "%s: kured reboots at once", name)
	}
	// Surge first: without maxUnavailable, a node drains only while the
	// pool's surge nodes are there.
	for _, a := range res.Actions {
		if a.Kind != ActDrain && a.Kind != ActBlocked {
			continue
		}
		p := poolOf(clusterOf(cfg, a.Cluster), a.Pool)
		if p.Upgrade.MaxUnavailable.Resolve(p.Count) > 0 {
			continue
		}
		in := false
		for _, s := range surges[[2]string{a.Cluster, a.Pool}] {
			in = in || !a.Start.Before(s.Start) && a.Start.Before(s.End)
		}
		assert.True(t, in, "%s/%s node %d drains at %s without surge nodes", a.Cluster, a.Pool, a.Node, a.Start)
	}
}

// checkLifetimes checks, from the trace, that nodes exist when something
// happens to them: every action on a node and every remediation falls
// within its life (from the start, or its ActCreate, to its ActRemove or
// the end); a node is removed only when ready (no drain, reimage or reboot
// of it is in progress); a rollout drains only nodes that existed when it
// started (a node created since boots its target); an autoscaled pool
// never exceeds its maximum; and every pair of a node is remediated or
// censored.
func checkLifetimes(t *testing.T, cfg Config, res *Result) {
	t.Helper()
	type key struct {
		cluster, pool string
		node          int
	}
	type life struct{ from, to time.Time }
	lives := map[key]*life{}
	var byID []key
	for _, cl := range cfg.Clusters {
		for _, p := range cl.Pools {
			for j := range p.Count {
				k := key{cl.Name, p.Name, j}
				lives[k] = &life{res.Start, res.End}
				byID = append(byID, k)
			}
		}
	}
	size := map[[2]string][]ev{}
	for _, a := range res.Actions {
		k := key{a.Cluster, a.Pool, a.Node}
		switch a.Kind {
		case ActCreate:
			require.Nil(t, lives[k], "%v created twice", k)
			lives[k] = &life{a.Start, res.End}
			byID = append(byID, k)
			size[[2]string{a.Cluster, a.Pool}] = append(size[[2]string{a.Cluster, a.Pool}], ev{a.Start, +1})
		case ActRemove:
			require.NotNil(t, lives[k], "%v removed before it was created", k)
			assert.Equal(t, res.End, lives[k].to, "%v removed twice", k)
			lives[k].to = a.Start
			size[[2]string{a.Cluster, a.Pool}] = append(size[[2]string{a.Cluster, a.Pool}], ev{a.Start, -1})
		}
	}
	for _, a := range res.Actions {
		if a.Node < 0 || a.Kind == ActCreate || a.Kind == ActRemove {
			continue
		}
		l := lives[key{a.Cluster, a.Pool, a.Node}]
		require.NotNil(t, l, "%s/%s node %d: %s of a node that never existed", a.Cluster, a.Pool, a.Node, a.Kind)
		assert.False(t, a.Start.Before(l.from) || a.End.After(l.to), "%s/%s node %d: %s %s-%s outside its life %s-%s", a.Cluster, a.Pool, a.Node, a.Kind, a.Start, a.End, l.from, l.to)
		if a.Kind == ActDrain || a.Kind == ActReimage || a.Kind == ActReboot || a.Kind == ActSoak {
			assert.True(t, a.End.Before(l.to) || a.End.Equal(res.End) || l.to.Equal(res.End), "%s/%s node %d removed during its %s", a.Cluster, a.Pool, a.Node, a.Kind)
		}
	}
	for _, s := range res.Actions {
		if s.Kind != ActSurge {
			continue
		}
		for _, a := range res.Actions {
			if a.Cluster != s.Cluster || a.Pool != s.Pool || a.Kind != ActDrain && a.Kind != ActBlocked || a.Start.Before(s.Start) || !a.Start.Before(s.End) {
				continue
			}
			l := lives[key{a.Cluster, a.Pool, a.Node}]
			assert.False(t, l.from.After(s.Start), "%s/%s node %d, created %s, drained %s by the rollout started %s", a.Cluster, a.Pool, a.Node, l.from, a.Start, s.Start)
		}
	}
	for _, m := range res.Remediations {
		require.Less(t, int(m.Node), len(byID))
		l := lives[byID[m.Node]]
		assert.False(t, m.At.Before(l.from) || m.At.After(l.to), "node %d remediated at %s outside its life", m.Node, m.At)
	}
	for pk, evs := range size {
		p := poolOf(clusterOf(cfg, pk[0]), pk[1])
		n := p.Count
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
		for _, e := range evs {
			n += e.delta
			assert.LessOrEqual(t, n, p.Autoscale.Max, "%s/%s: size above max", pk[0], pk[1])
			assert.GreaterOrEqual(t, n, 0)
		}
	}
	for _, e := range res.Exposure {
		assert.Equal(t, e.Pairs, e.Remediated+e.Censored, "every pair is remediated or censored")
	}
}
