package fleet

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// randomManagerConfig draws a random fleet (randomConfig) under a random
// Fleet Manager: one to three stages of one or two groups (or no
// strategy), waits, approvals, concurrency, NodeImage and Kubernetes
// profiles under every node image selection, and every ManagerPolicy
// choice.
func randomManagerConfig(t *testing.T, rng *rand.Rand, up *channel.Upstream) Config {
	cfg := randomConfig(t, rng, up)
	for len(cfg.Clusters) < 4 {
		// More members than randomConfig's one to three.
		cl := randomConfig(t, rng, up).Clusters[0]
		cl.Name = fmt.Sprintf("c%d", len(cfg.Clusters))
		cfg.Clusters = append(cfg.Clusters, cl)
	}
	for i := range cfg.Clusters {
		for j := range cfg.Clusters[i].Pools {
			if rng.IntN(4) > 0 {
				// Most members never block a drain, so that runs get past
				// their first stage (a failed member stops its run).
				cfg.Clusters[i].Pools[j].PDB = PDB{}
			}
		}
	}
	m := &Manager{}
	scheduled := func() []ScheduledStart {
		if rng.IntN(5) == 0 {
			return []ScheduledStart{{Day: time.Weekday(rng.IntN(7)), Time: time.Duration(rng.IntN(24*60)) * time.Minute, Offset: time.Duration(rng.IntN(29)-14) * time.Hour}}
		}
		return nil
	}
	approvals := func() []Approval {
		if rng.IntN(4) == 0 {
			return []Approval{{Name: "ok"}}
		}
		return nil
	}
	if rng.IntN(5) > 0 {
		names := make([]string, len(cfg.Clusters))
		for i, cl := range cfg.Clusters {
			names[i] = cl.Name
		}
		rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
		if rng.IntN(4) == 0 {
			names = names[1:] // a cluster in no group
		}
		stages := 1 + rng.IntN(min(3, len(names)))
		s := &UpdateStrategy{}
		for k := range stages {
			// Stage k takes an even share of the names, the last the rest.
			n := len(names) / (stages - k)
			if k == stages-1 {
				n = len(names)
			}
			mine := names[:n]
			names = names[n:]
			st := UpdateStage{Name: fmt.Sprintf("s%d", k), AfterStageWait: time.Duration(rng.IntN(4)) * 12 * time.Hour,
				BeforeApprovals: approvals(), AfterApprovals: approvals(), ScheduledStarts: scheduled()}
			if rng.IntN(3) == 0 {
				st.MaxConcurrency = 1 + rng.IntN(2)
			}
			groups := 1 + rng.IntN(min(2, len(mine)))
			for g := range groups {
				n := len(mine) / (groups - g)
				gr := UpdateGroup{Name: fmt.Sprintf("s%dg%d", k, g), Clusters: mine[:n],
					BeforeApprovals: approvals(), AfterApprovals: approvals(), ScheduledStarts: scheduled()}
				mine = mine[n:]
				if rng.IntN(3) == 0 {
					gr.MaxConcurrency = 1 + rng.IntN(len(gr.Clusters))
					if st.MaxConcurrency > 0 {
						gr.MaxConcurrency = min(gr.MaxConcurrency, st.MaxConcurrency)
					}
				}
				st.Groups = append(st.Groups, gr)
			}
			s.Stages = append(s.Stages, st)
		}
		m.Strategy = s
	}
	sels := []NodeImageSelection{SelectionDefault, SelectionLatest, SelectionConsistent, SelectionRelease}
	m.Profiles = []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage, NodeImageSelection: sels[rng.IntN(len(sels))], Disabled: rng.IntN(8) == 0}}
	if rng.IntN(3) == 0 {
		m.Profiles = append(m.Profiles, AutoUpgradeProfile{Name: "stable", Channel: ChannelStable, NodeImageSelection: sels[rng.IntN(3)]})
	}
	pol := &m.Policy
	pol.NoWindowPoll = rng.IntN(3) == 0
	pol.WindowPoll = time.Duration(rng.IntN(2)) * 30 * time.Minute
	pol.StepLatency = time.Duration(rng.IntN(2)) * time.Minute
	if rng.IntN(2) == 0 {
		pol.ApprovalDelay = Dist{Min: time.Hour, Mode: 4 * time.Hour, Max: 48 * time.Hour}
	}
	if rng.IntN(3) == 0 {
		w, err := window.WeekdayHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, Start: 9 * time.Hour, End: 17 * time.Hour}.Schedule()
		require.NoError(t, err)
		pol.ApprovalWindow = w
	}
	pol.TriggerOn = Trigger(rng.IntN(int(numTriggers)))
	pol.TriggerLag = time.Duration(rng.IntN(3)) * 6 * time.Hour
	pol.NewerRelease = NewerRelease(rng.IntN(int(numNewerReleases)))
	pol.DeferRemainingPools = rng.IntN(3) == 0
	cfg.Manager = m
	return cfg
}

