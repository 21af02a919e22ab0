// Package plan runs what-ifs: which node OS channel, maintenance window and
// rollout settings give a fleet the least vulnerability exposure for the
// disruption one accepts.
//
// A [Scenario] describes the fleet (clusters, pools, AKS maintenance
// configurations and upgrade settings, with AKS's field names), the content
// upstream (calibrated defaults, overrides, traces), the horizon, the seed,
// the replications and the variants to compare: named overrides and grids
// (the scenario as it is first, then channel x window day x start hour x
// duration x stagger x maxSurge ...; window axes change only their field of
// each cluster's own window). [Parse] and
// [Load] read YAML or JSON and reject unknown fields; [Scenario.Validate]
// lists every problem with its path; nothing runs on invalid input.
//
// [New] prepares a scenario; [Experiment.Compare] runs every (variant,
// replication) pair on all cores and summarises them. Every variant of a
// replication sees the same advisories and releases and the same fleet
// seed (common random numbers), so differences between variants are
// paired: [Summary.Diff] gives each metric's paired difference against the
// first variant with its 95% confidence interval, much tighter than the
// difference of two independent means. The output is identical for a seed
// whatever the number of workers.
//
// [Experiment.Run] runs any subset of the pairs and [Experiment.Summarize] turns the
// pairs, from any number of machines, into the same [Comparison]. Pairs are
// numbered replication-major ([Experiment.Pair]).
//
// # Metrics
//
// [Metrics] lists what every replication measures: per severity, the mean
// exposure restricted to the horizon (the area under the Kaplan-Meier
// survival curve, so pairs still open count), the p50, p90, p95, p99 and max
// exposure in days (Kaplan-Meier, +Inf when the quantile is not reached
// within the horizon), the share remediated within
// SLA, the share still open at the end and the vulnerable node-days; the
// mean daily share of nodes past SLA; and the disruption: reimages and
// reboots per node-month, live patches, evictions, node-hours unavailable,
// lowest available capacity, surge node-hours, operations, failed and
// out-of-window operations, blocked drains, quarantined nodes. A pair's
// exposure runs from the later of its advisory's publication and its node's
// creation (a node an autoscaled pool added); its SLA age, which the
// within-SLA share and the share of nodes past SLA read, from the
// publication whatever the creation.
//
// # Frontier and recommendation
//
// The [Objective] names an exposure and a disruption metric (by default
// high p95 exposure and reimages per node-month). Both, and the
// constraints, are read at [Stat.Value]: for exposure quantiles the
// [Pooled] estimate over every replication's pairs, which one replication
// that never reaches the quantile cannot turn into +Inf; for other metrics
// the mean over replications. [Comparison.Frontier] lists the variants no
// other beats on both; the [Recommendation] is the variant with the lowest
// exposure among those meeting every [Constraint], with the runner-up, the
// paired margin between them and the variants a sign test cannot tell
// from it, or, when none is feasible, the closest and how it misses.
// Variants whose clusters come out identical run once.
//
// # Racing
//
// [Experiment.Race] spends fewer pairs on a large grid: it runs
// replications in rounds on common random numbers and drops, after each
// round, the variants that miss a constraint or are worse than the current
// best with confidence, until the recommendation is separated at the
// requested confidence or the [Racing] budget is spent. Rounds depend on
// the scenario and the pairs' values alone, so a race is deterministic
// whatever the number of workers; [Race] says how many replications each
// variant ran and the confidence of the final choice.
package plan

//go:generate go run ../internal/cmd/scenariodoc -out ../docs
