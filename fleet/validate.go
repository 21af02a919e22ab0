// Validation of a Config: every problem at once, each naming its field path,
// the value and what is allowed.

package fleet

import (
	"errors"
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
)

// Validate reports every problem of the configuration at once, each naming
// its field path, the value and what is allowed. It never changes c.
func (c Config) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	if c.Start.IsZero() {
		add("start", "is required")
	}
	if c.Horizon <= 0 || c.Horizon > MaxHorizon {
		add("horizon", "%v is outside (0, %v]", c.Horizon, MaxHorizon)
	}
	if c.Settle < 0 || (c.Horizon > 0 && c.Settle >= c.Horizon) {
		add("settle", "%v is outside [0, horizon %v)", c.Settle, c.Horizon)
	}
	if c.Upstream == nil {
		add("upstream", "is required")
	}
	for _, f := range []struct {
		name string
		d    time.Duration
	}{{"sla.critical", c.SLA.Critical}, {"sla.high", c.SLA.High}, {"sla.medium", c.SLA.Medium}, {"sla.low", c.SLA.Low}} {
		if f.d < 0 {
			add(f.name, "%v must not be negative", f.d)
		}
	}
	if len(c.Clusters) == 0 {
		add("clusters", "at least one cluster is required")
	}
	names := map[string]int{}
	for i, cl := range c.Clusters {
		p := fmt.Sprintf("clusters[%d]", i)
		if cl.Name == "" {
			add(p+".name", "is required")
		} else if j, dup := names[cl.Name]; dup {
			add(p+".name", "%q is also the name of clusters[%d]", cl.Name, j)
		} else {
			names[cl.Name] = i
		}
		errs = append(errs, cl.validate(p, c.Start, c.Start.Add(c.Horizon))...)
	}
	if c.Manager != nil {
		errs = append(errs, c.Manager.validate("manager", names)...)
	}
	return errors.Join(errs...)
}

func (cl Cluster) validate(p string, start, end time.Time) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	if cl.Region == "" {
		add(p+".region", "is required")
	}
	if len(cl.Pools) == 0 {
		add(p+".pools", "at least one pool is required")
	}
	pools := map[string]int{}
	for i, pl := range cl.Pools {
		pp := fmt.Sprintf("%s.pools[%d]", p, i)
		if pl.Name == "" {
			add(pp+".name", "is required")
		} else if j, dup := pools[pl.Name]; dup {
			add(pp+".name", "%q is also the name of %s.pools[%d]", pl.Name, p, j)
		} else {
			pools[pl.Name] = i
		}
		if _, _, err := cl.policy(pl.OS, cl.NodeOSChannel); err != nil {
			errs = append(errs, &FieldError{Path: pp, Err: err})
		}
		errs = append(errs, pl.validate(pp)...)
	}
	prev := time.Time{}
	for i, ch := range cl.ChannelChanges {
		cp := fmt.Sprintf("%s.channelChanges[%d]", p, i)
		if ch.At.Before(start) || !ch.At.Before(end) {
			add(cp+".at", "%s is outside the run [%s, %s)", ch.At.Format(time.RFC3339), start.Format(time.RFC3339), end.Format(time.RFC3339))
		}
		if ch.At.Before(prev) {
			add(cp+".at", "%s is before the previous change; list changes in time order", ch.At.Format(time.RFC3339))
		}
		prev = ch.At
		if ch.Delay < 0 {
			add(cp+".delay", "%v must not be negative", ch.Delay)
		}
		if ch.To == channel.NodeOSUnset {
			add(cp+".to", "is required")
		}
		for _, pl := range cl.Pools {
			if _, _, err := cl.policy(pl.OS, ch.To); err != nil {
				errs = append(errs, &FieldError{Path: cp + ".to", Err: err})
				break
			}
		}
	}
	if k := cl.Kured; k != nil {
		kp := p + ".kured"
		if k.Period < 0 {
			add(kp+".period", "%v must not be negative", k.Period)
		}
		if k.Concurrency < 0 {
			add(kp+".concurrency", "%d must not be negative", k.Concurrency)
		}
		errs = append(errs, k.Reboot.validate(kp+".reboot")...)
	}
	w := cl.Policy
	if w.RetryDelay < 0 {
		add(p+".policy.retryDelay", "%v must not be negative", w.RetryDelay)
	}
	if w.NoWindowCadence < 0 {
		add(p+".policy.noWindowCadence", "%v must not be negative", w.NoWindowCadence)
	}
	if w.SecurityPatchCadence < 0 {
		add(p+".policy.securityPatchCadence", "%v must not be negative", w.SecurityPatchCadence)
	}
	return errs
}

