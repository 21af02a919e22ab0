package plan

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// Variant is a named set of overrides applied to the scenario's clusters
// (all of them, or those named in Clusters). Empty fields leave the
// scenario's value.
type Variant struct {
	Name     string   `json:"name"`
	Clusters []string `json:"clusters,omitempty"`

	NodeOSUpgradeChannel string `json:"nodeOSUpgradeChannel,omitempty"`
	UpgradeChannel       string `json:"upgradeChannel,omitempty"`
	WindowsFallback      string `json:"windowsFallback,omitempty"`
	// NodeOSMaintenanceWindow replaces the aksManagedNodeOSUpgradeSchedule
	// window.
	NodeOSMaintenanceWindow *window.MaintenanceWindow `json:"nodeOSMaintenanceWindow,omitempty"`
	// NoNodeOSMaintenanceWindow removes it (AKS then picks its own cadence).
	NoNodeOSMaintenanceWindow bool `json:"noNodeOSMaintenanceWindow,omitempty"`
	// UpgradeSettings fields replace every pool's.
	UpgradeSettings UpgradeSettings `json:"upgradeSettings,omitempty"`
	Policy          *Policy         `json:"policy,omitempty"`
	Kured           *Kured          `json:"kured,omitempty"`
	NoKured         bool            `json:"noKured,omitempty"`

	// UpdateStrategy replaces the Fleet Manager update strategy (its
	// stages, groups, waits and gates); StageOrder and
	// AfterStageWaitInSeconds then apply to it.
	UpdateStrategy *UpdateStrategy `json:"updateStrategy,omitempty"`
	// StageOrder runs the Fleet Manager update strategy's stages in this
	// order, each named once. A stage moves with its own wait, gates and
	// groups.
	StageOrder []string `json:"stageOrder,omitempty"`
	// AfterStageWaitInSeconds replaces every stage's wait; the last
	// stage's delays nothing.
	AfterStageWaitInSeconds *int `json:"afterStageWaitInSeconds,omitempty"`
	// NodeImageSelection replaces every auto-upgrade profile's node image
	// selection.
	NodeImageSelection string `json:"nodeImageSelection,omitempty"`

	grid   bool
	window windowEdit // the grid's window axes
	// soak is the grid's soak axis: unlike UpgradeSettings, whose 0 leaves
	// the pools' own, it sets every pool's soak, 0 included.
	soak *int
	cell []Setting // the grid's axis values, in axis order
}

// Setting is the value a grid variant takes on one axis, as the grid
// lists it (a day normalised to its English name).
type Setting struct {
	Axis  string `json:"axis"`
	Value string `json:"value"`
}

// windowEdit is what a grid cell changes in each cluster's
// aksManagedNodeOSUpgradeSchedule window: only the fields of its axes.
type windowEdit struct {
	day     string        // weekday; "" leaves the day
	hour    int           // start hour; -1 leaves the start time
	hours   int           // duration in hours; 0 leaves it
	stagger time.Duration // cluster i's window moves by i x stagger
	set     bool          // some axis is set
}

// Grid is a sweep: the scenario as it is (the variant "baseline", always
// first), then one variant per combination of the non-empty axes.
//
// The window axes change only their own field of each cluster's
// aksManagedNodeOSUpgradeSchedule window, which keeps its utcOffset,
// interval, startDate, notAllowedDates and minutes, so clusters in
// different regions keep their local time: WindowDay sets the weekday (of a
// weekly or relativeMonthly schedule; a daily or absoluteMonthly one becomes
// weekly on that day), WindowStartHour the start hour, WindowDurationHours
// the length. A cluster without such a window gets one, weekly on Sunday at
// 00:00 UTC for 4 hours, before the axes apply. WindowStagger moves cluster
// i's window (i counting the grid's clusters in the order given, else the
// scenario's) by i x the step, later in local time, to test ring rollouts; a
// move past midnight moves the day of a weekly or absoluteMonthly window
// (other schedules can only be moved within the day).
type Grid struct {
	Clusters                  []string   `json:"clusters,omitempty"`
	NodeOSUpgradeChannel      []string   `json:"nodeOSUpgradeChannel,omitempty"`
	WindowDay                 []string   `json:"windowDay,omitempty"`
	WindowStartHour           []int      `json:"windowStartHour,omitempty"`
	WindowDurationHours       []int      `json:"windowDurationHours,omitempty"`
	WindowStagger             []Duration `json:"windowStagger,omitempty"`
	MaxSurge                  []string   `json:"maxSurge,omitempty"`
	NodeSoakDurationInMinutes []int      `json:"nodeSoakDurationInMinutes,omitempty"`
	// StageOrder lists orders of the Fleet Manager update strategy's
	// stages, each comma-separated ("test,canary,prod").
	StageOrder []string `json:"stageOrder,omitempty"`
	// AfterStageWaitInSeconds lists waits, each set on every stage (the
	// last stage's delays nothing).
	AfterStageWaitInSeconds []int `json:"afterStageWaitInSeconds,omitempty"`
	// NodeImageSelection lists selections (Latest, Consistent), each set
	// on every auto-upgrade profile.
	NodeImageSelection []string `json:"nodeImageSelection,omitempty"`
}

