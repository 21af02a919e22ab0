package plan

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/window"
)

// TestVariantOverrides: each field of a variant replaces its own part of
// every cluster it applies to and nothing else; the scenario's cluster is
// not changed.
func TestVariantOverrides(t *testing.T) {
	nodeOS := window.MaintenanceConfiguration{Name: window.NameNodeOSUpgrade, MaintenanceWindow: &window.MaintenanceWindow{
		Schedule: window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: "Sunday"}}, DurationHours: 4, StartTime: "01:00"}}
	legacy := window.MaintenanceConfiguration{Name: window.NameDefault, TimeInWeek: []window.TimeInWeek{{Day: "Monday", HourSlots: []int{2}}}}
	base := func() Cluster {
		return Cluster{Name: "prod", Region: "westeurope", NodeOSUpgradeChannel: "NodeImage", UpgradeChannel: "patch",
			MaintenanceConfigurations: []window.MaintenanceConfiguration{legacy, nodeOS},
			Policy:                    Policy{CatchUp: true, RetryDelay: Duration(time.Hour)},
			Kured:                     &Kured{Period: Duration(time.Hour), Concurrency: 2},
			Pools: []Pool{
				{Name: "a", Count: 3, UpgradeSettings: UpgradeSettings{MaxSurge: "1", DrainTimeoutInMinutes: 10, NodeSoakDurationInMinutes: 15}},
				{Name: "b", Count: 5, UpgradeSettings: UpgradeSettings{MaxUnavailable: "1"}},
			}}
	}
	friday := &window.MaintenanceWindow{Schedule: window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 2, DayOfWeek: "Friday"}}, DurationHours: 6, StartTime: "20:00"}
	soak0 := 0
	for _, tc := range []struct {
		name string
		v    Variant
		want func(c *Cluster)
	}{
		{"nothing set changes nothing", Variant{Name: "same"}, func(*Cluster) {}},
		{"the node OS channel", Variant{NodeOSUpgradeChannel: "SecurityPatch"}, func(c *Cluster) { c.NodeOSUpgradeChannel = "SecurityPatch" }},
		{"the cluster channel and Windows fallback", Variant{UpgradeChannel: "stable", WindowsFallback: "NodeImage"}, func(c *Cluster) {
			c.UpgradeChannel, c.WindowsFallback = "stable", "NodeImage"
		}},
		{"a node OS window replaces only that window", Variant{NodeOSMaintenanceWindow: friday}, func(c *Cluster) {
			c.MaintenanceConfigurations = []window.MaintenanceConfiguration{legacy, {Name: window.NameNodeOSUpgrade, MaintenanceWindow: friday}}
		}},
		{"no node OS window keeps the others", Variant{NoNodeOSMaintenanceWindow: true}, func(c *Cluster) {
			c.MaintenanceConfigurations = []window.MaintenanceConfiguration{legacy}
		}},
		{"no window wins over a window", Variant{NodeOSMaintenanceWindow: friday, NoNodeOSMaintenanceWindow: true}, func(c *Cluster) {
			c.MaintenanceConfigurations = []window.MaintenanceConfiguration{legacy}
		}},
		{"a set upgrade setting replaces every pool's, the others stay", Variant{UpgradeSettings: UpgradeSettings{MaxSurge: "33%", UndrainableNodeBehavior: "Cordon"}}, func(c *Cluster) {
			c.Pools[0].UpgradeSettings = UpgradeSettings{MaxSurge: "33%", DrainTimeoutInMinutes: 10, NodeSoakDurationInMinutes: 15, UndrainableNodeBehavior: "Cordon"}
			c.Pools[1].UpgradeSettings = UpgradeSettings{MaxSurge: "33%", MaxUnavailable: "1", UndrainableNodeBehavior: "Cordon"}
		}},
		{"a listed variant's soak of 0 is unset", Variant{UpgradeSettings: UpgradeSettings{NodeSoakDurationInMinutes: 0}}, func(*Cluster) {}},
		{"the grid's soak of 0 sets 0", Variant{soak: &soak0}, func(c *Cluster) { c.Pools[0].UpgradeSettings.NodeSoakDurationInMinutes = 0 }},
		{"the policy as a whole", Variant{Policy: &Policy{OnePass: true}}, func(c *Cluster) { c.Policy = Policy{OnePass: true} }},
		{"kured as a whole", Variant{Kured: &Kured{Concurrency: 1}}, func(c *Cluster) { c.Kured = &Kured{Concurrency: 1} }},
		{"no kured", Variant{NoKured: true}, func(c *Cluster) { c.Kured = nil }},
		{"no kured wins over kured", Variant{Kured: &Kured{Concurrency: 1}, NoKured: true}, func(c *Cluster) { c.Kured = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			got, err := tc.v.apply(c, 0)
			require.NoError(t, err)
			want := base()
			tc.want(&want)
			assert.Equal(t, want, got)
			assert.Equal(t, base(), c, "the scenario's cluster is unchanged")
		})
	}
}

// TestVariantClusters: a variant naming clusters changes those alone, and
// a grid's soak of 0 removes the pools' soak (it kept theirs).
func TestVariantClusters(t *testing.T) {
	s := small(t)
	s.Clusters = s.Clusters[:1]
	s.Clusters[0].Pools = s.Clusters[0].Pools[:1]
	s.Clusters[0].Pools[0].UpgradeSettings.NodeSoakDurationInMinutes = 15
	other := s.Clusters[0]
	other.Name = "other"
	s.Clusters = append(s.Clusters, other)
	names := []string{s.Clusters[0].Name, "other"}

	v := Variant{Name: "v", Clusters: []string{"other"}, NodeOSUpgradeChannel: "None"}
	cl, err := s.fleetClusters(&v)
	require.NoError(t, err)
	require.Len(t, cl, 2)
	assert.NotEqual(t, cl[0].NodeOSChannel, cl[1].NodeOSChannel, "only %s changes", names[1])
	base, err := s.fleetClusters(&Variant{Name: "baseline"})
	require.NoError(t, err)
	assert.Equal(t, base[0].NodeOSChannel, cl[0].NodeOSChannel)

	s.Variants = nil
	s.Grid = &Grid{NodeSoakDurationInMinutes: []int{0, 10}}
	vs, err := s.variants()
	require.NoError(t, err)
	var soaks []time.Duration
	for i := range vs {
		cl, err := s.fleetClusters(&vs[i])
		require.NoError(t, err)
		soaks = append(soaks, cl[0].Pools[0].Upgrade.NodeSoak)
	}
	assert.Equal(t, []time.Duration{15 * time.Minute, 0, 10 * time.Minute}, soaks, "baseline, soak=0m, soak=10m")
}