// TestManagerTraceProperties runs random fleets under random Fleet Manager
// configurations and checks, from the public Result and the Config alone,
// the trace properties of TestTraceProperties and those of the update
// runs (checkManager).
func TestManagerTraceProperties(t *testing.T) {
	gen := func(rng *rand.Rand, up *channel.Upstream) Config { return randomManagerConfig(t, rng, up) }
	runs := 0
	randomFleets(t, "manager-properties", 40, 10, gen, func(t *testing.T, cfg Config) {
		res, err := Run(cfg)
		require.NoError(t, err)
		require.NotNil(t, res.Manager)
		checkWindows(t, cfg, res)
		checkReleases(t, cfg, res)
		checkOutOfService(t, cfg, res)
		checkPoolsAddUp(t, res)
		checkManager(t, cfg, res)
		runs += len(res.Manager.Runs)
		again, err := Run(cfg)
		require.NoError(t, err)
		assert.Equal(t, res.Manager, again.Manager, "the same Config gives the same runs")
	})
	assert.Positive(t, runs, "the random fleets create update runs")
}

// memberWindow returns the window that gates a member of a run of
// profile p: the auto-upgrade window for Kubernetes runs, else the node
// OS window.
func memberWindow(cfg Config, profile, cluster string) window.Schedule {
	cl := clusterOf(cfg, cluster)
	for _, p := range cfg.Manager.Profiles {
		if p.Name == profile && p.Channel.kubernetes() {
			return cl.Maintenance.AutoUpgrade
		}
	}
	return cl.Maintenance.NodeOS
}

