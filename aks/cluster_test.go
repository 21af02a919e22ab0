package aks

import (
	"strings"
	"testing"
	"time"

	"github.com/patchsim/patchsim/fleet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustImage(t *testing.T, s string) ImageVersion {
	t.Helper()
	v, err := ParseImageVersion(s)
	require.NoError(t, err)
	return v
}

func TestParseClusterAz(t *testing.T) {
	t.Parallel()
	c, err := ParseCluster("cluster-az.json", readTestdata(t, "cluster-az.json"))
	require.NoError(t, err)
	assert.Equal(t, "prod-weu", c.Name)
	assert.Equal(t, "westeurope", c.Location)
	assert.Equal(t, "1.33", c.KubernetesVersion)
	assert.Equal(t, "1.33.2", c.CurrentKubernetesVersion)
	assert.Equal(t, "none", c.UpgradeChannel)
	assert.Equal(t, "SecurityPatch", c.NodeOSUpgradeChannel)

	defaults := fleet.UpgradeSettings{
		MaxSurge:        fleet.Percent(10),
		MaxUnavailable:  fleet.Nodes(0),
		MaxBlockedNodes: fleet.Percent(10),
		DrainTimeout:    30 * time.Minute,
		Undrainable:     fleet.UndrainableSchedule,
	}
	old := defaults
	old.MaxSurge, old.MaxBlockedNodes = fleet.Nodes(1), fleet.Nodes(1)
	want := []Pool{
		{
			Name: "system", Mode: "System", OSType: "Linux", OSSKU: "Ubuntu", Count: 3,
			OrchestratorVersion: "1.33", CurrentOrchestratorVersion: "1.33.2",
			NodeImageVersion: mustImage(t, "AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01"),
			Upgrade: fleet.UpgradeSettings{
				MaxSurge:        fleet.Percent(33),
				MaxUnavailable:  fleet.Nodes(0),
				MaxBlockedNodes: fleet.Percent(33),
				DrainTimeout:    30 * time.Minute,
				NodeSoak:        5 * time.Minute,
				Undrainable:     fleet.UndrainableCordon,
			},
		},
		{
			Name: "apps", Mode: "User", OSType: "Linux", OSSKU: "Ubuntu", Count: 2,
			OrchestratorVersion: "1.33", CurrentOrchestratorVersion: "1.33.2",
			NodeImageVersion: mustImage(t, "AKSUbuntu-2204gen2containerd-202410.27.0-2024.12.01"),
			Upgrade:          defaults,
		},
		{
			Name: "win", Mode: "User", OSType: "Windows", OSSKU: "Windows2022", Count: 1,
			OrchestratorVersion: "1.33", CurrentOrchestratorVersion: "1.33.2",
			NodeImageVersion: mustImage(t, "AKSWindows-2022-containerd-20348.3207.250214"),
			Upgrade:          defaults,
		},
		{
			Name: "legacy", Mode: "User", OSType: "Linux", OSSKU: "Ubuntu", Count: 1,
			OrchestratorVersion: "1.30", CurrentOrchestratorVersion: "1.30.14",
			NodeImageVersion: mustImage(t, "AKSUbuntu-1804gen2containerd-2022.04.19"),
			Upgrade:          old, // k8s 1.30 < 1.32: default maxSurge 1
		},
	}
	assert.Equal(t, want, c.Pools)
	assert.Contains(t, c.Defaulted, "autoUpgradeProfile.upgradeChannel")
	assert.Contains(t, c.Defaulted, "agentPoolProfiles[0].upgradeSettings.drainTimeoutInMinutes")
	assert.NotContains(t, c.Defaulted, "agentPoolProfiles[0].upgradeSettings.maxSurge")
	assert.Contains(t, c.Defaulted, "agentPoolProfiles[3].upgradeSettings.maxSurge")
}

