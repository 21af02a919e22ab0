package plan

import (
	"encoding/json"
	"fmt"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/patchsim/patchsim/window"
)

// Scenario is a what-if: a fleet, the content upstream, the horizon, and
// the variants to compare. Its file form is YAML or JSON with camelCase
// names that match AKS where AKS has one (nodeOSUpgradeChannel,
// upgradeChannel, maintenanceConfigurations as ARM writes them,
// upgradeSettings). Unknown fields are errors.
type Scenario struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Start is the first simulated instant; required.
	Start time.Time `json:"start"`
	// Horizon is the simulated length; zero means 365 days.
	Horizon Duration `json:"horizon,omitempty"`
	// Settle leaves the advisories published in the last Settle of the run
	// out of the exposure distributions (see fleet.Config.Settle); zero
	// means a sixth of the horizon.
	Settle Duration `json:"settle,omitempty"`
	// Seed roots every random stream; the same seed gives the same output.
	Seed uint64 `json:"seed"`
	// Replications per variant; zero means 100.
	Replications int `json:"replications,omitempty"`
	// SLA per severity; zero fields take fleet.DefaultSLA.
	SLA SLA `json:"sla,omitempty"`
	// Upstream overrides the calibrated content defaults.
	Upstream Upstream `json:"upstream,omitempty"`
	// Clusters is the fleet; at least one.
	Clusters []Cluster `json:"clusters"`
	// FleetManager orchestrates the clusters' updates with Azure
	// Kubernetes Fleet Manager; nil: each cluster upgrades on its own.
	FleetManager *FleetManager `json:"fleetManager,omitempty"`
	// Variants are named overrides of the fleet. With none (and no Grid),
	// the scenario is one variant, "baseline".
	Variants []Variant `json:"variants,omitempty"`
	// Grid adds one variant per combination of its axes.
	Grid *Grid `json:"grid,omitempty"`
	// Objective names the exposure and disruption metrics of the Pareto
	// frontier and of the recommendation.
	Objective Objective `json:"objective,omitempty"`
	// Constraints bound the recommendation.
	Constraints []Constraint `json:"constraints,omitempty"`

	dir string // directory of the file, for relative trace paths
}

// SLA is the remediation target per severity.
type SLA struct {
	Critical Duration `json:"critical,omitempty"`
	High     Duration `json:"high,omitempty"`
	Medium   Duration `json:"medium,omitempty"`
	Low      Duration `json:"low,omitempty"`
}

// Upstream overrides channel.DefaultConfig, the calibrated content model.
// Every field is optional.
type Upstream struct {
	// History replays a year of real AKS releases ("2024" or "2025", see
	// channel.History): node images with their kernels, SecurityPatch
	// snapshots with their new-kernel flags (2025 only; the data starts in
	// January 2025) and kernel releases, all from the same history, with
	// their real publication dates. Start must lie in that year. Empty: the
	// calibrated cadences generate the releases.
	History string `json:"history,omitempty"`
	// AdvisoryTrace is a CSV of advisories that replaces the generated
	// ones, relative to the scenario file: rows id, published, severity,
	// class[, os], or a file with a header in the shape of the Ubuntu
	// notice sample data/ubuntu-usn-jammy-2024-podcast.csv, or with a cvss
	// column of CVSS base scores, read as the v3.1 bands (see
	// channel.ReadAdvisories).
	AdvisoryTrace string `json:"advisoryTrace,omitempty"`
	// NodeImageTrace is a CSV of node image versions and dates (the shape of
	// data/aks-node-image-releases-2024.csv) replayed instead of the
	// generated node image cadence. With a kernel column (the shape of
	// data/aks-ubuntu2204-image-kernels-2024-2025.csv) its kernels replace
	// the generated kernel cadence too (channel.KernelsOf).
	NodeImageTrace string `json:"nodeImageTrace,omitempty"`
	// UserspacePerYear are the rates of userspace advisories.
	UserspacePerYear *PerSeverity `json:"userspacePerYear,omitempty"`
	// KernelEvery is the mean time between linux-azure kernel releases.
	KernelEvery *Duration `json:"kernelEvery,omitempty"`
	// NodeImageMeanGap and SecurityPatchMeanGap are the mean times between
	// releases of those streams.
	NodeImageMeanGap     *Duration `json:"nodeImageMeanGap,omitempty"`
	SecurityPatchMeanGap *Duration `json:"securityPatchMeanGap,omitempty"`
	// NodeImageRollout and SecurityPatchRollout bound the regional rollout
	// delay of those streams.
	NodeImageRollout     *Duration `json:"nodeImageRollout,omitempty"`
	SecurityPatchRollout *Duration `json:"securityPatchRollout,omitempty"`
	// KubernetesEvery is the period of Kubernetes patch releases.
	KubernetesEvery *Duration `json:"kubernetesEvery,omitempty"`
	// Expedite switches on accelerated releases for urgent advisories
	// (channel.Expedite); nil: none, as AKS documents only "case by case"
	// accelerated rollouts.
	Expedite *Expedite `json:"expedite,omitempty"`
	// Lookback is how long before Start the content begins, so that nodes
	// start on real releases; zero means 60 days.
	Lookback Duration `json:"lookback,omitempty"`
}