// checkManager checks the update runs of a result:
//   - no member of stage k+1 starts before every member of stage k is
//     done (completed or skipped) and the stage's after-stage wait has
//     passed since the last of them;
//   - every member starts inside its governing window, or has none;
//   - a group or a stage never has more members upgrading than its
//     maxConcurrency, and a cluster is upgraded by one run at a time;
//   - after a member fails, its run starts no other member (fail-fast);
//   - with DeferRemainingPools, each of a member's pools starts inside its
//     window;
//   - no member starts before the scheduled start gates of its stage and
//     group have come;
//   - a member upgraded to the run's own release (the NodeImage default)
//     starts only once that release has reached its region.
func checkManager(t *testing.T, cfg Config, res *Result) {
	t.Helper()
	end := res.End
	stageCfg := func(k int) UpdateStage {
		if cfg.Manager.Strategy == nil {
			return UpdateStage{Name: "default"}
		}
		return cfg.Manager.Strategy.Stages[k]
	}
	type span struct {
		from, to time.Time
		run      int
	}
	busy := map[string][]span{}
	for ri, run := range res.Manager.Runs {
		var failedAt time.Time
		for _, st := range run.Stages {
			for _, m := range st.Members {
				if m.State == MemberFailed && (failedAt.IsZero() || m.End.Before(failedAt)) {
					failedAt = m.End
				}
			}
		}
		for k, st := range run.Stages {
			for _, m := range st.Members {
				if m.Start.IsZero() {
					continue
				}
				assert.False(t, m.Start.Before(m.Reached), "run %d %s: starts before it is reached", ri, m.Cluster)
				assert.False(t, m.Reached.Before(run.Start), "run %d %s: reached before the run starts", ri, m.Cluster)
				if w := memberWindow(cfg, run.Profile, m.Cluster); w != nil {
					assert.True(t, window.Open(w, m.Start), "run %d %s: starts at %s outside its window", ri, m.Cluster, m.Start)
				}
				if !failedAt.IsZero() {
					assert.False(t, m.Start.After(failedAt), "run %d %s: starts at %s after a member failed at %s", ri, m.Cluster, m.Start, failedAt)
				}
				to := m.End
				if to.IsZero() {
					to = end
				}
				busy[m.Cluster] = append(busy[m.Cluster], span{m.Start, to, ri})
				// Scheduled start gates of the stage and of the member's
				// group, reached when the stage was or later.
				gates := stageCfg(k).ScheduledStarts
				for _, g := range stageCfg(k).Groups {
					if g.Name == m.Group {
						gates = append(slices.Clip(gates), g.ScheduledStarts...)
					}
				}
				for _, g := range gates {
					assert.False(t, m.Start.Before(g.next(st.Start)), "run %d %s: starts at %s before its scheduled start %s", ri, m.Cluster, m.Start, g.next(st.Start))
				}
				if k == 0 {
					continue
				}
				prev := run.Stages[k-1]
				wait := stageCfg(k - 1).AfterStageWait
				for _, p := range prev.Members {
					assert.True(t, p.State == MemberCompleted || p.State == MemberSkipped,
						"run %d: %s of stage %s starts at %s while %s of stage %s is %s", ri, m.Cluster, st.Name, m.Start, p.Cluster, prev.Name, p.State)
					assert.False(t, m.Start.Before(p.End.Add(wait)),
						"run %d: %s of stage %s starts at %s, before %s of stage %s done at %s plus the wait %v", ri, m.Cluster, st.Name, m.Start, p.Cluster, prev.Name, p.End, wait)
				}
			}
		}
		// Concurrency within each group.
		for k, st := range run.Stages {
			limit := map[string]int{}
			for _, g := range stageCfg(k).Groups {
				limit[g.Name] = max(g.MaxConcurrency, 1)
			}
			if cfg.Manager.Strategy == nil {
				limit["default"] = 1
			}
			type ev struct {
				at    time.Time
				delta int
			}
			byGroup := map[string][]ev{}
			var stage []ev
			for _, m := range st.Members {
				if m.Start.IsZero() {
					continue
				}
				to := m.End
				if to.IsZero() {
					to = end
				}
				byGroup[m.Group] = append(byGroup[m.Group], ev{m.Start, 1}, ev{to, -1})
				stage = append(stage, ev{m.Start, 1}, ev{to, -1})
			}
			peak := func(evs []ev) int {
				n, top := 0, 0
				for _, e := range sortEvents(evs, func(e ev) (time.Time, int) { return e.at, e.delta }) {
					n += e.delta
					top = max(top, n)
				}
				return top
			}
			for g, evs := range byGroup {
				assert.LessOrEqual(t, peak(evs), limit[g], "run %d group %s: members upgrading at once", ri, g)
			}
			stageLimit := stageCfg(k).MaxConcurrency
			if stageLimit == 0 {
				stageLimit = MaxStageConcurrency
			}
			assert.LessOrEqual(t, peak(stage), stageLimit, "run %d stage %s: members upgrading at once", ri, st.Name)
		}
		// The run's own release reaches the region first.
		prof := profileOf(cfg, run.Profile)
		if prof.Channel == ChannelNodeImage && (prof.NodeImageSelection == SelectionDefault || prof.NodeImageSelection == SelectionRelease) {
			s := &cfg.Upstream.NodeImages
			for _, st := range run.Stages {
				for _, m := range st.Members {
					if m.Start.IsZero() || m.Target != run.Release {
						continue // not started, or only on Windows pools
					}
					for i, rel := range s.Releases {
						if rel.Version == run.Release {
							assert.False(t, m.Start.Before(s.Available(i, clusterOf(cfg, m.Cluster).Region)), "run %d %s: starts before %s reaches its region", ri, m.Cluster, run.Release)
						}
					}
				}
			}
		}
	}
	// With DeferRemainingPools every pool operation of a member upgrade
	// starts inside the member's window too.
	if cfg.Manager.Policy.DeferRemainingPools {
		for _, a := range operationStarts(cfg, res) {
			for _, run := range res.Manager.Runs {
				for _, st := range run.Stages {
					for _, m := range st.Members {
						if m.Cluster != a.Cluster || m.Start.IsZero() || a.Start.Before(m.Start) || !m.End.IsZero() && !a.Start.Before(m.End) {
							continue
						}
						if w := memberWindow(cfg, run.Profile, m.Cluster); w != nil {
							assert.True(t, window.Open(w, a.Start), "%s/%s: a pool of a member upgrade starts at %s outside the window", a.Cluster, a.Pool, a.Start)
						}
					}
				}
			}
		}
	}
	for c, spans := range busy {
		for i, a := range spans {
			for _, b := range spans[i+1:] {
				overlap := a.from.Before(b.to) && b.from.Before(a.to)
				assert.False(t, overlap, "%s: upgraded by runs %d (%s-%s) and %d (%s-%s) at once", c, a.run, a.from, a.to, b.run, b.from, b.to)
			}
		}
	}
}

