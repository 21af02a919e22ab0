package report_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

func TestSensitivityTextAndTornado(t *testing.T) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	ex := plan.MetricIndex("high.p95Days")
	variant := func(name string, v float64) plan.Summary {
		st := make([]plan.Stat, len(plan.Metrics))
		st[ex] = plan.Stat{N: 1, Mean: plan.Float(v)}
		return plan.Summary{Name: name, Stats: st}
	}
	base := &plan.Comparison{Scenario: "s", Replications: 4, Start: start, End: start.AddDate(1, 0, 0),
		Objective: plan.Objective{Exposure: "high.p95Days"}, Metrics: plan.Metrics,
		Variants:       []plan.Summary{variant("A", 20), variant("B", 22)},
		Recommendation: &plan.Recommendation{Best: 0, RunnerUp: 1}}
	x := &plan.Sensitivity{Base: base, Rows: []plan.SensitivityRow{
		{Assumption: plan.Assumption{Name: "upstream.securityPatchRollout", Unit: "days", Base: 14, Low: 0, High: 14},
			Low: []plan.Float{20, 18}, High: []plan.Float{20, 22}, RecommendedLow: "B", RecommendedHigh: "A"},
	}, Breaks: []plan.Break{{Assumption: plan.Assumption{Name: "upstream.securityPatchRollout", Unit: "days"}, At: 9.5, To: "B"}}}
	var b bytes.Buffer
	require.NoError(t, report.SensitivityText(&b, x, true))
	assert.Contains(t, b.String(), "| upstream.securityPatchRollout | 14d | 0d | 14d | 20.0 / 20.0 | 18.0 / 22.0 | B / A |\n")
	assert.Contains(t, b.String(), "| (base) |  |  |  | 20.0 | 22.0 | A |\n")
	assert.Contains(t, b.String(), "The recommendation (A) holds unless upstream.securityPatchRollout falls below about 9.5d (then B).\n")

	p, err := report.Tornado(x)
	require.NoError(t, err)
	assert.Equal(t, "B minus A, high.p95Days", p.Title.Text)
	_, err = report.Tornado(nil)
	assert.Error(t, err)
}
