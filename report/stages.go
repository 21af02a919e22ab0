package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/plan"
)

// StageColumns are the Fleet Manager metrics that a table with the default
// columns adds when a variant has an update strategy's stages.
var StageColumns = []string{"lastStageDays", "behindFirstStageShare"}

// withStages returns cols, followed by StageColumns when a variant of c
// has Fleet Manager stages.
func withStages(c *plan.Comparison, cols []string) []string {
	if hasStages(c) {
		return append(slices.Clip(cols), StageColumns...)
	}
	return cols
}

// days1 writes a number of days with one decimal.
func days1(x plan.Float) string {
	return trimNegZero(strconv.FormatFloat(float64(x), 'f', 1, 64)) + " d"
}

// stageWhy says where a variant's ring spends its time: the mean time from
// a release's publication to each stage done, as the increment over the
// stage before (the wait after that stage included), the stage that takes
// longest, and the stage that holds most node-days past SLA; "" without
// stages.
func stageWhy(c *plan.Comparison, s plan.Summary) string {
	st := s.Stages
	if len(st) == 0 {
		return ""
	}
	last := st[len(st)-1]
	if !finite(last.ReleaseToDoneDays) {
		return fmt.Sprintf("no update run got through stage %s within the run", last.Name)
	}
	var steps []string
	longest, most := 0, plan.Float(-1)
	prev := plan.Float(0)
	for i, x := range st {
		if !finite(x.ReleaseToDoneDays) {
			return fmt.Sprintf("no update run got through stage %s within the run", x.Name)
		}
		step := x.ReleaseToDoneDays - prev
		prev = x.ReleaseToDoneDays
		if step > most {
			longest, most = i, step
		}
		text := x.Name + " " + days1(step)
		if i == 0 {
			steps = append(steps, text)
			continue
		}
		text = x.Name + " +" + days1(step)
		if w := st[i-1].AfterStageWaitDays; w > 0 {
			wait := days1(w)
			if w < 1 {
				// Under a day, in hours: a 1-hour wait is not "0.0 d".
				wait = strconv.FormatFloat(math.Round(float64(w)*24*10)/10, 'f', -1, 64) + " h"
			}
			text += fmt.Sprintf(" (%s the wait after %s)", wait, st[i-1].Name)
		}
		steps = append(steps, text)
	}
	out := fmt.Sprintf("a release is done on its last stage %s after publication", days1(last.ReleaseToDoneDays))
	if i := plan.MetricIndex("lastStageDays"); i >= 0 && i < len(s.Stats) && s.Stats[i].Inf > 0 {
		// The stages' times are over the replications in which a run got
		// through the last stage; the table's mean counts the others as
		// not reached.
		n := s.Stats[i]
		out += fmt.Sprintf(" in the %d of %d replications where an update run got through it", n.N, n.N+n.Inf)
	}
	out += fmt.Sprintf(", longest in %s: %s", st[longest].Name, strings.Join(steps, ", "))
	total, top := plan.Float(0), 0
	for i, x := range st {
		total += x.PastSLANodeDays
		if x.PastSLANodeDays > st[top].PastSLANodeDays {
			top = i
		}
	}
	if total > 0 {
		out += fmt.Sprintf("; %s holds %s of the members' node-days past SLA", st[top].Name, pct(st[top].PastSLANodeDays/total))
	}
	if i := plan.MetricIndex("behindFirstStageShare"); i >= 0 && i < len(s.Stats) && finite(s.Stats[i].Mean) {
		out += fmt.Sprintf("; %s of the members are behind the first stage on a mean day", pct(s.Stats[i].Mean))
	}
	return out
}

