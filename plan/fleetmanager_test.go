package plan

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/fleet"
)

// ringClusters are five clusters in two regions, members of the groups of
// docs/reference/fleet-examples' strategy "rings".
const ringClusters = `{"name": "rings", "start": "2025-01-06T00:00:00Z", "horizon": "60d", "replications": 2,
 "clusters": [
  {"name": "test-weu", "region": "westeurope", "pools": [{"name": "apps", "count": 2}]},
  {"name": "canary-weu", "region": "westeurope", "pools": [{"name": "apps", "count": 2}]},
  {"name": "canary-neu", "region": "northeurope", "pools": [{"name": "apps", "count": 2}]},
  {"name": "prod-weu", "region": "westeurope", "pools": [{"name": "apps", "count": 2}]},
  {"name": "prod-neu", "region": "northeurope", "pools": [{"name": "apps", "count": 2}]}],
 "fleetManager": {"members": [
  {"name": "test-weu", "group": "test"},
  {"clusterResourceId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/canary-weu", "group": "canary-weu"},
  {"name": "m3", "properties": {"clusterResourceId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/canary-neu", "group": "canary-neu"}},
  {"name": "prod-weu", "group": "prod-weu"},
  {"name": "prod-neu", "group": "prod-neu"}],
  "updateStrategy": STRATEGY,
  "autoUpgradeProfiles": [PROFILE]}}`

func exampleFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "docs", "reference", "fleet-examples", name))
	require.NoError(t, err)
	return string(b)
}

func ringScenario(strategy, profile string) string {
	return strings.NewReplacer("STRATEGY", strategy, "PROFILE", profile).Replace(ringClusters)
}

// TestFleetManagerReadsTheARMShapes: the update strategies and
// auto-upgrade profiles of docs/reference/fleet-examples, as az and ARM
// print them (nulls, read-only properties and all), pasted into a scenario
// as they are, validate, and read to the same stages and profile fields.
func TestFleetManagerReadsTheARMShapes(t *testing.T) {
	var stages [][]UpdateStage
	for _, strategy := range []string{"az-fleet-updatestrategy-show.json", "arm-updatestrategy-get.json", "az-fleet-stages-file.json"} {
		for _, profile := range []string{"az-fleet-autoupgradeprofile-show.json", "arm-autoupgradeprofile-get.json"} {
			t.Run(strategy+" "+profile, func(t *testing.T) {
				s, err := Parse([]byte(ringScenario(exampleFile(t, strategy), exampleFile(t, profile))), "")
				require.NoError(t, err)
				require.NoError(t, s.Validate())
				fm := s.FleetManager
				got := fm.UpdateStrategy.stages()
				require.Len(t, got, 3)
				stages = append(stages, got)
				assert.Equal(t, []string{"test", "canary", "prod"}, []string{got[0].Name, got[1].Name, got[2].Name})
				assert.Equal(t, []int{86400, 259200, 0}, []int{got[0].AfterStageWaitInSeconds, got[1].AfterStageWaitInSeconds, got[2].AfterStageWaitInSeconds})
				assert.Equal(t, "canary health check", got[1].AfterGates[0].DisplayName)
				assert.Equal(t, "Approval", got[2].BeforeGates[0].Type)
				p := fm.AutoUpgradeProfiles[0].flat()
				assert.NotEmpty(t, p.Channel)
				assert.Contains(t, p.UpdateStrategyID, "/updateStrategies/rings")
				if p.Channel == "Stable" {
					assert.Equal(t, "Consistent", p.NodeImageSelection.Type)
				}
				// Written back, the read-only properties are gone and the
				// scenario is still valid and the same.
				y, err := s.YAML()
				require.NoError(t, err)
				assert.NotContains(t, string(y), "systemData")
				back, err := Parse(y, "")
				require.NoError(t, err)
				require.NoError(t, back.Validate())
				a, _ := json.Marshal(s)
				b, _ := json.Marshal(back)
				assert.JSONEq(t, string(a), string(b))
			})
		}
	}
	// The three shapes of the strategy carry the same groups.
	for _, st := range stages[1:] {
		for i := range st {
			assert.Equal(t, len(stages[0][i].Groups), len(st[i].Groups))
		}
	}
}

