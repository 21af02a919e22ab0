// Command tune-window sweeps the node OS maintenance window of the default
// cluster under NodeImage: which weekday, start hour (UTC) and length give
// the least critical exposure for the node-hours of unavailability? It
// prints every window with the Pareto frontier and the recommendation.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	s := plan.Default()
	s.Name = "tune-window"
	s.Replications = 30
	s.Horizon = plan.Duration(180 * 24 * time.Hour)
	s.Variants = nil
	s.Clusters[0].NodeOSUpgradeChannel = "NodeImage"
	// One surge node at a time makes the rollouts long enough for the
	// window's length to matter.
	for i := range s.Clusters[0].Pools {
		s.Clusters[0].Pools[i].UpgradeSettings.MaxSurge = "1"
	}
	s.Grid = &plan.Grid{
		WindowDay:           []string{"Monday", "Wednesday", "Saturday", "Sunday"},
		WindowStartHour:     []int{0, 6, 22},
		WindowDurationHours: []int{4, 8},
	}
	s.Objective = plan.Objective{Exposure: "high.p95Days", Disruption: "nodeHoursUnavailable"}
	maxP95 := 30.0 // the high SLA
	s.Constraints = []plan.Constraint{{Metric: "high.p95Days", Max: &maxP95}}

	p, err := plan.New(s)
	if err != nil {
		return err
	}
	c, err := p.Compare(context.Background(), plan.Options{})
	if err != nil {
		return err
	}
	return report.Text(os.Stdout, c, report.Options{
		Columns: []string{"high.p95Days", "high.meanDays", "nodeHoursUnavailable", "outsideWindow"},
	})
}
