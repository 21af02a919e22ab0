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
// (node 0 at the top) and one for the pool's surge nodes, with a bar per
// step coloured by kind (surge, drain, soak, reimage, ...). The pool is
// the one with the most reimages between from and to (the most steps when
// none reimages; ties go to the pool acting first). When from and to are
// both zero, the window is the first rollout with a reimage: the steps
// joined to it by gaps under an hour. It needs plan.Options.Trace and
// returns an error when the variant is out of range, has no trace, or has
// no step in the window.
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
	rowsOf := make([]int, 0, len(nodes))
	for n := range nodes {
		rowsOf = append(rowsOf, n)
	}
	sort.Ints(rowsOf) // -1, the surge row, first
	row := map[int]float64{}
	var ticks []plot.Tick
	for i, n := range rowsOf {
		y := float64(len(rowsOf) - 1 - i)
		row[n] = y
		label := "node " + strconv.Itoa(n)
		if n < 0 {
			label = "surge nodes"
		}
		ticks = append(ticks, plot.Tick{Value: y, Label: label})
	}
	hours := func(t time.Time) float64 { return t.Sub(from).Hours() }
	g := &gantt{x0: 0, x1: hours(to), rows: len(rowsOf)}
	for _, a := range acts {
		g.bars = append(g.bars, bar{row: row[a.Node], x0: max(hours(a.Start), 0), x1: min(hours(a.End), g.x1), col: kindColor[a.Kind]})
	}
	title := fmt.Sprintf("Rollout of pool %s/%s under %s, %s UTC", pool.cluster, pool.pool, s.Name, from.UTC().Format("Mon 2006-01-02 15:04"))
	p := newPlot(title, "time of day (UTC)", "")
	p.X.Tick.Marker = clockTicks{from: from.UTC()}
	p.Add(g)
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.6, float64(len(rowsOf))-0.4
	// Room on the right for the legend, clear of the bars.
	p.X.Min, p.X.Max = 0, g.x1*1.18
	for k := fleet.ActSurge; k <= fleet.ActQuarantine; k++ {
		if kinds[k] {
			p.Legend.Add(k.String(), swatch{kindColor[k]})
		}
	}
	p.Legend.Top, p.Legend.Left = true, false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(4), -vg.Points(4)
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
