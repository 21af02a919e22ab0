package aks

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
)

func fleetExample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "reference", "fleet-examples", name))
	require.NoError(t, err)
	return b
}

// TestParseFleetShapes: every shape of docs/reference/fleet-examples reads
// to its kind, and a list and an ARM list read to their items in order.
func TestParseFleetShapes(t *testing.T) {
	for _, tc := range []struct {
		file                         string
		strategies, profiles, member int
	}{
		{"az-fleet-updatestrategy-show.json", 1, 0, 0},
		{"arm-updatestrategy-get.json", 1, 0, 0},
		{"az-fleet-stages-file.json", 1, 0, 0},
		{"az-fleet-autoupgradeprofile-show.json", 0, 1, 0},
		{"arm-autoupgradeprofile-get.json", 0, 1, 0},
	} {
		f, err := ParseFleet(tc.file, fleetExample(t, tc.file))
		require.NoError(t, err, tc.file)
		assert.Len(t, f.Strategies, tc.strategies, tc.file)
		assert.Len(t, f.Profiles, tc.profiles, tc.file)
		for _, u := range f.Strategies {
			assert.Len(t, u.StagesOf(), 3, tc.file)
		}
	}
	list := "[" + string(fleetExample(t, "arm-updatestrategy-get.json")) + "," + string(fleetExample(t, "az-fleet-autoupgradeprofile-show.json")) + "]"
	arm := `{"value": ` + list + `, "nextLink": null}`
	for _, doc := range []string{list, arm} {
		f, err := ParseFleet("list.json", []byte(doc))
		require.NoError(t, err)
		require.Len(t, f.Strategies, 1)
		require.Len(t, f.Profiles, 1)
		assert.Equal(t, "rings", f.Strategies[0].Name)
		assert.Equal(t, "Stable", f.Profiles[0].Flat().Channel)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "fleet", "members.json"))
	require.NoError(t, err)
	f, err := ParseFleet("members.json", data)
	require.NoError(t, err)
	require.Len(t, f.Members, 4)
	c, err := f.Members[1].ClusterName()
	require.NoError(t, err)
	assert.Equal(t, "canary-weu", c)
	assert.Equal(t, "canary-weu", f.Members[1].Flat().Group)
}

// TestParseFleetErrors: every problem of a file at once, each naming the
// file, the JSON path, the value and what is allowed.
func TestParseFleetErrors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "fleet", "bad.json"))
	require.NoError(t, err)
	f, err := ParseFleet("bad.json", data)
	assert.Nil(t, f)
	require.Error(t, err)
	want := []string{
		`aks: bad.json: value[0].properties.strategy.stages[1].afterGates[0].color = "green": is not a field here (displayName, type, scheduledStartConfiguration)`,
		`aks: bad.json: value[0].properties.strategy.stages[0].afterStageWaitInSeconds = "1d": "1d" is not a number`,
		`aks: bad.json: value[1].channel = "Weekly": "Weekly" is not one of NodeImage, Stable, Rapid, TargetKubernetesVersion (any case)`,
		`aks: bad.json: value[1].nodeImageSelection.type = "Newest": "Newest" is not one of Latest, Consistent (any case)`,
		`aks: bad.json: value[2].clusterResourceId = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/...: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1" is not a managed cluster's ARM ID (/subscriptions/.../providers/Microsoft.ContainerService/managedClusters/NAME)`,
		`aks: bad.json: value[3].type = "Microsoft.ContainerService/managedClusters": want one of Microsoft.ContainerService/fleets/updateStrategies, .../autoUpgradeProfiles, .../members`,
		`aks: bad.json: value[4] = {"name":"y"}: not a Fleet Manager object: want an update strategy (stages, strategy or properties.strategy), an auto-upgrade profile (channel) or a member (clusterResourceId, group), or an ARM type naming one`,
		`aks: bad.json: value[5] = 42: want a JSON object`,
	}
	assert.ElementsMatch(t, want, strings.Split(err.Error(), "\n"))
	// Once the form is right, the strategy's own rules speak.
	fixed := strings.Replace(strings.Replace(string(data), `"1d"`, `86400`, 1), `, "color": "green"`, ``, 1)
	_, err = ParseFleet("bad.json", []byte(fixed))
	require.Error(t, err)
	for _, w := range []string{
		`aks: bad.json: value[0].properties.strategy.stages[0].name = "Test": "Test" is not 1 to 50 lower-case letters, digits and hyphens, starting and ending with a letter or digit`,
		`aks: bad.json: value[0].properties.strategy.stages[1].groups[0].name = "test": "test" is also the group at properties.strategy.stages[0].groups[0]: a group appears once in a strategy`,
		`aks: bad.json: value[0].properties.strategy.stages[1].groups[0].maxConcurrency = "0": "0" is not a count from 1, or a percentage from 1% to 100%`,
	} {
		assert.Contains(t, err.Error(), w)
	}
	for _, bad := range []string{"", "  ", "{", "null", `"rings"`} {
		_, err := ParseFleet("x.json", []byte(bad))
		assert.Error(t, err, "%q", bad)
	}
}