func TestParseClusterARM(t *testing.T) {
	t.Parallel()
	c, err := ParseCluster("cluster-arm.json", readTestdata(t, "cluster-arm.json"))
	require.NoError(t, err)
	assert.Equal(t, "clustername1", c.Name)
	assert.Equal(t, "eastus", c.Location)
	assert.Equal(t, "stable", c.UpgradeChannel)
	assert.Equal(t, "NodeImage", c.NodeOSUpgradeChannel)
	require.Len(t, c.Pools, 2)
	assert.Equal(t, "AzureLinux", c.Pools[0].OSSKU)
	assert.Equal(t, fleet.UpgradeSettings{
		MaxSurge:        fleet.Nodes(2),
		MaxUnavailable:  fleet.Nodes(0),
		MaxBlockedNodes: fleet.Nodes(2),
		DrainTimeout:    45 * time.Minute,
		Undrainable:     fleet.UndrainableSchedule,
	}, c.Pools[0].Upgrade)
	assert.Equal(t, fleet.Nodes(0), c.Pools[1].Upgrade.MaxSurge)
	assert.Equal(t, fleet.Percent(10), c.Pools[1].Upgrade.MaxUnavailable)
	assert.Equal(t, fleet.Nodes(5), c.Pools[1].Upgrade.MaxBlockedNodes)
	assert.Equal(t, []string{
		"properties.agentPoolProfiles[0].upgradeSettings.maxUnavailable",
		"properties.agentPoolProfiles[0].upgradeSettings.maxBlockedNodes",
		"properties.agentPoolProfiles[1].upgradeSettings.drainTimeoutInMinutes",
		"properties.agentPoolProfiles[1].upgradeSettings.nodeSoakDurationInMinutes",
		"properties.agentPoolProfiles[1].upgradeSettings.undrainableNodeBehavior",
	}, c.Defaulted)
}

// clusterDoc builds a one-pool cluster; pool and auto are spliced in as JSON.
func clusterDoc(auto, pool string) string {
	return `{"location": "westeurope", "kubernetesVersion": "1.33.2",` + auto +
		`"agentPoolProfiles": [{"name": "np", "mode": "User", "osType": "Linux", "count": 4,` +
		`"nodeImageVersion": "AKSUbuntu-2204gen2containerd-202410.27.0"` + pool + `}]}`
}

// TestParseClusterCasingAndNesting checks that az casing, ARM casing, other
// casings and the nested ARM shape read the same.
func TestParseClusterCasingAndNesting(t *testing.T) {
	t.Parallel()
	want, err := ParseCluster("", []byte(clusterDoc(
		`"autoUpgradeProfile": {"nodeOSUpgradeChannel": "Unmanaged", "upgradeChannel": "patch"},`,
		`, "osSKU": "AzureLinux", "upgradeSettings": {"maxSurge": "3"}`)))
	require.NoError(t, err)
	require.Equal(t, "Unmanaged", want.NodeOSUpgradeChannel)
	require.Equal(t, "AzureLinux", want.Pools[0].OSSKU)
	docs := map[string]string{
		"az casing": clusterDoc(
			`"autoUpgradeProfile": {"nodeOsUpgradeChannel": "Unmanaged", "upgradeChannel": "patch"},`,
			`, "osSku": "AzureLinux", "upgradeSettings": {"maxSurge": "3"}`),
		"other casing and values": clusterDoc(
			`"AutoUpgradeProfile": {"NodeOSUpgradeChannel": "unmanaged", "UPGRADECHANNEL": "PATCH"},`,
			`, "OsSku": "AzureLinux", "upgradeSettings": {"MaxSurge": "3"}`),
		"ARM nested": `{"location": "westeurope", "name": "x", "properties": ` + clusterDoc(
			`"autoUpgradeProfile": {"nodeOSUpgradeChannel": "Unmanaged", "upgradeChannel": "patch"},`,
			`, "osSKU": "AzureLinux", "upgradeSettings": {"maxSurge": "3"}`) + `}`,
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCluster("", []byte(doc))
			require.NoError(t, err)
			assert.Equal(t, want.Pools, got.Pools)
			assert.Equal(t, want.UpgradeChannel, got.UpgradeChannel)
			assert.Equal(t, want.NodeOSUpgradeChannel, got.NodeOSUpgradeChannel)
			assert.Equal(t, want.Location, got.Location)
			assert.Len(t, got.Defaulted, len(want.Defaulted))
		})
	}
}

