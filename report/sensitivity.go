package report

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/patchsim/patchsim/plan"
)

// SensitivityText writes x as a table, one row per assumption: its range,
// each variant's objective exposure at the low and at the high end (base
// on the first line), and the recommended variant at each end; then the
// sentence of plan.Sensitivity.Holds. With markdown the table is Markdown.
func SensitivityText(w io.Writer, x *plan.Sensitivity, markdown bool) error {
	if x == nil || x.Base == nil {
		return fmt.Errorf("report: nil sensitivity")
	}
	c := x.Base
	ex := plan.MetricIndex(c.Objective.Exposure)
	rec := func(s string) string {
		if s == "" {
			return "none"
		}
		return s
	}
	// Values print as in the comparison's tables, in the metric's unit.
	f, unit := formatter{horizon: horizonDays(c)}, plan.Metrics[ex].Unit
	cell := func(v plan.Float) string { return f.value(v, unit) }
	head := []string{"assumption", "base", "low", "high"}
	for _, v := range c.Variants {
		head = append(head, v.Name+" low/high")
	}
	head = append(head, "recommended low/high")
	rows := [][]string{}
	base := []string{"(base)", "", "", ""}
	for _, v := range c.Variants {
		base = append(base, cell(v.Stats[ex].Value()))
	}
	rows = append(rows, append(base, rec(recommendedOf(c))))
	for _, r := range x.Rows {
		a := r.Assumption
		row := []string{a.Name, a.Format(a.Base), a.Format(a.Low), a.Format(a.High)}
		for i := range c.Variants {
			row = append(row, cell(r.Low[i])+" / "+cell(r.High[i]))
		}
		rows = append(rows, append(row, rec(r.RecommendedLow)+" / "+rec(r.RecommendedHigh)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Sensitivity of %s (%s, %d replications per run, the same seed in every run) to each assumption at the ends of its plausible range.\n\n",
		c.Objective.Exposure, c.Scenario, c.Replications)
	if markdown {
		b.WriteString("| " + strings.Join(head, " | ") + " |\n| :-- |" + strings.Repeat(" --: |", len(head)-1) + "\n")
		for _, r := range rows {
			b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		}
	} else {
		width := make([]int, len(head))
		for _, r := range append([][]string{head}, rows...) {
			for i, s := range r {
				width[i] = max(width[i], len(s))
			}
		}
		for _, r := range append([][]string{head}, rows...) {
			for i, s := range r {
				if i == 0 {
					fmt.Fprintf(&b, "%-*s", width[i], s)
				} else {
					fmt.Fprintf(&b, "  %*s", width[i], s)
				}
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n" + x.Holds() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func recommendedOf(c *plan.Comparison) string {
	if r := c.Recommendation; r != nil && r.Best >= 0 {
		return c.Variants[r.Best].Name
	}
	return ""
}

// Tornado draws x as a tornado figure of the objective exposure: for the
// base recommendation (the first variant when there is none) against its
// closest competitor (the other variant with the lowest finite base
// value), the competitor's value minus the recommendation's at the low and
// at the high end of each assumption's range, the widest on top, with the
// base difference as a dotted line; below zero the competitor does better.
// Without a competitor it draws the recommendation's own value. A value not
// reached within the horizon is drawn at the horizon; an end where a value
// is undefined (no advisory of the metric's severity) has no bar, and an
// undefined base value is an error.
func Tornado(x *plan.Sensitivity) (*plot.Plot, error) {
	if x == nil || x.Base == nil {
		return nil, fmt.Errorf("report: nil sensitivity")
	}
	c := x.Base
	ex := plan.MetricIndex(c.Objective.Exposure)
	v := 0
	if r := c.Recommendation; r != nil && r.Best >= 0 {
		v = r.Best
	}
	horizon := c.End.Sub(c.Start).Hours() / 24
	clamp := func(f plan.Float) float64 {
		if math.IsInf(float64(f), 1) || float64(f) > horizon {
			return horizon
		}
		return float64(f)
	}
	rival := -1
	for i, s := range c.Variants {
		if val := float64(s.Stats[ex].Value()); i != v && !math.IsInf(val, 0) && !math.IsNaN(val) &&
			(rival < 0 || val < float64(c.Variants[rival].Stats[ex].Value())) {
			rival = i
		}
	}
	value := func(vals []plan.Float) float64 {
		if rival < 0 {
			return clamp(vals[v])
		}
		return clamp(vals[rival]) - clamp(vals[v])
	}
	baseVals := make([]plan.Float, len(c.Variants))
	for i, s := range c.Variants {
		baseVals[i] = s.Stats[ex].Value()
	}
	base := value(baseVals)
	if math.IsNaN(base) {
		return nil, fmt.Errorf("report: %s is undefined for %s at the base values; there is nothing to compare", c.Objective.Exposure, c.Variants[v].Name)
	}
	type bar struct {
		name      string
		low, high float64
	}
	var bars []bar
	for _, r := range x.Rows {
		bars = append(bars, bar{r.Assumption.Name, value(r.Low), value(r.High)})
	}
	// span is a bar's width; an undefined end spans nothing.
	span := func(b bar) float64 {
		lo, hi := b.low, b.high
		if math.IsNaN(lo) {
			lo = base
		}
		if math.IsNaN(hi) {
			hi = base
		}
		return math.Abs(hi - lo)
	}
	// Narrowest first: plot rows count up from the bottom.
	for i := 1; i < len(bars); i++ {
		for j := i; j > 0 && span(bars[j]) < span(bars[j-1]); j-- {
			bars[j], bars[j-1] = bars[j-1], bars[j]
		}
	}
	title := fmt.Sprintf("Sensitivity of %s's %s", c.Variants[v].Name, c.Objective.Exposure)
	unit := plan.Metrics[ex].Unit
	xLabel := c.Objective.Exposure + " (" + unit + ")"
	if rival >= 0 {
		title = fmt.Sprintf("%s minus %s, %s", c.Variants[rival].Name, c.Variants[v].Name, c.Objective.Exposure)
		xLabel = "difference (" + unit + "; below 0 " + c.Variants[rival].Name + " does better)"
	}
	p := newPlot(title, xLabel, "")
	var ticks []plot.Tick
	styles := []draw.LineStyle{
		{Color: color.RGBA{R: 70, G: 110, B: 190, A: 255}, Width: vg.Points(12)},
		{Color: color.RGBA{R: 220, G: 120, B: 50, A: 255}, Width: vg.Points(12)},
	}
	var inLegend [2]bool
	for i, b := range bars {
		y := float64(i)
		for k, end := range []float64{b.low, b.high} {
			if math.IsNaN(end) {
				continue
			}
			l, err := plotter.NewLine(plotter.XYs{{X: base, Y: y}, {X: end, Y: y}})
			if err != nil {
				return nil, fmt.Errorf("report: %w", err)
			}
			l.LineStyle = styles[k]
			p.Add(l)
			if !inLegend[k] {
				inLegend[k] = true
				p.Legend.Add([]string{"low end", "high end"}[k], l)
			}
		}
		ticks = append(ticks, plot.Tick{Value: y, Label: b.name})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.7, float64(len(bars))-0.3
	ref, err := plotter.NewLine(plotter.XYs{{X: base, Y: p.Y.Min}, {X: base, Y: p.Y.Max}})
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	ref.LineStyle = draw.LineStyle{Color: color.Gray{Y: 60}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	p.Add(ref)
	p.Legend.Add(fmt.Sprintf("base %+.1f", base), ref)
	if rival >= 0 {
		zero, err := plotter.NewLine(plotter.XYs{{X: 0, Y: p.Y.Min}, {X: 0, Y: p.Y.Max}})
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		zero.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
		p.Add(zero)
		p.Legend.Add("tie", zero)
	}
	return p, nil
}

// WriteTornado writes the tornado figure of x as dir/tornado.FORMAT for
// each format ("png", "svg"; none means both) and returns the paths.
func WriteTornado(dir string, x *plan.Sensitivity, formats ...string) ([]string, error) {
	formats, err := figureFormats(formats)
	if err != nil {
		return nil, err
	}
	p, err := Tornado(x)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var paths []string
	for _, f := range formats {
		b, err := render(p, f)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "tornado."+f)
		files[path] = b
		paths = append(paths, path)
	}
	if err := writeAll(dir, paths, files); err != nil {
		return nil, err
	}
	return paths, nil
}