// maxStagger bounds a windowStagger step: a week moves a weekly window
// all the way round.
const maxStagger = Duration(7 * 24 * time.Hour)

func (v *Variant) appliesTo(cluster string) bool {
	if len(v.Clusters) == 0 {
		return true
	}
	for _, c := range v.Clusters {
		if c == cluster {
			return true
		}
	}
	return false
}

// ring returns the position of cluster among those v applies to (v's own
// list if it has one, else the scenario's order), for the stagger axis.
func (v *Variant) ring(s *Scenario, cluster string) int {
	names := v.Clusters
	if len(names) == 0 {
		for _, c := range s.Clusters {
			names = append(names, c.Name)
		}
	}
	for i, n := range names {
		if n == cluster {
			return i
		}
	}
	return 0
}

// apply returns c with v's overrides; ring is c's position for the stagger
// axis. It reports a window the stagger cannot move.
func (v *Variant) apply(c Cluster, ring int) (Cluster, error) {
	if v.NodeOSUpgradeChannel != "" {
		c.NodeOSUpgradeChannel = v.NodeOSUpgradeChannel
	}
	if v.UpgradeChannel != "" {
		c.UpgradeChannel = v.UpgradeChannel
	}
	if v.WindowsFallback != "" {
		c.WindowsFallback = v.WindowsFallback
	}
	if v.NodeOSMaintenanceWindow != nil || v.NoNodeOSMaintenanceWindow {
		var mcs []window.MaintenanceConfiguration
		for _, mc := range c.MaintenanceConfigurations {
			if mc.Name != window.NameNodeOSUpgrade {
				mcs = append(mcs, mc)
			}
		}
		if v.NodeOSMaintenanceWindow != nil && !v.NoNodeOSMaintenanceWindow {
			w := *v.NodeOSMaintenanceWindow
			mcs = append(mcs, window.MaintenanceConfiguration{Name: window.NameNodeOSUpgrade, MaintenanceWindow: &w})
		}
		c.MaintenanceConfigurations = mcs
	}
	if v.window.set {
		var err error
		if c.MaintenanceConfigurations, err = v.window.apply(c.MaintenanceConfigurations, ring); err != nil {
			return c, fmt.Errorf("plan: grid (%s): cluster %s: %w", v.Name, c.Name, err)
		}
	}
	u := v.UpgradeSettings
	if u != (UpgradeSettings{}) || v.soak != nil {
		pools := make([]Pool, len(c.Pools))
		for i, p := range c.Pools {
			s := &p.UpgradeSettings
			if u.MaxSurge != "" {
				s.MaxSurge = u.MaxSurge
			}
			if u.MaxUnavailable != "" {
				s.MaxUnavailable = u.MaxUnavailable
			}
			if u.MaxBlockedNodes != "" {
				s.MaxBlockedNodes = u.MaxBlockedNodes
			}
			if u.DrainTimeoutInMinutes != 0 {
				s.DrainTimeoutInMinutes = u.DrainTimeoutInMinutes
			}
			if u.NodeSoakDurationInMinutes != 0 {
				s.NodeSoakDurationInMinutes = u.NodeSoakDurationInMinutes
			}
			if u.UndrainableNodeBehavior != "" {
				s.UndrainableNodeBehavior = u.UndrainableNodeBehavior
			}
			if v.soak != nil {
				s.NodeSoakDurationInMinutes = *v.soak
			}
			pools[i] = p
		}
		c.Pools = pools
	}
	if v.Policy != nil {
		c.Policy = *v.Policy
	}
	if v.Kured != nil {
		k := *v.Kured
		c.Kured = &k
	}
	if v.NoKured {
		c.Kured = nil
	}
	return c, nil
}

