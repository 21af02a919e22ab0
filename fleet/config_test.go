package fleet

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

func TestValidateListsEveryProblem(t *testing.T) {
	up := workedUpstream()
	bad := Config{
		Horizon: -time.Hour, Upstream: up,
		Clusters: []Cluster{{
			Name: "c", NodeOSChannel: channel.NodeOSSecurityPatch,
			Pools: []Pool{
				{Name: "win", OS: channel.OSWindows, Count: 0, Upgrade: UpgradeSettings{MaxSurge: Percent(150), NodeSoak: time.Hour}},
				{Name: "win", Count: 2, PDB: PDB{Probability: 2, Strict: []int{5}}, InitialNodes: []NodeState{{}}},
			},
		}},
	}
	err := bad.Validate()
	require.Error(t, err)
	want := []string{
		"fleet: start: is required",
		"fleet: horizon: -1h0m0s is outside (0, 876000h0m0s]",
		"fleet: clusters[0].region: is required",
		"fleet: clusters[0].pools[0]: channel: node OS channel SecurityPatch is not supported on Windows pools",
		"fleet: clusters[0].pools[0].count: 0 is outside 1 to 1000",
		`fleet: clusters[0].pools[0].upgradeSettings.maxSurge: "150%" is over 100%`,
		"fleet: clusters[0].pools[0].upgradeSettings.nodeSoakDurationInMinutes: 1h0m0s is outside 0 to 30 minutes",
		`fleet: clusters[0].pools[1].name: "win" is also the name of clusters[0].pools[0]`,
		"fleet: clusters[0].pools[1].pdb.probability: 2 is outside [0, 1]",
		"fleet: clusters[0].pools[1].pdb.strictNodes[0]: node 5 is outside the pool's nodes 0 to 1",
		"fleet: clusters[0].pools[1].initialNodes: has 1 entries for 2 nodes; give one per node or none",
		"fleet: clusters[0].pools[1].initialNodes[0].userspace: is required",
	}
	assert.Equal(t, want, strings.Split(err.Error(), "\n"))
	_, err = Run(bad)
	assert.Error(t, err, "Run refuses what Validate refuses")
}

func TestWindowsFallback(t *testing.T) {
	cfg := workedConfig(t, workedPool("linux", 2), Pool{Name: "win", OS: channel.OSWindows, Count: 1})
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSSecurityPatch
	require.ErrorIs(t, cfg.Validate(), channel.ErrSecurityPatchOnWindows)
	cfg.Clusters[0].WindowsFallback = channel.NodeOSNodeImage
	res, err := Run(cfg)
	require.NoError(t, err)
	require.Len(t, res.Warnings, 1)
	assert.Contains(t, res.Warnings[0], "they follow NodeImage")
}

func TestInitialNodes(t *testing.T) {
	// Node 1 starts on content that already has A1: it is never exposed to
	// it; node 0 starts before A1 and is reimaged on the first Saturday.
	p := workedPool("p", 2)
	old := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	p.InitialNodes = []NodeState{{Userspace: old}, {Userspace: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)}}
	res, err := Run(workedConfig(t, p))
	require.NoError(t, err)
	assert.Equal(t, []Remediation{{Node: 0, Severity: channel.High, Published: aHigh, At: plus(sat1, "15m"), Stages: a1Stages(sat1, plus(sat1, "15m"))}}, res.Remediations)
	assert.Equal(t, uint64(1), res.Disruption.Reimages)
}

func TestQuantityParse(t *testing.T) {
	cases := []struct {
		in      string
		want    Quantity
		resolve int // in a pool of 15
		err     bool
	}{
		{"1", Nodes(1), 1, false},
		{"33%", Percent(33), 5, false},
		{"10%", Percent(10), 2, false}, // 1.5 rounds up
		{"0", Nodes(0), 0, false},
		{"05", Nodes(5), 5, false},
		{"007%", Percent(7), 2, false},
		{"-1", Quantity{}, 0, true},
		{"+1", Quantity{}, 0, true},
		{" 1", Quantity{}, 0, true},
		{"1.5", Quantity{}, 0, true},
		{"%", Quantity{}, 0, true},
		{"", Quantity{}, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			q, err := ParseQuantity(tc.in)
			if tc.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, q)
			assert.Equal(t, tc.resolve, q.Resolve(15))
			assert.Equal(t, strings.TrimLeft(tc.in, "0") == strings.TrimLeft(q.String(), "0"), true, "%s formats as %s", tc.in, q)
		})
	}
}

