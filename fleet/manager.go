// Azure Kubernetes Fleet Manager: the fleet-level model of update
// strategies, update runs and auto-upgrade profiles that a scenario's
// fleetManager section (package plan) converts into. The facts and the
// rules are reference/fleet-manager.md; section 13 lists which became code.

package fleet

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// Manager is Azure Kubernetes Fleet Manager over the fleet's clusters: an
// update strategy and the auto-upgrade profiles whose update runs follow
// it (fleet-manager.md sections 1 to 9). Config.Manager nil means no Fleet
// Manager: each cluster upgrades on its own channels alone.
//
// A profile creates and starts one update run for each new release of its
// channel. A run takes the strategy's stages one after another, the groups
// of a stage in parallel and the members of a group one after another, and
// starts a member only inside its own maintenance window. Members keep
// their own AKS channels: whichever of Fleet Manager and the member's own
// channel starts first upgrades it (fleet-manager.md section 8.2).
type Manager struct {
	// Members are the clusters that joined the fleet (FleetMember), by
	// Cluster.Name, each once; nil means every cluster of Config.Clusters,
	// in that order. Runs update members only.
	Members []string
	// Strategy orders the members of every profile's runs; its groups
	// name members only. Nil: no update strategy, so each run updates the
	// members one by one, in Members order, as one stage of one group
	// (fleet-manager.md section 1).
	Strategy *UpdateStrategy
	// Profiles are the fleet's auto-upgrade profiles (section 7); names
	// unique.
	Profiles []AutoUpgradeProfile
	// Policy holds the choices the documentation leaves open (section 12),
	// each labelled an ASSUMPTION; the zero value is the proposed default.
	Policy ManagerPolicy
}

// UpdateStrategy is a Fleet update strategy (fleet-manager.md section 2):
// stages run one after another.
type UpdateStrategy struct {
	Stages []UpdateStage // at least one; run in this order
}

// UpdateStage is one stage of a strategy: its groups run in parallel, and
// the next stage starts when every group is done, AfterStageWait has
// passed and the after-stage approvals are granted (sections 2.1, 3, 4.1).
type UpdateStage struct {
	// Name is 1 to 50 characters of lowercase letters, digits and '-',
	// starting and ending with a letter or digit; unique in the strategy.
	Name   string
	Groups []UpdateGroup // 1 to MaxGroupsPerStage; run in parallel
	// AfterStageWait is afterStageWaitInSeconds: how long the run waits
	// after the stage's last member is done before the next stage; zero
	// none, at most MaxAfterStageWait. It runs at the same time as the
	// after-stage approvals (section 3). The last stage's wait delays
	// nothing, not even the run's end (section 12 item 13, ASSUMPTION).
	AfterStageWait time.Duration
	// MaxConcurrency is the most members of the stage upgrading at once
	// (maxConcurrency, preview, section 2.4), as a count: a percentage is
	// resolved against the stage's members before (rounded down, at least
	// 1). Zero means 50; at most MaxStageConcurrency.
	MaxConcurrency int
	// BeforeApprovals hold the stage until each is granted; AfterApprovals
	// hold the next stage (section 4.1).
	BeforeApprovals, AfterApprovals []Approval
	// ScheduledStarts hold the stage until each has come (before the
	// stage only, section 4.2).
	ScheduledStarts []ScheduledStart
}

// UpdateGroup is one update group: its members upgrade one after another
// (MaxConcurrency at a time), picked by maintenance window (section 2.3).
type UpdateGroup struct {
	// Name: as a stage's name; unique among the strategy's groups.
	Name string
	// Clusters are the members, by Cluster.Name: the clusters whose
	// FleetMember group property names this group. A cluster is in at most
	// one group of the strategy. Members of a window class are taken in
	// this order (ASSUMPTION memberOrder listed, section 12 item 1).
	Clusters []string
	// MaxConcurrency is the most members of the group upgrading at once,
	// as a count (see UpdateStage.MaxConcurrency). Zero means 1, the
	// documented default; at most the stage's value and the group's size.
	MaxConcurrency int
	// BeforeApprovals hold the group's first member; AfterApprovals hold
	// the group's completion (section 4.1).
	BeforeApprovals, AfterApprovals []Approval
	// ScheduledStarts hold the group's first member until each has come
	// (section 4.2).
	ScheduledStarts []ScheduledStart
}

