package plan

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// problemsOf returns the lines of the error of parsing and validating a
// scenario file (nil when it is valid).
func problemsOf(t *testing.T, file string) []string {
	t.Helper()
	s, err := Parse([]byte(file), "")
	if err == nil {
		err = s.Validate()
	}
	if err == nil {
		return nil
	}
	return strings.Split(err.Error(), "\n")
}

const validCluster = `
clusters:
  - name: prod
    region: westeurope
    pools:
      - {name: apps, count: 3}
`

// TestProblemsListedOnce: every problem appears once, whichever of plan's
// and fleet's rules finds it, and however many variants repeat it.
func TestProblemsListedOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want []string
	}{
		{"empty file", "", []string{
			"plan: start: is required (2025-01-01 or RFC 3339, e.g. 2025-01-06T00:00:00Z)",
			"plan: clusters: at least one cluster is required",
		}},
		{"negative horizon", "start: 2025-01-06T00:00:00Z\nhorizon: -1d\n" + validCluster, []string{
			"plan: horizon: -24h0m0s is outside (0, 876000h0m0s]",
		}},
		{"a base problem is not repeated by each grid variant", "start: 2025-01-06T00:00:00Z\ngrid: {windowStartHour: [1, 2, 3]}\n" + strings.Replace(validCluster, "count: 3", "count: 3, podsPerNode: -1", 1), []string{
			"plan: clusters[0].pools[0].podsPerNode: -1 must not be negative",
		}},
		{"a grid value's problem is listed once, at its place in the grid", "start: 2025-01-06T00:00:00Z\ngrid: {maxSurge: [\"1\", \"200%\"], windowStartHour: [1, 2, 3]}\n" + validCluster, []string{
			`plan: grid.maxSurge[1]: "200%" is over 100%`,
		}},
		{"a grid value only a pool refuses is listed once, with the first variant it breaks", "start: 2025-01-06T00:00:00Z\ngrid: {maxSurge: [\"1\", \"0\"], windowStartHour: [1, 2, 3]}\n" + validCluster, []string{
			`plan: grid (start=01:00 maxSurge=0) clusters[0].pools[0].upgradeSettings.maxSurge: "0" with maxUnavailable "0": AKS requires maxSurge above 0 when maxUnavailable is 0`,
		}},
		{"a variant's own problem names the variant", "start: 2025-01-06T00:00:00Z\nvariants: [{name: a}, {name: huge, upgradeSettings: {maxSurge: \"200%\"}}]\n" + validCluster, []string{
			`plan: variants[1] (huge) clusters[0].pools[0].upgradeSettings.maxSurge: "200%" is over 100%`,
		}},
		{"a rule of another package reads without its package name", "start: 2025-01-06T00:00:00Z\n" + strings.Replace(validCluster, "count: 3}", "count: 3, osType: Windows}\n    nodeOSUpgradeChannel: SecurityPatch", 1), []string{
			"plan: clusters[0].pools[0]: node OS channel SecurityPatch is not supported on Windows pools",
		}},
		{"each problem of a maintenance window at its full path", "start: 2025-01-06T00:00:00Z\n" + strings.Replace(validCluster, "    pools:", `    maintenanceConfigurations:
      - name: aksManagedNodeOSUpgradeSchedule
        maintenanceWindow:
          schedule: {weekly: {intervalWeeks: 9, dayOfWeek: Caturday}}
          durationHours: 3
          startTime: "00:00"
    pools:`, 1), []string{
			"plan: clusters[0].maintenanceConfigurations[0].maintenanceWindow.durationHours: 3 is below the minimum 4",
			"plan: clusters[0].maintenanceConfigurations[0].maintenanceWindow.schedule.weekly.intervalWeeks: 9 is above the maximum 4",
			`plan: clusters[0].maintenanceConfigurations[0].maintenanceWindow.schedule.weekly.dayOfWeek: "Caturday" is not one of Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday`,
		}},
		{"kured may end at 24:00, as kured and the CLI allow", "start: 2025-01-06T00:00:00Z\n" + strings.Replace(validCluster, "    pools:", "    nodeOSUpgradeChannel: Unmanaged\n    kured: {rebootDays: [sat, Sunday], startTime: \"22:00\", endTime: \"24:00\"}\n    pools:", 1), nil},
		{"kured may not start at 24:00", "start: 2025-01-06T00:00:00Z\n" + strings.Replace(validCluster, "    pools:", "    kured: {startTime: \"24:00\", rebootDays: [Someday]}\n    pools:", 1), []string{
			`plan: clusters[0].kured.rebootDays[0]: "Someday" is not a day of the week (Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, or their first three letters)`,
			`plan: clusters[0].kured.startTime: "24:00" is not HH:MM from 00:00 to 23:59`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, problemsOf(t, tc.file))
		})
	}
}