// TestFleetManagerProblemsListedAtOnce: a file with a mistake in every
// Fleet Manager object gets every one back, each with its path, the value
// and what is allowed.
func TestFleetManagerProblemsListedAtOnce(t *testing.T) {
	strategy := `{"name": "rings", "strategy": {"stages": [
	  {"name": "Test_1", "groups": [{"name": "test"}], "afterStageWaitInSeconds": -1},
	  {"name": "canary", "groups": [{"name": "canary-weu", "maxConcurrency": "3"}, {"name": "test"}, {"name": "canary-neu"}], "maxConcurrency": "2",
	   "afterGates": [{"type": "ScheduledStart", "scheduledStartConfiguration": {"startDay": "Someday", "startTime": "2:00", "utcOffset": "+15:00"}}]},
	  {"name": "canary", "groups": [], "maxConcurrency": "60", "beforeGates": [{"type": "Approve"}]},
	  {"name": "prod", "groups": [{"name": "prod-weu"}, {"name": "prod-neu"}]}]}}`
	profile := `{"name": "p", "channel": "NodeImage", "nodeImageSelection": {"type": "Latest"}, "updateStrategyId": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/fleets/f/updateStrategies/other"},
	  {"name": "p", "properties": {"channel": "Weekly", "targetKubernetesVersion": "1.33", "updateStrategyId": "rings"}}, {"channel": "TargetKubernetesVersion", "updateStrategyId": "rings"}`
	file := ringScenario(strategy, profile)
	file = strings.Replace(file, `{"name": "prod-neu", "group": "prod-neu"}`, `{"name": "prod-neu", "group": "prod-neu"}, {"name": "staging", "group": "prod-weu"}, {"name": "prod-neu", "group": "Prod"}`, 1)
	got := problemsOf(t, file)
	want := []string{
		`plan: fleetManager.updateStrategy.strategy.stages[0].name: "Test_1" is not 1 to 50 lower-case letters, digits and hyphens, starting and ending with a letter or digit`,
		`plan: fleetManager.updateStrategy.strategy.stages[0].afterStageWaitInSeconds: -1 is outside 0 to 2147483647`,
		`plan: fleetManager.updateStrategy.strategy.stages[1].afterGates[0].type: ScheduledStart is a before-gate only (fleet-manager.md section 4.2); use it in beforeGates`,
		`plan: fleetManager.updateStrategy.strategy.stages[1].afterGates[0].scheduledStartConfiguration.startDay: "Someday" is not one of Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday (any case)`,
		`plan: fleetManager.updateStrategy.strategy.stages[1].afterGates[0].scheduledStartConfiguration.startTime: "2:00" is not HH:MM, 00:00 to 23:59`,
		`plan: fleetManager.updateStrategy.strategy.stages[1].afterGates[0].scheduledStartConfiguration.utcOffset: "+15:00" is not +hh:mm or -hh:mm, -14:00 to +14:00`,
		`plan: fleetManager.updateStrategy.strategy.stages[1].groups[1].name: "test" is also the group at fleetManager.updateStrategy.strategy.stages[0].groups[0]: a group appears once in a strategy`,
		`plan: fleetManager.updateStrategy.strategy.stages[2].name: "canary" is also the name of stage 1: stage names are unique in a strategy`,
		`plan: fleetManager.updateStrategy.strategy.stages[2].groups: is empty: a stage has 1 to 50 groups (member selectors, a preview, are not read)`,
		`plan: fleetManager.updateStrategy.strategy.stages[2].maxConcurrency: 60 is above the system limit 50`,
		`plan: fleetManager.updateStrategy.strategy.stages[2].beforeGates[0].type: "Approve" is not one of Approval, ScheduledStart (any case)`,
		`plan: fleetManager.members[5].name: "staging" is not a cluster of the scenario (test-weu, canary-weu, canary-neu, prod-weu, prod-neu)`,
		`plan: fleetManager.members[6].name: cluster "prod-neu" is also members[4]'s: a cluster joins a fleet once`,
		`plan: fleetManager.members[6].group: "Prod" is not 1 to 50 lower-case letters, digits and hyphens, starting and ending with a letter or digit`,
		`plan: fleetManager.updateStrategy.strategy.stages[1].groups[0].maxConcurrency: 3 is above the stage's maxConcurrency 2: the stage's value is the ceiling`,
		`plan: fleetManager.updateStrategy.strategy.stages[1].groups[0].maxConcurrency: 3 is above the group's 1 members`,
		`plan: fleetManager.autoUpgradeProfiles[0].updateStrategyId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerService/fleets/f/updateStrategies/other" names update strategy "other"; the scenario's is "rings"`,
		`plan: fleetManager.autoUpgradeProfiles[1].properties.channel: "Weekly" is not one of NodeImage, Stable, Rapid, TargetKubernetesVersion (any case)`,
		`plan: fleetManager.autoUpgradeProfiles[2].name: is required (1 to 50 lower-case letters, digits and hyphens, starting and ending with a letter or digit)`,
		`plan: fleetManager.autoUpgradeProfiles[1].name: "p" is also the name of autoUpgradeProfiles[0]`,
		`plan: fleetManager.autoUpgradeProfiles[2].targetKubernetesVersion: is required by channel TargetKubernetesVersion ({major}.{minor}, e.g. 1.33)`,
	}
	assert.ElementsMatch(t, want, got)
}

