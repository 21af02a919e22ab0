package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// The Fleet Manager worked examples (reference fleet-manager.md section
// 13.1) on the worked upstream of worked_test.go: R0 is current at the
// start (Monday 2025-03-03), R1 is published on Wednesday 2025-03-05 00:00
// in every region at once. Every member has one pool of two nodes with
// maxSurge 1 and fixed steps (surge node 5 min, drain 3 min, reimage
// 7 min), so a member's upgrade takes 25 minutes: surge 0-25, node 0
// drains 5-8 and reimages 8-15, node 1 drains 15-18 and reimages 18-25.
// Members' own node OS channel is None: only Fleet Manager upgrades them.

var wed = time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)

func fleetMember(name, region string, w window.Schedule) Cluster {
	return Cluster{Name: name, Region: region, NodeOSChannel: channel.NodeOSNone,
		Maintenance: MaintenanceWindows{NodeOS: w}, Pools: []Pool{workedPool("p", 2)}}
}

// memberSteps returns the hand-computed trace of one member upgrade that
// starts at s.
func memberSteps(cluster string, s time.Time) []Action {
	a := func(node int, k ActionKind, from, to string) Action {
		return Action{Cluster: cluster, Pool: "p", Node: node, Kind: k, Start: plus(s, from), End: plus(s, to)}
	}
	return []Action{
		a(0, ActDrain, "5m", "8m"), a(0, ActReimage, "8m", "15m"),
		a(1, ActDrain, "15m", "18m"), a(1, ActReimage, "18m", "25m"),
		a(-1, ActSurge, "0m", "25m"),
	}
}

func actionsOf(res *Result, cluster string) []Action {
	var out []Action
	for _, a := range res.Actions {
		if a.Cluster == cluster {
			out = append(out, a)
		}
	}
	return out
}

// twoStagesConfig is the fleet of the first worked timeline: stage test,
// A (no window), then a wait of 86,400 s; stage prod, one group listing B
// (window Saturdays 00:00-04:00 UTC) before C (no window); the group
// upgrades one member at a time.
func twoStagesConfig(t *testing.T) Config {
	t.Helper()
	satNight, err := window.WeekdayHours{Days: []time.Weekday{time.Saturday}, Start: 0, End: 4 * time.Hour}.Schedule()
	require.NoError(t, err)
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("b", "westeurope", satNight), fleetMember("c", "westeurope", nil)}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{
			{Name: "test", AfterStageWait: 86400 * time.Second, Groups: []UpdateGroup{{Name: "t", Clusters: []string{"a"}}}},
			{Name: "prod", Groups: []UpdateGroup{{Name: "p", Clusters: []string{"b", "c"}}}},
		}},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
		Policy:   ManagerPolicy{NoWindowPoll: true},
	}
	return cfg
}