// StageCSV writes each variant's Fleet Manager stages
// (plan.Summary.Stages), one row per (variant, stage), with the header
//
//	variant,stage,members,afterStageWaitDays,completedRuns,releaseToDoneDays,maxReleaseToDoneDays,critical.vulnerableNodeDays,high.vulnerableNodeDays,medium.vulnerableNodeDays,low.vulnerableNodeDays,pastSLANodeDays,sla.criticalDays,sla.highDays,sla.mediumDays,sla.lowDays,settleDays
//
// members is the stage's member clusters separated by spaces; the other
// numbers are means per replication, as in CSV, except
// maxReleaseToDoneDays, the longest of any replication. completedRuns
// counts the runs done on the stage; the release-to-done times are over
// the runs that got through the last stage, the same for every stage
// (plan.UpdateStageSummary). Variants without Fleet Manager have no row.
func StageCSV(w io.Writer, c *plan.Comparison) error {
	if err := check(c); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"variant", "stage", "members", "afterStageWaitDays", "completedRuns", "releaseToDoneDays", "maxReleaseToDoneDays"}
	for _, sev := range channel.SeverityNames() {
		head = append(head, sev+".vulnerableNodeDays")
	}
	head = append(append(head, "pastSLANodeDays"), slaHead...)
	sla := slaCells(c)
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, s := range c.Variants {
		for _, st := range s.Stages {
			rec := []string{s.Name, st.Name, strings.Join(st.Members, " "), csvFloat(st.AfterStageWaitDays), csvFloat(st.Completed),
				csvFloat(st.ReleaseToDoneDays), csvFloat(st.MaxReleaseToDoneDays)}
			for _, x := range st.VulnerableNodeDays {
				rec = append(rec, csvFloat(x))
			}
			rec = append(rec, csvFloat(st.PastSLANodeDays))
			if err := cw.Write(append(rec, sla...)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// StageTimes plots, for each variant with Fleet Manager stages, the mean
// time from a release's publication to each stage done: the stages in
// order on the x axis, one line per variant (every variant when there are
// at most eight, else those Text shows a why line for), so that where the
// lines climb is where the rings spend their time.
func StageTimes(c *plan.Comparison) (*plot.Plot, error) {
	if err := check(c); err != nil {
		return nil, err
	}
	vs := shown(c)
	if len(c.Variants) <= 8 {
		vs = nil
		for v := range c.Variants {
			vs = append(vs, v)
		}
	}
	var names []string
	p := newPlot("Release to stage done (mean over replications)", "stage", "days after publication")
	for _, v := range vs {
		s := c.Variants[v]
		if len(s.Stages) == 0 {
			continue
		}
		if names == nil {
			for _, st := range s.Stages {
				names = append(names, st.Name)
			}
		}
		var pts plotter.XYs
		for i, st := range s.Stages {
			if finite(st.ReleaseToDoneDays) {
				pts = append(pts, plotter.XY{X: float64(i), Y: float64(st.ReleaseToDoneDays)})
			}
		}
		if len(pts) == 0 {
			continue
		}
		l, sc, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		l.LineStyle = variantStyle(v)
		sc.Color = l.LineStyle.Color
		p.Add(l, sc)
		p.Legend.Add(s.Name, l)
	}
	if names == nil {
		return nil, fmt.Errorf("report: no variant of %s has Fleet Manager stages", c.Scenario)
	}
	ticks := make([]plot.Tick, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: n}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.25, float64(len(names)-1)+0.25
	p.Y.Min = 0
	return p, nil
}

// WriteStageTimes writes StageTimes(c) to dir/stage-times.png and .svg
// (or the formats given), each file whole or not at all; it returns the
// paths written.
func WriteStageTimes(dir string, c *plan.Comparison, formats ...string) ([]string, error) {
	p, err := StageTimes(c)
	if err != nil {
		return nil, err
	}
	if len(formats) == 0 {
		formats = []string{"png", "svg"}
	}
	files := map[string][]byte{}
	var paths []string
	for i, f := range formats {
		if f != "png" && f != "svg" {
			return nil, fmt.Errorf("report: formats[%d]: %q is not png or svg", i, f)
		}
		b, err := render(p, f)
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "stage-times."+f)
		files[path] = b
		paths = append(paths, path)
	}
	if err := writeAll(dir, paths, files); err != nil {
		return nil, err
	}
	return paths, nil
}
