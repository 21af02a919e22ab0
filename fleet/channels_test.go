package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

var yearStart = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

// defaultUpstream draws the calibrated default upstream for a year from
// yearStart, with 60 days before it so that nodes start on real releases.
func defaultUpstream(t testing.TB, seed uint64) *channel.Upstream {
	t.Helper()
	up, err := channel.Generate(channel.DefaultConfig(), seed, yearStart.AddDate(0, 0, -60), yearStart.AddDate(1, 0, 0))
	require.NoError(t, err)
	return up
}

func sundayWindow(t testing.TB) window.Schedule {
	t.Helper()
	s, err := window.WeekdayHours{Days: []time.Weekday{time.Sunday}, Start: 2 * time.Hour, End: 6 * time.Hour}.Schedule()
	require.NoError(t, err)
	return s
}

// channelRun runs one 20-node Linux pool for a year under ch.
func channelRun(t *testing.T, up *channel.Upstream, ch channel.NodeOSChannel, kured *Kured) *Result {
	t.Helper()
	cfg := Config{
		Start: yearStart, Horizon: 365 * 24 * time.Hour, Seed: 7, Upstream: up, Trace: true,
		Clusters: []Cluster{{
			Name: "c", Region: "westeurope", NodeOSChannel: ch,
			Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)},
			Pools:       []Pool{{Name: "linux", Count: 20, PodsPerNode: 30}},
			Kured:       kured,
		}},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	return res
}

// meanExposure is the mean first-remediation delay of one class in the
// trace.
func meanExposure(res *Result, class channel.Class) (time.Duration, int) {
	var sum time.Duration
	n := 0
	for _, m := range res.Remediations {
		if m.Class == class {
			sum += m.At.Sub(m.Published)
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / time.Duration(n), n
}

// TestChannelBehaviour checks each node OS channel against the reference
// (aks.md section 1.1) on the calibrated default upstream.
func TestChannelBehaviour(t *testing.T) {
	up := defaultUpstream(t, 42)
	nodeImage := channelRun(t, up, channel.NodeOSNodeImage, nil)
	security := channelRun(t, up, channel.NodeOSSecurityPatch, nil)
	none := channelRun(t, up, channel.NodeOSNone, nil)
	unmanaged := channelRun(t, up, channel.NodeOSUnmanaged, nil)
	kured := channelRun(t, up, channel.NodeOSUnmanaged, &Kured{})

	perNodeYear := func(r *Result) float64 { return float64(r.Disruption.Reimages) / float64(r.Nodes) }

	// NodeImage reimages about weekly: ~41 images a year (aks.md 6.1),
	// each applied at the next Sunday window after it reaches the region.
	assert.InDelta(t, 38, perNodeYear(nodeImage), 10, "NodeImage reimages per node-year")
	assert.Zero(t, nodeImage.Disruption.LivePatches)

	// SecurityPatch reimages less often (only snapshots with a new kernel)
	// and remediates userspace advisories by live patches too, without a
	// drain (aks.md 1.1, 1.3). Whether that is sooner than NodeImage
	// depends on the two cadences and rollouts.
	assert.Less(t, perNodeYear(security), 0.75*perNodeYear(nodeImage))
	assert.Positive(t, security.Disruption.LivePatches)
	patched := map[[2]int64]bool{}
	for _, a := range security.Actions {
		if a.Kind == ActLivePatch {
			patched[[2]int64{int64(a.Node), a.End.UnixNano()}] = true
		}
	}
	user, live := 0, 0
	for _, r := range security.Remediations {
		if r.Class == channel.Userspace {
			user++
			if patched[[2]int64{int64(r.Node), r.At.UnixNano()}] {
				live++
			}
		}
	}
	require.Positive(t, user)
	assert.Positive(t, live, "userspace fixes arrive by live patch")

	// None never remediates anything.
	assert.Empty(t, none.Remediations)
	assert.Zero(t, none.Disruption.Reimages+none.Disruption.LivePatches+none.Disruption.Installs)
	for _, e := range none.Exposure {
		assert.Equal(t, e.Pairs, e.Censored)
	}

	// Unmanaged installs nightly: userspace fixes within about a day; kernel
	// fixes stay pending without a reboot.
	umUser, n3 := meanExposure(unmanaged, channel.Userspace)
	require.Positive(t, n3)
	assert.Less(t, umUser, 31*time.Hour, "nightly at 06:00-07:00 UTC: at most a day and an hour")
	assert.Equal(t, uint64(20*365), unmanaged.Disruption.Installs)
	_, kernelFixed := meanExposure(unmanaged, channel.Kernel)
	assert.Zero(t, kernelFixed, "no reboots, so no kernel fix runs")
	assert.Zero(t, unmanaged.Disruption.Reimages)

	// With kured, kernel fixes take effect after reboots.
	kuredKernel, n4 := meanExposure(kured, channel.Kernel)
	assert.Positive(t, n4)
	assert.Positive(t, kured.Disruption.Reboots)
	assert.Less(t, kuredKernel, 3*24*time.Hour)
}