func TestWorkedFleetTwoStagesWaitClosedWindow(t *testing.T) {
	res, err := Run(twoStagesConfig(t))
	require.NoError(t, err)

	// R1 triggers one run on Wednesday 00:00 (R0 predates the start and
	// triggers nothing). A starts at once: Wed 00:00-00:25. The wait ends
	// Thu 00:25, when prod opens: B's window is closed and C has none, so C
	// goes first (no window before closed window), Thu 00:25-00:50. B is
	// Pending until its window opens on Saturday 00:00: Sat 00:00-00:25.
	thu, sat := plus(wed, "24h25m"), time.Date(2025, 3, 8, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, memberSteps("a", wed), actionsOf(res, "a"))
	assert.Equal(t, memberSteps("c", thu), actionsOf(res, "c"))
	assert.Equal(t, memberSteps("b", sat), actionsOf(res, "b"))

	m := res.Manager
	require.NotNil(t, m)
	require.Len(t, m.Runs, 1)
	run := m.Runs[0]
	assert.Equal(t, "202503.04.0", run.Release)
	assert.Equal(t, RunCompleted, run.State)
	assert.Equal(t, wed, run.Created)
	assert.Equal(t, plus(sat, "25m"), run.End, "no wait after the last stage delays nothing")
	test, prod := run.Stages[0], run.Stages[1]
	assert.Equal(t, []time.Time{wed, plus(wed, "25m"), thu}, []time.Time{test.Start, test.Done, test.End})
	assert.Equal(t, []time.Time{thu, plus(sat, "25m"), plus(sat, "25m")}, []time.Time{prod.Start, prod.Done, prod.End})
	b, c := prod.Members[0], prod.Members[1]
	assert.Equal(t, MemberRun{Cluster: "b", Group: "p", State: MemberCompleted, Reached: thu, Start: sat, End: plus(sat, "25m"), Target: "202503.04.0", Pending: 1, Reason: PendingWindow}, b)
	assert.Equal(t, MemberRun{Cluster: "c", Group: "p", State: MemberCompleted, Reached: thu, Start: thu, End: plus(thu, "25m"), Target: "202503.04.0"}, c)

	// Release to the stage's last member done: 25 min for test, 3 days 25
	// min for prod.
	require.Len(t, m.Stages, 2)
	assert.Equal(t, []time.Duration{25 * time.Minute, 25 * time.Minute}, []time.Duration{m.Stages[0].MeanReleaseToDone, m.Stages[0].MaxReleaseToDone})
	assert.Equal(t, 72*time.Hour+25*time.Minute, m.Stages[1].MeanReleaseToDone)
	assert.Equal(t, 1, m.Stages[1].Completed)

	// High advisory A1 (published Mon 12:00, in R1) is fixed on each node
	// as it rejoins: test's two nodes after 1d12h15m and 1d12h25m; prod's
	// C after 2d12h40m and 2d12h50m, B after 4d12h15m and 4d12h25m.
	const min = 1.0 / (24 * 60)
	assert.InDelta(t, 3+40*min, m.Stages[0].VulnerableNodeDays[channel.High], 1e-9)
	assert.InDelta(t, 14+130*min, m.Stages[1].VulnerableNodeDays[channel.High], 1e-9)
	assert.InDelta(t, 5+90*min, m.Members[2].VulnerableNodeDays[channel.High], 1e-9, "member c")

	// Behind the first stage, at the start of each day: nobody until A
	// has R1 (Thu: B and C behind), C catches up on Thursday (Fri, Sat: B),
	// B on Saturday (Sun on: nobody).
	want := make([]float64, 14)
	want[3], want[4], want[5] = 2.0/3, 1.0/3, 1.0/3
	assert.InDeltaSlice(t, want, m.BehindFirstStage, 1e-12)
}

func TestWorkedFleetWindowPoll(t *testing.T) {
	// The same fleet with Fleet Manager's hourly poll: C, reached while
	// the run is active, still starts at once (Thu 00:25); B starts at the
	// first poll at or after its window opens, within the hour after Sat
	// 00:00, on the run's poll phase.
	satNight, err := window.WeekdayHours{Days: []time.Weekday{time.Saturday}, Start: 0, End: 4 * time.Hour}.Schedule()
	require.NoError(t, err)
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("b", "westeurope", satNight), fleetMember("c", "westeurope", nil)}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{
			{Name: "test", AfterStageWait: 24 * time.Hour, Groups: []UpdateGroup{{Name: "t", Clusters: []string{"a"}}}},
			{Name: "prod", Groups: []UpdateGroup{{Name: "p", Clusters: []string{"b", "c"}}}},
		}},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	sat := time.Date(2025, 3, 8, 0, 0, 0, 0, time.UTC)
	thu := plus(wed, "24h25m")
	assert.Equal(t, memberSteps("c", thu), actionsOf(res, "c"))
	b := res.Manager.Runs[0].Stages[1].Members[0]
	assert.False(t, b.Start.Before(sat), "B starts at %s", b.Start)
	assert.True(t, b.Start.Before(sat.Add(time.Hour)), "B starts at %s", b.Start)
	assert.Equal(t, memberSteps("b", b.Start), actionsOf(res, "b"))
}

