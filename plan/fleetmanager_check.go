package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/patchsim/patchsim/fleet"
)

// check returns every problem of fm, each a [*FieldError] whose path
// starts at p ("fleetManager"), against the scenario's clusters: the
// rules of fleet-manager.md section 13 item 1 that the objects' form
// carries (names, patterns, ranges, gates, groups at most once, members'
// clusters and groups) and the references between them (a member's
// cluster and group, a profile's strategy).
func (fm *FleetManager) check(p string, clusters []Cluster) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }

	// The strategy's groups, for the members' and the groups' checks.
	groups := map[string]string{} // group -> its path
	stagesPath, stages := fm.UpdateStrategy.stagesAt(join(p, "updateStrategy"))
	if fm.UpdateStrategy != nil {
		errs = append(errs, fm.UpdateStrategy.check(join(p, "updateStrategy"), true)...)
		for i, st := range stages {
			for j, g := range st.Groups {
				if _, dup := groups[g.Name]; !dup && g.Name != "" {
					groups[g.Name] = fmt.Sprintf("%s[%d].groups[%d]", stagesPath, i, j)
				}
			}
		}
	}

	// Members: a cluster of the scenario, at most once; a group of the
	// strategy.
	names := make([]string, len(clusters))
	for i, c := range clusters {
		names[i] = c.Name
	}
	byCluster := map[string]int{} // cluster -> its member's index + 1
	size := map[string]int{}      // members per group
	for i, m := range fm.Members {
		mp := fmt.Sprintf("%s.members[%d]", p, i)
		errs = append(errs, m.check(mp)...)
		at := m.at(mp)
		groupAt := join(at, "group")
		m = m.flat()
		cluster, where, err := m.cluster()
		if where == "name" {
			at = mp
		}
		switch {
		case err != nil: // reported by check
		case !slices.Contains(names, cluster):
			add(join(at, where), "%q is not a cluster of the scenario (%s)", cluster, strings.Join(names, ", "))
		case byCluster[cluster] > 0:
			add(join(at, where), "cluster %q is also members[%d]'s: a cluster joins a fleet once", cluster, byCluster[cluster]-1)
		default:
			byCluster[cluster] = i + 1
		}
		if m.Group == "" || checkPattern("", m.Group, field[FleetMember]("group")) != nil {
			continue
		}
		// A strategy without groups is its own problem (no stage, or a
		// stage without groups), reported once.
		if _, ok := groups[m.Group]; !ok && fm.UpdateStrategy != nil && len(groups) > 0 {
			add(groupAt, "%q is not a group of the update strategy (%s)", m.Group, strings.Join(sortedKeys(groups), ", "))
		}
		size[m.Group]++
	}

	// Every group has members; group concurrency against the group's
	// members (fleet-manager.md section 2.4).
	for i, st := range stages {
		stageMax, _ := strconv.Atoi(st.MaxConcurrency)
		for j, g := range st.Groups {
			if size[g.Name] == 0 && g.Name != "" {
				add(fmt.Sprintf("%s[%d].groups[%d].name", stagesPath, i, j), "group %q has no member: no fleetManager.members[].group names it", g.Name)
				continue
			}
			n, err := strconv.Atoi(g.MaxConcurrency)
			if err != nil || n < 1 {
				continue // a percentage, or a problem reported already
			}
			gp := fmt.Sprintf("%s[%d].groups[%d].maxConcurrency", stagesPath, i, j)
			if stageMax > 0 && n > stageMax {
				add(gp, "%d is above the stage's maxConcurrency %d: the stage's value is the ceiling", n, stageMax)
			}
			if k := size[g.Name]; n > k {
				add(gp, "%d is above the group's %d members", n, k)
			}
		}
	}

	// Profiles: unique names, the strategy they follow.
	seen := map[string]int{}
	for i, pr := range fm.AutoUpgradeProfiles {
		pp := fmt.Sprintf("%s.autoUpgradeProfiles[%d]", p, i)
		errs = append(errs, pr.check(pp)...)
		if pr.Name != "" {
			if j, dup := seen[pr.Name]; dup {
				add(pp+".name", "%q is also the name of autoUpgradeProfiles[%d]", pr.Name, j)
			}
			seen[pr.Name] = i
		}
		at := pp
		if pr.Properties != nil {
			at += ".properties"
		}
		f := pr.flat()
		if f.UpdateStrategyID == "" {
			if fm.UpdateStrategy != nil {
				add(at+".updateStrategyId", "is empty, and fleetManager has an update strategy: every profile's runs follow the one strategy, so name it (or leave updateStrategy out for members one by one)")
			}
			continue
		}
		ref := strategyName(f.UpdateStrategyID)
		switch u := fm.UpdateStrategy; {
		case u == nil:
			add(at+".updateStrategyId", "%q names an update strategy, and fleetManager has none: add updateStrategy or leave updateStrategyId out (members one by one)", f.UpdateStrategyID)
		case u.Name != "" && ref != u.Name:
			add(at+".updateStrategyId", "%q names update strategy %q; the scenario's is %q", f.UpdateStrategyID, ref, u.Name)
		}
	}
	if w := fm.Policy.ApprovalWindow; w != nil {
		_, werrs := weekdayWindow(p+".policy.approvalWindow", "days", w.Days, w.StartTime, w.EndTime, w.TimeZone)
		errs = append(errs, werrs...)
	}
	for _, e := range []struct{ name, v string }{{"triggerOn", fm.Policy.TriggerOn}, {"newerRelease", fm.Policy.NewerRelease}, {"memberOverrun", fm.Policy.MemberOverrun}} {
		if f := field[ManagerPolicy](e.name); e.v != "" {
			if _, ok := f.lookup(e.v); !ok {
				add(p+".policy."+e.name, "%q is not %s", e.v, f.Allowed())
			}
		}
	}
	return errs
}

