package fleet_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// exampleStart is a Monday; exampleUpstream publishes node image
// 202503.04.0 (cut Tuesday) on Wednesday, and one high advisory Monday noon.
var exampleStart = time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)

func exampleUpstream() *channel.Upstream {
	cut := exampleStart.AddDate(0, 0, 1)
	return &channel.Upstream{
		Advisories: []channel.Advisory{{ID: "USN-1", Published: exampleStart.Add(12 * time.Hour), Severity: channel.High}},
		NodeImages: channel.Stream{Name: "node-images", Releases: []channel.Release{
			{Version: "202502.20.0", Cut: exampleStart.AddDate(0, 0, -11), Built: exampleStart.AddDate(0, 0, -11), Published: exampleStart.AddDate(0, 0, -10)},
			{Version: "202503.04.0", Cut: cut, Built: cut, Published: cut.Add(24 * time.Hour)},
		}},
	}
}

// exampleConfig is one NodeImage cluster with a Saturday 22:00-02:00 UTC
// window and one pool of nodes nodes whose steps take fixed times.
func exampleConfig(nodes int) fleet.Config {
	saturday, _ := window.WeekdayHours{Days: []time.Weekday{time.Saturday}, Start: 22 * time.Hour, End: 2 * time.Hour}.Schedule()
	return fleet.Config{
		Start: exampleStart, Horizon: 14 * 24 * time.Hour, Upstream: exampleUpstream(), Trace: true,
		Clusters: []fleet.Cluster{{
			Name: "prod", Region: "westeurope", NodeOSChannel: channel.NodeOSNodeImage,
			Maintenance: fleet.MaintenanceWindows{NodeOS: saturday},
			Pools: []fleet.Pool{{Name: "apps", Count: nodes, PodsPerNode: 10, Upgrade: fleet.UpgradeSettings{MaxSurge: fleet.Nodes(1)},
				Durations: fleet.Durations{Provision: fleet.Fixed(5 * time.Minute), Drain: fleet.Fixed(3 * time.Minute), Reimage: fleet.Fixed(7 * time.Minute)}}},
		}},
	}
}

// Validate lists every problem at once, each with its field path.
func ExampleConfig_Validate() {
	cfg := exampleConfig(0)
	cfg.Horizon = 0
	cfg.Clusters[0].Pools[0].Upgrade.MaxSurge = fleet.Percent(150)
	fmt.Println(cfg.Validate())
	// Output:
	// fleet: horizon: 0s is outside (0, 876000h0m0s]
	// fleet: clusters[0].pools[0].count: 0 is outside 1 to 1000
	// fleet: clusters[0].pools[0].upgradeSettings.maxSurge: "150%" is over 100%
}

// Each problem of a configuration is a FieldError: errors.As reads its
// path and message, and errors.Is finds the sentinel it wraps.
func ExampleFieldError() {
	cfg := exampleConfig(2)
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSSecurityPatch
	cfg.Clusters[0].Pools = append(cfg.Clusters[0].Pools, fleet.Pool{Name: "win", OS: channel.OSWindows, Count: 0})
	err := cfg.Validate()
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *fleet.FieldError
		if errors.As(e, &fe) {
			fmt.Printf("%s: %v\n", fe.Path, fe.Err)
		}
	}
	fmt.Println(errors.Is(err, channel.ErrSecurityPatchOnWindows))
	// Output:
	// clusters[0].pools[1]: channel: node OS channel SecurityPatch is not supported on Windows pools
	// clusters[0].pools[1].count: 0 is outside 1 to 1000
	// true
}

