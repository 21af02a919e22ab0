package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// The worked examples below can be checked by hand. The run starts on
// Monday 2025-03-03 00:00 UTC and lasts 14 days. A weekly 4-hour window
// opens on Saturdays at 22:00 UTC. One node image (R0) is current at the
// start; R1, cut 2025-03-04 00:00, is published 2025-03-05 00:00 in every
// region at once. Steps take fixed times: surge node 5 min, drain 3 min,
// reimage 7 min, no soak.

var (
	wStart = time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	// advisories
	aBacklog = time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC) // before the run: not in the distribution
	aHigh    = time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC) // in R1
	aLate    = time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC)  // in no image: censored
	sat1     = time.Date(2025, 3, 8, 22, 0, 0, 0, time.UTC)
	sat2     = time.Date(2025, 3, 15, 22, 0, 0, 0, time.UTC)
)

func workedUpstream() *channel.Upstream {
	r0 := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	r1 := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	return &channel.Upstream{
		Advisories: []channel.Advisory{
			{ID: "A0", Published: aBacklog, Severity: channel.Critical, Class: channel.Userspace},
			{ID: "A1", Published: aHigh, Severity: channel.High, Class: channel.Userspace},
			{ID: "A2", Published: aLate, Severity: channel.Critical, Class: channel.Kernel},
		},
		NodeImages: channel.Stream{Name: "node-images", Releases: []channel.Release{
			{Version: "202502.20.0", Cut: r0, Built: r0, Published: r0.Add(24 * time.Hour)},
			{Version: "202503.04.0", Cut: r1, Built: r1, Published: r1.Add(24 * time.Hour)},
		}},
	}
}

// a1Stages are the stages of A1 (published Monday 03-03 12:00) on a node
// that R1 (cut 03-04 00:00, published 03-05 00:00 in every region)
// remediates at at, in an operation that started at op: 12 h to the cut,
// 24 h to publication, no wait for the region, publication to op waiting
// for a window, then the rollout.
func a1Stages(op, at time.Time) Stages {
	published := time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)
	return Stages{StageCut: 12 * time.Hour, StageBuild: 24 * time.Hour, StageWindow: op.Sub(published), StageRollout: at.Sub(op)}
}

func saturdayWindow(t *testing.T) window.Schedule {
	t.Helper()
	s, err := window.WeekdayHours{Days: []time.Weekday{time.Saturday}, Start: 22 * time.Hour, End: 2 * time.Hour}.Schedule()
	require.NoError(t, err)
	return s
}

func workedPool(name string, nodes int) Pool {
	return Pool{
		Name: name, Count: nodes, PodsPerNode: 10,
		Upgrade: UpgradeSettings{MaxSurge: Nodes(1)},
		Durations: Durations{
			Provision: Fixed(5 * time.Minute), Drain: Fixed(3 * time.Minute),
			Reimage: Fixed(7 * time.Minute), Reboot: Fixed(3 * time.Minute),
		},
	}
}

func workedConfig(t *testing.T, pools ...Pool) Config {
	return Config{
		Start: wStart, Horizon: 14 * 24 * time.Hour, Seed: 1, Upstream: workedUpstream(), Trace: true,
		Clusters: []Cluster{{
			Name: "c", Region: "westeurope", NodeOSChannel: channel.NodeOSNodeImage,
			Maintenance: MaintenanceWindows{NodeOS: saturdayWindow(t)}, Pools: pools,
		}},
	}
}

func plus(base time.Time, hm string) time.Time {
	d, err := time.ParseDuration(hm)
	if err != nil {
		panic(err)
	}
	return base.Add(d)
}

// steps returns the node actions of the trace as "node kind start end".
type step struct {
	Pool  string
	Node  int
	Kind  ActionKind
	Start time.Time
	End   time.Time
}

func steps(res *Result) []step {
	var out []step
	for _, a := range res.Actions {
		out = append(out, step{a.Pool, a.Node, a.Kind, a.Start, a.End})
	}
	return out
}

