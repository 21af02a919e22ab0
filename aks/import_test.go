package aks

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/window"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testPool(t *testing.T, name, os string, count int, image string) Pool {
	return Pool{
		Name: name, Mode: "User", OSType: os, Count: count, NodeImageVersion: mustImage(t, image),
		Upgrade: fleet.UpgradeSettings{MaxSurge: fleet.Percent(33), MaxUnavailable: fleet.Nodes(0), MaxBlockedNodes: fleet.Percent(33), DrainTimeout: 30 * time.Minute,
			NodeSoak: 5 * time.Minute, Undrainable: fleet.UndrainableCordon},
	}
}

func testCluster(nodeOS string, pools ...Pool) *Cluster {
	return &Cluster{Name: "prod", Location: "westeurope", KubernetesVersion: "1.33.2", UpgradeChannel: "none", NodeOSUpgradeChannel: nodeOS, Pools: pools}
}

// testNode is one item of a kubectl node list; an empty label is left out.
func testNode(name, pool, os, image string) string {
	var labels []string
	for _, l := range [][2]string{{LabelAgentPool, pool}, {LabelOS, os}, {LabelImageVersion, image}} {
		if l[1] != "" {
			labels = append(labels, fmt.Sprintf("%q: %q", l[0], l[1]))
		}
	}
	return fmt.Sprintf(`{"kind": "Node", "metadata": {"name": %q, "creationTimestamp": "2025-01-01T00:00:00Z", "labels": {%s}},
	  "status": {"nodeInfo": {"kernelVersion": "k", "osImage": "o"}, "conditions": [{"type": "Ready", "lastHeartbeatTime": "2025-03-03T09:41:07Z"}]}}`,
		name, strings.Join(labels, ", "))
}

func testNodes(t *testing.T, items ...string) *NodeList {
	t.Helper()
	l, err := ParseNodes("nodes.json", []byte(`{"apiVersion": "v1", "kind": "List", "items": [`+strings.Join(items, ",")+`]}`))
	require.NoError(t, err)
	return l
}

var (
	observed = time.Date(2025, 3, 3, 9, 41, 7, 0, time.UTC)
	day0     = func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
)

const (
	ubuntu  = "AKSUbuntu-2204gen2containerd-202502.26.0"
	patched = "AKSUbuntu-2204gen2containerd-202502.26.0-2025.03.01"
	legacy  = "AKSUbuntu-1804gen2containerd-2022.04.19"
	windows = "AKSWindows-2022-containerd-20348.3207.250214"
)

func nodeOSWindow(name string) window.MaintenanceConfiguration {
	return window.MaintenanceConfiguration{Name: name, MaintenanceWindow: &window.MaintenanceWindow{
		Schedule:      window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: "Sunday"}},
		DurationHours: 4, StartTime: "00:00", UTCOffset: "+00:00",
	}}
}

