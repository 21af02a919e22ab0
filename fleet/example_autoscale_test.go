package fleet_test

import (
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// autoscaleConfig is one week from Monday exampleStart of one pool on
// channel None (nothing upgrades it) that the autoscaler sizes after
// scale, starting with two nodes; nodes take 5 minutes to provision.
func autoscaleConfig(scale fleet.Autoscale) fleet.Config {
	up := exampleUpstream()
	up.NodeImages.Releases = up.NodeImages.Releases[:1]
	return fleet.Config{
		Start: exampleStart, Horizon: 7 * 24 * time.Hour, Upstream: up, Trace: true,
		Clusters: []fleet.Cluster{{
			Name: "prod", Region: "westeurope", NodeOSChannel: channel.NodeOSNone,
			Pools: []fleet.Pool{{Name: "apps", Count: 2, Autoscale: &scale,
				Durations: fleet.Durations{Provision: fleet.Fixed(5 * time.Minute)}}},
		}},
	}
}

// A pool that scales between 2 and 4 nodes: 4 in business hours (the zero
// Profile.Days and hours: Monday to Friday, 08:00-18:00 UTC), 2 otherwise.
// Each weekday two nodes join at 08:05, after provisioning, and leave at
// 18:10, once unneeded for 10 minutes, the newest first. The pool's
// existence is 2 nodes for 7 days plus 2 x 10h05m on 5 days, 18.20
// node-days: 0.598 months of 30.44 days.
func ExampleAutoscale() {
	res, err := fleet.Run(autoscaleConfig(fleet.Autoscale{Min: 2, Max: 4, Profile: fleet.Profile{Base: 2, Peak: 4}}))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Actions {
		if a.Start.Weekday() == time.Monday && (a.Kind == fleet.ActCreate || a.Kind == fleet.ActRemove) {
			fmt.Printf("node %d %s %s\n", a.Node, a.Kind, a.Start.Format("Mon 15:04"))
		}
	}
	fmt.Printf("week: %d nodes created, %d removed, %.3f node-months\n", res.Churn.Created, res.Churn.Removed, res.Churn.NodeMonths)
	// Output:
	// node 2 create Mon 08:05
	// node 3 create Mon 08:05
	// node 3 remove Mon 18:10
	// node 2 remove Mon 18:10
	// week: 10 nodes created, 10 removed, 0.598 node-months
}

// A demand profile peaking on Saturday 10:00-14:00 UTC at three nodes: the
// pool adds one node for the peak, and it goes once unneeded.
func ExampleProfile() {
	peak := fleet.Profile{Base: 2, Peak: 3, Days: []time.Weekday{time.Saturday}, Start: 10 * time.Hour, End: 14 * time.Hour}
	res, err := fleet.Run(autoscaleConfig(fleet.Autoscale{Min: 1, Max: 5, Profile: peak}))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range res.Actions {
		fmt.Printf("node %d %s %s\n", a.Node, a.Kind, a.Start.Format("Mon 15:04"))
	}
	def := fleet.DefaultAutoscale().Profile
	fmt.Println("default peak:", def.Days, def.Start, "to", def.End)
	// Output:
	// node 2 create Sat 10:05
	// node 2 remove Sat 14:10
	// default peak: [Monday Tuesday Wednesday Thursday Friday] 8h0m0s to 18h0m0s
}

// Which node goes at a scale-down: the newest (what the cluster
// autoscaler does most of the time) or, as a what-if, the oldest.
func ExampleRemovalOrder() {
	for _, order := range []fleet.RemovalOrder{fleet.RemoveNewest, fleet.RemoveOldest} {
		res, err := fleet.Run(autoscaleConfig(fleet.Autoscale{Min: 2, Max: 3, Remove: order,
			Profile: fleet.Profile{Base: 2, Peak: 3, Days: []time.Weekday{time.Monday}}}))
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, a := range res.Actions {
			if a.Kind == fleet.ActRemove {
				fmt.Printf("%s: node %d removed %s\n", order, a.Node, a.Start.Format("Mon 15:04"))
			}
		}
	}
	// Output:
	// Newest: node 2 removed Mon 18:10
	// Oldest: node 0 removed Mon 18:10
}

// Churn remediates: a pool of two nodes adds a third each weekday for
// business hours, booting the pool's node image. The new image (fixing
// Monday's advisory) rolls out in a Friday window that opens at 17:50: the
// operation moves the pool's image to it first, then reimages node 0
// (18:05) and node 1 (18:15); at 18:10 the autoscaler removes Friday's
// extra node, still on the old image, before its turn: that pair counts
// as remediated by churn. Monday to Thursday's extra nodes went while the
// image lacked the fix: censored, not remediated. Of the 7 pairs (nodes 0
// and 1, and the five extra nodes, each booting without the fix), 2 were
// remediated by the rollout: churn's share is 1 of 3. Node-months: 2 nodes
// for 7 days plus 5 x 10h05m, 16.10 node-days.
func ExampleChurn() {
	cfg := autoscaleConfig(fleet.Autoscale{Min: 2, Max: 3, Profile: fleet.Profile{Base: 2, Peak: 3}})
	cfg.Upstream = exampleUpstream()
	friday, _ := window.WeekdayHours{Days: []time.Weekday{time.Friday}, Start: 17*time.Hour + 50*time.Minute, End: 21*time.Hour + 50*time.Minute}.Schedule()
	cl := &cfg.Clusters[0]
	cl.NodeOSChannel, cl.Maintenance.NodeOS = channel.NodeOSNodeImage, friday
	cl.Pools[0].Upgrade.MaxSurge = fleet.Nodes(1)
	cl.Pools[0].Durations = fleet.Durations{Provision: fleet.Fixed(5 * time.Minute), Drain: fleet.Fixed(3 * time.Minute), Reimage: fleet.Fixed(7 * time.Minute)}
	res, err := fleet.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, high := res.Churn, res.Exposure[channel.High]
	fmt.Printf("created %d, removed %d, %.3f node-months\n", c.Created, c.Removed, c.NodeMonths)
	fmt.Printf("high pairs %d: %d remediated by an operation, %d censored, of which %d remediated by churn (share %.0f%%)\n",
		high.Pairs, high.Remediated, high.Censored, c.Remediations, 100*c.Share)
	// Output:
	// created 5, removed 5, 0.529 node-months
	// high pairs 7: 2 remediated by an operation, 5 censored, of which 1 remediated by churn (share 33%)
}