func TestWorkedFleetLatestConsistent(t *testing.T) {
	// Regions X (westeurope) and Y (eastus). The node image stream rolls
	// out over 12 days; with stream seed 28, X is 0.0213 and Y 0.6049 of
	// the way along the rollout order (channel.Wave), so a release reaches
	// X about 6 h and Y about 7 d 6 h after its publication. R1 (published
	// Feb 10) is everywhere by the start; R2, published Tuesday Mar 4
	// 00:00 (day 1), reaches X at about 06:08 Tue and Y at about 06:12 on
	// Tue Mar 11 (day 8). Its run is triggered on day 1 and, with a
	// trigger lag of 1 day, starts Wed Mar 5 00:00 (day 2). Stage one
	// holds x1 (X) and y1 (Y) in parallel groups; after 7 days, stage two
	// holds y2 (Y). No windows, no poll.
	r1 := time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC)
	r2 := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	up := &channel.Upstream{
		Advisories: []channel.Advisory{{ID: "A1", Published: plus(r2, "-12h"), Severity: channel.High, Class: channel.Userspace}},
		NodeImages: channel.Stream{Name: "node-images", Seed: 28, Rollout: 12 * 24 * time.Hour, Releases: []channel.Release{
			{Version: "R1", Cut: r1, Built: r1, Published: r1},
			{Version: "R2", Cut: r2, Built: r2, Published: plus(r2, "24h")},
		}},
	}
	x, y := "westeurope", "eastus"
	availX, availY := up.NodeImages.Available(1, x), up.NodeImages.Available(1, y)
	require.Equal(t, "2025-03-04T06:08", availX.Format("2006-01-02T15:04"))
	require.Equal(t, "2025-03-11T06:12", availY.Format("2006-01-02T15:04"))
	day2 := wed
	stage2 := plus(day2, "168h25m") // day 9: stage one's last member done at 00:25, then 7 days

	run := func(sel NodeImageSelection, trigger ...Trigger) *Result {
		cfg := Config{Start: wStart, Horizon: 21 * 24 * time.Hour, Seed: 1, Upstream: up, Trace: true,
			Clusters: []Cluster{fleetMember("x1", x, nil), fleetMember("y1", y, nil), fleetMember("y2", y, nil)}}
		cfg.Manager = &Manager{
			Strategy: &UpdateStrategy{Stages: []UpdateStage{
				{Name: "one", AfterStageWait: 7 * 24 * time.Hour, Groups: []UpdateGroup{{Name: "gx", Clusters: []string{"x1"}}, {Name: "gy", Clusters: []string{"y1"}}}},
				{Name: "two", Groups: []UpdateGroup{{Name: "g2", Clusters: []string{"y2"}}}},
			}},
			Profiles: []AutoUpgradeProfile{{Name: "ni", Channel: ChannelNodeImage, NodeImageSelection: sel}},
			Policy:   ManagerPolicy{NoWindowPoll: true, TriggerLag: 24 * time.Hour},
		}
		if len(trigger) > 0 {
			cfg.Manager.Policy.TriggerOn = trigger[0]
		}
		res, err := Run(cfg)
		require.NoError(t, err)
		require.Len(t, res.Manager.Runs, 1)
		return res
	}
	members := func(res *Result) []MemberRun {
		var out []MemberRun
		for _, s := range res.Manager.Runs[0].Stages {
			out = append(out, s.Members...)
		}
		return out
	}

	// Latest: x1 starts on day 2 and gets R2 (in X since day 1); y1 starts
	// on day 2, when Y's newest is R1, which it runs: Skipped. Stage one is
	// done at 00:25 (x1), stage two opens on day 9 and y2 gets R2, in Y
	// since day 8.
	res := run(SelectionLatest)
	assert.Equal(t, []MemberRun{
		{Cluster: "x1", Group: "gx", State: MemberCompleted, Reached: day2, Start: day2, End: plus(day2, "25m"), Target: "R2"},
		{Cluster: "y1", Group: "gy", State: MemberSkipped, Reached: day2, End: day2},
		{Cluster: "y2", Group: "g2", State: MemberCompleted, Reached: stage2, Start: stage2, End: plus(stage2, "25m"), Target: "R2"},
	}, members(res))
	assert.Equal(t, memberSteps("y2", stage2), actionsOf(res, "y2"))

	// Consistent: at the run's start (day 2) the newest image in both X and
	// Y is R1; every member runs it already and is Skipped, so the run
	// ends on day 9 after the wait, and no node gets R2.
	res = run(SelectionConsistent)
	assert.Equal(t, map[string]string{"node-images": "R1"}, res.Manager.Runs[0].Consistent)
	assert.Equal(t, []MemberRun{
		{Cluster: "x1", Group: "gx", State: MemberSkipped, Reached: day2, End: day2},
		{Cluster: "y1", Group: "gy", State: MemberSkipped, Reached: day2, End: day2},
		{Cluster: "y2", Group: "g2", State: MemberSkipped, Reached: plus(day2, "168h"), End: plus(day2, "168h")},
	}, members(res))
	assert.Empty(t, res.Actions)
	assert.Equal(t, plus(day2, "168h"), res.Manager.Runs[0].End)

	// Release (the NodeImage default): every member gets R2; y1 waits in Y
	// until R2 arrives on day 8, so stage one is done 25 min later and y2
	// starts 7 days after that.
	res = run(SelectionDefault)
	y1 := availY
	y2 := y1.Add(25*time.Minute + 7*24*time.Hour)
	assert.Equal(t, []MemberRun{
		{Cluster: "x1", Group: "gx", State: MemberCompleted, Reached: day2, Start: day2, End: plus(day2, "25m"), Target: "R2"},
		{Cluster: "y1", Group: "gy", State: MemberCompleted, Reached: day2, Start: y1, End: y1.Add(25 * time.Minute), Target: "R2", Pending: 1, Reason: PendingRegion},
		{Cluster: "y2", Group: "g2", State: MemberCompleted, Reached: y2, Start: y2, End: y2.Add(25 * time.Minute), Target: "R2"},
	}, members(res))
	assert.Equal(t, memberSteps("y1", y1), actionsOf(res, "y1"))

	// Consistent, with the run created once R2 has reached every member
	// region (triggerOn allRegions): R2 reaches Y at 06:12 on day 8 and
	// the run starts a day later, 06:12 on day 9, picking R2 for all.
	// x1 and y1 run in parallel, y2 a week after they are done.
	res = run(SelectionConsistent, TriggerAllRegions)
	s1 := availY.Add(24 * time.Hour)
	s2 := s1.Add(25*time.Minute + 7*24*time.Hour)
	assert.Equal(t, map[string]string{"node-images": "R2"}, res.Manager.Runs[0].Consistent)
	assert.Equal(t, s1, res.Manager.Runs[0].Created)
	assert.Equal(t, []MemberRun{
		{Cluster: "x1", Group: "gx", State: MemberCompleted, Reached: s1, Start: s1, End: s1.Add(25 * time.Minute), Target: "R2"},
		{Cluster: "y1", Group: "gy", State: MemberCompleted, Reached: s1, Start: s1, End: s1.Add(25 * time.Minute), Target: "R2"},
		{Cluster: "y2", Group: "g2", State: MemberCompleted, Reached: s2, Start: s2, End: s2.Add(25 * time.Minute), Target: "R2"},
	}, members(res))
}