// stagesAt returns the path and the stages of u, wherever the file put
// them.
func (u *UpdateStrategy) stagesAt(p string) (string, []UpdateStage) {
	switch {
	case u == nil:
		return "", nil
	case len(u.Stages) > 0:
		return join(p, "stages"), u.Stages
	case u.Strategy != nil:
		return join(p, "strategy.stages"), u.Strategy.Stages
	case u.Properties != nil && u.Properties.Strategy != nil:
		return join(p, "properties.strategy.stages"), u.Properties.Strategy.Stages
	}
	return join(p, "stages"), nil
}

// check returns the problems of the strategy alone, under p; modelled
// adds what the model does not run (maxAllowedFailures above 0), which an
// import leaves out instead.
func (u *UpdateStrategy) check(p string, modelled bool) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	var places []string
	if len(u.Stages) > 0 {
		places = append(places, "stages")
	}
	if u.Strategy != nil {
		places = append(places, "strategy")
	}
	if u.Properties != nil && u.Properties.Strategy != nil {
		places = append(places, "properties.strategy")
	}
	switch {
	case len(places) > 1:
		add(p, "has stages in %s: give them in one place", strings.Join(places, " and "))
	case len(u.stages()) == 0:
		where := "stages"
		if len(places) == 1 {
			where = places[0] + ".stages"
		}
		add(join(p, where), "is empty: a strategy has at least one stage (stages, as the stages file writes them; strategy.stages, as az prints them; or properties.strategy.stages, as ARM returns them)")
	}
	if u.Name != "" {
		errs = appendErr(errs, checkPattern(p+".name", u.Name, field[UpdateStrategy]("name")))
	}
	sp, stages := u.stagesAt(p)
	stageNames := map[string]int{}
	groupAt := map[string]string{}
	for i, st := range stages {
		at := fmt.Sprintf("%s[%d]", sp, i)
		if st.Name == "" {
			add(at+".name", "is required (%s)", field[UpdateStage]("name").Allowed())
		} else if err := checkPattern(at+".name", st.Name, field[UpdateStage]("name")); err != nil {
			errs = append(errs, err)
		} else if j, dup := stageNames[st.Name]; dup {
			add(at+".name", "%q is also the name of stage %d: stage names are unique in a strategy", st.Name, j)
		} else {
			stageNames[st.Name] = i
		}
		switch n := len(st.Groups); {
		case n == 0:
			add(at+".groups", "is empty: a stage has 1 to %d groups (member selectors, a preview, are not read)", MaxStageGroups)
		case n > MaxStageGroups:
			add(at+".groups", "has %d groups, above the most a stage takes, %d", n, MaxStageGroups)
		}
		errs = appendErr(errs, field[UpdateStage]("afterStageWaitInSeconds").checkInt(at+".afterStageWaitInSeconds", st.AfterStageWaitInSeconds))
		if st.MaxConcurrency != "" {
			if err := checkPattern(at+".maxConcurrency", st.MaxConcurrency, field[UpdateStage]("maxConcurrency")); err != nil {
				errs = append(errs, err)
			} else if n, err := strconv.Atoi(st.MaxConcurrency); err == nil && n > MaxStageConcurrency {
				add(at+".maxConcurrency", "%d is above the system limit %d", n, MaxStageConcurrency)
			}
		}
		errs = appendErr(errs, checkFailures(at+".maxAllowedFailures", st.MaxAllowedFailures, field[UpdateStage]("maxAllowedFailures"), modelled))
		errs = append(errs, checkGates(at+".beforeGates", st.BeforeGates, true)...)
		errs = append(errs, checkGates(at+".afterGates", st.AfterGates, false)...)
		for j, g := range st.Groups {
			gp := fmt.Sprintf("%s.groups[%d]", at, j)
			if g.Name == "" {
				add(gp+".name", "is required (%s)", field[UpdateGroup]("name").Allowed())
			} else if err := checkPattern(gp+".name", g.Name, field[UpdateGroup]("name")); err != nil {
				errs = append(errs, err)
			} else if first, dup := groupAt[g.Name]; dup {
				add(gp+".name", "%q is also the group at %s: a group appears once in a strategy", g.Name, first)
			} else {
				groupAt[g.Name] = gp
			}
			if g.MaxConcurrency != "" {
				errs = appendErr(errs, checkPattern(gp+".maxConcurrency", g.MaxConcurrency, field[UpdateGroup]("maxConcurrency")))
			}
			errs = appendErr(errs, checkFailures(gp+".maxAllowedFailures", g.MaxAllowedFailures, field[UpdateGroup]("maxAllowedFailures"), modelled))
			errs = append(errs, checkGates(gp+".beforeGates", g.BeforeGates, true)...)
			errs = append(errs, checkGates(gp+".afterGates", g.AfterGates, false)...)
		}
	}
	return errs
}

