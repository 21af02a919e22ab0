package fleet_test

import (
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// The Fleet Manager examples run exampleUpstream: node image 202503.04.0
// is published on Wednesday 00:00, in every region at once, and Monday
// noon's high advisory is fixed in it.

// nights is a node OS window open 22:00-02:00 UTC from the evening of each
// of days (Monday to Friday when none).
func nights(days ...time.Weekday) window.Schedule {
	if len(days) == 0 {
		days = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	}
	s, _ := window.WeekdayHours{Days: days, Start: 22 * time.Hour, End: 2 * time.Hour}.Schedule()
	return s
}

// member is a cluster in westeurope on node OS channel None, so that only
// Fleet Manager upgrades it, inside its node OS window w (nil: none). Its
// pool of two nodes upgrades in 25 minutes: a surge node in 5, then 3 to
// drain and 7 to reimage each node.
func member(name string, w window.Schedule) fleet.Cluster {
	return fleet.Cluster{Name: name, Region: "westeurope", NodeOSChannel: channel.NodeOSNone,
		Maintenance: fleet.MaintenanceWindows{NodeOS: w},
		Pools: []fleet.Pool{{Name: "apps", Count: 2, Upgrade: fleet.UpgradeSettings{MaxSurge: fleet.Nodes(1)},
			Durations: fleet.Durations{Provision: fleet.Fixed(5 * time.Minute), Drain: fleet.Fixed(3 * time.Minute), Reimage: fleet.Fixed(7 * time.Minute)}}}}
}

// stage is an update stage of one group, of the same name, over clusters.
func stage(name string, clusters ...string) fleet.UpdateStage {
	return fleet.UpdateStage{Name: name, Groups: []fleet.UpdateGroup{{Name: name, Clusters: clusters}}}
}

// managerConfig runs clusters for 14 days from exampleStart under m: with a
// NodeImage auto-upgrade profile when m has none, and the window poll off
// (ManagerPolicy.NoWindowPoll), so that a member starts the moment it can.
func managerConfig(m fleet.Manager, clusters ...fleet.Cluster) fleet.Config {
	if m.Profiles == nil {
		m.Profiles = []fleet.AutoUpgradeProfile{{Name: "nodeimage", Channel: fleet.ChannelNodeImage}}
	}
	m.Policy.NoWindowPoll = true
	return fleet.Config{Start: exampleStart, Horizon: 14 * 24 * time.Hour, Upstream: exampleUpstream(), Clusters: clusters, Manager: &m}
}

// hm formats t as weekday and time; "-" for the zero time (not reached).
func hm(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("Mon 15:04")
}

// span is " START-END" for a member that started, else empty.
func span(m fleet.MemberRun) string {
	if m.Start.IsZero() {
		return ""
	}
	return " " + hm(m.Start) + "-" + hm(m.End)
}

// printMembers prints when each member of each run started and ended.
func printMembers(res *fleet.Result) {
	for _, run := range res.Manager.Runs {
		for _, st := range run.Stages {
			for _, m := range st.Members {
				fmt.Printf("%s %s: %s%s\n", run.Release, m.Cluster, m.State, span(m))
			}
		}
	}
}

// A ring of two stages: the canary cluster first, then, a day after it is
// done, production. The image is published on Wednesday 00:00, inside
// Tuesday night's window: the canary is done at 00:25, the wait ends on
// Thursday 00:25, inside Wednesday night's window, and production is done
// 25 minutes later.
func ExampleUpdateStrategy() {
	canary := stage("canary", "canary")
	canary.AfterStageWait = 24 * time.Hour
	res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{canary, stage("prod", "prod")}}},
		member("canary", nights()), member("prod", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, st := range res.Manager.Runs[0].Stages {
		fmt.Printf("%s: start %s, done %s\n", st.Name, st.Start.Format("Mon 15:04"), st.Done.Format("Mon 15:04"))
	}
	// Output:
	// canary: start Wed 00:00, done Wed 00:25
	// prod: start Thu 00:25, done Thu 00:50
}

