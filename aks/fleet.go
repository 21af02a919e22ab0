package aks

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/patchsim/patchsim/plan"
)

// Fleet holds Azure Kubernetes Fleet Manager objects as [ParseFleet] reads
// them, in file order: members, update strategies and auto-upgrade
// profiles (fleet-manager.md section 11).
type Fleet struct {
	Members    []plan.FleetMember
	Strategies []plan.UpdateStrategy
	Profiles   []plan.AutoUpgradeProfile
}

// ParseFleet reads Fleet Manager objects from what az and ARM print:
//   - one object: `az fleet member show`, `az fleet updatestrategy show`
//     or `az fleet autoupgradeprofile show -o json` (ARM's properties at the
//     top level), an ARM GET response (under properties), or the stages
//     file `az fleet updatestrategy create --stages` reads;
//   - a list of them, as `az fleet ... list` prints it;
//   - an ARM list, {"value": [...]}.
//
// Each object's kind comes from its ARM type when it has one, else from
// its fields: stages or strategy make a strategy, channel a profile,
// clusterResourceId or group a member. Objects are read as a scenario's
// fleetManager section reads them (plan.ParseUpdateStrategy and its
// siblings): unknown fields, values of the wrong type or outside their
// range are errors. Every problem is an [*Error] naming file, JSON path,
// value and what is allowed; all are returned at once, with a nil Fleet.
func ParseFleet(file string, data []byte) (*Fleet, error) {
	d := &decoder{file: file}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		d.fail("", "", nil, "empty input: want a Fleet Manager update strategy, auto-upgrade profile or member in JSON")
		return nil, errors.Join(d.errs...)
	}
	if !json.Valid(data) {
		d.fail("", "", nil, "%s", notJSON(data))
		return nil, errors.Join(d.errs...)
	}
	var items []json.RawMessage
	prefix := func(i int) string { return fmt.Sprintf("[%d]", i) }
	switch data[0] {
	case '[':
		items = d.array("", "", data)
	case '{':
		var top map[string]json.RawMessage
		_ = json.Unmarshal(data, &top) // an object, valid JSON
		if v, ok := top["value"]; ok && len(top) <= 2 && !isNull(v) {
			items = d.array("value", "", v)
			prefix = func(i int) string { return fmt.Sprintf("value[%d]", i) }
		} else {
			items = []json.RawMessage{data}
			prefix = func(int) string { return "" }
		}
	default:
		d.fail("", "", data, "want a JSON object, a list of objects or an ARM list {\"value\": [...]}")
	}
	f := &Fleet{}
	for i, raw := range items {
		p := prefix(i)
		kind, ok := d.kind(p, raw)
		if !ok {
			continue
		}
		var err error
		switch kind {
		case kindStrategy:
			var u *plan.UpdateStrategy
			if u, err = plan.ParseUpdateStrategy(raw); err == nil {
				f.Strategies = append(f.Strategies, *u)
			}
		case kindProfile:
			var pr plan.AutoUpgradeProfile
			if pr, err = plan.ParseAutoUpgradeProfile(raw); err == nil {
				f.Profiles = append(f.Profiles, pr)
			}
		case kindMember:
			var m plan.FleetMember
			if m, err = plan.ParseFleetMember(raw); err == nil {
				f.Members = append(f.Members, m)
			}
		}
		d.planErrors(p, raw, err)
	}
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return f, nil
}

type fleetKind int

const (
	kindStrategy fleetKind = iota
	kindProfile
	kindMember
)

// fleetTypes are the ARM resource types of the kinds.
var fleetTypes = map[string]fleetKind{
	"microsoft.containerservice/fleets/updatestrategies":    kindStrategy,
	"microsoft.containerservice/fleets/autoupgradeprofiles": kindProfile,
	"microsoft.containerservice/fleets/members":             kindMember,
}

