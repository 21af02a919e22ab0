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
			"plan: start: is required",
			"plan: clusters: at least one cluster is required",
		}},
		{"negative horizon", "start: 2025-01-06T00:00:00Z\nhorizon: -1d\n" + validCluster, []string{
			"plan: horizon: -24h0m0s is outside (0, 876000h0m0s]",
		}},
		{"a base problem is not repeated by each grid variant", "start: 2025-01-06T00:00:00Z\ngrid: {windowStartHour: [1, 2, 3]}\n" + strings.Replace(validCluster, "count: 3", "count: 3, podsPerNode: -1", 1), []string{
			"plan: clusters[0].pools[0].podsPerNode: -1 must not be negative",
		}},
		{"a grid value's problem is listed once, with the first variant it breaks", "start: 2025-01-06T00:00:00Z\ngrid: {maxSurge: [\"1\", \"200%\"], windowStartHour: [1, 2, 3]}\n" + validCluster, []string{
			`plan: grid (start=01:00 maxSurge=200%) clusters[0].pools[0].upgradeSettings.maxSurge: "200%" is over 100%`,
		}},
		{"a variant's own problem names the variant", "start: 2025-01-06T00:00:00Z\nvariants: [{name: a}, {name: huge, upgradeSettings: {maxSurge: \"200%\"}}]\n" + validCluster, []string{
			`plan: variants[1] (huge) clusters[0].pools[0].upgradeSettings.maxSurge: "200%" is over 100%`,
		}},
		{"a rule of another package reads without its package name", "start: 2025-01-06T00:00:00Z\n" + strings.Replace(validCluster, "count: 3}", "count: 3, osType: Windows}\n    nodeOSUpgradeChannel: SecurityPatch", 1), []string{
			"plan: clusters[0].pools[0]: node OS channel SecurityPatch is not supported on Windows pools",
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
		{"SecurityPatch on Windows", "nodeOSUpgradeChannel: SecurityPatch\n    pools: [{name: win, count: 2, osType: Windows}]", channel.ErrSecurityPatchOnWindows, ""},
		{"node-image cluster channel", "nodeOSUpgradeChannel: Unmanaged\n    upgradeChannel: node-image\n    pools: [{name: apps, count: 2}]", channel.ErrNodeImageClusterChannel, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse([]byte("start: 2025-01-06T00:00:00Z\nclusters:\n  - name: prod\n    region: westeurope\n    "+tc.channels+"\n"), "")
			require.NoError(t, err)
			err = s.Validate()
			require.ErrorIs(t, err, tc.sentinel)
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.path, fe.Path, "fleet's rules name their own path")
			_, err = New(s)
			assert.ErrorIs(t, err, tc.sentinel)
		})
	}
	fe := &FieldError{Variant: "variants[1] (x)", Path: "clusters[0].pools[0].osType", Err: errors.New(`channel: OS "Solaris": want one of Linux, Windows`)}
	assert.Equal(t, `plan: variants[1] (x) clusters[0].pools[0].osType: OS "Solaris": want one of Linux, Windows`, fe.Error())
}
