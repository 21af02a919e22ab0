package aks

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/window"
)

// Defaults of [ImportOptions].
const (
	// DefaultImportHorizon is half a year: a forecast from today's state,
	// shorter than plan.DefaultHorizon because the further the run goes
	// the less the starting state matters.
	DefaultImportHorizon = 180 * 24 * time.Hour
	// DefaultImportReplications is enough for a first look at one cluster;
	// raise it in the scenario for tight confidence intervals.
	DefaultImportReplications = 50
)

// ImportOptions tune [Import]. The zero value takes the defaults.
type ImportOptions struct {
	// Name is the scenario's name; "" means the cluster's name.
	Name string
	// Start is the first simulated instant; zero means the node list's
	// observation time ([NodeList.Observed]) or, without a node list, the
	// newest date the pools' node image versions carry, with a warning.
	Start time.Time
	// Horizon is the simulated length, >= 0; zero means
	// DefaultImportHorizon.
	Horizon time.Duration
	// Replications per variant, >= 0; zero means DefaultImportReplications.
	Replications int
	// Seed roots every random stream; zero is a seed like any other.
	Seed uint64
}

// Import turns a real cluster into a scenario that starts from its state:
// the cluster of [ParseCluster], its maintenance configurations (from
// window.ParseConfigurations; may be empty) and its nodes (from
// [ParseNodes]; may be nil). It returns the scenario, which passes
// plan.Scenario.Validate, and warnings, each a sentence naming the pool or
// node it is about, for everything it could not take as given:
//
//   - The cluster's location, channels and pools carry over, with each
//     pool's mode and upgradeSettings as ARM writes them (AKS defaults
//     filled in by ParseCluster).
//   - Maintenance configurations carry over by name. A configuration with
//     another name than default, aksManagedAutoUpgradeSchedule and
//     aksManagedNodeOSUpgradeSchedule is left out with a warning: AKS does
//     not run it (aks.md 3.1). One without a name, two with the same name,
//     or an invalid one is an error.
//   - Each pool starts from the nodes kubectl shows in it (label
//     kubernetes.azure.com/agentpool, or agentpool on nodes of older
//     clusters), in document order, one
//     plan.NodeState per node (see [InitialState]). When that number differs
//     from the cluster's count, the nodes seen win, with a warning. Nodes of
//     pools the cluster lacks, nodes of the other OS and the nodes
//     ParseNodes rejected are left out, each with a warning naming it. A pool
//     with no usable node starts every node from the pool's
//     nodeImageVersion, with a warning; a pool of count 0 with no node is
//     left out, with a warning. A node whose content is newer than Start
//     (an explicit Start before the images were built) is taken as is,
//     with a warning.
//   - What ParseCluster read in another way (a pool without mode, the colon
//     form of nodeImageVersion) is a warning naming the pool (Pool.Notes).
//   - A pool with enableAutoScaling autoscales between minCount (at least 1)
//     and maxCount, widened to hold its nodes; its new nodes boot its
//     nodeImageVersion (plan.Pool.Image), and its profile keeps the nodes it
//     has, since the demand is not in the inputs: a warning says so. Without a start
//     and a node list, the start is the newest date of the pools' node
//     image versions, with a warning.
//   - SecurityPatch isn't supported on Windows pools (aks.md 1.5): with
//     Windows pools on that channel the scenario sets windowsFallback
//     NodeImage, an assumption stated in a warning.
//   - Upstream content begins at least plan.DefaultLookback before Start,
//     and early enough to cover the oldest node's content, so that every
//     advisory a node lacks exists in the model.
//
// Pod counts, pod disruption budgets and rollout durations are not in
// these inputs: the scenario leaves them to the defaults and says so in
// its description. Problems are returned together as one errors.Join; the
// scenario is nil then.
func Import(c *Cluster, configs []window.MaintenanceConfiguration, nodes *NodeList, opt ImportOptions) (*plan.Scenario, []string, error) {
	if c == nil {
		return nil, nil, errors.New("aks: import: no cluster")
	}
	im := importer{}
	s := &plan.Scenario{
		Name:         opt.Name,
		Start:        opt.Start.UTC(),
		Horizon:      plan.Duration(opt.Horizon),
		Seed:         opt.Seed,
		Replications: opt.Replications,
	}
	if s.Name == "" {
		s.Name = c.Name
	}
	if s.Name == "" {
		im.fail("no scenario name: the cluster has none; set ImportOptions.Name")
	}
	if opt.Start.IsZero() {
		switch newest, pool := newestImage(c); {
		case nodes != nil:
			s.Start = nodes.Observed
		case newest.IsZero():
			im.fail("no start time: give ImportOptions.Start or a node list, whose observation time is the start")
		default:
			s.Start = newest
			im.warn("no start given and no node list: the start is %s, the newest date in the inputs (pool %q's node image); give a start to simulate from another instant",
				newest.Format(time.RFC3339), pool)
		}
	}
	switch {
	case opt.Horizon < 0:
		im.fail("ImportOptions.Horizon %v must not be negative", opt.Horizon)
	case opt.Horizon == 0:
		s.Horizon = plan.Duration(DefaultImportHorizon)
	}
	switch {
	case opt.Replications < 0:
		im.fail("ImportOptions.Replications %d must not be negative", opt.Replications)
	case opt.Replications == 0:
		s.Replications = DefaultImportReplications
	}

	pc := plan.Cluster{Name: c.Name, Region: c.Location}
	if pc.Name == "" {
		pc.Name = s.Name
	}
	if ch, err := channel.ParseNodeOSChannel(c.NodeOSUpgradeChannel); err != nil || ch == channel.NodeOSUnset {
		im.fail("cluster nodeOSUpgradeChannel %q: want one of %s", c.NodeOSUpgradeChannel, strings.Join(channel.NodeOSChannelNames(), ", "))
	} else {
		pc.NodeOSUpgradeChannel = ch.String()
	}
	if ch, err := channel.ParseClusterChannel(c.UpgradeChannel); err != nil || c.UpgradeChannel == "" {
		im.fail("cluster upgradeChannel %q: want one of %s", c.UpgradeChannel, strings.Join(channel.ClusterChannelNames(), ", "))
	} else {
		pc.UpgradeChannel = ch.String()
	}
	pc.MaintenanceConfigurations = im.configurations(configs)

	byPool := im.nodesByPool(c, nodes)
	oldest := s.Start
	for _, p := range c.Pools {
		for _, n := range p.Notes {
			im.warn("pool %q: %s", p.Name, n)
		}
		pl, ok := im.pool(p, byPool[p.Name], nodes != nil)
		if !ok {
			continue
		}
		states := pl.InitialNodes
		if pl.Initial != nil {
			states = []plan.NodeState{*pl.Initial}
		}
		for _, n := range states {
			if s.Start.IsZero() {
				break
			}
			if n.Userspace.After(s.Start) {
				who := fmt.Sprintf("node %q", n.Name)
				if n.Name == "" {
					who = fmt.Sprintf("pool %q", p.Name)
				}
				im.warn("%s: image %s has content from %s, after the start %s; the simulation takes it as is",
					who, n.NodeImageVersion, n.Userspace.Format(time.DateOnly), s.Start.Format(time.RFC3339))
			}
			if n.Userspace.Before(oldest) {
				oldest = n.Userspace
			}
			if n.Kernel.Before(oldest) {
				oldest = n.Kernel
			}
		}
		pc.Pools = append(pc.Pools, pl)
	}
	if len(c.Pools) > 0 && len(pc.Pools) == 0 {
		im.fail("no pool has a node to simulate")
	}
	if pc.NodeOSUpgradeChannel == channel.NodeOSSecurityPatch.String() {
		for _, p := range pc.Pools {
			if p.OSType == "Windows" {
				pc.WindowsFallback = channel.NodeOSNodeImage.String()
				im.warn("cluster %s: SecurityPatch isn't supported on Windows pools (aks.md 1.5); ASSUMPTION: Windows pools follow NodeImage (windowsFallback), as AKS gives them no SecurityPatch content", pc.Name)
				break
			}
		}
	}
	s.Clusters = []plan.Cluster{pc}
	s.Upstream.Lookback = plan.DefaultLookback
	if need := s.Start.Sub(oldest); need > plan.DefaultLookback.D() {
		const day = 24 * time.Hour
		s.Upstream.Lookback = plan.Duration((need + day - 1) / day * day)
	}
	s.Description = description(pc.Name, c, nodes)

	if len(im.errs) > 0 {
		return nil, im.warnings, errors.Join(im.errs...)
	}
	if err := s.Validate(); err != nil {
		return nil, im.warnings, fmt.Errorf("aks: import: the scenario does not validate:\n%w", err)
	}
	return s, im.warnings, nil
}