// TestFleetManagerEditsWithoutFleetManager: a variant or grid axis that
// edits Fleet Manager settings in a scenario without a fleetManager is a
// problem, named at the variant or the axis, with the problems of its
// values; such edits were run as if absent.
func TestFleetManagerEditsWithoutFleetManager(t *testing.T) {
	head := "start: 2025-01-06T00:00:00Z\nhorizon: 30d\n" + validCluster
	for _, tc := range []struct {
		name, edits string
		want        []string
	}{
		{"variants", `variants:
  - {name: v1, nodeImageSelection: Newest, afterStageWaitInSeconds: -1}
  - {name: v2, stageOrder: [test, prod]}
  - {name: v3, updateStrategy: {name: rings, stages: [{name: one, groups: [{name: g}], afterStageWaitInSeconds: -2}]}}
`, []string{
			`plan: variants[0] (v1) afterStageWaitInSeconds: -1 is outside 0 to 2147483647`,
			`plan: variants[0] (v1) afterStageWaitInSeconds: changes Fleet Manager settings, and the scenario has no fleetManager`,
			`plan: variants[0] (v1) nodeImageSelection: "Newest" is not one of Latest, Consistent (any case)`,
			`plan: variants[0] (v1) nodeImageSelection: changes Fleet Manager settings, and the scenario has no fleetManager`,
			`plan: variants[1] (v2) stageOrder: changes Fleet Manager settings, and the scenario has no fleetManager`,
			`plan: variants[2] (v3) updateStrategy: changes Fleet Manager settings, and the scenario has no fleetManager`,
			`plan: variants[2] (v3) updateStrategy.stages[0].afterStageWaitInSeconds: -2 is outside 0 to 2147483647`,
		}},
		{"grid", `grid:
  afterStageWaitInSeconds: [0, 3600]
  stageOrder: ["a,b"]
  nodeImageSelection: [Latest]
`, []string{
			`plan: grid.stageOrder: changes Fleet Manager settings, and the scenario has no fleetManager`,
			`plan: grid.afterStageWaitInSeconds: changes Fleet Manager settings, and the scenario has no fleetManager`,
			`plan: grid.nodeImageSelection: changes Fleet Manager settings, and the scenario has no fleetManager`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.ElementsMatch(t, tc.want, problemsOf(t, head+tc.edits))
		})
	}
}

// TestFleetManagerGridAndVariantsAtOnce: the grid's stage orders are
// checked once, at the axis, however many variants repeat them, and the
// file's variants beside a grid with problems are checked too, named by
// their index in the file (the grid's baseline comes first among the
// variants run, not in the file).
func TestFleetManagerGridAndVariantsAtOnce(t *testing.T) {
	file := ringScenario(exampleFile(t, "az-fleet-stages-file.json"), exampleFile(t, "arm-autoupgradeprofile-get.json"))
	file = strings.Replace(file, `"fleetManager"`, `"variants": [{"name": "a", "stageOrder": ["prod", "tset", "canary"]}],
	  "grid": {"stageOrder": ["test,canary,prod", "prod,canary,prod", "prod, test", "test,canary,prod,tset"], "afterStageWaitInSeconds": [0, 60, 3600]}, "fleetManager"`, 1)
	assert.ElementsMatch(t, []string{
		`plan: grid.stageOrder[1]: "prod,canary,prod": "prod" is given twice: list every stage once`,
		`plan: grid.stageOrder[2]: "prod, test": leaves out canary: list every stage once`,
		`plan: grid.stageOrder[3]: "test,canary,prod,tset": "tset" is not a stage of the update strategy (test, canary, prod)`,
		`plan: variants[0] (a) stageOrder[1]: "tset" is not a stage of the update strategy (test, canary, prod)`,
	}, problemsOf(t, file))
}

// TestFleetManagerPolicyWithTheRest: the policy's problems, which the
// model finds, are listed with the strategy's, which the file's terms
// find, not after them are fixed.
func TestFleetManagerPolicyWithTheRest(t *testing.T) {
	file := ringScenario(`{"name": "rings", "stages": [{"name": "all", "groups": [{"name": "test"}], "afterStageWaitInSeconds": -1}]}`, `{"name": "p", "channel": "NodeImage", "updateStrategyId": "rings"}`)
	file = strings.Replace(file, `"fleetManager": {`, `"fleetManager": {"policy": {"windowPoll": "-1h", "triggerLag": "-2h"},`, 1)
	got := problemsOf(t, file)
	for _, want := range []string{
		`plan: fleetManager.updateStrategy.stages[0].afterStageWaitInSeconds: -1 is outside 0 to 2147483647`,
		`plan: fleetManager.policy.windowPoll: -1h0m0s must not be negative`,
		`plan: fleetManager.policy.triggerLag: -2h0m0s must not be negative`,
	} {
		assert.Contains(t, got, want)
	}
}