// checkGates returns the problems of a gate list at p; before says it is
// a beforeGates list, the only place a ScheduledStart may be.
func checkGates(p string, gates []GateConfiguration, before bool) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	for i, g := range gates {
		gp := fmt.Sprintf("%s[%d]", p, i)
		if n := utf8.RuneCountInString(g.DisplayName); n > maxGateName {
			add(gp+".displayName", "has %d characters, above %d", n, maxGateName)
		}
		f := field[GateConfiguration]("type")
		k, ok := f.lookup(g.Type)
		if !ok {
			what := "is required"
			if g.Type != "" {
				what = fmt.Sprintf("%q is not", g.Type)
			}
			add(gp+".type", "%s %s", what, f.Allowed())
			continue
		}
		scheduled := gateTypes[k] == "ScheduledStart"
		c := g.ScheduledStartConfiguration
		switch {
		case scheduled && !before:
			add(gp+".type", "ScheduledStart is a before-gate only (fleet-manager.md section 4.2); use it in beforeGates")
		case scheduled && c == nil:
			add(gp+".scheduledStartConfiguration", "is required by a ScheduledStart gate (startDay, startTime, utcOffset)")
		case !scheduled && c != nil:
			add(gp+".scheduledStartConfiguration", "is given with an Approval gate: only a ScheduledStart gate has one")
		}
		if c == nil {
			continue
		}
		cp := gp + ".scheduledStartConfiguration"
		if df := field[ScheduledStartConfiguration]("startDay"); c.StartDay == "" {
			add(cp+".startDay", "is required (%s)", df.Allowed())
		} else if _, ok := df.lookup(c.StartDay); !ok {
			add(cp+".startDay", "%q is not %s", c.StartDay, df.Allowed())
		}
		errs = appendErr(errs, checkPattern(cp+".startTime", c.StartTime, field[ScheduledStartConfiguration]("startTime")))
		of := field[ScheduledStartConfiguration]("utcOffset")
		if err := checkPattern(cp+".utcOffset", c.UTCOffset, of); err != nil {
			errs = append(errs, err)
		} else if h, _ := strconv.Atoi(c.UTCOffset[1:3]); h > 14 || (h == 14 && c.UTCOffset[4:] != "00") {
			add(cp+".utcOffset", "%q is outside %s", c.UTCOffset, of.Allowed())
		}
	}
	return errs
}