// apply returns mcs with the node OS window edited; ring is the cluster's
// position for the stagger. mcs itself is not changed.
func (e windowEdit) apply(mcs []window.MaintenanceConfiguration, ring int) ([]window.MaintenanceConfiguration, error) {
	out := append([]window.MaintenanceConfiguration(nil), mcs...)
	at := -1
	for i, mc := range out {
		if mc.Name == window.NameNodeOSUpgrade && mc.MaintenanceWindow != nil {
			at = i
		}
	}
	var w window.MaintenanceWindow
	if at >= 0 {
		w = *out[at].MaintenanceWindow
		w.Schedule = cloneRecurrence(w.Schedule)
		w.NotAllowedDates = append([]window.DateSpan(nil), w.NotAllowedDates...)
	} else {
		w = window.MaintenanceWindow{Schedule: window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: "Sunday"}},
			DurationHours: 4, StartTime: "00:00"}
		out = append(out, window.MaintenanceConfiguration{Name: window.NameNodeOSUpgrade})
		at = len(out) - 1
	}
	sc := &w.Schedule
	if e.day != "" {
		switch {
		case sc.Weekly != nil:
			sc.Weekly.DayOfWeek = e.day
		case sc.RelativeMonthly != nil:
			sc.RelativeMonthly.DayOfWeek = e.day
		default:
			*sc = window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: e.day}}
		}
	}
	minute := 0
	if t, err := time.Parse("15:04", w.StartTime); err == nil {
		minute = t.Hour()*60 + t.Minute()
	}
	if e.hour >= 0 {
		minute = e.hour*60 + minute%60
	}
	if e.hours != 0 {
		w.DurationHours = e.hours
	}
	if shift := time.Duration(ring) * e.stagger; shift != 0 {
		minute += int(shift / time.Minute)
		if days := minute / (24 * 60); days > 0 {
			switch {
			case sc.Weekly != nil:
				d, _ := window.ParseWeekday(sc.Weekly.DayOfWeek)
				sc.Weekly.DayOfWeek = ((d + time.Weekday(days)) % 7).String()
			case sc.AbsoluteMonthly != nil && sc.AbsoluteMonthly.DayOfMonth+days <= 31:
				sc.AbsoluteMonthly.DayOfMonth += days
			case sc.Daily != nil && sc.Daily.IntervalDays == 1:
			default:
				return nil, fmt.Errorf("windowStagger: moving the window by %v passes midnight, which only a weekly, absoluteMonthly (to day 31) or every-day window can follow", shift)
			}
		}
		minute %= 24 * 60
	}
	w.StartTime = fmt.Sprintf("%02d:%02d", minute/60, minute%60)
	out[at].MaintenanceWindow = &w
	return out, nil
}

