package fleet

import (
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// Config describes one simulation run: a fleet of clusters over a horizon,
// fed by the content that exists upstream. A run is fully determined by its
// Config.
type Config struct {
	Start   time.Time     // first simulated instant; required
	Horizon time.Duration // length of the run; required, > 0
	Seed    uint64        // root of the fleet's own random streams (drains, PDBs, rollout timing)
	// Settle leaves out of the exposure distributions the advisories
	// published in the last Settle of the run: they have too little time
	// to be remediated and would add censored pairs that say little. They
	// still count in vulnerable node-days and the past-SLA series. Zero
	// measures every advisory; it must be below Horizon.
	Settle time.Duration

	// Upstream is the content published upstream (advisories and release
	// streams); required. Variants of a what-if share one Upstream per
	// replication, so their differences are paired. It must cover
	// [Start, Start+Horizon); it is only read.
	Upstream *channel.Upstream

	Clusters []Cluster // at least one
	SLA      SLA       // zero fields take DefaultSLA's values

	// Manager is Azure Kubernetes Fleet Manager orchestrating updates over
	// Clusters (reference fleet-manager.md); nil means none, and each
	// cluster upgrades on its own channels alone.
	Manager *Manager

	// Trace records every rollout action in Result.Actions. It costs memory
	// proportional to the actions; leave it off for large fleets.
	Trace bool
}

// Limits of a configuration.
const (
	// MaxPoolNodes is the most nodes an AKS node pool holds: a virtual
	// machine scale set has at most 1,000 instances (aks.md section 4.1).
	MaxPoolNodes = 1000
	// MaxHorizon keeps every instant of a run within the engine's range
	// (about 292 years of nanoseconds) with room for lookback.
	MaxHorizon = 100 * 365 * 24 * time.Hour
	// MinNodeLifetime is the shortest node lifetime (Autoscale.Lifetime.Min)
	// a pool takes. Spot evictions and node expiry (Karpenter's
	// expireAfter) come hours to days after a node joins (ASSUMPTION), and
	// a run's cost grows with the nodes its lifetimes create.
	MinNodeLifetime = time.Hour
)

// SLA is the time within which an advisory of each severity should be
// remediated on every node, from the advisory's publication (also on a node
// created after it). A zero field means the default of [DefaultSLA].
type SLA struct {
	Critical, High, Medium, Low time.Duration
}

// DefaultSLA returns the default SLAs of DESIGN.md section 3.1: critical
// 7 days, high 30 days, medium 90 days. Low has none by default; it is set
// to 180 days so that the share-past-SLA series stays defined (an
// ASSUMPTION, a parameter).
func DefaultSLA() SLA {
	const day = 24 * time.Hour
	return SLA{Critical: 7 * day, High: 30 * day, Medium: 90 * day, Low: 180 * day}
}

// For returns the SLA of severity s.
func (s SLA) For(sev channel.Severity) time.Duration {
	switch sev {
	case channel.Critical:
		return s.Critical
	case channel.High:
		return s.High
	case channel.Medium:
		return s.Medium
	default:
		return s.Low
	}
}

// Effective returns s with the value of [DefaultSLA] in each zero field.
func (s SLA) Effective() SLA {
	d := DefaultSLA()
	if s.Critical == 0 {
		s.Critical = d.Critical
	}
	if s.High == 0 {
		s.High = d.High
	}
	if s.Medium == 0 {
		s.Medium = d.Medium
	}
	if s.Low == 0 {
		s.Low = d.Low
	}
	return s
}

// Cluster is one AKS cluster: its region, its auto-upgrade channels, its
// planned-maintenance windows and its node pools, upgraded one after another
// in the order given (reference aks.md section 2).
type Cluster struct {
	Name   string // unique in the fleet; required
	Region string // where releases become available (channel.Stream.Available), compared as given (plan normalises it with channel.NormalizeRegion); required

	// NodeOSChannel is autoUpgradeProfile.nodeOSUpgradeChannel. The zero
	// value, channel.NodeOSUnset, means NodeImage, the AKS default since API
	// 2023-06-01 (aks.md section 1.1); an explicit channel other than
	// NodeImage with the node-image cluster channel is an error (aks.md
	// section 1.4).
	NodeOSChannel channel.NodeOSChannel
	// ClusterChannel is autoUpgradeProfile.upgradeChannel; zero is none.
	ClusterChannel channel.ClusterChannel
	// WindowsFallback is the node OS channel that Windows pools follow when
	// the cluster's channel is SecurityPatch, which "isn't supported on
	// Windows OS node pools" (aks.md section 1.5). The zero value makes that
	// combination an error; setting it (for example to NodeImage) is an
	// ASSUMPTION about what AKS does with such pools, reported as a warning.
	WindowsFallback channel.NodeOSChannel

	// Maintenance holds the cluster's planned-maintenance windows.
	Maintenance MaintenanceWindows
	// Policy says how the rollout honours windows.
	Policy WindowPolicy

	Pools []Pool // at least one; upgraded in this order

	// ChannelChanges switch the node OS channel during the run, in time
	// order (aks.md section 1.4).
	ChannelChanges []ChannelChange

	// Kured reboots Unmanaged nodes whose installed kernel is newer than the
	// running one; nil means no reboot daemon, so kernel fixes stay pending
	// under Unmanaged.
	Kured *Kured
}

// MaintenanceWindows holds the three AKS planned-maintenance configurations
// (aks.md section 3.1), each a window.Schedule; nil means the configuration
// does not exist.
type MaintenanceWindows struct {
	// Default governs control-plane and add-on releases; it has no effect
	// on nodes and is kept so imported clusters round-trip.
	Default window.Schedule
	// AutoUpgrade (aksManagedAutoUpgradeSchedule) gates Kubernetes upgrades
	// of the cluster auto-upgrade channel.
	AutoUpgrade window.Schedule
	// NodeOS (aksManagedNodeOSUpgradeSchedule) gates node OS channel work:
	// SecurityPatch live patches and reimages, NodeImage reimages.
	NodeOS window.Schedule
}

// WindowPolicy is how rollouts honour maintenance windows. The zero value
// is AKS's current documented behaviour (aks.md section 3.3): work starts
// only inside a window, the pool in flight finishes after the window closes,
// later pools resume first in the next window, a release that arrives while
// the window is open leads to another pass, and a cluster without a window
// is upgraded on AKS's own cadence.
type WindowPolicy struct {
	// CatchUp lets work that a window left undone (later pools, failed
	// pools) start outside windows after RetryDelay: the older "catch-up
	// upgrade" rule (aks.md section 3.3 item 3).
	CatchUp bool
	// RetryDelay is how long after a failed or deferred operation a
	// catch-up starts. Zero means 1 hour (ASSUMPTION).
	RetryDelay time.Duration
	// OnePass starts at most one pass per window. By default a newer release
	// that becomes available while the window is still open leads to a
	// second upgrade, as the FAQ documents (aks.md section 3.3 item 4).
	OnePass bool
	// NoWindowCadence is how often AKS upgrades a cluster that has no
	// window for the work: weekly per the channel documentation, biweekly
	// per the Architecture Center (aks.md sections 3.4 and 9). Zero means
	// 7 days. The phase within the cadence is random per cluster.
	NoWindowCadence time.Duration
	// SecurityPatchCadence is how often AKS applies SecurityPatch to a
	// cluster without a node OS window: "typically faster than weekly, AKS
	// determined cadence" (aks.md section 3.4), and the planned-maintenance
	// FAQ speaks of "daily security updates" (section 1.1). Zero means 1 day
	// (ASSUMPTION), from a random phase.
	SecurityPatchCadence time.Duration
	// Refuse24h refuses a pool operation whose estimated duration exceeds
	// 24 hours (aks.md section 3.3 item 8); the refusal counts as a failed
	// operation and the pool stays as it is.
	Refuse24h bool
}

// DefaultWindowPolicy returns the durations a zero WindowPolicy field
// stands for: a catch-up 1 hour after a failed or deferred operation
// (ASSUMPTION), AKS's own weekly cadence without a window (aks.md section
// 3.4) and a daily one for SecurityPatch (ASSUMPTION, section 3.4). Its
// flags are the zero value's.
func DefaultWindowPolicy() WindowPolicy {
	return WindowPolicy{RetryDelay: time.Hour, NoWindowCadence: 7 * 24 * time.Hour, SecurityPatchCadence: 24 * time.Hour}
}

// ChannelChange switches the cluster's node OS channel. The change takes
// effect after a delay drawn uniformly from [0, Delay) by
// channel.ChangeEffective (aks.md section 1.4: "allow up to 24 hours"); the
// documented transitions of channel.ChangeReimages (or any change, with
// LegacyAnyChangeReimages) trigger a rolling reimage of every pool.
type ChannelChange struct {
	At time.Time             // when the change is requested; inside the run
	To channel.NodeOSChannel // the new channel
	// Delay bounds the time until the change takes effect; zero means 24 h.
	Delay time.Duration
	// LegacyAnyChangeReimages applies the older documented rule: every
	// channel change reimages (aks.md section 1.4).
	LegacyAnyChangeReimages bool
}

// Kured configures the Kubernetes reboot daemon for Unmanaged nodes
// (aks.md section 1.2, planning-peers.md section 1.4): each node checks for
// a pending reboot every Period at its own phase; Concurrency nodes reboot
// at a time, each drained first, and only inside Window when one is set.
type Kured struct {
	Period      time.Duration   // check period; zero means 1 hour (kured's default)
	Concurrency int             // nodes rebooting at once; zero means 1 (kured's default)
	Window      window.Schedule // reboot window (kured --reboot-days/--start-time/--end-time); nil means always
	Reboot      Dist            // reboot and rejoin time; zero means DefaultDurations().Reboot
}

// DefaultKured returns what a zero Kured field stands for: kured's own
// defaults, a check every hour and one node at a time (aks.md section 1.2),
// and DefaultDurations' reboot.
func DefaultKured() Kured {
	return Kured{Period: time.Hour, Concurrency: 1, Reboot: DefaultDurations().Reboot}
}

// Pool is one node pool.
type Pool struct {
	Name        string     // unique in the cluster; required
	OS          channel.OS // Linux or Windows
	Count       int        // node count (agentPoolProfiles[].count), 1 to MaxPoolNodes
	PodsPerNode int        // pods evicted when a node drains; >= 0

	Upgrade UpgradeSettings // AKS agentPoolProfiles[].upgradeSettings
	// System is a System-mode pool (agentPoolProfiles[].mode), on which
	// AKS does not allow maxUnavailable (aks.md section 4.1).
	System bool

	// Durations of the rollout steps; zero fields take DefaultDurations.
	Durations Durations

	// PDB describes pod disruption budgets that block drains.
	PDB PDB

	// Initial is the nodes' state at Start; the zero value means every node
	// runs the newest release of its feed available in the region at Start.
	Initial NodeState
	// InitialNodes, when not empty, gives each node's state at Start (one
	// entry per node, for example imported from kubectl); it overrides
	// Initial.
	InitialNodes []NodeState

	// Image is the pool's node image version at Start
	// (agentPoolProfiles[].nodeImageVersion): what a node created during
	// the run boots from until an operation updates it (aks.md section
	// 11.3). The zero value means the state of Initial (the newest release
	// of the pool's feed at Start when Initial is zero too).
	Image NodeState
	// Autoscale, when set, lets the cluster autoscaler size the pool; nil
	// keeps Count nodes for the whole run.
	Autoscale *Autoscale
}

// NodeState is what a node runs: the content cuts of its installed
// userspace and of its running kernel (DESIGN.md section 3.1).
type NodeState struct {
	// Userspace is the cut of the installed packages: every advisory
	// published at or before it is fixed on disk.
	Userspace time.Time
	// Kernel is the cut of the running kernel. Zero means Userspace.
	Kernel time.Time
}

// Durations are the time distributions of rollout steps. AKS publishes no
// figures (aks.md section 4.3); every default is an ASSUMPTION from the
// anecdotes collected there.
type Durations struct {
	Provision Dist // a surge node becomes ready
	Drain     Dist // cordon and drain a node when no PDB blocks it
	Reimage   Dist // reimage and rejoin a drained node
	Reboot    Dist // reboot and rejoin (kured)
	// QuarantineCleanup is how long an operator takes to delete a
	// quarantined node (Cordon); then the retained surge node becomes a
	// regular member. Zero means 24 hours (ASSUMPTION).
	QuarantineCleanup time.Duration
}

// DefaultDurations returns the defaults: surge provisioning 3-7 minutes
// (aks.md section 4.3), drain 1-10 minutes, reimage and rejoin 5-10 minutes
// (aks.md section 4.3), reboot 2-6 minutes; all triangular, all ASSUMPTIONS.
func DefaultDurations() Durations {
	return Durations{
		Provision:         Dist{Min: 3 * time.Minute, Mode: 5 * time.Minute, Max: 7 * time.Minute},
		Drain:             Dist{Min: 1 * time.Minute, Mode: 3 * time.Minute, Max: 10 * time.Minute},
		Reimage:           Dist{Min: 5 * time.Minute, Mode: 7 * time.Minute, Max: 10 * time.Minute},
		Reboot:            Dist{Min: 2 * time.Minute, Mode: 3 * time.Minute, Max: 6 * time.Minute},
		QuarantineCleanup: 24 * time.Hour,
	}
}

func (d Durations) withDefaults() Durations {
	def := DefaultDurations()
	if d.Provision.isZero() {
		d.Provision = def.Provision
	}
	if d.Drain.isZero() {
		d.Drain = def.Drain
	}
	if d.Reimage.isZero() {
		d.Reimage = def.Reimage
	}
	if d.Reboot.isZero() {
		d.Reboot = def.Reboot
	}
	if d.QuarantineCleanup == 0 {
		d.QuarantineCleanup = def.QuarantineCleanup
	}
	return d
}

// PDB models pod disruption budgets that block a drain: with probability
// Probability a node's drain is blocked for an extra time drawn from Block.
// A drain still blocked at the drain timeout is undrainable. The zero value
// never blocks.
type PDB struct {
	Probability float64 // per drain, in [0, 1]
	Block       Dist    // extra drain time when blocked
	// Strict lists the indexes of pool nodes whose drains never complete:
	// they run a pod whose budget allows no disruption (aks.md section 4.2,
	// "default/strict PDBs ... block AKS upgrades"). Their drains always
	// reach the drain timeout.
	Strict []int
}