func profileOf(cfg Config, name string) AutoUpgradeProfile {
	for _, p := range cfg.Manager.Profiles {
		if p.Name == name {
			return p
		}
	}
	return AutoUpgradeProfile{}
}

// sortEvents sorts interval events by time, ends (negative deltas) before
// starts at equal times.
func sortEvents[E any](evs []E, key func(E) (time.Time, int)) []E {
	out := append([]E(nil), evs...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0; j-- {
			ta, da := key(out[j-1])
			tb, db := key(out[j])
			if ta.After(tb) || ta.Equal(tb) && da > db {
				out[j-1], out[j] = out[j], out[j-1]
				continue
			}
			break
		}
	}
	return out
}

// checkManager verifies, after an event, what must always hold of the
// update runs: only the current stage's members are upgrading or pending
// and earlier stages are done; a running member is its cluster's
// operation; the group and stage counters match the members.
func (m *manager) checkInvariants() error {
	var errs []error
	for ri, u := range m.runs {
		for k, st := range u.stages {
			running := 0
			for _, g := range st.groups {
				n := 0
				for _, mr := range g.members {
					s := mr.out.State
					if k > u.stage && s != MemberNotStarted {
						errs = append(errs, fmt.Errorf("run %d: %s of stage %d is %s while stage %d is current", ri, mr.c.cfg.Name, k, s, u.stage))
					}
					if k < u.stage && s != MemberCompleted && s != MemberSkipped {
						errs = append(errs, fmt.Errorf("run %d: %s of stage %d is %s after its stage ended", ri, mr.c.cfg.Name, k, s))
					}
					if s == MemberRunning {
						n++
						if mr.c.op == nil || mr.c.op.member != mr {
							errs = append(errs, fmt.Errorf("run %d: %s runs without being its cluster's operation", ri, mr.c.cfg.Name))
						}
					}
				}
				if n != g.running || n > g.max {
					errs = append(errs, fmt.Errorf("run %d: group %s has %d members running, counted %d, at most %d", ri, g.def.cfg.Name, n, g.running, g.max))
				}
				running += n
			}
			if running != st.running || running > st.max {
				errs = append(errs, fmt.Errorf("run %d: stage %d has %d members running, counted %d, at most %d", ri, k, running, st.running, st.max))
			}
		}
	}
	return errors.Join(errs...)
}

// TestManagerInvariantsRandomized runs random Fleet Manager fleets and
// checks the fleet's and the update runs' invariants after every event.
func TestManagerInvariantsRandomized(t *testing.T) {
	gen := func(rng *rand.Rand, up *channel.Upstream) Config { return randomManagerConfig(t, rng, up) }
	randomFleets(t, "manager-invariants", 40, 10, gen, func(t *testing.T, cfg Config) {
		r, err := newRunner(cfg)
		require.NoError(t, err)
		last := make([]cuts, len(r.nodes))
		ids := make([]int32, len(r.nodes))
		monotone := make([]bool, len(r.nodes))
		for i := range r.nodes {
			n := &r.nodes[i]
			last[i], ids[i] = n.cuts, n.id
			c := n.pool.cl
			// A Fleet Manager run reimages onto a node image: a node ahead
			// on SecurityPatch snapshots with an older kernel moves its
			// userspace back.
			monotone[i] = len(c.cfg.ChannelChanges) == 0 && c.pol[n.os].Feed != channel.FeedArchive && c.pol[n.os].Feed != channel.FeedSecurityPatches
		}
		r.afterEvent = func() error {
			return errors.Join(r.checkInvariants(last, ids, monotone), r.mgr.checkInvariants())
		}
		_, err = r.run()
		require.NoError(t, err)
	})
}