// variants returns the scenario's variants: the listed ones, then the
// grid's, or the single "baseline".
func (s *Scenario) variants() ([]Variant, error) {
	var errs []error
	out := append([]Variant(nil), s.Variants...)
	names := map[string]int{}
	for i, v := range s.Variants {
		p := fmt.Sprintf("variants[%d]", i)
		if v.Name == "" {
			errs = append(errs, fmt.Errorf("plan: %s.name: is required", p))
		} else if j, dup := names[v.Name]; dup {
			errs = append(errs, fmt.Errorf("plan: %s.name: %q is also the name of variants[%d]", p, v.Name, j))
		} else {
			names[v.Name] = i
		}
		errs = append(errs, s.checkClusters(p+".clusters", v.Clusters)...)
	}
	if g := s.Grid; g != nil {
		// The scenario as it is comes first, the sweep's baseline.
		if j, dup := names[baseline]; dup {
			errs = append(errs, fmt.Errorf("plan: variants[%d].name: %q is the grid's first variant, the scenario as it is; choose another name", j, baseline))
		}
		out = append([]Variant{{Name: baseline}}, out...)
		gv, gerrs := g.expand()
		errs = append(errs, gerrs...)
		errs = append(errs, g.checkStageOrders(s.FleetManager)...)
		if s.FleetManager == nil {
			for _, a := range []struct {
				name string
				n    int
			}{{"stageOrder", len(g.StageOrder)}, {"afterStageWaitInSeconds", len(g.AfterStageWaitInSeconds)}, {"nodeImageSelection", len(g.NodeImageSelection)}} {
				if a.n > 0 {
					errs = append(errs, fieldErr("grid."+a.name, noFleetManager))
				}
			}
		}
		errs = append(errs, s.checkClusters("grid.clusters", g.Clusters)...)
		for _, v := range gv {
			if j, dup := names[v.Name]; dup {
				errs = append(errs, fmt.Errorf("plan: grid: variant %q is also the name of variants[%d]", v.Name, j))
			}
		}
		out = append(out, gv...)
	}
	if len(out) == 0 {
		out = []Variant{{Name: baseline}}
	}
	if len(out) > MaxVariants {
		errs = append(errs, fmt.Errorf("plan: variants: %d variants (grid included) is over the maximum %d", len(out), MaxVariants))
	}
	return out, errors.Join(errs...)
}

func (s *Scenario) checkClusters(p string, names []string) []error {
	var errs []error
	for i, n := range names {
		found := false
		for _, c := range s.Clusters {
			found = found || c.Name == n
		}
		if !found {
			errs = append(errs, fmt.Errorf("plan: %s[%d]: %q is not a cluster of the scenario", p, i, n))
		}
	}
	return errs
}

// baseline names the variant without overrides.
const baseline = "baseline"

// gridAxis is one axis of a grid: its name, its number of values, and
// what its i-th value sets in a variant (returning the value, for Setting).
type gridAxis struct {
	name string
	n    int
	set  func(v *Variant, i int) string
}