func TestDeterministic(t *testing.T) {
	up := defaultUpstream(t, 3)
	cfg := Config{Start: yearStart, Horizon: 120 * 24 * time.Hour, Seed: 9, Upstream: up, Clusters: []Cluster{{
		Name: "c", Region: "eastus", Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)},
		Pools: []Pool{{Name: "a", Count: 15, PDB: PDB{Probability: 0.2, Block: Dist{Min: time.Minute, Mode: 20 * time.Minute, Max: time.Hour}}}},
	}}}
	a, err := Run(cfg)
	require.NoError(t, err)
	b, err := Run(cfg)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	cfg.Seed = 10
	c, err := Run(cfg)
	require.NoError(t, err)
	assert.NotEqual(t, a.Disruption, c.Disruption, "another seed draws other drain times")
}

// The upgrade-settings rules AKS enforces (aks.md section 4.1), checked on
// what was given: an explicit maxSurge "0" with maxUnavailable "0" is
// rejected (it used to run silently at the 10% default), maxUnavailable on
// a System pool, and a drain timeout below the current 5-minute minimum.
func TestUpgradeSettingsRules(t *testing.T) {
	for _, tc := range []struct {
		u      UpgradeSettings
		system bool
		want   []string // "setting: message"
	}{
		{UpgradeSettings{}, false, nil},
		{UpgradeSettings{MaxSurge: Nodes(0), MaxUnavailable: Nodes(0)}, false,
			[]string{`maxSurge: "0" with maxUnavailable "0": AKS requires maxSurge above 0 when maxUnavailable is 0`}},
		{UpgradeSettings{MaxSurge: Nodes(0)}, false,
			[]string{`maxSurge: "0" with maxUnavailable "0": AKS requires maxSurge above 0 when maxUnavailable is 0`}},
		{UpgradeSettings{MaxSurge: Nodes(0), MaxUnavailable: Nodes(1)}, false, nil},
		{UpgradeSettings{MaxUnavailable: Nodes(1)}, true, []string{`maxUnavailable: "1" is not allowed on a System pool`}},
		{UpgradeSettings{MaxUnavailable: Nodes(0)}, true, nil},
		{UpgradeSettings{DrainTimeout: 4 * time.Minute}, false, []string{"drainTimeoutInMinutes: 4m0s is outside 5 to 1440 minutes"}},
		{UpgradeSettings{DrainTimeout: 5 * time.Minute}, false, nil},
		{UpgradeSettings{MaxSurge: Nodes(3), MaxBlockedNodes: Nodes(2)}, false,
			[]string{`maxBlockedNodes: "2" is below maxSurge "3"; AKS requires maxBlockedNodes >= maxSurge`}},
	} {
		var got []string
		for _, e := range tc.u.Check(10, tc.system) {
			got = append(got, e.Setting+": "+e.Msg)
		}
		assert.Equal(t, tc.want, got, "%+v system=%v", tc.u, tc.system)
	}
	// Unset fields take the defaults; explicit values stay.
	assert.Equal(t, DefaultUpgradeSettings(), UpgradeSettings{}.WithDefaults())
	assert.Equal(t, Nodes(0), UpgradeSettings{MaxSurge: Nodes(0), MaxUnavailable: Nodes(2)}.WithDefaults().MaxSurge)
}

// An unknown region and a window that never opens within the run are
// warnings on the run, not errors: the run goes on.
func TestInputWarnings(t *testing.T) {
	cfg := workedConfig(t, workedPool("linux", 2))
	res, err := Run(cfg)
	require.NoError(t, err)
	assert.Empty(t, res.Warnings, "westeurope and a Saturday window in 14 days")

	cfg.Clusters[0].Region = "marsnorth"
	// The Saturday window blacked out for the whole run (and beyond).
	cfg.Clusters[0].Maintenance.NodeOS = window.Except(saturdayWindow(t), window.Interval{Start: wStart.Add(-time.Hour), End: wStart.AddDate(1, 0, 0)})
	res, err = Run(cfg)
	require.NoError(t, err)
	end := wStart.Add(cfg.Horizon)
	assert.Equal(t, []string{
		`fleet: cluster c: region "marsnorth" is not an Azure region; it only orders the regional rollout, so the run goes on`,
		"fleet: cluster c: the aksManagedNodeOSUpgradeSchedule window never opens from " + wStart.Format(time.RFC3339) + " to the end of the run " + end.Format(time.RFC3339) + "; the work it gates never starts",
	}, res.Warnings)
	for _, a := range res.Actions {
		assert.NotEqual(t, ActReimage, a.Kind, "nothing is reimaged without a window")
	}
}
