package report

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
)

// DefaultColumns are the metrics a table shows when Options.Columns is nil:
// the exposure of high and medium advisories (Ubuntu's priorities of 2024
// have no critical Linux advisory, channel.DefaultConfig), the share of
// high advisories closed within their SLA, the share of nodes past SLA,
// and the disruption each channel costs.
var DefaultColumns = []string{
	"high.p95Days",
	"medium.p95Days",
	"high.withinSLA",
	"pastSLAShare",
	"reimagesPerNodeMonth",
	"rebootsPerNodeMonth",
	"nodeHoursUnavailable",
	"failedOperations",
}

// ChurnColumns are the metrics of autoscaled pools that a table with the
// default columns adds when a variant created nodes.
var ChurnColumns = []string{"nodesCreated", "nodesRemoved", "churnShare"}

// withChurn returns cols, followed by ChurnColumns when a variant of c
// created nodes (an autoscaled pool).
func withChurn(c *plan.Comparison, cols []string) []string {
	i := plan.MetricIndex("nodesCreated")
	for _, s := range c.Variants {
		if i >= 0 && i < len(s.Stats) && s.Stats[i].Mean > 0 {
			return append(slices.Clip(cols), ChurnColumns...)
		}
	}
	return cols
}

// Options select what Text and Markdown show. The zero value shows the
// means of DefaultColumns.
type Options struct {
	// Columns are the metric keys to show, in order (see plan.Metrics);
	// nil means DefaultColumns.
	Columns []string
	// CI adds each mean's 95% confidence interval, as "mean [lo, hi]".
	CI bool
	// Diff adds, under every variant but the first, a row of paired
	// differences against the first variant (this variant minus the first).
	Diff bool
}

// table is the content shared by Text and Markdown.
type table struct {
	intro   []string
	titles  []string // column titles, variant column first
	keys    []string
	units   []string
	rows    [][]string // first cell is the row name
	indents []bool     // rows that are paired differences
	notes   []string
	warns   []string
}

