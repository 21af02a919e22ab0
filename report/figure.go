package report

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/plan"
)

const secondsPerDay = 24 * 60 * 60

// newPlot returns a plot with the house title and a light grid.
func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Add(&plotter.Grid{Vertical: gridStyle(), Horizontal: gridStyle()})
	return p
}

func gridStyle() draw.LineStyle {
	return draw.LineStyle{Color: color.Gray{Y: 225}, Width: vg.Points(0.5)}
}

// variantStyle is the line style of variant v, the same in every figure.
func variantStyle(v int) draw.LineStyle {
	return draw.LineStyle{Color: plotutil.Color(v), Width: vg.Points(1.5), Dashes: plotutil.Dashes(v)}
}

// metricLabel is a metric's title with its unit, for axes.
func metricLabel(m plan.Metric) string {
	switch {
	case m.Unit == "share":
		return m.Title + " (%)"
	case m.Unit == "count" || strings.Contains(strings.ToLower(m.Title), m.Unit):
		return m.Title
	}
	return m.Title + " (" + m.Unit + ")"
}

// severityLabel is "critical", "high", ...
func severityLabel(sev channel.Severity) string { return strings.ToLower(sev.String()) }

// slaOf returns the scenario's SLA of the severity, in days.
func slaOf(c *plan.Comparison, sev channel.Severity) float64 {
	d := [...]plan.Duration{c.SLA.Critical, c.SLA.High, c.SLA.Medium, c.SLA.Low}
	return d[sev].D().Hours() / 24
}

// ExposureCDF plots, for each variant, the Kaplan-Meier estimate of the
// share of (node, advisory) pairs of severity sev remediated within x days
// of the advisory's publication, and marks the scenario's SLA of the
// severity. A curve that stays below 100% never reaches it within the
// horizon. Of a sweep it draws the baseline (first), frontier and
// recommended variants only. It needs a comparison run with
// plan.Options.Distributions and returns an error otherwise.
func ExposureCDF(c *plan.Comparison, sev channel.Severity) (*plot.Plot, error) {
	if c == nil {
		return nil, errors.New("report: nil comparison")
	}
	if sev >= channel.NumSeverities {
		return nil, fmt.Errorf("report: severity %d is not one of %s", sev, strings.Join(channel.SeverityNames(), ", "))
	}
	if err := needDistributions(c); err != nil {
		return nil, err
	}
	name := severityLabel(sev)
	p := newPlot(fmt.Sprintf("Exposure to %s advisories: share of nodes patched within x days", name),
		"days since the advisory was published", "nodes remediated (% of node-advisory pairs)")
	// The x range ends a little after the last remediation of any variant
	// drawn: every curve is flat beyond its last step.
	xmax := slaOf(c, sev)
	vs := shown(c)
	curves := make([]plotter.XYs, len(vs))
	for i, v := range vs {
		h := &c.Variants[v].Exposure[sev]
		xs, ys := h.Points()
		pts := plotter.XYs{{X: 0, Y: 0}}
		for i := range xs {
			pts = append(pts, plotter.XY{X: xs[i] / secondsPerDay, Y: 100 * ys[i]})
		}
		curves[i] = pts
		if len(xs) > 0 {
			xmax = math.Max(xmax, xs[len(xs)-1]/secondsPerDay)
		}
	}
	xmax = math.Min(math.Ceil(xmax*1.1), float64(horizonDays(c)))
	for i, pts := range curves {
		v := vs[i]
		pts = thin(pts, xmax/1000, 0.1)
		last := pts[len(pts)-1]
		if last.X < xmax {
			pts = append(pts, plotter.XY{X: xmax, Y: last.Y})
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = variantStyle(v)
		p.Add(l)
		label := c.Variants[v].Name
		if h := &c.Variants[v].Exposure[sev]; h.Total() == 0 {
			label += " (no advisory)"
		} else if last.Y < 99.95 {
			label += fmt.Sprintf(" (%.0f%% by the end)", last.Y)
		}
		p.Legend.Add(label, l)
	}
	sla := slaOf(c, sev)
	if err := vline(p, sla, fmt.Sprintf("%s SLA, %g days", name, sla)); err != nil {
		return nil, err
	}
	p.X.Min, p.X.Max = 0, xmax
	p.X.Tick.Marker = dayTicks{}
	p.Y.Min, p.Y.Max = 0, 100
	p.Y.Tick.Marker = percentTicks{}
	return p, nil
}

// shown returns the variants a figure with one series per variant draws,
// in order: the first (the baseline), those on the Pareto frontier and the
// recommended one. Every variant of a small comparison is usually among
// them; a sweep's other variants would only crowd the figure.
func shown(c *plan.Comparison) []int {
	keep := make([]bool, len(c.Variants))
	if len(keep) > 0 {
		keep[0] = true
	}
	for _, v := range c.Frontier {
		if v >= 0 && v < len(keep) {
			keep[v] = true
		}
	}
	if r := c.Recommendation; r != nil && r.Best >= 0 && r.Best < len(keep) {
		keep[r.Best] = true
	}
	var out []int
	for v, k := range keep {
		if k {
			out = append(out, v)
		}
	}
	return out
}

// Draw draws a figure of this package on c as WriteFigures does: the title
// across the whole width and the legend outside the data area, to the right
// of the plot when it is narrow (at most a third of the width) and under it
// otherwise, so that no entry hides data however many there are. Rendering
// the plot directly keeps the legend inside the data area.
func Draw(c draw.Canvas, p *plot.Plot) {
	title, leg := p.Title.Text, p.Legend
	p.Title.Text, p.Legend = "", plot.NewLegend()
	defer func() { p.Title.Text, p.Legend = title, leg }()
	if title != "" {
		descent := p.Title.TextStyle.FontExtents().Descent
		c.FillText(p.Title.TextStyle, vg.Point{X: c.Center().X, Y: c.Max.Y + descent}, title)
		c.Max.Y -= p.Title.TextStyle.Rectangle(title).Size().Y + p.Title.Padding
	}
	leg.Top, leg.Left = true, true
	leg.XOffs, leg.YOffs = 0, 0
	r := leg.Rectangle(c)
	w, h := r.Max.X-r.Min.X, r.Max.Y-r.Min.Y
	gap := vg.Points(10)
	switch {
	case w <= 0:
		p.Draw(c)
	case w <= (c.Max.X-c.Min.X)/3:
		area, side := c, c
		area.Max.X -= w + gap
		side.Min.X = c.Max.X - w - gap/2
		p.Draw(area)
		leg.Draw(side)
	default:
		h += leg.TextStyle.FontExtents().Descent + vg.Points(2)
		area, below := c, c
		area.Min.Y += h + gap
		below.Max.Y = c.Min.Y + h
		below.Min.X += gap
		p.Draw(area)
		leg.Draw(below)
	}
}

// vline adds a dotted vertical reference line with a legend entry.
func vline(p *plot.Plot, x float64, label string) error {
	l, err := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: 100}})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	l.LineStyle = draw.LineStyle{Color: color.Gray{Y: 60}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	p.Add(l)
	p.Legend.Add(label, l)
	return nil
}