// kind says which Fleet Manager object raw is, reporting one that is none.
func (d *decoder) kind(p string, raw json.RawMessage) (fleetKind, bool) {
	var top map[string]json.RawMessage
	if !d.object(p, "", raw, &top) {
		if isNull(raw) {
			d.fail(p, "", raw, "want a Fleet Manager object, not null")
		}
		return 0, false
	}
	if t, ok := d.str(join(p, "type"), "", fieldFold(top, "type")); ok {
		if k, ok := fleetTypes[strings.ToLower(t)]; ok {
			return k, true
		}
		d.fail(join(p, "type"), "", fieldFold(top, "type"), "want one of Microsoft.ContainerService/fleets/updateStrategies, .../autoUpgradeProfiles, .../members")
		return 0, false
	}
	fields := top
	var props map[string]json.RawMessage
	if raw := fieldFold(top, "properties"); raw != nil && json.Unmarshal(raw, &props) == nil && props != nil {
		fields = props
	}
	has := func(names ...string) bool {
		for _, n := range names {
			if fieldFold(fields, n) != nil {
				return true
			}
		}
		return false
	}
	switch {
	case has("stages", "strategy"):
		return kindStrategy, true
	case has("channel"):
		return kindProfile, true
	case has("clusterResourceId", "group"):
		return kindMember, true
	}
	var flat bytes.Buffer
	if json.Compact(&flat, raw) == nil {
		raw = flat.Bytes()
	}
	d.fail(p, "", raw, "not a Fleet Manager object: want an update strategy (stages, strategy or properties.strategy), an auto-upgrade profile (channel) or a member (clusterResourceId, group), or an ARM type naming one")
	return 0, false
}

// fieldFold returns the value of field name in an object, its key spelt
// as name or in another case, as plan reads a scenario's fields; nil when
// there is none.
func fieldFold(obj map[string]json.RawMessage, name string) json.RawMessage {
	if v, ok := obj[name]; ok {
		return v
	}
	var found []string // in order, so that two spellings give the same answer every time
	for k := range obj {
		if strings.EqualFold(k, name) {
			found = append(found, k)
		}
	}
	if len(found) == 0 {
		return nil
	}
	return obj[slices.Min(found)]
}

// planErrors adds plan's problems of the object at p (its JSON raw) as
// Errors at their full path, with the value found there.
func (d *decoder) planErrors(p string, raw json.RawMessage, err error) {
	if err == nil {
		return
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			d.planErrors(p, raw, e)
		}
		return
	}
	var fe *plan.FieldError
	if !errors.As(err, &fe) {
		d.fail(p, "", nil, "%s", strings.TrimPrefix(err.Error(), "plan: "))
		return
	}
	msg := strings.TrimPrefix(fe.Error(), "plan: ")
	msg = strings.TrimPrefix(msg, fe.Path+": ")
	// An absent value reads "missing".
	d.errs = append(d.errs, &Error{File: d.file, Path: join(p, fe.Path), Value: shownOrEmpty(valueAt(raw, fe.Path)), Msg: msg})
}

func shownOrEmpty(raw json.RawMessage) string {
	if raw == nil {
		return ""
	}
	return shown(raw)
}

// pathStep is one step of a plan path: a field name and optional indexes.
var (
	pathStep  = regexp.MustCompile(`^([^.\[]*)((?:\[\d+\])*)`)
	pathIndex = regexp.MustCompile(`\d+`)
)

// valueAt returns the JSON value at path ("strategy.stages[0].name") in
// raw, nil when there is none.
func valueAt(raw json.RawMessage, path string) json.RawMessage {
	cur := raw
	for _, step := range strings.Split(path, ".") {
		m := pathStep.FindStringSubmatch(step)
		if m == nil {
			return nil
		}
		if m[1] != "" {
			var obj map[string]json.RawMessage
			if json.Unmarshal(cur, &obj) != nil {
				return nil
			}
			v, ok := obj[m[1]]
			if !ok {
				return nil
			}
			cur = v
		}
		for _, idx := range pathIndex.FindAllString(m[2], -1) {
			i, _ := strconv.Atoi(idx)
			var arr []json.RawMessage
			if json.Unmarshal(cur, &arr) != nil || i >= len(arr) {
				return nil
			}
			cur = arr[i]
		}
	}
	return cur
}