// A stage's groups run in parallel, a group's members one after another:
// the eu group's two clusters take 25 minutes each while the us group's
// runs beside them. A stage MaxConcurrency of 1 lets one member of the
// stage upgrade at a time: the groups take a freed place in the stage's
// order, so eu-2 goes before us-1.
func ExampleUpdateStage() {
	for _, limit := range []int{0, 1} {
		st := fleet.UpdateStage{Name: "prod", MaxConcurrency: limit, Groups: []fleet.UpdateGroup{
			{Name: "eu", Clusters: []string{"eu-1", "eu-2"}},
			{Name: "us", Clusters: []string{"us-1"}},
		}}
		res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{st}}},
			member("eu-1", nights()), member("eu-2", nights()), member("us-1", nights())))
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("maxConcurrency", limit)
		printMembers(res)
	}
	// Output:
	// maxConcurrency 0
	// 202503.04.0 eu-1: Completed Wed 00:00-Wed 00:25
	// 202503.04.0 eu-2: Completed Wed 00:25-Wed 00:50
	// 202503.04.0 us-1: Completed Wed 00:00-Wed 00:25
	// maxConcurrency 1
	// 202503.04.0 eu-1: Completed Wed 00:00-Wed 00:25
	// 202503.04.0 eu-2: Completed Wed 00:25-Wed 00:50
	// 202503.04.0 us-1: Completed Wed 00:50-Wed 01:15
}

// A group picks its next member by window: first a member whose window is
// open, then one without a window, and a member whose window is closed
// waits for it. "anytime" has no window, "weekend" a Saturday night one;
// "nightly" is listed last but its window is open when the run reaches the
// group (Wednesday 00:00), so it goes first; "anytime" follows at 00:25,
// and "weekend" waits for Saturday 22:00.
func ExampleUpdateGroup() {
	st := stage("prod", "anytime", "weekend", "nightly")
	res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{st}}},
		member("anytime", nil), member("weekend", nights(time.Saturday)), member("nightly", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	printMembers(res)
	// Output:
	// 202503.04.0 anytime: Completed Wed 00:25-Wed 00:50
	// 202503.04.0 weekend: Completed Sat 22:00-Sat 22:25
	// 202503.04.0 nightly: Completed Wed 00:00-Wed 00:25
}