func TestWorkedOneImageThreeNodes(t *testing.T) {
	res, err := Run(workedConfig(t, workedPool("p", 3)))
	require.NoError(t, err)

	// Surge ready at 22:05; each node drains 3 min and reimages 7 min, one
	// at a time (maxSurge 1): 22:05-22:15, 22:15-22:25, 22:25-22:35.
	want := []step{
		{"p", 0, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
		{"p", 0, ActReimage, plus(sat1, "8m"), plus(sat1, "15m")},
		{"p", 1, ActDrain, plus(sat1, "15m"), plus(sat1, "18m")},
		{"p", 1, ActReimage, plus(sat1, "18m"), plus(sat1, "25m")},
		{"p", 2, ActDrain, plus(sat1, "25m"), plus(sat1, "28m")},
		{"p", 2, ActReimage, plus(sat1, "28m"), plus(sat1, "35m")},
		{"p", -1, ActSurge, sat1, plus(sat1, "35m")},
	}
	assert.Equal(t, want, steps(res))

	// A1 (high) is remediated when each node rejoins; A2 (critical, kernel)
	// is in no image: censored on all three nodes; A0 predates the run.
	got := res.Remediations
	assert.Equal(t, []Remediation{
		{Node: 0, Severity: channel.High, Published: aHigh, At: plus(sat1, "15m"), Stages: a1Stages(sat1, plus(sat1, "15m"))},
		{Node: 1, Severity: channel.High, Published: aHigh, At: plus(sat1, "25m"), Stages: a1Stages(sat1, plus(sat1, "25m"))},
		{Node: 2, Severity: channel.High, Published: aHigh, At: plus(sat1, "35m"), Stages: a1Stages(sat1, plus(sat1, "35m"))},
	}, got)
	high := res.Exposure[channel.High]
	assert.Equal(t, uint64(3), high.Pairs)
	assert.Equal(t, uint64(3), high.Remediated)
	assert.Equal(t, uint64(0), high.Censored)
	// exposures 5d10h15m, 5d10h25m, 5d10h35m: mean and max exact
	assert.Equal(t, 5*24*time.Hour+10*time.Hour+25*time.Minute, high.Mean)
	assert.Equal(t, 5*24*time.Hour+10*time.Hour+35*time.Minute, high.Max)
	crit := res.Exposure[channel.Critical]
	assert.Equal(t, uint64(3), crit.Pairs, "A2 on three nodes; A0 predates the run")
	assert.Equal(t, uint64(3), crit.Censored)
	assert.Equal(t, Censored, crit.P50, "no critical pair was remediated")

	d := res.Disruption
	assert.Equal(t, uint64(3), d.Reimages)
	assert.Equal(t, uint64(30), d.Evictions)
	assert.Equal(t, uint64(1), d.Operations)
	assert.Equal(t, uint64(0), d.Failed)
	assert.InDelta(t, 0.5, d.NodeHoursUnavailable, 1e-9, "3 nodes x 10 min")
	assert.InDelta(t, 35.0/60, d.SurgeNodeHours, 1e-9, "one surge node for 35 min")
	assert.Equal(t, 1.0, d.MinAvailableShare, "surge keeps the pool whole")

	// Vulnerable node-days, high: A1 held from its publication until each
	// node's reimage.
	wantHigh := 3*(5+10.0/24) + (15+25+35)/(60*24.0)
	assert.InDelta(t, wantHigh, high.VulnerableNodeDays, 1e-9)
	// Critical: A0 held from the start (published before it) until the
	// reimages, A2 from its publication (before the reimages) to the end:
	// every node holds a critical advisory for all 14 days.
	assert.InDelta(t, 3*14.0, crit.VulnerableNodeDays, 1e-9)

	// Past SLA (critical 7 d): A0, published 03-02 12:00, is past SLA from
	// 03-09 12:00 but fixed on 03-08; A2, published 03-06, is past SLA from
	// 03-13 00:00: the days starting 03-13 .. 03-16 have all nodes past SLA.
	want14 := make([]float64, 14)
	for d := 10; d < 14; d++ {
		want14[d] = 1
	}
	assert.Equal(t, want14, res.PastSLA)
}

func TestWorkedPoolBreakdown(t *testing.T) {
	// Pool a (3 nodes) has a node whose drain never completes, pool b (2
	// nodes) none; the cluster's operation takes a, then b.
	a := workedPool("a", 3)
	a.PDB.Strict = []int{0}
	res, err := Run(workedConfig(t, a, workedPool("b", 2)))
	require.NoError(t, err)
	require.Len(t, res.Pools, 2)
	pa, pb := res.Pools[0], res.Pools[1]
	assert.Equal(t, [2]string{"c", "a"}, [2]string{pa.Cluster, pa.Pool})
	assert.Equal(t, [2]int{3, 2}, [2]int{pa.Count, pb.Count})
	// As in TestWorkedRollouts' strict PDB under Schedule, each Saturday a's operation
	// fails on node 0 (nodes 1 and 2 reimage on the first): 2 operations,
	// 2 failed, 2 blocked drains, 2 reimages. A failed pool ends the
	// cluster's operation, so b is never rolled out.
	assert.Equal(t, [4]uint64{2, 2, 2, 2}, [4]uint64{pa.Operations, pa.Failed, pa.BlockedDrains, pa.Reimages})
	assert.Equal(t, [4]uint64{0, 0, 0, 0}, [4]uint64{pb.Operations, pb.Failed, pb.BlockedDrains, pb.Reimages})
	// Past SLA (critical 7 d), counted at the start of each day: A0
	// (published 03-02 12:00) is past SLA from 03-09 12:00, so a node still
	// holding it counts on the days starting 03-10 .. 03-16: 7 node-days.
	// A2 (kernel, in no image, published 03-06) is past SLA from 03-13:
	// days 03-13 .. 03-16, 4 node-days. a: node 0 holds A0 (7), nodes 1
	// and 2 were reimaged past A0 but hold A2 (4 + 4): 15. b: both nodes
	// hold A0: 14. The fleet's daily shares (0.6 from 03-10, 1 from 03-13)
	// over 5 nodes: 5 x (3 x 0.6 + 4 x 1) = 29 = 15 + 14.
	assert.Equal(t, 15.0, pa.PastSLANodeDays)
	assert.Equal(t, 14.0, pb.PastSLANodeDays)
	// Every node holds a critical advisory all 14 days.
	assert.InDelta(t, 3*14.0, pa.VulnerableNodeDays[channel.Critical], 1e-9)
	assert.InDelta(t, 2*14.0, pb.VulnerableNodeDays[channel.Critical], 1e-9)
	checkPoolsAddUp(t, res)
}

func TestWorkedWindowClosesMidPool(t *testing.T) {
	slow := workedPool("slow", 3)
	slow.Durations.Reimage = Fixed(2 * time.Hour)
	fast := workedPool("fast", 1)
	res, err := Run(workedConfig(t, slow, fast))
	require.NoError(t, err)
	// The slow pool started inside the window and finishes after it closes
	// at 02:00 (node 2 even starts draining at 02:11); the fast pool waits
	// for the next Saturday.
	want := []step{
		{"slow", 0, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
		{"slow", 0, ActReimage, plus(sat1, "8m"), plus(sat1, "2h8m")},
		{"slow", 1, ActDrain, plus(sat1, "2h8m"), plus(sat1, "2h11m")},
		{"slow", 1, ActReimage, plus(sat1, "2h11m"), plus(sat1, "4h11m")},
		{"slow", 2, ActDrain, plus(sat1, "4h11m"), plus(sat1, "4h14m")},
		{"slow", 2, ActReimage, plus(sat1, "4h14m"), plus(sat1, "6h14m")},
		{"slow", -1, ActSurge, sat1, plus(sat1, "6h14m")},
		{"fast", 0, ActDrain, plus(sat2, "5m"), plus(sat2, "8m")},
		{"fast", 0, ActReimage, plus(sat2, "8m"), plus(sat2, "15m")},
		{"fast", -1, ActSurge, sat2, plus(sat2, "15m")},
	}
	assert.Equal(t, want, steps(res))
	assert.Equal(t, uint64(0), res.Disruption.OutsideWindow)

	// With catch-up, the fast pool starts an hour after the slow pool ends.
	cfg := workedConfig(t, slow, fast)
	cfg.Clusters[0].Policy.CatchUp = true
	res, err = Run(cfg)
	require.NoError(t, err)
	catchUp := plus(sat1, "7h14m")
	assert.Contains(t, steps(res), step{"fast", 0, ActReimage, catchUp.Add(8 * time.Minute), catchUp.Add(15 * time.Minute)})
	assert.Equal(t, uint64(1), res.Disruption.OutsideWindow)
}

func TestWorkedSettle(t *testing.T) {
	// With the last 9 of 14 days settling, only advisories published
	// before 03-08 00:00 are measured: A1 is, A2 (03-06) is too, so take
	// 11 days: the measured span ends 03-06 00:00, before A2.
	cfg := workedConfig(t, workedPool("p", 3))
	cfg.Settle = 11 * 24 * time.Hour
	res, err := Run(cfg)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), res.Exposure[channel.High].Pairs)
	assert.Equal(t, uint64(0), res.Exposure[channel.Critical].Pairs, "A2 is published in the settling span")
	assert.InDelta(t, 42.0, res.Exposure[channel.Critical].VulnerableNodeDays, 1e-9, "still vulnerable time")
	cfg.Settle = cfg.Horizon
	assert.ErrorContains(t, cfg.Validate(), "settle")
}