// TestFleetManagerEmptyStrategyNamedOnce: a strategy without stages, or
// whose stages have no group, is one problem; the members' groups are not
// each reported as missing from it ("is not a group of the update
// strategy ()").
func TestFleetManagerEmptyStrategyNamedOnce(t *testing.T) {
	profile := `{"name": "p", "channel": "NodeImage", "updateStrategyId": "rings"}`
	for _, tc := range []struct{ strategy, want string }{
		{`{"name": "rings", "strategy": {"stages": []}}`,
			`plan: fleetManager.updateStrategy.strategy.stages: is empty: a strategy has at least one stage (stages, as the stages file writes them; strategy.stages, as az prints them; or properties.strategy.stages, as ARM returns them)`},
		{`{"name": "rings", "stages": [{"name": "all"}]}`,
			`plan: fleetManager.updateStrategy.stages[0].groups: is empty: a stage has 1 to 50 groups (member selectors, a preview, are not read)`},
	} {
		assert.Equal(t, []string{tc.want}, problemsOf(t, ringScenario(tc.strategy, profile)), tc.strategy)
	}
}

// TestFleetManagerGridAxes: the grid's stage order, wait and node image
// selection axes expand like the others, and each variant's strategy and
// profiles carry its values.
func TestFleetManagerGridAxes(t *testing.T) {
	file := ringScenario(exampleFile(t, "az-fleet-stages-file.json"), exampleFile(t, "az-fleet-autoupgradeprofile-show.json"))
	file = strings.Replace(file, `"fleetManager"`, `"grid": {"stageOrder": ["test,canary,prod", "canary, test, prod"], "afterStageWaitInSeconds": [0, 86400, 259200], "nodeImageSelection": ["latest", "Consistent"]}, "fleetManager"`, 1)
	s, err := Parse([]byte(file), "")
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	vs, err := s.variants()
	require.NoError(t, err)
	require.Len(t, vs, 1+2*3*2)
	assert.Equal(t, "stages=test,canary,prod wait=0 images=Latest", vs[1].Name)
	assert.Equal(t, "stages=canary,test,prod wait=3d images=Consistent", vs[12].Name)
	fm, err := s.fleetManager(&vs[12])
	require.NoError(t, err)
	st := fm.UpdateStrategy.stages()
	assert.Equal(t, []string{"canary", "test", "prod"}, []string{st[0].Name, st[1].Name, st[2].Name})
	for _, x := range st {
		assert.Equal(t, 259200, x.AfterStageWaitInSeconds)
	}
	assert.Equal(t, "Consistent", fm.AutoUpgradeProfiles[0].NodeImageSelection.Type)
	// The scenario itself is not changed.
	assert.Equal(t, "test", s.FleetManager.UpdateStrategy.stages()[0].Name)
	assert.Equal(t, 0, s.FleetManager.UpdateStrategy.stages()[2].AfterStageWaitInSeconds)

	// Variants with distinct Fleet Manager settings are distinct runs.
	e, err := New(s)
	require.NoError(t, err)
	for i := range e.same {
		assert.Equal(t, i, e.same[i], "variant %d runs as variant %d", i, e.same[i])
	}
}

// TestFleetManagerVariantProblems: a variant's stage order must name every
// stage once, its selection must be a selection a profile takes, and a
// grid's values are checked where the grid writes them.
func TestFleetManagerVariantProblems(t *testing.T) {
	file := ringScenario(exampleFile(t, "az-fleet-stages-file.json"), exampleFile(t, "arm-autoupgradeprofile-get.json"))
	grid := strings.Replace(file, `"fleetManager"`, `"grid": {"afterStageWaitInSeconds": [-5], "nodeImageSelection": ["Newest"], "stageOrder": [" "]}, "fleetManager"`, 1)
	assert.ElementsMatch(t, []string{
		`plan: grid.afterStageWaitInSeconds[0]: -5 is outside 0 to 2147483647`,
		`plan: grid.nodeImageSelection[0]: "Newest" is not one of Latest, Consistent (any case)`,
		`plan: grid.stageOrder[0]: is empty: give the stages' names, comma-separated, e.g. "test,canary,prod"`,
	}, problemsOf(t, grid))
	file = strings.Replace(file, `"fleetManager"`, `"variants": [{"name": "a", "stageOrder": ["prod", "prod", "tset"]}, {"name": "b", "stageOrder": ["prod"], "nodeImageSelection": "Newest"}], "fleetManager"`, 1)
	got := problemsOf(t, file)
	want := []string{
		`plan: variants[0] (a) stageOrder[1]: "prod" is given twice: list every stage once`,
		`plan: variants[0] (a) stageOrder[2]: "tset" is not a stage of the update strategy (test, canary, prod)`,
		`plan: variants[1] (b) stageOrder: leaves out test, canary: list every stage once`,
		`plan: variants[1] (b) nodeImageSelection: "Newest" is not one of Latest, Consistent (any case)`,
	}
	assert.ElementsMatch(t, want, got)
}

