package fleet_test

import (
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// One pool of three nodes with a weekly Saturday window receives one new
// node image; each node is reimaged in turn, and the advisory published
// before the image's cut is remediated as each node rejoins.
func ExampleRun() {
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	cut := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	up := &channel.Upstream{
		Advisories: []channel.Advisory{{ID: "USN-1", Published: start.Add(12 * time.Hour), Severity: channel.High}},
		NodeImages: channel.Stream{Name: "node-images", Releases: []channel.Release{
			{Version: "202502.20.0", Cut: start.AddDate(0, 0, -11), Built: start.AddDate(0, 0, -11), Published: start.AddDate(0, 0, -10)},
			{Version: "202503.04.0", Cut: cut, Built: cut, Published: cut.Add(24 * time.Hour)},
		}},
	}
	saturday, _ := window.WeekdayHours{Days: []time.Weekday{time.Saturday}, Start: 22 * time.Hour, End: 2 * time.Hour}.Schedule()
	res, err := fleet.Run(fleet.Config{
		Start: start, Horizon: 14 * 24 * time.Hour, Upstream: up, Trace: true,
		Clusters: []fleet.Cluster{{
			Name: "prod", Region: "westeurope", NodeOSChannel: channel.NodeOSNodeImage,
			Maintenance: fleet.MaintenanceWindows{NodeOS: saturday},
			Pools: []fleet.Pool{{Name: "apps", Count: 3, Upgrade: fleet.UpgradeSettings{MaxSurge: fleet.Nodes(1)},
				Durations: fleet.Durations{Provision: fleet.Fixed(5 * time.Minute), Drain: fleet.Fixed(3 * time.Minute), Reimage: fleet.Fixed(7 * time.Minute)}}},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Actions {
		if a.Kind == fleet.ActReimage {
			fmt.Printf("node %d reimaged %s-%s\n", a.Node, a.Start.Format("Mon 15:04"), a.End.Format("15:04"))
		}
	}
	high := res.Exposure[channel.High]
	fmt.Printf("high: %d pairs, mean exposure %v, max %v\n", high.Pairs, high.Mean, high.Max)
	fmt.Printf("reimages per node-month: %.2f\n", res.Disruption.ReimagesPerNodeMonth)
	// Output:
	// node 0 reimaged Sat 22:08-22:15
	// node 1 reimaged Sat 22:18-22:25
	// node 2 reimaged Sat 22:28-22:35
	// high: 3 pairs, mean exposure 130h25m0s, max 130h35m0s
	// reimages per node-month: 2.17
}

// A ring of two stages under Fleet Manager: a NodeImage auto-upgrade
// profile runs each new image on the test cluster, waits 12 hours, then on
// the two production clusters, one at a time, each starting inside its own
// weeknight window (22:00-02:00 UTC). The image is published on Wednesday
// 00:00, inside Tuesday night's window; the wait ends at 12:35, so
// production waits for Wednesday night.
func ExampleManager() {
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC) // a Monday
	cut := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	up := &channel.Upstream{
		Advisories: []channel.Advisory{{ID: "USN-1", Published: start.Add(12 * time.Hour), Severity: channel.High}},
		NodeImages: channel.Stream{Name: "node-images", Releases: []channel.Release{
			{Version: "202502.20.0", Cut: start.AddDate(0, 0, -11), Built: start.AddDate(0, 0, -11), Published: start.AddDate(0, 0, -10)},
			{Version: "202503.04.0", Cut: cut, Built: cut, Published: cut.Add(24 * time.Hour)},
		}},
	}
	nights, _ := window.WeekdayHours{Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}, Start: 22 * time.Hour, End: 2 * time.Hour}.Schedule()
	cluster := func(name string) fleet.Cluster {
		return fleet.Cluster{Name: name, Region: "westeurope", NodeOSChannel: channel.NodeOSNone,
			Maintenance: fleet.MaintenanceWindows{NodeOS: nights},
			Pools: []fleet.Pool{{Name: "apps", Count: 3, Upgrade: fleet.UpgradeSettings{MaxSurge: fleet.Nodes(1)},
				Durations: fleet.Durations{Provision: fleet.Fixed(5 * time.Minute), Drain: fleet.Fixed(3 * time.Minute), Reimage: fleet.Fixed(7 * time.Minute)}}}}
	}
	res, err := fleet.Run(fleet.Config{
		Start: start, Horizon: 14 * 24 * time.Hour, Upstream: up,
		Clusters: []fleet.Cluster{cluster("test"), cluster("prod-1"), cluster("prod-2")},
		Manager: &fleet.Manager{
			Strategy: &fleet.UpdateStrategy{Stages: []fleet.UpdateStage{
				{Name: "test", AfterStageWait: 12 * time.Hour, Groups: []fleet.UpdateGroup{{Name: "test", Clusters: []string{"test"}}}},
				{Name: "prod", Groups: []fleet.UpdateGroup{{Name: "prod", Clusters: []string{"prod-1", "prod-2"}}}},
			}},
			Profiles: []fleet.AutoUpgradeProfile{{Name: "nodeimage", Channel: fleet.ChannelNodeImage}},
			Policy:   fleet.ManagerPolicy{NoWindowPoll: true},
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, run := range res.Manager.Runs {
		fmt.Printf("run %s: %s\n", run.Release, run.State)
		for _, st := range run.Stages {
			for _, m := range st.Members {
				fmt.Printf("  %s %s: %s-%s\n", st.Name, m.Cluster, m.Start.Format("Mon 15:04"), m.End.Format("Mon 15:04"))
			}
		}
	}
	for _, st := range res.Manager.Stages {
		fmt.Printf("stage %s: done %v after the release, %.2f high vulnerable node-days\n", st.Name, st.MaxReleaseToDone, st.VulnerableNodeDays[channel.High])
	}
	// Output:
	// run 202503.04.0: Completed
	//   test test: Wed 00:00-Wed 00:35
	//   prod prod-1: Wed 22:00-Wed 22:35
	//   prod prod-2: Wed 22:35-Wed 23:10
	// stage test: done 35m0s after the release, 4.55 high vulnerable node-days
	// stage prod: done 23h10m0s after the release, 14.68 high vulnerable node-days
}
