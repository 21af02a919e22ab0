package plan

import (
	"math"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
)

// Metric describes one number measured in every replication of a variant.
// Every metric is better when lower, except those with HigherIsBetter.
type Metric struct {
	Key            string `json:"key"`   // e.g. "critical.p95Days"
	Title          string `json:"title"` // for tables and axes
	Unit           string `json:"unit"`  // "days", "share", "per node-month", ...
	HigherIsBetter bool   `json:"higherIsBetter,omitempty"`
	// Quantile is the level of an exposure quantile metric (0.95 for
	// p95Days), whose Stat also carries the Pooled estimate; 0 for others.
	Quantile float64 `json:"quantile,omitempty"`

	severity int // of an exposure metric
}

// Better returns "higher" or "lower": which way the metric improves.
func (m Metric) Better() string {
	if m.HigherIsBetter {
		return "higher"
	}
	return "lower"
}

// Metrics lists every metric, in the order of Pair.Values.
var Metrics = func() []Metric {
	ms := make([]Metric, len(metricTable))
	for i, d := range metricTable {
		ms[i] = d.Metric
	}
	return ms
}()

// metricDef is a metric and how one run gives its value: from the run's
// result and, for an exposure metric, its severity's exposure.
type metricDef struct {
	Metric
	value func(r *fleet.Result, e *fleet.Exposure) float64
}

