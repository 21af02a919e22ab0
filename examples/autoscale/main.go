// Command autoscale compares the four node OS channels on a cluster whose
// apps pool the cluster autoscaler sizes after business hours
// (scenario.yaml: 30 nodes on weekdays 08:00-18:00 UTC, 10 otherwise),
// removing the newest surplus nodes first, against the same pool held at
// 30 nodes and the pool autoscaled removing the oldest first. New nodes
// boot the pool's node image version: under NodeImage and SecurityPatch a
// rollout or live patch moves it, under Unmanaged a new node waits for its
// first nightly install, under None it never moves. It prints the three
// tables and the apps pool's nodes created per replication.
package main

import (
	"context"
	_ "embed"
	"fmt"
	"os"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

//go:embed scenario.yaml
var scenario []byte

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

var columns = []string{"high.p95Days", "high.withinSLA", "high.vulnerableNodeDays", "reimagesPerNodeMonth", "nodesCreated", "churnShare"}

// setups returns the scenario three ways: the apps pool held at its
// maximum, autoscaled removing the newest nodes first (as written), and
// autoscaled removing the oldest first.
func setups() ([]*plan.Scenario, error) {
	var out []*plan.Scenario
	for _, name := range []string{"fixed", "newest-first", "oldest-first"} {
		s, err := plan.Parse(scenario, ".")
		if err != nil {
			return nil, err
		}
		apps := &s.Clusters[0].Pools[1]
		switch name {
		case "fixed":
			apps.Count, apps.Autoscale = apps.Autoscale.Max, nil
		case "oldest-first":
			apps.Autoscale.Remove = "Oldest"
		}
		s.Name += " " + name
		out = append(out, s)
	}
	return out, nil
}

func run() error {
	ss, err := setups()
	if err != nil {
		return err
	}
	for _, s := range ss {
		p, err := plan.New(s)
		if err != nil {
			return err
		}
		c, err := p.Compare(context.Background(), plan.Options{})
		if err != nil {
			return err
		}
		if err := report.Text(os.Stdout, c, report.Options{Columns: columns, CI: true}); err != nil {
			return err
		}
		for _, v := range c.Variants {
			for _, pl := range v.Pools {
				if pl.Pool == "apps" && pl.NodesCreated > 0 {
					fmt.Printf("%s: apps pool, %.0f nodes created and %.0f removed per replication\n", v.Name, pl.NodesCreated, pl.NodesRemoved)
				}
			}
		}
		fmt.Println()
	}
	return nil
}