// Approval is an approval gate (gate type Approval, section 4.1): it
// completes ManagerPolicy.ApprovalDelay after the run reaches it. Approvals
// never expire. Name is its displayName, at most 100 characters.
type Approval struct {
	Name string
}

// ScheduledStart is a scheduled start gate (gate type ScheduledStart,
// preview, fleet-manager.md section 4.2): reached at t, it completes at the
// first Day at Time, in the fixed UTC offset Offset, at or after t, so
// reached just past that minute it waits a week. Reached at that very
// minute it completes at once (ASSUMPTION: the documentation does not say).
// A member still starts only inside its own window.
type ScheduledStart struct {
	Day    time.Weekday  // startDay
	Time   time.Duration // startTime: since local midnight, whole minutes in [0, 24h)
	Offset time.Duration // utcOffset: whole minutes in [-14h, +14h]
}

// next returns the gate's first occurrence at or after t.
func (g ScheduledStart) next(t time.Time) time.Time {
	local := t.In(time.FixedZone("", int(g.Offset/time.Second)))
	y, m, d := local.Date()
	at := time.Date(y, m, d, 0, 0, 0, 0, local.Location()).Add(g.Time)
	at = at.AddDate(0, 0, (int(g.Day)-int(local.Weekday())+7)%7)
	if at.Before(t) {
		at = at.AddDate(0, 0, 7)
	}
	return at.UTC()
}

// AutoUpgradeProfile is a Fleet auto-upgrade profile (section 7): each new
// release of its channel creates and starts an update run over the
// Manager's strategy.
type AutoUpgradeProfile struct {
	// Name: as a stage's name; unique among the profiles.
	Name string
	// Channel is what the profile follows; required.
	Channel AutoUpgradeChannel
	// TargetKubernetesVersion is the "major.minor" a
	// TargetKubernetesVersion profile follows; empty for other channels.
	TargetKubernetesVersion string
	// NodeImageSelection is how a run picks node image versions (section
	// 6). The zero value is the channel's default.
	NodeImageSelection NodeImageSelection
	// Disabled: the profile creates no run (section 7.3).
	Disabled bool
}

// AutoUpgradeChannel is an auto-upgrade profile's channel (section 7.2).
type AutoUpgradeChannel uint8

const (
	// ChannelUnset is the zero value; a profile must name its channel.
	ChannelUnset AutoUpgradeChannel = iota
	// ChannelNodeImage: each new Linux node image triggers a node-image-only
	// run (upgrade type NodeImageOnly), gated by each member's
	// aksManagedNodeOSUpgradeSchedule.
	ChannelNodeImage
	// ChannelStable, ChannelRapid and ChannelTargetKubernetesVersion: each
	// new Kubernetes patch of the channel triggers a Full run (Kubernetes
	// version and node images), gated by each member's
	// aksManagedAutoUpgradeSchedule. The upstream Kubernetes stream has
	// one minor version, so Stable and Rapid follow the same releases
	// (ASSUMPTION); TargetKubernetesVersion follows the releases whose
	// version starts with its "major.minor.".
	ChannelStable
	ChannelRapid
	ChannelTargetKubernetesVersion
	numAutoUpgradeChannels
)

var autoUpgradeChannelNames = [...]string{"", "NodeImage", "Stable", "Rapid", "TargetKubernetesVersion"}

// String returns the channel's API name.
func (c AutoUpgradeChannel) String() string {
	if c < numAutoUpgradeChannels {
		return autoUpgradeChannelNames[c]
	}
	return fmt.Sprintf("AutoUpgradeChannel(%d)", c)
}

// AutoUpgradeChannelNames returns the channels' API names, NodeImage to
// TargetKubernetesVersion in the order of their values (ChannelUnset has
// none).
func AutoUpgradeChannelNames() []string {
	return slices.Clone(autoUpgradeChannelNames[ChannelNodeImage:])
}

// ParseAutoUpgradeChannel reads a channel's API name, ignoring case; else
// it returns ChannelUnset and an error that lists the names.
func ParseAutoUpgradeChannel(s string) (AutoUpgradeChannel, error) {
	return parseName(autoUpgradeChannelNames[ChannelNodeImage:], ChannelNodeImage, s)
}

// kubernetes reports whether the channel's runs upgrade Kubernetes.
func (c AutoUpgradeChannel) kubernetes() bool {
	return c == ChannelStable || c == ChannelRapid || c == ChannelTargetKubernetesVersion
}

