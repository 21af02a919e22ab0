package channel

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/patchsim/patchsim/sim"
)

// NodeOSChannel is a node pool's node OS auto-upgrade channel
// (autoUpgradeProfile.nodeOSUpgradeChannel). The zero value is NodeOSUnset:
// the field was not given, which is not the same as an explicit channel.
type NodeOSChannel uint8

const (
	NodeOSUnset         NodeOSChannel = iota // not specified; resolves to NodeImage
	NodeOSNone                               // None: nothing is applied
	NodeOSUnmanaged                          // Unmanaged: nightly in-place packages
	NodeOSSecurityPatch                      // SecurityPatch: security snapshots, live patch or reimage
	NodeOSNodeImage                          // NodeImage: rolling reimage to the newest image
)

var nodeOSNames = [...]string{"", "None", "Unmanaged", "SecurityPatch", "NodeImage"}

// String returns the AKS spelling ("None", "Unmanaged", "SecurityPatch",
// "NodeImage"), or "" for NodeOSUnset.
func (c NodeOSChannel) String() string {
	if int(c) < len(nodeOSNames) {
		return nodeOSNames[c]
	}
	return fmt.Sprintf("NodeOSChannel(%d)", c)
}

// ParseNodeOSChannel parses an AKS node OS channel, ignoring case; the empty
// string is NodeOSUnset. The error lists the valid values.
func ParseNodeOSChannel(s string) (NodeOSChannel, error) {
	for i, n := range nodeOSNames {
		if strings.EqualFold(s, n) {
			return NodeOSChannel(i), nil
		}
	}
	return 0, fmt.Errorf("channel: node OS channel %q: want one of %s (or empty for unset)", s, strings.Join(nodeOSNames[1:], ", "))
}

// NodeOSChannelNames returns the AKS spellings of the node OS channels,
// None to NodeImage in the order of their values (NodeOSUnset has none).
func NodeOSChannelNames() []string { return slices.Clone(nodeOSNames[NodeOSNone:]) }

// ClusterChannel is the cluster auto-upgrade channel
// (autoUpgradeProfile.upgradeChannel). The zero value is ClusterNone, the
// API default (reference/aks.md section 2).
type ClusterChannel uint8

const (
	ClusterNone      ClusterChannel = iota // none: no auto-upgrade
	ClusterPatch                           // patch: latest patch of the current minor
	ClusterStable                          // stable: latest patch of minor N-1
	ClusterRapid                           // rapid: latest patch of the latest minor
	ClusterNodeImage                       // node-image (legacy): node images only; forces NodeImage
)

var clusterNames = [...]string{"none", "patch", "stable", "rapid", "node-image"}

// String returns the AKS spelling ("none", "patch", "stable", "rapid",
// "node-image").
func (c ClusterChannel) String() string {
	if int(c) < len(clusterNames) {
		return clusterNames[c]
	}
	return fmt.Sprintf("ClusterChannel(%d)", c)
}

// ParseClusterChannel parses an AKS cluster auto-upgrade channel, ignoring
// case; the empty string is ClusterNone (the API default). The error lists
// the valid values.
func ParseClusterChannel(s string) (ClusterChannel, error) {
	if s == "" {
		return ClusterNone, nil
	}
	for i, n := range clusterNames {
		if strings.EqualFold(s, n) {
			return ClusterChannel(i), nil
		}
	}
	return 0, fmt.Errorf("channel: cluster channel %q: want one of %s", s, strings.Join(clusterNames[:], ", "))
}

// ClusterChannelNames returns the AKS spellings of the cluster channels,
// in the order of their values.
func ClusterChannelNames() []string { return slices.Clone(clusterNames[:]) }

// Feed is the source of content a node OS channel applies.
type Feed uint8

const (
	FeedNone            Feed = iota // nothing
	FeedArchive                     // the distribution archive, installed nightly ([NightlyInstall])
	FeedSecurityPatches             // SecurityPatch snapshots ([Upstream.SecurityPatches])
	FeedNodeImages                  // Linux node images ([Upstream.NodeImages])
	FeedWindowsImages               // Windows images ([Upstream.WindowsImages])
)

var feedNames = [...]string{"none", "archive", "security-patches", "node-images", "windows-images"}

