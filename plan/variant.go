package plan

import (
	"errors"
	"fmt"
	"strings"

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

	grid bool
}

// Grid is a sweep: one variant per combination of the non-empty axes. The
// window axes build a weekly aksManagedNodeOSUpgradeSchedule window; axes
// left empty take Sunday, 00:00 and 4 hours.
type Grid struct {
	Clusters                  []string `json:"clusters,omitempty"`
	NodeOSUpgradeChannel      []string `json:"nodeOSUpgradeChannel,omitempty"`
	WindowDay                 []string `json:"windowDay,omitempty"`
	WindowStartHour           []int    `json:"windowStartHour,omitempty"`
	WindowDurationHours       []int    `json:"windowDurationHours,omitempty"`
	MaxSurge                  []string `json:"maxSurge,omitempty"`
	NodeSoakDurationInMinutes []int    `json:"nodeSoakDurationInMinutes,omitempty"`
}

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

// apply returns c with v's overrides.
func (v *Variant) apply(c Cluster) Cluster {
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
	u := v.UpgradeSettings
	if u != (UpgradeSettings{}) {
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
	return c
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
		gv, gerrs := g.expand()
		errs = append(errs, gerrs...)
		errs = append(errs, s.checkClusters("grid.clusters", g.Clusters)...)
		for _, v := range gv {
			if j, dup := names[v.Name]; dup {
				errs = append(errs, fmt.Errorf("plan: grid: variant %q is also the name of variants[%d]", v.Name, j))
			}
		}
		out = append(out, gv...)
	}
	if len(out) == 0 {
		out = []Variant{{Name: "baseline"}}
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

// expand returns one variant per combination of the grid's axes, in the
// order the axes are declared, the last axis varying fastest.
func (g *Grid) expand() ([]Variant, []error) {
	type axis struct {
		name string
		n    int
		set  func(v *Variant, w *weekly, i int)
	}
	var errs []error
	var axes []axis
	if len(g.NodeOSUpgradeChannel) > 0 {
		axes = append(axes, axis{"nodeOSUpgradeChannel", len(g.NodeOSUpgradeChannel), func(v *Variant, _ *weekly, i int) {
			v.NodeOSUpgradeChannel = g.NodeOSUpgradeChannel[i]
			v.Name += " channel=" + g.NodeOSUpgradeChannel[i]
		}})
	}
	for i, d := range g.WindowDay {
		if _, ok := weekday(d); !ok {
			errs = append(errs, fmt.Errorf("plan: grid.windowDay[%d]: %q is not a day of the week", i, d))
		}
	}
	if len(g.WindowDay) > 0 {
		axes = append(axes, axis{"windowDay", len(g.WindowDay), func(v *Variant, w *weekly, i int) {
			d, _ := weekday(g.WindowDay[i])
			w.day, w.set = d.String(), true
			v.Name += " day=" + d.String()[:3]
		}})
	}
	for i, h := range g.WindowStartHour {
		if h < 0 || h > 23 {
			errs = append(errs, fmt.Errorf("plan: grid.windowStartHour[%d]: %d is outside 0 to 23", i, h))
		}
	}
	if len(g.WindowStartHour) > 0 {
		axes = append(axes, axis{"windowStartHour", len(g.WindowStartHour), func(v *Variant, w *weekly, i int) {
			w.hour, w.set = g.WindowStartHour[i], true
			v.Name += fmt.Sprintf(" start=%02d:00", g.WindowStartHour[i])
		}})
	}
	if len(g.WindowDurationHours) > 0 {
		axes = append(axes, axis{"windowDurationHours", len(g.WindowDurationHours), func(v *Variant, w *weekly, i int) {
			w.hours, w.set = g.WindowDurationHours[i], true
			v.Name += fmt.Sprintf(" hours=%d", g.WindowDurationHours[i])
		}})
	}
	if len(g.MaxSurge) > 0 {
		axes = append(axes, axis{"maxSurge", len(g.MaxSurge), func(v *Variant, _ *weekly, i int) {
			v.UpgradeSettings.MaxSurge = g.MaxSurge[i]
			v.Name += " maxSurge=" + g.MaxSurge[i]
		}})
	}
	if len(g.NodeSoakDurationInMinutes) > 0 {
		axes = append(axes, axis{"nodeSoakDurationInMinutes", len(g.NodeSoakDurationInMinutes), func(v *Variant, _ *weekly, i int) {
			v.UpgradeSettings.NodeSoakDurationInMinutes = g.NodeSoakDurationInMinutes[i]
			v.Name += fmt.Sprintf(" soak=%dm", g.NodeSoakDurationInMinutes[i])
		}})
	}
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
		v := Variant{Clusters: g.Clusters, grid: true}
		w := weekly{day: "Sunday", hours: 4}
		for a, ax := range axes {
			ax.set(&v, &w, idx[a])
		}
		v.Name = strings.TrimSpace(v.Name)
		if w.set {
			v.NodeOSMaintenanceWindow = &window.MaintenanceWindow{
				Schedule:      window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: w.day}},
				DurationHours: w.hours, StartTime: fmt.Sprintf("%02d:00", w.hour), UTCOffset: "+00:00",
			}
		}
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

type weekly struct {
	day   string
	hour  int
	hours int
	set   bool
}