// TestFleetManagerConverts: the model gets each group's members in the
// members' order, percentages resolved against the stage's and the
// group's members (rounded down, at least 1), waits in seconds, the
// approvals by name, the profiles' channels and selections, and the
// policy; a policy problem the model finds is named as the file writes it.
func TestFleetManagerConverts(t *testing.T) {
	strategy := `{"name": "rings", "stages": [
	  {"name": "test", "groups": [{"name": "test"}], "afterStageWaitInSeconds": 3600, "afterGates": [{"displayName": "ok?", "type": "approval"}]},
	  {"name": "rest", "maxConcurrency": "50%", "beforeGates": [{"type": "ScheduledStart", "scheduledStartConfiguration": {"startDay": "wednesday", "startTime": "02:30", "utcOffset": "-05:30"}}], "groups": [{"name": "canary-weu"}, {"name": "canary-neu"}, {"name": "prod-weu", "maxConcurrency": "100%"}, {"name": "prod-neu", "maxConcurrency": "1"}]}]}`
	file := ringScenario(strategy, `{"name": "k", "channel": "rapid", "updateStrategyId": "rings", "nodeImageSelection": {"type": "consistent"}}`)
	file = strings.Replace(file, `{"name": "prod-neu", "group": "prod-neu"}`, `{"name": "prod-neu", "group": "prod-weu"}`, 1)
	file = strings.Replace(file, `"autoUpgradeProfiles"`, `"policy": {"windowPoll": "30m", "triggerOn": "AllRegions", "newerRelease": "queue", "memberOverrun": "deferRemainingPools",
	  "approvalDelay": {"min": "1h", "mode": "2h", "max": "4h"}, "approvalWindow": {"days": ["Mon", "Tuesday"], "startTime": "9:00", "endTime": "17:00", "timeZone": "Europe/Paris"}}, "autoUpgradeProfiles"`, 1)
	file = strings.Replace(file, `{"name": "prod-neu", "maxConcurrency": "1"}`, ``, 1)
	file = strings.Replace(file, `{"name": "prod-weu", "maxConcurrency": "100%"}, `, `{"name": "prod-weu", "maxConcurrency": "100%"}`, 1)
	s, err := Parse([]byte(file), "")
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	m := s.FleetManager.manager()
	assert.Equal(t, []string{"test-weu", "canary-weu", "canary-neu", "prod-weu", "prod-neu"}, m.Members)
	require.Len(t, m.Strategy.Stages, 2)
	test, rest := m.Strategy.Stages[0], m.Strategy.Stages[1]
	assert.Equal(t, time.Hour, test.AfterStageWait)
	assert.Equal(t, []fleet.Approval{{Name: "ok?"}}, test.AfterApprovals)
	assert.Equal(t, 2, rest.MaxConcurrency, "50% of the stage's 4 members")
	assert.Equal(t, []fleet.ScheduledStart{{Day: time.Wednesday, Time: 2*time.Hour + 30*time.Minute, Offset: -(5*time.Hour + 30*time.Minute)}}, rest.ScheduledStarts)
	assert.Empty(t, rest.BeforeApprovals)
	assert.Equal(t, []string{"prod-weu", "prod-neu"}, rest.Groups[2].Clusters)
	assert.Equal(t, 2, rest.Groups[2].MaxConcurrency, "100% of the group's 2 members")
	assert.Equal(t, 0, rest.Groups[0].MaxConcurrency, "absent: the model's default")
	assert.Equal(t, []fleet.AutoUpgradeProfile{{Name: "k", Channel: fleet.ChannelRapid, NodeImageSelection: fleet.SelectionConsistent}}, m.Profiles)
	// Approvals are granted Monday and Tuesday, 9:00 to 17:00 in Paris
	// (UTC+1 in January): the first opening after Sunday 5 January 2025
	// is Monday 08:00 UTC.
	require.NotNil(t, m.Policy.ApprovalWindow)
	iv, ok := m.Policy.ApprovalWindow.Next(time.Date(2025, 1, 5, 12, 0, 0, 0, time.UTC))
	require.True(t, ok)
	assert.Equal(t, time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC), iv.Start.UTC())
	assert.Equal(t, time.Date(2025, 1, 6, 16, 0, 0, 0, time.UTC), iv.End.UTC())
	m.Policy.ApprovalWindow = nil
	assert.Equal(t, fleet.ManagerPolicy{WindowPoll: 30 * time.Minute, TriggerOn: fleet.TriggerAllRegions, NewerRelease: fleet.Queue, DeferRemainingPools: true,
		ApprovalDelay: fleet.Dist{Min: time.Hour, Mode: 2 * time.Hour, Max: 4 * time.Hour}}, m.Policy)

	bad := strings.Replace(file, `"mode": "2h"`, `"mode": "5h"`, 1)
	bad = strings.Replace(bad, `"newerRelease": "queue"`, `"newerRelease": "latest"`, 1)
	bad = strings.Replace(bad, `"deferRemainingPools"`, `"abort"`, 1)
	bad = strings.Replace(bad, `"Mon", "Tuesday"`, `"Mon", "Tues"`, 1)
	bad = strings.Replace(bad, `"Europe/Paris"`, `"Europe/Lyon"`, 1)
	assert.ElementsMatch(t, []string{
		`plan: fleetManager.policy.newerRelease: "latest" is not one of parallelRuns, supersede, queue (any case)`,
		`plan: fleetManager.policy.memberOverrun: "abort" is not one of finish, deferRemainingPools (any case)`,
		`plan: fleetManager.policy.approvalWindow.days[1]: "Tues" is not a day of the week (Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, or their first three letters)`,
		`plan: fleetManager.policy.approvalWindow.timeZone: "Europe/Lyon" is not an IANA time zone`,
		`plan: fleetManager.policy.approvalDelay.mode: 5h0m0s is outside [min 1h0m0s, max 4h0m0s]`,
	}, problemsOf(t, bad), "the model's problems of the policy with the file's")
	bad = strings.Replace(file, `"mode": "2h"`, `"mode": "5h"`, 1)
	assert.ElementsMatch(t, []string{
		`plan: fleetManager.policy.approvalDelay.mode: 5h0m0s is outside [min 1h0m0s, max 4h0m0s]`,
	}, problemsOf(t, bad))
}