// build checks c and opt and lays out the table.
func build(c *plan.Comparison, opt Options) (*table, error) {
	if err := check(c); err != nil {
		return nil, err
	}
	cols := opt.Columns
	if cols == nil {
		cols = withStages(c, withChurn(c, DefaultColumns))
	}
	idx, err := columns(c, cols)
	seen := map[string]int{}
	for i, k := range opt.Columns {
		if j, dup := seen[k]; dup {
			err = errors.Join(err, fmt.Errorf("report: Options.Columns[%d]: %q is also Columns[%d]; list each metric once", i, k, j))
		} else {
			seen[k] = i
		}
	}
	if err != nil {
		return nil, err
	}
	f := formatter{horizon: horizonDays(c)}
	t := &table{}
	t.intro = append(t.intro, fmt.Sprintf("Scenario %s: %s x %s, %d days from %s, seed %d.",
		c.Scenario, plural(len(c.Variants), "variant", "variants"), plural(c.Replications, "replication", "replications"),
		f.horizon, date(c.Start), c.Seed))
	t.intro = append(t.intro, slaLine(c), constraintsLine(c))
	how := "Exposure quantiles pooled over every replication's pairs (Kaplan-Meier), other metrics means over the replications"
	if opt.CI {
		how += ", with 95% intervals"
	}
	if opt.Diff && len(c.Variants) > 1 {
		how += "; rows \"vs " + c.Variants[0].Name + "\" are paired differences (variant minus " + c.Variants[0].Name + ")"
	}
	t.intro = append(t.intro, how+".")
	t.titles = append(t.titles, "variant")
	t.keys = append(t.keys, "")
	t.units = append(t.units, "")
	for _, m := range idx {
		t.titles = append(t.titles, c.Metrics[m].Title)
		t.keys = append(t.keys, c.Metrics[m].Key)
		t.units = append(t.units, unitLabel(c.Metrics[m].Unit))
	}
	inf, nan, part := false, false, false
	for v, s := range c.Variants {
		row := []string{s.Name}
		for _, m := range idx {
			st := s.Stats[m]
			cell := f.stat(st, c.Metrics[m].Unit, opt.CI, false)
			x := float64(st.Value())
			if st.Pooled != nil && st.Inf > 0 && !math.IsInf(x, 1) {
				cell += fmt.Sprintf(" (%s)", percent(st.Inf, st.N+st.Inf))
				part = true
			}
			row = append(row, cell)
			inf = inf || math.IsInf(x, 1)
			nan = nan || math.IsNaN(x)
		}
		t.rows = append(t.rows, row)
		t.indents = append(t.indents, false)
		if opt.Diff && v > 0 && len(s.Diff) == len(c.Metrics) {
			row := []string{"vs " + c.Variants[0].Name}
			for _, m := range idx {
				row = append(row, f.stat(s.Diff[m], c.Metrics[m].Unit, opt.CI, true))
			}
			t.rows = append(t.rows, row)
			t.indents = append(t.indents, true)
		}
	}
	if inf {
		t.notes = append(t.notes, fmt.Sprintf(">%dd: not reached within the %d-day horizon (a quantile: by the pairs of every replication pooled; a mean: in at least one replication).", f.horizon, f.horizon))
	}
	if part {
		t.notes = append(t.notes, "(n%): the share of replications that did not reach the quantile on their own pairs; the value pools every replication.")
	}
	if nan {
		t.notes = append(t.notes, notApplicable+": no advisory of that severity was published in any replication.")
	}
	t.notes = append(t.notes, frontierLine(c))
	t.notes = append(t.notes, recommendationLines(c, f)...)
	t.notes = append(t.notes, whyLines(c)...)
	if l := stageLine(c, f); l != "" {
		t.notes = append(t.notes, l)
	}
	for _, s := range c.Variants {
		for _, w := range s.Warnings {
			t.warns = append(t.warns, s.Name+": "+w)
		}
	}
	return t, nil
}

// check reports a comparison whose variants do not match its metrics.
func check(c *plan.Comparison) error {
	if c == nil {
		return errors.New("report: nil comparison")
	}
	var errs []error
	for v, s := range c.Variants {
		if len(s.Stats) != len(c.Metrics) {
			errs = append(errs, fmt.Errorf("report: variants[%d] (%q) has %d stats for %d metrics", v, s.Name, len(s.Stats), len(c.Metrics)))
		}
		if len(s.Diff) != 0 && len(s.Diff) != len(c.Metrics) {
			errs = append(errs, fmt.Errorf("report: variants[%d] (%q) has %d differences for %d metrics", v, s.Name, len(s.Diff), len(c.Metrics)))
		}
	}
	return errors.Join(errs...)
}

// columns maps metric keys to their index in c.Metrics, naming every
// unknown key.
func columns(c *plan.Comparison, keys []string) ([]int, error) {
	var idx []int
	var errs []error
	for i, k := range keys {
		found := -1
		for m, mt := range c.Metrics {
			if mt.Key == k {
				found = m
				break
			}
		}
		if found < 0 {
			errs = append(errs, fmt.Errorf("report: Options.Columns[%d]: %q is not a metric; allowed: %s", i, k, metricKeys(c)))
			continue
		}
		idx = append(idx, found)
	}
	if len(keys) == 0 {
		errs = append(errs, errors.New("report: Options.Columns: empty; give at least one metric, or nil for DefaultColumns"))
	}
	return idx, errors.Join(errs...)
}

func metricKeys(c *plan.Comparison) string {
	keys := make([]string, len(c.Metrics))
	for i, m := range c.Metrics {
		keys[i] = m.Key
	}
	return strings.Join(keys, ", ")
}

