// Package fleet simulates a fleet of AKS clusters over a horizon: node OS
// channel work (NodeImage and SecurityPatch reimages, SecurityPatch live
// patches, Unmanaged nightly installs and kured reboots), Kubernetes
// upgrades and channel changes, gated by maintenance windows and carried out
// as rolling reimages with surge, drain, soak and PDB blocking. It records
// the vulnerability exposure and the disruption they cause.
//
// [Run] takes a [Config] (the fleet, the upstream content from package
// channel, the horizon and a seed) and returns a [Result]. The same Config
// gives a deeply equal Result.
//
// # Exposure
//
// Every node carries two content cuts: its installed userspace and its
// running kernel. Advisory f, published at P, is open on a node while the
// relevant cut is before P (DESIGN.md section 3.1). Its exposure on that
// node is the time from P (or from the node's creation, for a node created
// after P) until the node first runs a fix, while its SLA age runs from P
// whatever the creation: [Exposure.WithinSLA] and the past-SLA figures read
// the SLA age (DESIGN.md sections 3.1 and 3.6). A cut that moves
// backwards reopens advisories; the reopened time counts as vulnerable time
// and in [Exposure.Reopened]. Pairs still open at the end are
// right-censored, and quantiles use the Kaplan-Meier estimator.
// Each first remediation is split into [Stage]s by what delivered the fix
// (the release's cut, publication and arrival in the region, the
// operation's start), so [Exposure.Stages] says where the mean exposure
// ([Exposure.RestrictedMean]) comes from.
// The recorder costs O(nodes x (advisories + cut changes)).
//
// # Rollout (reference/aks.md sections 3.3 and 4)
//
//   - Work starts only inside a window (the cluster's
//     aksManagedNodeOSUpgradeSchedule for node OS work,
//     aksManagedAutoUpgradeSchedule for Kubernetes upgrades); without one,
//     AKS's own cadence from a random phase: weekly by default, daily for
//     SecurityPatch ([WindowPolicy.SecurityPatchCadence]). A live-patch pass
//     starts only with its 10-minute spread left in the window.
//   - Pools are upgraded one after another. The pool in flight finishes
//     after its window closes; later pools are deferred and resume first in
//     the next window, with the targets selected then, before newer work
//     starts; [WindowPolicy.CatchUp] resumes them outside windows instead.
//     A release that reaches the region while the window is open leads to
//     another pass, unless [WindowPolicy.OnePass].
//   - In a pool: surge nodes are added (all ready before the first drain),
//     then batches of min(surge + unavailable, remaining) nodes are cordoned,
//     drained, soaked and reimaged; the batch's nodes become the next batch's
//     buffer; surge nodes go at the end.
//   - A drain that reaches the drain timeout: under Schedule the node is
//     made schedulable on its old content and the rollout goes on with the
//     other nodes; under Cordon it is quarantined with a surge node retained
//     in its place, and the rollout goes on with one buffer node less,
//     stopping when none is left or when more than maxBlockedNodes are
//     blocked. Either way the operation ends failed, or canceled when under
//     Cordon the blocked nodes outnumber the surge nodes.
//   - SecurityPatch: a snapshot without a new kernel is live-patched on
//     every node within 10 minutes of the window opening, without a drain; a
//     snapshot after a new kernel is a rolling reimage.
//   - Unmanaged: each node installs the archive nightly at 06:00 UTC plus
//     up to an hour; kernel fixes wait for a reboot, which only kured does.
//     In a cluster without kured, channel changes or Kubernetes upgrades
//     nothing else touches those nodes, so an untraced run installs each
//     node's nights in one pass instead of one event per node-night, with
//     the same result to the last bit (the recorder's sums are exact).
//   - Kubernetes upgrades (cluster channels patch, stable, rapid) reimage
//     every node to the newest image.
//   - An autoscaled pool ([Autoscale]) follows a weekly demand profile: the
//     missing nodes join after the provisioning time; surplus ready nodes
//     go after the unneeded time (10 minutes), the newest first by
//     default; nodes may have lifetimes. A new node boots the pool's node
//     image version, which a rollout moves to its target when it starts and
//     a SecurityPatch live patch to its snapshot; under Unmanaged it then
//     installs nightly, under None it stays. A removed node's exposure stops
//     and its open pairs are censored (aks.md section 11).
//
// # Fleet Manager (reference/fleet-manager.md section 13)
//
// [Config.Manager] adds Azure Kubernetes Fleet Manager over the clusters:
// each enabled [AutoUpgradeProfile] creates an update run per new release
// of its channel, which takes the [UpdateStrategy]'s stages in order, the
// groups of a stage in parallel and a group's members one at a time. A
// member starts only inside its own maintenance window, once its target
// reached its region and its cluster has no other operation, and then
// upgrades all its pools with the rollout above. Latest, Consistent or the
// triggering release choose the image. [Result.Manager] gives every run,
// stage and member, and the fleet-level metrics.
//
// Every duration without a published figure is a parameter with a default
// labelled as an assumption; see [DefaultDurations] and [ManagerPolicy].
package fleet