// A configuration checked once runs on several seeds without validating
// it again.
func ExampleChecked_Run() {
	c, err := fleet.Check(exampleConfig(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, seed := range []uint64{1, 2} {
		res, err := c.Run(exampleUpstream(), seed, false)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("seed %d: %d reimages\n", seed, res.Disruption.Reimages)
	}
	// Output:
	// seed 1: 3 reimages
	// seed 2: 3 reimages
}

// Zero fields take the defaults of DefaultSLA.
func ExampleSLA_Effective() {
	s := fleet.SLA{Critical: 3 * 24 * time.Hour}.Effective()
	fmt.Println(s.For(channel.Critical), s.For(channel.High), s.For(channel.Medium), s.For(channel.Low))
	// Output:
	// 72h0m0s 720h0m0s 2160h0m0s 4320h0m0s
}

// A cluster whose node OS channel is SecurityPatch cannot have Windows
// pools unless it says what they follow.
func ExampleCluster() {
	cfg := exampleConfig(2)
	cl := &cfg.Clusters[0]
	cl.NodeOSChannel = channel.NodeOSSecurityPatch
	cl.Pools = append(cl.Pools, fleet.Pool{Name: "win", OS: channel.OSWindows, Count: 1})
	fmt.Println(cfg.Validate())
	cl.WindowsFallback = channel.NodeOSNodeImage
	res, _ := fleet.Run(cfg)
	fmt.Println(res.Warnings)
	// Output:
	// fleet: clusters[0].pools[1]: channel: node OS channel SecurityPatch is not supported on Windows pools
	// [fleet: cluster prod: SecurityPatch is not supported on Windows pools; they follow NodeImage (windowsFallback, an assumption)]
}

// Without a node OS window, work waits for AKS's own cadence; with one, it
// starts in the window.
func ExampleMaintenanceWindows() {
	for _, withWindow := range []bool{true, false} {
		cfg := exampleConfig(1)
		if !withWindow {
			cfg.Clusters[0].Maintenance = fleet.MaintenanceWindows{}
		}
		res, _ := fleet.Run(cfg)
		for _, a := range res.Actions {
			if a.Kind == fleet.ActReimage {
				fmt.Printf("window %v: reimage %s\n", withWindow, a.Start.Format("Mon Jan 2 15:04"))
			}
		}
	}
	// Output:
	// window true: reimage Sat Mar 8 22:08
	// window false: reimage Wed Mar 5 14:22
}

// The zero WindowPolicy is AKS's documented behaviour; its durations are
// DefaultWindowPolicy's.
func ExampleWindowPolicy() {
	p := fleet.DefaultWindowPolicy()
	fmt.Println(p.RetryDelay, p.NoWindowCadence, p.SecurityPatchCadence, p.CatchUp, p.OnePass)
	// Output:
	// 1h0m0s 168h0m0s 24h0m0s false false
}

// A change from NodeImage to Unmanaged reimages every node once it takes
// effect (within Delay), in the next window.
func ExampleChannelChange() {
	cfg := exampleConfig(2)
	cfg.Upstream.NodeImages.Releases = cfg.Upstream.NodeImages.Releases[:1]
	cfg.Clusters[0].ChannelChanges = []fleet.ChannelChange{{At: exampleStart, To: channel.NodeOSUnmanaged, Delay: time.Hour}}
	res, _ := fleet.Run(cfg)
	fmt.Println("reimages:", res.Disruption.Reimages)
	// Output:
	// reimages: 2
}

// Kured reboots Unmanaged nodes one at a time by default.
func ExampleKured() {
	k := fleet.DefaultKured()
	fmt.Println(k.Period, k.Concurrency, k.Reboot.Mean())
	// Output:
	// 1h0m0s 1 3m40s
}

// A pool's node count is checked against the AKS limit.
func ExamplePool() {
	cfg := exampleConfig(fleet.MaxPoolNodes + 1)
	fmt.Println(cfg.Validate())
	// Output:
	// fleet: clusters[0].pools[0].count: 1001 is outside 1 to 1000
}

// Nodes that start on an older image are behind from the first window.
func ExampleNodeState() {
	cfg := exampleConfig(2)
	cfg.Upstream.NodeImages.Releases = cfg.Upstream.NodeImages.Releases[:1]
	cfg.Clusters[0].Pools[0].InitialNodes = []fleet.NodeState{{Userspace: exampleStart.AddDate(0, -2, 0)}, {Userspace: exampleStart}}
	res, _ := fleet.Run(cfg)
	for _, a := range res.Actions {
		if a.Kind == fleet.ActReimage {
			fmt.Println("reimaged node", a.Node)
		}
	}
	// Output:
	// reimaged node 0
}

// Each step's default duration is a triangular distribution.
func ExampleDurations() {
	d := fleet.DefaultDurations()
	fmt.Println(d.Provision.Mean(), d.Drain.Mean(), d.Reimage.Mean(), d.Reboot.Mean(), d.QuarantineCleanup)
	// Output:
	// 5m0s 4m40s 7m20s 3m40s 24h0m0s
}

// A strict PDB on node 0: its drain reaches the 30-minute timeout.
func ExamplePDB() {
	cfg := exampleConfig(2)
	cfg.Clusters[0].Pools[0].PDB = fleet.PDB{Strict: []int{0}}
	res, _ := fleet.Run(cfg)
	fmt.Println("blocked drains:", res.Disruption.BlockedDrains, "failed:", res.Disruption.Failed)
	// Output:
	// blocked drains: 2 failed: 2
}

// Dist's mean is that of the triangle.
func ExampleDist() {
	d := fleet.Dist{Min: time.Minute, Mode: 2 * time.Minute, Max: 6 * time.Minute}
	fmt.Println(d.Mean(), fleet.Fixed(time.Minute).Mean())
	// Output:
	// 3m0s 1m0s
}

// A histogram with censored pairs: the Kaplan-Meier median and the share
// within a bound.
func ExampleHistogram() {
	var h fleet.Histogram
	h.Add(24*time.Hour, 2)
	h.Add(72*time.Hour, 1)
	h.AddCensored(96*time.Hour, 1)
	fmt.Println(h.Total(), h.Mean(), h.Quantile(0.5).Round(time.Hour), h.CDF(48*time.Hour))
	// Output:
	// 4 40h0m0s 24h0m0s 0.5
}

// A histogram keeps only its non-empty bins, each with its remediated and
// censored counts.
func ExampleBin() {
	var h fleet.Histogram
	h.Add(time.Hour, 3)
	h.AddCensored(time.Hour, 1)
	h.Add(2*time.Hour, 1)
	for _, b := range h.Bins {
		fmt.Println(b.Index, b.Events, b.Censored)
	}
	// Output:
	// 432 3 1
	// 496 1 0
}

// Percentages round up, as AKS documents.
func ExampleQuantity() {
	for _, s := range []string{"1", "10%", "33%"} {
		q, _ := fleet.ParseQuantity(s)
		fmt.Printf("%s of 15 nodes: %d\n", q, q.Resolve(15))
	}
	// Output:
	// 1 of 15 nodes: 1
	// 10% of 15 nodes: 2
	// 33% of 15 nodes: 5
}

// The exposure of the high advisory on three nodes.
func ExampleExposure() {
	res, _ := fleet.Run(exampleConfig(3))
	e := res.Exposure[channel.High]
	fmt.Println(e.Severity, e.Pairs, e.Remediated, e.Censored, e.Mean, e.Max)
	// Output:
	// high 3 3 0 130h25m0s 130h35m0s
}

// What the rollout cost: three reimages, each draining ten pods.
func ExampleDisruption() {
	res, _ := fleet.Run(exampleConfig(3))
	d := res.Disruption
	fmt.Println(d.Reimages, d.Evictions, d.Operations, d.NodeHoursUnavailable, d.MinAvailableShare)
	// Output:
	// 3 30 1 0.5 1
}

// Trace steps read as their names in JSON.
func ExampleActionKind() {
	b, _ := json.Marshal([]fleet.ActionKind{fleet.ActSurge, fleet.ActDrain, fleet.ActReimage})
	fmt.Println(string(b))
	// Output:
	// ["surge","drain","reimage"]
}

// The rollout trace of a two-node pool.
func ExampleAction() {
	res, _ := fleet.Run(exampleConfig(2))
	for _, a := range res.Actions {
		fmt.Printf("%s/%s node %d %s %s-%s\n", a.Cluster, a.Pool, a.Node, a.Kind, a.Start.Format("15:04"), a.End.Format("15:04"))
	}
	// Output:
	// prod/apps node 0 drain 22:05-22:08
	// prod/apps node 0 reimage 22:08-22:15
	// prod/apps node 1 drain 22:15-22:18
	// prod/apps node 1 reimage 22:18-22:25
	// prod/apps node -1 surge 22:00-22:25
}

// Each node's first remediation of the advisory.
func ExampleRemediation() {
	res, _ := fleet.Run(exampleConfig(2))
	for _, m := range res.Remediations {
		fmt.Println(m.Node, m.Severity, m.At.Sub(m.Published))
	}
	// Output:
	// 0 high 130h15m0s
	// 1 high 130h25m0s
}

// The result of a run: its span and size.
func ExampleResult() {
	res, _ := fleet.Run(exampleConfig(3))
	fmt.Println(res.Start.Format(time.DateOnly), res.End.Format(time.DateOnly), res.Nodes, len(res.PastSLA))
	// Output:
	// 2025-03-03 2025-03-17 3 14
}

// Unset settings take the AKS defaults; Check names what AKS rejects.
func ExampleUpgradeSettings() {
	fmt.Printf("%+v\n", fleet.UpgradeSettings{}.WithDefaults())
	for _, e := range (fleet.UpgradeSettings{MaxSurge: fleet.Nodes(0), MaxUnavailable: fleet.Nodes(1)}).Check(10, true) {
		fmt.Println(e)
	}
	// Output:
	// {MaxSurge:10% MaxUnavailable:0 DrainTimeout:30m0s NodeSoak:0s Undrainable:Schedule MaxBlockedNodes:10%}
	// fleet: maxUnavailable: "1" is not allowed on a System pool
}

// A SettingError names the setting as AKS does.
func ExampleSettingError() {
	errs := fleet.UpgradeSettings{DrainTimeout: time.Minute}.Check(3, false)
	fmt.Println(errs[0].Setting, "-", errs[0].Msg)
	// Output:
	// drainTimeoutInMinutes - 1m0s is outside 5 to 1440 minutes
}

// undrainableNodeBehavior reads in any case.
func ExampleUndrainable() {
	u, _ := fleet.ParseUndrainable("cordon")
	fmt.Println(u, u == fleet.UndrainableCordon)
	_, err := fleet.ParseUndrainable("Drain")
	fmt.Println(err)
	// Output:
	// Cordon true
	// "Drain" is not one of Schedule, Cordon (any case)
}