func TestParseClusterUnsetUpgradeSettings(t *testing.T) {
	t.Parallel()
	defaults := fleet.UpgradeSettings{
		MaxSurge:        fleet.Percent(10),
		MaxUnavailable:  fleet.Nodes(0),
		MaxBlockedNodes: fleet.Percent(10),
		DrainTimeout:    30 * time.Minute,
		Undrainable:     fleet.UndrainableSchedule,
	}
	for _, pool := range []string{
		``,
		`, "upgradeSettings": null`,
		`, "upgradeSettings": {}`,
		`, "upgradeSettings": {"maxSurge": null}`,
		`, "upgradeSettings": {"drainTimeoutInMinutes": null, "maxSurge": null, "maxUnavailable": null, "maxBlockedNodes": null, "nodeSoakDurationInMinutes": null, "undrainableNodeBehavior": null, "unknownSetting": 7}`,
	} {
		t.Run(pool, func(t *testing.T) {
			t.Parallel()
			c, err := ParseCluster("", []byte(clusterDoc("", pool)))
			require.NoError(t, err)
			assert.Equal(t, defaults, c.Pools[0].Upgrade)
			assert.Equal(t, []string{
				"autoUpgradeProfile.upgradeChannel",
				"autoUpgradeProfile.nodeOSUpgradeChannel",
				"agentPoolProfiles[0].upgradeSettings.maxSurge",
				"agentPoolProfiles[0].upgradeSettings.maxUnavailable",
				"agentPoolProfiles[0].upgradeSettings.maxBlockedNodes",
				"agentPoolProfiles[0].upgradeSettings.drainTimeoutInMinutes",
				"agentPoolProfiles[0].upgradeSettings.nodeSoakDurationInMinutes",
				"agentPoolProfiles[0].upgradeSettings.undrainableNodeBehavior",
			}, c.Defaulted)
		})
	}
}

func TestParseClusterAutoUpgradeDefaults(t *testing.T) {
	t.Parallel()
	for _, auto := range []string{``, `"autoUpgradeProfile": null,`, `"autoUpgradeProfile": {},`,
		`"autoUpgradeProfile": {"nodeOsUpgradeChannel": null, "upgradeChannel": null},`} {
		c, err := ParseCluster("", []byte(clusterDoc(auto, "")))
		require.NoError(t, err, auto)
		assert.Equal(t, "none", c.UpgradeChannel, auto)
		assert.Equal(t, "NodeImage", c.NodeOSUpgradeChannel, auto)
	}
}

// TestDefaultMaxSurgeRule pins the rule: 10% from Kubernetes 1.32, else 1,
// on the pool's version, falling back to the cluster's.
func TestDefaultMaxSurgeRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		cluster, pool string
		want          fleet.Quantity
	}{
		{`"kubernetesVersion": "1.31.9"`, ``, fleet.Nodes(1)},
		{`"kubernetesVersion": "1.32.0"`, ``, fleet.Percent(10)},
		{`"kubernetesVersion": "1.32"`, ``, fleet.Percent(10)},
		{`"kubernetesVersion": "2.0"`, ``, fleet.Percent(10)},
		{`"kubernetesVersion": "1.33", "currentKubernetesVersion": "1.31.2"`, ``, fleet.Nodes(1)},
		{`"kubernetesVersion": "1.33"`, `, "orchestratorVersion": "1.31"`, fleet.Nodes(1)},
		{`"kubernetesVersion": "1.31"`, `, "orchestratorVersion": "1.31", "currentOrchestratorVersion": "1.32.1"`, fleet.Percent(10)},
		{`"currentKubernetesVersion": "1.29.4"`, ``, fleet.Nodes(1)},
	}
	for _, tc := range tests {
		doc := `{"location": "x", ` + tc.cluster + `, "agentPoolProfiles": [{"name": "np", "mode": "User", "osType": "Linux", "count": 4,` +
			`"nodeImageVersion": "AKSUbuntu-2204gen2containerd-202410.27.0"` + tc.pool + `}]}`
		c, err := ParseCluster("", []byte(doc))
		require.NoError(t, err, doc)
		assert.Equal(t, tc.want, c.Pools[0].Upgrade.MaxSurge, doc)
	}
}

