// Command rings plans node image upgrades of seven clusters in two regions
// under Azure Kubernetes Fleet Manager: an update strategy of three stages,
// test, canary and prod, run by a NodeImage auto-upgrade profile, each
// member upgraded only inside its own nightly window. It compares node
// image selection Latest and Consistent with a wait of 0, 1 and 3 days
// after each stage (scenario.yaml's grid) against the strategy as written
// (1-day waits, the release that triggered the run), and prints where each
// ring spends its time.
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

func run() error {
	s, err := plan.Parse(scenario, ".")
	if err != nil {
		return err
	}
	p, err := plan.New(s)
	if err != nil {
		return err
	}
	c, err := p.Compare(context.Background(), plan.Options{})
	if err != nil {
		return err
	}
	if err := report.Text(os.Stdout, c, report.Options{
		Columns: []string{"high.p95Days", "high.withinSLA", "pastSLAShare", "lastStageDays", "behindFirstStageShare", "reimagesPerNodeMonth"},
		CI:      true,
	}); err != nil {
		return err
	}
	fmt.Println()
	return report.StageCSV(os.Stdout, c)
}