func (pl Pool) validate(pp string) []error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, fieldErr(path, format, args...)) }
	if pl.Count < 1 || pl.Count > MaxPoolNodes {
		add(pp+".count", "%d is outside 1 to %d", pl.Count, MaxPoolNodes)
	}
	if pl.PodsPerNode < 0 {
		add(pp+".podsPerNode", "%d must not be negative", pl.PodsPerNode)
	}
	for _, e := range pl.Upgrade.Check(pl.Count, pl.System) {
		add(pp+".upgradeSettings."+e.Setting, "%s", e.Msg)
	}
	d := pl.Durations
	for _, f := range []struct {
		name string
		d    Dist
	}{{"provision", d.Provision}, {"drain", d.Drain}, {"reimage", d.Reimage}, {"reboot", d.Reboot}} {
		errs = append(errs, f.d.validate(pp+".durations."+f.name)...)
	}
	if d.QuarantineCleanup < 0 {
		add(pp+".durations.quarantineCleanup", "%v must not be negative", d.QuarantineCleanup)
	}
	if pl.PDB.Probability < 0 || pl.PDB.Probability > 1 || pl.PDB.Probability != pl.PDB.Probability {
		add(pp+".pdb.probability", "%v is outside [0, 1]", pl.PDB.Probability)
	}
	errs = append(errs, pl.PDB.Block.validate(pp+".pdb.block")...)
	for i, n := range pl.PDB.Strict {
		if n < 0 || n >= pl.Count {
			add(fmt.Sprintf("%s.pdb.strictNodes[%d]", pp, i), "node %d is outside the pool's nodes 0 to %d", n, pl.Count-1)
		}
	}
	if !pl.Initial.Kernel.IsZero() && pl.Initial.Userspace.IsZero() {
		add(pp+".initial.userspace", "is required when initial.kernel is set")
	}
	if len(pl.InitialNodes) != 0 && len(pl.InitialNodes) != pl.Count {
		add(pp+".initialNodes", "has %d entries for %d nodes; give one per node or none", len(pl.InitialNodes), pl.Count)
	}
	for i, n := range pl.InitialNodes {
		if n.Userspace.IsZero() {
			add(fmt.Sprintf("%s.initialNodes[%d].userspace", pp, i), "is required")
		}
	}
	if !pl.Image.Kernel.IsZero() && pl.Image.Userspace.IsZero() {
		add(pp+".image.userspace", "is required when image.kernel is set")
	}
	if pl.Autoscale != nil {
		errs = append(errs, pl.Autoscale.validate(pp+".autoscale", pl.Count)...)
	}
	return errs
}

// policy resolves the channels of a pool of os under node OS channel ch,
// applying WindowsFallback. It returns the warnings to report.
func (cl Cluster) policy(os channel.OS, ch channel.NodeOSChannel) (channel.Resolution, []string, error) {
	if os == channel.OSWindows && ch == channel.NodeOSSecurityPatch && cl.WindowsFallback != channel.NodeOSUnset {
		p, err := channel.Resolve(os, cl.WindowsFallback, cl.ClusterChannel)
		if err != nil {
			return p, nil, err
		}
		w := fmt.Sprintf("fleet: cluster %s: SecurityPatch is not supported on Windows pools; they follow %s (windowsFallback, an assumption)", cl.Name, cl.WindowsFallback)
		return p, append(p.Warnings, w), nil
	}
	p, err := channel.Resolve(os, ch, cl.ClusterChannel)
	return p, p.Warnings, err
}
