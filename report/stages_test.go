package report_test

import (
	"bytes"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

// withStages gives handMade's first two variants three Fleet Manager
// stages with hand-set times: NodeImage's release reaches test after 2 d,
// canary 3.5 d later (1 d of it test's wait) and prod 6 d after that (3 d
// the wait after canary).
func withStages() *plan.Comparison {
	c := handMade()
	stages := func(times ...float64) []plan.UpdateStageSummary {
		names := []string{"test", "canary", "prod"}
		waits := []float64{1, 3, 0}
		var out []plan.UpdateStageSummary
		for i, x := range times {
			out = append(out, plan.UpdateStageSummary{Name: names[i], Members: []string{names[i] + "-a", names[i] + "-b"}, AfterStageWaitDays: plan.Float(waits[i]),
				Completed: 4, ReleaseToDoneDays: plan.Float(x), MaxReleaseToDoneDays: plan.Float(x + 1),
				VulnerableNodeDays: []plan.Float{0, plan.Float(10 * (i + 1)), 5, 1}, PastSLANodeDays: plan.Float(i)})
		}
		return out
	}
	c.Variants[0].Stages = stages(2, 5.5, 11.5)
	c.Variants[1].Stages = stages(2, 5.5, math.NaN())
	c.Variants[0].Stats[plan.MetricIndex("behindFirstStageShare")].Mean = 0.25
	return c
}

// TestStageWhy: the Why line says how long a release takes to each stage,
// the wait inside each step, the longest step and the share behind the
// first stage; a stage no run got through is said so.
func TestStageWhy(t *testing.T) {
	c := withStages()
	var b bytes.Buffer
	require.NoError(t, report.Text(&b, c, report.Options{}))
	out := b.String()
	assert.Contains(t, out, "a release is done on its last stage 11.5 d after publication, longest in prod: test 2.0 d, canary +3.5 d (1.0 d the wait after test), prod +6.0 d (3.0 d the wait after canary); prod holds 67% of the members' node-days past SLA; 25% of the members are behind the first stage on a mean day.")
	assert.Contains(t, out, "no update run got through stage prod within the run")
	// The table adds the Fleet Manager columns.
	assert.Contains(t, out, "lastStageDays")
	assert.Contains(t, out, "behindFirstStageShare")
	b.Reset()
	require.NoError(t, report.Text(&b, handMade(), report.Options{}))
	assert.NotContains(t, b.String(), "lastStageDays", "no stages, no Fleet Manager columns")

	// In 1 of 4 replications runs were made and none got through prod: the
	// table's lastStageDays is not reached, and the line says over which
	// replications its times are.
	c = withStages()
	last := &c.Variants[0].Stats[plan.MetricIndex("lastStageDays")]
	last.N, last.Inf, last.Mean = 3, 1, plan.Float(math.Inf(1))
	b.Reset()
	require.NoError(t, report.Text(&b, c, report.Options{}))
	assert.Contains(t, b.String(), "a release is done on its last stage 11.5 d after publication in the 3 of 4 replications where an update run got through it, longest in prod: test 2.0 d, canary +3.5 d")

	// A wait under a day is in hours, not "0.0 d".
	c = withStages()
	c.Variants[0].Stages[0].AfterStageWaitDays = plan.Float(1.0 / 24)
	c.Variants[0].Stages[1].AfterStageWaitDays = plan.Float(0.5 / 24)
	b.Reset()
	require.NoError(t, report.Text(&b, c, report.Options{}))
	assert.Contains(t, b.String(), "test 2.0 d, canary +3.5 d (1 h the wait after test), prod +6.0 d (0.5 h the wait after canary)")
}

// TestStageCSV: one row per (variant, stage), each cell the number set,
// none for a variant without stages.
func TestStageCSV(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, report.StageCSV(&b, withStages()))
	head, rows := table(t, b.Bytes())
	assert.Equal(t, []string{"variant", "stage", "members", "afterStageWaitDays", "completedRuns", "releaseToDoneDays", "maxReleaseToDoneDays",
		"critical.vulnerableNodeDays", "high.vulnerableNodeDays", "medium.vulnerableNodeDays", "low.vulnerableNodeDays", "pastSLANodeDays",
		"sla.criticalDays", "sla.highDays", "sla.mediumDays", "sla.lowDays", "settleDays"}, head)
	require.Len(t, rows, 6)
	assert.Equal(t, map[string]string{"variant": "NodeImage", "stage": "canary", "members": "canary-a canary-b", "afterStageWaitDays": "3", "completedRuns": "4",
		"releaseToDoneDays": "5.5", "maxReleaseToDoneDays": "6.5", "critical.vulnerableNodeDays": "0", "high.vulnerableNodeDays": "20",
		"medium.vulnerableNodeDays": "5", "low.vulnerableNodeDays": "1", "pastSLANodeDays": "1",
		"sla.criticalDays": "7", "sla.highDays": "30", "sla.mediumDays": "90", "sla.lowDays": "180", "settleDays": "15"}, rows[1])
	assert.Equal(t, "", rows[5]["releaseToDoneDays"], "NaN: no run got there")
}

// TestStageTimes draws one line per variant with stages, named in the
// legend, the stages as the x axis's ticks; a comparison without stages
// has no such figure.
func TestStageTimes(t *testing.T) {
	p, err := report.StageTimes(withStages())
	require.NoError(t, err)
	d := drawFigure(t, p)
	for _, s := range []string{"test", "canary", "prod", "NodeImage", "SecurityPatch", "days after publication"} {
		assert.NotNil(t, d.text(s), "%q is not drawn", s)
	}
	assert.Nil(t, d.text("Unmanaged|win"), "a variant without stages has no line")
	_, err = report.StageTimes(handMade())
	assert.Error(t, err, "no stages")
}
