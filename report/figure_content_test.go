package report_test

import (
	"image/color"
	"math"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

// figureComparison is a 30-day comparison of three variants whose
// figures can be worked by hand. A's critical pairs: 2 fixed after 1 day,
// 2 after 3 days; B's: 1 fixed after 2 days, 3 still open at the end; C
// (off the frontier, so left out of crowded figures) fixes everything in
// an hour. No variant had a high advisory. A is past SLA on 10% of its
// nodes, 40% on day 3; B's series is undefined. Objective: critical mean
// days against reimages: A (1.0, 2), B (0.5, not reached), C (2.0, 3).
func figureComparison() *plan.Comparison {
	const day = 24 * time.Hour
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	c := &plan.Comparison{Scenario: "figures", Start: start, End: start.AddDate(0, 0, 30), Replications: 2, Metrics: plan.Metrics,
		SLA:       plan.SLA{Critical: plan.Duration(7 * day), High: plan.Duration(30 * day), Medium: plan.Duration(90 * day), Low: plan.Duration(180 * day)},
		Objective: plan.Objective{Exposure: "critical.meanDays", Disruption: "reimagesPerNodeMonth"},
		Frontier:  []int{1, 0}}
	ex, dis := plan.MetricIndex("critical.meanDays"), plan.MetricIndex("reimagesPerNodeMonth")
	for v, name := range []string{"A", "B", "C"} {
		s := plan.Summary{Name: name, Stats: make([]plan.Stat, len(plan.Metrics)), Exposure: make([]fleet.Histogram, channel.NumSeverities)}
		for d := range 30 {
			x := plan.Float(math.NaN())
			if v == 0 {
				x = 0.1
				if d == 3 {
					x = 0.4
				}
			}
			s.PastSLA = append(s.PastSLA, x)
		}
		c.Variants = append(c.Variants, s)
	}
	a, b, cc := &c.Variants[0], &c.Variants[1], &c.Variants[2]
	a.Exposure[channel.Critical].Add(day, 2)
	a.Exposure[channel.Critical].Add(3*day, 2)
	b.Exposure[channel.Critical].Add(2*day, 1)
	b.Exposure[channel.Critical].AddCensored(5*day, 3)
	cc.Exposure[channel.Critical].Add(time.Hour, 4)
	inf := plan.Float(math.Inf(1))
	a.Stats[ex], a.Stats[dis] = plan.Stat{N: 2, Mean: 2, Lo: 1.5, Hi: 2.5}, plan.Stat{N: 2, Mean: 1, Lo: 0.9, Hi: 1.1}
	b.Stats[ex], b.Stats[dis] = plan.Stat{N: 1, Inf: 1, Mean: inf, Lo: inf, Hi: inf}, plan.Stat{N: 2, Mean: 0.5, Lo: 0.45, Hi: 0.55}
	cc.Stats[ex], cc.Stats[dis] = plan.Stat{N: 2, Mean: 3, Lo: 2.8, Hi: 3.2}, plan.Stat{N: 2, Mean: 2, Lo: 1.8, Hi: 2.2}
	return c
}

// paths returns the points of every path stroked in each colour, in the
// order drawn: a figure draws its data before its legend's samples.
func paths(p *plot.Plot) map[color.Color][][]vg.Point {
	rec := new(recorder.Canvas)
	report.Draw(draw.NewCanvas(rec, 8*vg.Inch, 5*vg.Inch), p)
	out := map[color.Color][][]vg.Point{}
	var col color.Color
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			col = a.Color
		case *recorder.Stroke:
			var pts []vg.Point
			for _, pc := range a.Path {
				if pc.Type == vg.MoveComp || pc.Type == vg.LineComp {
					pts = append(pts, pc.Pos)
				}
			}
			out[col] = append(out[col], pts)
		}
	}
	return out
}

// strokes returns the first path stroked in each colour: a series, not
// its legend sample.
func strokes(p *plot.Plot) map[color.Color][]vg.Point {
	out := map[color.Color][]vg.Point{}
	for col, ps := range paths(p) {
		out[col] = ps[0]
	}
	return out
}

