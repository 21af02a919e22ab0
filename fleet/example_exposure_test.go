package fleet_test

import (
	"fmt"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
)

// Where the mean exposure to Monday noon's high advisory comes from, on
// three nodes reimaged in Saturday's window: 12 hours until the cut of the
// first image with the fix (Tuesday 00:00), 24 hours until that image's
// publication (Wednesday 00:00), no regional rollout, 94 hours waiting for
// the window (Saturday 22:00), and the rollout: nodes done after 15, 25 and
// 35 minutes, 25 on average. The stages add up to the mean.
func ExampleStage() {
	res, err := fleet.Run(exampleConfig(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	high := res.Exposure[channel.High]
	for st := range fleet.NumStages {
		fmt.Printf("%-8s %v\n", st, high.Stages[st])
	}
	fmt.Println("total", high.Stages.Total(), "mean", high.RestrictedMean)
	// Output:
	// cut      12h0m0s
	// build    24h0m0s
	// region   0s
	// window   94h0m0s
	// rollout  25m0s
	// never    0s
	// total 130h25m0s mean 130h25m0s
}

// One remediation's exposure split by stage: node 1 runs the fix at
// Saturday 22:25, 130h25m after the advisory's publication (Monday 12:00).
func ExampleStages() {
	res, err := fleet.Run(exampleConfig(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Remediations[1]
	fmt.Println("node", m.Node, "exposed", m.At.Sub(m.Published))
	fmt.Println(m.Stages[fleet.StageCut], m.Stages[fleet.StageBuild], m.Stages[fleet.StageRegion], m.Stages[fleet.StageWindow], m.Stages[fleet.StageRollout])
	fmt.Println("total", m.Stages.Total())
	// Output:
	// node 1 exposed 130h25m0s
	// 12h0m0s 24h0m0s 0s 94h0m0s 25m0s
	// total 130h25m0s
}

// Exposure and disruption broken down by pool: the Saturday rollout
// reimages the three app nodes (done 22:15, 22:25, 22:35), then the system
// pool's two (22:50, 23:00). Each node holds Monday noon's high advisory
// until its reimage: 130h15m + 130h25m + 130h35m = 16.30 node-days for
// apps, 130h50m + 131h = 10.91 for system.
func ExamplePoolResult() {
	cfg := exampleConfig(3)
	cfg.Clusters[0].Pools = append(cfg.Clusters[0].Pools, fleet.Pool{Name: "system", System: true, Count: 2,
		Upgrade: fleet.UpgradeSettings{MaxSurge: fleet.Nodes(1)}, Durations: cfg.Clusters[0].Pools[0].Durations})
	res, err := fleet.Run(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Pools {
		fmt.Printf("%s/%s: %d nodes, %d reimages, %.2f high vulnerable node-days\n", p.Cluster, p.Pool, p.Count, p.Reimages, p.VulnerableNodeDays[channel.High])
	}
	// Output:
	// prod/apps: 3 nodes, 3 reimages, 16.30 high vulnerable node-days
	// prod/system: 2 nodes, 2 reimages, 10.91 high vulnerable node-days
}