// ringImport is a scenario as Import writes it, of four clusters of the
// fleet of testdata/fleet/members.json, canary-neu not among them.
func ringImport(t *testing.T) *plan.Scenario {
	t.Helper()
	s := &plan.Scenario{Name: "rings", Start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Horizon: plan.Duration(60 * 24 * time.Hour), Replications: 2}
	for _, c := range []struct{ name, region string }{{"test-weu", "westeurope"}, {"canary-weu", "westeurope"}, {"prod-weu", "westeurope"}, {"prod-neu", "northeurope"}} {
		s.Clusters = append(s.Clusters, plan.Cluster{Name: c.name, Region: c.region, Pools: []plan.Pool{{Name: "apps", Count: 2}}})
	}
	require.NoError(t, s.Validate())
	return s
}

// TestAddFleet: the strategy the profile follows, its groups without a
// member in the scenario left out with a warning; the scenario validates.
func TestAddFleet(t *testing.T) {
	var f Fleet
	for _, name := range []string{"arm-updatestrategy-get.json", "arm-autoupgradeprofile-get.json"} {
		g, err := ParseFleet(name, fleetExample(t, name))
		require.NoError(t, err)
		f.Strategies = append(f.Strategies, g.Strategies...)
		f.Profiles = append(f.Profiles, g.Profiles...)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "fleet", "members.json"))
	require.NoError(t, err)
	g, err := ParseFleet("members.json", data)
	require.NoError(t, err)
	f.Members = g.Members
	s := ringImport(t)
	warnings, err := AddFleet(s, &f)
	require.NoError(t, err)
	assert.Equal(t, []string{
		`aks: import: update strategy "rings", stage "canary": group "canary-neu" left out: none of its members is in the scenario`,
	}, warnings)
	fm := s.FleetManager
	require.NotNil(t, fm)
	st := fm.UpdateStrategy.StagesOf()
	require.Len(t, st, 3)
	assert.Len(t, st[1].Groups, 1)
	assert.Equal(t, "start production", st[2].BeforeGates[0].DisplayName)
	assert.Equal(t, "ScheduledStart", st[2].BeforeGates[1].Type)
	assert.Len(t, fm.Members, 4)
	require.Len(t, fm.AutoUpgradeProfiles, 1)
	assert.Equal(t, "NodeImage", fm.AutoUpgradeProfiles[0].Channel)

	// Without the canary clusters the canary stage goes, with its wait.
	s = ringImport(t)
	s.Clusters = append(s.Clusters[:1], s.Clusters[2:]...)
	warnings, err = AddFleet(s, &f)
	require.NoError(t, err)
	assert.Contains(t, warnings, `aks: import: update strategy "rings": stage "canary" left out with its 259200s wait and its gates: none of its members is in the scenario`)
	assert.Contains(t, warnings, `aks: import: fleet member "canary-1" left out: its cluster "canary-weu" is not in the scenario`)
	assert.Len(t, s.FleetManager.UpdateStrategy.StagesOf(), 2)

	// Members, none of them here: an error, as a scenario without members
	// would make every cluster one.
	s = ringImport(t)
	s.Clusters = append(s.Clusters[:1], s.Clusters[2:]...) // no canary-weu
	_, err = AddFleet(s, &Fleet{Members: f.Members[1:2], Profiles: []plan.AutoUpgradeProfile{{Name: "p", Channel: "NodeImage"}}})
	assert.EqualError(t, err, `aks: import: none of the fleet members (canary-1) is a cluster of the scenario`)

	// A profile following a strategy that no file gives.
	s = ringImport(t)
	_, err = AddFleet(s, &Fleet{Members: f.Members, Profiles: f.Profiles})
	assert.EqualError(t, err, `aks: import: auto-upgrade profile "node-image-rings" follows update strategy "rings", which no --fleet file gives`)
	assert.Nil(t, s.FleetManager, "s is changed only without problems")
}