func TestImport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		cluster *Cluster
		configs []window.MaintenanceConfiguration
		nodes   func(t *testing.T) *NodeList
		opt     ImportOptions
		check   func(t *testing.T, s *plan.Scenario)
		// warnings are substrings, one per warning in order.
		warnings []string
	}{
		{
			name:    "SecurityPatch suffix",
			cluster: testCluster("SecurityPatch", testPool(t, "user", "Linux", 2, patched)),
			configs: []window.MaintenanceConfiguration{nodeOSWindow(window.NameNodeOSUpgrade)},
			nodes: func(t *testing.T) *NodeList {
				return testNodes(t, testNode("a", "user", "linux", patched), testNode("b", "user", "linux", ubuntu))
			},
			check: func(t *testing.T, s *plan.Scenario) {
				assert.Equal(t, observed, s.Start)
				c := s.Clusters[0]
				assert.Equal(t, "SecurityPatch", c.NodeOSUpgradeChannel)
				assert.Equal(t, "", c.WindowsFallback)
				assert.Equal(t, []window.MaintenanceConfiguration{nodeOSWindow(window.NameNodeOSUpgrade)}, c.MaintenanceConfigurations)
				p := c.Pools[0]
				assert.Equal(t, 2, p.Count)
				assert.Nil(t, p.Initial)
				assert.Equal(t, []plan.NodeState{
					{Name: "a", NodeImageVersion: patched, Userspace: day0(2025, 3, 1), Kernel: day0(2025, 2, 26)},
					{Name: "b", NodeImageVersion: ubuntu, Userspace: day0(2025, 2, 26), Kernel: day0(2025, 2, 26)},
				}, p.InitialNodes)
				assert.Equal(t, plan.UpgradeSettings{MaxSurge: "33%", MaxUnavailable: "0", MaxBlockedNodes: "33%",
					DrainTimeoutInMinutes: 30, NodeSoakDurationInMinutes: 5, UndrainableNodeBehavior: "Cordon"}, p.UpgradeSettings)
				assert.Equal(t, plan.DefaultLookback, s.Upstream.Lookback)
			},
		},
		{
			name:    "old YYYY.MM.DD format",
			cluster: testCluster("NodeImage", testPool(t, "legacy", "Linux", 1, legacy)),
			nodes:   func(t *testing.T) *NodeList { return testNodes(t, testNode("old", "legacy", "linux", legacy)) },
			check: func(t *testing.T, s *plan.Scenario) {
				assert.Equal(t, []plan.NodeState{{Name: "old", NodeImageVersion: legacy, Userspace: day0(2022, 4, 19), Kernel: day0(2022, 4, 19)}},
					s.Clusters[0].Pools[0].InitialNodes)
				// The content reaches back to the image: 2022-04-19 to
				// 2025-03-03T09:41 is 1049 days and some hours.
				assert.Equal(t, plan.Duration(1050*24*time.Hour), s.Upstream.Lookback)
			},
		},
		{
			name:    "Windows pool under SecurityPatch",
			cluster: testCluster("SecurityPatch", testPool(t, "system", "Linux", 1, patched), testPool(t, "win", "Windows", 1, windows)),
			nodes: func(t *testing.T) *NodeList {
				return testNodes(t, testNode("s", "system", "linux", patched), testNode("w", "win", "windows", windows))
			},
			check: func(t *testing.T, s *plan.Scenario) {
				c := s.Clusters[0]
				assert.Equal(t, "NodeImage", c.WindowsFallback)
				assert.Equal(t, "Windows", c.Pools[1].OSType)
				assert.Equal(t, []plan.NodeState{{Name: "w", NodeImageVersion: windows, Userspace: day0(2025, 2, 14), Kernel: day0(2025, 2, 14)}}, c.Pools[1].InitialNodes)
			},
			warnings: []string{"cluster prod: SecurityPatch isn't supported on Windows pools (aks.md 1.5); ASSUMPTION: Windows pools follow NodeImage"},
		},
		{
			name:    "Windows pool under NodeImage",
			cluster: testCluster("NodeImage", testPool(t, "win", "Windows", 1, windows)),
			nodes:   func(t *testing.T) *NodeList { return testNodes(t, testNode("w", "win", "windows", windows)) },
			check:   func(t *testing.T, s *plan.Scenario) { assert.Equal(t, "", s.Clusters[0].WindowsFallback) },
		},
		{
			name:    "missing nodes",
			cluster: testCluster("NodeImage", testPool(t, "system", "Linux", 1, ubuntu), testPool(t, "apps", "Linux", 3, patched)),
			nodes:   func(t *testing.T) *NodeList { return testNodes(t, testNode("s", "system", "linux", ubuntu)) },
			check: func(t *testing.T, s *plan.Scenario) {
				p := s.Clusters[0].Pools[1]
				assert.Equal(t, 3, p.Count)
				assert.Empty(t, p.InitialNodes)
				assert.Equal(t, &plan.NodeState{NodeImageVersion: patched, Userspace: day0(2025, 3, 1), Kernel: day0(2025, 2, 26)}, p.Initial)
			},
			warnings: []string{`pool "apps": no usable node in the node list; its 3 nodes start from the pool's nodeImageVersion ` + patched},
		},
		{
			name:    "no node list",
			cluster: testCluster("NodeImage", testPool(t, "system", "Linux", 2, ubuntu)),
			opt:     ImportOptions{Start: time.Date(2025, 3, 5, 12, 0, 0, 0, time.FixedZone("CET", 3600)), Horizon: 30 * 24 * time.Hour, Replications: 3, Seed: 9, Name: "what-if"},
			check: func(t *testing.T, s *plan.Scenario) {
				assert.Equal(t, time.Date(2025, 3, 5, 11, 0, 0, 0, time.UTC), s.Start)
				assert.Equal(t, plan.Duration(30*24*time.Hour), s.Horizon)
				assert.Equal(t, 3, s.Replications)
				assert.Equal(t, uint64(9), s.Seed)
				assert.Equal(t, "what-if", s.Name)
				assert.Equal(t, "prod", s.Clusters[0].Name)
				assert.Equal(t, 2, s.Clusters[0].Pools[0].Count)
			},
			warnings: []string{`pool "system": no node list; its 2 nodes start from the pool's nodeImageVersion ` + ubuntu},
		},
		{
			name:    "start before the images",
			cluster: testCluster("NodeImage", testPool(t, "apps", "Linux", 1, patched)),
			nodes:   func(t *testing.T) *NodeList { return testNodes(t, testNode("a", "apps", "linux", patched)) },
			opt:     ImportOptions{Start: day0(2025, 2, 28)},
			check: func(t *testing.T, s *plan.Scenario) {
				assert.Equal(t, day0(2025, 2, 28), s.Start)
				assert.Equal(t, day0(2025, 3, 1), s.Clusters[0].Pools[0].InitialNodes[0].Userspace)
			},
			warnings: []string{`node "a": image ` + patched + ` has content from 2025-03-01, after the start 2025-02-28T00:00:00Z; the simulation takes it as is`},
		},
		{
			name:    "count mismatch",
			cluster: testCluster("NodeImage", testPool(t, "apps", "Linux", 3, ubuntu)),
			nodes: func(t *testing.T) *NodeList {
				return testNodes(t, testNode("a", "apps", "linux", ubuntu), testNode("b", "apps", "linux", ubuntu))
			},
			check: func(t *testing.T, s *plan.Scenario) {
				p := s.Clusters[0].Pools[0]
				assert.Equal(t, 2, p.Count)
				assert.Len(t, p.InitialNodes, 2)
			},
			warnings: []string{`pool "apps": the cluster says count 3, the node list has 2 usable nodes; simulating the 2 nodes seen`},
		},
		{
			name:    "unknown image format and other unusable nodes",
			cluster: testCluster("NodeImage", testPool(t, "apps", "Linux", 1, ubuntu), testPool(t, "idle", "Linux", 0, ubuntu)),
			configs: []window.MaintenanceConfiguration{nodeOSWindow("nightly")},
			nodes: func(t *testing.T) *NodeList {
				return testNodes(t,
					testNode("good", "apps", "linux", ubuntu),
					testNode("latest", "apps", "linux", "AKSUbuntu-2204gen2containerd-latest"),
					testNode("nolabel", "", "linux", ubuntu),
					testNode("stray", "gone", "linux", ubuntu),
					testNode("winlinux", "apps", "windows", windows))
			},
			check: func(t *testing.T, s *plan.Scenario) {
				c := s.Clusters[0]
				require.Len(t, c.Pools, 1)
				assert.Equal(t, "good", c.Pools[0].InitialNodes[0].Name)
				assert.Empty(t, c.MaintenanceConfigurations)
			},
			warnings: []string{
				`maintenance configuration "nightly" left out: AKS runs only default, aksManagedAutoUpgradeSchedule and aksManagedNodeOSUpgradeSchedule`,
				`node left out: aks: nodes.json: items[1].metadata.labels["kubernetes.azure.com/node-image-version"] (node "latest") = "AKSUbuntu-2204gen2containerd-latest": node image version: bad Linux version "latest"`,
				`node left out: aks: nodes.json: items[2].metadata.labels["kubernetes.azure.com/agentpool"] (node "nolabel") missing`,
				`node "stray" left out: its pool "gone" is not in the cluster`,
				`node "winlinux" left out: a Windows node in Linux pool "apps"`,
				`pool "idle" left out: it has no nodes (count 0)`,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var nodes *NodeList
			if tc.nodes != nil {
				nodes = tc.nodes(t)
			}
			s, warnings, err := Import(tc.cluster, tc.configs, nodes, tc.opt)
			require.NoError(t, err)
			require.NoError(t, s.Validate())
			require.Len(t, warnings, len(tc.warnings), "warnings: %q", warnings)
			for i, w := range tc.warnings {
				assert.Contains(t, warnings[i], w)
				assert.True(t, strings.HasPrefix(warnings[i], "aks: import: "), warnings[i])
			}
			if tc.opt == (ImportOptions{}) {
				assert.Equal(t, plan.Duration(DefaultImportHorizon), s.Horizon)
				assert.Equal(t, DefaultImportReplications, s.Replications)
				assert.Equal(t, "prod", s.Name)
			}
			tc.check(t, s)
		})
	}
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	pool := testPool(t, "apps", "Linux", 1, ubuntu)
	bad := nodeOSWindow(window.NameNodeOSUpgrade)
	bad.MaintenanceWindow.DurationHours = 2
	tests := []struct {
		name    string
		cluster *Cluster
		configs []window.MaintenanceConfiguration
		opt     ImportOptions
		want    []string
	}{
		{"no cluster", nil, nil, ImportOptions{}, []string{"aks: import: no cluster"}},
		{"no start, no name, bad options", &Cluster{Location: "westeurope", UpgradeChannel: "none", NodeOSUpgradeChannel: "NodeImage", Pools: []Pool{{Name: "empty"}}}, nil,
			ImportOptions{Horizon: -time.Hour, Replications: -1}, []string{
				"aks: import: no scenario name: the cluster has none; set ImportOptions.Name",
				"aks: import: no start time: give ImportOptions.Start or a node list, whose observation time is the start",
				"aks: import: ImportOptions.Horizon -1h0m0s must not be negative",
				"aks: import: ImportOptions.Replications -1 must not be negative",
				"aks: import: no pool has a node to simulate",
			}},
		{"channels", &Cluster{Name: "x", Location: "westeurope", UpgradeChannel: "sometimes", Pools: []Pool{pool}}, nil, ImportOptions{Start: observed}, []string{
			`aks: import: cluster nodeOSUpgradeChannel "": want one of None, Unmanaged, SecurityPatch, NodeImage`,
			`aks: import: cluster upgradeChannel "sometimes": want one of none, patch, stable, rapid, node-image`,
		}},
		{"configurations", testCluster("NodeImage", pool), []window.MaintenanceConfiguration{
			nodeOSWindow(""), nodeOSWindow(window.NameDefault), nodeOSWindow(window.NameDefault), bad,
		}, ImportOptions{Start: observed}, []string{
			"aks: import: maintenance configuration 0 has no name",
			`aks: import: maintenance configurations 1 and 2 are both named "default"`,
			"aks: import: maintenance configuration \"aksManagedNodeOSUpgradeSchedule\":\nwindow: maintenanceWindow.durationHours: 2 is below the minimum 4",
		}},
		{"nothing to simulate", testCluster("NodeImage", testPool(t, "idle", "Linux", 0, ubuntu)), nil, ImportOptions{Start: observed}, []string{
			"aks: import: no pool has a node to simulate",
		}},
		{"rule of the model", &Cluster{Name: "x", Location: "westeurope", UpgradeChannel: "node-image", NodeOSUpgradeChannel: "SecurityPatch", Pools: []Pool{pool}}, nil,
			ImportOptions{Start: observed}, []string{"aks: import: the scenario does not validate:\nplan: "}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, _, err := Import(tc.cluster, tc.configs, nil, tc.opt)
			require.Error(t, err)
			assert.Nil(t, s)
			msg := err.Error()
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
			if !strings.Contains(tc.want[0], "does not validate") {
				assert.Equal(t, len(tc.want), strings.Count(msg, "aks: import: "), msg)
			}
		})
	}
}