func TestParseClusterBadFile(t *testing.T) {
	t.Parallel()
	const f = "cluster-bad.json"
	c, err := ParseCluster(f, readTestdata(t, f))
	assert.Nil(t, c)
	assert.Equal(t, []problem{
		{f, "location", ""},
		{f, "kubernetesVersion", `"v1.33"`},
		{f, "autoUpgradeProfile.upgradeChannel", `"latest"`},
		{f, "autoUpgradeProfile.nodeOSUpgradeChannel", `"Weekly"`},
		{f, "agentPoolProfiles[0].count", `"3"`},
		{f, "agentPoolProfiles[0].nodeImageVersion", `"Ubuntu-2204gen2containerd-202410.27.0"`},
		{f, "agentPoolProfiles[0].upgradeSettings.maxSurge", `"150x"`},
		{f, "agentPoolProfiles[0].upgradeSettings.maxUnavailable", `"1"`},
		{f, "agentPoolProfiles[0].upgradeSettings.drainTimeoutInMinutes", `0`},
		{f, "agentPoolProfiles[0].upgradeSettings.nodeSoakDurationInMinutes", `45`},
		{f, "agentPoolProfiles[0].upgradeSettings.undrainableNodeBehavior", `"Drain"`},
		{f, "agentPoolProfiles[1].name", `"Win_Pool"`},
		{f, "agentPoolProfiles[1].nodeImageVersion", `"AKSUbuntu-2204gen2containerd-202410.27.0"`},
		{f, "agentPoolProfiles[1].upgradeSettings.maxSurge", `"0"`},
	}, problems(t, err))
	msg := err.Error()
	for _, want := range []string{
		`aks: cluster-bad.json: location missing: required: the Azure region`,
		`aks: cluster-bad.json: agentPoolProfiles[0].upgradeSettings.maxSurge (pool "system") = "150x": "150x" is not a node count or percentage`,
		`aks: cluster-bad.json: agentPoolProfiles[0].upgradeSettings.drainTimeoutInMinutes (pool "system") = 0: 0s is outside 5 to 1440 minutes`,
		`agentPoolProfiles[1].nodeImageVersion (pool "Win_Pool") = "AKSUbuntu-2204gen2containerd-202410.27.0": a Linux image in a Windows pool`,
		`AKS requires maxSurge above 0 when maxUnavailable is 0`,
		`maxUnavailable (pool "system") = "1": "1" is not allowed on a System pool`,
	} {
		assert.Contains(t, msg, want)
	}
}

