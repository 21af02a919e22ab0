// Upgrade settings: the one home of each AKS upgradeSettings rule (aks.md
// section 4.1): its default and its validation. Scenario files and imports
// parse into [UpgradeSettings] and are checked by [UpgradeSettings.Check].

package fleet

import (
	"fmt"
	"slices"
	"time"
)

// UpgradeSettings are a pool's AKS upgradeSettings (aks.md section 4.1).
// The zero value of each field is unset and takes the AKS default of
// [UpgradeSettings.WithDefaults].
type UpgradeSettings struct {
	// MaxSurge is how many surge nodes a rollout adds; unset means 10%
	// ([DefaultMaxSurge]).
	MaxSurge Quantity
	// MaxUnavailable is how many existing nodes a rollout takes down at once
	// beyond those the surge nodes stand in for; unset means 0. Not allowed
	// on System pools.
	MaxUnavailable Quantity
	// DrainTimeout bounds a node's drain (drainTimeoutInMinutes); zero means
	// 30 minutes, otherwise [MinDrainTimeout] to [MaxDrainTimeout].
	DrainTimeout time.Duration
	// NodeSoak is the wait after draining a node and before reimaging it
	// (nodeSoakDurationInMinutes), 0 to [MaxNodeSoak].
	NodeSoak time.Duration
	// Undrainable is undrainableNodeBehavior; zero is UndrainableSchedule.
	Undrainable Undrainable
	// MaxBlockedNodes is how many undrainable nodes Cordon tolerates; unset
	// means MaxSurge. It must not be below MaxSurge.
	MaxBlockedNodes Quantity
}

// Ranges of the duration settings. The API accepts a drain timeout from 1
// minute; the docs and a 2024 validation require 5 (aks.md sections 4.1 and
// 9): the current minimum is what AKS rejects below.
const (
	MinDrainTimeout = 5 * time.Minute
	MaxDrainTimeout = 24 * time.Hour
	MaxNodeSoak     = 30 * time.Minute
)

// DefaultMaxSurge returns AKS's default maxSurge for a pool on Kubernetes
// major.minor: 10% from 1.32 (API 2025-10-01 "If not specified, the default
// is 10%"; release 2025-03-16 "Default maxSurge value to 10% for all new
// and existing clusters with Kubernetes versions >= 1.32.0"), 1 node before
// (the historic default; aks.md sections 4.1 and 9).
func DefaultMaxSurge(major, minor int) Quantity {
	if major > 1 || major == 1 && minor >= 32 {
		return Percent(10)
	}
	return Nodes(1)
}

// DefaultUpgradeSettings returns the AKS defaults (aks.md section 4.1):
// maxSurge 10% (Kubernetes >= 1.32, [DefaultMaxSurge]), maxUnavailable 0,
// drain timeout 30 minutes, no soak, Schedule, maxBlockedNodes = maxSurge.
func DefaultUpgradeSettings() UpgradeSettings {
	return UpgradeSettings{MaxSurge: DefaultMaxSurge(1, 32), MaxUnavailable: Nodes(0), DrainTimeout: 30 * time.Minute,
		Undrainable: UndrainableSchedule, MaxBlockedNodes: DefaultMaxSurge(1, 32)}
}

// WithDefaults returns u with every unset field at its AKS default
// ([DefaultUpgradeSettings]; an unset MaxBlockedNodes takes MaxSurge).
func (u UpgradeSettings) WithDefaults() UpgradeSettings {
	d := DefaultUpgradeSettings()
	if !u.MaxSurge.Set {
		u.MaxSurge = d.MaxSurge
	}
	if !u.MaxUnavailable.Set {
		u.MaxUnavailable = d.MaxUnavailable
	}
	if u.DrainTimeout == 0 {
		u.DrainTimeout = d.DrainTimeout
	}
	if !u.MaxBlockedNodes.Set {
		u.MaxBlockedNodes = u.MaxSurge
	}
	return u
}

// SettingError is a problem with one upgrade setting, named as AKS names it
// ("maxSurge", "drainTimeoutInMinutes", ...).
type SettingError struct {
	Setting string
	Msg     string // the value and what is allowed
}

func (e *SettingError) Error() string { return "fleet: " + e.Setting + ": " + e.Msg }

