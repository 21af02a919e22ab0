package plan

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// fleetEdit is what a variant changes in the scenario's Fleet Manager:
// the update strategy, then the order of its stages and every stage's
// wait, and every profile's node image selection.
type fleetEdit struct {
	strategy   *UpdateStrategy
	stageOrder []string
	wait       *int
	selection  string
}

func (v *Variant) fleetEdit() fleetEdit {
	return fleetEdit{strategy: v.UpdateStrategy, stageOrder: v.StageOrder, wait: v.AfterStageWaitInSeconds, selection: v.NodeImageSelection}
}

func (e fleetEdit) set() bool {
	return e.strategy != nil || len(e.stageOrder) > 0 || e.wait != nil || e.selection != ""
}

// fleetManager returns the scenario's Fleet Manager with variant v's edits
// (none when v is nil), and every problem applying them, each at the
// variant's field. The scenario is not changed.
func (s *Scenario) fleetManager(v *Variant) (*FleetManager, error) {
	fm := s.FleetManager
	if v == nil || !v.fleetEdit().set() {
		return fm, nil
	}
	e := v.fleetEdit()
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	// The values first, whatever they edit.
	if e.wait != nil {
		if err := field[UpdateStage]("afterStageWaitInSeconds").checkInt("afterStageWaitInSeconds", *e.wait); err != nil {
			errs = append(errs, err)
		}
	}
	sf := field[NodeImageSelection]("type")
	k, selOK := sf.lookup(e.selection)
	if e.selection != "" && !selOK {
		add("nodeImageSelection", "%q is not %s", e.selection, sf.Allowed())
	}
	if fm == nil {
		for _, f := range e.fields() {
			add(f, noFleetManager)
		}
		if e.strategy != nil {
			errs = append(errs, e.strategy.check("updateStrategy", true)...)
		}
		return nil, errors.Join(errs...)
	}
	out := *fm
	if u := e.strategy; u != nil {
		// The variant's own strategy, checked alone at its own path; the
		// scenario's members and profiles are checked against it after.
		if serrs := u.check("updateStrategy", true); len(serrs) > 0 {
			return nil, errors.Join(append(errs, serrs...)...)
		}
		if u.Name != "" && fm.UpdateStrategy != nil && fm.UpdateStrategy.Name != "" && u.Name != fm.UpdateStrategy.Name {
			add("updateStrategy.name", "%q is not the scenario's strategy %q, which the profiles follow: keep the name", u.Name, fm.UpdateStrategy.Name)
			return nil, errors.Join(errs...)
		}
		out.UpdateStrategy = u
		fm = &out
	}
	stages := slices.Clone(fm.UpdateStrategy.stages())
	if (len(e.stageOrder) > 0 || e.wait != nil) && len(stages) == 0 {
		add("", "changes the update strategy's stages, and fleetManager has no updateStrategy with stages")
		return nil, errors.Join(errs...)
	}
	if len(e.stageOrder) > 0 {
		var problems []error
		stages, problems = orderStages(stages, e.stageOrder, "stageOrder", "")
		errs = append(errs, problems...)
	}
	if e.wait != nil {
		for i := range stages {
			stages[i].AfterStageWaitInSeconds = *e.wait
		}
	}
	if len(stages) > 0 {
		out.UpdateStrategy = fm.UpdateStrategy.setStages(stages)
	}
	if e.selection != "" {
		if len(fm.AutoUpgradeProfiles) == 0 {
			add("nodeImageSelection", "changes the auto-upgrade profiles' node image selection, and fleetManager has none")
		}
		out.AutoUpgradeProfiles = slices.Clone(fm.AutoUpgradeProfiles)
		for i, pr := range out.AutoUpgradeProfiles {
			pr = pr.flat()
			if selOK {
				pr.NodeImageSelection = &NodeImageSelection{Type: sf.Enum[k]}
			}
			out.AutoUpgradeProfiles[i] = pr
		}
	}
	return &out, errors.Join(errs...)
}

// orderStages returns stages in the order that names them, each stage
// named once, with the problems of order at path (path[i] for its i-th
// name; what, when set, is the value written there, for the problems'
// words).
func orderStages(stages []UpdateStage, order []string, path, what string) ([]UpdateStage, []error) {
	var errs []error
	add := func(path, format string, args ...any) {
		if what != "" {
			format = "%q: " + format
			args = append([]any{what}, args...)
		}
		errs = append(errs, fieldErr(path, format, args...))
	}
	var names []string
	for _, st := range stages {
		names = append(names, st.Name)
	}
	ordered := make([]UpdateStage, 0, len(stages))
	used := map[string]bool{}
	for i, n := range order {
		at := fmt.Sprintf("%s[%d]", path, i)
		if what != "" {
			at = path
		}
		switch j := slices.Index(names, n); {
		case j < 0:
			add(at, "%q is not a stage of the update strategy (%s)", n, strings.Join(names, ", "))
		case used[n]:
			add(at, "%q is given twice: list every stage once", n)
		default:
			used[n] = true
			ordered = append(ordered, stages[j])
		}
	}
	if len(errs) == 0 && len(ordered) != len(stages) {
		var missing []string
		for _, n := range names {
			if !used[n] {
				missing = append(missing, n)
			}
		}
		add(path, "leaves out %s: list every stage once", strings.Join(missing, ", "))
	}
	return ordered, errs
}