// TestErrorsWrap: the sentinels of the packages below are found from plan,
// through the path.
func TestErrorsWrap(t *testing.T) {
	for _, tc := range []struct {
		name     string
		channels string
		sentinel error
		path     string
	}{
		{"SecurityPatch on Windows", "nodeOSUpgradeChannel: SecurityPatch\n    pools: [{name: win, count: 2, osType: Windows}]", channel.ErrSecurityPatchOnWindows, "clusters[0].pools[0]"},
		{"node-image cluster channel", "nodeOSUpgradeChannel: Unmanaged\n    upgradeChannel: node-image\n    pools: [{name: apps, count: 2}]", channel.ErrNodeImageClusterChannel, "clusters[0].pools[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse([]byte("start: 2025-01-06T00:00:00Z\nclusters:\n  - name: prod\n    region: westeurope\n    "+tc.channels+"\n"), "")
			require.NoError(t, err)
			err = s.Validate()
			require.ErrorIs(t, err, tc.sentinel)
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.path, fe.Path, "the fleet's paths are the scenario's")
			_, err = New(s)
			assert.ErrorIs(t, err, tc.sentinel)
		})
	}
	fe := &FieldError{Variant: "variants[1] (x)", Path: "clusters[0].pools[0].osType", Err: errors.New(`channel: OS "Solaris": want one of Linux, Windows`)}
	assert.Equal(t, `plan: variants[1] (x) clusters[0].pools[0].osType: OS "Solaris": want one of Linux, Windows`, fe.Error())
}

// TestParseProblems: problems of a file's form are listed all at once, each
// with its path as the file writes it, never Go's struct names or layouts.
func TestParseProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want []string
	}{
		{"every type problem at once, in field order", `
name: 7
start: 2025-01-06T00:00:00Z
replications: many
clusters:
  - name: prod
    region: westeurope
    pools:
      - {name: apps, count: 3}
      - {name: batch, count: "x", podsPerNode: 2.5}
`, []string{
			"plan: name: 7 is not a string (quote it)",
			`plan: replications: "many" is not a number`,
			`plan: clusters[0].pools[1].count: "x" is not a number`,
			"plan: clusters[0].pools[1].podsPerNode: 2.5 is not a whole number",
		}},
		{"a name YAML reads as a boolean says so", "start: 2025-01-06T00:00:00Z\n" + validCluster + "variants: [{name: no}, {name: y}]\n", []string{
			"plan: variants[0].name: false is not a string: YAML reads n, no, off and false as false; quote it",
			"plan: variants[1].name: true is not a string: YAML reads y, yes, on and true as true; quote it",
		}},
		{"unknown fields name what the place takes", "start: 2025-01-06T00:00:00Z\nclusterz: []\n" + strings.Replace(validCluster, "count: 3}", "count: 3, size: 4}", 1), []string{
			"plan: clusterz: is not a field here (name, description, start, horizon, settle, seed, replications, sla, upstream, clusters, fleetManager, variants, grid, objective, constraints)",
			"plan: clusters[0].pools[0].size: is not a field here (name, count, osType, mode, podsPerNode, upgradeSettings, pdb, durations, initial, initialNodes, image, autoscale)",
		}},
		{"dates name the accepted formats", "start: 2025-13-01\n" + validCluster, []string{
			`plan: start: "2025-13-01" is not a date (2025-01-01 or RFC 3339, e.g. 2025-01-06T00:00:00Z)`,
		}},
		{"a date alone is midnight UTC", "start: 2025-01-06\n" + validCluster, nil},
		{".nan and .inf name their field", "start: 2025-01-06T00:00:00Z\nupstream: {userspacePerYear: {critical: .inf, high: 1, medium: 1, low: -.inf}}\n" + strings.Replace(validCluster, "count: 3}", "count: 3, pdb: {probability: .nan}}", 1), []string{
			"plan: upstream.userspacePerYear.critical: .inf is not a finite number",
			"plan: upstream.userspacePerYear.low: -.inf is not a finite number",
			"plan: clusters[0].pools[0].pdb.probability: .nan is not a finite number",
		}},
		{"overflowing durations are refused with their field", "start: 2025-01-06T00:00:00Z\nhorizon: 200000d\nsettle: 9999999999999h\nupstream: {lookback: 1e300d}\n" + validCluster, []string{
			`plan: horizon: "200000d" is longer than the longest duration, about 106,751 days`,
			`plan: settle: "9999999999999h" is longer than the longest duration, about 106,751 days`,
			`plan: upstream.lookback: "1e300d" is longer than the longest duration, about 106,751 days`,
		}},
		{"a duration that is not a string", "start: 2025-01-06T00:00:00Z\nhorizon: 90\n" + validCluster, []string{
			`plan: horizon: 90 is not a duration (want e.g. "7d", "36h", "1d12h")`,
		}},
		{"a list where a mapping belongs, and the reverse", "start: 2025-01-06T00:00:00Z\nsla: [7d]\nclusters: {name: prod}\n", []string{
			"plan: sla: a list is not a mapping of fields",
			"plan: clusters: a mapping is not a list",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problemsOf(t, tc.file)
			assert.Equal(t, tc.want, got)
			for _, line := range got {
				assert.NotContains(t, line, "Go struct")
				assert.NotContains(t, line, "2006-01-02")
			}
		})
	}
}

// TestParseKeepsJSONsNames: field names match as encoding/json matches
// them, exactly or else ignoring case, so files that parsed before still do.
func TestParseKeepsJSONsNames(t *testing.T) {
	s, err := Parse([]byte(`{"Name": "x", "start": "2025-01-06T00:00:00Z", "Clusters": [{"name": "a", "region": "r", "POOLS": [{"name": "p", "count": 2}]}]}`), "")
	require.NoError(t, err)
	assert.Equal(t, "x", s.Name)
	require.Len(t, s.Clusters, 1)
	assert.Equal(t, 2, s.Clusters[0].Pools[0].Count)
}