// String returns the feed's name.
func (f Feed) String() string {
	if int(f) < len(feedNames) {
		return feedNames[f]
	}
	return fmt.Sprintf("Feed(%d)", f)
}

// Stream returns the release stream that feed f reads: node images,
// Windows images or SecurityPatch snapshots; nil for FeedNone and for
// FeedArchive, whose packages are installed nightly rather than released.
func (u *Upstream) Stream(f Feed) *Stream {
	switch f {
	case FeedNodeImages:
		return &u.NodeImages
	case FeedWindowsImages:
		return &u.WindowsImages
	case FeedSecurityPatches:
		return &u.SecurityPatches
	}
	return nil
}

// Images returns the stream of node images of os: NodeImages for Linux,
// WindowsImages for Windows.
func (u *Upstream) Images(os OS) *Stream {
	if os == OSWindows {
		return &u.WindowsImages
	}
	return &u.NodeImages
}

// Action is how one release applies to a node.
type Action uint8

const (
	// ActionNone: nothing changes on the node.
	ActionNone Action = iota
	// ActionLivePatch: packages are updated in place without a drain;
	// userspace fixes take effect at once, kernel fixes only after a reboot
	// (which AKS itself never does for Unmanaged).
	ActionLivePatch
	// ActionReimage: a rolling reimage (cordon, drain, new OS disk) to the
	// release; userspace and kernel fixes take effect when the node rejoins.
	ActionReimage
)

var actionNames = [...]string{"none", "live-patch", "reimage"}

// String returns the action's name.
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", a)
}

// Resolution is what a pool's channels resolve to.
type Resolution struct {
	OS      OS
	NodeOS  NodeOSChannel  // the effective node OS channel (never NodeOSUnset)
	Cluster ClusterChannel // the cluster channel
	Feed    Feed           // where content comes from
	// Gated reports that node OS updates wait for the
	// aksManagedNodeOSUpgradeSchedule maintenance window.
	Gated bool
	// KubernetesUpgrades reports that the cluster channel applies
	// Kubernetes patch versions ([Upstream.Kubernetes]), in the
	// aksManagedAutoUpgradeSchedule window; each upgrade also reimages the
	// nodes to the newest node image.
	KubernetesUpgrades bool
	// Warnings says where the effective policy differs from what was asked.
	Warnings []string
}

// Errors naming the rule an invalid combination breaks; Resolve wraps them.
var (
	// ErrSecurityPatchOnWindows: SecurityPatch "isn't supported on Windows
	// OS node pools" (reference/aks.md section 1.5).
	ErrSecurityPatchOnWindows = errors.New("channel: node OS channel SecurityPatch is not supported on Windows pools")
	// ErrNodeImageClusterChannel: cluster channel node-image forces node OS
	// channel NodeImage, and it cannot be changed (reference/aks.md
	// section 1.4).
	ErrNodeImageClusterChannel = errors.New("channel: cluster channel node-image requires node OS channel NodeImage")
)