func TestWorkedFleetOneByOneMembers(t *testing.T) {
	// No strategy: a run updates the members one by one, in Members
	// order; b joined no fleet and is left alone. R1's run on Wednesday
	// 00:00: c 00:00-00:25, then a 00:25-00:50.
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("b", "westeurope", nil), fleetMember("c", "westeurope", nil)}
	cfg.Manager = &Manager{
		Members:  []string{"c", "a"},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
		Policy:   ManagerPolicy{NoWindowPoll: true},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	assert.Equal(t, memberSteps("c", wed), actionsOf(res, "c"))
	assert.Equal(t, memberSteps("a", plus(wed, "25m")), actionsOf(res, "a"))
	assert.Empty(t, actionsOf(res, "b"))
	run := res.Manager.Runs[0]
	require.Len(t, run.Stages, 1)
	assert.Equal(t, "default", run.Stages[0].Name)
	assert.Equal(t, []string{"c", "a"}, res.Manager.Stages[0].Members)
	assert.Equal(t, plus(wed, "50m"), run.End)
}

func TestWorkedFleetApprovals(t *testing.T) {
	// Stage test (a) has an after-stage approval and a 1 h wait; stage
	// prod's group (c) has a before approval. Every approval is granted
	// 2 h after the run reaches it, within weekday business hours
	// 09:00-17:00 UTC. R1's run on Wednesday 00:00: a 00:00-00:25. The
	// wait (to 01:25) and the approval (due 02:25, granted when business
	// hours open at 09:00) run together: prod opens at 09:00. Its group
	// approval is granted at 11:00, when c starts: 11:00-11:25.
	hours, err := window.WeekdayHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, Start: 9 * time.Hour, End: 17 * time.Hour}.Schedule()
	require.NoError(t, err)
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("c", "westeurope", nil)}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{
			{Name: "test", AfterStageWait: time.Hour, AfterApprovals: []Approval{{Name: "soak ok"}}, Groups: []UpdateGroup{{Name: "t", Clusters: []string{"a"}}}},
			{Name: "prod", Groups: []UpdateGroup{{Name: "p", Clusters: []string{"c"}, BeforeApprovals: []Approval{{Name: "go"}}}}},
		}},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
		Policy:   ManagerPolicy{NoWindowPoll: true, ApprovalDelay: Fixed(2 * time.Hour), ApprovalWindow: hours},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	assert.Equal(t, memberSteps("a", wed), actionsOf(res, "a"))
	assert.Equal(t, memberSteps("c", plus(wed, "11h")), actionsOf(res, "c"))
	run := res.Manager.Runs[0]
	assert.Equal(t, []time.Time{wed, plus(wed, "25m"), plus(wed, "9h")}, []time.Time{run.Stages[0].Start, run.Stages[0].Done, run.Stages[0].End})
	assert.Equal(t, plus(wed, "9h"), run.Stages[1].Start)
	assert.Equal(t, plus(wed, "11h"), run.Stages[1].Members[0].Reached, "the group is reached when its approval is granted")
	assert.Equal(t, plus(wed, "11h25m"), run.End)
}

