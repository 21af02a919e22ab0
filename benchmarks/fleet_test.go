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

// autoscaled makes every pool of cfg autoscale between half its size and
// its size, at its size in business hours (08:00-18:00 UTC, Monday to
// Friday) and at 60% otherwise: about 40 nodes of each 100-node pool come
// and go every weekday.
func autoscaled(cfg fleet.Config) fleet.Config {
	for c := range cfg.Clusters {
		pools := append([]fleet.Pool(nil), cfg.Clusters[c].Pools...)
		for p := range pools {
			n := pools[p].Count
			pools[p].Autoscale = &fleet.Autoscale{Min: n / 2, Max: n, Profile: fleet.Profile{Base: n * 6 / 10, Peak: n}}
		}
		cfg.Clusters[c].Pools = pools
	}
	return cfg
}

// BenchmarkFleetYear runs one simulated year of fleets of 1,000 to 100,000
// nodes under each node OS channel, and the 10,000-node fleet with every
// pool autoscaled (autoscale=on). Bar: every channel's 100,000 nodes in at
// most 5 s on one core and under 1 GiB, time linear in nodes; an
// autoscaled fleet within 1.5x of the fixed one. Unmanaged pools of a
// fixed size run their nightly installs in one pass per node, not as
// events, so its ns/event says little: ns/node-day compares channels
// (node-days of the fleet's largest size).
// cpu-ns/op is the process's CPU time per year (cpuClock.report).
func BenchmarkFleetYear(b *testing.B) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	up, err := channel.Generate(channel.DefaultConfig(), 1, start.AddDate(0, 0, -60), start.AddDate(1, 0, 0))
	if err != nil {
		b.Fatal(err)
	}
	for _, ch := range []channel.NodeOSChannel{channel.NodeOSNodeImage, channel.NodeOSSecurityPatch, channel.NodeOSUnmanaged, channel.NodeOSNone} {
		for _, v := range []struct {
			nodes int
			scale bool
		}{{1000, false}, {10000, false}, {10000, true}, {100000, false}} {
			nodes := v.nodes
			name := fmt.Sprintf("channel=%s/nodes=%d", ch, nodes)
			if v.scale {
				name += "/autoscale=on"
			}
			b.Run(name, func(b *testing.B) {
				cfg := fleetYear(b, nodes, ch, up, start)
				if v.scale {
					cfg = autoscaled(cfg)
				}
				b.ReportAllocs()
				var events float64
				cpu := startCPU()
				for b.Loop() {
					res, err := fleet.Run(cfg)
					if err != nil {
						b.Fatal(err)
					}
					events = float64(res.Events)
				}
				cpu.report(b)
				b.ReportMetric(events, "events")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/events, "ns/event")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(nodes)/365, "ns/node-day")
			})
		}
	}
}

// ring returns a three-stage Fleet Manager ring over cfg's clusters (test:
// the first tenth, canary: the next fifth, prod: the rest), a group per
// region in each stage, a day's wait after test and canary, and a NodeImage
// auto-upgrade profile.
func ring(cfg fleet.Config) *fleet.Manager {
	n := len(cfg.Clusters)
	bounds := []int{0, max(n/10, 1), max(n/10, 1) + max(n/5, 1), n}
	s := &fleet.UpdateStrategy{}
	for k, name := range []string{"test", "canary", "prod"} {
		st := fleet.UpdateStage{Name: name}
		if k < 2 {
			st.AfterStageWait = 24 * time.Hour
		}
		byRegion := map[string]int{}
		for _, cl := range cfg.Clusters[bounds[k]:min(bounds[k+1], n)] {
			i, ok := byRegion[cl.Region]
			if !ok {
				i = len(st.Groups)
				byRegion[cl.Region] = i
				st.Groups = append(st.Groups, fleet.UpdateGroup{Name: fmt.Sprintf("%s-%d", name, i)})
			}
			st.Groups[i].Clusters = append(st.Groups[i].Clusters, cl.Name)
		}
		if len(st.Groups) > 0 {
			s.Stages = append(s.Stages, st)
		}
	}
	return &fleet.Manager{Strategy: s, Profiles: []fleet.AutoUpgradeProfile{{Name: "nodeimage", Channel: fleet.ChannelNodeImage}}}
}

// onePoolClusters splits every cluster of cfg into clusters of one pool,
// each with its cluster's region and windows.
func onePoolClusters(cfg fleet.Config) fleet.Config {
	var out []fleet.Cluster
	for _, cl := range cfg.Clusters {
		for _, p := range cl.Pools {
			c := cl
			c.Name = cl.Name + "-" + p.Name
			c.Pools = []fleet.Pool{p}
			out = append(out, c)
		}
	}
	cfg.Clusters = out
	return cfg
}

// BenchmarkFleetManagerYear runs the fleets of BenchmarkFleetYear, as
// clusters of one 100-node pool, for one year under a three-stage Fleet
// Manager ring (members' own channel None), beside the same fleets on
// their own NodeImage channel: the cost of the update runs.
func BenchmarkFleetManagerYear(b *testing.B) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	up, err := channel.Generate(channel.DefaultConfig(), 1, start.AddDate(0, 0, -60), start.AddDate(1, 0, 0))
	if err != nil {
		b.Fatal(err)
	}
	for _, nodes := range []int{1000, 10000} {
		for _, mode := range []string{"own-nodeimage", "fleet-ring"} {
			b.Run(fmt.Sprintf("mode=%s/nodes=%d", mode, nodes), func(b *testing.B) {
				cfg := onePoolClusters(fleetYear(b, nodes, channel.NodeOSNodeImage, up, start))
				if mode == "fleet-ring" {
					for i := range cfg.Clusters {
						cfg.Clusters[i].NodeOSChannel = channel.NodeOSNone
					}
					cfg.Manager = ring(cfg)
				}
				b.ReportAllocs()
				var events float64
				cpu := startCPU()
				for b.Loop() {
					res, err := fleet.Run(cfg)
					if err != nil {
						b.Fatal(err)
					}
					events = float64(res.Events)
				}
				cpu.report(b)
				b.ReportMetric(events, "events")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(nodes)/365, "ns/node-day")
			})
		}
	}
}
