package fleet

import (
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/window"
)

// inputWarnings returns what in cfg is valid but probably not meant: a
// region that is not an Azure region (it only orders the regional rollout,
// so the run goes on; reference/azure-regions.md), a maintenance window
// that never opens within the run, so that the work it gates never
// starts, and an autoscale profile whose demand is outside min to max at
// every hour, so that the pool never scales.
func (cfg Config) inputWarnings() []string {
	var out []string
	end := cfg.Start.Add(cfg.Horizon)
	for _, cl := range cfg.Clusters {
		for _, pl := range cl.Pools {
			a := pl.Autoscale
			if a == nil || a.Profile.Base == 0 && a.Profile.Peak == 0 {
				continue // no demand: the pool stays at min, as documented
			}
			pr := a.Profile
			lo, hi := a.clamp(pr.Base), a.clamp(pr.Peak)
			if lo == hi && (pr.Base != lo || pr.Peak != hi) {
				out = append(out, fmt.Sprintf("fleet: cluster %s: pool %s: the autoscale profile's demand (base %d, peak %d nodes) is outside min %d to max %d at every hour, so the pool stays at %d nodes",
					cl.Name, pl.Name, pr.Base, pr.Peak, a.Min, a.Max, lo))
			}
		}
		if !channel.KnownRegion(cl.Region) {
			out = append(out, fmt.Sprintf("fleet: cluster %s: region %q is not an Azure region; it only orders the regional rollout, so the run goes on", cl.Name, cl.Region))
		}
		for _, w := range []struct {
			name string
			s    window.Schedule
		}{{window.NameNodeOSUpgrade, cl.Maintenance.NodeOS}, {window.NameAutoUpgrade, cl.Maintenance.AutoUpgrade}} {
			if w.s == nil {
				continue
			}
			if iv, ok := w.s.Next(cfg.Start); !ok || !iv.Start.Before(end) {
				out = append(out, fmt.Sprintf("fleet: cluster %s: the %s window never opens from %s to the end of the run %s; the work it gates never starts",
					cl.Name, w.name, cfg.Start.Format(time.RFC3339), end.Format(time.RFC3339)))
			}
		}
	}
	if cfg.Manager != nil {
		out = append(out, cfg.Manager.warnings(cfg.Clusters)...)
	}
	return out
}