// Resolve returns the effective policy of a pool with the given OS, node OS
// channel and cluster channel. Rules (reference/aks.md sections 1.1, 1.4,
// 1.5, 2):
//   - an unset node OS channel is NodeImage (the default since API
//     2023-06-01);
//   - cluster channel node-image forces NodeImage; another explicit node OS
//     channel with it is an error wrapping [ErrNodeImageClusterChannel];
//   - SecurityPatch on Windows is an error wrapping
//     [ErrSecurityPatchOnWindows];
//   - Unmanaged on Windows behaves as None, with a warning;
//   - Unmanaged ignores maintenance windows; SecurityPatch and NodeImage
//     wait for them;
//   - cluster channels patch, stable and rapid upgrade Kubernetes, and every
//     upgrade reimages to the newest node image.
//
// Invalid channel values are errors too.
func Resolve(os OS, nodeOS NodeOSChannel, cluster ClusterChannel) (Resolution, error) {
	var errs []error
	if os > OSWindows {
		errs = append(errs, fmt.Errorf("channel: OS %v: want Linux or Windows", os))
	}
	if nodeOS > NodeOSNodeImage {
		errs = append(errs, fmt.Errorf("channel: node OS channel %v: want one of %s", nodeOS, strings.Join(nodeOSNames[1:], ", ")))
	}
	if cluster > ClusterNodeImage {
		errs = append(errs, fmt.Errorf("channel: cluster channel %v: want one of %s", cluster, strings.Join(clusterNames[:], ", ")))
	}
	if cluster == ClusterNodeImage && nodeOS != NodeOSUnset && nodeOS != NodeOSNodeImage {
		errs = append(errs, fmt.Errorf("%w, not %s", ErrNodeImageClusterChannel, nodeOS))
	}
	if os == OSWindows && nodeOS == NodeOSSecurityPatch {
		errs = append(errs, ErrSecurityPatchOnWindows)
	}
	if len(errs) > 0 {
		return Resolution{}, errors.Join(errs...)
	}
	p := Resolution{OS: os, NodeOS: nodeOS, Cluster: cluster}
	if p.NodeOS == NodeOSUnset {
		p.NodeOS = NodeOSNodeImage
	}
	if os == OSWindows && p.NodeOS == NodeOSUnmanaged {
		p.NodeOS = NodeOSNone
		p.Warnings = append(p.Warnings, "channel: node OS channel Unmanaged on a Windows pool behaves as None: Windows does not apply patches in place")
	}
	switch p.NodeOS {
	case NodeOSUnmanaged:
		p.Feed = FeedArchive
	case NodeOSSecurityPatch:
		p.Feed, p.Gated = FeedSecurityPatches, true
	case NodeOSNodeImage:
		p.Feed, p.Gated = FeedNodeImages, true
		if os == OSWindows {
			p.Feed = FeedWindowsImages
		}
	}
	p.KubernetesUpgrades = cluster == ClusterPatch || cluster == ClusterStable || cluster == ClusterRapid
	return p, nil
}

// Action returns how a release of the resolved feed applies to a node;
// newKernel reports that the release carries a kernel newer than the one
// the node runs (the caller knows the node; Release.NewKernel only compares
// with the previous release). SecurityPatch reimages for a newer kernel and
// live-patches otherwise (reference/aks.md section 1.1: reimage "only when
// necessary, such as for certain kernel security packages"); node and
// Windows images reimage; the Unmanaged archive installs in place, leaving
// kernel fixes pending a reboot; None does nothing.
func (p Resolution) Action(newKernel bool) Action {
	switch p.Feed {
	case FeedArchive:
		return ActionLivePatch
	case FeedSecurityPatches:
		if newKernel {
			return ActionReimage
		}
		return ActionLivePatch
	case FeedNodeImages, FeedWindowsImages:
		return ActionReimage
	}
	return ActionNone
}

// MaxChangeDelay is how long a change of channel may take to take effect:
// "allow up to 24 hours for the changes to take effect" (reference/aks.md
// section 1.4).
const MaxChangeDelay = 24 * time.Hour

// ChangeEffective returns when a channel change requested at t for pool takes
// effect: t plus a delay uniform in [0, maxDelay) drawn by hashing (seed,
// pool, t). Use [MaxChangeDelay] for the documented bound; maxDelay <= 0
// means at once. It is deterministic and does not allocate.
func ChangeEffective(seed uint64, pool string, t time.Time, maxDelay time.Duration) time.Time {
	if maxDelay <= 0 {
		return t
	}
	h := sim.Mix(seed^sim.Hash("channel-change"), sim.Hash(pool), uint64(t.UnixNano()))
	return t.Add(time.Duration(uniform(h, uint64(maxDelay))))
}

// ChangeReimages reports whether changing the node OS channel from one
// value to another triggers a rolling reimage: exactly on the transitions the
// current documentation lists, Unmanaged->None and
// Unspecified/SecurityPatch/NodeImage/None->Unmanaged, or on any change when
// legacyAnyChange is set (the documentation before mid-2025); see
// reference/aks.md section 1.4. An unset channel (Unspecified) counts as
// NodeImage, its effective value, so NodeImage and unset never differ.
func ChangeReimages(from, to NodeOSChannel, legacyAnyChange bool) bool {
	if from == NodeOSUnset {
		from = NodeOSNodeImage
	}
	if to == NodeOSUnset {
		to = NodeOSNodeImage
	}
	if from == to {
		return false
	}
	if legacyAnyChange {
		return true
	}
	return to == NodeOSUnmanaged || from == NodeOSUnmanaged && to == NodeOSNone
}