// Check returns every problem of u for a pool of nodes nodes (System mode
// when system), each naming its setting: what AKS rejects (aks.md section
// 4.1). An unset field is checked at its default.
func (u UpgradeSettings) Check(nodes int, system bool) []*SettingError {
	var errs []*SettingError
	add := func(setting, format string, args ...any) {
		errs = append(errs, &SettingError{Setting: setting, Msg: fmt.Sprintf(format, args...)})
	}
	for _, q := range []struct {
		name string
		q    Quantity
	}{{"maxSurge", u.MaxSurge}, {"maxUnavailable", u.MaxUnavailable}, {"maxBlockedNodes", u.MaxBlockedNodes}} {
		if q.q.Value < 0 {
			add(q.name, "%q must not be negative", q.q.String())
		}
		if q.q.Percent && q.q.Value > 100 {
			add(q.name, "%q is over 100%%", q.q.String())
		}
		if !q.q.Percent && q.q.Value > MaxPoolNodes {
			add(q.name, "%q is over the %d nodes a pool holds", q.q.String(), MaxPoolNodes)
		}
	}
	if msg := CheckDrainTimeout(u.DrainTimeout); u.DrainTimeout != 0 && msg != "" {
		add("drainTimeoutInMinutes", "%s", msg)
	}
	if u.NodeSoak < 0 || u.NodeSoak > MaxNodeSoak {
		add("nodeSoakDurationInMinutes", "%v is outside 0 to %d minutes", u.NodeSoak, MaxNodeSoak/time.Minute)
	}
	if u.Undrainable > UndrainableCordon {
		add("undrainableNodeBehavior", "%v is not Schedule or Cordon", u.Undrainable)
	}
	eff := u.WithDefaults()
	if nodes >= 1 && eff.MaxSurge.Resolve(nodes) == 0 && eff.MaxUnavailable.Resolve(nodes) == 0 {
		add("maxSurge", "%q with maxUnavailable %q: AKS requires maxSurge above 0 when maxUnavailable is 0", eff.MaxSurge.String(), eff.MaxUnavailable.String())
	}
	if system && eff.MaxUnavailable.Value != 0 {
		add("maxUnavailable", "%q is not allowed on a System pool", eff.MaxUnavailable.String())
	}
	if u.MaxBlockedNodes.Set && eff.MaxBlockedNodes.Resolve(nodes) < eff.MaxSurge.Resolve(nodes) {
		add("maxBlockedNodes", "%q is below maxSurge %q; AKS requires maxBlockedNodes >= maxSurge", u.MaxBlockedNodes.String(), eff.MaxSurge.String())
	}
	return errs
}

// CheckDrainTimeout returns what is wrong with drain timeout d, or "": AKS
// takes [MinDrainTimeout] to [MaxDrainTimeout].
func CheckDrainTimeout(d time.Duration) string {
	if d < MinDrainTimeout || d > MaxDrainTimeout {
		return fmt.Sprintf("%v is outside %d to %d minutes", d, MinDrainTimeout/time.Minute, MaxDrainTimeout/time.Minute)
	}
	return ""
}

// Undrainable is AKS undrainableNodeBehavior: what a rollout does with a
// node whose drain exceeds the drain timeout (aks.md section 4.1).
type Undrainable uint8

const (
	// UndrainableSchedule (AKS "Schedule") leaves the blocked node
	// schedulable on its old image, goes on with the other nodes and ends
	// the operation failed.
	UndrainableSchedule Undrainable = iota
	// UndrainableCordon (AKS "Cordon") quarantines the blocked node, keeps
	// one surge node in its place and continues while blocked nodes stay
	// within MaxBlockedNodes; the operation ends failed, or canceled when
	// the blocked nodes outnumber the surge nodes.
	UndrainableCordon
)

var undrainableNames = [...]string{"Schedule", "Cordon"}

// String returns the AKS spelling.
func (u Undrainable) String() string {
	if int(u) < len(undrainableNames) {
		return undrainableNames[u]
	}
	return fmt.Sprintf("Undrainable(%d)", uint8(u))
}

// ParseUndrainable reads an undrainableNodeBehavior, ignoring case; "" is
// Schedule, the default.
func ParseUndrainable(s string) (Undrainable, error) {
	if s == "" {
		return UndrainableSchedule, nil
	}
	return parseName(undrainableNames[:], UndrainableSchedule, s)
}

// UndrainableNames returns the behaviours' AKS spellings, in the order of
// their values.
func UndrainableNames() []string { return slices.Clone(undrainableNames[:]) }
