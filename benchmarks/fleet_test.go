package benchmarks

import (
	"fmt"
	"testing"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// fleetYear builds a fleet of 100-node Linux pools, ten pools a cluster,
// each cluster with a weekly 4-hour node OS window (its weekday and hour
// staggered), on the calibrated default upstream of one year.
func fleetYear(b *testing.B, nodes int, ch channel.NodeOSChannel, up *channel.Upstream, start time.Time) fleet.Config {
	b.Helper()
	pools := nodes / 100
	var clusters []fleet.Cluster
	for c := 0; pools > 0; c++ {
		w, err := window.WeekdayHours{Days: []time.Weekday{time.Weekday(c % 7)}, Start: time.Duration(c%20) * time.Hour, End: time.Duration(c%20+4) * time.Hour}.Schedule()
		if err != nil {
			b.Fatal(err)
		}
		cl := fleet.Cluster{Name: fmt.Sprintf("cluster-%03d", c), Region: []string{"westeurope", "eastus", "southeastasia"}[c%3],
			NodeOSChannel: ch, Maintenance: fleet.MaintenanceWindows{NodeOS: w}}
		for p := 0; p < 10 && pools > 0; p++ {
			cl.Pools = append(cl.Pools, fleet.Pool{Name: fmt.Sprintf("pool-%d", p), Count: 100, PodsPerNode: 30,
				Upgrade: fleet.UpgradeSettings{MaxSurge: fleet.Percent(33)}})
			pools--
		}
		clusters = append(clusters, cl)
	}
	return fleet.Config{Start: start, Horizon: 365 * 24 * time.Hour, Seed: 1, Upstream: up, Clusters: clusters}
}

// BenchmarkFleetYear runs one simulated year of fleets of 1,000 to 100,000
// nodes under each node OS channel. Bar: every channel's 100,000 nodes in at
// most 5 s on one core and under 1 GiB, time linear in nodes. Unmanaged
// pools run their nightly installs in one pass per node, not as events, so
// its ns/event says little: ns/node-day compares channels.
func BenchmarkFleetYear(b *testing.B) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	up, err := channel.Generate(channel.DefaultConfig(), 1, start.AddDate(0, 0, -60), start.AddDate(1, 0, 0))
	if err != nil {
		b.Fatal(err)
	}
	for _, ch := range []channel.NodeOSChannel{channel.NodeOSNodeImage, channel.NodeOSSecurityPatch, channel.NodeOSUnmanaged, channel.NodeOSNone} {
		for _, nodes := range []int{1000, 10000, 100000} {
			b.Run(fmt.Sprintf("channel=%s/nodes=%d", ch, nodes), func(b *testing.B) {
				cfg := fleetYear(b, nodes, ch, up, start)
				b.ReportAllocs()
				var events float64
				for b.Loop() {
					res, err := fleet.Run(cfg)
					if err != nil {
						b.Fatal(err)
					}
					events = float64(res.Events)
				}
				b.ReportMetric(events, "events")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/events, "ns/event")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(nodes)/365, "ns/node-day")
			})
		}
	}
}