// TestFleetManagerStagesSummarised: a comparison carries each stage of
// the strategy with the variant's wait, the runs that got through it and
// its members, and the Fleet Manager metrics; a scenario without Fleet
// Manager has none, and its metrics do not apply.
func TestFleetManagerStagesSummarised(t *testing.T) {
	file := ringScenario(exampleFile(t, "az-fleet-stages-file.json"), exampleFile(t, "arm-autoupgradeprofile-get.json"))
	file = strings.Replace(file, `"fleetManager"`, `"variants": [{"name": "as is"}, {"name": "no wait", "afterStageWaitInSeconds": 0}], "fleetManager"`, 1)
	s, err := Parse([]byte(file), "")
	require.NoError(t, err)
	p, err := New(s)
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), Options{Workers: 1, Distributions: true})
	require.NoError(t, err)
	last, behind := MetricIndex("lastStageDays"), MetricIndex("behindFirstStageShare")
	for v, waits := range [][]float64{{1, 3, 0}, {0, 0, 0}} {
		sum := c.Variants[v]
		require.Len(t, sum.Stages, 3, sum.Name)
		for i, st := range sum.Stages {
			assert.Equal(t, []string{"test", "canary", "prod"}[i], st.Name)
			assert.Equal(t, Float(waits[i]), st.AfterStageWaitDays, "%s %s", sum.Name, st.Name)
			assert.Positive(t, float64(st.Completed), "%s %s: runs got through", sum.Name, st.Name)
			assert.Positive(t, float64(st.ReleaseToDoneDays))
			assert.GreaterOrEqual(t, float64(st.MaxReleaseToDoneDays), float64(st.ReleaseToDoneDays))
		}
		assert.Equal(t, []string{"canary-weu", "canary-neu"}, sum.Stages[1].Members)
		assert.Positive(t, float64(sum.Stats[last].Mean))
		x := float64(sum.Stats[behind].Mean)
		assert.True(t, x >= 0 && x <= 1, "share %v", x)
		assert.Len(t, sum.BehindFirstStage, 60)
	}

	d := Default()
	d.Horizon, d.Replications = Duration(30*24*time.Hour), 2
	p, err = New(d)
	require.NoError(t, err)
	c, err = p.Compare(context.Background(), Options{Workers: 1})
	require.NoError(t, err)
	for _, sum := range c.Variants {
		assert.Empty(t, sum.Stages)
		assert.Equal(t, 0, sum.Stats[last].N, "lastStageDays does not apply")
		assert.Equal(t, 0, sum.Stats[behind].N)
	}
}

