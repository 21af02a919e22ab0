package report

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
)

// ExposureBreakdown draws where the mean exposure to sev's advisories comes
// from: one horizontal bar per variant (the baseline, frontier and
// recommended ones, as the other figures), stacked by stage (fleet.Stage:
// wait for a release cut, build and publication, regional rollout, wait
// for a window, rollout, never remediated), each the stage's share of the
// variant's mean exposure (the means over the replications of
// plan.ExposureKey and meanDays), so that a variant exposed for days reads
// as well as one exposed for most of the horizon; the mean in days stands
// in the variant's label. Variants without pairs of sev, or with a mean
// of zero, are left out, and so is a stage no variant shown has. It
// returns an error when no variant is left.
func ExposureBreakdown(c *plan.Comparison, sev channel.Severity) (*plot.Plot, error) {
	if err := check(c); err != nil {
		return nil, err
	}
	if sev >= channel.NumSeverities {
		return nil, fmt.Errorf("report: severity %d is not one of %s", sev, strings.Join(channel.SeverityNames(), ", "))
	}
	var idx [fleet.NumStages]int
	for st := range fleet.NumStages {
		if idx[st] = metricOf(c, plan.ExposureKey(sev, st)); idx[st] < 0 {
			return nil, fmt.Errorf("report: the comparison has no metric %s", plan.ExposureKey(sev, st))
		}
	}
	// Bars from the top down in the order the other figures list the
	// variants: the y axis counts upwards, so the first is the last bar.
	var names []string
	var vals [fleet.NumStages]plotter.Values
	vs := shown(c)
	for i := len(vs) - 1; i >= 0; i-- {
		s := c.Variants[vs[i]]
		var row [fleet.NumStages]float64
		total, ok := 0.0, true
		for st := range fleet.NumStages {
			if idx[st] >= len(s.Stats) {
				return nil, fmt.Errorf("report: variant %q has %d statistics, want %d", s.Name, len(s.Stats), len(c.Metrics))
			}
			x := float64(s.Stats[idx[st]].Mean)
			if math.IsNaN(x) || math.IsInf(x, 0) {
				ok = false
				break
			}
			row[st] = x
			total += x
		}
		if !ok || total <= 0 {
			continue
		}
		names = append(names, fmt.Sprintf("%s (%s d)", s.Name, plainDays(total)))
		for st := range fleet.NumStages {
			vals[st] = append(vals[st], 100*row[st]/total)
		}
	}
	if len(names) == 0 {
		return nil, errors.New("report: no variant shown has " + severityLabel(sev) + " advisories")
	}
	p := newPlot(fmt.Sprintf("Where the mean exposure to %s advisories comes from (mean days in brackets)", severityLabel(sev)),
		"share of the mean exposure, restricted to the horizon (%)", "")
	width := max(vg.Points(6), min(vg.Points(28), vg.Points(200/float64(len(names)))))
	var below *plotter.BarChart
	for st := range fleet.NumStages {
		used := false
		for _, x := range vals[st] {
			used = used || x > 0
		}
		if !used {
			continue
		}
		b, err := plotter.NewBarChart(vals[st], width)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		b.Horizontal = true
		b.Color = stageColor(st)
		b.LineStyle = draw.LineStyle{Width: 0}
		if below != nil {
			b.StackOn(below)
		}
		below = b
		p.Add(b)
		p.Legend.Add(stageLegend(st), b)
	}
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, 100
	p.X.Tick.Marker = percentTicks{}
	p.Y.Min, p.Y.Max = -0.6, float64(len(names))-0.4
	return p, nil
}

// stageColor is the colour of stage st: the palette's first five for the
// stages before remediation, grey for never.
func stageColor(st fleet.Stage) color.Color {
	if st == fleet.StageNever {
		return color.Gray{Y: 150}
	}
	return plotutil.Color(int(st))
}

// stageLegend is a stage's legend entry: its title, capitalised.
func stageLegend(st fleet.Stage) string {
	t := plan.ExposureStageTitle(st)
	return strings.ToUpper(t[:1]) + t[1:]
}

// plainDays formats days with one decimal.
func plainDays(x float64) string { return fmt.Sprintf("%.1f", x) }

// objectiveSeverity returns the severity of the objective's exposure
// metric (high for "high.p95Days"), or high when it names none.
func objectiveSeverity(c *plan.Comparison) channel.Severity {
	sev, _, _ := strings.Cut(c.Objective.Exposure, ".")
	if s, err := channel.ParseSeverity(sev); err == nil {
		return s
	}
	return channel.High
}

// metricOf returns the position of the metric key in c.Metrics (the
// order of each variant's Stats), or -1.
func metricOf(c *plan.Comparison, key string) int {
	for i, m := range c.Metrics {
		if m.Key == key {
			return i
		}
	}
	return -1
}

// breakdownShown reports whether ExposureBreakdown has a bar to draw for
// sev: the comparison has the stage metrics and a variant it shows has a
// finite, positive mean exposure to sev.
func breakdownShown(c *plan.Comparison, sev channel.Severity) bool {
	mean := metricOf(c, severityLabel(sev)+".meanDays")
	if mean < 0 || metricOf(c, plan.ExposureKey(sev, fleet.StageCut)) < 0 {
		return false
	}
	for _, v := range shown(c) {
		if s := c.Variants[v]; mean < len(s.Stats) {
			if x := float64(s.Stats[mean].Mean); x > 0 && !math.IsInf(x, 0) {
				return true
			}
		}
	}
	return false
}