func TestWorkedFleetNewerRelease(t *testing.T) {
	// R2 (cut Thu 00:00) is published Thursday 2025-03-06 12:00, while
	// R1's run (Wednesday 00:00) waits 3 days after stage test (a,
	// 00:00-00:25) before stage prod (c).
	thu := plus(wed, "36h")
	up := workedUpstream()
	r2 := time.Date(2025, 3, 6, 0, 0, 0, 0, time.UTC)
	up.NodeImages.Releases = append(up.NodeImages.Releases, channel.Release{Version: "202503.06.0", Cut: r2, Built: r2, Published: thu})
	type member struct {
		cluster, target string
		start           time.Time
	}
	for _, c := range []struct {
		newer NewerRelease
		want  []member // member upgrades in start order
		state []RunState
	}{
		// Both runs go on: R1 reaches c on Sat 00:25, R2's run gets a on
		// Thu 12:00 and c after its own wait, Sun 12:25.
		{ParallelRuns, []member{{"a", "202503.04.0", wed}, {"a", "202503.06.0", thu}, {"c", "202503.04.0", plus(wed, "72h25m")}, {"c", "202503.06.0", plus(thu, "72h25m")}},
			[]RunState{RunCompleted, RunCompleted}},
		// R2's run stops R1's, which is waiting: c gets only R2.
		{Supersede, []member{{"a", "202503.04.0", wed}, {"a", "202503.06.0", thu}, {"c", "202503.06.0", plus(thu, "72h25m")}},
			[]RunState{RunStopped, RunCompleted}},
		// R2's run begins when R1's ends (c done Sat 00:50): a 00:50, c
		// after the wait on Tue 01:15.
		{Queue, []member{{"a", "202503.04.0", wed}, {"c", "202503.04.0", plus(wed, "72h25m")}, {"a", "202503.06.0", plus(wed, "72h50m")}, {"c", "202503.06.0", plus(wed, "72h50m").Add(72*time.Hour + 25*time.Minute)}},
			[]RunState{RunCompleted, RunCompleted}},
	} {
		cfg := workedConfig(t, workedPool("p", 2))
		cfg.Upstream = up
		cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("c", "westeurope", nil)}
		cfg.Manager = &Manager{
			Strategy: &UpdateStrategy{Stages: []UpdateStage{
				{Name: "test", AfterStageWait: 72 * time.Hour, Groups: []UpdateGroup{{Name: "t", Clusters: []string{"a"}}}},
				{Name: "prod", Groups: []UpdateGroup{{Name: "p", Clusters: []string{"c"}}}},
			}},
			Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
			Policy:   ManagerPolicy{NoWindowPoll: true, NewerRelease: c.newer},
		}
		res, err := Run(cfg)
		require.NoError(t, err)
		var got []member
		var states []RunState
		for _, run := range res.Manager.Runs {
			states = append(states, run.State)
			for _, st := range run.Stages {
				for _, m := range st.Members {
					if m.State == MemberCompleted {
						got = append(got, member{m.Cluster, m.Target, m.Start})
					}
				}
			}
		}
		assert.ElementsMatch(t, c.want, got, "newerRelease %d", c.newer)
		assert.Equal(t, c.state, states, "newerRelease %d", c.newer)
		// The trace shows each upgrade where the runs say.
		for _, m := range c.want {
			assert.Contains(t, res.Actions, memberSteps(m.cluster, m.start)[4], "newerRelease %d: %s's surge from %s", c.newer, m.cluster, m.start)
		}
	}
}