// Expedite is an accelerated release path for urgent fixes; every field is
// an assumption (channel.Expedite).
type Expedite struct {
	// Severity is the least severe severity expedited (this one and the
	// more severe); required.
	Severity string `json:"severity"`
	// Probability is the share of those advisories that get an expedited
	// release; required, in (0, 1].
	Probability float64 `json:"probability"`
	// Within bounds the time from the advisory's publication to its
	// expedited release, drawn uniformly in [0, within]; zero: at once.
	Within Duration `json:"within,omitempty"`
	// Streams are the streams that expedite: SecurityPatch, NodeImage or
	// both; empty means SecurityPatch.
	Streams []string `json:"streams,omitempty"`
}

// PerSeverity holds one number per severity.
type PerSeverity struct {
	Critical float64 `json:"critical"`
	High     float64 `json:"high"`
	Medium   float64 `json:"medium"`
	Low      float64 `json:"low"`
}

// Cluster is one AKS cluster.
type Cluster struct {
	Name   string `json:"name"`
	Region string `json:"region"`
	// NodeOSUpgradeChannel is None, Unmanaged, SecurityPatch or NodeImage
	// (any case); empty means NodeImage, the AKS default.
	NodeOSUpgradeChannel string `json:"nodeOSUpgradeChannel,omitempty"`
	// UpgradeChannel is none, patch, stable, rapid or node-image.
	UpgradeChannel string `json:"upgradeChannel,omitempty"`
	// WindowsFallback is the channel Windows pools follow under
	// SecurityPatch (see fleet.Cluster.WindowsFallback); empty makes that
	// combination an error.
	WindowsFallback string `json:"windowsFallback,omitempty"`
	// MaintenanceConfigurations as AKS writes them, each with its name:
	// aksManagedNodeOSUpgradeSchedule, aksManagedAutoUpgradeSchedule,
	// default.
	MaintenanceConfigurations []window.MaintenanceConfiguration `json:"maintenanceConfigurations,omitempty"`
	Policy                    Policy                            `json:"policy,omitempty"`
	Kured                     *Kured                            `json:"kured,omitempty"`
	ChannelChanges            []ChannelChange                   `json:"channelChanges,omitempty"`
	Pools                     []Pool                            `json:"pools"`
}

// Policy is fleet.WindowPolicy.
type Policy struct {
	CatchUp         bool     `json:"catchUp,omitempty"`
	RetryDelay      Duration `json:"retryDelay,omitempty"`
	OnePass         bool     `json:"onePass,omitempty"`
	NoWindowCadence Duration `json:"noWindowCadence,omitempty"`
	// SecurityPatchCadence is fleet.WindowPolicy.SecurityPatchCadence.
	SecurityPatchCadence Duration `json:"securityPatchCadence,omitempty"`
	Refuse24h            bool     `json:"refuse24h,omitempty"`
}

