package fleet_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/fleet"
)

// checkNames checks that names are the Strings of want, in order, that
// parse reads each in any case, and that it refuses other values with the
// zero value and an error that lists names.
func checkNames[T interface {
	comparable
	fmt.Stringer
}](t *testing.T, names []string, want []T, parse func(string) (T, error)) {
	t.Helper()
	require.Len(t, names, len(want))
	for i, v := range want {
		assert.Equal(t, v.String(), names[i])
		for _, s := range []string{names[i], strings.ToUpper(names[i]), strings.ToLower(names[i])} {
			got, err := parse(s)
			if assert.NoError(t, err, s) {
				assert.Equal(t, v, got, s)
			}
		}
	}
	var zero T
	for _, bad := range []string{"x", names[0] + "s", " " + names[0]} {
		got, err := parse(bad)
		assert.EqualError(t, err, fmt.Sprintf("%q is not one of %s (any case)", bad, strings.Join(names, ", ")))
		assert.Equal(t, zero, got)
	}
}

func TestNames(t *testing.T) {
	checkNames(t, fleet.AutoUpgradeChannelNames(), []fleet.AutoUpgradeChannel{fleet.ChannelNodeImage, fleet.ChannelStable,
		fleet.ChannelRapid, fleet.ChannelTargetKubernetesVersion}, fleet.ParseAutoUpgradeChannel)
	checkNames(t, fleet.NodeImageSelectionNames(), []fleet.NodeImageSelection{fleet.SelectionLatest, fleet.SelectionConsistent},
		fleet.ParseNodeImageSelection)
	checkNames(t, fleet.TriggerNames(), []fleet.Trigger{fleet.TriggerFirstRegion, fleet.TriggerAllRegions}, fleet.ParseTrigger)
	checkNames(t, fleet.NewerReleaseNames(), []fleet.NewerRelease{fleet.ParallelRuns, fleet.Supersede, fleet.Queue}, fleet.ParseNewerRelease)
	checkNames(t, fleet.RemovalOrderNames(), []fleet.RemovalOrder{fleet.RemoveNewest, fleet.RemoveOldest}, fleet.ParseRemovalOrder)
	checkNames(t, fleet.UndrainableNames(), []fleet.Undrainable{fleet.UndrainableSchedule, fleet.UndrainableCordon}, fleet.ParseUndrainable)

	// A profile must name its channel, and Release is the model's
	// NodeImage default, not an API value.
	_, err := fleet.ParseAutoUpgradeChannel("")
	assert.Error(t, err)
	_, err = fleet.ParseNodeImageSelection(fleet.SelectionRelease.String())
	assert.Error(t, err)
	// The names are copies.
	fleet.TriggerNames()[0] = "x"
	assert.Equal(t, "firstRegion", fleet.TriggerNames()[0])
}

// A parser reads a value only from its own name, in some case.
func FuzzParseNames(f *testing.F) {
	for _, s := range []string{"", "nodeimage", "LATEST", "allRegions", "queue", "Oldest", "cordon", "Release"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(v fmt.Stringer, err error) {
			if err == nil && !strings.EqualFold(v.String(), s) {
				t.Errorf("%q read as %v", s, v)
			}
		}
		check(fleet.ParseAutoUpgradeChannel(s))
		check(fleet.ParseNodeImageSelection(s))
		check(fleet.ParseTrigger(s))
		check(fleet.ParseNewerRelease(s))
		check(fleet.ParseRemovalOrder(s))
		if s != "" {
			check(fleet.ParseUndrainable(s))
		}
	})
}