// TestAddFleetClearsFailureThresholds: the model stops a run at its first
// failed member, so a maxAllowedFailures above 0 is cleared with a warning,
// and 0 kept.
func TestAddFleetClearsFailureThresholds(t *testing.T) {
	f, err := ParseFleet("f.json", []byte(`[
	  {"name": "rings", "stages": [{"name": "all", "maxAllowedFailures": "2", "groups": [{"name": "test", "maxAllowedFailures": "0"}, {"name": "prod-weu", "maxAllowedFailures": "50%"}]}]},
	  {"name": "p", "channel": "NodeImage", "updateStrategyId": "rings"},
	  {"name": "test-weu", "group": "test"}, {"name": "prod-weu", "group": "prod-weu"}]`))
	require.NoError(t, err)
	s := ringImport(t)
	warnings, err := AddFleet(s, f)
	require.NoError(t, err)
	assert.Equal(t, []string{
		`aks: import: stage "all": maxAllowedFailures "2" left out: the model stops a run at its first failed member`,
		`aks: import: stage "all", group "prod-weu": maxAllowedFailures "50%" left out: the model stops a run at its first failed member`,
	}, warnings)
	st := s.FleetManager.UpdateStrategy.StagesOf()[0]
	assert.Equal(t, "", st.MaxAllowedFailures)
	assert.Equal(t, "0", st.Groups[0].MaxAllowedFailures)
	assert.Equal(t, "", st.Groups[1].MaxAllowedFailures)
}

// TestAddFleetManyMembersElsewhere: a fleet's member list holds far more
// clusters than the one imported (az fleet member list of a large fleet):
// the members left out are one warning, and the error when none is here
// one line, each naming the first ten and how many more.
func TestAddFleetManyMembersElsewhere(t *testing.T) {
	member := func(i int) plan.FleetMember {
		return plan.FleetMember{Name: fmt.Sprintf("m%d", i), ClusterResourceID: fmt.Sprintf("/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c%d", i)}
	}
	var f Fleet
	for i := range 25 {
		f.Members = append(f.Members, member(i))
	}
	f.Profiles = []plan.AutoUpgradeProfile{{Name: "p", Channel: "NodeImage"}}
	_, err := AddFleet(ringImport(t), &f)
	assert.EqualError(t, err, `aks: import: none of the fleet members (m0, m1, m2, m3, m4, m5, m6, m7, m8, m9 and 15 more) is a cluster of the scenario`)

	f.Members = append(f.Members, plan.FleetMember{Name: "test-weu"})
	warnings, err := AddFleet(ringImport(t), &f)
	require.NoError(t, err)
	assert.Equal(t, []string{`aks: import: 25 fleet members left out, their clusters not in the scenario: "m0" (cluster "c0"), "m1" (cluster "c1"), "m2" (cluster "c2"), "m3" (cluster "c3"), "m4" (cluster "c4"), "m5" (cluster "c5"), "m6" (cluster "c6"), "m7" (cluster "c7"), "m8" (cluster "c8"), "m9" (cluster "c9") and 15 more`}, warnings)

	f.Members = []plan.FleetMember{member(0), {Name: "test-weu"}}
	warnings, err = AddFleet(ringImport(t), &f)
	require.NoError(t, err)
	assert.Equal(t, []string{`aks: import: fleet member "m0" left out: its cluster "c0" is not in the scenario`}, warnings)
}

// TestParseFleetFieldCase: an object whose field names differ in case from
// az's is of the kind its fields say, read as a scenario's fleetManager
// section reads it (a key matches a field that differs only in case), not
// refused as no Fleet Manager object.
func TestParseFleetFieldCase(t *testing.T) {
	f, err := ParseFleet("f.json", []byte(`[
	 {"Name": "prod-weu", "ClusterResourceId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod-weu", "Group": "prod"},
	 {"name": "rings", "Strategy": {"Stages": [{"Name": "prod", "Groups": [{"Name": "prod"}]}]}},
	 {"name": "ni", "Properties": {"Channel": "NodeImage", "UpdateStrategyId": "rings"}},
	 {"name": "m2", "Type": "Microsoft.ContainerService/fleets/members", "clusterResourceId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod-neu"}
	]`))
	require.NoError(t, err)
	require.Len(t, f.Members, 2)
	assert.Equal(t, "prod", f.Members[0].Flat().Group)
	require.Len(t, f.Strategies, 1)
	assert.Equal(t, "prod", f.Strategies[0].StagesOf()[0].Name)
	require.Len(t, f.Profiles, 1)
	assert.Equal(t, "NodeImage", f.Profiles[0].Flat().Channel)
}
