// Command mixed-fleet plans a fleet of two clusters, each with Linux and
// Windows pools: a canary cluster patched on Wednesday night and a
// production cluster on Sunday, against both clusters on Sunday and
// against SecurityPatch on the Linux pools. The scenario is a YAML file
// like the ones "patchsim example" prints.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

const scenario = `
name: mixed-fleet
start: "2025-01-06T00:00:00Z"
horizon: 365d
seed: 11
replications: 30
clusters:
  - name: canary
    region: westeurope
    nodeOSUpgradeChannel: NodeImage
    windowsFallback: NodeImage
    maintenanceConfigurations:
      - name: aksManagedNodeOSUpgradeSchedule
        maintenanceWindow:
          schedule: {weekly: {intervalWeeks: 1, dayOfWeek: Wednesday}}
          durationHours: 6
          startTime: "22:00"
          utcOffset: "+01:00"
    pools:
      - {name: linux, count: 4, podsPerNode: 20, upgradeSettings: {maxSurge: "50%"}}
      - {name: win, osType: Windows, count: 2, podsPerNode: 10}
  - name: prod
    region: westeurope
    nodeOSUpgradeChannel: NodeImage
    windowsFallback: NodeImage
    maintenanceConfigurations:
      - name: aksManagedNodeOSUpgradeSchedule
        maintenanceWindow:
          schedule: {weekly: {intervalWeeks: 1, dayOfWeek: Sunday}}
          durationHours: 4
          startTime: "01:00"
          utcOffset: "+01:00"
    pools:
      - {name: linux, count: 24, podsPerNode: 30, upgradeSettings: {maxSurge: "33%"}}
      - {name: win, osType: Windows, count: 8, podsPerNode: 20, upgradeSettings: {maxSurge: "25%"}}
variants:
  - name: staggered
  - name: both-on-Sunday
    clusters: [canary]
    nodeOSMaintenanceWindow:
      schedule: {weekly: {intervalWeeks: 1, dayOfWeek: Sunday}}
      durationHours: 4
      startTime: "01:00"
      utcOffset: "+01:00"
  - name: staggered-SecurityPatch
    nodeOSUpgradeChannel: SecurityPatch
`

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	s, err := plan.Parse([]byte(scenario), ".")
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
	return report.Text(os.Stdout, c, report.Options{
		Columns: []string{"high.p95Days", "medium.p95Days", "pastSLAShare", "reimagesPerNodeMonth", "nodeHoursUnavailable"},
		CI:      true,
		Diff:    true,
	})
}