func join(path, field string) string {
	switch {
	case path == "":
		return field
	case field == "":
		return path
	}
	return path + "." + field
}

// AddFleet gives the scenario s (as Import writes it) the Fleet Manager
// objects of f, read by [ParseFleet], and validates it again. It returns
// warnings, each a sentence naming the object it is about, for what it
// could not take as given:
//
//   - Members whose cluster is not in the scenario are left out (one
//     warning for them all, naming the first ten); so is a
//     member's group that the update strategy does not have (its runs
//     leave the member alone).
//   - The update strategy is the one the profiles follow, or the only one
//     given. Groups with no member in the scenario are left out, and then
//     stages with no group, with their waits and gates (the model runs no
//     empty group). A maxAllowedFailures above 0 is cleared: the model
//     stops a run at its first failed member.
//   - Profiles of channel SecurityPatch (a preview) are left out, not
//     modelled; so are profiles that follow no strategy while another
//     follows one (the model has one strategy for every profile).
//
// Problems (several strategies with none named, a profile following a
// strategy no file gives, members none of which is a cluster of the
// scenario, a scenario that no longer validates) are
// returned together; s is changed only when there are none.
func AddFleet(s *plan.Scenario, f *Fleet) ([]string, error) {
	if f == nil || (len(f.Members) == 0 && len(f.Strategies) == 0 && len(f.Profiles) == 0) {
		return nil, nil
	}
	im := importer{}
	clusters := map[string]bool{}
	for _, c := range s.Clusters {
		clusters[c.Name] = true
	}

	// The strategy: the one the profiles follow, else the only one.
	named := map[string]bool{}
	for _, p := range f.Profiles {
		if id := p.Flat().UpdateStrategyID; id != "" {
			named[plan.StrategyName(id)] = true
		}
	}
	var strategy *plan.UpdateStrategy
	for i := range f.Strategies {
		u := &f.Strategies[i]
		switch {
		case len(f.Strategies) == 1, named[u.Name]:
			if strategy != nil {
				im.fail("update strategies %q and %q are both followed by a profile; the scenario takes one strategy", strategy.Name, u.Name)
				continue
			}
			strategy = u
		default:
			im.warn("update strategy %q left out: no auto-upgrade profile follows it, and the scenario takes one strategy", u.Name)
		}
	}

	fm := &plan.FleetManager{}
	for _, p := range f.Profiles {
		p = p.Flat()
		switch ref := plan.StrategyName(p.UpdateStrategyID); {
		case strings.EqualFold(p.Channel, "SecurityPatch"):
			im.warn("auto-upgrade profile %q left out: channel SecurityPatch (a preview) is not modelled", p.Name)
		case p.UpdateStrategyID == "" && len(named) > 0:
			im.warn("auto-upgrade profile %q left out: it follows no update strategy while another profile follows one, and the model runs every profile over one strategy", p.Name)
		case p.UpdateStrategyID != "" && (strategy == nil || (strategy.Name != "" && ref != strategy.Name)):
			im.fail("auto-upgrade profile %q follows update strategy %q, which no --fleet file gives", p.Name, ref)
		default:
			fm.AutoUpgradeProfiles = append(fm.AutoUpgradeProfiles, plan.AutoUpgradeProfile{Name: p.Name, Channel: p.Channel, UpdateStrategyID: p.UpdateStrategyID,
				NodeImageSelection: p.NodeImageSelection, Disabled: p.Disabled, TargetKubernetesVersion: p.TargetKubernetesVersion, LongTermSupport: p.LongTermSupport})
		}
	}

	groups := map[string]bool{}
	for _, st := range strategy.StagesOf() {
		for _, g := range st.Groups {
			groups[g.Name] = true
		}
	}
	members := map[string]int{} // group -> members in the scenario
	var elsewhere [][2]string   // members left out: name, cluster
	for _, m := range f.Members {
		m = m.Flat()
		c, err := m.ClusterName()
		switch {
		case err != nil:
			im.fail("fleet member %q: %v", m.Name, err)
			continue
		case !clusters[c]:
			elsewhere = append(elsewhere, [2]string{m.Name, c})
			continue
		}
		pm := plan.FleetMember{Name: m.Name, ClusterResourceID: m.ClusterResourceID, Group: m.Group}
		if m.Group != "" && strategy != nil && !groups[m.Group] {
			im.warn("fleet member %q: group %q is not a group of update strategy %q, so its runs leave the member alone", m.Name, m.Group, strategy.Name)
			pm.Group = ""
		}
		if pm.Group != "" {
			members[pm.Group]++
		}
		fm.Members = append(fm.Members, pm)
	}

	// One warning for the members left out: a large fleet's member list
	// holds many clusters besides the one imported.
	switch len(elsewhere) {
	case 0:
	case 1:
		im.warn("fleet member %q left out: its cluster %q is not in the scenario", elsewhere[0][0], elsewhere[0][1])
	default:
		var names []string
		for _, e := range elsewhere[:min(len(elsewhere), few)] {
			names = append(names, fmt.Sprintf("%q (cluster %q)", e[0], e[1]))
		}
		im.warn("%d fleet members left out, their clusters not in the scenario: %s", len(elsewhere), firstFew(names, len(elsewhere)))
	}
	if len(f.Members) > 0 && len(fm.Members) == 0 {
		// Without members a scenario takes every cluster as one.
		var names []string
		for _, m := range f.Members {
			names = append(names, m.Name)
		}
		im.fail("none of the fleet members (%s) is a cluster of the scenario", firstFew(names, len(names)))
	}
	if strategy != nil {
		var stages []plan.UpdateStage
		for _, st := range strategy.StagesOf() {
			st.MaxAllowedFailures = im.failures(st.Name, "", st.MaxAllowedFailures)
			var kept []plan.UpdateGroup
			var empty []string
			for _, g := range st.Groups {
				if members[g.Name] == 0 {
					empty = append(empty, g.Name)
					continue
				}
				g.MaxAllowedFailures = im.failures(st.Name, g.Name, g.MaxAllowedFailures)
				kept = append(kept, g)
			}
			if len(kept) == 0 {
				im.warn("update strategy %q: stage %q left out with its %ds wait and its gates: none of its members is in the scenario", strategy.Name, st.Name, st.AfterStageWaitInSeconds)
				continue
			}
			for _, g := range empty {
				im.warn("update strategy %q, stage %q: group %q left out: none of its members is in the scenario", strategy.Name, st.Name, g)
			}
			st.Groups = kept
			stages = append(stages, st)
		}
		if len(stages) == 0 {
			im.fail("update strategy %q: no member of any of its groups is in the scenario", strategy.Name)
		} else {
			fm.UpdateStrategy = plan.UpdateStrategy{Name: strategy.Name}.WithStages(stages)
		}
	}
	if len(im.errs) > 0 {
		return im.warnings, errors.Join(im.errs...)
	}
	prev := s.FleetManager
	s.FleetManager = fm
	if err := s.Validate(); err != nil {
		s.FleetManager = prev
		return im.warnings, fmt.Errorf("aks: import: the scenario with Fleet Manager does not validate:\n%w", err)
	}
	return im.warnings, nil
}

// few is how many names a message about many objects lists.
const few = 10

// firstFew lists the first few of items, of n in all, and says how many
// more there are.
func firstFew(items []string, n int) string {
	items = items[:min(len(items), few)]
	if n <= len(items) {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items, ", "), n-len(items))
}

// failures returns maxAllowedFailures, cleared with a warning when above
// zero.
func (im *importer) failures(stage, group, s string) string {
	if strings.Trim(s, "0%") == "" {
		return s
	}
	im.warn("%s: maxAllowedFailures %q left out: the model stops a run at its first failed member", where(stage, group), s)
	return ""
}

func where(stage, group string) string {
	if group == "" {
		return fmt.Sprintf("stage %q", stage)
	}
	return fmt.Sprintf("stage %q, group %q", stage, group)
}
