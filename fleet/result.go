package fleet

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
)

// Result is what one run measured. The same Config gives a deeply equal
// Result.
type Result struct {
	Start, End time.Time
	Nodes      int    // pool nodes in the fleet at Start (surge nodes not counted)
	Events     uint64 // simulation events run (nightly installs of a per-node pass are none)

	// Exposure holds one entry per severity, in channel.Severity order
	// (critical first).
	Exposure [channel.NumSeverities]Exposure

	Disruption Disruption

	// PastSLA is, for each day of the run, the share of nodes that held an
	// advisory older than its severity's SLA at the start of that day (of
	// the nodes alive then, Churn.Nodes, when a pool autoscales).
	PastSLA []float64

	// Actions is the rollout trace, in the order actions ended; only with
	// Config.Trace.
	Actions []Action
	// Remediations lists every first remediation of an advisory on a node;
	// only with Config.Trace.
	Remediations []Remediation

	// Churn is what autoscaled pools did: nodes created and removed, the
	// node-months and the remediation that came from churn; zero when no
	// pool autoscales.
	Churn Churn

	// Pools breaks exposure and disruption down by pool, in cluster and
	// pool order: where the fleet's exposure and failures come from.
	Pools []PoolResult

	// Manager is what Fleet Manager did: its update runs and the
	// fleet-level metrics; nil without Config.Manager.
	Manager *ManagerResult `json:",omitempty"`

	// Warnings are notes on the configuration's effective behaviour (for
	// example Unmanaged on Windows behaving as None), deduplicated, sorted.
	Warnings []string
}

// Exposure summarises, for one severity, the exposure of every (node,
// advisory) pair whose advisory was published during the run (less
// Config.Settle at its end): the time
// from publication until the node first ran a fix (DESIGN.md section 3.1).
// Pairs still exposed at the end are right-censored: they enter the
// Kaplan-Meier quantiles as "at least this long" and are counted in
// Censored, never dropped or taken as the horizon.
type Exposure struct {
	Severity   channel.Severity
	Pairs      uint64 // node-advisory pairs; Remediated + Censored
	Remediated uint64
	Censored   uint64
	// Mean and Max are over remediated pairs (RestrictedMean counts the
	// open ones too). Quantiles are Kaplan-Meier
	// estimates within 0.8%; a quantile the run did not reach because of
	// censoring is [Censored] (the constant).
	Mean, P50, P90, P95, P99, Max time.Duration
	// RestrictedMean is the Kaplan-Meier restricted mean to the horizon
	// (the run's length): the mean exposure, a pair never remediated
	// counting the whole horizon. It is computed as
	// Hist.RestrictedMean(horizon) is, but with each remediated pair at its
	// exact exposure rather than its bin's value, and it is the sum of
	// Stages.
	RestrictedMean time.Duration
	// Stages splits RestrictedMean by Stage: where the exposure comes from.
	// Each remediated pair adds its own stages, which sum to its exposure,
	// with its Kaplan-Meier weight; StageNever is the estimated share of
	// pairs not remediated within the horizon times the horizon.
	Stages Stages
	// WithinSLA is the Kaplan-Meier estimate of the share of pairs
	// remediated within the severity's SLA of their advisory's
	// publication: SLAAges' CDF at the SLA. A pair fixed at At is within
	// it when At - Published <= SLA, whatever the node's creation (to the
	// 0.8% of a bin, as the quantiles): a node created after an advisory's
	// publication ages it from the publication, not from its creation.
	WithinSLA float64
	// VulnerableNodeDays is the node-days during which nodes held at least
	// one open advisory of this severity, whenever published.
	VulnerableNodeDays float64
	// Reopened counts advisories that a node had fixed and lost again when
	// its content cut moved backwards (for example a reimage from a nightly
	// patched Unmanaged node onto an older image).
	Reopened uint64
	// Hist is the full distribution, for CDF plots and for pooling
	// replications.
	Hist Histogram
	// SLAAges is the distribution of the pairs' ages from their advisory's
	// publication, at their first fix (At - Published) or, censored, when
	// their node went or the run ended: Hist where no node was created
	// after the publication of an advisory it lacked (fixed-size pools).
	SLAAges Histogram
}