// NodeImageSelection is how an update run picks the node image version of
// each member (fleet-manager.md section 6).
type NodeImageSelection uint8

const (
	// SelectionDefault is the channel's default: SelectionLatest for the
	// Kubernetes channels (the API's default), SelectionRelease for
	// NodeImage.
	SelectionDefault NodeImageSelection = iota
	// SelectionLatest: the newest image available in the member's region
	// when its upgrade starts (section 6.1).
	SelectionLatest
	// SelectionConsistent: picked once when the run starts, per image type,
	// the newest image available in the region of every member of the run
	// (section 6.2): the slowest region caps the version.
	SelectionConsistent
	// SelectionRelease: every member gets the release that triggered the
	// run and waits (Pending) until it reaches the member's region; the
	// default of a NodeImage profile, the only observed behaviour
	// (ASSUMPTION nodeImageChannelTarget newestRelease, section 12 item 8).
	// Kubernetes runs take SelectionLatest's image.
	SelectionRelease
	numSelections
)

var selectionNames = [...]string{"", "Latest", "Consistent", "Release"}

// String returns the selection's name.
func (s NodeImageSelection) String() string {
	if s < numSelections {
		return selectionNames[s]
	}
	return fmt.Sprintf("NodeImageSelection(%d)", s)
}

// NodeImageSelectionNames returns the selections' names in the Fleet API
// (nodeImageSelection.type), Latest and Consistent in the order of their
// values. SelectionRelease, the model's NodeImage default, is no API
// value and has no name here.
func NodeImageSelectionNames() []string {
	return slices.Clone(selectionNames[SelectionLatest:SelectionRelease])
}

// ParseNodeImageSelection reads a name of NodeImageSelectionNames,
// ignoring case; else it returns SelectionDefault and an error that lists
// them.
func ParseNodeImageSelection(s string) (NodeImageSelection, error) {
	return parseName(selectionNames[SelectionLatest:SelectionRelease], SelectionLatest, s)
}

// ManagerPolicy holds the Fleet Manager behaviour the documentation does
// not state (fleet-manager.md section 12), each an ASSUMPTION with the
// proposed default as its zero value.
type ManagerPolicy struct {
	// WindowPoll is how often Fleet Manager looks for members whose window
	// opened ("polls for open maintenance windows every 60 minutes",
	// section 5.4): a Pending member starts at the first poll at or after
	// its window opens or its target reaches its region, from a phase drawn
	// once per run (item 3). Zero means 60 minutes.
	WindowPoll time.Duration
	// NoWindowPoll turns the poll off: a Pending member starts the moment
	// it can.
	NoWindowPoll bool
	// StepLatency is the time from one member's completion to the next
	// member's start in its group (item 5; the documented sample shows
	// 50 ms). Zero: none.
	StepLatency time.Duration
	// ApprovalDelay is the time from the run reaching an approval gate to
	// its grant (item 6). Zero: granted at once, so a strategy with
	// approvals and one without agree.
	ApprovalDelay Dist
	// ApprovalWindow, when set, restricts grants to its open intervals
	// (for example business hours): a grant due outside it happens when it
	// next opens. Nil: always.
	ApprovalWindow window.Schedule
	// DeferRemainingPools holds a member's later pools when its window
	// closes during its upgrade, until its next window (+ poll), as AKS
	// does with its own operations (aks.md section 3.3 item 2); the member
	// stays upgrading meanwhile. False: the member's whole upgrade runs to
	// completion past the close (item 4, memberOverrun finish).
	DeferRemainingPools bool
	// TriggerOn is when a new release creates its run (item 7).
	TriggerOn Trigger
	// TriggerLag is added to the trigger instant (item 7). Zero: none.
	TriggerLag time.Duration
	// NewerRelease is what happens to a profile's runs in flight when a
	// newer release creates another (item 12).
	NewerRelease NewerRelease
}

// DefaultWindowPoll is Fleet Manager's documented window poll period
// (fleet-manager.md section 5.4).
const DefaultWindowPoll = 60 * time.Minute

// Trigger is when a new release creates an auto-upgrade run.
type Trigger uint8

const (
	// TriggerFirstRegion: when the release starts rolling out, in the first
	// region (the default: the documented sample run existed before its
	// image reached every member region, section 7.3).
	TriggerFirstRegion Trigger = iota
	// TriggerAllRegions: when the release has reached the region of every
	// member of the run.
	TriggerAllRegions
	numTriggers
)

