package report_test

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

// sensitivityBase is a one-year comparison whose high.p95Days is 20 days
// for A, recommended, and 22 for B.
func sensitivityBase() *plan.Comparison {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	ex := plan.MetricIndex("high.p95Days")
	variant := func(name string, v float64) plan.Summary {
		st := make([]plan.Stat, len(plan.Metrics))
		st[ex] = plan.Stat{N: 1, Mean: plan.Float(v)}
		return plan.Summary{Name: name, Stats: st}
	}
	return &plan.Comparison{Scenario: "s", Replications: 4, Start: start, End: start.AddDate(0, 0, 365),
		Objective: plan.Objective{Exposure: "high.p95Days"}, Metrics: plan.Metrics,
		Variants:       []plan.Summary{variant("A", 20), variant("B", 22)},
		Recommendation: &plan.Recommendation{Best: 0, RunnerUp: 1}}
}

func TestSensitivityTextAndTornado(t *testing.T) {
	base := sensitivityBase()
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

// tornadoInput: sensitivityBase under four assumptions, three whose
// B-minus-A spans are 4, 3 and 680 days (an unreached value and one past
// the horizon both count as 365 days), one undefined for A at its low end.
func tornadoInput() *plan.Sensitivity {
	inf, nan := plan.Float(math.Inf(1)), plan.Float(math.NaN())
	base := sensitivityBase()
	days := plan.Assumption{Unit: "days", Base: 14, Low: 0, High: 14}
	row := func(name string, low, high []plan.Float, rl, rh string) plan.SensitivityRow {
		a := days
		a.Name = name
		return plan.SensitivityRow{Assumption: a, Low: low, High: high, RecommendedLow: rl, RecommendedHigh: rh}
	}
	return &plan.Sensitivity{Base: base, Rows: []plan.SensitivityRow{
		row("four", []plan.Float{20, 18}, []plan.Float{20, 22}, "B", "A"),  // -2 to +2
		row("three", []plan.Float{20, 21}, []plan.Float{25, 23}, "A", "B"), // +1 to -2
		row("wide", []plan.Float{inf, 30}, []plan.Float{20, 400}, "B", ""), // 30-365 to 365-20
		row("undefined", []plan.Float{nan, 20}, []plan.Float{20, 20}, "A", "A"),
	}}
}

// TestTornadoContent: the bars are ordered narrowest at the bottom, the
// axis names the competitor, and the legend carries the base difference.
func TestTornadoContent(t *testing.T) {
	x := tornadoInput()
	x.Rows = x.Rows[:3]
	p, err := report.Tornado(x)
	require.NoError(t, err)
	assert.Equal(t, "difference (days; below 0 B does better)", p.X.Label.Text)
	var labels []string
	for _, tk := range p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max) {
		labels = append(labels, tk.Label)
	}
	assert.Equal(t, []string{"three", "four", "wide"}, labels, "spans 3, 4 and 680 days, from the bottom")
	assert.Equal(t, [2]float64{-0.7, 2.7}, [2]float64{p.Y.Min, p.Y.Max})
	d := drawFigure(t, p)
	for _, s := range []string{"base +2.0", "tie", "low end", "high end"} {
		assert.NotNil(t, d.text(s), "legend %q", s)
	}

	// An end where the value is undefined has no bar, and spans nothing:
	// the narrowest, at the bottom, whose low end is still in the legend.
	x.Rows = tornadoInput().Rows[1:]
	x.Rows[2].Low[0], x.Rows[2].High[0] = x.Rows[2].High[0], plan.Float(math.NaN())
	p, err = report.Tornado(x)
	require.NoError(t, err)
	assert.Equal(t, "undefined", p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)[0].Label)
	assert.NotNil(t, drawFigure(t, p).text("high end"))

	// Alone, a variant is drawn against itself: its own value, no tie.
	x.Base.Variants = x.Base.Variants[:1]
	for i := range x.Rows {
		x.Rows[i].Low, x.Rows[i].High = x.Rows[i].Low[:1], x.Rows[i].High[:1]
	}
	p, err = report.Tornado(x)
	require.NoError(t, err)
	assert.Equal(t, "Sensitivity of A's high.p95Days", p.Title.Text)
	assert.Equal(t, "high.p95Days (days)", p.X.Label.Text)
	d = drawFigure(t, p)
	assert.NotNil(t, d.text("base +20.0"))
	assert.Nil(t, d.text("tie"))
}

// TestSensitivityTextPlain: the plain table's columns align; unreached
// values print past the horizon, undefined ones n/a, no recommendation
// "none".
func TestSensitivityTextPlain(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, report.SensitivityText(&b, tornadoInput(), false))
	lines := strings.Split(b.String(), "\n")
	require.GreaterOrEqual(t, len(lines), 7)
	table := lines[2:8] // head, base, four rows
	for _, l := range table {
		assert.Equal(t, len(table[0]), len(l), "%q", l)
	}
	assert.Regexp(t, `^assumption +base +low +high +A low/high +B low/high +recommended low/high$`, table[0])
	assert.Regexp(t, `^\(base\) +20\.0 +22\.0 +A$`, table[1])
	assert.Regexp(t, `^wide +14d +0d +14d +>365d / 20\.0 +30\.0 / 400\.0 +B / none$`, table[4])
	assert.Regexp(t, `^undefined .* n/a / 20\.0 `, table[5])
	assert.Equal(t, "The recommendation (A) holds across the plausible range of every assumption varied.", lines[9])
}

// TestWriteTornado: each format once, under dir; every unknown format
// named at once, nothing written.
func TestWriteTornado(t *testing.T) {
	dir := t.TempDir()
	paths, err := report.WriteTornado(filepath.Join(dir, "out"), tornadoInput(), "svg", "png")
	require.NoError(t, err)
	assert.Equal(t, []string{filepath.Join(dir, "out", "tornado.svg"), filepath.Join(dir, "out", "tornado.png")}, paths)
	for _, p := range paths {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Positive(t, fi.Size())
	}
	_, err = report.WriteTornado(filepath.Join(dir, "bad"), tornadoInput(), "png", "pdf", "jpg")
	assert.EqualError(t, err, "report: formats[1]: \"pdf\" is not png or svg\nreport: formats[2]: \"jpg\" is not png or svg")
	_, err = os.Stat(filepath.Join(dir, "bad"))
	assert.True(t, os.IsNotExist(err), "nothing written")
}

// A share objective prints as the tables print shares, and the tornado's
// axis says its unit.
func TestSensitivityOfAShare(t *testing.T) {
	x := tornadoInput()
	x.Rows = x.Rows[:1]
	x.Base.Objective.Exposure = "pastSLAShare"
	m := plan.MetricIndex("pastSLAShare")
	for i, v := range []plan.Float{0.1, 0.125} {
		x.Base.Variants[i].Stats[m] = plan.Stat{N: 1, Mean: v}
	}
	x.Rows[0].Low, x.Rows[0].High = []plan.Float{0.1, 0.05}, []plan.Float{0.2, 0.25}
	var b bytes.Buffer
	require.NoError(t, report.SensitivityText(&b, x, true))
	assert.Contains(t, b.String(), "| (base) |  |  |  | 10.0% | 12.5% | A |\n")
	assert.Contains(t, b.String(), "| four | 14d | 0d | 14d | 10.0% / 20.0% | 5.0% / 25.0% | B / A |\n")
	p, err := report.Tornado(x)
	require.NoError(t, err)
	assert.Equal(t, "difference (share; below 0 B does better)", p.X.Label.Text)
}