// Disruption totals what the rollouts cost the workloads.
type Disruption struct {
	Reimages    uint64 // node reimages (NodeImage, SecurityPatch kernel snapshots, Kubernetes upgrades, channel changes)
	Reboots     uint64 // kured reboots
	LivePatches uint64 // SecurityPatch live patches (no drain)
	Installs    uint64 // Unmanaged nightly installs (no drain)
	// ReimagesPerNodeMonth and RebootsPerNodeMonth divide by the nodes and
	// by the run's length in months of 365.25/12 days (by Churn.NodeMonths
	// when a pool autoscales).
	ReimagesPerNodeMonth, RebootsPerNodeMonth float64
	Evictions                                 uint64  // pods evicted by drains (and by the autoscaler's scale-downs)
	NodeHoursUnavailable                      float64 // pool nodes cordoned, draining, soaking, reimaging or rebooting
	// MinAvailableShare is the lowest share of a pool's size that was
	// schedulable (ready pool nodes plus ready surge nodes) at any time, over
	// all pools.
	MinAvailableShare float64
	SurgeNodeHours    float64 // surge nodes from request to removal
	Operations        uint64  // pool upgrade operations started (reimage rollouts and live patches)
	OutsideWindow     uint64  // operations started while their window was closed (catch-up)
	Failed            uint64  // operations that ended failed: a node blocked, or refused (undrainableNodeBehavior, aks.md section 4.1)
	Canceled          uint64  // operations that ended canceled: under Cordon, more blocked nodes than surge nodes to replace them
	Refused           uint64  // operations refused because their estimate exceeded 24 h
	BlockedDrains     uint64  // drains that reached the drain timeout
	Quarantined       uint64  // nodes quarantined under Cordon
}

// PoolResult is one pool's share of a run's exposure and disruption.
type PoolResult struct {
	Cluster, Pool string
	Count         int // the pool's nodes
	// VulnerableNodeDays per severity, in channel.Severity order, as
	// Exposure.VulnerableNodeDays counts them for the fleet.
	VulnerableNodeDays [channel.NumSeverities]float64
	// PastSLANodeDays counts, over the days of the run, the pool's nodes
	// that held an advisory older than its SLA at the start of the day (the
	// pool's part of Result.PastSLA, in node-days).
	PastSLANodeDays float64
	// NodeDays counts, over the days of the run, the pool's nodes at the
	// start of the day: Count times the days for a fixed-size pool, the
	// denominator of the pool's share of days past SLA. A node created and
	// removed within a day counts in neither, though it counts in
	// VulnerableNodeDays.
	NodeDays      float64
	Operations    uint64 // pool upgrade operations started on the pool
	Failed        uint64 // of those, failed
	BlockedDrains uint64
	Quarantined   uint64
	Reimages      uint64
	Created       uint64 // nodes the autoscaler created in the pool
	Removed       uint64 // nodes removed from the pool (scale-down, lifetime)
}

// ActionKind names a rollout step.
type ActionKind uint8

const (
	ActSurge      ActionKind = iota // surge nodes, from request to removal (Node is -1)
	ActDrain                        // cordon and drain
	ActSoak                         // node soak
	ActReimage                      // reimage and rejoin
	ActLivePatch                    // SecurityPatch live patch (instant)
	ActInstall                      // Unmanaged nightly install (instant)
	ActReboot                       // kured drain and reboot
	ActBlocked                      // drain that hit the drain timeout
	ActQuarantine                   // quarantined node, until cleanup
	ActCreate                       // node created by the autoscaler (instant)
	ActRemove                       // node removed by the autoscaler or its lifetime (instant)
)

var actionNames = [...]string{"surge", "drain", "soak", "reimage", "live-patch", "install", "reboot", "blocked", "quarantine", "create", "remove"}

// String returns the step's name.
func (k ActionKind) String() string {
	if int(k) < len(actionNames) {
		return actionNames[k]
	}
	return "unknown"
}

// Action is one step of a rollout on one node.
type Action struct {
	Cluster, Pool string
	// Node is the node's index in the pool, -1 for pool-wide steps. Nodes
	// created during the run take the next indexes in creation order.
	Node       int
	Kind       ActionKind
	Start, End time.Time
}

// Remediation is the first instant a node ran the fix of an advisory.
type Remediation struct {
	// Node is the fleet-wide node index: pools in cluster order, nodes in
	// pool order; a node created during the run takes the next index after
	// every node present at Start (Result.Nodes), in creation order (the
	// order of the ActCreate actions).
	Node      int32
	Severity  channel.Severity
	Class     channel.Class
	Published time.Time
	At        time.Time
	// Since is when the node was created, when that is after Published (a
	// node the autoscaler added that booted without the fix): its exposure
	// to the advisory counts from then, while it exists. Zero otherwise.
	Since time.Time
	// Stages splits the exposure, At - Published (or At - Since), by Stage
	// (StageNever is zero): they add up to it exactly.
	Stages Stages
}

// Exposure returns the remediation's exposure: from the later of the
// advisory's publication and the node's creation until At.
func (m Remediation) Exposure() time.Duration {
	if m.Since.After(m.Published) {
		return m.At.Sub(m.Since)
	}
	return m.At.Sub(m.Published)
}