func TestWorkedSecondPass(t *testing.T) {
	// R2 (cut 03-08 12:00) is published at 22:20 on the first Saturday,
	// after the first pass (to R1) ended at 22:15.
	cfg := workedConfig(t, workedPool("p", 1))
	r2 := time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)
	cfg.Upstream.NodeImages.Releases = append(cfg.Upstream.NodeImages.Releases,
		channel.Release{Version: "202503.08.0", Cut: r2, Built: r2, Published: plus(sat1, "20m")})
	res, err := Run(cfg)
	require.NoError(t, err)
	// By default (the FAQ, aks.md section 3.3 item 4): R2 reaches the region
	// at 22:20 with the window still open, and a second pass follows at
	// once: surge 22:20-22:25, drain 22:25-22:28, reimage 22:28-22:35.
	assert.Equal(t, []step{
		{"p", 0, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
		{"p", 0, ActReimage, plus(sat1, "8m"), plus(sat1, "15m")},
		{"p", -1, ActSurge, sat1, plus(sat1, "15m")},
		{"p", 0, ActDrain, plus(sat1, "25m"), plus(sat1, "28m")},
		{"p", 0, ActReimage, plus(sat1, "28m"), plus(sat1, "35m")},
		{"p", -1, ActSurge, plus(sat1, "20m"), plus(sat1, "35m")},
	}, steps(res))

	// With OnePass, R2 waits for the next Saturday.
	cfg.Clusters[0].Policy.OnePass = true
	res, err = Run(cfg)
	require.NoError(t, err)
	assert.Equal(t, []step{
		{"p", 0, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
		{"p", 0, ActReimage, plus(sat1, "8m"), plus(sat1, "15m")},
		{"p", -1, ActSurge, sat1, plus(sat1, "15m")},
		{"p", 0, ActDrain, plus(sat2, "5m"), plus(sat2, "8m")},
		{"p", 0, ActReimage, plus(sat2, "8m"), plus(sat2, "15m")},
		{"p", -1, ActSurge, sat2, plus(sat2, "15m")},
	}, steps(res))
}

func TestUnsortedAdvisories(t *testing.T) {
	// A hand-built upstream need not list advisories in publication order.
	sorted, err := Run(workedConfig(t, workedPool("p", 3)))
	require.NoError(t, err)
	cfg := workedConfig(t, workedPool("p", 3))
	a := cfg.Upstream.Advisories
	a[0], a[2] = a[2], a[0]
	shuffled, err := Run(cfg)
	require.NoError(t, err)
	assert.Equal(t, sorted, shuffled)
}

func TestWorkedDeferredPoolResumesFirst(t *testing.T) {
	// R2 (cut 03-10) reaches the region on 03-11, between the two windows.
	slow := workedPool("slow", 3)
	slow.Durations.Reimage = Fixed(2 * time.Hour)
	fast := workedPool("fast", 1)
	cfg := workedConfig(t, slow, fast)
	r2 := time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)
	cfg.Upstream.NodeImages.Releases = append(cfg.Upstream.NodeImages.Releases,
		channel.Release{Version: "202503.10.0", Cut: r2, Built: r2, Published: r2.Add(24 * time.Hour)})
	res, err := Run(cfg)
	require.NoError(t, err)
	// First Saturday as in TestWorkedWindowClosesMidPool: the slow pool
	// runs to 04:14 on Sunday and the fast pool is deferred. On the second
	// Saturday the fast pool resumes first, onto R1, the image selected
	// then (aks.md section 3.3 item 2): surge 22:00-22:05, drain
	// 22:05-22:08, reimage 22:08-22:15. The window is still open, so newer
	// work starts at 22:15: the slow pool to R2, surge ready 22:20, each
	// node 3 min drain + 2 h reimage: 22:20-22:23-00:23, 00:23-00:26-02:26,
	// 02:26-02:29-04:29 (in flight past the 02:00 close); the fast pool's
	// R2 upgrade is deferred again.
	want := []step{
		{"fast", 0, ActDrain, plus(sat2, "5m"), plus(sat2, "8m")},
		{"fast", 0, ActReimage, plus(sat2, "8m"), plus(sat2, "15m")},
		{"fast", -1, ActSurge, sat2, plus(sat2, "15m")},
		{"slow", 0, ActDrain, plus(sat2, "20m"), plus(sat2, "23m")},
		{"slow", 0, ActReimage, plus(sat2, "23m"), plus(sat2, "2h23m")},
		{"slow", 1, ActDrain, plus(sat2, "2h23m"), plus(sat2, "2h26m")},
		{"slow", 1, ActReimage, plus(sat2, "2h26m"), plus(sat2, "4h26m")},
		{"slow", 2, ActDrain, plus(sat2, "4h26m"), plus(sat2, "4h29m")},
		{"slow", 2, ActReimage, plus(sat2, "4h29m"), plus(sat2, "6h29m")},
		{"slow", -1, ActSurge, plus(sat2, "15m"), plus(sat2, "6h29m")},
	}
	got := steps(res)
	require.Len(t, got, 7+len(want))
	assert.Equal(t, want, got[7:])
	// The fast node runs R1 (its remediation of A1 at 22:15), not R2.
	assert.Contains(t, res.Remediations, Remediation{Node: 3, Severity: channel.High, Published: aHigh, At: plus(sat2, "15m"), Stages: a1Stages(sat2, plus(sat2, "15m"))})
	assert.Equal(t, uint64(3), res.Disruption.Operations, "slow, fast (resumed), slow")
}

