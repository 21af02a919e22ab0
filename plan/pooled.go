package plan

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/sim"
)

// Pooled is an exposure quantile estimated once from the pairs of every
// replication together (one Kaplan-Meier curve over all of them), where the
// Stat's mean averages one quantile per replication: a single replication
// that leaves the quantile unreached makes that mean +Inf, but moves the
// pooled quantile only by its share of the pairs.
//
// Lo and Hi are a 95% interval that treats each replication as a cluster
// of correlated pairs (an advisory reaches every node of a replication at
// once): the range of durations x where the pooled share remediated by x,
// give or take 1.96 standard errors of its spread between replications
// (Student t over the replications), crosses the quantile's level. Value is
// +Inf when the pooled curve never reaches the level, Hi is +Inf when the
// interval's upper end is not reached within the horizon, and all are NaN
// when no replication had an advisory of the severity.
type Pooled struct {
	Value Float `json:"value"`
	Lo    Float `json:"lo"`
	Hi    Float `json:"hi"`
}

// pool sets the summary's pooled histograms from its replications' and the
// Pooled estimate of every exposure quantile.
func (sum *Summary) pool(reps []*Pair, horizon float64) error {
	for r, q := range reps {
		if len(q.Exposure) != channel.NumSeverities {
			return fmt.Errorf("replication %d has %d exposure histograms, want %d", r, len(q.Exposure), channel.NumSeverities)
		}
	}
	sum.Exposure = make([]fleet.Histogram, channel.NumSeverities)
	hs := make([]*fleet.Histogram, len(reps))
	for sev := range sum.Exposure {
		for r, q := range reps {
			hs[r] = &q.Exposure[sev]
		}
		sum.Exposure[sev].Merge(hs...)
		var ms []int
		var ps []float64
		for m, mt := range Metrics {
			if mt.Quantile > 0 && mt.severity == sev {
				ms, ps = append(ms, m), append(ps, mt.Quantile)
			}
		}
		for i, pq := range pooledQuantiles(hs, &sum.Exposure[sev], ps, horizon) {
			sum.Stats[ms[i]].Pooled = &pq
		}
	}
	return nil
}

// pooledQuantiles returns the Pooled estimate of each level in ps (in days,
// clamped to [0, horizon]) from the replications' histograms of one
// severity and their merge.
func pooledQuantiles(reps []*fleet.Histogram, pooled *fleet.Histogram, ps []float64, horizon float64) []Pooled {
	out := make([]Pooled, len(ps))
	nan := Float(math.NaN())
	if pooled.Total() == 0 {
		for i := range out {
			out[i] = Pooled{nan, nan, nan}
		}
		return out
	}
	for i, p := range ps {
		out[i] = Pooled{Value: Float(clampDays(days(pooled.Quantile(p)), horizon)), Lo: nan, Hi: nan}
	}
	var used []int // replications with pairs
	total := 0.0
	for r, h := range reps {
		if h.Total() > 0 {
			used = append(used, r)
			total += float64(h.Total())
		}
	}
	if len(used) < 2 {
		return out
	}
	// Each replication's Kaplan-Meier CDF as steps, walked in step with
	// the pooled curve's steps.
	type curve struct {
		xs, ys []float64
		w      float64 // share of all pairs
		at     int     // steps at or before the current x
	}
	cs := make([]curve, len(used))
	for i, r := range used {
		xs, ys := reps[r].Points()
		cs[i] = curve{xs: xs, ys: ys, w: float64(reps[r].Total()) / total}
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(used) - 1), Src: sim.NewSource(0, "plan.pooledQuantiles")}
	z := t.Quantile(0.975)
	k := float64(len(used)) / float64(len(used)-1)
	inf := Float(math.Inf(1))
	for i := range out {
		out[i].Lo, out[i].Hi = inf, inf
	}
	xs, _ := pooled.Points()
	for _, x := range xs {
		mean := 0.0
		for i := range cs {
			c := &cs[i]
			for c.at < len(c.xs) && c.xs[c.at] <= x {
				c.at++
			}
			if c.at > 0 {
				mean += c.w * c.ys[c.at-1]
			}
		}
		v := 0.0
		for i := range cs {
			c := &cs[i]
			f := 0.0
			if c.at > 0 {
				f = c.ys[c.at-1]
			}
			v += c.w * c.w * (f - mean) * (f - mean)
		}
		half := z * math.Sqrt(k*v)
		d := clampDays(x/86400, horizon)
		for i, p := range ps {
			if math.IsInf(float64(out[i].Lo), 1) && mean+half >= p-1e-12 {
				out[i].Lo = Float(d)
			}
			if math.IsInf(float64(out[i].Hi), 1) && mean-half >= p-1e-12 {
				out[i].Hi = Float(d)
			}
		}
	}
	// Bins place the estimate at a bin's midpoint and the interval at bin
	// starts: keep the estimate inside its interval.
	for i := range out {
		o := &out[i]
		o.Lo = min(o.Lo, o.Value)
		o.Hi = max(o.Hi, o.Value)
	}
	return out
}

// clampDays keeps a finite number of days within [0, horizon]; +Inf (not
// reached) stays.
func clampDays(d, horizon float64) float64 {
	if math.IsInf(d, 1) {
		return d
	}
	return max(0, min(d, horizon))
}
