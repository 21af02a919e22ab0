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
	if fm == nil {
		add("", "changes Fleet Manager settings, and the scenario has no fleetManager")
		return nil, errors.Join(errs...)
	}
	out := *fm
	if u := e.strategy; u != nil {
		// The variant's own strategy, checked alone at its own path; the
		// scenario's members and profiles are checked against it after.
		if serrs := u.check("updateStrategy", true); len(serrs) > 0 {
			return nil, errors.Join(serrs...)
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
		var names []string
		for _, st := range stages {
			names = append(names, st.Name)
		}
		ordered := make([]UpdateStage, 0, len(stages))
		used := map[string]bool{}
		for i, n := range e.stageOrder {
			j := slices.Index(names, n)
			switch {
			case j < 0:
				add(fmt.Sprintf("stageOrder[%d]", i), "%q is not a stage of the update strategy (%s)", n, strings.Join(names, ", "))
			case used[n]:
				add(fmt.Sprintf("stageOrder[%d]", i), "%q is given twice: list every stage once", n)
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
			add("stageOrder", "leaves out %s: list every stage once", strings.Join(missing, ", "))
		}
		stages = ordered
	}
	if e.wait != nil {
		if err := field[UpdateStage]("afterStageWaitInSeconds").checkInt("afterStageWaitInSeconds", *e.wait); err != nil {
			errs = append(errs, err)
		}
		for i := range stages {
			stages[i].AfterStageWaitInSeconds = *e.wait
		}
	}
	if len(stages) > 0 {
		out.UpdateStrategy = fm.UpdateStrategy.setStages(stages)
	}
	if e.selection != "" {
		sf := field[NodeImageSelection]("type")
		k, ok := sf.lookup(e.selection)
		if !ok {
			add("nodeImageSelection", "%q is not %s", e.selection, sf.Allowed())
		}
		if len(fm.AutoUpgradeProfiles) == 0 {
			add("nodeImageSelection", "changes the auto-upgrade profiles' node image selection, and fleetManager has none")
		}
		out.AutoUpgradeProfiles = slices.Clone(fm.AutoUpgradeProfiles)
		for i, pr := range out.AutoUpgradeProfiles {
			pr = pr.flat()
			if ok {
				pr.NodeImageSelection = &NodeImageSelection{Type: imageSelections[k]}
			}
			out.AutoUpgradeProfiles[i] = pr
		}
	}
	return &out, errors.Join(errs...)
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
			var names []string
			for _, n := range strings.Split(g.StageOrder[i], ",") {
				names = append(names, strings.TrimSpace(n))
			}
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
			v.NodeImageSelection = imageSelections[k]
			v.Name += " images=" + imageSelections[k]
			return imageSelections[k]
		}})
	}
	return axes, errs
}