// expand returns one variant per combination of the grid's axes, in the
// order the axes are declared, the last axis varying fastest.
func (g *Grid) expand() ([]Variant, []error) {
	type axis = gridAxis
	var errs []error
	var axes []axis
	for i, c := range g.NodeOSUpgradeChannel {
		if _, err := channel.ParseNodeOSChannel(c); err != nil {
			errs = append(errs, &FieldError{Path: fmt.Sprintf("grid.nodeOSUpgradeChannel[%d]", i), Err: err})
		}
	}
	if len(g.NodeOSUpgradeChannel) > 0 {
		axes = append(axes, axis{"nodeOSUpgradeChannel", len(g.NodeOSUpgradeChannel), func(v *Variant, i int) string {
			v.NodeOSUpgradeChannel = g.NodeOSUpgradeChannel[i]
			v.Name += " channel=" + g.NodeOSUpgradeChannel[i]
			return g.NodeOSUpgradeChannel[i]
		}})
	}
	for i, d := range g.WindowDay {
		if _, err := window.ParseWeekday(d); err != nil {
			errs = append(errs, &FieldError{Path: fmt.Sprintf("grid.windowDay[%d]", i), Err: err})
		}
	}
	if len(g.WindowDay) > 0 {
		axes = append(axes, axis{"windowDay", len(g.WindowDay), func(v *Variant, i int) string {
			d, _ := window.ParseWeekday(g.WindowDay[i])
			v.window.day, v.window.set = d.String(), true
			v.Name += " day=" + d.String()[:3]
			return d.String()
		}})
	}
	for i, h := range g.WindowStartHour {
		if err := field[Grid]("windowStartHour").checkInt(fmt.Sprintf("grid.windowStartHour[%d]", i), h); err != nil {
			errs = append(errs, err)
		}
	}
	if len(g.WindowStartHour) > 0 {
		axes = append(axes, axis{"windowStartHour", len(g.WindowStartHour), func(v *Variant, i int) string {
			v.window.hour, v.window.set = g.WindowStartHour[i], true
			v.Name += fmt.Sprintf(" start=%02d:00", g.WindowStartHour[i])
			return strconv.Itoa(g.WindowStartHour[i])
		}})
	}
	for i, h := range g.WindowDurationHours {
		if err := field[Grid]("windowDurationHours").checkInt(fmt.Sprintf("grid.windowDurationHours[%d]", i), h); err != nil {
			errs = append(errs, err)
		}
	}
	if len(g.WindowDurationHours) > 0 {
		axes = append(axes, axis{"windowDurationHours", len(g.WindowDurationHours), func(v *Variant, i int) string {
			v.window.hours, v.window.set = g.WindowDurationHours[i], true
			v.Name += fmt.Sprintf(" hours=%d", g.WindowDurationHours[i])
			return strconv.Itoa(g.WindowDurationHours[i])
		}})
	}
	for i, d := range g.WindowStagger {
		if d < 0 || d.D()%time.Minute != 0 || d > maxStagger {
			errs = append(errs, fmt.Errorf("plan: grid.windowStagger[%d]: %v is not whole minutes from 0 to %v", i, d, maxStagger))
		}
	}
	if len(g.WindowStagger) > 0 {
		axes = append(axes, axis{"windowStagger", len(g.WindowStagger), func(v *Variant, i int) string {
			v.window.stagger, v.window.set = g.WindowStagger[i].D(), true
			v.Name += " stagger=" + g.WindowStagger[i].String()
			return g.WindowStagger[i].String()
		}})
	}
	// The rules of a value alone; those that need a pool (its size, its
	// mode) are checked on each variant.
	for i, m := range g.MaxSurge {
		errs = append(errs, UpgradeSettings{MaxSurge: m}.valueProblems(fmt.Sprintf("grid.maxSurge[%d]", i))...)
	}
	for i, m := range g.NodeSoakDurationInMinutes {
		errs = append(errs, UpgradeSettings{NodeSoakDurationInMinutes: m}.valueProblems(fmt.Sprintf("grid.nodeSoakDurationInMinutes[%d]", i))...)
	}
	if len(g.MaxSurge) > 0 {
		axes = append(axes, axis{"maxSurge", len(g.MaxSurge), func(v *Variant, i int) string {
			v.UpgradeSettings.MaxSurge = g.MaxSurge[i]
			v.Name += " maxSurge=" + g.MaxSurge[i]
			return g.MaxSurge[i]
		}})
	}
	if len(g.NodeSoakDurationInMinutes) > 0 {
		axes = append(axes, axis{"nodeSoakDurationInMinutes", len(g.NodeSoakDurationInMinutes), func(v *Variant, i int) string {
			soak := g.NodeSoakDurationInMinutes[i]
			v.soak = &soak
			v.Name += fmt.Sprintf(" soak=%dm", g.NodeSoakDurationInMinutes[i])
			return strconv.Itoa(g.NodeSoakDurationInMinutes[i])
		}})
	}
	fa, ferrs := g.fleetAxes()
	axes = append(axes, fa...)
	errs = append(errs, ferrs...)
	if len(axes) == 0 {
		return nil, append(errs, errors.New("plan: grid: no axis has values"))
	}
	total := 1
	for _, a := range axes {
		total *= a.n
		if total > MaxVariants {
			return nil, append(errs, fmt.Errorf("plan: grid: more than %d combinations", MaxVariants))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	out := make([]Variant, 0, total)
	idx := make([]int, len(axes))
	for range total {
		v := Variant{Clusters: g.Clusters, grid: true, window: windowEdit{hour: -1}}
		for a, ax := range axes {
			v.cell = append(v.cell, Setting{Axis: ax.name, Value: ax.set(&v, idx[a])})
		}
		v.Name = strings.TrimSpace(v.Name)
		out = append(out, v)
		for a := len(axes) - 1; a >= 0; a-- {
			idx[a]++
			if idx[a] < axes[a].n {
				break
			}
			idx[a] = 0
		}
	}
	return out, nil
}

// cloneRecurrence returns a copy of r that shares no schedule with it.
func cloneRecurrence(r window.Recurrence) window.Recurrence {
	var c window.Recurrence
	if r.Daily != nil {
		d := *r.Daily
		c.Daily = &d
	}
	if r.Weekly != nil {
		w := *r.Weekly
		c.Weekly = &w
	}
	if r.AbsoluteMonthly != nil {
		a := *r.AbsoluteMonthly
		c.AbsoluteMonthly = &a
	}
	if r.RelativeMonthly != nil {
		m := *r.RelativeMonthly
		c.RelativeMonthly = &m
	}
	return c
}