// newestImage returns the newest date a pool's node image version carries
// (its build or security-patch date) and that pool's name; zero without
// pools.
func newestImage(c *Cluster) (time.Time, string) {
	var newest time.Time
	var pool string
	for _, p := range c.Pools {
		for _, t := range []time.Time{p.NodeImageVersion.Built, p.NodeImageVersion.SecurityPatch} {
			if t.After(newest) {
				newest, pool = t, p.Name
			}
		}
	}
	return newest, pool
}

// InitialState is a node's content at the start of an import, from its image
// version (aks.md section 5): the userspace cut is the security-patch date
// when the version has one, since a SecurityPatch live patch moves every
// package to that date's snapshot (aks.md 1.2), else the image build date,
// since an image is a frozen snapshot of its build date (aks.md 1.2, and
// channel.DefaultConfig's zero CutLag). The kernel cut is the build date.
//
// ASSUMPTION: the running kernel is the image's. A live patch installs
// packages but does not reboot; the suffix does not say whether the node
// was reimaged onto a SecurityPatch VHD with a newer kernel, which would
// make the kernel newer than the build date. Build dates are UTC midnights,
// so a cut may be up to a day early.
func InitialState(name string, v ImageVersion) plan.NodeState {
	s := plan.NodeState{Name: name, NodeImageVersion: v.String(), Userspace: v.Built, Kernel: v.Built}
	if !v.SecurityPatch.IsZero() {
		s.Userspace = v.SecurityPatch
	}
	return s
}

