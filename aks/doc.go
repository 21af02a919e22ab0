// Package aks reads what AKS and Kubernetes print about a real cluster into
// faithful, validated Go values: the managed cluster of `az aks show -o json`
// (or the ARM managedCluster), the nodes of `kubectl get nodes -o json`, and
// node image versions. Facts cite sections of reference/aks.md.
//
// # Entry points
//
//   - [ParseCluster]: location, Kubernetes versions, the cluster and node OS
//     auto-upgrade channels, and each agent pool with its image version and
//     upgrade settings (read by plan.UpgradeSettings.Settings, checked by
//     fleet.UpgradeSettings.Check: the rules scenario files follow), AKS
//     defaults filled in and listed in [Cluster.Defaulted].
//   - [ParseNodes]: each node's pool, OS, region, instance type, parsed
//     [ImageVersion], kernel and OS image, and the list's observation time
//     ([NodeList.Observed]).
//   - [ParseImageVersion] for a single node image version.
//   - [Import]: the parsed cluster, its maintenance configurations and its
//     nodes as a plan.Scenario that starts from the cluster's state, with
//     warnings for everything that could not be taken as given.
//
// # Starting state
//
// Each imported node starts with the content cuts of its image version
// ([InitialState]): userspace at the security-patch date when the label has
// one (a live patch moves every package to that SecurityPatch snapshot,
// aks.md 1.2 and 5), else at the image build date; the running kernel at
// the build date. That the kernel is the image's is an ASSUMPTION: the
// label does not say whether a SecurityPatch reimage brought a newer one.
//
// # Input shapes
//
// az flattens the ARM "properties" object and spells some keys differently
// (nodeOsUpgradeChannel for nodeOSUpgradeChannel, osSku for osSKU); both
// shapes and both spellings are accepted, keys matching case-insensitively
// as encoding/json matches struct fields. null means unset, as does a missing
// key; unknown fields are ignored.
//
// # Errors
//
// A parser reports every problem it finds at once, as the errors.Join of
// [*Error] values, each naming the file, the JSON path, the pool or node, the
// offending value and what is allowed. A missing value the model needs is an
// error unless AKS documents a default, which is then applied.
//
// # Why not k8s.io/api
//
// The node reader uses small structs of its own rather than k8s.io/api/core/v1.
// It needs nine fields of a Node; k8s.io/api would pull in k8s.io/apimachinery,
// protobuf, klog and their dependencies for every user of this module, and its
// strict typed decoding stops at the first bad value, whereas here every value
// is decoded on its own so that all problems are reported with their paths.
// The fields read are stable parts of the v1 Node API, so fidelity is not at
// risk.
package aks