func frontierLine(c *plan.Comparison) string {
	var names []string
	for _, v := range c.Frontier {
		if v >= 0 && v < len(c.Variants) {
			names = append(names, c.Variants[v].Name)
		}
	}
	list := "none"
	if len(names) > 0 {
		list = strings.Join(names, ", ")
	}
	return fmt.Sprintf("Pareto frontier of %s against %s (both lower is better; by increasing %s): %s.",
		c.Objective.Exposure, c.Objective.Disruption, c.Objective.Disruption, list)
}

func recommendationLines(c *plan.Comparison, f formatter) []string {
	r := c.Recommendation
	if r == nil {
		return nil
	}
	unit := ""
	for _, m := range c.Metrics {
		if m.Key == c.Objective.Exposure {
			unit = m.Unit
		}
	}
	name := func(v int) string {
		if v < 0 || v >= len(c.Variants) {
			return "?"
		}
		return c.Variants[v].Name
	}
	if r.Best < 0 || r.Best >= len(c.Variants) {
		out := []string{"No recommendation: " + r.Reason + "."}
		if r.Closest >= 0 && r.Closest < len(c.Variants) && len(r.Misses) > 0 {
			var ms []string
			for _, m := range r.Misses {
				mu := ""
				for _, mt := range c.Metrics {
					if mt.Key == m.Metric {
						mu = mt.Unit
					}
				}
				op := "<="
				if !m.Max {
					op = ">="
				}
				u := ""
				if mu == "days" {
					u = " days"
				}
				ms = append(ms, fmt.Sprintf("%s is %s%s against %s %g (off by %s%s)", m.Metric, f.value(m.Value, mu), u, op, m.Bound, f.value(m.By, mu), u))
			}
			out = append(out, fmt.Sprintf("Closest: %s: %s.", name(r.Closest), strings.Join(ms, "; ")))
		}
		return out
	}
	out := []string{fmt.Sprintf("Recommended: %s, the %s.", name(r.Best), r.Reason)}
	if r.RunnerUp < 0 || r.RunnerUp >= len(c.Variants) {
		return append(out, "Runner-up: none; no other variant meets the constraints.")
	}
	line := "Runner-up: " + name(r.RunnerUp)
	if r.Margin != nil {
		line += fmt.Sprintf("; margin on %s (runner-up minus recommended, paired over %s): %s",
			c.Objective.Exposure, plural(r.Margin.N+r.Margin.Inf, "replication", "replications"), f.diff(r.Margin.Mean, unit))
		if unit != "" && unit != "share" && finite(r.Margin.Mean) {
			line += " " + unit
		}
		if finite(r.Margin.Lo) && finite(r.Margin.Hi) {
			line += ", 95% CI [" + f.diff(r.Margin.Lo, unit) + ", " + f.diff(r.Margin.Hi, unit) + "]"
		}
	}
	out = append(out, line+".")
	if len(r.Tied) > 0 {
		var names []string
		for _, v := range r.Tied {
			names = append(names, name(v))
		}
		out = append(out, fmt.Sprintf("Tied with %s (a sign test over the paired replications finds no difference in %s at 5%%): %s.",
			name(r.Best), c.Objective.Exposure, strings.Join(names, ", ")))
	}
	return out
}