func TestWorkedLivePatchEndsInsideTheWindow(t *testing.T) {
	// SecurityPatch, three nodes on snapshot S0 (cut 02-20). Snapshot S1
	// (cut 03-08 12:00) reaches the region while the first Saturday window
	// (22:00-02:00) is open; each node applies a live patch within 10
	// minutes of the pass starting.
	run := func(arrive time.Time) ([]step, *Result) {
		cfg := workedConfig(t, workedPool("p", 3))
		cfg.Clusters[0].NodeOSChannel = channel.NodeOSSecurityPatch
		s0, s1 := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)
		cfg.Upstream.NodeImages.Releases = cfg.Upstream.NodeImages.Releases[:1]
		cfg.Upstream.SecurityPatches = channel.Stream{Name: "security-patches", Releases: []channel.Release{
			{Version: "s0", Cut: s0, Built: s0, Published: s0},
			{Version: "s1", Cut: s1, Built: s1, Published: arrive},
		}}
		res, err := Run(cfg)
		require.NoError(t, err)
		return steps(res), res
	}
	// A1's stages on each node follow S1: 5 days from publication (03-03
	// 12:00) to its cut, its build to arrive, no regional wait, the wait
	// from arrive to the pass that patched the node, then the node's share
	// of the live patch's 10-minute spread.
	stages := func(res *Result, arrive, pass time.Time) {
		t.Helper()
		require.Len(t, res.Remediations, 3, "A1 on every node; a live patch does not fix the kernel advisory A2")
		for _, m := range res.Remediations {
			assert.Equal(t, Stages{StageCut: 5 * 24 * time.Hour, StageBuild: arrive.Sub(time.Date(2025, 3, 8, 12, 0, 0, 0, time.UTC)),
				StageWindow: pass.Sub(arrive), StageRollout: m.At.Sub(pass)}, m.Stages)
		}
	}
	within := func(got []step, from time.Time) {
		t.Helper()
		require.Len(t, got, 3)
		for _, s := range got {
			assert.Equal(t, ActLivePatch, s.Kind)
			assert.False(t, s.Start.Before(from), "%v", s)
			assert.True(t, s.Start.Before(from.Add(10*time.Minute)), "%v", s)
		}
	}
	// Arriving at 01:45 (15 minutes before the close), the pass starts at
	// once and every node is patched in [01:45, 01:55), inside the window.
	got, res := run(plus(sat1, "3h45m"))
	within(got, plus(sat1, "3h45m"))
	stages(res, plus(sat1, "3h45m"), plus(sat1, "3h45m"))
	// Arriving at 01:55, a pass would patch nodes up to 02:05, after the
	// close: it waits for the next Saturday, [22:00, 22:10).
	got, res = run(plus(sat1, "3h55m"))
	within(got, sat2)
	stages(res, plus(sat1, "3h55m"), sat2)
}

