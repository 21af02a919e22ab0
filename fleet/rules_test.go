package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

func oneClusterYear(t *testing.T, up *channel.Upstream, c Cluster) *Result {
	t.Helper()
	c.Name, c.Region = "c", "westeurope"
	if c.Pools == nil {
		c.Pools = []Pool{{Name: "p", Count: 6}}
	}
	res, err := Run(Config{Start: yearStart, Horizon: 120 * 24 * time.Hour, Seed: 5, Upstream: up, Clusters: []Cluster{c}, Trace: true})
	require.NoError(t, err)
	return res
}

// Unmanaged->None is a documented reimaging change (aks.md section 1.4):
// every node is reimaged, in the node OS window, onto a node image older
// than the packages the nightly installs had reached, so fixed advisories
// reopen; under None nothing else reimages. A change between NodeImage and
// SecurityPatch does not reimage by itself, unless the legacy rule is asked
// for.
func TestChannelChangeRules(t *testing.T) {
	// Reopening needs advisories published between an image's cut and the
	// nightly installs: a dense userspace stream (one a day), a fixture
	// rather than the calibration.
	cfg := channel.DefaultConfig()
	cfg.Userspace[channel.Medium] = 365
	up, err := channel.Generate(cfg, 11, yearStart.AddDate(0, 0, -60), yearStart.AddDate(1, 0, 0))
	require.NoError(t, err)
	change := yearStart.AddDate(0, 0, 30)
	res := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSUnmanaged, Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)},
		ChannelChanges: []ChannelChange{{At: change, To: channel.NodeOSNone}}})
	first := time.Time{}
	for _, a := range res.Actions {
		if a.Kind == ActReimage {
			first = a.Start
			break
		}
	}
	require.False(t, first.IsZero(), "the change reimages")
	assert.True(t, first.After(change), "not before the change")
	assert.True(t, first.Before(change.Add(8*24*time.Hour+time.Hour)), "at the first Sunday window after the change takes effect")
	assert.Equal(t, time.Sunday, first.Weekday())
	var reopened uint64
	for _, e := range res.Exposure {
		reopened += e.Reopened
	}
	assert.Positive(t, reopened, "an image older than the nightly packages reopens fixed advisories")

	// NodeImage -> SecurityPatch: no reimage triggered by the change itself;
	// compare with a run that never changes.
	base := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSSecurityPatch, Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)}})
	res = oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSNodeImage, Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)},
		ChannelChanges: []ChannelChange{{At: yearStart, To: channel.NodeOSSecurityPatch, Delay: time.Nanosecond}}})
	assert.Equal(t, base.Disruption.Reimages, res.Disruption.Reimages, "the change itself reimages nothing")
	legacy := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSNodeImage, Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)},
		ChannelChanges: []ChannelChange{{At: yearStart, To: channel.NodeOSSecurityPatch, Delay: time.Nanosecond, LegacyAnyChangeReimages: true}}})
	assert.Greater(t, legacy.Disruption.Reimages, base.Disruption.Reimages, "the legacy rule reimages on any change")
}

// Under node OS channel None, a cluster channel that upgrades Kubernetes
// still reimages nodes to the newest image at each upgrade (aks.md 1.4).
func TestKubernetesUpgradesReimage(t *testing.T) {
	up := defaultUpstream(t, 12)
	none := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSNone})
	assert.Zero(t, none.Disruption.Reimages)
	patch := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSNone, ClusterChannel: channel.ClusterPatch})
	// about one Kubernetes patch release a month over 120 days
	assert.GreaterOrEqual(t, patch.Disruption.Reimages/6, uint64(2))
	assert.LessOrEqual(t, patch.Disruption.Reimages/6, uint64(6))
	assert.NotEmpty(t, patch.Remediations)
	// node-image cluster channel forces NodeImage
	ni := oneClusterYear(t, up, Cluster{ClusterChannel: channel.ClusterNodeImage})
	assert.Positive(t, ni.Disruption.Reimages)
	cfg := Config{Start: yearStart, Horizon: time.Hour, Upstream: up, Clusters: []Cluster{{Name: "c", Region: "r",
		NodeOSChannel: channel.NodeOSUnmanaged, ClusterChannel: channel.ClusterNodeImage, Pools: []Pool{{Name: "p", Count: 1}}}}}
	assert.ErrorIs(t, cfg.Validate(), channel.ErrNodeImageClusterChannel)
}

