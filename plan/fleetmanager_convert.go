package plan

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// manager converts fm, which check found valid, into the model's
// Manager; nil stays nil. The members are the clusters they name, in
// their order (none: every cluster of the scenario); groups list their
// members in that order, and a maxConcurrency percentage is resolved against the stage's
// or the group's members, rounded down, at least 1 (fleet-manager.md
// section 2.4).
func (fm *FleetManager) manager() *fleet.Manager {
	if fm == nil {
		return nil
	}
	m := &fleet.Manager{}
	byGroup := map[string][]string{}
	for _, mb := range fm.Members {
		mb = mb.flat()
		c, _, err := mb.cluster()
		if err != nil {
			continue
		}
		m.Members = append(m.Members, c)
		if mb.Group != "" {
			byGroup[mb.Group] = append(byGroup[mb.Group], c)
		}
	}
	if stages := fm.UpdateStrategy.stages(); len(stages) > 0 {
		m.Strategy = &fleet.UpdateStrategy{}
		for _, st := range stages {
			n := 0
			for _, g := range st.Groups {
				n += len(byGroup[g.Name])
			}
			fs := fleet.UpdateStage{
				Name:            st.Name,
				AfterStageWait:  time.Duration(st.AfterStageWaitInSeconds) * time.Second,
				MaxConcurrency:  concurrency(st.MaxConcurrency, n),
				BeforeApprovals: approvals(st.BeforeGates),
				AfterApprovals:  approvals(st.AfterGates),
				ScheduledStarts: scheduledStarts(st.BeforeGates),
			}
			for _, g := range st.Groups {
				fs.Groups = append(fs.Groups, fleet.UpdateGroup{
					Name:            g.Name,
					Clusters:        byGroup[g.Name],
					MaxConcurrency:  concurrency(g.MaxConcurrency, len(byGroup[g.Name])),
					BeforeApprovals: approvals(g.BeforeGates),
					AfterApprovals:  approvals(g.AfterGates),
					ScheduledStarts: scheduledStarts(g.BeforeGates),
				})
			}
			m.Strategy.Stages = append(m.Strategy.Stages, fs)
		}
	}
	for _, pr := range fm.AutoUpgradeProfiles {
		pr = pr.flat()
		fp := fleet.AutoUpgradeProfile{Name: pr.Name, TargetKubernetesVersion: pr.TargetKubernetesVersion, Disabled: pr.Disabled}
		fp.Channel, _ = fleet.ParseAutoUpgradeChannel(pr.Channel)
		if sel := pr.NodeImageSelection; sel != nil {
			fp.NodeImageSelection, _ = fleet.ParseNodeImageSelection(sel.Type)
		}
		m.Profiles = append(m.Profiles, fp)
	}
	p := fm.Policy
	m.Policy = fleet.ManagerPolicy{WindowPoll: p.WindowPoll.D(), NoWindowPoll: p.NoWindowPoll, StepLatency: p.StepLatency.D(), TriggerLag: p.TriggerLag.D()}
	if p.ApprovalDelay != nil {
		m.Policy.ApprovalDelay = p.ApprovalDelay.fleet()
	}
	m.Policy.TriggerOn, _ = fleet.ParseTrigger(p.TriggerOn)
	m.Policy.NewerRelease, _ = fleet.ParseNewerRelease(p.NewerRelease)
	if k, ok := field[ManagerPolicy]("memberOverrun").lookup(p.MemberOverrun); ok {
		m.Policy.DeferRemainingPools = k == 1
	}
	if w := p.ApprovalWindow; w != nil {
		m.Policy.ApprovalWindow, _ = weekdayWindow("", "days", w.Days, w.StartTime, w.EndTime, w.TimeZone)
	}
	return m
}

// approvals returns the Approval gates of gates, by display name.
func approvals(gates []GateConfiguration) []fleet.Approval {
	var out []fleet.Approval
	for _, g := range gates {
		if strings.EqualFold(g.Type, "Approval") {
			out = append(out, fleet.Approval{Name: g.DisplayName})
		}
	}
	return out
}

// scheduledStarts returns the ScheduledStart gates of gates.
func scheduledStarts(gates []GateConfiguration) []fleet.ScheduledStart {
	var out []fleet.ScheduledStart
	for _, g := range gates {
		c := g.ScheduledStartConfiguration
		if !strings.EqualFold(g.Type, "ScheduledStart") || c == nil {
			continue
		}
		day, _ := window.ParseWeekday(c.StartDay)
		at, _ := time.Parse("15:04", c.StartTime)
		var off time.Duration
		if len(c.UTCOffset) == 6 {
			h, _ := strconv.Atoi(c.UTCOffset[1:3])
			m, _ := strconv.Atoi(c.UTCOffset[4:])
			off = time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
			if c.UTCOffset[0] == '-' {
				off = -off
			}
		}
		out = append(out, fleet.ScheduledStart{Day: day, Time: time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute, Offset: off})
	}
	return out
}

// concurrency resolves a maxConcurrency against n members: a count as
// it is, a percentage of n rounded down and at least 1, empty as 0 (the
// model's default).
func concurrency(s string, n int) int {
	if pct, ok := strings.CutSuffix(s, "%"); ok {
		v, _ := strconv.Atoi(pct)
		return max(v*n/100, 1)
	}
	v, _ := strconv.Atoi(s)
	return v
}

// managerErrors returns the model's problems of a Manager under the
// scenario's names: "manager.policy.x" is "fleetManager.policy.x"; the
// model's other paths name what check has already reported in the
// file's terms, and stay as they are.
func managerErrors(err error) error {
	if err == nil {
		return nil
	}
	var out []error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *fleet.FieldError
		if errors.As(e, &fe) {
			if rest, ok := strings.CutPrefix(fe.Path, "manager.policy"); ok {
				out = append(out, &FieldError{Path: "fleetManager.policy" + rest, Err: fe.Err})
				return
			}
		}
		out = append(out, e)
	}
	walk(err)
	return errors.Join(out...)
}