func TestParseClusterDocumentErrors(t *testing.T) {
	t.Parallel()
	pool := `{"name": "np", "mode": "User", "osType": "Linux", "count": 1, "nodeImageVersion": "AKSUbuntu-2204gen2containerd-202410.27.0"}`
	tests := []struct {
		name, doc string
		want      []problem
	}{
		{"empty", ``, []problem{{"c.json", "", ""}}},
		{"not JSON", `{"location": `, []problem{{"c.json", "", ""}}},
		{"array", `[]`, []problem{{"c.json", "", ""}}},
		{"no pools", `{"location": "x", "kubernetesVersion": "1.33"}`, []problem{{"c.json", "agentPoolProfiles", ""}}},
		{"pools not array", `{"location": "x", "kubernetesVersion": "1.33", "agentPoolProfiles": {}}`,
			[]problem{{"c.json", "agentPoolProfiles", "{}"}}},
		{"null pool", `{"location": "x", "kubernetesVersion": "1.33", "agentPoolProfiles": [null, ` + pool + `]}`,
			[]problem{{"c.json", "agentPoolProfiles[0]", "null"}}},
		{"properties not object", `{"location": "x", "properties": "y"}`,
			[]problem{{"c.json", "properties", `"y"`}, {"c.json", "properties.kubernetesVersion", ""}, {"c.json", "properties.agentPoolProfiles", ""}}},
		{"no version", `{"location": "x", "agentPoolProfiles": [` + pool + `]}`, []problem{{"c.json", "kubernetesVersion", ""}}},
		{"duplicate pool", `{"location": "x", "kubernetesVersion": "1.33", "agentPoolProfiles": [` + pool + `,` + pool + `]}`,
			[]problem{{"c.json", "agentPoolProfiles[1].name", `"np"`}}},
		{"wrong types", `{"location": 7, "kubernetesVersion": "1.33", "autoUpgradeProfile": [], "agentPoolProfiles": [` +
			strings.Replace(pool, `"count": 1`, `"count": 1.5, "upgradeSettings": {"maxSurge": 5, "drainTimeoutInMinutes": "30"}`, 1) + `]}`,
			[]problem{
				{"c.json", "location", "7"},
				{"c.json", "autoUpgradeProfile", "[]"},
				{"c.json", "agentPoolProfiles[0].count", "1.5"},
				{"c.json", "agentPoolProfiles[0].upgradeSettings.maxSurge", "5"},
				{"c.json", "agentPoolProfiles[0].upgradeSettings.drainTimeoutInMinutes", `"30"`},
			}},
		{"blocked below surge", `{"location": "x", "kubernetesVersion": "1.33", "agentPoolProfiles": [` +
			strings.Replace(pool, `"count": 1`, `"count": 1, "upgradeSettings": {"maxSurge": "3", "maxBlockedNodes": "2"}`, 1) + `]}`,
			[]problem{{"c.json", "agentPoolProfiles[0].upgradeSettings.maxBlockedNodes", `"2"`}}},
		{"autoscaler bounds", `{"location": "x", "kubernetesVersion": "1.33", "agentPoolProfiles": [` +
			strings.Replace(pool, `"count": 1`, `"count": 1, "enableAutoScaling": true, "maxCount": 0`, 1) + `,` +
			strings.Replace(strings.Replace(pool, `"np"`, `"np2"`, 1), `"count": 1`, `"count": 1, "enableAutoScaling": true, "minCount": 4, "maxCount": 3`, 1) + `,` +
			strings.Replace(strings.Replace(pool, `"np"`, `"np3"`, 1), `"count": 1`, `"count": 1, "enableAutoScaling": "yes"`, 1) + `]}`,
			[]problem{
				{"c.json", "agentPoolProfiles[0].minCount", ""},
				{"c.json", "agentPoolProfiles[0].maxCount", "0"},
				{"c.json", "agentPoolProfiles[1].maxCount", "3"},
				{"c.json", "agentPoolProfiles[2].enableAutoScaling", `"yes"`},
			}},
		{"missing pool fields", `{"location": "x", "kubernetesVersion": "1.33", "agentPoolProfiles": [{"osType": ""}]}`,
			[]problem{
				{"c.json", "agentPoolProfiles[0].name", ""},
				{"c.json", "agentPoolProfiles[0].osType", `""`},
				{"c.json", "agentPoolProfiles[0].count", ""},
				{"c.json", "agentPoolProfiles[0].nodeImageVersion", ""},
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseCluster("c.json", []byte(tc.doc))
			assert.Nil(t, c)
			assert.Equal(t, tc.want, problems(t, err))
		})
	}
}