// Without a window, AKS upgrades on its own cadence: weekly by default,
// biweekly when asked (aks.md section 3.4).
func TestNoWindowCadence(t *testing.T) {
	up := defaultUpstream(t, 13)
	weekly := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSNodeImage})
	biweekly := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSNodeImage, Policy: WindowPolicy{NoWindowCadence: 14 * 24 * time.Hour}})
	assert.Less(t, biweekly.Disruption.Operations, weekly.Disruption.Operations)
	assert.LessOrEqual(t, weekly.Disruption.Operations, uint64(120/7+1))
	assert.Zero(t, weekly.Disruption.OutsideWindow)
}

// A pool whose rollout AKS estimates at over 24 hours is not upgraded when
// the guard is on (aks.md section 3.3 item 8).
func TestRefuse24h(t *testing.T) {
	up := defaultUpstream(t, 14)
	big := []Pool{{Name: "big", Count: 300, Upgrade: UpgradeSettings{MaxSurge: Nodes(1)}}}
	on := oneClusterYear(t, up, Cluster{Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)}, Pools: big, Policy: WindowPolicy{Refuse24h: true}})
	assert.Zero(t, on.Disruption.Reimages)
	assert.Positive(t, on.Disruption.Refused)
	assert.Equal(t, on.Disruption.Refused, on.Disruption.Failed, "a refusal is a failed operation")
	off := oneClusterYear(t, up, Cluster{Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)}, Pools: big})
	assert.Positive(t, off.Disruption.Reimages)
	// With a 10% surge the same pool fits in a day.
	big[0].Upgrade.MaxSurge = Percent(10)
	fits := oneClusterYear(t, up, Cluster{Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)}, Pools: big, Policy: WindowPolicy{Refuse24h: true}})
	assert.Zero(t, fits.Disruption.Refused)
	assert.Positive(t, fits.Disruption.Reimages)
}

// SecurityPatch without a node OS window runs on AKS's own, faster cadence
// (aks.md section 3.4: "typically faster than weekly"): with the default
// daily cadence, every snapshot is applied within a day of reaching the
// region. The cadence opens at most 24 h after the snapshot arrives; a live
// patch lands within 10 minutes of that, a reimage's first drain within the
// 7 minutes of surge provisioning: 24 h 10 min at most.
func TestSecurityPatchWithoutWindowIsDaily(t *testing.T) {
	up := defaultUpstream(t, 17)
	res := oneClusterYear(t, up, Cluster{NodeOSChannel: channel.NodeOSSecurityPatch})
	end := yearStart.Add(120 * 24 * time.Hour)
	s := &up.SecurityPatches
	checked := 0
	for i := range s.Releases {
		a := s.Available(i, "westeurope")
		if a.Before(yearStart) || a.Add(25*time.Hour).After(end) {
			continue
		}
		if i+1 < len(s.Releases) && s.Available(i+1, "westeurope").Before(a.Add(25*time.Hour)) {
			continue // superseded before the bound
		}
		found := false
		for _, act := range res.Actions {
			if (act.Kind == ActLivePatch || act.Kind == ActDrain) && !act.Start.Before(a) && !act.Start.After(a.Add(24*time.Hour+10*time.Minute)) {
				found = true
				break
			}
		}
		assert.True(t, found, "snapshot %d available %s applied within 24h10m", i, a)
		checked++
	}
	assert.Greater(t, checked, 5)
}