// An approval before production, granted three hours after the run
// reaches it (ManagerPolicy.ApprovalDelay): the test cluster is done on
// Wednesday 00:25, the approval comes at 03:25, after the window closed at
// 02:00, so production waits for Wednesday night.
func ExampleApproval() {
	prod := stage("prod", "prod")
	prod.BeforeApprovals = []fleet.Approval{{Name: "change board"}}
	res, err := fleet.Run(managerConfig(fleet.Manager{
		Strategy: &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{stage("test", "test"), prod}},
		Policy:   fleet.ManagerPolicy{ApprovalDelay: fleet.Fixed(3 * time.Hour)},
	}, member("test", nights()), member("prod", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	st := res.Manager.Runs[0].Stages[1]
	m := st.Members[0]
	fmt.Println("stage reached", st.Start.Format("Mon 15:04"))
	fmt.Println("approved, group begins", m.Reached.Format("Mon 15:04"))
	fmt.Println("member starts", m.Start.Format("Mon 15:04"), "after waiting for", m.Reason)
	// Output:
	// stage reached Wed 00:25
	// approved, group begins Wed 03:25
	// member starts Wed 22:00 after waiting for MaintenanceWindowClosed
}

// A scheduled start holds production until Thursday 23:00 at UTC+1,
// 22:00 UTC, when its window is open.
func ExampleScheduledStart() {
	prod := stage("prod", "prod")
	prod.ScheduledStarts = []fleet.ScheduledStart{{Day: time.Thursday, Time: 23 * time.Hour, Offset: time.Hour}}
	res, err := fleet.Run(managerConfig(fleet.Manager{Strategy: &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{stage("test", "test"), prod}}},
		member("test", nights()), member("prod", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	st := res.Manager.Runs[0].Stages[1]
	fmt.Println("stage reached", st.Start.Format("Mon 15:04"))
	fmt.Println("member starts", st.Members[0].Start.Format("Mon 15:04"))
	// Output:
	// stage reached Wed 00:25
	// member starts Thu 22:00
}

// Each new release of a profile's channel creates an update run; a
// disabled profile creates none. A TargetKubernetesVersion profile names
// a "major.minor".
func ExampleAutoUpgradeProfile() {
	res, err := fleet.Run(managerConfig(fleet.Manager{Profiles: []fleet.AutoUpgradeProfile{
		{Name: "nodeimage", Channel: fleet.ChannelNodeImage},
		{Name: "paused", Channel: fleet.ChannelNodeImage, Disabled: true},
	}}, member("prod", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, run := range res.Manager.Runs {
		fmt.Printf("profile %s: run for %s created %s\n", run.Profile, run.Release, run.Created.Format("Mon 15:04"))
	}
	cfg := managerConfig(fleet.Manager{Profiles: []fleet.AutoUpgradeProfile{
		{Name: "k8s", Channel: fleet.ChannelTargetKubernetesVersion, TargetKubernetesVersion: "1.31.2"},
	}}, member("prod", nights()))
	fmt.Println(cfg.Validate())
	// Output:
	// profile nodeimage: run for 202503.04.0 created Wed 00:00
	// fleet: manager.profiles[0].targetKubernetesVersion: "1.31.2" is not a "major.minor" version such as "1.31"
}

// The channels of an auto-upgrade profile, by their API names; a profile
// must name one.
func ExampleAutoUpgradeChannel() {
	for _, c := range []fleet.AutoUpgradeChannel{fleet.ChannelNodeImage, fleet.ChannelStable, fleet.ChannelRapid, fleet.ChannelTargetKubernetesVersion} {
		fmt.Println(c)
	}
	cfg := managerConfig(fleet.Manager{Profiles: []fleet.AutoUpgradeProfile{{Name: "nodeimage"}}}, member("prod", nights()))
	fmt.Println(cfg.Validate())
	// Output:
	// NodeImage
	// Stable
	// Rapid
	// TargetKubernetesVersion
	// fleet: manager.profiles[0].channel: is required (NodeImage, Stable, Rapid, TargetKubernetesVersion)
}

// twoImages is exampleUpstream with a second node image, 202503.05.0, cut
// on Wednesday and published on Thursday 00:00.
func twoImages() *channel.Upstream {
	up := exampleUpstream()
	day := exampleStart.AddDate(0, 0, 2)
	up.NodeImages.Releases = append(up.NodeImages.Releases,
		channel.Release{Version: "202503.05.0", Cut: day, Built: day, Published: day.AddDate(0, 0, 1)})
	return up
}

// A member whose window opens only on Thursday night gets Wednesday's
// run after Thursday's image is out. Under Release (the NodeImage
// default) the run installs the image that triggered it, and Thursday's
// run then installs its own; under Latest the first run installs the
// newest image in the region, and Thursday's run skips the member, already
// there.
func ExampleNodeImageSelection() {
	for _, sel := range []fleet.NodeImageSelection{fleet.SelectionRelease, fleet.SelectionLatest} {
		cfg := managerConfig(fleet.Manager{Profiles: []fleet.AutoUpgradeProfile{{Name: "nodeimage", Channel: fleet.ChannelNodeImage, NodeImageSelection: sel}}},
			member("prod", nights(time.Thursday)))
		cfg.Upstream = twoImages()
		res, err := fleet.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(sel)
		for _, run := range res.Manager.Runs {
			m := run.Stages[0].Members[0]
			fmt.Printf("  run for %s: %s %s, target %q\n", run.Release, m.State, hm(m.End), m.Target)
		}
	}
	// Output:
	// Release
	//   run for 202503.04.0: Completed Thu 22:25, target "202503.04.0"
	//   run for 202503.05.0: Completed Thu 22:50, target "202503.05.0"
	// Latest
	//   run for 202503.04.0: Completed Thu 22:25, target "202503.05.0"
	//   run for 202503.05.0: Skipped Thu 22:25, target ""
}

// ManagerPolicy holds what the documentation leaves open; its zero value
// is the proposed default. Here StepLatency puts 10 minutes between one
// member's end and the next member's start in a group.
func ExampleManagerPolicy() {
	res, err := fleet.Run(managerConfig(fleet.Manager{
		Strategy: &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{stage("prod", "prod-1", "prod-2")}},
		Policy:   fleet.ManagerPolicy{StepLatency: 10 * time.Minute},
	}, member("prod-1", nights()), member("prod-2", nights())))
	if err != nil {
		fmt.Println(err)
		return
	}
	printMembers(res)
	fmt.Println("default window poll:", fleet.DefaultWindowPoll)
	// Output:
	// 202503.04.0 prod-1: Completed Wed 00:00-Wed 00:25
	// 202503.04.0 prod-2: Completed Wed 00:35-Wed 01:00
	// default window poll: 1h0m0s
}

// A release reaches the regions one after another (Stream.Rollout). By
// default (TriggerFirstRegion) its run is created when it is published, in
// the first region, and each member starts when the image reaches its
// region; TriggerAllRegions waits until it has reached the region of every
// member. The members have no window, so they start the moment they can,
// one at a time (one group without a strategy): under AllRegions, us
// waits for eu's 25 minutes.
func ExampleTrigger() {
	up := exampleUpstream()
	up.NodeImages.Rollout = 48 * time.Hour
	img := &up.NodeImages
	fmt.Println("published", img.Releases[1].Published.Format("Mon 15:04"))
	for _, region := range []string{"westeurope", "eastus"} {
		fmt.Println("in", region, img.Available(1, region).Format("Mon 15:04"))
	}
	for _, trigger := range []fleet.Trigger{fleet.TriggerFirstRegion, fleet.TriggerAllRegions} {
		eu, us := member("eu", nil), member("us", nil)
		us.Region = "eastus"
		cfg := managerConfig(fleet.Manager{Policy: fleet.ManagerPolicy{TriggerOn: trigger}}, eu, us)
		cfg.Upstream = up
		res, err := fleet.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		run := res.Manager.Runs[0]
		fmt.Printf("%s: created %s; eu starts %s, us %s\n", trigger, hm(run.Created),
			hm(run.Stages[0].Members[0].Start), hm(run.Stages[0].Members[1].Start))
	}
	// Output:
	// published Wed 00:00
	// in westeurope Thu 04:34
	// in eastus Thu 05:10
	// firstRegion: created Wed 00:00; eu starts Thu 04:34, us Thu 05:10
	// allRegions: created Thu 05:10; eu starts Thu 05:10, us Thu 05:35
}

// Two images a day apart, and a member whose window opens only on
// Thursday night: what Wednesday's run does when Thursday's is created.
// ParallelRuns: both go on; the first to start upgrades the member, and
// the other then waits for it (Pending) and follows. Supersede: Wednesday's
// run is stopped. Queue: Thursday's run starts when Wednesday's ends.
func ExampleNewerRelease() {
	for _, nr := range []fleet.NewerRelease{fleet.ParallelRuns, fleet.Supersede, fleet.Queue} {
		cfg := managerConfig(fleet.Manager{Policy: fleet.ManagerPolicy{NewerRelease: nr}}, member("prod", nights(time.Thursday)))
		cfg.Upstream = twoImages()
		res, err := fleet.Run(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(nr)
		for _, run := range res.Manager.Runs {
			m := run.Stages[0].Members[0]
			fmt.Printf("  run for %s: %s, started %s; member %s%s\n", run.Release, run.State, hm(run.Start), m.State, span(m))
		}
	}
	// Output:
	// parallelRuns
	//   run for 202503.04.0: Completed, started Wed 00:00; member Completed Thu 22:00-Thu 22:25
	//   run for 202503.05.0: Completed, started Thu 00:00; member Completed Thu 22:25-Thu 22:50
	// supersede
	//   run for 202503.04.0: Stopped, started Wed 00:00; member Pending
	//   run for 202503.05.0: Completed, started Thu 00:00; member Completed Thu 22:00-Thu 22:25
	// queue
	//   run for 202503.04.0: Completed, started Wed 00:00; member Completed Thu 22:00-Thu 22:25
	//   run for 202503.05.0: Completed, started Thu 22:25; member Completed Thu 22:25-Thu 22:50
}