// importer collects the problems and warnings of one Import.
type importer struct {
	errs     []error
	warnings []string
}

func (im *importer) fail(format string, args ...any) {
	im.errs = append(im.errs, fmt.Errorf("aks: import: "+format, args...))
}

func (im *importer) warn(format string, args ...any) {
	im.warnings = append(im.warnings, fmt.Sprintf("aks: import: "+format, args...))
}

// configurations checks the maintenance configurations and keeps those AKS
// runs.
func (im *importer) configurations(configs []window.MaintenanceConfiguration) []window.MaintenanceConfiguration {
	var out []window.MaintenanceConfiguration
	seen := map[string]int{}
	for i, mc := range configs {
		switch mc.Name {
		case "":
			im.fail("maintenance configuration %d has no name (a PUT body or a bare maintenanceWindow does not say which it is): want %s, %s or %s",
				i, window.NameDefault, window.NameAutoUpgrade, window.NameNodeOSUpgrade)
			continue
		case window.NameDefault, window.NameAutoUpgrade, window.NameNodeOSUpgrade:
		default:
			im.warn("maintenance configuration %q left out: AKS runs only %s, %s and %s (aks.md 3.1)",
				mc.Name, window.NameDefault, window.NameAutoUpgrade, window.NameNodeOSUpgrade)
			continue
		}
		if j, dup := seen[mc.Name]; dup {
			im.fail("maintenance configurations %d and %d are both named %q", j, i, mc.Name)
			continue
		}
		seen[mc.Name] = i
		if err := mc.Validate(); err != nil {
			im.fail("maintenance configuration %q:\n%w", mc.Name, err)
			continue
		}
		out = append(out, mc)
	}
	return out
}