// What real clusters and the API's own examples return imports, with a
// warning for each thing read in another way: pools without mode (older
// API versions), the colon form of nodeImageVersion the API's examples
// show, autoscaler bounds the model leaves out, and no start without a
// node list.
func TestImportOlderForms(t *testing.T) {
	t.Parallel()
	doc := `{"name": "old", "location": "West Europe", "properties": {"kubernetesVersion": "1.15.7",
	  "agentPoolProfiles": [
	    {"name": "nodepool1", "count": 3, "osType": "Linux", "nodeImageVersion": "AKSUbuntu:1604:2020.03.11"},
	    {"name": "pool2", "count": 2, "osType": "Linux", "nodeImageVersion": "AKSUbuntu-1604-2020.04.14",
	     "enableAutoScaling": true, "minCount": 1, "maxCount": 5}]}}`
	c, err := ParseCluster("c.json", []byte(doc))
	require.NoError(t, err)
	require.Len(t, c.Pools, 2)
	assert.Equal(t, "System", c.Pools[0].Mode, "a cluster's first pool")
	assert.Equal(t, "User", c.Pools[1].Mode, "a pool added later")
	assert.Contains(t, c.Defaulted, "properties.agentPoolProfiles[0].mode")
	v := c.Pools[0].NodeImageVersion
	assert.Equal(t, "AKSUbuntu-1604-2020.03.11", v.String())
	assert.Equal(t, time.Date(2020, 3, 11, 0, 0, 0, 0, time.UTC), v.Built)

	s, warnings, err := Import(c, nil, nil, ImportOptions{})
	require.NoError(t, err)
	// The newest date in the inputs is pool2's image, 2020-04-14.
	assert.Equal(t, time.Date(2020, 4, 14, 0, 0, 0, 0, time.UTC), s.Start)
	want := []string{
		`aks: import: no start given and no node list: the start is 2020-04-14T00:00:00Z, the newest date in the inputs (pool "pool2"'s node image); give a start to simulate from another instant`,
		`aks: import: pool "nodepool1": no mode (older API versions have none); read as System, as AKS makes a cluster's first pool System and later pools User`,
		`aks: import: pool "nodepool1": nodeImageVersion "AKSUbuntu:1604:2020.03.11" is in the colon form of the API's examples; read as AKSUbuntu-1604-2020.03.11`,
		`aks: import: pool "pool2": no mode (older API versions have none); read as User, as AKS makes a cluster's first pool System and later pools User`,
		`aks: import: pool "pool2": the cluster autoscaler is on (minCount 1, maxCount 5); the inputs do not say the demand, so autoscale.profile keeps the 2 nodes it has: edit it to simulate scale-ups and scale-downs; new nodes boot the pool's nodeImageVersion AKSUbuntu-1604-2020.04.14`,
	}
	for _, w := range want {
		assert.Contains(t, warnings, w)
	}
	// pool2 autoscales between its bounds from its 2 nodes, and its new
	// nodes boot its image of 2020-04-14.
	p2 := s.Clusters[0].Pools[1]
	assert.Nil(t, s.Clusters[0].Pools[0].Autoscale)
	assert.Equal(t, &plan.Autoscale{Min: 1, Max: 5, Profile: &plan.Profile{Base: 2, Peak: 2}}, p2.Autoscale)
	require.NotNil(t, p2.Image)
	assert.Equal(t, time.Date(2020, 4, 14, 0, 0, 0, 0, time.UTC), p2.Image.Userspace)
	assert.Equal(t, "AKSUbuntu-1604-2020.04.14", p2.Image.NodeImageVersion)
	// A scenario that runs.
	require.NoError(t, s.Validate())
	// A colon form that is not a version is still an error.
	_, err = ParseCluster("c.json", []byte(strings.Replace(doc, "AKSUbuntu:1604:2020.03.11", "AKSUbuntu:1604:latest", 1)))
	assert.ErrorContains(t, err, `"AKSUbuntu:1604:latest"`)
}

// Node heartbeats of the year 1 made a scenario whose run panicked in
// rrule-go; the import now fails validation and names the start.
func TestImportHeartbeatsOfYearOne(t *testing.T) {
	t.Parallel()
	data := strings.ReplaceAll(string(readTestdata(t, "nodes.json")), `"lastHeartbeatTime": "2025-`, `"lastHeartbeatTime": "0001-`)
	nodes, err := ParseNodes("nodes.json", []byte(data))
	require.NoError(t, err)
	require.Equal(t, 1, nodes.Observed.Year())
	c, err := ParseCluster("cluster-az.json", readTestdata(t, "cluster-az.json"))
	require.NoError(t, err)
	s, _, err := Import(c, nil, nodes, ImportOptions{})
	assert.Nil(t, s)
	assert.ErrorContains(t, err, "plan: start: 0001-")
	assert.ErrorContains(t, err, "before 1900-01-01")
}
