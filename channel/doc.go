// Package channel says what content exists upstream, when it reaches a
// cluster, and what each AKS upgrade channel does with it.
//
// # Content
//
// An [Advisory] is a security fix published upstream at an instant, with a
// [Severity] and a [Class]: a [Kernel] fix is effective only once a node boots
// a kernel that has it, a [Userspace] fix once the package is installed.
// A [Release] is one build of content (a node image, a SecurityPatch snapshot,
// a Windows image, a Kubernetes patch version). Its Cut is the single source
// of truth for what it contains: [Release.Contains] holds exactly for the
// advisories of its OS published at or before the cut.
//
// # Cadences and upstream
//
// A [Cadence] yields the build instants of a release stream: periodic with
// jitter, RFC 5545 RRULE, Poisson, Erlang renewal (a Poisson process with a
// dead time and a more regular gap) or replay of a dated trace read by
// [ReadTrace]. [Generate] draws one replication of everything upstream (an
// [Upstream]: advisories, kernel releases, node images, SecurityPatch
// snapshots, Windows images and Kubernetes patch versions) from a [Config].
// Each component draws from its own named random stream (sim.Stream), so
// changing one cadence never changes another component's numbers, and every
// variant of a scenario can share the same upstream (common random numbers).
// [DefaultConfig] is calibrated on the AKS release history of 2024-2025
// (reference/aks.md sections 1.3 and 6); [History] replays that history
// itself: the real node images with the kernel inside each, SecurityPatch
// snapshots with their new-kernel flags and the kernel releases they imply,
// all from one trace, with their real publication dates.
//
// A [Stream] rolls out region by region in a safe-deployment order: each
// region has a place in the order ([Wave], drawn by hashing (seed, region))
// and gets every release of every stream that fraction of the stream's
// Rollout after the release starts rolling out, never before an earlier
// release of the same stream. [Stream.Available] and [Stream.Latest] are
// allocation-free. [NightlyInstall] gives the Unmanaged channel's nightly
// package run of a node.
//
// # Channels
//
// [NodeOSChannel] and [ClusterChannel] parse the AKS spellings; [Resolve]
// turns a pool's OS and both channels into a [Resolution]: the feed that supplies
// the pool, whether it waits for the maintenance window, how each release
// applies ([Resolution.Action]) and any warnings. Invalid combinations are errors
// naming the rule. [ChangeReimages] and [ChangeEffective] model a change of
// node OS channel.
package channel