func TestWorkedFleetKubernetesRun(t *testing.T) {
	// A Stable profile: Kubernetes 1.31.2 (1.31.1 runs at the start) is
	// published on Wednesday 00:00 and triggers a run over one group
	// listing a (auto-upgrade window Thursdays 10:00-14:00 UTC) before b
	// (none; its node OS window does not gate Kubernetes runs). b goes
	// first, Wed 00:00-00:25; a is Pending until Thursday 10:00, 10:00-10:25.
	// A Kubernetes upgrade reimages every node, onto the newest image in
	// the region (Latest): R1, published Wednesday 00:00.
	thursday, err := window.WeekdayHours{Days: []time.Weekday{time.Thursday}, Start: 10 * time.Hour, End: 14 * time.Hour}.Schedule()
	require.NoError(t, err)
	cfg := workedConfig(t, workedPool("p", 2))
	k0 := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	cfg.Upstream.Kubernetes = channel.Stream{Name: "kubernetes", Releases: []channel.Release{
		{Version: "1.31.1", Cut: k0, Built: k0, Published: k0},
		{Version: "1.31.2", Cut: plus(wed, "-24h"), Built: plus(wed, "-24h"), Published: wed},
	}}
	a := fleetMember("a", "westeurope", nil)
	a.Maintenance.AutoUpgrade = thursday
	b := fleetMember("b", "westeurope", saturdayWindow(t))
	cfg.Clusters = []Cluster{a, b}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{{Name: "all", Groups: []UpdateGroup{{Name: "g", Clusters: []string{"a", "b"}}}}}},
		Profiles: []AutoUpgradeProfile{{Name: "stable", Channel: ChannelStable}},
		Policy:   ManagerPolicy{NoWindowPoll: true},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	thu10 := plus(wed, "34h")
	assert.Equal(t, memberSteps("b", wed), actionsOf(res, "b"))
	assert.Equal(t, memberSteps("a", thu10), actionsOf(res, "a"))
	require.Len(t, res.Manager.Runs, 1)
	run := res.Manager.Runs[0]
	assert.Equal(t, "1.31.2", run.Release)
	assert.Equal(t, []MemberRun{
		{Cluster: "a", Group: "g", State: MemberCompleted, Reached: wed, Start: thu10, End: plus(thu10, "25m"), Target: "1.31.2", Pending: 1, Reason: PendingWindow},
		{Cluster: "b", Group: "g", State: MemberCompleted, Reached: wed, Start: wed, End: plus(wed, "25m"), Target: "1.31.2"},
	}, run.Stages[0].Members)
	// R1 (the newest image) reached every node with the upgrade: A1,
	// published Monday 12:00, is remediated on b at 00:15 and 00:25.
	var fixed []time.Time
	for _, m := range res.Remediations {
		if m.Severity == channel.High {
			fixed = append(fixed, m.At)
		}
	}
	assert.Equal(t, []time.Time{plus(wed, "15m"), plus(wed, "25m"), plus(thu10, "15m"), plus(thu10, "25m")}, fixed)
}

func TestWorkedFleetFailFast(t *testing.T) {
	// a's node 0 runs a pod whose budget allows no disruption: its drain,
	// from 00:05, reaches the 30-minute drain timeout at 00:35, the node
	// stays on R0 (undrainableNodeBehavior Schedule) and node 1 is
	// upgraded 00:35-00:45; the operation fails. The run starts no other
	// member: c, next in a's group, and d, in the next stage, stay as they
	// are, and the run ends Failed at 00:45.
	cfg := workedConfig(t, workedPool("p", 2))
	a := fleetMember("a", "westeurope", nil)
	a.Pools[0].PDB.Strict = []int{0}
	cfg.Clusters = []Cluster{a, fleetMember("c", "westeurope", nil), fleetMember("d", "westeurope", nil)}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{
			{Name: "one", Groups: []UpdateGroup{{Name: "g", Clusters: []string{"a", "c"}}}},
			{Name: "two", Groups: []UpdateGroup{{Name: "h", Clusters: []string{"d"}}}},
		}},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
		Policy:   ManagerPolicy{NoWindowPoll: true},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	at := func(node int, k ActionKind, from, to string) Action {
		return Action{Cluster: "a", Pool: "p", Node: node, Kind: k, Start: plus(wed, from), End: plus(wed, to)}
	}
	assert.Equal(t, []Action{
		at(0, ActBlocked, "5m", "35m"),
		at(1, ActDrain, "35m", "38m"), at(1, ActReimage, "38m", "45m"),
		at(-1, ActSurge, "0m", "45m"),
	}, actionsOf(res, "a"))
	assert.Empty(t, actionsOf(res, "c"))
	assert.Empty(t, actionsOf(res, "d"))
	run := res.Manager.Runs[0]
	assert.Equal(t, RunFailed, run.State)
	assert.Equal(t, plus(wed, "45m"), run.End)
	assert.Equal(t, []MemberState{MemberFailed, MemberNotStarted}, []MemberState{run.Stages[0].Members[0].State, run.Stages[0].Members[1].State})
	assert.Equal(t, MemberNotStarted, run.Stages[1].Members[0].State)
	assert.True(t, run.Stages[1].Start.IsZero(), "stage two is never reached")
}