var triggerNames = [...]string{"firstRegion", "allRegions"}

// String returns the trigger's name in a scenario file (fleetManager
// policy triggerOn).
func (t Trigger) String() string { return enumName(triggerNames[:], uint8(t), "Trigger") }

// TriggerNames returns the triggers' names in a scenario file, in the
// order of their values.
func TriggerNames() []string { return slices.Clone(triggerNames[:]) }

// ParseTrigger reads a trigger's name, ignoring case; else it returns the
// default and an error that lists the names.
func ParseTrigger(s string) (Trigger, error) {
	return parseName(triggerNames[:], TriggerFirstRegion, s)
}

// NewerRelease is what a newer release does to the runs in flight of the
// same profile.
type NewerRelease uint8

const (
	// ParallelRuns: the new run starts; older ones go on. A member already
	// at or ahead of a run's target is skipped by it; a member busy with
	// another operation waits (Pending). The default, following from the
	// documented trigger and skip rules (section 9).
	ParallelRuns NewerRelease = iota
	// Supersede: the older runs start no more members; members in flight
	// finish.
	Supersede
	// Queue: the new run starts when the older runs have ended.
	Queue
	numNewerReleases
)

var newerReleaseNames = [...]string{"parallelRuns", "supersede", "queue"}

// String returns the choice's name in a scenario file (fleetManager policy
// newerRelease).
func (n NewerRelease) String() string {
	return enumName(newerReleaseNames[:], uint8(n), "NewerRelease")
}

// NewerReleaseNames returns the choices' names in a scenario file, in the
// order of their values.
func NewerReleaseNames() []string { return slices.Clone(newerReleaseNames[:]) }

// ParseNewerRelease reads a choice's name, ignoring case; else it returns
// the default and an error that lists the names.
func ParseNewerRelease(s string) (NewerRelease, error) {
	return parseName(newerReleaseNames[:], ParallelRuns, s)
}

// Limits of a Fleet Manager configuration (fleet-manager.md section 10).
const (
	MaxGroupsPerStage   = 50                                         // update groups in a stage
	MaxStageConcurrency = 50                                         // stage maxConcurrency
	MaxAfterStageWait   = time.Duration(math.MaxInt32) * time.Second // afterStageWaitInSeconds is an int32
	maxFleetName        = 50                                         // stage, group and profile names
	maxApprovalName     = 100                                        // gate displayName
)

