package fleet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

func TestManagerValidateListsEveryProblem(t *testing.T) {
	cfg := workedConfig(t, workedPool("p", 1))
	b := cfg.Clusters[0]
	b.Name = "b"
	cfg.Clusters = append(cfg.Clusters, b)
	groups := make([]UpdateGroup, MaxGroupsPerStage+1)
	for i := range groups {
		groups[i] = UpdateGroup{Name: fmt.Sprintf("r%d", i), Clusters: []string{"c"}}
	}
	cfg.Manager = &Manager{
		Members: []string{"c", "x", "c"},
		Strategy: &UpdateStrategy{Stages: []UpdateStage{
			{Name: "Test", AfterStageWait: -time.Second, MaxConcurrency: 51, Groups: []UpdateGroup{
				{Name: "g", Clusters: []string{"c", "nope"}, MaxConcurrency: 3},
				{Name: "h", Clusters: []string{"c"}, BeforeApprovals: []Approval{{Name: strings.Repeat("a", 101)}}},
			}},
			{Name: "test", Groups: []UpdateGroup{{Name: "g", Clusters: []string{"b"}}, {Name: "e"}}},
			{Name: "test", AfterStageWait: MaxAfterStageWait + time.Second, Groups: groups},
			{Name: ""},
		}},
		Profiles: []AutoUpgradeProfile{
			{Name: "ni", Channel: ChannelNodeImage, TargetKubernetesVersion: "1.31"},
			{Name: "ni"},
			{Name: "k", Channel: ChannelTargetKubernetesVersion, TargetKubernetesVersion: "1.31.2", NodeImageSelection: 9},
		},
		Policy: ManagerPolicy{WindowPoll: -time.Minute, ApprovalDelay: Dist{Min: time.Hour, Mode: 0, Max: 2 * time.Hour}, TriggerOn: 5, NewerRelease: 7},
	}
	err := cfg.Validate()
	require.Error(t, err)
	got := strings.Split(err.Error(), "\n")
	want := []string{
		`fleet: manager.members[1]: "x" is not the name of a cluster of the fleet`,
		`fleet: manager.members[2]: "c" is also manager.members[0]`,
		`fleet: manager.strategy.stages[0].name: "Test" is not 1 to 50 lowercase letters, digits and '-', starting and ending with a letter or digit`,
		"fleet: manager.strategy.stages[0].afterStageWait: -1s is outside [0, 596523h14m7s] (afterStageWaitInSeconds is an int32)",
		"fleet: manager.strategy.stages[0].maxConcurrency: 51 is outside 0 (default 50) to 50",
		"fleet: manager.strategy.stages[0].groups[0].maxConcurrency: 3 is outside 0 (default 1) to 2 (the stage's maxConcurrency and the group's 2 clusters)",
		`fleet: manager.strategy.stages[0].groups[0].clusters[1]: "nope" is not the name of a cluster of the fleet`,
		"fleet: manager.strategy.stages[0].groups[1].beforeApprovals[0].name: \"" + strings.Repeat("a", 101) + "\" is longer than 100 characters",
		`fleet: manager.strategy.stages[0].groups[1].clusters[0]: "c" is also a member of manager.strategy.stages[0].groups[0].clusters[0]; a cluster is in at most one group`,
		`fleet: manager.strategy.stages[1].groups[0].name: "g" is also the name of manager.strategy.stages[0].groups[0]; a group appears once in a strategy`,
		`fleet: manager.strategy.stages[1].groups[0].clusters[0]: "b" is not a member (manager.members)`,
		"fleet: manager.strategy.stages[1].groups[1].clusters: at least one member cluster is required",
		`fleet: manager.strategy.stages[2].name: "test" is also the name of manager.strategy.stages[1]`,
		"fleet: manager.strategy.stages[2].groups: has 51 groups; a stage has 1 to 50",
		"fleet: manager.strategy.stages[2].afterStageWait: 596523h14m8s is outside [0, 596523h14m7s] (afterStageWaitInSeconds is an int32)",
	}
	for i := range groups {
		want = append(want, fmt.Sprintf(`fleet: manager.strategy.stages[2].groups[%d].clusters[0]: "c" is also a member of manager.strategy.stages[0].groups[0].clusters[0]; a cluster is in at most one group`, i))
	}
	want = append(want,
		"fleet: manager.strategy.stages[3].name: is required",
		"fleet: manager.strategy.stages[3].groups: has 0 groups; a stage has 1 to 50",
		`fleet: manager.profiles[0].targetKubernetesVersion: "1.31" is set with channel NodeImage; it goes only with TargetKubernetesVersion`,
		`fleet: manager.profiles[1].name: "ni" is also the name of manager.profiles[0]`,
		"fleet: manager.profiles[1].channel: is required (NodeImage, Stable, Rapid, TargetKubernetesVersion)",
		`fleet: manager.profiles[2].targetKubernetesVersion: "1.31.2" is not a "major.minor" version such as "1.31"`,
		"fleet: manager.profiles[2].nodeImageSelection: NodeImageSelection(9) is not a selection (Latest, Consistent, Release)",
		"fleet: manager.policy.windowPoll: -1m0s must not be negative",
		"fleet: manager.policy.approvalDelay.mode: 0s is outside [min 1h0m0s, max 2h0m0s]",
		"fleet: manager.policy.triggerOn: 5 is not a trigger (0 firstRegion, 1 allRegions)",
		"fleet: manager.policy.newerRelease: 7 is not a choice (0 parallelRuns, 1 supersede, 2 queue)",
	)
	assert.Equal(t, want, got)
	_, err = Run(cfg)
	assert.Error(t, err, "Run refuses what Validate refuses")
}