// TestFleetManagerVariantStrategy: a variant replaces the strategy, say
// with a wait after canary only, checked at its own path, and its stage
// order and wait then apply to it.
func TestFleetManagerVariantStrategy(t *testing.T) {
	file := ringScenario(exampleFile(t, "az-fleet-stages-file.json"), exampleFile(t, "arm-autoupgradeprofile-get.json"))
	variant := `{"name": "canary soak", "updateStrategy": {"stages": [
	  {"name": "test", "groups": [{"name": "test"}]},
	  {"name": "canary", "groups": [{"name": "canary-weu"}, {"name": "canary-neu"}], "afterStageWaitInSeconds": 172800},
	  {"name": "prod", "groups": [{"name": "prod-weu"}, {"name": "prod-neu"}]}]}}`
	s, err := Parse([]byte(strings.Replace(file, `"fleetManager"`, `"variants": [{"name": "as is"}, `+variant+`], "fleetManager"`, 1)), "")
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	vs, err := s.variants()
	require.NoError(t, err)
	fm, err := s.fleetManager(&vs[1])
	require.NoError(t, err)
	m := fm.manager()
	assert.Equal(t, []time.Duration{0, 48 * time.Hour, 0}, []time.Duration{m.Strategy.Stages[0].AfterStageWait, m.Strategy.Stages[1].AfterStageWait, m.Strategy.Stages[2].AfterStageWait})
	assert.Empty(t, m.Strategy.Stages[2].BeforeApprovals, "the variant's strategy has no gate")
	assert.Equal(t, 86400, s.FleetManager.UpdateStrategy.stages()[0].AfterStageWaitInSeconds, "the scenario keeps its own")

	bad := strings.Replace(variant, `{"name": "canary", "groups": [{"name": "canary-weu"}, {"name": "canary-neu"}]`, `{"name": "Canary", "groups": [{"name": "canary-weu"}]`, 1)
	assert.ElementsMatch(t, []string{
		`plan: variants[0] (canary soak) updateStrategy.stages[1].name: "Canary" is not 1 to 50 lower-case letters, digits and hyphens, starting and ending with a letter or digit`,
	}, problemsOf(t, strings.Replace(file, `"fleetManager"`, `"variants": [`+bad+`], "fleetManager"`, 1)))
	// Valid alone, the strategy must still hold every member's group.
	bad = strings.Replace(variant, `{"name": "canary-weu"}, {"name": "canary-neu"}`, `{"name": "canary-weu"}`, 1)
	assert.ElementsMatch(t, []string{
		`plan: variants[0] (canary soak) fleetManager.members[2].properties.group: "canary-neu" is not a group of the update strategy (canary-weu, prod-neu, prod-weu, test)`,
	}, problemsOf(t, strings.Replace(file, `"fleetManager"`, `"variants": [`+bad+`], "fleetManager"`, 1)))
}

// TestFleetManagerVariantsReachTheModel runs the variants of a ring
// scenario and reads each update run: the stages come in the variant's
// order, and no stage starts before the one before it was done plus the
// variant's wait (fleet-manager.md section 13 item 2).
func TestFleetManagerVariantsReachTheModel(t *testing.T) {
	file := ringScenario(exampleFile(t, "az-fleet-stages-file.json"), exampleFile(t, "arm-autoupgradeprofile-get.json"))
	file = strings.Replace(file, `"fleetManager"`, `"variants": [{"name": "as is"}, {"name": "reversed", "stageOrder": ["prod", "canary", "test"], "afterStageWaitInSeconds": 7200}], "fleetManager"`, 1)
	s, err := Parse([]byte(file), "")
	require.NoError(t, err)
	p, err := New(s)
	require.NoError(t, err)
	ups := newUpstreams(p, []int{0})
	up, err := ups.get(0)
	require.NoError(t, err)
	_, seed := p.seeds(0)
	for v, want := range []struct {
		order []string
		waits []time.Duration
	}{
		{[]string{"test", "canary", "prod"}, []time.Duration{24 * time.Hour, 72 * time.Hour}},
		{[]string{"prod", "canary", "test"}, []time.Duration{2 * time.Hour, 2 * time.Hour}},
	} {
		res, err := p.fleets[v].Run(up, seed, false)
		require.NoError(t, err)
		require.NotNil(t, res.Manager)
		require.NotEmpty(t, res.Manager.Runs)
		checked := 0
		for _, run := range res.Manager.Runs {
			var names []string
			for _, st := range run.Stages {
				names = append(names, st.Name)
			}
			assert.Equal(t, want.order, names)
			for k := 1; k < len(run.Stages); k++ {
				prev, next := run.Stages[k-1], run.Stages[k]
				if prev.Done.IsZero() || next.Start.IsZero() {
					continue
				}
				checked++
				assert.False(t, next.Start.Before(prev.Done.Add(want.waits[k-1])),
					"%s: stage %s starts at %v, before %s done at %v plus %v", p.Variants[v].Name, next.Name, next.Start, prev.Name, prev.Done, want.waits[k-1])
			}
		}
		assert.Positive(t, checked, "%s: no stage followed another", p.Variants[v].Name)
	}
}