// whyLines say, for each variant a figure would show (baseline, frontier,
// recommended), which pool holds most of its node-days past SLA and which
// fails most of its operations (plan.Summary.Pools), and under Fleet
// Manager where its ring spends its time (plan.Summary.Stages).
func whyLines(c *plan.Comparison) []string {
	var out []string
	for _, v := range shown(c) {
		s := c.Variants[v]
		if len(s.Pools) == 0 {
			continue
		}
		past, fail := -1, -1
		failed := plan.Float(0)
		for i, p := range s.Pools {
			if finite(p.PastSLAPart) && (past < 0 || p.PastSLAPart > s.Pools[past].PastSLAPart) {
				past = i
			}
			failed += p.Failed
			if p.Failed > 0 && (fail < 0 || p.Failed > s.Pools[fail].Failed) {
				fail = i
			}
		}
		var parts []string
		if past < 0 {
			parts = append(parts, "never past SLA")
		} else {
			p := s.Pools[past]
			nodes := plural(p.Count, "node is", "nodes are")
			if p.NodesCreated+p.NodesRemoved > 0 {
				nodes = fmt.Sprintf("nodes (%d at the start) are", p.Count)
			}
			parts = append(parts, fmt.Sprintf("%s/%s holds %s of the node-days past SLA (its %s past SLA %s of days)",
				p.Cluster, p.Pool, pct(p.PastSLAPart), nodes, pct(p.PastSLAShare)))
		}
		if fail >= 0 {
			p := s.Pools[fail]
			parts = append(parts, fmt.Sprintf("%s/%s fails %s of the %s failed operations a run",
				p.Cluster, p.Pool, trimNegZero(strconv.FormatFloat(float64(p.Failed), 'f', decimals(float64(p.Failed)), 64)),
				trimNegZero(strconv.FormatFloat(float64(failed), 'f', decimals(float64(failed)), 64))))
		}
		if w := stageWhy(c, s); w != "" {
			parts = append(parts, w)
		}
		out = append(out, fmt.Sprintf("Why %s: %s.", s.Name, strings.Join(parts, "; ")))
	}
	return out
}

// stagePhrases say where a variant's exposure mostly is, by stage.
var stagePhrases = [fleet.NumStages]string{
	fleet.StageCut:     "waiting for a release cut with the fix",
	fleet.StageBuild:   "in build and publication",
	fleet.StageRegion:  "in the regional rollout",
	fleet.StageWindow:  "waiting for a window or operation",
	fleet.StageRollout: "in the rollout",
	fleet.StageNever:   "never remediated within the horizon",
}

// stageLine says where the mean exposure to the objective's severity
// comes from for the recommended variant (or, with none, the closest) and
// the runner-up (or, with none, the variant next best on the objective):
// the mean in days and the stage holding most of it (plan.ExposureKey). It
// is empty when neither has a finite mean.
func stageLine(c *plan.Comparison, f formatter) string {
	r := c.Recommendation
	if r == nil {
		return ""
	}
	first, second, role := r.Best, r.RunnerUp, "runner-up"
	if first < 0 {
		first = r.Closest
	}
	if second < 0 {
		second, role = -1, "next on "+c.Objective.Exposure
		obj := metricOf(c, c.Objective.Exposure)
		for v, s := range c.Variants {
			if v == first || obj < 0 || obj >= len(s.Stats) || math.IsNaN(float64(s.Stats[obj].Value())) {
				continue
			}
			if second < 0 || s.Stats[obj].Value() < c.Variants[second].Stats[obj].Value() {
				second = v
			}
		}
	}
	sev := objectiveSeverity(c)
	mean := metricOf(c, severityLabel(sev)+".meanDays")
	var parts []string
	for i, v := range []int{first, second} {
		if v < 0 || v >= len(c.Variants) || mean < 0 || mean >= len(c.Variants[v].Stats) {
			continue
		}
		s := c.Variants[v]
		total := s.Stats[mean].Mean
		if !finite(total) || total <= 0 {
			continue
		}
		top, topDays := fleet.Stage(0), plan.Float(-1)
		for st := range fleet.NumStages {
			k := metricOf(c, plan.ExposureKey(sev, st))
			if k >= 0 && k < len(s.Stats) && finite(s.Stats[k].Mean) && s.Stats[k].Mean > topDays {
				top, topDays = st, s.Stats[k].Mean
			}
		}
		name := s.Name
		if i == 1 {
			name += " (" + role + ")"
		}
		parts = append(parts, fmt.Sprintf("%s %s, most %s (%s, %s)", name, f.value(total, "days"), stagePhrases[top], f.value(topDays, "days"), pct(topDays/total)))
	}
	if len(parts) == 0 {
		return ""
	}
	return fmt.Sprintf("Where %s exposure comes from (mean days, restricted to the horizon; stages in JSON and CSV): %s.", severityLabel(sev), strings.Join(parts, "; "))
}