var fleetNamePattern = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// validate reports every problem of m under path p ("manager"), given the
// fleet's cluster names (index by name).
func (m *Manager) validate(p string, clusters map[string]int) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	name := func(path, n string) {
		switch {
		case n == "":
			add(path, "is required")
		case len(n) > maxFleetName || !fleetNamePattern.MatchString(n):
			add(path, "%q is not 1 to %d lowercase letters, digits and '-', starting and ending with a letter or digit", n, maxFleetName)
		}
	}
	scheduled := func(path string, gs []ScheduledStart) {
		for i, g := range gs {
			gp := fmt.Sprintf("%s[%d]", path, i)
			if g.Day < time.Sunday || g.Day > time.Saturday {
				add(gp+".day", "%d is not a weekday (0 Sunday to 6 Saturday)", g.Day)
			}
			if g.Time < 0 || g.Time >= 24*time.Hour || g.Time%time.Minute != 0 {
				add(gp+".time", "%v is not a whole minute in [0, 24h)", g.Time)
			}
			if g.Offset < -14*time.Hour || g.Offset > 14*time.Hour || g.Offset%time.Minute != 0 {
				add(gp+".offset", "%v is not a whole minute in [-14h, +14h]", g.Offset)
			}
		}
	}
	approvals := func(path string, as []Approval) {
		for i, a := range as {
			if len(a.Name) > maxApprovalName {
				add(fmt.Sprintf("%s[%d].name", path, i), "%q is longer than %d characters", a.Name, maxApprovalName)
			}
		}
	}
	members := map[string]int{}
	for i, c := range m.Members {
		mp := fmt.Sprintf("%s.members[%d]", p, i)
		if _, ok := clusters[c]; !ok {
			add(mp, "%q is not the name of a cluster of the fleet", c)
		} else if j, dup := members[c]; dup {
			add(mp, "%q is also %s.members[%d]", c, p, j)
		} else {
			members[c] = i
		}
	}
	if s := m.Strategy; s != nil {
		sp := p + ".strategy"
		if len(s.Stages) == 0 {
			add(sp+".stages", "at least one stage is required")
		}
		stages, groups := map[string]string{}, map[string]string{}
		member := map[string]string{}
		for i, st := range s.Stages {
			stp := fmt.Sprintf("%s.stages[%d]", sp, i)
			name(stp+".name", st.Name)
			if prev, dup := stages[st.Name]; dup && st.Name != "" {
				add(stp+".name", "%q is also the name of %s", st.Name, prev)
			} else {
				stages[st.Name] = stp
			}
			if len(st.Groups) == 0 || len(st.Groups) > MaxGroupsPerStage {
				add(stp+".groups", "has %d groups; a stage has 1 to %d", len(st.Groups), MaxGroupsPerStage)
			}
			if st.AfterStageWait < 0 || st.AfterStageWait > MaxAfterStageWait {
				add(stp+".afterStageWait", "%v is outside [0, %v] (afterStageWaitInSeconds is an int32)", st.AfterStageWait, MaxAfterStageWait)
			}
			stageMax := st.MaxConcurrency
			if stageMax < 0 || stageMax > MaxStageConcurrency {
				add(stp+".maxConcurrency", "%d is outside 0 (default %d) to %d", stageMax, MaxStageConcurrency, MaxStageConcurrency)
			}
			if stageMax <= 0 {
				stageMax = MaxStageConcurrency
			}
			approvals(stp+".beforeApprovals", st.BeforeApprovals)
			approvals(stp+".afterApprovals", st.AfterApprovals)
			scheduled(stp+".scheduledStarts", st.ScheduledStarts)
			for j, g := range st.Groups {
				gp := fmt.Sprintf("%s.groups[%d]", stp, j)
				name(gp+".name", g.Name)
				if prev, dup := groups[g.Name]; dup && g.Name != "" {
					add(gp+".name", "%q is also the name of %s; a group appears once in a strategy", g.Name, prev)
				} else {
					groups[g.Name] = gp
				}
				if len(g.Clusters) == 0 {
					add(gp+".clusters", "at least one member cluster is required")
				}
				if g.MaxConcurrency < 0 || g.MaxConcurrency > min(stageMax, max(len(g.Clusters), 1)) {
					add(gp+".maxConcurrency", "%d is outside 0 (default 1) to %d (the stage's maxConcurrency and the group's %d clusters)", g.MaxConcurrency, min(stageMax, max(len(g.Clusters), 1)), len(g.Clusters))
				}
				approvals(gp+".beforeApprovals", g.BeforeApprovals)
				approvals(gp+".afterApprovals", g.AfterApprovals)
				scheduled(gp+".scheduledStarts", g.ScheduledStarts)
				for k, c := range g.Clusters {
					cp := fmt.Sprintf("%s.clusters[%d]", gp, k)
					if _, ok := clusters[c]; !ok {
						add(cp, "%q is not the name of a cluster of the fleet", c)
					} else if _, ok := members[c]; !ok && m.Members != nil {
						add(cp, "%q is not a member (manager.members)", c)
					} else if prev, dup := member[c]; dup {
						add(cp, "%q is also a member of %s; a cluster is in at most one group", c, prev)
					} else {
						member[c] = cp
					}
				}
			}
		}
	}
	profiles := map[string]string{}
	for i, pr := range m.Profiles {
		pp := fmt.Sprintf("%s.profiles[%d]", p, i)
		name(pp+".name", pr.Name)
		if prev, dup := profiles[pr.Name]; dup && pr.Name != "" {
			add(pp+".name", "%q is also the name of %s", pr.Name, prev)
		} else {
			profiles[pr.Name] = pp
		}
		switch {
		case pr.Channel == ChannelUnset:
			add(pp+".channel", "is required (%s)", strings.Join(autoUpgradeChannelNames[1:], ", "))
		case pr.Channel >= numAutoUpgradeChannels:
			add(pp+".channel", "%v is not a channel (%s)", pr.Channel, strings.Join(autoUpgradeChannelNames[1:], ", "))
		}
		if pr.Channel == ChannelTargetKubernetesVersion {
			if !kubernetesMinor.MatchString(pr.TargetKubernetesVersion) {
				add(pp+".targetKubernetesVersion", "%q is not a \"major.minor\" version such as \"1.31\"", pr.TargetKubernetesVersion)
			}
		} else if pr.TargetKubernetesVersion != "" {
			add(pp+".targetKubernetesVersion", "%q is set with channel %v; it goes only with TargetKubernetesVersion", pr.TargetKubernetesVersion, pr.Channel)
		}
		if pr.NodeImageSelection >= numSelections {
			add(pp+".nodeImageSelection", "%v is not a selection (Latest, Consistent, Release)", pr.NodeImageSelection)
		}
	}
	pol := m.Policy
	pp := p + ".policy"
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"windowPoll", pol.WindowPoll}, {"stepLatency", pol.StepLatency}, {"triggerLag", pol.TriggerLag}} {
		if f.d < 0 {
			add(pp+"."+f.name, "%v must not be negative", f.d)
		}
	}
	errs = append(errs, pol.ApprovalDelay.validate(pp+".approvalDelay")...)
	if pol.TriggerOn >= numTriggers {
		add(pp+".triggerOn", "%d is not a trigger (0 firstRegion, 1 allRegions)", pol.TriggerOn)
	}
	if pol.NewerRelease >= numNewerReleases {
		add(pp+".newerRelease", "%d is not a choice (0 parallelRuns, 1 supersede, 2 queue)", pol.NewerRelease)
	}
	return errs
}