// metricTable is the one list of metrics: Metrics and values both read it.
var metricTable = func() []metricDef {
	var ms []metricDef
	for s := range channel.NumSeverities {
		sev := channel.Severity(s).String()
		title := strings.ToUpper(sev[:1]) + sev[1:]
		for _, m := range []metricDef{
			{Metric{Key: sev + ".meanDays", Title: title + " mean exposure (restricted to the horizon)", Unit: "days"}, meanDays},
			{Metric{Key: sev + ".p50Days", Title: title + " p50 exposure", Unit: "days", Quantile: 0.50}, func(_ *fleet.Result, e *fleet.Exposure) float64 { return quantile(e, e.P50) }},
			{Metric{Key: sev + ".p90Days", Title: title + " p90 exposure", Unit: "days", Quantile: 0.90}, func(_ *fleet.Result, e *fleet.Exposure) float64 { return quantile(e, e.P90) }},
			{Metric{Key: sev + ".p95Days", Title: title + " p95 exposure", Unit: "days", Quantile: 0.95}, func(_ *fleet.Result, e *fleet.Exposure) float64 { return quantile(e, e.P95) }},
			{Metric{Key: sev + ".p99Days", Title: title + " p99 exposure", Unit: "days", Quantile: 0.99}, func(_ *fleet.Result, e *fleet.Exposure) float64 { return quantile(e, e.P99) }},
			{Metric{Key: sev + ".maxDays", Title: title + " max exposure", Unit: "days"}, maxDays},
			{Metric{Key: sev + ".withinSLA", Title: title + " within SLA", Unit: "share", HigherIsBetter: true}, withinSLA},
			{Metric{Key: sev + ".censored", Title: title + " open at end", Unit: "share"}, censored},
			{Metric{Key: sev + ".vulnerableNodeDays", Title: title + " vulnerable node-days", Unit: "node-days"}, func(_ *fleet.Result, e *fleet.Exposure) float64 { return e.VulnerableNodeDays }},
		} {
			m.severity = s
			ms = append(ms, m)
			if m.Key == sev+".meanDays" {
				// Where the mean comes from: its stages, which add up to it.
				for st := range fleet.NumStages {
					ms = append(ms, metricDef{Metric{Key: ExposureKey(channel.Severity(s), st), Title: title + " exposure: " + stageTitles[st],
						Unit: "days", severity: s}, stageDays(st)})
				}
			}
		}
	}
	count := func(f func(d *fleet.Disruption) uint64) func(*fleet.Result, *fleet.Exposure) float64 {
		return func(r *fleet.Result, _ *fleet.Exposure) float64 { return float64(f(&r.Disruption)) }
	}
	number := func(f func(d *fleet.Disruption) float64) func(*fleet.Result, *fleet.Exposure) float64 {
		return func(r *fleet.Result, _ *fleet.Exposure) float64 { return f(&r.Disruption) }
	}
	return append(ms,
		metricDef{Metric{Key: "pastSLAShare", Title: "Nodes past SLA (mean daily share)", Unit: "share"}, pastSLAShare},
		metricDef{Metric{Key: "reimagesPerNodeMonth", Title: "Reimages per node-month", Unit: "per node-month"}, number(func(d *fleet.Disruption) float64 { return d.ReimagesPerNodeMonth })},
		metricDef{Metric{Key: "rebootsPerNodeMonth", Title: "Reboots per node-month", Unit: "per node-month"}, number(func(d *fleet.Disruption) float64 { return d.RebootsPerNodeMonth })},
		metricDef{Metric{Key: "livePatches", Title: "Live patches", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.LivePatches })},
		metricDef{Metric{Key: "evictions", Title: "Pod evictions", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.Evictions })},
		metricDef{Metric{Key: "nodeHoursUnavailable", Title: "Node-hours unavailable", Unit: "node-hours"}, number(func(d *fleet.Disruption) float64 { return d.NodeHoursUnavailable })},
		metricDef{Metric{Key: "minAvailableShare", Title: "Lowest available capacity", Unit: "share", HigherIsBetter: true}, number(func(d *fleet.Disruption) float64 { return d.MinAvailableShare })},
		metricDef{Metric{Key: "surgeNodeHours", Title: "Surge node-hours", Unit: "node-hours"}, number(func(d *fleet.Disruption) float64 { return d.SurgeNodeHours })},
		metricDef{Metric{Key: "operations", Title: "Operations", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.Operations })},
		metricDef{Metric{Key: "failedOperations", Title: "Failed operations", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.Failed })},
		metricDef{Metric{Key: "outsideWindow", Title: "Operations outside windows", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.OutsideWindow })},
		metricDef{Metric{Key: "blockedDrains", Title: "Blocked drains", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.BlockedDrains })},
		metricDef{Metric{Key: "quarantined", Title: "Quarantined nodes", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.Quarantined })},
		metricDef{Metric{Key: "canceledOperations", Title: "Canceled operations", Unit: "count"}, count(func(d *fleet.Disruption) uint64 { return d.Canceled })},
		// Autoscaled pools (fleet.Churn); zero for fixed-size pools.
		metricDef{Metric{Key: "nodesCreated", Title: "Nodes created", Unit: "count"}, func(r *fleet.Result, _ *fleet.Exposure) float64 { return float64(r.Churn.Created) }},
		metricDef{Metric{Key: "nodesRemoved", Title: "Nodes removed", Unit: "count"}, func(r *fleet.Result, _ *fleet.Exposure) float64 { return float64(r.Churn.Removed) }},
		metricDef{Metric{Key: "churnShare", Title: "Remediation from churn", Unit: "share"}, func(r *fleet.Result, _ *fleet.Exposure) float64 { return r.Churn.Share }},
		// Fleet Manager (fleet.ManagerResult); NaN without it.
		metricDef{Metric{Key: "lastStageDays", Title: "Release to last stage done (Fleet Manager)", Unit: "days"}, lastStageDays},
		metricDef{Metric{Key: "behindFirstStageShare", Title: "Members behind the first stage (mean daily share)", Unit: "share"}, behindFirstStage},
	)
}()

// metricIndex returns the position of key in Metrics.
func metricIndex(key string) (int, bool) {
	for i, m := range Metrics {
		if m.Key == key {
			return i, true
		}
	}
	return 0, false
}

// MetricIndex returns the position of the metric key in Metrics, or -1.
func MetricIndex(key string) int {
	i, ok := metricIndex(key)
	if !ok {
		return -1
	}
	return i
}

func metricList() string {
	keys := make([]string, 0, len(Metrics))
	for _, m := range Metrics {
		keys = append(keys, m.Key)
	}
	return "one of " + strings.Join(keys, ", ")
}