// pct formats a share as a whole percentage, "under 1%" or "over 99%"
// for one that only rounds to 0% or 100%.
func pct(x plan.Float) string {
	// A share that rounds to 0% or 100% without being so says which side
	// it is on.
	switch r := math.Round(100 * float64(x)); {
	case r == 0 && x > 0:
		return "under 1%"
	case r == 100 && x < 1:
		return "over 99%"
	}
	return strconv.FormatFloat(100*float64(x), 'f', 0, 64) + "%"
}

// slaLine names the SLA per severity and the settle period.
func slaLine(c *plan.Comparison) string {
	f := formatter{}
	return fmt.Sprintf("SLA from publication: critical %s, high %s, medium %s, low %s; advisories published in the last %s days of the run (settle) are left out of exposure.",
		c.SLA.Critical, c.SLA.High, c.SLA.Medium, c.SLA.Low, f.value(plan.Float(c.Settle.D().Hours()/24), "days"))
}

// constraintsLine names the recommendation's objective and constraints.
func constraintsLine(c *plan.Comparison) string {
	var cs []string
	for _, k := range c.Constraints {
		cs = append(cs, k.String())
	}
	list := "none"
	if len(cs) > 0 {
		list = strings.Join(cs, ", ")
	}
	return fmt.Sprintf("Recommendation: least %s subject to %s.", c.Objective.Exposure, list)
}