// MarshalText writes the step's name, so traces read well as JSON.
func (k ActionKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText reads a step's name.
func (k *ActionKind) UnmarshalText(b []byte) error {
	for i, n := range actionNames {
		if n == string(b) {
			*k = ActionKind(i)
			return nil
		}
	}
	return fmt.Errorf("fleet: %q is not a rollout step (%s)", b, strings.Join(actionNames[:], ", "))
}

// result assembles the Result at the end of the run: it charges the surge
// nodes and unavailable nodes still out at the horizon and closes the
// recorder.
func (r *runner) result() *Result {
	for _, c := range r.clusters {
		for _, p := range c.pools {
			r.dis.SurgeNodeHours += float64(p.alloc) * hours(r.horizon.Sub(p.allocSince))
			if ro := p.ro; ro != nil && ro.surge > 0 && r.cfg.Trace {
				// The surge nodes of a rollout in flight, until the end.
				r.actions = append(r.actions, Action{Cluster: c.cfg.Name, Pool: p.cfg.Name, Node: -1, Kind: ActSurge, Start: r.at(ro.surgeStart), End: r.at(r.horizon)})
			}
		}
	}
	for i := range r.nodes {
		n := &r.nodes[i]
		if n.state == stAbsent {
			continue
		}
		if n.pool.night.lazy {
			n.pool.installUntil(int32(i), r.horizon)
		}
		n.pool.dayStarts += ceilDay(r.horizon) - ceilDay(n.cuts.born)
		if n.state != stReady {
			r.dis.NodeHoursUnavailable += hours(r.horizon.Sub(n.since))
		}
		r.rec.finish(&n.cuts, n.os)
	}
	r.rec.close()
	nodes := 0
	for _, p := range r.pools {
		nodes += p.cfg.Count
	}
	res := &Result{Start: r.start, End: r.at(r.horizon), Nodes: nodes, Events: r.events, Disruption: r.dis, Actions: r.actions}
	const month = 365.25 / 12 * 24 * float64(time.Hour)
	months := float64(r.cfg.Horizon) / month
	if r.ids != nil {
		res.Churn = r.churn
		res.Churn.NodeMonths = r.rec.aliveNs.float() / month
		res.Churn.Remediations = r.rec.churned
		if res.Churn.NodeMonths > 0 {
			res.Disruption.ReimagesPerNodeMonth = float64(r.dis.Reimages) / res.Churn.NodeMonths
			res.Disruption.RebootsPerNodeMonth = float64(r.dis.Reboots) / res.Churn.NodeMonths
		}
	} else if res.Nodes > 0 && months > 0 {
		res.Disruption.ReimagesPerNodeMonth = float64(r.dis.Reimages) / float64(res.Nodes) / months
		res.Disruption.RebootsPerNodeMonth = float64(r.dis.Reboots) / float64(res.Nodes) / months
	}
	sla := r.cfg.SLA.Effective()
	for _, s := range severities {
		st := r.rec.hist[s].stageMeans(time.Duration(r.horizon))
		h := r.rec.hist[s].histogram()
		ages := r.rec.ageHistogram(s, h)
		res.Exposure[s] = Exposure{
			Severity: s, Pairs: r.rec.pairs[s], Remediated: h.N, Censored: h.NC,
			Mean: h.Mean(), Max: h.Max(),
			P50: h.Quantile(0.50), P90: h.Quantile(0.90), P95: h.Quantile(0.95), P99: h.Quantile(0.99),
			WithinSLA:          ages.CDF(sla.For(s)),
			VulnerableNodeDays: r.rec.vulnNs[s].float() / float64(day),
			Reopened:           r.rec.reopen[s],
			Hist:               h,
			SLAAges:            ages,
			RestrictedMean:     st.Total(),
			Stages:             st,
		}
	}
	if r.ids != nil {
		res.Churn.Nodes = r.rec.dailyNodes(nodes)
		res.PastSLA = r.rec.seriesBy(res.Churn.Nodes)
		remediated := uint64(0)
		for _, e := range res.Exposure {
			remediated += e.Remediated
		}
		if d := res.Churn.Remediations + remediated; d > 0 {
			res.Churn.Share = float64(res.Churn.Remediations) / float64(d)
		}
	} else {
		res.PastSLA = r.rec.series(len(r.nodes))
	}
	for _, p := range r.pools {
		pr := p.stats
		for _, s := range severities {
			pr.VulnerableNodeDays[s] = r.rec.poolVuln[p.index][s].float() / float64(day)
		}
		pr.PastSLANodeDays = float64(r.rec.poolPast[p.index])
		pr.NodeDays = float64(p.dayStarts)
		res.Pools = append(res.Pools, pr)
	}
	for _, m := range r.remeds {
		rm := Remediation{Node: m.node, Severity: m.sev, Class: m.class, Published: r.at(m.pub), At: r.at(m.at)}
		if m.since != 0 {
			rm.Since = r.at(m.since)
		}
		copy(rm.Stages[:], m.stages[:])
		res.Remediations = append(res.Remediations, rm)
	}
	if r.mgr != nil {
		res.Manager = r.mgr.result(res.Pools)
	}
	for w := range r.warnings {
		res.Warnings = append(res.Warnings, w)
	}
	sort.Strings(res.Warnings)
	return res
}
