package report_test

import (
	"context"
	"image/color"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

// drawing is what a figure drew: every text with where it stands, and the
// number of filled shapes, from a recording canvas (gonum's vg/recorder)
// that report.Draw draws on as WriteFigures does.
type drawing struct {
	texts []*recorder.FillString
	fills int
}

func drawFigure(t *testing.T, p *plot.Plot) drawing {
	t.Helper()
	rec := new(recorder.Canvas)
	report.Draw(draw.NewCanvas(rec, 8*vg.Inch, 5*vg.Inch), p)
	var d drawing
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.FillString:
			d.texts = append(d.texts, a)
		case *recorder.Fill:
			d.fills++
		}
	}
	return d
}

// text returns the drawn text equal to s, or nil.
func (d drawing) text(s string) *recorder.FillString {
	for _, f := range d.texts {
		if f.String == s {
			return f
		}
	}
	return nil
}

func (d drawing) containing(s string) []string {
	var out []string
	for _, f := range d.texts {
		if strings.Contains(f.String, s) {
			out = append(out, f.String)
		}
	}
	return out
}

var (
	sweepOnce sync.Once
	sweep     *plan.Comparison
	sweepErr  error
)

// sweepComparison runs a 12-variant sweep (three channels by four window
// days) for 60 days, 3 replications, with distributions and traces.
func sweepComparison(t *testing.T) *plan.Comparison {
	t.Helper()
	sweepOnce.Do(func() {
		s, err := plan.Parse([]byte(`
name: sweep
start: "2025-01-06T00:00:00Z"
horizon: 60d
seed: 3
replications: 3
clusters:
  - name: prod
    region: westeurope
    pools:
      - name: apps
        count: 6
grid:
  nodeOSUpgradeChannel: [NodeImage, SecurityPatch, None]
  windowDay: [Saturday, Sunday, Monday, Tuesday]
`), ".")
		if err != nil {
			sweepErr = err
			return
		}
		p, err := plan.New(s)
		if err != nil {
			sweepErr = err
			return
		}
		sweep, sweepErr = p.Compare(context.Background(), plan.Options{Distributions: true, Trace: true})
	})
	require.NoError(t, sweepErr)
	return sweep
}

// shownNames are the variants a crowded figure keeps: the first, the
// frontier and the recommended one.
func shownNames(c *plan.Comparison) map[string]bool {
	out := map[string]bool{c.Variants[0].Name: true}
	for _, v := range c.Frontier {
		out[c.Variants[v].Name] = true
	}
	if r := c.Recommendation; r != nil && r.Best >= 0 {
		out[c.Variants[r.Best].Name] = true
	}
	return out
}

func TestSweepCDFShowsFrontierAndBaselineWithTheLegendOutside(t *testing.T) {
	c := sweepComparison(t)
	require.Greater(t, len(c.Variants), 10)
	show := shownNames(c)
	require.Less(t, len(show), len(c.Variants), "the sweep has variants off the frontier")
	p, err := report.ExposureCDF(c, channel.High)
	require.NoError(t, err)
	assert.Equal(t, 0.0, p.X.Min)
	assert.LessOrEqual(t, p.X.Max, 60.0, "the x axis ends within the horizon")
	assert.GreaterOrEqual(t, p.X.Max, 30.0, "and shows the 30-day high SLA")
	assert.Equal(t, [2]float64{0, 100}, [2]float64{p.Y.Min, p.Y.Max})
	d := drawFigure(t, p)
	for _, v := range c.Variants {
		got := d.containing(v.Name)
		if show[v.Name] {
			assert.Len(t, got, 1, "%s has one legend entry", v.Name)
		} else {
			assert.Empty(t, got, "%s is neither baseline, frontier nor recommended", v.Name)
		}
	}
	sla := d.text("high SLA, 30 days")
	require.NotNil(t, sla)
	// The legend stands outside the data: right of the x axis' last tick
	// label, or below the x axis' title.
	last := d.text("60")
	if last == nil {
		last = d.text("56")
	}
	axis := d.text("days since the advisory was published")
	require.NotNil(t, axis)
	outside := last != nil && sla.Point.X > last.Point.X || sla.Point.Y < axis.Point.Y
	assert.True(t, outside, "legend entry at %v, last tick %v, axis title %v", sla.Point, last, axis.Point)
}

func TestSweepParetoLabelsOnlyTheShownVariants(t *testing.T) {
	c := sweepComparison(t)
	show := shownNames(c)
	p, err := report.Pareto(c)
	require.NoError(t, err)
	assert.Equal(t, 0.0, p.Y.Min)
	d := drawFigure(t, p)
	labelled := 0
	for _, v := range c.Variants {
		if len(d.containing(v.Name)) > 0 {
			labelled++
			assert.True(t, show[v.Name], "%s is labelled but neither baseline, frontier nor recommended", v.Name)
		}
	}
	assert.Positive(t, labelled)
	others := len(c.Variants) - len(show)
	assert.NotNil(t, d.text(strconv.Itoa(others)+" other variants off the frontier"), "one legend entry for the grey dots")
}

