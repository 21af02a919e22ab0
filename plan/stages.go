package plan

import (
	"fmt"
	"math"

	"github.com/patchsim/patchsim/fleet"
)

// ManagerPair is what Fleet Manager did in one replication
// (fleet.Result.Manager), as much as the summaries read.
type ManagerPair struct {
	// Stages sums each strategy stage over the run.
	Stages []fleet.UpdateStageResult `json:"stages"`
	// BehindFirstStage is the daily share of members behind the first
	// stage (with Options.Distributions).
	BehindFirstStage []Float `json:"behindFirstStage,omitempty"`
}

// managerPair returns the pair's part of a run's Fleet Manager result; nil
// without one.
func managerPair(m *fleet.ManagerResult, distributions bool) *ManagerPair {
	if m == nil {
		return nil
	}
	out := &ManagerPair{Stages: m.Stages}
	if distributions {
		out.BehindFirstStage = floats(m.BehindFirstStage)
	}
	return out
}

// UpdateStageSummary is one Fleet Manager stage of a variant over the
// replications: how long a release takes to be done there, and the
// exposure of its members (fleet.UpdateStageResult).
type UpdateStageSummary struct {
	Name    string   `json:"name"`
	Members []string `json:"members"`
	// AfterStageWaitDays is the stage's wait in the variant, in days; the
	// last stage's is written but delays nothing (fleet-manager.md section
	// 12 item 13).
	AfterStageWaitDays Float `json:"afterStageWaitDays"`
	// Completed is the mean number per replication of update runs whose
	// stage was done.
	Completed Float `json:"completed"`
	// ReleaseToDoneDays is the mean, over the replications in which an
	// update run got through the last stage, of the mean time from a
	// triggering release's publication to the stage's last member done
	// in those runs (fleet.StageResult), MaxReleaseToDoneDays the longest:
	// every stage over the same runs, so that no stage is done before the
	// one ahead of it. NaN when no run got through the last stage.
	ReleaseToDoneDays    Float `json:"releaseToDoneDays"`
	MaxReleaseToDoneDays Float `json:"maxReleaseToDoneDays"`
	// VulnerableNodeDays per severity (critical first) and PastSLANodeDays
	// sum the stage's members' pools, as means per replication.
	VulnerableNodeDays []Float `json:"vulnerableNodeDays"`
	PastSLANodeDays    Float   `json:"pastSLANodeDays"`
}

// stageSummaries sums the replications' stages; every replication has the
// same stages. waits are the variant's after-stage waits, by stage.
func stageSummaries(reps []*Pair, waits []float64) ([]UpdateStageSummary, []Float, error) {
	if len(reps) == 0 || reps[0].Manager == nil {
		return nil, nil, nil
	}
	first := reps[0].Manager.Stages
	out := make([]UpdateStageSummary, len(first))
	sums := make([]float64, len(first))
	counts := make([]int, len(first))
	n := Float(len(reps))
	for i, st := range first {
		out[i] = UpdateStageSummary{Name: st.Name, Members: st.Members, VulnerableNodeDays: make([]Float, len(st.VulnerableNodeDays)), MaxReleaseToDoneDays: Float(math.NaN())}
		if i < len(waits) {
			out[i].AfterStageWaitDays = Float(waits[i])
		}
	}
	var behind []Float
	for r, q := range reps {
		if q.Manager == nil || len(q.Manager.Stages) != len(first) {
			return nil, nil, fmt.Errorf("replication %d has other Fleet Manager stages than replication 0", r)
		}
		through := q.Manager.Stages[len(q.Manager.Stages)-1].Completed > 0
		for i, st := range q.Manager.Stages {
			o := &out[i]
			if st.Name != o.Name {
				return nil, nil, fmt.Errorf("replication %d: stage %d is %s, in replication 0 %s", r, i, st.Name, o.Name)
			}
			// Sums, divided by the replications at the end.
			o.Completed += Float(st.Completed)
			for s, x := range st.VulnerableNodeDays {
				o.VulnerableNodeDays[s] += Float(x)
			}
			o.PastSLANodeDays += Float(st.PastSLANodeDays)
			if through {
				d := days(st.MeanReleaseToDone)
				sums[i] += d
				counts[i]++
				if m := Float(days(st.MaxReleaseToDone)); math.IsNaN(float64(o.MaxReleaseToDoneDays)) || m > o.MaxReleaseToDoneDays {
					o.MaxReleaseToDoneDays = m
				}
			}
		}
		if b := q.Manager.BehindFirstStage; len(b) > 0 {
			if behind == nil {
				behind = make([]Float, len(b))
			}
			for d, x := range b {
				if d < len(behind) {
					behind[d] += x / n
				}
			}
		}
	}
	for i := range out {
		o := &out[i]
		o.Completed /= n
		for s := range o.VulnerableNodeDays {
			o.VulnerableNodeDays[s] /= n
		}
		o.PastSLANodeDays /= n
		out[i].ReleaseToDoneDays = Float(math.NaN())
		if counts[i] > 0 {
			out[i].ReleaseToDoneDays = Float(sums[i] / float64(counts[i]))
		}
	}
	return out, behind, nil
}

// stageWaits returns variant v's after-stage waits in days, by stage.
func (p *Experiment) stageWaits(v int) []float64 {
	fm, err := p.Scenario.fleetManager(&p.Variants[v])
	if err != nil || fm == nil {
		return nil
	}
	var out []float64
	for _, st := range fm.UpdateStrategy.stages() {
		out = append(out, float64(st.AfterStageWaitInSeconds)/86400)
	}
	return out
}

// lastStageDays is the run's mean time from a release's publication to
// its last stage done: NaN without Fleet Manager or without an update
// run, +Inf when runs were made and none got through the last stage
// within the run.
func lastStageDays(r *fleet.Result, _ *fleet.Exposure) float64 {
	m := r.Manager
	if m == nil || len(m.Runs) == 0 || len(m.Stages) == 0 {
		return math.NaN()
	}
	last := m.Stages[len(m.Stages)-1]
	if last.Completed == 0 {
		return math.Inf(1)
	}
	return days(last.MeanReleaseToDone)
}

// behindFirstStage is the run's mean daily share of the members behind the
// first stage; NaN without Fleet Manager.
func behindFirstStage(r *fleet.Result, _ *fleet.Exposure) float64 {
	m := r.Manager
	if m == nil || len(m.BehindFirstStage) == 0 {
		return math.NaN()
	}
	sum := 0.0
	for _, x := range m.BehindFirstStage {
		sum += x
	}
	return sum / float64(len(m.BehindFirstStage))
}