// Text writes c as an aligned table for terminals: a header naming the
// scenario, replications, horizon and seed; one row per variant (and per
// paired difference with opt.Diff); then the Pareto frontier, the
// recommendation with its runner-up and margin, and the variants'
// warnings. Columns are headed by metric key and unit; +Inf days print as
// ">Nd" for an N-day horizon and NaN as "n/a". It returns an error naming
// every unknown column, or the writer's error.
func Text(w io.Writer, c *plan.Comparison, opt Options) error {
	t, err := build(c, opt)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, l := range t.intro {
		b.WriteString(l + "\n")
	}
	b.WriteString("\n")
	names := make([]string, len(t.rows))
	for i, r := range t.rows {
		names[i] = r[0]
		if t.indents[i] {
			names[i] = "  " + r[0]
		}
	}
	lines := [][]string{t.keys, t.units}
	for i, r := range t.rows {
		lines = append(lines, append([]string{names[i]}, r[1:]...))
	}
	lines[0][0] = t.titles[0]
	width := make([]int, len(t.keys))
	for _, l := range lines {
		for j, cell := range l {
			width[j] = max(width[j], utf8.RuneCountInString(cell))
		}
	}
	for _, l := range lines {
		var sb strings.Builder
		for j, cell := range l {
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(cell))
			if j == 0 {
				sb.WriteString(cell + pad)
			} else {
				sb.WriteString("  " + pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(sb.String(), " ") + "\n")
	}
	b.WriteString("\n")
	for _, l := range t.notes {
		b.WriteString(l + "\n")
	}
	if len(t.warns) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, l := range t.warns {
			b.WriteString("  " + l + "\n")
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// Markdown writes the content of Text as GitHub-flavoured Markdown: the
// header as a paragraph, a table headed by metric title and unit with
// numbers right-aligned, and the notes and warnings as lists.
func Markdown(w io.Writer, c *plan.Comparison, opt Options) error {
	t, err := build(c, opt)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(strings.Join(t.intro, " ") + "\n\n")
	b.WriteString("| Variant |")
	for j := 1; j < len(t.titles); j++ {
		title := t.titles[j]
		if u := t.units[j]; u != "%" && u != "count" && !strings.Contains(strings.ToLower(title), u) {
			title += " (" + u + ")"
		}
		b.WriteString(" " + mdEscape(title) + " |")
	}
	b.WriteString("\n|:--|")
	for j := 1; j < len(t.titles); j++ {
		b.WriteString("--:|")
	}
	b.WriteString("\n")
	for i, r := range t.rows {
		name := mdEscape(r[0])
		if t.indents[i] {
			name = "&emsp;" + name
		} else {
			name = "**" + name + "**"
		}
		b.WriteString("| " + name + " |")
		for _, cell := range r[1:] {
			b.WriteString(" " + mdEscape(cell) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	for _, l := range t.notes {
		b.WriteString("- " + mdEscape(l) + "\n")
	}
	if len(t.warns) > 0 {
		b.WriteString("\nWarnings:\n\n")
		for _, l := range t.warns {
			b.WriteString("- " + mdEscape(l) + "\n")
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// mdEscape keeps s from breaking a table cell or starting markup.
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "<", `\<`, ">", `\>`).Replace(s)
}

// CSV writes every metric of every variant in long format, one row per
// (variant, metric), with the header
//
//	variant,metric,unit,n,inf,mean,sd,lo,hi,pooled,pooled_lo,pooled_hi,diff_n,diff_inf,diff_mean,diff_sd,diff_lo,diff_hi,sla.criticalDays,sla.highDays,sla.mediumDays,sla.lowDays,settleDays
//
// The pooled columns hold an exposure quantile pooled over every
// replication (plan.Pooled; empty for other metrics); the diff_ columns
// the paired difference against the first variant (empty for the first).
// The last columns, the same on every row, are the SLA per severity and
// the settle period the exposure metrics were measured against (slaHead).
// Numbers are exact shortest decimals, +Inf is "+Inf" and NaN (not
// applicable) an empty field.
func CSV(w io.Writer, c *plan.Comparison) error {
	if err := check(c); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{"variant", "metric", "unit", "n", "inf", "mean", "sd", "lo", "hi",
		"pooled", "pooled_lo", "pooled_hi", "diff_n", "diff_inf", "diff_mean", "diff_sd", "diff_lo", "diff_hi"}, slaHead...)); err != nil {
		return err
	}
	sla := slaCells(c)
	for _, s := range c.Variants {
		for m, mt := range c.Metrics {
			st := s.Stats[m]
			rec := []string{s.Name, mt.Key, mt.Unit, strconv.Itoa(st.N), strconv.Itoa(st.Inf),
				csvFloat(st.Mean), csvFloat(st.SD), csvFloat(st.Lo), csvFloat(st.Hi)}
			if p := st.Pooled; p != nil {
				rec = append(rec, csvFloat(p.Value), csvFloat(p.Lo), csvFloat(p.Hi))
			} else {
				rec = append(rec, "", "", "")
			}
			if len(s.Diff) == len(c.Metrics) {
				d := s.Diff[m]
				rec = append(rec, strconv.Itoa(d.N), strconv.Itoa(d.Inf), csvFloat(d.Mean), csvFloat(d.SD), csvFloat(d.Lo), csvFloat(d.Hi))
			} else {
				rec = append(rec, "", "", "", "", "", "")
			}
			if err := cw.Write(append(rec, sla...)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WideCSV writes one row per variant for spreadsheets, with the header
//
//	variant,<axis>...,<metric>,<metric>.lo,<metric>.hi,...,sla.criticalDays,sla.highDays,sla.mediumDays,sla.lowDays,settleDays
//
// The axis columns are a sweep's grid axes (plan.Summary.Grid), each its
// own column in the order the axes first appear (empty for a variant off
// the grid); then every metric's value (plan.Stat.Value: pooled for
// exposure quantiles) and its 95% interval; last the SLA and settle
// period, as in CSV. Numbers are as in CSV: exact shortest decimals,
// "+Inf", and an empty field for NaN.
func WideCSV(w io.Writer, c *plan.Comparison) error {
	if err := check(c); err != nil {
		return err
	}
	var axes []string
	seen := map[string]bool{}
	for _, s := range c.Variants {
		for _, g := range s.Grid {
			if !seen[g.Axis] {
				seen[g.Axis] = true
				axes = append(axes, g.Axis)
			}
		}
	}
	head := append([]string{"variant"}, axes...)
	for _, m := range c.Metrics {
		head = append(head, m.Key, m.Key+".lo", m.Key+".hi")
	}
	head = append(head, slaHead...)
	sla := slaCells(c)
	cw := csv.NewWriter(w)
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, s := range c.Variants {
		rec := []string{s.Name}
		for _, a := range axes {
			v := ""
			for _, g := range s.Grid {
				if g.Axis == a {
					v = g.Value
				}
			}
			rec = append(rec, v)
		}
		for _, st := range s.Stats {
			lo, hi := st.Interval()
			rec = append(rec, csvFloat(st.Value()), csvFloat(lo), csvFloat(hi))
		}
		if err := cw.Write(append(rec, sla...)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// PoolCSV writes each variant's breakdown by pool (plan.Summary.Pools),
// one row per (variant, pool), with the header
//
//	variant,cluster,pool,count,pastSLAShare,pastSLAPart,critical.vulnerableNodeDays,high.vulnerableNodeDays,medium.vulnerableNodeDays,low.vulnerableNodeDays,operations,failedOperations,blockedDrains,quarantined,reimages,nodesCreated,nodesRemoved,sla.criticalDays,sla.highDays,sla.mediumDays,sla.lowDays,settleDays
//
// count is the pool's nodes at the start; nodesCreated and nodesRemoved
// are the autoscaler's (0 for a fixed-size pool). The SLA and settle
// columns are as in CSV. Numbers are as in CSV.
func PoolCSV(w io.Writer, c *plan.Comparison) error {
	if err := check(c); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	head := []string{"variant", "cluster", "pool", "count", "pastSLAShare", "pastSLAPart"}
	for _, sev := range channel.SeverityNames() {
		head = append(head, sev+".vulnerableNodeDays")
	}
	head = append(head, "operations", "failedOperations", "blockedDrains", "quarantined", "reimages", "nodesCreated", "nodesRemoved")
	head = append(head, slaHead...)
	sla := slaCells(c)
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, s := range c.Variants {
		for _, p := range s.Pools {
			rec := []string{s.Name, p.Cluster, p.Pool, strconv.Itoa(p.Count), csvFloat(p.PastSLAShare), csvFloat(p.PastSLAPart)}
			for _, x := range p.VulnerableNodeDays {
				rec = append(rec, csvFloat(x))
			}
			for _, x := range []plan.Float{p.Operations, p.Failed, p.BlockedDrains, p.Quarantined, p.Reimages, p.NodesCreated, p.NodesRemoved} {
				rec = append(rec, csvFloat(x))
			}
			if err := cw.Write(append(rec, sla...)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// slaHead heads the columns that close every CSV row: the SLA per
// severity and the settle period, in days, so that a spreadsheet keeps
// what the exposure metrics were measured against.
var slaHead = []string{"sla.criticalDays", "sla.highDays", "sla.mediumDays", "sla.lowDays", "settleDays"}

// slaCells returns the values of slaHead's columns for c.
func slaCells(c *plan.Comparison) []string {
	var out []string
	for _, d := range []plan.Duration{c.SLA.Critical, c.SLA.High, c.SLA.Medium, c.SLA.Low, c.Settle} {
		out = append(out, csvFloat(plan.Float(d.D().Hours()/24)))
	}
	return out
}

// JSON writes c as indented JSON, every field included (distributions and
// traces too, when the comparison kept them). The output is deterministic;
// +Inf is "+Inf" and NaN null, as plan.Float writes them.
func JSON(w io.Writer, c *plan.Comparison) error {
	if c == nil {
		return errors.New("report: nil comparison")
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
