package plan

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/patchsim/patchsim/channel"
)

// maxRate is the most advisories a year of one severity that
// channel.Config.Validate accepts.
const maxRate = 1e6

// upstreamModel returns the content model with the scenario's overrides,
// reading the trace files when traces is set (a merge needs none).
func (s *Scenario) upstreamModel(traces bool) (upstreamModel, error) {
	cfg := channel.DefaultConfig()
	u := s.Upstream
	var errs []error
	add := func(path, format string, args ...any) {
		errs = append(errs, fieldErr("upstream."+path, format, args...))
	}
	if u.History != "" {
		year, err := strconv.Atoi(u.History)
		if err == nil {
			cfg, err = channel.History(year)
		}
		switch {
		case err != nil:
			years := make([]string, len(channel.HistoryYears))
			for i, y := range channel.HistoryYears {
				years[i] = strconv.Itoa(y)
			}
			add("history", "%q: want one of %s", u.History, strings.Join(years, ", "))
			cfg = channel.DefaultConfig()
		case !s.Start.IsZero() && s.Start.Year() != year:
			add("history", "%q replays %d; start %s is outside it", u.History, year, s.Start.Format(time.RFC3339))
		}
		replayed := map[string]bool{"nodeImageTrace": u.NodeImageTrace != "", "nodeImageMeanGap": u.NodeImageMeanGap != nil, "kernelEvery": u.KernelEvery != nil,
			"securityPatchMeanGap": u.SecurityPatchMeanGap != nil && cfg.SecurityPatches.Cadence.Kind == channel.Trace}
		for _, name := range []string{"nodeImageTrace", "nodeImageMeanGap", "securityPatchMeanGap", "kernelEvery"} {
			if replayed[name] {
				add(name, "is set, but history %s replays that stream; leave one of them out", u.History)
			}
		}
	}
	// positive checks a cadence against its reference entry: above zero
	// and no faster than channel.MinMeanGap (a 1 ns gap grew memory by 130 MB
	// a second).
	positive := func(name string, d *Duration) bool {
		if d == nil {
			return false
		}
		if min := field[Upstream](name).AtLeast; *d < min {
			add(name, "%v is below the minimum %v: no release stream comes faster, and a run's memory grows with its releases", *d, min)
			return false
		}
		return true
	}
	if r := u.UserspacePerYear; r != nil {
		for _, x := range []struct {
			name string
			rate float64
		}{{"critical", r.Critical}, {"high", r.High}, {"medium", r.Medium}, {"low", r.Low}} {
			if !(x.rate >= 0 && x.rate <= maxRate) {
				add("userspacePerYear."+x.name, "%s is outside 0 to %.0f advisories per year", strconv.FormatFloat(x.rate, 'f', -1, 64), maxRate)
			}
		}
		cfg.Userspace = [channel.NumSeverities]channel.Rate{channel.Critical: channel.Rate(r.Critical), channel.High: channel.Rate(r.High), channel.Medium: channel.Rate(r.Medium), channel.Low: channel.Rate(r.Low)}
	}
	if positive("kernelEvery", u.KernelEvery) {
		cfg.Kernels.Period = u.KernelEvery.D()
		cfg.Kernels.Jitter = min(cfg.Kernels.Jitter, cfg.Kernels.Period)
	}
	if positive("nodeImageMeanGap", u.NodeImageMeanGap) {
		cfg.NodeImages.Cadence.MeanGap = u.NodeImageMeanGap.D()
		cfg.NodeImages.Cadence.MinGap = min(cfg.NodeImages.Cadence.MinGap, cfg.NodeImages.Cadence.MeanGap/2)
	}
	if positive("securityPatchMeanGap", u.SecurityPatchMeanGap) {
		cfg.SecurityPatches.Cadence.MeanGap = u.SecurityPatchMeanGap.D()
		cfg.SecurityPatches.Cadence.MinGap = min(cfg.SecurityPatches.Cadence.MinGap, cfg.SecurityPatches.Cadence.MeanGap/2)
	}
	for _, r := range []struct {
		name string
		d    *Duration
		dst  *time.Duration
	}{{"nodeImageRollout", u.NodeImageRollout, &cfg.NodeImages.Rollout}, {"securityPatchRollout", u.SecurityPatchRollout, &cfg.SecurityPatches.Rollout}} {
		switch {
		case r.d == nil:
		case *r.d < 0:
			add(r.name, "%v must not be negative", *r.d)
		default:
			*r.dst = r.d.D()
		}
	}
	if positive("kubernetesEvery", u.KubernetesEvery) {
		cfg.Kubernetes.Cadence.Period = u.KubernetesEvery.D()
		cfg.Kubernetes.Cadence.Jitter = min(cfg.Kubernetes.Cadence.Jitter, cfg.Kubernetes.Cadence.Period)
	}
	if e := u.Expedite; e != nil {
		ce := &channel.Expedite{Probability: e.Probability, Delay: channel.Delay{Max: e.Within.D()}}
		sev, err := channel.ParseSeverity(e.Severity)
		if err != nil {
			add("expedite.severity", "%s", strings.TrimPrefix(err.Error(), "channel: "))
		}
		ce.Severity = sev
		if !(e.Probability > 0 && e.Probability <= 1) {
			add("expedite.probability", "%v: want a share in (0, 1]", e.Probability)
		}
		if e.Within < 0 {
			add("expedite.within", "%v must not be negative", e.Within)
		}
		// The streams are the reference's: SecurityPatch (the default),
		// then NodeImage.
		sf := field[Expedite]("streams")
		streams := e.Streams
		if len(streams) == 0 {
			streams = sf.Enum[:1]
		}
		for i, name := range streams {
			switch k, ok := sf.lookup(name); {
			case !ok:
				add(fmt.Sprintf("expedite.streams[%d]", i), "%q is not %s", name, sf.Allowed())
			case k == 0:
				cfg.SecurityPatches.Expedite = ce
			default:
				cfg.NodeImages.Expedite = ce
			}
		}
		if u.History != "" {
			add("expedite", "is set, but history %s replays the real releases, expedited ones included; leave one of them out", u.History)
		}
	}
	if u.Lookback < 0 {
		add("lookback", "%v must not be negative", u.Lookback)
	}
	m := upstreamModel{cfg: cfg}
	if u.NodeImageTrace != "" && traces {
		f, err := s.readTrace(u.NodeImageTrace)
		if err != nil {
			add("nodeImageTrace", "%v", err)
		} else {
			tr, err := channel.ReadTrace(f)
			if err != nil {
				add("nodeImageTrace", "%s: %v", u.NodeImageTrace, err)
			}
			m.cfg.NodeImages.Cadence = channel.Cadence{Kind: channel.Trace, Trace: tr}
			if k := channel.KernelsOf(tr); k.Kind == channel.Trace {
				// A trace that names its kernels replaces the generated
				// kernel cadence, so kernels come from the same trace.
				if u.KernelEvery != nil {
					add("kernelEvery", "is set, but nodeImageTrace names the kernel of each image; leave one of them out")
				}
				m.cfg.Kernels = k
			}
		}
	}
	if u.AdvisoryTrace != "" && traces {
		f, err := s.readTrace(u.AdvisoryTrace)
		if err != nil {
			add("advisoryTrace", "%v", err)
		} else {
			adv, err := channel.ReadAdvisories(f)
			if err != nil {
				add("advisoryTrace", "%s: %v", u.AdvisoryTrace, err)
			}
			m.cfg.Advisories = adv
		}
	}
	if err := m.cfg.Validate(); err != nil && len(errs) == 0 {
		errs = append(errs, &FieldError{Path: "upstream", Err: err})
	}
	return m, errors.Join(errs...)
}

func (s *Scenario) path(p string) string {
	if filepath.IsAbs(p) || s.dir == "" {
		return p
	}
	return filepath.Join(s.dir, p)
}

// upstreamModel is the content model of a scenario: the generator's
// configuration, a trace's advisories included.
type upstreamModel struct {
	cfg channel.Config
}

func (s *Scenario) lookback() time.Duration {
	if s.Upstream.Lookback == 0 {
		return DefaultLookback.D()
	}
	return s.Upstream.Lookback.D()
}

// generate draws the upstream of one replication.
func (m upstreamModel) generate(s *Scenario, seed uint64) (*channel.Upstream, error) {
	up, err := channel.Generate(m.cfg, seed, s.Start.Add(-s.lookback()), s.Start.Add(s.horizon()))
	if err != nil {
		return nil, err
	}
	return up, nil
}