// check returns the problems of the profile alone, under p.
func (pr AutoUpgradeProfile) check(p string) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	at := p
	if pr.Properties != nil {
		at += ".properties"
		if pr.Channel != "" || pr.UpdateStrategyID != "" || pr.NodeImageSelection != nil || pr.Disabled || pr.TargetKubernetesVersion != "" || pr.LongTermSupport {
			add(p+".properties", "is given with profile fields at the top level: give them at the top level (az) or under properties (ARM), not both")
		}
	}
	errs = appendErr(errs, checkPattern(p+".name", pr.Name, field[AutoUpgradeProfile]("name")))
	f := pr.flat()
	cf := field[AutoUpgradeProfile]("channel")
	ch, err := fleet.ParseAutoUpgradeChannel(f.Channel)
	if f.Channel == "" {
		add(at+".channel", "is required (%s)", cf.Allowed())
	} else if err != nil {
		add(at+".channel", "%q is not %s", f.Channel, cf.Allowed())
	}
	if s := f.NodeImageSelection; s != nil {
		sf := field[NodeImageSelection]("type")
		switch _, ok := sf.lookup(s.Type); {
		case s.Type == "":
			add(at+".nodeImageSelection.type", "is required (%s)", sf.Allowed())
		case !ok:
			add(at+".nodeImageSelection.type", "%q is not %s", s.Type, sf.Allowed())
		}
	}
	switch {
	case ch == fleet.ChannelTargetKubernetesVersion && f.TargetKubernetesVersion == "":
		add(at+".targetKubernetesVersion", "is required by channel TargetKubernetesVersion (%s)", field[AutoUpgradeProfile]("targetKubernetesVersion").Allowed())
	case ch != fleet.ChannelTargetKubernetesVersion && ch != fleet.ChannelUnset && f.TargetKubernetesVersion != "":
		add(at+".targetKubernetesVersion", "%q is given with channel %s: only channel TargetKubernetesVersion takes one", f.TargetKubernetesVersion, ch)
	case f.TargetKubernetesVersion != "":
		errs = appendErr(errs, checkPattern(at+".targetKubernetesVersion", f.TargetKubernetesVersion, field[AutoUpgradeProfile]("targetKubernetesVersion")))
	}
	if f.LongTermSupport && ch != fleet.ChannelTargetKubernetesVersion && ch != fleet.ChannelUnset {
		add(at+".longTermSupport", "is true with channel %s: only channel TargetKubernetesVersion takes it", ch)
	}
	return errs
}

// at returns where the member's fields are under its path p: p, or its
// properties.
func (m FleetMember) at(p string) string {
	if m.Properties != nil {
		return join(p, "properties")
	}
	return p
}

// check returns the problems of the member alone, under p: its fields
// both at the top level and under properties, a cluster ID that names no
// managed cluster, a group name outside the pattern.
func (m FleetMember) check(p string) []error {
	var errs []error
	if m.Properties != nil && (m.ClusterResourceID != "" || m.Group != "") {
		errs = append(errs, fieldErr(join(p, "properties"), "is given with clusterResourceId or group at the top level: give them at the top level (az) or under properties (ARM), not both"))
	}
	at := m.at(p)
	m = m.flat()
	if _, where, err := m.cluster(); err != nil {
		errs = append(errs, &FieldError{Path: join(at, where), Err: err})
	}
	if m.Group != "" {
		errs = appendErr(errs, checkPattern(join(at, "group"), m.Group, field[FleetMember]("group")))
	}
	return errs
}

// cluster returns the name of the scenario cluster a member stands for,
// and the field it comes from.
func (m FleetMember) cluster() (string, string, error) {
	if id := m.ClusterResourceID; id != "" {
		segs := strings.Split(strings.Trim(id, "/"), "/")
		for i := 0; i+1 < len(segs); i++ {
			if strings.EqualFold(segs[i], "managedClusters") && segs[i+1] != "" && i+2 == len(segs) {
				return segs[i+1], "clusterResourceId", nil
			}
		}
		return "", "clusterResourceId", fmt.Errorf("%q is not a managed cluster's ARM ID (/subscriptions/.../providers/Microsoft.ContainerService/managedClusters/NAME)", id)
	}
	if m.Name == "" {
		return "", "", fmt.Errorf("names no cluster: give clusterResourceId or name")
	}
	return m.Name, "name", nil
}

// strategyName returns the strategy name an updateStrategyId refers to:
// the segment after /updateStrategies/, or the whole value.
func strategyName(id string) string {
	segs := strings.Split(strings.Trim(id, "/"), "/")
	for i := 0; i+1 < len(segs); i++ {
		if strings.EqualFold(segs[i], "updateStrategies") {
			return segs[i+1]
		}
	}
	return id
}

// checkFailures returns an error at path when s is not a count or
// percentage, or, when modelled, not a form of zero: the model stops a run
// at its first failed member.
func checkFailures(path, s string, f Field, modelled bool) error {
	if s == "" {
		return nil
	}
	if err := checkPattern(path, s, f); err != nil {
		return err
	}
	if modelled && strings.Trim(s, "0%") != "" {
		return fieldErr(path, "%q is not modelled: a run stops at its first failed member (0)", s)
	}
	return nil
}

// patterns holds the compiled patterns of the reference, by text.
var patterns sync.Map

// checkPattern returns an error at path when s does not match f's pattern.
func checkPattern(path, s string, f Field) error {
	re, ok := patterns.Load(f.Pattern)
	if !ok {
		re, _ = patterns.LoadOrStore(f.Pattern, regexp.MustCompile(f.Pattern))
	}
	if re.(*regexp.Regexp).MatchString(s) {
		return nil
	}
	if s == "" {
		return fieldErr(path, "is required (%s)", f.Allowed())
	}
	return fieldErr(path, "%q is not %s", s, f.Allowed())
}

func appendErr(errs []error, err error) []error {
	if err != nil {
		return append(errs, err)
	}
	return errs
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