func TestWorkedFleetConcurrency(t *testing.T) {
	// Group g (a, b, c) may upgrade two members at once, group h (d) one,
	// but the stage at most two in all. R1's run, Wednesday 00:00: a and b
	// start (the stage is full; d waits), 00:00-00:25; then c and d,
	// 00:25-00:50, c first in its group's order and d in its own group.
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("b", "westeurope", nil), fleetMember("c", "westeurope", nil), fleetMember("d", "westeurope", nil)}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{{Name: "all", MaxConcurrency: 2, Groups: []UpdateGroup{
			{Name: "g", Clusters: []string{"a", "b", "c"}, MaxConcurrency: 2},
			{Name: "h", Clusters: []string{"d"}},
		}}}},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
		Policy:   ManagerPolicy{NoWindowPoll: true},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	for c, start := range map[string]time.Time{"a": wed, "b": wed, "c": plus(wed, "25m"), "d": plus(wed, "25m")} {
		assert.Equal(t, memberSteps(c, start), actionsOf(res, c), c)
	}
	assert.Equal(t, plus(wed, "50m"), res.Manager.Runs[0].End)
}

func TestWorkedFleetMemberOverrun(t *testing.T) {
	// b has two pools, p and q, of two nodes each (25 minutes each) and a
	// window Saturdays 00:00-00:20 UTC. R1's run reaches it on Wednesday;
	// it starts on Saturday 2025-03-08 00:00 and upgrades p 00:00-00:25,
	// past the close. By default (memberOverrun finish) q follows at once,
	// 00:25-00:50. With DeferRemainingPools, q waits for the next window,
	// Saturday 2025-03-15 00:00-00:25, and b is upgrading until then.
	short, err := window.WeekdayHours{Days: []time.Weekday{time.Saturday}, Start: 0, End: 20 * time.Minute}.Schedule()
	require.NoError(t, err)
	sat1, sat2 := time.Date(2025, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC)
	poolSteps := func(pool string, s time.Time) []Action {
		out := memberSteps("b", s)
		for i := range out {
			out[i].Pool = pool
		}
		return out
	}
	for _, c := range []struct {
		deferPools bool
		q          time.Time
	}{{false, plus(sat1, "25m")}, {true, sat2}} {
		cfg := workedConfig(t, workedPool("p", 2))
		b := fleetMember("b", "westeurope", short)
		b.Pools = append(b.Pools, workedPool("q", 2))
		cfg.Clusters = []Cluster{b}
		cfg.Manager = &Manager{
			Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
			Policy:   ManagerPolicy{NoWindowPoll: true, DeferRemainingPools: c.deferPools},
		}
		res, err := Run(cfg)
		require.NoError(t, err)
		assert.Equal(t, append(poolSteps("p", sat1), poolSteps("q", c.q)...), actionsOf(res, "b"), "defer %v", c.deferPools)
		m := res.Manager.Runs[0].Stages[0].Members[0]
		assert.Equal(t, []time.Time{sat1, plus(c.q, "25m")}, []time.Time{m.Start, m.End}, "defer %v", c.deferPools)
		assert.Zero(t, res.Disruption.OutsideWindow, "a member's pools are not catch-ups")
	}
}

func TestWorkedFleetScheduledStart(t *testing.T) {
	// Stage prod has a scheduled start gate, Monday 09:00 at +01:00
	// (08:00 UTC); its member c has a window Mondays 10:00-14:00 UTC. R1's
	// run: a Wed 00:00-00:25; prod is reached Wed 00:25 and its gate
	// completes Monday 2025-03-10 08:00; c waits for its window and starts
	// at 10:00, 10:00-10:25 (fleet-manager.md section 4.2: both must allow
	// the start).
	monday, err := window.WeekdayHours{Days: []time.Weekday{time.Monday}, Start: 10 * time.Hour, End: 14 * time.Hour}.Schedule()
	require.NoError(t, err)
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("c", "westeurope", monday)}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{
			{Name: "test", Groups: []UpdateGroup{{Name: "t", Clusters: []string{"a"}}}},
			{Name: "prod", ScheduledStarts: []ScheduledStart{{Day: time.Monday, Time: 9 * time.Hour, Offset: time.Hour}},
				Groups: []UpdateGroup{{Name: "p", Clusters: []string{"c"}}}},
		}},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
		Policy:   ManagerPolicy{NoWindowPoll: true},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	mon8 := time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)
	assert.Equal(t, memberSteps("a", wed), actionsOf(res, "a"))
	assert.Equal(t, memberSteps("c", plus(mon8, "2h")), actionsOf(res, "c"))
	prod := res.Manager.Runs[0].Stages[1]
	assert.Equal(t, plus(wed, "25m"), prod.Start)
	assert.Equal(t, mon8, prod.Members[0].Reached, "the gate holds the stage until Monday 08:00 UTC")
	assert.Equal(t, PendingWindow, prod.Members[0].Reason)
}