// stageNames splits a grid's stage order, "test, canary,prod", into the
// stages' names.
func stageNames(order string) []string {
	var names []string
	for _, n := range strings.Split(order, ",") {
		names = append(names, strings.TrimSpace(n))
	}
	return names
}

// checkStageOrders reports the grid's stage orders that do not name each
// stage of the scenario's update strategy once, at the grid's axis: the
// same order in every variant of the grid, it is one problem.
func (g *Grid) checkStageOrders(fm *FleetManager) []error {
	if fm == nil || len(fm.UpdateStrategy.stages()) == 0 {
		return nil
	}
	var errs []error
	for i, o := range g.StageOrder {
		if strings.TrimSpace(o) == "" {
			continue // reported by fleetAxes
		}
		_, perrs := orderStages(fm.UpdateStrategy.stages(), stageNames(o), fmt.Sprintf("grid.stageOrder[%d]", i), o)
		errs = append(errs, perrs...)
	}
	return errs
}

// noFleetManager is the problem of a Fleet Manager edit (a variant's
// field, a grid axis) in a scenario without a fleetManager.
const noFleetManager = "changes Fleet Manager settings, and the scenario has no fleetManager"

// fields returns the names of the variant fields that make the edit.
func (e fleetEdit) fields() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"updateStrategy", e.strategy != nil}, {"stageOrder", len(e.stageOrder) > 0}, {"afterStageWaitInSeconds", e.wait != nil}, {"nodeImageSelection", e.selection != ""}} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// waitName writes a wait in seconds for a variant's name: "0", "1d", "36h".
func waitName(sec int) string {
	if sec == 0 {
		return "0"
	}
	return dur(time.Duration(sec) * time.Second)
}

// fleetAxes returns the grid's Fleet Manager axes, and the problems of
// their values.
func (g *Grid) fleetAxes() ([]gridAxis, []error) {
	var axes []gridAxis
	var errs []error
	for i, o := range g.StageOrder {
		if strings.TrimSpace(o) == "" {
			errs = append(errs, fieldErr(fmt.Sprintf("grid.stageOrder[%d]", i), "is empty: give the stages' names, comma-separated, e.g. \"test,canary,prod\""))
		}
	}
	if len(g.StageOrder) > 0 {
		axes = append(axes, gridAxis{"stageOrder", len(g.StageOrder), func(v *Variant, i int) string {
			names := stageNames(g.StageOrder[i])
			v.StageOrder = names
			o := strings.Join(names, ",")
			v.Name += " stages=" + o
			return o
		}})
	}
	for i, w := range g.AfterStageWaitInSeconds {
		if err := field[UpdateStage]("afterStageWaitInSeconds").checkInt(fmt.Sprintf("grid.afterStageWaitInSeconds[%d]", i), w); err != nil {
			errs = append(errs, err)
		}
	}
	if len(g.AfterStageWaitInSeconds) > 0 {
		axes = append(axes, gridAxis{"afterStageWaitInSeconds", len(g.AfterStageWaitInSeconds), func(v *Variant, i int) string {
			w := g.AfterStageWaitInSeconds[i]
			v.AfterStageWaitInSeconds = &w
			v.Name += " wait=" + waitName(w)
			return strconv.Itoa(w)
		}})
	}
	sf := field[NodeImageSelection]("type")
	for i, n := range g.NodeImageSelection {
		if _, ok := sf.lookup(n); !ok {
			errs = append(errs, fieldErr(fmt.Sprintf("grid.nodeImageSelection[%d]", i), "%q is not %s", n, sf.Allowed()))
		}
	}
	if len(g.NodeImageSelection) > 0 {
		axes = append(axes, gridAxis{"nodeImageSelection", len(g.NodeImageSelection), func(v *Variant, i int) string {
			k, _ := sf.lookup(g.NodeImageSelection[i])
			v.NodeImageSelection = sf.Enum[k]
			v.Name += " images=" + sf.Enum[k]
			return sf.Enum[k]
		}})
	}
	return axes, errs
}