// nodesByPool groups the usable nodes by pool, in document order, and warns
// about every node left out.
func (im *importer) nodesByPool(c *Cluster, nodes *NodeList) map[string][]Node {
	if nodes == nil {
		return nil
	}
	for _, e := range nodes.Rejected {
		im.warn("node left out: %v", e)
	}
	osOf := map[string]string{}
	for _, p := range c.Pools {
		osOf[p.Name] = p.OSType
	}
	by := map[string][]Node{}
	for _, n := range nodes.Nodes {
		os, ok := osOf[n.Pool]
		switch {
		case !ok:
			im.warn("node %q left out: its pool %q is not in the cluster", n.Name, n.Pool)
		case n.OS != os:
			im.warn("node %q left out: a %s node in %s pool %q", n.Name, n.OS, os, n.Pool)
		default:
			by[n.Pool] = append(by[n.Pool], n)
		}
	}
	return by
}

// pool converts one agent pool with its usable nodes; ok is false when it
// is left out.
func (im *importer) pool(p Pool, nodes []Node, haveNodes bool) (plan.Pool, bool) {
	pl := plan.Pool{
		Name:            p.Name,
		Count:           len(nodes),
		OSType:          p.OSType,
		UpgradeSettings: plan.UpgradeSettingsOf(p.Upgrade),
	}
	if strings.EqualFold(p.Mode, "System") {
		pl.Mode = "System"
	}
	for _, n := range nodes {
		pl.InitialNodes = append(pl.InitialNodes, InitialState(n.Name, n.Image))
	}
	switch {
	case len(nodes) > 0 && len(nodes) != p.Count:
		im.warn("pool %q: the cluster says count %d, the node list has %d usable nodes; simulating the %d nodes seen", p.Name, p.Count, len(nodes), len(nodes))
	case len(nodes) == 0 && p.Count == 0:
		im.warn("pool %q left out: it has no nodes (count 0)", p.Name)
		return pl, false
	case len(nodes) == 0:
		why := "no node list"
		if haveNodes {
			why = "no usable node in the node list"
		}
		im.warn("pool %q: %s; its %d nodes start from the pool's nodeImageVersion %s", p.Name, why, p.Count, p.NodeImageVersion)
		pl.Count = p.Count
		st := InitialState("", p.NodeImageVersion)
		pl.Initial = &st
	}
	if p.Autoscale {
		im.autoscale(p, &pl)
	}
	return pl, true
}

// autoscale sets an autoscaled pool's range, the image its new nodes boot
// (the pool's nodeImageVersion, aks.md section 11.3) and a profile that
// keeps the nodes it has, since the demand is not in the inputs.
func (im *importer) autoscale(p Pool, pl *plan.Pool) {
	img := InitialState("", p.NodeImageVersion)
	pl.Image = &img
	a := &plan.Autoscale{Min: p.MinCount, Max: p.MaxCount}
	if a.Min < 1 {
		im.warn("pool %q: minCount 0 read as 1: the model keeps at least one node", p.Name)
		a.Min = 1
	}
	if pl.Count < a.Min || pl.Count > a.Max {
		im.warn("pool %q: %d nodes, outside minCount %d and maxCount %d; the range is widened to hold them", p.Name, pl.Count, a.Min, a.Max)
		a.Min, a.Max = min(a.Min, pl.Count), max(a.Max, pl.Count)
	}
	a.Profile = &plan.Profile{Base: pl.Count, Peak: pl.Count}
	pl.Autoscale = a
	im.warn("pool %q: the cluster autoscaler is on (minCount %d, maxCount %d); the inputs do not say the demand, so autoscale.profile keeps the %d nodes it has: edit it to simulate scale-ups and scale-downs; new nodes boot the pool's nodeImageVersion %s",
		p.Name, p.MinCount, p.MaxCount, pl.Count, p.NodeImageVersion)
}

// description says where the scenario comes from.
func description(name string, c *Cluster, nodes *NodeList) string {
	version := c.CurrentKubernetesVersion
	if version == "" {
		version = c.KubernetesVersion
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Imported from AKS cluster %s in %s (Kubernetes %s, node OS channel %s, cluster channel %s)",
		name, c.Location, version, c.NodeOSUpgradeChannel, c.UpgradeChannel)
	if nodes != nil {
		fmt.Fprintf(&b, ", nodes observed at %s", nodes.Observed.Format(time.RFC3339))
	}
	b.WriteString(". Pods per node, pod disruption budgets and rollout durations are not in the inputs and take the defaults.")
	return b.String()
}