// Kured configures the reboot daemon for Unmanaged nodes.
type Kured struct {
	Period      Duration `json:"period,omitempty"`
	Concurrency int      `json:"concurrency,omitempty"`
	// RebootDays, StartTime and EndTime ("HH:MM") and TimeZone (IANA) form
	// kured's reboot window; all empty means always.
	RebootDays []string `json:"rebootDays,omitempty"`
	StartTime  string   `json:"startTime,omitempty"`
	EndTime    string   `json:"endTime,omitempty"`
	TimeZone   string   `json:"timeZone,omitempty"`
	Reboot     *Dist    `json:"reboot,omitempty"`
}

// ChannelChange switches a cluster's node OS channel during the run.
type ChannelChange struct {
	At                      time.Time `json:"at"`
	To                      string    `json:"to"`
	Delay                   Duration  `json:"delay,omitempty"`
	LegacyAnyChangeReimages bool      `json:"legacyAnyChangeReimages,omitempty"`
}

// Pool is one node pool.
type Pool struct {
	Name string `json:"name"`
	// Count is the node count, as AKS calls it.
	Count int `json:"count"`
	// OSType is Linux (the default) or Windows.
	OSType string `json:"osType,omitempty"`
	// Mode is User (the default) or System; AKS allows no maxUnavailable
	// on System pools.
	Mode            string          `json:"mode,omitempty"`
	PodsPerNode     int             `json:"podsPerNode,omitempty"`
	UpgradeSettings UpgradeSettings `json:"upgradeSettings,omitempty"`
	PDB             *PDB            `json:"pdb,omitempty"`
	Durations       *Durations      `json:"durations,omitempty"`
	// Initial is every node's content at Start; empty means the newest
	// release of the pool's feed.
	Initial *NodeState `json:"initial,omitempty"`
	// InitialNodes gives each node's content at Start (from an import).
	InitialNodes []NodeState `json:"initialNodes,omitempty"`
	// Image is the pool's node image version at Start
	// (agentPoolProfiles[].nodeImageVersion): what a node the autoscaler
	// adds boots from until an operation updates it; absent means the
	// content of initial.
	Image *NodeState `json:"image,omitempty"`
	// Autoscale lets the cluster autoscaler size the pool
	// (enableAutoScaling, minCount, maxCount); absent keeps count nodes.
	Autoscale *Autoscale `json:"autoscale,omitempty"`
}

// Autoscale is fleet.Autoscale as a scenario writes it: the pool's range,
// its demand over the week and the autoscaler profile's scale-down times.
type Autoscale struct {
	Min                    int      `json:"min"`
	Max                    int      `json:"max"`
	Profile                *Profile `json:"profile,omitempty"`
	ScaleDownUnneededTime  Duration `json:"scaleDownUnneededTime,omitempty"`
	ScaleDownDelayAfterAdd Duration `json:"scaleDownDelayAfterAdd,omitempty"`
	Remove                 string   `json:"remove,omitempty"`
	Lifetime               *Dist    `json:"lifetime,omitempty"`
}

// Profile is fleet.Profile: peak nodes in the peak hours of the peak days
// (UTC), base nodes otherwise.
type Profile struct {
	Base  int      `json:"base"`
	Peak  int      `json:"peak"`
	Days  []string `json:"days,omitempty"`
	Start Duration `json:"start,omitempty"`
	End   Duration `json:"end,omitempty"`
}

// NodeState is a node's content: the cut of its installed packages and of
// its running kernel (zero: the same as userspace). NodeImageVersion and
// Name are informational (an import writes them).
type NodeState struct {
	Name             string    `json:"name,omitempty"`
	NodeImageVersion string    `json:"nodeImageVersion,omitempty"`
	Userspace        time.Time `json:"userspace"`
	Kernel           time.Time `json:"kernel,omitempty"`
}

// UpgradeSettings are AKS agentPoolProfiles[].upgradeSettings, as ARM
// writes them; empty fields take the AKS defaults. [UpgradeSettings.Settings]
// reads them for scenario files and imports alike; fleet.UpgradeSettings
// holds the defaults and the rules.
type UpgradeSettings struct {
	MaxSurge                  string `json:"maxSurge,omitempty"`
	MaxUnavailable            string `json:"maxUnavailable,omitempty"`
	MaxBlockedNodes           string `json:"maxBlockedNodes,omitempty"`
	DrainTimeoutInMinutes     int    `json:"drainTimeoutInMinutes,omitempty"`
	NodeSoakDurationInMinutes int    `json:"nodeSoakDurationInMinutes,omitempty"`
	UndrainableNodeBehavior   string `json:"undrainableNodeBehavior,omitempty"`
}