func needDistributions(c *plan.Comparison) error {
	for _, s := range c.Variants {
		if len(s.Exposure) != channel.NumSeverities || len(s.PastSLA) == 0 {
			return fmt.Errorf("report: variant %q has no distributions; run plan.Experiment.Compare with Options.Distributions", s.Name)
		}
	}
	if len(c.Variants) == 0 {
		return errors.New("report: the comparison has no variants")
	}
	return nil
}

// PastSLA plots, for each variant, the mean over replications of the
// share of nodes running past the SLA of at least one advisory, day by day
// through the horizon: the baseline, frontier and recommended variants. It
// needs plan.Options.Distributions.
func PastSLA(c *plan.Comparison) (*plot.Plot, error) {
	if c == nil {
		return nil, errors.New("report: nil comparison")
	}
	if err := needDistributions(c); err != nil {
		return nil, err
	}
	p := newPlot("Nodes past SLA on at least one advisory (mean over replications)",
		"days since "+date(c.Start), "nodes past SLA (%)")
	for _, v := range shown(c) {
		s := c.Variants[v]
		pts := make(plotter.XYs, 0, len(s.PastSLA))
		for d, x := range s.PastSLA {
			if finite(x) {
				pts = append(pts, plotter.XY{X: float64(d), Y: 100 * float64(x)})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		l.LineStyle = variantStyle(v)
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	p.X.Min, p.X.Max = 0, float64(horizonDays(c))
	p.Y.Min, p.Y.Max = 0, 100
	p.Y.Tick.Marker = percentTicks{}
	return p, nil
}

// Pareto plots every variant at the values (plan.Stat.Value: pooled for
// exposure quantiles, means otherwise) of the objective's disruption (x)
// and exposure (y) metrics with their 95% intervals as error bars,
// connects the frontier variants, and names the baseline (first),
// frontier and recommended points; other variants are grey dots. A variant whose
// exposure is +Inf (not reached within the horizon) is drawn at the top
// edge with a triangle. Variants whose values are undefined (NaN) are left
// out.
func Pareto(c *plan.Comparison) (*plot.Plot, error) {
	if err := check(c); err != nil {
		return nil, err
	}
	ix, err := columns(c, []string{c.Objective.Exposure, c.Objective.Disruption})
	if err != nil {
		return nil, err
	}
	ex, dis := ix[0], ix[1]
	exM, disM := c.Metrics[ex], c.Metrics[dis]
	scale := func(m plan.Metric, x float64) float64 {
		if m.Unit == "share" {
			return 100 * x
		}
		return x
	}
	// The top edge sits above every finite upper bound.
	top := math.Inf(-1)
	for _, s := range c.Variants {
		_, hi := s.Stats[ex].Interval()
		for _, y := range []plan.Float{s.Stats[ex].Value(), hi} {
			if finite(y) {
				top = math.Max(top, scale(exM, float64(y)))
			}
		}
	}
	if math.IsInf(top, -1) {
		top = float64(horizonDays(c))
	}
	top *= 1.15
	type point struct {
		x, y, xlo, xhi, ylo, yhi float64
		inf                      bool
	}
	pts := map[int]point{}
	var order []int
	for v, s := range c.Variants {
		xs, ys := s.Stats[dis], s.Stats[ex]
		y := ys.Value()
		if !finite(xs.Value()) || math.IsNaN(float64(y)) {
			continue
		}
		pt := point{x: scale(disM, float64(xs.Value())), xlo: scale(disM, float64(xs.Lo)), xhi: scale(disM, float64(xs.Hi))}
		if math.IsInf(float64(y), 1) {
			pt.y, pt.ylo, pt.yhi, pt.inf = top, top, top, true
		} else {
			lo, hi := ys.Interval()
			pt.y, pt.ylo, pt.yhi = scale(exM, float64(y)), scale(exM, float64(lo)), scale(exM, math.Min(float64(hi), top))
		}
		if !finite(xs.Lo) || !finite(xs.Hi) {
			pt.xlo, pt.xhi = pt.x, pt.x
		}
		if !pt.inf && (math.IsNaN(pt.ylo) || math.IsNaN(pt.yhi)) {
			pt.ylo, pt.yhi = pt.y, pt.y
		}
		pts[v] = pt
		order = append(order, v)
	}
	p := newPlot(fmt.Sprintf("Pareto frontier: %s against %s", strings.ToLower(exM.Title), strings.ToLower(disM.Title)),
		metricLabel(disM)+", with 95% interval", metricLabel(exM)+", with 95% interval")
	// The frontier first, so the points draw over it.
	var front plotter.XYs
	for _, v := range c.Frontier {
		if pt, ok := pts[v]; ok {
			front = append(front, plotter.XY{X: pt.x, Y: pt.y})
		}
	}
	if len(front) > 1 {
		l, err := plotter.NewLine(front)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		l.LineStyle = draw.LineStyle{Color: color.Gray{Y: 90}, Width: vg.Points(1.5)}
		// A staircase: from each frontier variant, more disruption buys
		// nothing until the next one lowers the exposure.
		l.StepStyle = plotter.PostStep
		p.Add(l)
		p.Legend.Add("Pareto frontier (lower is better on both axes)", l)
	}
	// Points at the same place share one label; only the variants shown
	// (baseline, frontier, recommended) have labels and error bars, the
	// others are grey dots.
	labels := map[[2]float64][]string{}
	var places [][2]float64
	infShown := false
	named := map[int]bool{}
	for _, v := range shown(c) {
		named[v] = true
	}
	var others plotter.XYs
	for _, v := range order {
		pt := pts[v]
		if !named[v] {
			others = append(others, plotter.XY{X: pt.x, Y: pt.y})
			continue
		}
		errs := xyErrs{{pt.x, pt.y, pt.xlo, pt.xhi, pt.ylo, pt.yhi}}
		xe, err := plotter.NewXErrorBars(errs)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		ye, err := plotter.NewYErrorBars(errs)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		col := plotutil.Color(v)
		xe.LineStyle.Color, ye.LineStyle.Color = col, col
		sc, err := plotter.NewScatter(plotter.XYs{{X: pt.x, Y: pt.y}})
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
		if pt.inf {
			sc.GlyphStyle.Shape = draw.PyramidGlyph{}
			sc.GlyphStyle.Radius = vg.Points(5)
		}
		p.Add(xe, ye, sc)
		if pt.inf && !infShown {
			infShown = true
			p.Legend.Add(fmt.Sprintf("%s not reached within %d days (drawn at the top)", strings.ToLower(exM.Title), horizonDays(c)),
				&plotter.Scatter{GlyphStyle: draw.GlyphStyle{Color: color.Gray{Y: 60}, Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}})
		}
		at := [2]float64{pt.x, pt.y}
		if _, ok := labels[at]; !ok {
			places = append(places, at)
		}
		labels[at] = append(labels[at], c.Variants[v].Name)
	}
	if len(others) > 0 {
		sc, err := plotter.NewScatter(others)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: color.Gray{Y: 150}, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("%s off the frontier", plural(len(others), "other variant", "other variants")), sc)
	}
	var lxy plotter.XYs
	var ltext []string
	for _, at := range places {
		lxy = append(lxy, plotter.XY{X: at[0], Y: at[1]})
		ltext = append(ltext, strings.Join(labels[at], ", "))
	}
	if len(lxy) > 0 {
		lb, err := plotter.NewLabels(plotter.XYLabels{XYs: lxy, Labels: ltext})
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		lb.Offset = vg.Point{X: vg.Points(7), Y: -vg.Points(12)}
		p.Add(lb)
	}
	p.Y.Min = 0
	p.Y.Max = top * 1.05
	if infShown {
		p.Y.Tick.Marker = topTicks{top: top, label: fmt.Sprintf(">%dd", horizonDays(c)), unit: exM.Unit}
	}
	// Room right of the last point for its label.
	right := 0.0
	for _, pt := range pts {
		right = math.Max(right, pt.xhi)
	}
	p.X.Min = 0
	if right > 0 {
		p.X.Max = right * 1.2
	}
	return p, nil
}

// xyErrs are points with absolute error bounds, for the error bar
// plotters.
type xyErrs [][6]float64 // x, y, xlo, xhi, ylo, yhi

func (e xyErrs) Len() int                        { return len(e) }
func (e xyErrs) XY(i int) (float64, float64)     { return e[i][0], e[i][1] }
func (e xyErrs) XError(i int) (float64, float64) { return e[i][0] - e[i][2], e[i][3] - e[i][0] }
func (e xyErrs) YError(i int) (float64, float64) { return e[i][1] - e[i][4], e[i][5] - e[i][1] }

// percentTicks marks 0 to 100 every 20, with minor ticks every 10.
type percentTicks struct{}

func (percentTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for v := 0; v <= 100; v += 10 {
		t := plot.Tick{Value: float64(v)}
		if v%20 == 0 {
			t.Label = strconv.Itoa(v)
		}
		ts = append(ts, t)
	}
	return ts
}

// topTicks are the default ticks below the top edge, where the variants
// whose exposure is not reached within the horizon are drawn, and a tick
// naming that edge.
type topTicks struct {
	top   float64
	label string
	unit  string
}

func (t topTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for _, tk := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if tk.Value < t.top*0.93 {
			ts = append(ts, tk)
		}
	}
	if t.unit != "days" {
		t.label = "inf"
	}
	return append(ts, plot.Tick{Value: t.top, Label: t.label})
}

// thin keeps the first and last points of a monotone step curve and those
// at least dx or dy from the last point kept, which a figure cannot tell
// apart from the full curve but which keeps the SVG small.
func thin(pts plotter.XYs, dx, dy float64) plotter.XYs {
	if len(pts) < 3 {
		return pts
	}
	out := plotter.XYs{pts[0]}
	for _, p := range pts[1 : len(pts)-1] {
		last := out[len(out)-1]
		if p.X-last.X >= dx || math.Abs(p.Y-last.Y) >= dy {
			out = append(out, p)
		}
	}
	return append(out, pts[len(pts)-1])
}

// dayTicks label a day axis with whole days, at the round step that gives
// at most ten labels.
type dayTicks struct{}

func (dayTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1.0
	for _, s := range []float64{1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365} {
		step = s
		if (hi-lo)/s <= 10 {
			break
		}
	}
	var ts []plot.Tick
	for v := math.Ceil(lo/step) * step; v <= hi; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ts
}