// TestWorkedFleetStageTimesOverTheRunsThroughTheLastStage: the time from a
// release to each stage done is measured on the runs that got through
// the last stage, every stage on the same runs. The two-stage run of
// TestWorkedFleetTwoStagesWaitClosedWindow over 14 days (prod done
// Saturday, 3 d 25 min after the release) or until Friday noon (test done
// after 25 min, prod not): in the second, no run got through and no stage
// has a time, though test was done in one run.
func TestWorkedFleetStageTimesOverTheRunsThroughTheLastStage(t *testing.T) {
	for _, tc := range []struct {
		name      string
		horizon   time.Duration
		completed []int
		mean      []time.Duration
	}{
		{"prod done Saturday", 14 * 24 * time.Hour, []int{1, 1}, []time.Duration{25 * time.Minute, 72*time.Hour + 25*time.Minute}},
		{"run ends Friday noon", 4*24*time.Hour + 12*time.Hour, []int{1, 0}, []time.Duration{0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := twoStagesConfig(t)
			cfg.Horizon = tc.horizon
			res, err := Run(cfg)
			require.NoError(t, err)
			st := res.Manager.Stages
			require.Len(t, st, 2)
			assert.Equal(t, tc.completed, []int{st[0].Completed, st[1].Completed})
			assert.Equal(t, tc.mean, []time.Duration{st[0].MeanReleaseToDone, st[1].MeanReleaseToDone})
			assert.Equal(t, tc.mean, []time.Duration{st[0].MaxReleaseToDone, st[1].MaxReleaseToDone})
		})
	}
}

func TestWorkedFleetLastStageWait(t *testing.T) {
	// Stage test (a) waits 1 day, stage prod (c) 2 days, under Queue. R2
	// is published Thursday 00:00 while R1's run waits after test, so its
	// run queues. R1: a Wed 00:00-00:25, wait to Thu 00:25, c Thu
	// 00:25-00:50; prod's 2-day wait delays nothing (fleet-manager.md
	// section 12 item 13), so R1's run ends Thu 00:50, not Sat 00:50, and
	// R2's begins then: a Thu 00:50-01:15, wait to Fri 01:15, c Fri
	// 01:15-01:40, end Fri 01:40.
	thu := plus(wed, "24h")
	up := workedUpstream()
	up.NodeImages.Releases = append(up.NodeImages.Releases, channel.Release{Version: "202503.06.0", Cut: thu, Built: thu, Published: thu})
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Upstream = up
	cfg.Clusters = []Cluster{fleetMember("a", "westeurope", nil), fleetMember("c", "westeurope", nil)}
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{
			{Name: "test", AfterStageWait: 24 * time.Hour, Groups: []UpdateGroup{{Name: "t", Clusters: []string{"a"}}}},
			{Name: "prod", AfterStageWait: 48 * time.Hour, Groups: []UpdateGroup{{Name: "p", Clusters: []string{"c"}}}},
		}},
		Profiles: []AutoUpgradeProfile{{Name: "nodeimage", Channel: ChannelNodeImage}},
		Policy:   ManagerPolicy{NoWindowPoll: true, NewerRelease: Queue},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	runs := res.Manager.Runs
	require.Len(t, runs, 2)
	r1, r2 := runs[0], runs[1]
	assert.Equal(t, []time.Time{wed, wed, plus(wed, "24h50m")}, []time.Time{r1.Created, r1.Start, r1.End}, "R1: created, start, end")
	assert.Equal(t, plus(wed, "24h50m"), r1.Stages[1].End, "prod ends with its last member")
	assert.Equal(t, []time.Time{thu, plus(thu, "50m"), plus(thu, "25h40m")}, []time.Time{r2.Created, r2.Start, r2.End}, "R2: created, start (R1's end), end")
	assert.Equal(t, []RunState{RunCompleted, RunCompleted}, []RunState{r1.State, r2.State})
	assert.Equal(t, append(memberSteps("a", wed), memberSteps("a", plus(thu, "50m"))...), actionsOf(res, "a"))
	assert.Equal(t, append(memberSteps("c", plus(thu, "25m")), memberSteps("c", plus(thu, "25h15m"))...), actionsOf(res, "c"))
}