func TestManagerWarnings(t *testing.T) {
	cfg := workedConfig(t, workedPool("p", 1))
	for _, n := range []string{"b", "d"} {
		cl := cfg.Clusters[0]
		cl.Name, cl.NodeOSChannel = n, channel.NodeOSNone
		cfg.Clusters = append(cfg.Clusters, cl)
	}
	cfg.Clusters[2].ClusterChannel = channel.ClusterStable
	cfg.Manager = &Manager{
		Strategy: &UpdateStrategy{Stages: []UpdateStage{{Name: "s", Groups: []UpdateGroup{{Name: "g", Clusters: []string{"c", "d"}}}}}},
		Profiles: []AutoUpgradeProfile{{Name: "ni", Channel: ChannelNodeImage, NodeImageSelection: SelectionLatest}, {Name: "k", Channel: ChannelStable, Disabled: true}},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"fleet: manager: member b is in no update group; Fleet Manager's runs do not update it",
		"fleet: manager: member c keeps its own node OS channel NodeImage beside a NodeImage profile; whichever starts first upgrades it",
		"fleet: manager: profile ni: a NodeImage profile always uses a consistent image and the CLI refuses a selection; Latest is simulated as a what-if",
	}, res.Warnings, "d's cluster channel is stable, but the Kubernetes profile is disabled")
}

func TestManagerWithoutMembers(t *testing.T) {
	// An empty member list: each run is one empty stage, done at once.
	cfg := workedConfig(t, workedPool("p", 1))
	cfg.Manager = &Manager{Members: []string{}, Profiles: []AutoUpgradeProfile{{Name: "ni", Channel: ChannelNodeImage}}}
	res, err := Run(cfg)
	require.NoError(t, err)
	require.Len(t, res.Manager.Runs, 1)
	run := res.Manager.Runs[0]
	assert.Equal(t, RunCompleted, run.State)
	assert.Equal(t, run.Created, run.Stages[0].Done)
	assert.Equal(t, run.Created, run.End)
	assert.Empty(t, res.Manager.Members)
	assert.Equal(t, make([]float64, 14), res.Manager.BehindFirstStage)
}

func TestScheduledStartNext(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return v.UTC()
	}
	wed2 := ScheduledStart{Day: time.Wednesday, Time: 2 * time.Hour}
	mon9 := ScheduledStart{Day: time.Monday, Time: 9 * time.Hour, Offset: time.Hour}
	fri22 := ScheduledStart{Day: time.Friday, Time: 22 * time.Hour, Offset: -5 * time.Hour}
	for _, c := range []struct {
		g         ScheduledStart
		at, want  string
		reasoning string
	}{
		// fleet-manager.md section 4.2: "Wednesday 02:00 UTC" reached on
		// Monday waits until Wednesday 02:00; reached Wednesday 03:00, until
		// the following Wednesday.
		{wed2, "2025-03-03T10:00:00Z", "2025-03-05T02:00:00Z", "Monday"},
		{wed2, "2025-03-05T03:00:00Z", "2025-03-12T02:00:00Z", "just past"},
		{wed2, "2025-03-05T02:00:00Z", "2025-03-05T02:00:00Z", "that very minute"},
		// Monday 09:00 at +01:00 is Monday 08:00 UTC.
		{mon9, "2025-03-09T23:30:00Z", "2025-03-10T08:00:00Z", "Sunday night UTC"},
		{mon9, "2025-03-10T08:30:00Z", "2025-03-17T08:00:00Z", "Monday 09:30 local"},
		// Friday 22:00 at -05:00 is Saturday 03:00 UTC; reached Saturday
		// 02:00 UTC, Friday 21:00 local.
		{fri22, "2025-03-08T02:00:00Z", "2025-03-08T03:00:00Z", "Friday evening local"},
	} {
		assert.Equal(t, utc(c.want), c.g.next(utc(c.at)), c.reasoning)
	}
}

func TestScheduledStartProblems(t *testing.T) {
	cfg := workedConfig(t, workedPool("p", 1))
	cfg.Manager = &Manager{Strategy: &UpdateStrategy{Stages: []UpdateStage{{Name: "s",
		ScheduledStarts: []ScheduledStart{{Day: 7, Time: 24 * time.Hour, Offset: 15 * time.Hour}},
		Groups:          []UpdateGroup{{Name: "g", Clusters: []string{"c"}, ScheduledStarts: []ScheduledStart{{Day: -1, Time: 90 * time.Second, Offset: 30 * time.Second}}}},
	}}}}
	err := cfg.Validate()
	require.Error(t, err)
	assert.Equal(t, []string{
		"fleet: manager.strategy.stages[0].scheduledStarts[0].day: 7 is not a weekday (0 Sunday to 6 Saturday)",
		"fleet: manager.strategy.stages[0].scheduledStarts[0].time: 24h0m0s is not a whole minute in [0, 24h)",
		"fleet: manager.strategy.stages[0].scheduledStarts[0].offset: 15h0m0s is not a whole minute in [-14h, +14h]",
		"fleet: manager.strategy.stages[0].groups[0].scheduledStarts[0].day: -1 is not a weekday (0 Sunday to 6 Saturday)",
		"fleet: manager.strategy.stages[0].groups[0].scheduledStarts[0].time: 1m30s is not a whole minute in [0, 24h)",
		"fleet: manager.strategy.stages[0].groups[0].scheduledStarts[0].offset: 30s is not a whole minute in [-14h, +14h]",
	}, strings.Split(err.Error(), "\n"))
}