// counts are the disruption counters a rollout example pins.
type counts struct{ reimages, failed, canceled, blocked, quarantined uint64 }

// TestWorkedRollouts: rollouts of one pool on the first Saturday (and the
// second), hand-computed from the fixed step times (surge 5 min, drain 3,
// reimage 7, drain timeout 30) and read from the trace.
func TestWorkedRollouts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pool  func(p *Pool)
		nodes int
		days  int // horizon; 0 means 14
		want  []step
		out   counts
		check func(t *testing.T, res *Result) // more, when the case needs it
	}{{
		// Node 0's drain never completes: it hits the 30-minute timeout at
		// 22:35 and is made schedulable on its old image. The rollout goes
		// on with the other nodes (API text of undrainableNodeBehavior
		// Schedule, aks.md section 4.1): node 1 drains 22:35-22:38 and
		// reimages 22:38-22:45, node 2 22:45-22:48-22:55; the surge node
		// goes at 22:55 and the operation ends failed. Next Saturday only
		// node 0 is behind: blocked again 22:05-22:35.
		name: "strict PDB, Schedule", nodes: 3,
		pool: func(p *Pool) { p.PDB.Strict = []int{0} },
		want: []step{
			{"p", 0, ActBlocked, plus(sat1, "5m"), plus(sat1, "35m")},
			{"p", 1, ActDrain, plus(sat1, "35m"), plus(sat1, "38m")},
			{"p", 1, ActReimage, plus(sat1, "38m"), plus(sat1, "45m")},
			{"p", 2, ActDrain, plus(sat1, "45m"), plus(sat1, "48m")},
			{"p", 2, ActReimage, plus(sat1, "48m"), plus(sat1, "55m")},
			{"p", -1, ActSurge, sat1, plus(sat1, "55m")},
			{"p", 0, ActBlocked, plus(sat2, "5m"), plus(sat2, "35m")},
			{"p", -1, ActSurge, sat2, plus(sat2, "35m")},
		},
		out: counts{reimages: 2, failed: 2, blocked: 2},
		check: func(t *testing.T, res *Result) {
			assert.Equal(t, []Remediation{
				{Node: 1, Severity: channel.High, Published: aHigh, At: plus(sat1, "45m"), Stages: a1Stages(sat1, plus(sat1, "45m"))},
				{Node: 2, Severity: channel.High, Published: aHigh, At: plus(sat1, "55m"), Stages: a1Stages(sat1, plus(sat1, "55m"))},
			}, res.Remediations)
			assert.Equal(t, uint64(1), res.Exposure[channel.High].Censored, "node 0 only")
		},
	}, {
		// Node 0 upgrades 22:05-22:15. Node 1 drains from 22:15 and hits
		// the timeout at 22:45: quarantined; the only surge node is
		// retained in its place, so no buffer is left for node 2 and the
		// operation fails (one blocked node, one surge node to replace it:
		// failed, not canceled). The operator deletes node 1 24 h later;
		// its retained surge node (on R1) takes its place. Next Saturday
		// node 2 upgrades.
		name: "strict PDB, Cordon", nodes: 3,
		pool: func(p *Pool) { p.PDB.Strict = []int{1}; p.Upgrade.Undrainable = UndrainableCordon },
		want: []step{
			{"p", 0, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
			{"p", 0, ActReimage, plus(sat1, "8m"), plus(sat1, "15m")},
			{"p", 1, ActBlocked, plus(sat1, "15m"), plus(sat1, "45m")},
			{"p", -1, ActSurge, sat1, plus(sat1, "45m")},
			{"p", 1, ActQuarantine, plus(sat1, "45m"), plus(sat1, "24h45m")},
			{"p", 2, ActDrain, plus(sat2, "5m"), plus(sat2, "8m")},
			{"p", 2, ActReimage, plus(sat2, "8m"), plus(sat2, "15m")},
			{"p", -1, ActSurge, sat2, plus(sat2, "15m")},
		},
		out: counts{reimages: 2, failed: 1, blocked: 1, quarantined: 1},
		check: func(t *testing.T, res *Result) {
			// surge: 45 min for the first operation's node, kept until
			// cleanup at +24h45m, plus 15 min the next Saturday.
			assert.InDelta(t, 24.75+0.25, res.Disruption.SurgeNodeHours, 1e-9)
			assert.Equal(t, []Remediation{
				{Node: 0, Severity: channel.High, Published: aHigh, At: plus(sat1, "15m"), Stages: a1Stages(sat1, plus(sat1, "15m"))},
				{Node: 1, Severity: channel.High, Published: aHigh, At: plus(sat1, "24h45m"), Stages: a1Stages(sat1, plus(sat1, "24h45m"))},
				{Node: 2, Severity: channel.High, Published: aHigh, At: plus(sat2, "15m"), Stages: a1Stages(sat2, plus(sat2, "15m"))},
			}, res.Remediations)
		},
	}, {
		// Four nodes, nodes 0 and 1 never drain; maxSurge 1 and
		// maxUnavailable 1 make batches of two, maxBlockedNodes 2 tolerates
		// both. Surge ready at 22:05; nodes 0 and 1 drain from 22:05 and hit
		// the timeout at 22:35: both quarantined, one surge node retained
		// for node 0. Two blocked nodes, one surge node to replace them: the
		// operation ends canceled (aks.md section 4.1), not failed. The
		// operator deletes both quarantined nodes 24 h later.
		name: "Cordon, more blocked than surge", nodes: 4, days: 7,
		pool: func(p *Pool) {
			p.PDB.Strict = []int{0, 1}
			p.Upgrade = UpgradeSettings{MaxSurge: Nodes(1), MaxUnavailable: Nodes(1), MaxBlockedNodes: Nodes(2), Undrainable: UndrainableCordon}
		},
		want: []step{
			{"p", 0, ActBlocked, plus(sat1, "5m"), plus(sat1, "35m")},
			{"p", 1, ActBlocked, plus(sat1, "5m"), plus(sat1, "35m")},
			{"p", -1, ActSurge, sat1, plus(sat1, "35m")},
			{"p", 0, ActQuarantine, plus(sat1, "35m"), plus(sat1, "24h35m")},
			{"p", 1, ActQuarantine, plus(sat1, "35m"), plus(sat1, "24h35m")},
		},
		out: counts{canceled: 1, blocked: 2, quarantined: 2},
	}, {
		// Four nodes, maxSurge 1 and maxUnavailable 1: the surge node is
		// provisioned first (22:00-22:05), then batches of 1 + 1 = 2 nodes:
		// the surge node stands in for one, the other is down without
		// replacement (aks.md sections 4.1 and 4.2). Nodes 0 and 1 drain
		// 22:05-22:08 and reimage 22:08-22:15; nodes 2 and 3
		// 22:15-22:18-22:25; the surge node goes at 22:25. At worst
		// 4 - 2 + 1 = 3 of 4 nodes serve: 75%.
		name: "maxSurge and maxUnavailable", nodes: 4, days: 7,
		pool: func(p *Pool) { p.Upgrade = UpgradeSettings{MaxSurge: Nodes(1), MaxUnavailable: Nodes(1)} },
		want: []step{
			{"p", 0, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
			{"p", 0, ActReimage, plus(sat1, "8m"), plus(sat1, "15m")},
			{"p", 1, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
			{"p", 1, ActReimage, plus(sat1, "8m"), plus(sat1, "15m")},
			{"p", 2, ActDrain, plus(sat1, "15m"), plus(sat1, "18m")},
			{"p", 2, ActReimage, plus(sat1, "18m"), plus(sat1, "25m")},
			{"p", 3, ActDrain, plus(sat1, "15m"), plus(sat1, "18m")},
			{"p", 3, ActReimage, plus(sat1, "18m"), plus(sat1, "25m")},
			{"p", -1, ActSurge, sat1, plus(sat1, "25m")},
		},
		out:   counts{reimages: 4},
		check: func(t *testing.T, res *Result) { assert.Equal(t, 0.75, res.Disruption.MinAvailableShare) },
	}} {
		t.Run(tc.name, func(t *testing.T) {
			p := workedPool("p", tc.nodes)
			tc.pool(&p)
			cfg := workedConfig(t, p)
			if tc.days > 0 {
				cfg.Horizon = time.Duration(tc.days) * 24 * time.Hour
			}
			res, err := Run(cfg)
			require.NoError(t, err)
			assert.Equal(t, tc.want, steps(res))
			d := res.Disruption
			assert.Equal(t, tc.out, counts{d.Reimages, d.Failed, d.Canceled, d.BlockedDrains, d.Quarantined})
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}
