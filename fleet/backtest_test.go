package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// One kernel advisory of 2025 through the real SecurityPatch history, by
// hand (data/aks-securitypatch-snapshots.csv and
// data/aks-ubuntu2204-image-kernels-2024-2025.csv, replayed by
// channel.History):
//
//   - The advisory K is published Saturday 2025-02-01 00:00 UTC. Kernel
//     fixes take effect only with a kernel released after it: 1079 first
//     appears in image 202501.28.0 (built 2025-01-28T21:28:09Z), too early;
//     1081 first appears in image 202502.26.0 (built
//     2025-02-26T21:21:34Z), before snapshot 20250303T000000Z names it, so
//     1081 is released 2025-02-26T21:21:34Z and is the first kernel with K.
//   - The pool (one node, SecurityPatch, regional rollout off) starts
//     Monday 2025-01-27 on the newest image, 202501.22.0 (kernel 1078; its
//     build is newer than snapshot 20250122T000000Z, which is published
//     only on 2025-01-31 anyway).
//   - Snapshot 20250203T000000Z (notes 2025-02-07) names kernel 1079, newer
//     than the node's: a reimage in the window of Sunday 2025-02-09, to
//     kernel 1079, without K.
//   - 20250210 (notes 02-14) and 20250224 (notes 02-27) name no kernel: live
//     patches, K still open.
//   - 20250303T000000Z (notes Monday 2025-03-10) names 1081: the next window,
//     Sunday 2025-03-16 00:00, reimages the node: surge 5 min, drain 3 min,
//     reimage 7 min, K remediated at 00:15.
//   - 20250310T000000Z (notes Tuesday 2025-03-18) names no kernel: a live
//     patch on Sunday 2025-03-23.
//
// Exposure: 2025-02-01 00:00 to 2025-03-16 00:15 = 43 days 15 minutes.
// Its stages follow the SecurityPatch feed that delivered the fix: 30 days
// to the cut of 20250303T000000Z, the first snapshot with a kernel released
// after K (the node image 202502.26.0 carried 1081 first, but the node
// follows snapshots), 7 days to its notes on 03-10, no regional wait, 6
// days to the window of Sunday 03-16, and 15 minutes of rollout.
func TestBacktestOneKernelAdvisory(t *testing.T) {
	cfg, err := channel.History(2025)
	require.NoError(t, err)
	cfg.NodeImages.Rollout, cfg.SecurityPatches.Rollout = 0, 0
	start := time.Date(2025, 1, 27, 0, 0, 0, 0, time.UTC)
	up, err := channel.Generate(cfg, 1, start.AddDate(0, -2, 0), start.AddDate(0, 2, 0))
	require.NoError(t, err)
	published := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	up.Advisories = []channel.Advisory{{ID: "K", Published: published, Severity: channel.High, Class: channel.Kernel}}

	sunday, err := window.WeekdayHours{Days: []time.Weekday{time.Sunday}, Start: 0, End: 4 * time.Hour}.Schedule()
	require.NoError(t, err)
	p := workedPool("p", 1)
	res, err := Run(Config{
		Start: start, Horizon: 60 * 24 * time.Hour, Seed: 1, Upstream: up, Trace: true,
		Clusters: []Cluster{{
			Name: "c", Region: "westeurope", NodeOSChannel: channel.NodeOSSecurityPatch,
			Maintenance: MaintenanceWindows{NodeOS: sunday}, Pools: []Pool{p},
		}},
	})
	require.NoError(t, err)

	fixed := time.Date(2025, 3, 16, 0, 15, 0, 0, time.UTC)
	assert.Equal(t, []Remediation{{Node: 0, Severity: channel.High, Class: channel.Kernel, Published: published, At: fixed,
		Stages: Stages{StageCut: 30 * 24 * time.Hour, StageBuild: 7 * 24 * time.Hour, StageWindow: 6 * 24 * time.Hour, StageRollout: 15 * time.Minute}}}, res.Remediations)
	assert.Equal(t, 43*24*time.Hour+15*time.Minute, res.Exposure[channel.High].Max)

	var reimages []time.Time
	for _, a := range res.Actions {
		if a.Kind == ActReimage {
			reimages = append(reimages, a.End)
		}
	}
	assert.Equal(t, []time.Time{time.Date(2025, 2, 9, 0, 15, 0, 0, time.UTC), fixed}, reimages, "two snapshots with a new kernel, two reimages")
	var patches []string
	for _, a := range res.Actions {
		if a.Kind == ActLivePatch {
			patches = append(patches, a.Start.Format("2006-01-02"))
		}
	}
	assert.Equal(t, []string{"2025-02-16", "2025-03-02", "2025-03-23"}, patches, "20250210, 20250224 and 20250310 live-patch")
}
