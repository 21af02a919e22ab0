package report

import (
	"errors"
	"fmt"
	"image/color"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
)

// rolloutGap joins actions less than this apart into one rollout when
// Rollout picks the window itself.
const rolloutGap = time.Hour

// maxRolloutRows bounds the node rows of a rollout chart; bigger pools are
// drawn in batches of consecutive nodes.
const maxRolloutRows = 30

// barSlices is the number of slices of the time axis below which the gap
// between two bars of one row and kind is not drawn: they merge, so a row
// holds at most this many bars of a kind however many nodes it stands for.
const barSlices = 1000

// mergeBars returns the bars of acts on their rows, clipped to [0, x1]
// hours: per row and kind, bars that overlap or lie closer than
// x1/barSlices are joined.
func mergeBars(acts []fleet.Action, rowOf map[int]float64, hours func(time.Time) float64, x1 float64) []bar {
	type key struct {
		row  float64
		kind fleet.ActionKind
	}
	spans := map[key][][2]float64{}
	var keys []key
	for _, a := range acts {
		k := key{rowOf[a.Node], a.Kind}
		if _, ok := spans[k]; !ok {
			keys = append(keys, k)
		}
		spans[k] = append(spans[k], [2]float64{max(hours(a.Start), 0), min(hours(a.End), x1)})
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].row != keys[j].row {
			return keys[i].row > keys[j].row
		}
		return keys[i].kind < keys[j].kind
	})
	gap := x1 / barSlices
	var out []bar
	for _, k := range keys {
		sp := spans[k]
		sort.Slice(sp, func(i, j int) bool { return sp[i][0] < sp[j][0] })
		cur := sp[0]
		for _, x := range sp[1:] {
			if x[0] <= cur[1]+gap {
				cur[1] = max(cur[1], x[1])
				continue
			}
			out = append(out, bar{row: k.row, x0: cur[0], x1: cur[1], col: kindColor[k.kind]})
			cur = x
		}
		out = append(out, bar{row: k.row, x0: cur[0], x1: cur[1], col: kindColor[k.kind]})
	}
	return out
}

// kindColor is the bar colour of each rollout step.
var kindColor = map[fleet.ActionKind]color.Color{
	fleet.ActSurge:      color.RGBA{R: 150, G: 150, B: 150, A: 255},
	fleet.ActDrain:      color.RGBA{R: 230, G: 159, B: 0, A: 255},
	fleet.ActSoak:       color.RGBA{R: 86, G: 180, B: 233, A: 255},
	fleet.ActReimage:    color.RGBA{R: 0, G: 114, B: 178, A: 255},
	fleet.ActLivePatch:  color.RGBA{R: 0, G: 158, B: 115, A: 255},
	fleet.ActInstall:    color.RGBA{R: 0, G: 158, B: 115, A: 255},
	fleet.ActReboot:     color.RGBA{R: 204, G: 121, B: 167, A: 255},
	fleet.ActBlocked:    color.RGBA{R: 213, G: 94, B: 0, A: 255},
	fleet.ActQuarantine: color.RGBA{R: 0, G: 0, B: 0, A: 255},
}

type poolKey struct{ cluster, pool string }

