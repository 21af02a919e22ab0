package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// TestLaterPoolsDoNotStarve: three pools of 60 nodes with maxSurge 1 and a
// weekly 4-hour window. A pool takes about 60 x 17 min, longer than the
// window, so every window finishes the pool in flight and defers the rest
// (aks.md section 3.3 item 2). Deferred pools resume first in the next
// window, so the pools take turns: p1, p2, p3, p1, ... (dropping the
// deferred work instead gave 660, 300 and 60 node reimages over 120 days).
// Over 120 days (17 Sunday windows) the turns give 6, 6 and 5 pool
// upgrades, one round apart; over a year every pool is within 10% of the
// others.
func TestLaterPoolsDoNotStarve(t *testing.T) {
	up := defaultUpstream(t, 3)
	run := func(days int) *Result {
		var pools []Pool
		for _, name := range []string{"p1", "p2", "p3"} {
			pools = append(pools, Pool{Name: name, Count: 60, Upgrade: UpgradeSettings{MaxSurge: Nodes(1)}})
		}
		res, err := Run(Config{Start: yearStart, Horizon: time.Duration(days) * 24 * time.Hour, Seed: 1, Upstream: up, Trace: true,
			Clusters: []Cluster{{Name: "c", Region: "westeurope", NodeOSChannel: channel.NodeOSNodeImage,
				Maintenance: MaintenanceWindows{NodeOS: sundayWindow(t)}, Pools: pools}}})
		require.NoError(t, err)
		return res
	}
	reimages := func(res *Result) map[string]int {
		count := map[string]int{}
		for _, a := range res.Actions {
			if a.Kind == ActReimage {
				count[a.Pool]++
			}
		}
		return count
	}

	res := run(120)
	var turns []string
	for _, a := range res.Actions {
		if a.Kind == ActSurge {
			turns = append(turns, a.Pool)
		}
	}
	require.NotEmpty(t, turns)
	for i, p := range turns {
		assert.Equal(t, []string{"p1", "p2", "p3"}[i%3], p, "pool upgrade %d", i)
	}
	count := reimages(res)
	t.Logf("120 days: %d pool upgrades, node reimages by pool %v", len(turns), count)
	for _, p := range []string{"p1", "p2", "p3"} {
		assert.InDelta(t, 60*len(turns)/3, count[p], 60, "pool %s within one round", p)
	}

	count = reimages(run(364))
	t.Logf("364 days: node reimages by pool %v", count)
	lo, hi := count["p1"], count["p1"]
	for _, n := range count {
		lo, hi = min(lo, n), max(hi, n)
	}
	require.Positive(t, lo)
	assert.LessOrEqual(t, float64(hi-lo), 0.1*float64(hi), "every pool within 10%% of the others: %v", count)
}
