package plan_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/patchsim/patchsim/plan"
)

// Compare two node OS channels on the default cluster, on common random
// numbers, and read the paired difference.
func ExampleExperiment_Compare() {
	s := plan.Default()
	s.Horizon = plan.Duration(120 * 24 * time.Hour)
	s.Replications = 20
	s.Variants = s.Variants[:2] // NodeImage, SecurityPatch
	p, err := plan.New(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := p.Compare(context.Background(), plan.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := plan.MetricIndex("reimagesPerNodeMonth")
	for _, v := range c.Variants {
		st := v.Stats[m]
		fmt.Printf("%-13s %.2f reimages per node-month [%.2f, %.2f]\n", v.Name, st.Mean, st.Lo, st.Hi)
	}
	d := c.Variants[1].Diff[m]
	fmt.Printf("SecurityPatch - NodeImage: %+.2f [%+.2f, %+.2f], paired over %d replications\n", d.Mean, d.Lo, d.Hi, d.N)
	// Output:
	// NodeImage     2.69 reimages per node-month [2.52, 2.85]
	// SecurityPatch 1.50 reimages per node-month [1.36, 1.63]
	// SecurityPatch - NodeImage: -1.19 [-1.42, -0.97], paired over 20 replications
}

// Every problem of a scenario is listed with its path; nothing runs.
func ExampleScenario_Validate() {
	s, err := plan.Parse([]byte(`
name: typo
start: "2025-01-06T00:00:00Z"
clusters:
  - name: prod
    region: westeurope
    nodeOSUpgradeChannel: Nightly
    pools:
      - name: apps
        count: 0
        upgradeSettings: {maxSurge: "150%"}
`), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Validate())
	// Output:
	// plan: clusters[0].nodeOSUpgradeChannel: node OS channel "Nightly": want one of None, Unmanaged, SecurityPatch, NodeImage (or empty for unset)
	// plan: clusters[0].pools[0].count: 0 is outside 1 to 1000
	// plan: clusters[0].pools[0].upgradeSettings.maxSurge: "150%" is over 100%
}

// Run a comparison in shards, as separate machines would, and merge them
// into the single-machine result.
func ExampleMerge() {
	s := plan.Default()
	s.Horizon = plan.Duration(60 * 24 * time.Hour)
	s.Replications = 4
	p, err := plan.New(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	var parts []*plan.Part
	for i := range 3 {
		idx, _ := p.Shard(i, 3)
		pairs, err := p.Run(context.Background(), idx, plan.Options{})
		if err != nil {
			fmt.Println(err)
			return
		}
		var file bytes.Buffer // a file on shard i's machine
		if err := p.WritePart(&file, "sweep", i, 3, plan.Options{}, pairs); err != nil {
			fmt.Println(err)
			return
		}
		part, err := plan.ReadPart(fmt.Sprintf("part-%d", i), &file)
		if err != nil {
			fmt.Println(err)
			return
		}
		parts = append(parts, part)
	}
	merged, _, err := plan.Merge(parts)
	if err != nil {
		fmt.Println(err)
		return
	}
	single, _ := p.Compare(context.Background(), plan.Options{})
	m := plan.MetricIndex("reimagesPerNodeMonth")
	fmt.Printf("%d pairs in 3 parts; NodeImage reimages per node-month: merged %.4f, single machine %.4f\n",
		p.Pairs(), merged.Variants[0].Stats[m].Mean, single.Variants[0].Stats[m].Mean)
	_, _, err = plan.Merge(parts[:2])
	fmt.Println(err)
	// Output:
	// 16 pairs in 3 parts; NodeImage reimages per node-month: merged 2.8490, single machine 2.8490
	// plan: merge: shard 2 of 3 is missing: no part holds it
}