// Rollout draws a Gantt chart of one node pool through one maintenance
// window of variant's rollout trace (replication 0): one row per node
// (node 0 at the top), or per batch of consecutive nodes when the pool has
// more than 30 (the title says how many a row), and one for the pool's
// surge nodes, with a bar per step coloured by kind (surge, drain, soak,
// reimage, ...); steps of one kind on a row closer than a thousandth of the
// window merge, so the chart stays small for any pool. The pool is the one
// with the most reimages between from and to (the most steps when none
// reimages; ties go to the pool acting first). When from and to are both
// zero, the window is the first rollout with a reimage: the steps joined to
// it by gaps under an hour. It needs plan.Options.Trace and returns an
// error when the variant is out of range, has no trace, or has no step in
// the window.
func Rollout(c *plan.Comparison, variant int, from, to time.Time) (*plot.Plot, error) {
	if c == nil {
		return nil, errors.New("report: nil comparison")
	}
	if variant < 0 || variant >= len(c.Variants) {
		return nil, fmt.Errorf("report: variant %d is outside 0 to %d", variant, len(c.Variants)-1)
	}
	s := c.Variants[variant]
	if len(s.Actions) == 0 {
		return nil, fmt.Errorf("report: variant %q has no rollout trace; run plan.Experiment.Compare with Options.Trace (a channel that never reimages or reboots has none)", s.Name)
	}
	if from.IsZero() && to.IsZero() {
		var ok bool
		if from, to, ok = firstRollout(s.Actions); !ok {
			return nil, fmt.Errorf("report: variant %q has no rollout step", s.Name)
		}
	}
	if !to.After(from) {
		return nil, fmt.Errorf("report: rollout window %s to %s is empty; to must be after from", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	in := func(a fleet.Action) bool { return a.End.After(from) && a.Start.Before(to) || a.Start.Equal(from) }
	pool, ok := busiestPool(s.Actions, in)
	if !ok {
		return nil, fmt.Errorf("report: variant %q has no rollout step between %s and %s", s.Name, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	nodes := map[int]bool{}
	kinds := map[fleet.ActionKind]bool{}
	var acts []fleet.Action
	for _, a := range s.Actions {
		if a.Cluster == pool.cluster && a.Pool == pool.pool && in(a) {
			acts = append(acts, a)
			nodes[a.Node] = true
			kinds[a.Kind] = true
		}
	}
	ids := make([]int, 0, len(nodes))
	for n := range nodes {
		ids = append(ids, n)
	}
	sort.Ints(ids) // -1, the surge row, first
	// Rows: the surge nodes, then the pool's nodes one per row, or in
	// batches of consecutive nodes when there are more than maxRolloutRows.
	surge := len(ids) > 0 && ids[0] < 0
	pn := ids
	if surge {
		pn = ids[1:]
	}
	per := (len(pn) + maxRolloutRows - 1) / maxRolloutRows
	per = max(per, 1)
	rows := (len(pn) + per - 1) / per
	if surge {
		rows++
	}
	rowOf := map[int]float64{}
	var ticks []plot.Tick
	if surge {
		rowOf[-1] = float64(rows - 1)
		ticks = append(ticks, plot.Tick{Value: float64(rows - 1), Label: "surge nodes"})
	}
	for i := 0; i < len(pn); i += per {
		batch := pn[i:min(i+per, len(pn))]
		// Top to bottom: the surge nodes, then the batches by node index.
		y := float64(rows - 1 - i/per)
		if surge {
			y--
		}
		label := "node " + strconv.Itoa(batch[0])
		if len(batch) > 1 {
			label = "nodes " + strconv.Itoa(batch[0]) + "-" + strconv.Itoa(batch[len(batch)-1])
		}
		for _, n := range batch {
			rowOf[n] = y
		}
		ticks = append(ticks, plot.Tick{Value: y, Label: label})
	}
	hours := func(t time.Time) float64 { return t.Sub(from).Hours() }
	g := &gantt{x0: 0, x1: hours(to), rows: rows}
	g.bars = mergeBars(acts, rowOf, hours, g.x1)
	title := fmt.Sprintf("Rollout of pool %s/%s under %s, %s UTC", pool.cluster, pool.pool, s.Name, from.UTC().Format("Mon 2006-01-02 15:04"))
	if per > 1 {
		title += fmt.Sprintf(" (%d nodes, %d a row)", len(pn), per)
	}
	p := newPlot(title, "time of day (UTC)", "")
	p.X.Tick.Marker = clockTicks{from: from.UTC()}
	p.Add(g)
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.6, float64(rows)-0.4
	p.X.Min, p.X.Max = 0, g.x1
	for k := fleet.ActSurge; k <= fleet.ActQuarantine; k++ {
		if kinds[k] {
			p.Legend.Add(k.String(), swatch{kindColor[k]})
		}
	}
	return p, nil
}

// firstRollout returns the span of the first reimage and every step joined
// to it (in any pool of its cluster) by gaps under rolloutGap.
func firstRollout(acts []fleet.Action) (from, to time.Time, ok bool) {
	first := -1
	for i, a := range acts {
		if a.Kind == fleet.ActReimage && (first < 0 || a.Start.Before(acts[first].Start)) {
			first = i
		}
	}
	if first < 0 {
		for i, a := range acts {
			if first < 0 || a.Start.Before(acts[first].Start) {
				first = i
			}
		}
	}
	if first < 0 {
		return time.Time{}, time.Time{}, false
	}
	from, to = acts[first].Start, acts[first].End
	for grown := true; grown; {
		grown = false
		for _, a := range acts {
			if a.Cluster != acts[first].Cluster || a.Start.After(to.Add(rolloutGap)) || a.End.Before(from.Add(-rolloutGap)) {
				continue
			}
			if a.Start.Before(from) {
				from, grown = a.Start, true
			}
			if a.End.After(to) {
				to, grown = a.End, true
			}
		}
	}
	if !to.After(from) {
		to = from.Add(time.Minute)
	}
	return from, to, true
}

// busiestPool returns the pool with the most reimages among the actions in
// the window, or the most actions when none reimages.
func busiestPool(acts []fleet.Action, in func(fleet.Action) bool) (poolKey, bool) {
	type tally struct{ reimages, steps, first int }
	count := map[poolKey]*tally{}
	var keys []poolKey
	for i, a := range acts {
		if !in(a) {
			continue
		}
		k := poolKey{a.Cluster, a.Pool}
		t := count[k]
		if t == nil {
			t = &tally{first: i}
			count[k] = t
			keys = append(keys, k)
		}
		t.steps++
		if a.Kind == fleet.ActReimage {
			t.reimages++
		}
	}
	if len(keys) == 0 {
		return poolKey{}, false
	}
	best := keys[0]
	for _, k := range keys[1:] {
		a, b := count[k], count[best]
		if a.reimages > b.reimages || a.reimages == b.reimages && a.steps > b.steps {
			best = k
		}
	}
	return best, true
}

// clockTicks label an axis in hours after from with the time of day, at
// the round step that gives at most ten ticks.
type clockTicks struct{ from time.Time }

func (t clockTicks) Ticks(lo, hi float64) []plot.Tick {
	steps := []time.Duration{time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
		time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	span := time.Duration((hi - lo) * float64(time.Hour))
	step := steps[len(steps)-1]
	for _, s := range steps {
		if span/s <= 10 {
			step = s
			break
		}
	}
	first := t.from.Add(time.Duration(lo * float64(time.Hour))).Truncate(step)
	var ts []plot.Tick
	for at := first; ; at = at.Add(step) {
		v := at.Sub(t.from).Hours()
		if v > hi {
			break
		}
		if v >= lo {
			ts = append(ts, plot.Tick{Value: v, Label: at.Format("15:04")})
		}
	}
	return ts
}

// gantt draws horizontal bars, one row per node.
type gantt struct {
	bars   []bar
	x0, x1 float64
	rows   int
}

type bar struct {
	row, x0, x1 float64
	col         color.Color
}

// minBar is the narrowest bar drawn, so that instant steps show.
const minBar = vg.Length(1.5)

func (g *gantt) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for _, b := range g.bars {
		x0, x1 := tx(b.x0), tx(b.x1)
		if x1-x0 < minBar {
			x1 = x0 + minBar
		}
		y0, y1 := ty(b.row-0.35), ty(b.row+0.35)
		c.FillPolygon(b.col, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
	}
}

func (g *gantt) DataRange() (xmin, xmax, ymin, ymax float64) {
	return g.x0, g.x1, -0.5, float64(g.rows) - 0.5
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ col color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	c.FillPolygon(s.col, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
}

var _ plot.DataRanger = (*gantt)(nil)
