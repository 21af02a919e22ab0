package plan

import (
	"errors"
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// effectiveSLA returns the SLAs with fleet's defaults filled in.
func (s *Scenario) effectiveSLA() SLA {
	e := s.SLA.fleet().Effective()
	return SLA{Critical: Duration(e.Critical), High: Duration(e.High), Medium: Duration(e.Medium), Low: Duration(e.Low)}
}

func (a SLA) fleet() fleet.SLA {
	return fleet.SLA{Critical: a.Critical.D(), High: a.High.D(), Medium: a.Medium.D(), Low: a.Low.D()}
}

// fleetConfig assembles the fleet configuration of clusters under the
// Fleet Manager m (nil: none); each run supplies the upstream content and
// the seed.
func (s *Scenario) fleetConfig(clusters []fleet.Cluster, m *fleet.Manager) fleet.Config {
	return fleet.Config{Start: s.Start, Horizon: s.horizon(), Settle: s.settle(), Clusters: clusters, SLA: s.SLA.fleet(), Manager: m}
}

// applied returns the scenario's clusters with variant v's overrides (none
// when v is nil), and every problem applying them.
func (s *Scenario) applied(v *Variant) ([]Cluster, []error) {
	var errs []error
	out := make([]Cluster, len(s.Clusters))
	for i, c := range s.Clusters {
		if v != nil && v.appliesTo(c.Name) {
			var err error
			if c, err = v.apply(c, v.ring(s, c.Name)); err != nil {
				errs = append(errs, err)
			}
		}
		out[i] = c
	}
	return out, errs
}

// fleetClusters converts the scenario's clusters, with variant v applied
// (nil: none), reporting every conversion problem with its path.
func (s *Scenario) fleetClusters(v *Variant) ([]fleet.Cluster, error) {
	cs, errs := s.applied(v)
	var out []fleet.Cluster
	for i, c := range cs {
		fc, err := c.fleet(fmt.Sprintf("clusters[%d]", i), s.Start)
		errs = append(errs, err...)
		out = append(out, fc)
	}
	return out, errors.Join(errs...)
}

func (c Cluster) fleet(p string, anchor time.Time) (fleet.Cluster, []error) {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	wrap := func(path string, err error) {
		if err != nil {
			errs = append(errs, &FieldError{Path: path, Err: err})
		}
	}
	fc := fleet.Cluster{Name: c.Name, Region: channel.NormalizeRegion(c.Region)}
	var err error
	if fc.NodeOSChannel, err = channel.ParseNodeOSChannel(c.NodeOSUpgradeChannel); err != nil {
		wrap(p+".nodeOSUpgradeChannel", err)
	}
	if fc.ClusterChannel, err = channel.ParseClusterChannel(c.UpgradeChannel); err != nil {
		wrap(p+".upgradeChannel", err)
	}
	if fc.WindowsFallback, err = channel.ParseNodeOSChannel(c.WindowsFallback); err != nil {
		wrap(p+".windowsFallback", err)
	}
	seen := map[string]int{}
	for i, mc := range c.MaintenanceConfigurations {
		mp := fmt.Sprintf("%s.maintenanceConfigurations[%d]", p, i)
		if j, dup := seen[mc.Name]; dup {
			add(mp+".name", "%q is also the name of maintenanceConfigurations[%d]", mc.Name, j)
			continue
		}
		seen[mc.Name] = i
		if err := mc.Validate(); err != nil {
			wrap(mp, err)
			continue
		}
		sched, err := mc.Schedule(anchor)
		if err != nil {
			wrap(mp, err)
			continue
		}
		switch mc.Name {
		case window.NameNodeOSUpgrade:
			fc.Maintenance.NodeOS = sched
		case window.NameAutoUpgrade:
			fc.Maintenance.AutoUpgrade = sched
		case window.NameDefault:
			fc.Maintenance.Default = sched
		default:
			add(mp+".name", "%q is not one of %s, %s, %s", mc.Name, window.NameNodeOSUpgrade, window.NameAutoUpgrade, window.NameDefault)
		}
	}
	fc.Policy = fleet.WindowPolicy{CatchUp: c.Policy.CatchUp, RetryDelay: c.Policy.RetryDelay.D(), OnePass: c.Policy.OnePass,
		NoWindowCadence: c.Policy.NoWindowCadence.D(), SecurityPatchCadence: c.Policy.SecurityPatchCadence.D(), Refuse24h: c.Policy.Refuse24h}
	if k := c.Kured; k != nil {
		fk := &fleet.Kured{Period: k.Period.D(), Concurrency: k.Concurrency}
		if k.Reboot != nil {
			fk.Reboot = k.Reboot.fleet()
		}
		if len(k.RebootDays) > 0 || k.StartTime != "" || k.EndTime != "" {
			w, werrs := k.window(p + ".kured")
			errs = append(errs, werrs...)
			fk.Window = w
		}
		fc.Kured = fk
	}
	for i, ch := range c.ChannelChanges {
		to, err := channel.ParseNodeOSChannel(ch.To)
		if err != nil {
			wrap(fmt.Sprintf("%s.channelChanges[%d].to", p, i), err)
		}
		fc.ChannelChanges = append(fc.ChannelChanges, fleet.ChannelChange{At: ch.At, To: to, Delay: ch.Delay.D(), LegacyAnyChangeReimages: ch.LegacyAnyChangeReimages})
	}
	for i, pl := range c.Pools {
		fp, perrs := pl.fleet(fmt.Sprintf("%s.pools[%d]", p, i))
		errs = append(errs, perrs...)
		fc.Pools = append(fc.Pools, fp)
	}
	return fc, errs
}

// window returns kured's reboot window: rebootDays (all when empty) from
// startTime (empty: 00:00) to endTime (empty: 24:00) in timeZone (empty:
// UTC).
func (k Kured) window(p string) (window.Schedule, []error) {
	return weekdayWindow(p, "rebootDays", k.RebootDays, k.StartTime, k.EndTime, k.TimeZone)
}

// weekdayWindow returns the window open on days (all when empty), at the
// field daysName of p, from start (empty: 00:00) to end (empty: 24:00) in
// the IANA zone tz (empty: UTC).
func weekdayWindow(p, daysName string, days []string, start, end, tz string) (window.Schedule, []error) {
	var errs []error
	wrap := func(path string, err error) { errs = append(errs, &FieldError{Path: path, Err: err}) }
	w := window.WeekdayHours{End: 24 * time.Hour}
	for i, d := range days {
		wd, err := window.ParseWeekday(d)
		if err != nil {
			wrap(fmt.Sprintf("%s.%s[%d]", p, daysName, i), err)
		}
		w.Days = append(w.Days, wd)
	}
	var err error
	if start != "" {
		if w.Start, err = window.ParseClock(start, false); err != nil {
			wrap(p+".startTime", err)
		}
	}
	if end != "" {
		if w.End, err = window.ParseClock(end, true); err != nil {
			wrap(p+".endTime", err)
		}
	}
	switch loc, err := time.LoadLocation(tz); {
	case tz == "":
	case tz == "Local":
		// The machine's own zone: the same scenario would give other
		// results on another machine.
		wrap(p+".timeZone", fmt.Errorf("%q is the zone of the machine that runs the simulation, not of the cluster; name an IANA time zone, e.g. Europe/Paris", tz))
	case err != nil:
		wrap(p+".timeZone", fmt.Errorf("%q is not an IANA time zone", tz))
	default:
		w.Location = loc
	}
	if len(errs) == 0 && w.Start == w.End {
		if start == "" {
			start = "00:00"
		}
		wrap(p+".endTime", fmt.Errorf("%q equals startTime %q: the window would never open", end, start))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	s, err := w.Schedule()
	if err != nil {
		return nil, []error{&FieldError{Path: p, Err: err}}
	}
	return s, nil
}

// Settings reads the written settings into the model's, without defaults:
// an empty field stays unset. The problems name each setting as AKS does;
// the rules between settings are fleet.UpgradeSettings.Check's.
func (u UpgradeSettings) Settings() (fleet.UpgradeSettings, []*fleet.SettingError) {
	var out fleet.UpgradeSettings
	var errs []*fleet.SettingError
	for _, q := range []struct {
		name string
		s    string
		dst  *fleet.Quantity
	}{{"maxSurge", u.MaxSurge, &out.MaxSurge}, {"maxUnavailable", u.MaxUnavailable, &out.MaxUnavailable}, {"maxBlockedNodes", u.MaxBlockedNodes, &out.MaxBlockedNodes}} {
		if q.s == "" {
			continue
		}
		v, err := fleet.ParseQuantity(q.s)
		if err != nil {
			errs = append(errs, &fleet.SettingError{Setting: q.name, Msg: err.Error()})
		}
		*q.dst = v
	}
	out.DrainTimeout = time.Duration(u.DrainTimeoutInMinutes) * time.Minute
	out.NodeSoak = time.Duration(u.NodeSoakDurationInMinutes) * time.Minute
	var err error
	if out.Undrainable, err = fleet.ParseUndrainable(u.UndrainableNodeBehavior); err != nil {
		errs = append(errs, &fleet.SettingError{Setting: "undrainableNodeBehavior", Msg: err.Error()})
	}
	return out, errs
}

// valueProblems returns the problems of u's values alone, whatever the
// pool, each at path: what [UpgradeSettings.Settings] cannot read and what
// fleet.UpgradeSettings.Check refuses without a pool's size or mode.
func (u UpgradeSettings) valueProblems(path string) []error {
	fu, errs := u.Settings()
	var out []error
	for _, e := range append(errs, fu.Check(0, false)...) {
		out = append(out, fieldErr(path, "%s", e.Msg))
	}
	return out
}

// UpgradeSettingsOf writes u as ARM does: the inverse of
// [UpgradeSettings.Settings] (unset quantities and durations stay empty).
func UpgradeSettingsOf(u fleet.UpgradeSettings) UpgradeSettings {
	return UpgradeSettings{
		MaxSurge: u.MaxSurge.String(), MaxUnavailable: u.MaxUnavailable.String(), MaxBlockedNodes: u.MaxBlockedNodes.String(),
		DrainTimeoutInMinutes: int(u.DrainTimeout / time.Minute), NodeSoakDurationInMinutes: int(u.NodeSoak / time.Minute),
		UndrainableNodeBehavior: u.Undrainable.String(),
	}
}

func (pl Pool) fleet(p string) (fleet.Pool, []error) {
	var errs []error
	wrap := func(path string, err error) { errs = append(errs, &FieldError{Path: path, Err: err}) }
	fp := fleet.Pool{Name: pl.Name, Count: pl.Count, PodsPerNode: pl.PodsPerNode}
	if pl.OSType != "" {
		os, err := channel.ParseOS(pl.OSType)
		if err != nil {
			wrap(p+".osType", err)
		}
		fp.OS = os
	}
	up, uerrs := pl.UpgradeSettings.Settings()
	for _, e := range uerrs {
		errs = append(errs, fieldErr(p+".upgradeSettings."+e.Setting, "%s", e.Msg))
	}
	fp.Upgrade = up
	if pl.Mode != "" {
		// The names are the reference's: User, then System.
		f := field[Pool]("mode")
		i, ok := f.lookup(pl.Mode)
		if !ok {
			errs = append(errs, fieldErr(p+".mode", "%q is not %s", pl.Mode, f.Allowed()))
		}
		fp.System = i == 1
	}
	if b := pl.PDB; b != nil {
		fp.PDB = fleet.PDB{Probability: b.Probability, Strict: b.StrictNodes}
		if b.Block != nil {
			fp.PDB.Block = b.Block.fleet()
		}
	}
	if d := pl.Durations; d != nil {
		for _, f := range []struct {
			src *Dist
			dst *fleet.Dist
		}{{d.Provision, &fp.Durations.Provision}, {d.Drain, &fp.Durations.Drain}, {d.Reimage, &fp.Durations.Reimage}, {d.Reboot, &fp.Durations.Reboot}} {
			if f.src != nil {
				*f.dst = f.src.fleet()
			}
		}
		fp.Durations.QuarantineCleanup = d.QuarantineCleanup.D()
	}
	if pl.Initial != nil {
		fp.Initial = pl.Initial.fleet()
	}
	for _, n := range pl.InitialNodes {
		fp.InitialNodes = append(fp.InitialNodes, n.fleet())
	}
	if pl.Image != nil {
		fp.Image = pl.Image.fleet()
	}
	if a := pl.Autoscale; a != nil {
		fa, aerrs := a.fleet(p + ".autoscale")
		errs = append(errs, aerrs...)
		fp.Autoscale = fa
	}
	return fp, errs
}

func (a Autoscale) fleet(p string) (*fleet.Autoscale, []error) {
	var errs []error
	fa := &fleet.Autoscale{Min: a.Min, Max: a.Max, ScaleDownUnneeded: a.ScaleDownUnneededTime.D(), ScaleDownDelayAfterAdd: a.ScaleDownDelayAfterAdd.D()}
	if pr := a.Profile; pr != nil {
		fa.Profile = fleet.Profile{Base: pr.Base, Peak: pr.Peak, Start: pr.Start.D(), End: pr.End.D()}
		for i, d := range pr.Days {
			f := field[Profile]("days")
			k, ok := f.lookup(d)
			if !ok {
				errs = append(errs, fieldErr(fmt.Sprintf("%s.profile.days[%d]", p, i), "%q is not %s", d, f.Allowed()))
			}
			fa.Profile.Days = append(fa.Profile.Days, time.Weekday(k))
		}
	}
	if a.Remove != "" {
		var err error
		if fa.Remove, err = fleet.ParseRemovalOrder(a.Remove); err != nil {
			errs = append(errs, fieldErr(p+".remove", "%q is not %s", a.Remove, field[Autoscale]("remove").Allowed()))
		}
	}
	if a.Lifetime != nil {
		fa.Lifetime = a.Lifetime.fleet()
	}
	return fa, errs
}

func (d Dist) fleet() fleet.Dist { return fleet.Dist{Min: d.Min.D(), Mode: d.Mode.D(), Max: d.Max.D()} }

func (n NodeState) fleet() fleet.NodeState {
	return fleet.NodeState{Userspace: n.Userspace, Kernel: n.Kernel}
}
