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