func days(d time.Duration) float64 {
	if d == fleet.Censored {
		return math.Inf(1)
	}
	return d.Hours() / 24
}

// values extracts the metrics of one run, in Metrics order. A quantile
// that censoring left unreached is +Inf. The mean exposure is the
// Kaplan-Meier restricted mean to the run's length
// (fleet.Exposure.RestrictedMean), so pairs still open at the end count for
// as long as the curve says rather than being left out, and its stages
// (ExposureKey) add up to it; they are NaN, as the quantiles are, only when
// the severity had no pairs.
func values(r *fleet.Result) []float64 {
	v := make([]float64, len(metricTable))
	for i, d := range metricTable {
		v[i] = d.value(r, &r.Exposure[d.severity])
	}
	return v
}

func meanDays(_ *fleet.Result, e *fleet.Exposure) float64 {
	if e.Pairs == 0 {
		return math.NaN()
	}
	return days(e.RestrictedMean)
}

// ExposureKey returns the key of the metric that holds stage st of sev's
// mean exposure (fleet.Stage: where the exposure comes from, not a Fleet
// Manager stage), such as "high.exposure.windowDays". The stages of a
// severity add up to its meanDays in every replication, so their means
// over the replications add up to its mean.
func ExposureKey(sev channel.Severity, st fleet.Stage) string {
	return sev.String() + ".exposure." + st.String() + "Days"
}

// stageTitles names the stages in metric titles and explanations.
var stageTitles = [fleet.NumStages]string{
	fleet.StageCut:     "wait for a release cut with the fix",
	fleet.StageBuild:   "build and publication",
	fleet.StageRegion:  "regional rollout",
	fleet.StageWindow:  "wait for a window or operation",
	fleet.StageRollout: "rollout in the window",
	fleet.StageNever:   "not remediated within the horizon",
}

// ExposureStageTitle describes stage st in words, for tables and figures.
func ExposureStageTitle(st fleet.Stage) string {
	if st < fleet.NumStages {
		return stageTitles[st]
	}
	return st.String()
}

// stageDays returns the metric value of stage st: NaN, as meanDays, when
// the severity had no pairs.
func stageDays(st fleet.Stage) func(*fleet.Result, *fleet.Exposure) float64 {
	return func(_ *fleet.Result, e *fleet.Exposure) float64 {
		if e.Pairs == 0 {
			return math.NaN()
		}
		return days(e.Stages[st])
	}
}

// quantile is a quantile in days; NaN when the severity had no pairs.
func quantile(e *fleet.Exposure, q time.Duration) float64 {
	if e.Pairs == 0 {
		return math.NaN()
	}
	return days(q)
}

func maxDays(_ *fleet.Result, e *fleet.Exposure) float64 {
	if e.Pairs == 0 {
		return math.NaN()
	}
	if e.Censored > 0 {
		return math.Inf(1)
	}
	return days(e.Max)
}

func withinSLA(_ *fleet.Result, e *fleet.Exposure) float64 {
	if e.Pairs == 0 {
		return math.NaN()
	}
	return e.WithinSLA
}

func censored(_ *fleet.Result, e *fleet.Exposure) float64 {
	if e.Pairs == 0 {
		return 0
	}
	return float64(e.Censored) / float64(e.Pairs)
}

func pastSLAShare(r *fleet.Result, _ *fleet.Exposure) float64 {
	if len(r.PastSLA) == 0 {
		return 0
	}
	past := 0.0
	for _, x := range r.PastSLA {
		past += x
	}
	return past / float64(len(r.PastSLA))
}

// bounds returns the range of a metric's values: [0, 1] for shares, [0,
// horizon] for days, [0, +Inf) for the rest.
func (m Metric) bounds(horizon float64) (lo, hi float64) {
	switch m.Unit {
	case "share":
		return 0, 1
	case "days":
		return 0, horizon
	}
	return 0, math.Inf(1)
}
