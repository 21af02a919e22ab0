package fleet

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// randomUnmanaged draws a fleet whose first cluster runs Unmanaged with
// nothing else touching its nodes (so the per-node pass applies), and
// sometimes a second cluster whose events interleave with the installs:
// random pools (some autoscaled) and node states, start instant, horizon
// and settle.
func randomUnmanaged(rng *rand.Rand, up *channel.Upstream) Config {
	start := yearStart.Add(time.Duration(rng.Int64N(int64(40 * 24 * time.Hour))))
	horizon := time.Duration(1+rng.IntN(300)) * 24 * time.Hour / time.Duration(1+rng.IntN(3))
	if end := yearStart.AddDate(1, 0, 0); start.Add(horizon).After(end) {
		horizon = end.Sub(start)
	}
	cl := Cluster{Name: "u", Region: []string{"westeurope", "eastus"}[rng.IntN(2)], NodeOSChannel: channel.NodeOSUnmanaged}
	for p := range 1 + rng.IntN(4) {
		pl := Pool{Name: fmt.Sprintf("p%d", p), Count: 1 + rng.IntN(40)}
		if rng.IntN(4) == 0 {
			pl.OS = channel.OSWindows // behaves as None: no installs
		}
		switch rng.IntN(3) {
		case 1: // one state for the pool, older than the start
			u := start.Add(-time.Duration(rng.Int64N(int64(50 * 24 * time.Hour))))
			pl.Initial = NodeState{Userspace: u, Kernel: u.Add(-time.Duration(rng.Int64N(int64(20 * 24 * time.Hour))))}
		case 2: // a state per node
			for range pl.Count {
				pl.InitialNodes = append(pl.InitialNodes, NodeState{Userspace: start.Add(-time.Duration(rng.Int64N(int64(50 * 24 * time.Hour))))})
			}
		}
		if rng.IntN(2) == 0 {
			// autoscaled: each node's nights run when it goes, or at the end
			pl.Autoscale = randomAutoscale(rng, pl.Count)
		}
		cl.Pools = append(cl.Pools, pl)
	}
	clusters := []Cluster{cl}
	if rng.IntN(2) == 0 {
		clusters = append(clusters, Cluster{Name: "n", Region: "westeurope", NodeOSChannel: channel.NodeOSNodeImage,
			Pools: []Pool{{Name: "p", Count: 1 + rng.IntN(10), Upgrade: UpgradeSettings{MaxSurge: Nodes(1)}}}})
	}
	return Config{Start: start, Horizon: horizon, Settle: horizon / 8 * time.Duration(rng.IntN(4)), Seed: rng.Uint64(),
		Upstream: up, Clusters: clusters}
}

// runNightly runs cfg with nightly installs as events or, where it
// applies, as the per-node pass.
func runNightly(t *testing.T, cfg Config, events bool) *Result {
	t.Helper()
	r, err := newRunner(cfg)
	require.NoError(t, err)
	r.nightlyEvents = events
	res, err := r.run()
	require.NoError(t, err)
	return res
}

// The per-node pass gives exactly the event run's result (counts,
// histograms, quantiles, sums, the past-SLA series, disruption), only
// with fewer events; the seed is a flag (-fleet.seed) and logged.
func TestNightlyPassMatchesEvents(t *testing.T) {
	randomFleets(t, "nightly", 30, 8, randomUnmanaged, func(t *testing.T, cfg Config) {
		ev := runNightly(t, cfg, true)
		pass := runNightly(t, cfg, false)
		linux := 0
		for _, p := range cfg.Clusters[0].Pools {
			if p.OS == channel.OSLinux {
				linux += p.Count
			}
		}
		if linux > 0 && cfg.Horizon > 2*24*time.Hour {
			require.Positive(t, ev.Disruption.Installs)
			assert.Less(t, pass.Events, ev.Events, "the pass replaces the install events")
		}
		t.Logf("%d Linux Unmanaged nodes, %v, %d installs, %d events against %d", linux, cfg.Horizon, ev.Disruption.Installs, pass.Events, ev.Events)
		// Events differ by construction; everything else is identical.
		ev.Events, pass.Events = 0, 0
		assert.Equal(t, ev, pass)
	})
}