func TestBigPoolRolloutIsDrawnInBatches(t *testing.T) {
	s, err := plan.Parse([]byte(`
name: big
start: "2025-01-06T00:00:00Z"
horizon: 21d
seed: 1
replications: 1
clusters:
  - name: prod
    region: westeurope
    nodeOSUpgradeChannel: NodeImage
    pools:
      - name: big
        count: 200
`), ".")
	require.NoError(t, err)
	p, err := plan.New(s)
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), plan.Options{Trace: true})
	require.NoError(t, err)
	fig, err := report.Rollout(c, 0, time.Time{}, time.Time{})
	require.NoError(t, err)
	// 200 nodes in rows of ceil(200/30) = 7: 29 rows (the last of 4 nodes)
	// and the surge row.
	assert.Contains(t, fig.Title.Text, "(200 nodes, 7 a row)")
	assert.Equal(t, -0.6, fig.Y.Min)
	assert.Equal(t, 30-0.4, fig.Y.Max)
	d := drawFigure(t, fig)
	assert.NotNil(t, d.text("surge nodes"))
	assert.NotNil(t, d.text("nodes 0-6"))
	assert.NotNil(t, d.text("nodes 196-199"))
	assert.Empty(t, d.containing("node 1"), "no row per node")
	// Per row and kind the bars merge below a thousandth of the window:
	// far fewer shapes than the 200 nodes' steps.
	steps := 0
	for _, a := range c.Variants[0].Actions {
		if a.Pool == "big" {
			steps++
		}
	}
	assert.Less(t, d.fills, steps/2, "%d filled shapes for %d steps", d.fills, steps)
}

func TestSweepPastSLAShowsFrontierAndBaseline(t *testing.T) {
	c := sweepComparison(t)
	show := shownNames(c)
	p, err := report.PastSLA(c)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{0, 60}, [2]float64{p.X.Min, p.X.Max}, "the 60-day horizon")
	assert.Equal(t, [2]float64{0, 100}, [2]float64{p.Y.Min, p.Y.Max})
	d := drawFigure(t, p)
	entries := 0
	for _, v := range c.Variants {
		if n := len(d.containing(v.Name)); n > 0 {
			entries += n
			assert.True(t, show[v.Name], "%s is drawn but neither baseline, frontier nor recommended", v.Name)
		}
	}
	assert.Equal(t, len(show), entries, "one legend entry per variant shown")
}

// bar is a filled rectangle the figure drew: its colour and extent.
type bar struct {
	color          color.Color
	x0, x1, y0, y1 vg.Length
}

// fills returns every filled shape drawn, with the colour it was drawn in
// and its bounding box.
func fills(p *plot.Plot) []bar {
	rec := new(recorder.Canvas)
	report.Draw(draw.NewCanvas(rec, 8*vg.Inch, 5*vg.Inch), p)
	var out []bar
	var cur color.Color
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.SetColor:
			cur = a.Color
		case *recorder.Fill:
			b := bar{color: cur, x0: vg.Length(math.Inf(1)), y0: vg.Length(math.Inf(1)), x1: vg.Length(math.Inf(-1)), y1: vg.Length(math.Inf(-1))}
			for _, c := range a.Path {
				if c.Type == vg.MoveComp || c.Type == vg.LineComp {
					b.x0, b.x1 = min(b.x0, c.Pos.X), max(b.x1, c.Pos.X)
					b.y0, b.y1 = min(b.y0, c.Pos.Y), max(b.y1, c.Pos.Y)
				}
			}
			out = append(out, b)
		}
	}
	return out
}

// The stage figure of the default comparison: a bar per variant, stacked
// from one series (colour) per stage some variant has, every bar's stages
// together 100% of its mean exposure, so all as long; each named with the
// variant and its mean in days; the legend outside the data.
func TestExposureBreakdownDrawn(t *testing.T) {
	c := shortDefault(t)
	p, err := report.ExposureBreakdown(c, channel.High)
	require.NoError(t, err)
	assert.Equal(t, [2]float64{0, 100}, [2]float64{p.X.Min, p.X.Max})
	n := len(c.Variants)
	assert.Equal(t, [2]float64{-0.6, float64(n) - 0.4}, [2]float64{p.Y.Min, p.Y.Max})
	used := 0
	for st := range fleet.NumStages {
		k := plan.MetricIndex(plan.ExposureKey(channel.High, st))
		for _, v := range c.Variants {
			if v.Stats[k].Mean > 0 {
				used++
				break
			}
		}
	}
	require.Positive(t, used)

	d := drawFigure(t, p)
	last := d.text("100")
	require.NotNil(t, last)
	// Bars are the fills in a colour other than the white background
	// taller than a fifth of an inch: the bars of four variants are 28
	// points high, the legend's swatches the height of a line of text.
	rows := map[vg.Length]vg.Length{} // bar centre -> total length
	colours := map[color.Color]int{}
	for _, b := range fills(p) {
		r, g, bl, _ := b.color.RGBA()
		if r == 0xffff && g == 0xffff && bl == 0xffff || b.y1-b.y0 < vg.Inch/5 {
			continue
		}
		rows[(b.y0+b.y1)/2] += b.x1 - b.x0
		colours[b.color]++
	}
	assert.Len(t, rows, n, "a bar per variant")
	assert.Len(t, colours, used, "a series per stage some variant has")
	var first vg.Length
	for _, w := range rows {
		if first == 0 {
			first = w
		}
		assert.InDelta(t, float64(first), float64(w), 0.01, "every bar spans 100%")
	}

	mean := plan.MetricIndex("high.meanDays")
	for _, v := range c.Variants {
		label := v.Name + " (" + strconv.FormatFloat(float64(v.Stats[mean].Mean), 'f', 1, 64) + " d)"
		assert.NotNil(t, d.text(label), "variant label %q", label)
	}
	window := d.text("Wait for a window or operation")
	require.NotNil(t, window, "a legend entry per stage")
	assert.Greater(t, window.Point.X, last.Point.X, "the legend stands right of the data")

	_, err = report.ExposureBreakdown(c, channel.NumSeverities)
	assert.ErrorContains(t, err, "not one of critical, high, medium, low")
}