// PDB is fleet.PDB.
type PDB struct {
	Probability float64 `json:"probability,omitempty"`
	Block       *Dist   `json:"block,omitempty"`
	StrictNodes []int   `json:"strictNodes,omitempty"`
}

// Durations are fleet.Durations; empty fields take the defaults.
type Durations struct {
	Provision         *Dist    `json:"provision,omitempty"`
	Drain             *Dist    `json:"drain,omitempty"`
	Reimage           *Dist    `json:"reimage,omitempty"`
	Reboot            *Dist    `json:"reboot,omitempty"`
	QuarantineCleanup Duration `json:"quarantineCleanup,omitempty"`
}

// Dist is a triangular distribution of durations.
type Dist struct {
	Min  Duration `json:"min"`
	Mode Duration `json:"mode"`
	Max  Duration `json:"max"`
}

// Objective names the metrics of the Pareto frontier: Exposure (default
// "high.p95Days") against Disruption (default
// "reimagesPerNodeMonth"). Both are minimised.
type Objective struct {
	Exposure   string `json:"exposure,omitempty"`
	Disruption string `json:"disruption,omitempty"`
}

// Constraint bounds one metric's value for the recommendation (Stat.Value:
// the pooled quantile for exposure quantiles, the mean otherwise): at most Max
// and at least Min, when set.
type Constraint struct {
	Metric string   `json:"metric"`
	Max    *float64 `json:"max,omitempty"`
	Min    *float64 `json:"min,omitempty"`
}

// String writes the constraint as "metric <= max", "metric >= min" or both.
func (k Constraint) String() string {
	s := k.Metric
	if k.Max != nil {
		s += fmt.Sprintf(" <= %g", *k.Max)
	}
	if k.Min != nil {
		s += fmt.Sprintf(" >= %g", *k.Min)
	}
	return s
}

// Defaults used when a field is zero.
const (
	DefaultReplications = 100
	DefaultHorizon      = Duration(365 * 24 * time.Hour)
	DefaultLookback     = Duration(60 * 24 * time.Hour)
	DefaultExposure     = "high.p95Days"
	DefaultDisruption   = "reimagesPerNodeMonth"
	// MaxVariants bounds a scenario's variants, grid included.
	MaxVariants = 100000
	// MaxReplications bounds the replications per variant.
	MaxReplications = 100000
)

// Parse reads a scenario from YAML or JSON. It reports every problem of
// the file's form at once, each with its path: unknown fields, values of
// the wrong type, dates other than 2025-01-01 or RFC 3339, durations that
// do not parse or overflow, numbers that are not finite. Relative trace
// paths resolve against dir. It does not validate; call Validate.
func Parse(data []byte, dir string) (*Scenario, error) {
	var s Scenario
	if err := decode(data, &s); err != nil {
		return nil, err
	}
	s.dir = dir
	return &s, nil
}

// Load reads and validates the scenario file at path (see Read).
func Load(path string) (*Scenario, error) {
	s, err := Read(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// YAML returns the scenario as YAML.
func (s *Scenario) YAML() ([]byte, error) {
	return yaml.Marshal(s)
}

// Canonical returns the scenario as compact JSON, the form its hash is
// taken of.
func (s *Scenario) Canonical() ([]byte, error) { return json.Marshal(s) }

// horizon returns the effective horizon.
func (s *Scenario) horizon() time.Duration {
	if s.Horizon == 0 {
		return DefaultHorizon.D()
	}
	return s.Horizon.D()
}

// settle returns the effective settle: a sixth of a positive horizon by
// default (zero on an invalid horizon, so that its problem is not
// reported twice).
func (s *Scenario) settle() time.Duration {
	if s.Settle == 0 {
		return max(s.horizon()/6, 0)
	}
	return s.Settle.D()
}

func (s *Scenario) replications() int {
	if s.Replications == 0 {
		return DefaultReplications
	}
	return s.Replications
}
