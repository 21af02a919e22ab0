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

var severityKeys = [channel.NumSeverities]string{"critical", "high", "medium", "low"}

// Metrics lists every metric, in the order of Pair.Values.
var Metrics = buildMetrics()

func buildMetrics() []Metric {
	var ms []Metric
	for s, sev := range severityKeys {
		title := strings.ToUpper(sev[:1]) + sev[1:]
		for _, m := range []Metric{
			{Key: sev + ".meanDays", Title: title + " mean exposure (restricted to the horizon)", Unit: "days"},
			{Key: sev + ".p50Days", Title: title + " p50 exposure", Unit: "days", Quantile: 0.50},
			{Key: sev + ".p90Days", Title: title + " p90 exposure", Unit: "days", Quantile: 0.90},
			{Key: sev + ".p95Days", Title: title + " p95 exposure", Unit: "days", Quantile: 0.95},
			{Key: sev + ".p99Days", Title: title + " p99 exposure", Unit: "days", Quantile: 0.99},
			{Key: sev + ".maxDays", Title: title + " max exposure", Unit: "days"},
			{Key: sev + ".withinSLA", Title: title + " within SLA", Unit: "share", HigherIsBetter: true},
			{Key: sev + ".censored", Title: title + " open at end", Unit: "share"},
			{Key: sev + ".vulnerableNodeDays", Title: title + " vulnerable node-days", Unit: "node-days"},
		} {
			m.severity = s
			ms = append(ms, m)
		}
	}
	ms = append(ms,
		Metric{Key: "pastSLAShare", Title: "Nodes past SLA (mean daily share)", Unit: "share"},
		Metric{Key: "reimagesPerNodeMonth", Title: "Reimages per node-month", Unit: "per node-month"},
		Metric{Key: "rebootsPerNodeMonth", Title: "Reboots per node-month", Unit: "per node-month"},
		Metric{Key: "livePatches", Title: "Live patches", Unit: "count"},
		Metric{Key: "evictions", Title: "Pod evictions", Unit: "count"},
		Metric{Key: "nodeHoursUnavailable", Title: "Node-hours unavailable", Unit: "node-hours"},
		Metric{Key: "minAvailableShare", Title: "Lowest available capacity", Unit: "share", HigherIsBetter: true},
		Metric{Key: "surgeNodeHours", Title: "Surge node-hours", Unit: "node-hours"},
		Metric{Key: "operations", Title: "Operations", Unit: "count"},
		Metric{Key: "failedOperations", Title: "Failed operations", Unit: "count"},
		Metric{Key: "outsideWindow", Title: "Operations outside windows", Unit: "count"},
		Metric{Key: "blockedDrains", Title: "Blocked drains", Unit: "count"},
		Metric{Key: "quarantined", Title: "Quarantined nodes", Unit: "count"},
		Metric{Key: "canceledOperations", Title: "Canceled operations", Unit: "count"},
	)
	return ms
}

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
// Kaplan-Meier restricted mean to the run's length, so pairs still open at
// the end count for as long as the curve says rather than being left out;
// it is NaN, as the quantiles are, only when the severity had no pairs.
func values(r *fleet.Result) []float64 {
	v := make([]float64, 0, len(Metrics))
	for s := range channel.NumSeverities {
		e := r.Exposure[s]
		censored := 0.0
		if e.Pairs > 0 {
			censored = float64(e.Censored) / float64(e.Pairs)
		}
		mean := math.NaN()
		if e.Pairs > 0 {
			mean = days(e.Hist.RestrictedMean(r.End.Sub(r.Start)))
		}
		within := math.NaN()
		if e.Pairs > 0 {
			within = e.WithinSLA
		}
		v = append(v, mean, quantile(e, e.P50), quantile(e, e.P90), quantile(e, e.P95), quantile(e, e.P99), maxDays(e),
			within, censored, e.VulnerableNodeDays)
	}
	past := 0.0
	for _, x := range r.PastSLA {
		past += x
	}
	if len(r.PastSLA) > 0 {
		past /= float64(len(r.PastSLA))
	}
	d := r.Disruption
	v = append(v, past, d.ReimagesPerNodeMonth, d.RebootsPerNodeMonth, float64(d.LivePatches), float64(d.Evictions),
		d.NodeHoursUnavailable, d.MinAvailableShare, d.SurgeNodeHours, float64(d.Operations), float64(d.Failed),
		float64(d.OutsideWindow), float64(d.BlockedDrains), float64(d.Quarantined), float64(d.Canceled))
	return v
}

// quantile is a quantile in days; NaN when the severity had no pairs.
func quantile(e fleet.Exposure, q time.Duration) float64 {
	if e.Pairs == 0 {
		return math.NaN()
	}
	return days(q)
}

func maxDays(e fleet.Exposure) float64 {
	if e.Pairs == 0 {
		return math.NaN()
	}
	if e.Censored > 0 {
		return math.Inf(1)
	}
	return days(e.Max)
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