var kubernetesMinor = regexp.MustCompile(`^[0-9]+\.[0-9]+$`)

// warnings returns what in m is valid but worth a note: a member whose own
// channel stays active beside a profile of the same kind (whichever starts
// first upgrades it, fleet-manager.md section 8.2 and section 12 item 9), a
// member in no group of the strategy (its runs do not update it, item
// 18), and a NodeImage profile set to Latest, which Azure does not offer
// (section 7.2).
func (m *Manager) warnings(clusters []Cluster) []string {
	var out []string
	nodeImage, kubernetes := false, false
	for _, p := range m.Profiles {
		if p.Disabled {
			continue
		}
		nodeImage = nodeImage || p.Channel == ChannelNodeImage
		kubernetes = kubernetes || p.Channel.kubernetes()
		if p.Channel == ChannelNodeImage && p.NodeImageSelection == SelectionLatest {
			out = append(out, fmt.Sprintf("fleet: manager: profile %s: a NodeImage profile always uses a consistent image and the CLI refuses a selection; Latest is simulated as a what-if", p.Name))
		}
	}
	inGroup := map[string]bool{}
	if m.Strategy != nil {
		for _, s := range m.Strategy.Stages {
			for _, g := range s.Groups {
				for _, c := range g.Clusters {
					inGroup[c] = true
				}
			}
		}
	}
	for _, cl := range m.memberClusters(clusters) {
		if m.Strategy != nil && !inGroup[cl.Name] {
			out = append(out, fmt.Sprintf("fleet: manager: member %s is in no update group; Fleet Manager's runs do not update it", cl.Name))
			continue
		}
		if nodeImage && cl.NodeOSChannel != channel.NodeOSNone {
			out = append(out, fmt.Sprintf("fleet: manager: member %s keeps its own node OS channel %s beside a NodeImage profile; whichever starts first upgrades it", cl.Name, nodeOSName(cl.NodeOSChannel)))
		}
		if kubernetes && cl.ClusterChannel != channel.ClusterNone {
			out = append(out, fmt.Sprintf("fleet: manager: member %s keeps its own cluster channel %s beside a Kubernetes profile; whichever starts first upgrades it", cl.Name, cl.ClusterChannel))
		}
	}
	return out
}

// memberClusters returns the members' clusters, in Members order.
func (m *Manager) memberClusters(clusters []Cluster) []Cluster {
	if m.Members == nil {
		return clusters
	}
	byName := map[string]Cluster{}
	for _, cl := range clusters {
		byName[cl.Name] = cl
	}
	out := make([]Cluster, 0, len(m.Members))
	for _, name := range m.Members {
		out = append(out, byName[name])
	}
	return out
}

// nodeOSName names ch as the cluster runs it: unset is NodeImage.
func nodeOSName(ch channel.NodeOSChannel) channel.NodeOSChannel {
	if ch == channel.NodeOSUnset {
		return channel.NodeOSNodeImage
	}
	return ch
}