func ys(pts []vg.Point, y0, y100 vg.Length) []float64 {
	seen := map[float64]bool{}
	var out []float64
	for _, p := range pts {
		y := math.Round(float64(100*(p.Y-y0)/(y100-y0))*1000) / 1000
		if !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	sort.Float64s(out)
	return out
}

// TestExposureCDFContent: the curves step where the pairs were fixed, the
// axis ends a tenth past the SLA or the last fix, and the legend names
// each variant drawn with how far its curve gets.
func TestExposureCDFContent(t *testing.T) {
	c := figureComparison()
	p, err := report.ExposureCDF(c, channel.Critical)
	require.NoError(t, err)
	assert.Equal(t, "Exposure to critical advisories: share of nodes patched within x days", p.Title.Text)
	// The last fix is at 3 days, before the 7-day SLA: ceil(7 x 1.1) = 8.
	assert.Equal(t, [4]float64{0, 8, 0, 100}, [4]float64{p.X.Min, p.X.Max, p.Y.Min, p.Y.Max})
	d := drawFigure(t, p)
	for _, s := range []string{"A", "B (25% by the end)", "critical SLA, 7 days"} {
		assert.NotNil(t, d.text(s), "legend %q", s)
	}
	assert.Empty(t, d.containing("C"), "C is off the frontier and not recommended")

	// The SLA line runs from 0% to 100% at 7 days: it gives the scale.
	st := strokes(p)
	sla := st[color.Gray{Y: 60}]
	require.Len(t, sla, 2)
	y0, y100 := sla[0].Y, sla[1].Y
	a, b := st[plotutil.Color(0)], st[plotutil.Color(1)]
	require.NotEmpty(t, a)
	require.NotEmpty(t, b)
	assert.Equal(t, []float64{0, 50, 100}, ys(a, y0, y100), "A: half fixed after a day, all after three")
	assert.Equal(t, []float64{0, 25}, ys(b, y0, y100), "B: a quarter, then open to the end")
	// x: the curves start at 0 days and run to the axis' end, 8 days.
	x0 := a[0].X
	day := (sla[0].X - x0) / 7
	assert.InDelta(t, 8, float64((a[len(a)-1].X-x0)/day), 1e-6)
	assert.InDelta(t, 8, float64((b[len(b)-1].X-x0)/day), 1e-6)
	// A steps up at 1 and 3 days, to the histogram's bins (1/64 of a
	// power of two wide: within 2%).
	var steps []float64
	for i := 1; i < len(a); i++ {
		if a[i].Y != a[i-1].Y {
			steps = append(steps, float64((a[i].X-x0)/day))
		}
	}
	require.Len(t, steps, 2)
	assert.InEpsilon(t, 1, steps[0], 0.02)
	assert.InEpsilon(t, 3, steps[1], 0.02)

	p, err = report.ExposureCDF(c, channel.High)
	require.NoError(t, err)
	d = drawFigure(t, p)
	assert.NotNil(t, d.text("A (no advisory)"))
	assert.NotNil(t, d.text("high SLA, 30 days"))
	assert.Equal(t, 30.0, p.X.Max, "the SLA, 30 days, a tenth more is past the 30-day run: cut at its end")
}

// TestPastSLAContent: one series a variant drawn, day by day over the run;
// a variant whose series is undefined is left out.
func TestPastSLAContent(t *testing.T) {
	c := figureComparison()
	p, err := report.PastSLA(c)
	require.NoError(t, err)
	assert.Equal(t, "days since 2025-01-06", p.X.Label.Text)
	assert.Equal(t, [4]float64{0, 30, 0, 100}, [4]float64{p.X.Min, p.X.Max, p.Y.Min, p.Y.Max})
	d := drawFigure(t, p)
	assert.NotNil(t, d.text("A"))
	assert.Nil(t, d.text("B"), "B's series is undefined every day")
	assert.Nil(t, d.text("C"))
	all := paths(p)
	a := all[plotutil.Color(0)][0]
	require.Len(t, a, 30, "a point a day")
	// The grid's lines stand at the labelled ticks: 0% to 100% every 20%
	// across, 0 to 30 days every 10 up.
	var across, up []float64
	for _, g := range all[color.Gray{Y: 225}] {
		switch {
		case len(g) != 2:
		case g[0].Y == g[1].Y:
			across = append(across, float64(g[0].Y))
		case g[0].X == g[1].X:
			up = append(up, float64(g[0].X))
		}
	}
	require.Len(t, across, 6)
	require.Len(t, up, 4)
	sort.Float64s(across)
	sort.Float64s(up)
	y0, y100 := vg.Length(across[0]), vg.Length(across[5])
	x0, x30 := vg.Length(up[0]), vg.Length(up[3])
	for i, pt := range a {
		want := 10.0
		if i == 3 {
			want = 40
		}
		assert.InDelta(t, want, float64(100*(pt.Y-y0)/(y100-y0)), 1e-6, "day %d", i)
		assert.InDelta(t, float64(i), float64(30*(pt.X-x0)/(x30-x0)), 1e-6, "day %d", i)
	}
}

// TestParetoContent: the frontier variants are named, the one not reached
// stands at the top edge, the dominated one is a grey dot, and the axes
// leave room above and right of every interval.
func TestParetoContent(t *testing.T) {
	c := figureComparison()
	p, err := report.Pareto(c)
	require.NoError(t, err)
	assert.Equal(t, "Pareto frontier: critical mean exposure (restricted to the horizon) against reimages per node-month", p.Title.Text)
	assert.Equal(t, "Reimages per node-month, with 95% interval", p.X.Label.Text)
	assert.Equal(t, "Critical mean exposure (restricted to the horizon) (days), with 95% interval", p.Y.Label.Text)
	// The top edge is 15% above the highest finite bound, C's 3.2 days;
	// the axis 5% above that. x: 20% right of C's upper bound, 2.2.
	assert.InDelta(t, 3.2*1.15*1.05, p.Y.Max, 1e-12)
	assert.InDelta(t, 2.2*1.2, p.X.Max, 1e-12)
	d := drawFigure(t, p)
	for _, s := range []string{"A", "B", "Pareto frontier (lower is better on both axes)", "1 other variant off the frontier",
		"critical mean exposure (restricted to the horizon) not reached within 30 days (drawn at the top)", ">30d"} {
		assert.NotNil(t, d.text(s), "%q", s)
	}
	assert.Nil(t, d.text("C"), "a dominated variant is not named")
	// The frontier staircase runs from B, at the top edge, to A.
	front := strokes(p)[color.Gray{Y: 90}]
	require.GreaterOrEqual(t, len(front), 2)
	assert.Greater(t, float64(front[0].Y), float64(front[len(front)-1].Y), "B (not reached) above A")
	assert.Less(t, float64(front[0].X), float64(front[len(front)-1].X), "B (0.5 reimages) left of A (1.0)")
}
