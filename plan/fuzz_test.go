package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzScenario feeds arbitrary scenario files through Parse and Validate,
// and runs the small valid ones: no input may panic, and a scenario that
// validates must run.
func FuzzScenario(f *testing.F) {
	f.Add(defaultYAML)
	files, _ := filepath.Glob("../cmd/patchsim/testdata/*.yaml")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"name":"j","start":"2025-01-06T00:00:00Z","horizon":"20d","replications":1,"clusters":[{"name":"c","region":"r","pools":[{"name":"p","count":2}]}]}`))
	f.Add([]byte("name: x\nstart: 2025-01-06T00:00:00Z\nhorizon: 10d\nreplications: 1\nclusters:\n- name: c\n  region: r\n  nodeOSUpgradeChannel: Unmanaged\n  kured: {rebootDays: [sat], startTime: \"22:00\", endTime: \"02:00\", timeZone: Europe/Paris}\n  pools:\n  - {name: p, count: 3, upgradeSettings: {maxSurge: \"0\", maxUnavailable: \"1\"}}\ngrid:\n  windowDay: [Monday]\n"))
	f.Add([]byte(autoscaleYAML))
	f.Add([]byte(fleetManagerYAML))
	f.Add([]byte("horizon: 7q\n"))
	// Problems of form, each reported with its path (not a panic).
	f.Add([]byte("start: 2025-13-01\nhorizon: 200000d\nsettle: 9999999999999h\nupstream: {userspacePerYear: {critical: .nan, high: .inf}}\nclusters: {name: x}\n"))
	f.Add([]byte("start: 2025-01-06\nclusters:\n- name: c\n  region: r\n  pools:\n  - {name: p, count: \"x\", podsPerNode: 2.5, size: 4}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, t.TempDir())
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			return
		}
		vs, err := s.variants()
		if err != nil {
			t.Fatalf("Validate accepted a scenario whose variants fail: %v", err)
		}
		nodes := 0
		for _, c := range s.Clusters {
			for _, p := range c.Pools {
				nodes += p.Count
			}
		}
		if nodes > 50 || len(vs) > 4 || s.horizon() > 40*24*time.Hour || s.Upstream.Lookback.D() > 400*24*time.Hour {
			return // valid, too big to run in a fuzz iteration
		}
		s.Replications = 1
		p, err := New(s)
		if err != nil {
			t.Fatalf("New refused a valid scenario: %v", err)
		}
		if _, err := p.Compare(context.Background(), Options{Workers: 1, Distributions: true}); err != nil {
			t.Fatalf("a valid scenario failed to run: %v", err)
		}
	})
}

// fleetManagerYAML is a small fleet under Fleet Manager: two stages with
// a wait, an approval and a scheduled start, a NodeImage profile, a grid
// over the stage order and the selection.
const fleetManagerYAML = `name: f
start: 2025-01-06T00:00:00Z
horizon: 30d
replications: 1
clusters:
- {name: a, region: westeurope, nodeOSUpgradeChannel: None, pools: [{name: p, count: 2}]}
- {name: b, region: australiaeast, pools: [{name: p, count: 2}]}
fleetManager:
  members: [{name: a, group: one}, {clusterResourceId: /subscriptions/0/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/b, group: two}]
  updateStrategy:
    name: s
    stages:
    - {name: first, groups: [{name: one}], afterStageWaitInSeconds: 3600, afterGates: [{type: Approval}]}
    - name: second
      beforeGates: [{type: ScheduledStart, scheduledStartConfiguration: {startDay: Monday, startTime: "02:00", utcOffset: "+01:00"}}]
      groups: [{name: two, maxConcurrency: "100%"}]
  autoUpgradeProfiles: [{name: ni, channel: NodeImage, updateStrategyId: s}]
  policy: {approvalDelay: {min: 1h, mode: 2h, max: 3h}, triggerOn: allRegions}
grid:
  stageOrder: ["first,second", "second,first"]
  nodeImageSelection: [Consistent]
`

// partSeparator separates the part files of one FuzzMerge input.
const partSeparator = "\n--part--\n"

// FuzzMerge feeds arbitrary part files to ReadPart and Merge: no input may
// panic, and parts that merge give a comparison of the shape their
// scenario has.
func FuzzMerge(f *testing.F) {
	// A small scenario keeps the seeds small (the fuzzer minimises what
	// it finds, one run per step).
	s, err := Parse([]byte("name: m\nstart: 2025-01-06T00:00:00Z\nhorizon: 10d\nreplications: 2\nclusters:\n- name: c\n  region: r\n  maintenanceConfigurations:\n  - name: aksManagedNodeOSUpgradeSchedule\n    maintenanceWindow: {schedule: {daily: {intervalDays: 1}}, durationHours: 4, startTime: \"00:00\"}\n  pools:\n  - {name: p, count: 2}\nvariants:\n- {name: a, nodeOSUpgradeChannel: NodeImage}\n- {name: b, nodeOSUpgradeChannel: SecurityPatch}\n"), "")
	if err != nil {
		f.Fatal(err)
	}
	p, err := New(s)
	if err != nil {
		f.Fatal(err)
	}
	for _, opt := range []Options{{}, {Distributions: true, Trace: true}} {
		for _, n := range []int{1, 3} {
			var files []string
			for i := range n {
				idx, err := p.Shard(i, n)
				if err != nil {
					f.Fatal(err)
				}
				pairs, err := p.Run(context.Background(), idx, opt)
				if err != nil {
					f.Fatal(err)
				}
				var buf bytes.Buffer
				if err := p.WritePart(&buf, "compare", i, n, opt, pairs); err != nil {
					f.Fatal(err)
				}
				files = append(files, buf.String())
			}
			f.Add([]byte(strings.Join(files, partSeparator)))
		}
	}
	f.Add([]byte(`{"format":"patchsim-pairs/v2","shards":1,"scenario":{"replications":-1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var parts []*Part
		for i, file := range strings.Split(string(data), partSeparator) {
			part, err := ReadPart(fmt.Sprint(i), strings.NewReader(file))
			if err != nil {
				return
			}
			parts = append(parts, part)
		}
		c, e, err := Merge(parts)
		if err != nil {
			return
		}
		if len(c.Variants) != len(e.Variants) || c.Replications != e.Scenario.replications() {
			t.Fatalf("merged %d variants x %d replications from a scenario of %d x %d", len(c.Variants), c.Replications, len(e.Variants), e.Scenario.replications())
		}
		for _, v := range c.Variants {
			if len(v.Stats) != len(Metrics) {
				t.Fatalf("variant %s: %d stats for %d metrics", v.Name, len(v.Stats), len(Metrics))
			}
		}
		if _, err := json.Marshal(c); err != nil {
			t.Fatalf("a merged comparison does not marshal: %v", err)
		}
	})
}