// TestFleetManagerStageOrderMovesWaits: a stage order moves whole stages,
// each with the wait and gates written on it (plan/fields.go stageOrder).
// Reversed, prod's wait (none) comes first, canary's 3 days second and
// test's day last, where it delays nothing (fleet-manager.md section 12
// item 13): in every run, prod and test end when their last member is
// done, canary 3 days after.
func TestFleetManagerStageOrderMovesWaits(t *testing.T) {
	file := ringScenario(exampleFile(t, "az-fleet-stages-file.json"), exampleFile(t, "arm-autoupgradeprofile-get.json"))
	file = strings.Replace(file, `"fleetManager"`, `"variants": [{"name": "reversed", "stageOrder": ["prod", "canary", "test"]}], "fleetManager"`, 1)
	s, err := Parse([]byte(file), "")
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	fm, err := s.fleetManager(&s.Variants[0])
	require.NoError(t, err)
	st := fm.UpdateStrategy.stages()
	require.Len(t, st, 3)
	assert.Equal(t, []string{"prod", "canary", "test"}, []string{st[0].Name, st[1].Name, st[2].Name})
	assert.Equal(t, []int{0, 259200, 86400}, []int{st[0].AfterStageWaitInSeconds, st[1].AfterStageWaitInSeconds, st[2].AfterStageWaitInSeconds})
	assert.Equal(t, "start production", st[0].BeforeGates[0].DisplayName)
	assert.Equal(t, "canary health check", st[1].AfterGates[0].DisplayName)

	p, err := New(s)
	require.NoError(t, err)
	up, err := newUpstreams(p, []int{0}).get(0)
	require.NoError(t, err)
	_, seed := p.seeds(0)
	res, err := p.fleets[0].Run(up, seed, false)
	require.NoError(t, err)
	require.NotNil(t, res.Manager)
	want := map[string]time.Duration{"prod": 0, "canary": 72 * time.Hour, "test": 0}
	checked := 0
	for _, run := range res.Manager.Runs {
		for _, stage := range run.Stages {
			if stage.End.IsZero() {
				continue
			}
			checked++
			assert.Equal(t, want[stage.Name], stage.End.Sub(stage.Done), "run of %s: stage %s done %v, ended %v", run.Release, stage.Name, stage.Done, stage.End)
		}
	}
	assert.GreaterOrEqual(t, checked, 3, "no run got through its stages")
}

// TestFleetManagerSchemaTakesTheARMShapes: the JSON Schema accepts the
// objects of docs/reference/fleet-examples pasted as they are, nulls and
// read-only properties included, as Validate does.
func TestFleetManagerSchemaTakesTheARMShapes(t *testing.T) {
	sch := compileSchema(t)
	for _, strategy := range []string{"az-fleet-updatestrategy-show.json", "arm-updatestrategy-get.json", "az-fleet-stages-file.json"} {
		for _, profile := range []string{"az-fleet-autoupgradeprofile-show.json", "arm-autoupgradeprofile-get.json"} {
			data := []byte(ringScenario(exampleFile(t, strategy), exampleFile(t, profile)))
			assert.Empty(t, schemaErrors(t, sch, data), "%s, %s", strategy, profile)
		}
	}
}

// TestFleetManagerStagesInOrder: however runs end (superseded, failed on a
// blocked drain, cut at the horizon), a release is never done on a stage
// before the stage ahead of it: every stage's time is over the same runs
// and replications.
func TestFleetManagerStagesInOrder(t *testing.T) {
	c := compareYAML(t, `
start: "2025-01-06T00:00:00Z"
horizon: 90d
seed: 11
replications: 3
clusters:
  - name: a
    region: westeurope
    nodeOSUpgradeChannel: NodeImage
    kured: {}
    pools:
      - name: apps
        count: 4
        upgradeSettings: {maxSurge: "1", drainTimeoutInMinutes: 5, undrainableNodeBehavior: Cordon}
        pdb: {probability: 0.3, block: {min: 5m, mode: 15m, max: 1h}}
        autoscale: {min: 2, max: 12, profile: {base: 2, peak: 12, days: [Mon,Tue,Wed,Thu,Fri,Sat,Sun], start: 1h, end: 3h}, lifetime: {min: 1h, mode: 2h, max: 6h}, remove: Oldest}
  - name: b
    region: eastus
    nodeOSUpgradeChannel: Unmanaged
    kured: {}
    pools:
      - name: apps
        count: 3
        autoscale: {min: 1, max: 6, profile: {base: 1, peak: 6}, lifetime: {min: 1h, mode: 12h, max: 2d}}
  - name: c
    region: australiaeast
    nodeOSUpgradeChannel: SecurityPatch
    pools:
      - name: apps
        count: 5
        autoscale: {min: 5, max: 9, profile: {base: 9, peak: 5}}
fleetManager:
  members:
    - {name: a, group: g1}
    - {name: b, group: g2}
    - {name: c, group: g2}
  updateStrategy:
    name: s
    stages:
      - {name: one, groups: [{name: g1}], afterStageWaitInSeconds: 3600}
      - {name: two, groups: [{name: g2, maxConcurrency: "2"}]}
  autoUpgradeProfiles:
    - {name: ni, channel: NodeImage, updateStrategyId: s}
  policy: {newerRelease: supersede, memberOverrun: deferRemainingPools}
`)
	for _, sum := range c.Variants {
		st := sum.Stages
		require.Len(t, st, 2)
		require.True(t, st[1].ReleaseToDoneDays > 0, "%s: a run got through in some replication", sum.Name)
		assert.GreaterOrEqual(t, float64(st[1].ReleaseToDoneDays), float64(st[0].ReleaseToDoneDays), "%s: stage two done before stage one", sum.Name)
		assert.GreaterOrEqual(t, float64(st[1].MaxReleaseToDoneDays), float64(st[0].MaxReleaseToDoneDays), sum.Name)
	}
}
