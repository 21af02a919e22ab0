package plan

import (
	"context"
	"fmt"
	"time"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
)

// Assumption is one labelled assumption of the content or rollout model
// with the plausible range a sensitivity analysis explores.
type Assumption struct {
	Name string `json:"name"` // the scenario field it sets, e.g. "upstream.securityPatchRollout"
	Doc  string `json:"doc"`  // what it is and where its range comes from
	Unit string `json:"unit"` // "days", "share" or "times" (a factor on the scenario's values)
	// Base is the scenario's value; Low and High bound the plausible range.
	Base float64 `json:"base"`
	Low  float64 `json:"low"`
	High float64 `json:"high"`

	set func(s *Scenario, v float64)
}

// Format writes v in the assumption's unit.
func (a Assumption) Format(v float64) string {
	switch a.Unit {
	case "days":
		return fmt.Sprintf("%.3gd", v)
	case "share":
		return fmt.Sprintf("%.3g", v)
	case "times":
		return fmt.Sprintf("x%.3g", v)
	}
	return fmt.Sprintf("%.3g %s", v, a.Unit)
}

const dayf = float64(24 * time.Hour)

// Assumptions lists the labelled assumptions of s's content and rollout
// model that a sensitivity analysis varies (regional rollout spreads,
// cadences, advisory rates, step durations, PDB probability), each at its value in s and its
// plausible range; a stream that s replays from history has no cadence
// assumption.
func (s *Scenario) Assumptions() []Assumption {
	cfg := channel.DefaultConfig()
	days := func(d *Duration, def time.Duration) float64 {
		if d != nil {
			return float64(*d) / dayf
		}
		return float64(def) / dayf
	}
	dur := func(v float64) *Duration { d := Duration(v * dayf); return &d }
	u := s.Upstream
	out := []Assumption{
		{Name: "upstream.nodeImageRollout", Unit: "days", Base: days(u.NodeImageRollout, cfg.NodeImages.Rollout), Low: 0, High: 14,
			Doc: "regional rollout spread of node images: up to two weeks documented (aks.md section 1.1); 0 is every region at once",
			set: func(s *Scenario, v float64) { s.Upstream.NodeImageRollout = dur(v) }},
		{Name: "upstream.securityPatchRollout", Unit: "days", Base: days(u.SecurityPatchRollout, cfg.SecurityPatches.Rollout), Low: 0, High: 14,
			Doc: "regional rollout spread of SecurityPatch snapshots: not published; from every region at once to the node images' two weeks",
			set: func(s *Scenario, v float64) { s.Upstream.SecurityPatchRollout = dur(v) }},
	}
	if u.History == "" {
		out = append(out,
			Assumption{Name: "upstream.nodeImageMeanGap", Unit: "days", Base: days(u.NodeImageMeanGap, cfg.NodeImages.Cadence.MeanGap), Low: 7, High: 11,
				Doc: "mean gap between node images: 8.3-9.1 days in 2024-2025 (aks.md section 6.1), widened",
				set: func(s *Scenario, v float64) { s.Upstream.NodeImageMeanGap = dur(v) }},
			Assumption{Name: "upstream.kernelEvery", Unit: "days", Base: days(u.KernelEvery, cfg.Kernels.Period), Low: 15, High: 25,
				Doc: "gap between linux-azure kernels: 17-20 a year (aks.md section 6.2), widened",
				set: func(s *Scenario, v float64) { s.Upstream.KernelEvery = dur(v) }})
	}
	if u.History == "" || u.History == "2024" {
		out = append(out, Assumption{Name: "upstream.securityPatchMeanGap", Unit: "days", Base: days(u.SecurityPatchMeanGap, cfg.SecurityPatches.Cadence.MeanGap), Low: 8, High: 14,
			Doc: "mean gap between SecurityPatch snapshots: 9.85 days in 2025, a 13-day median in 2026 (aks.md section 1.3)",
			set: func(s *Scenario, v float64) { s.Upstream.SecurityPatchMeanGap = dur(v) }})
	}
	if u.AdvisoryTrace == "" {
		base := u.UserspacePerYear
		if base == nil {
			base = &PerSeverity{Critical: float64(cfg.Userspace[channel.Critical]), High: float64(cfg.Userspace[channel.High]),
				Medium: float64(cfg.Userspace[channel.Medium]), Low: float64(cfg.Userspace[channel.Low])}
		}
		b := *base
		out = append(out, Assumption{Name: "upstream.userspacePerYear", Unit: "times", Base: 1, Low: 0.5, High: 2,
			Doc: "scale of the userspace advisory rates: the sample's coverage factor and the node package filter are assumptions (channel.USNCoverage, channel.NodePackages)",
			set: func(s *Scenario, v float64) {
				s.Upstream.UserspacePerYear = &PerSeverity{Critical: b.Critical * v, High: b.High * v, Medium: b.Medium * v, Low: b.Low * v}
			}})
	}
	out = append(out, Assumption{Name: "clusters[].pools[].durations", Unit: "times", Base: 1, Low: 0.5, High: 2,
		Doc: "scale of the provision, drain and reimage times of every pool: AKS publishes no figure (aks.md section 4.3), from half to twice the scenario's",
		set: func(s *Scenario, v float64) {
			def := fleet.DefaultDurations()
			scale := func(d *Dist, fd fleet.Dist) *Dist {
				src := Dist{Min: Duration(fd.Min), Mode: Duration(fd.Mode), Max: Duration(fd.Max)}
				if d != nil {
					src = *d
				}
				f := func(x Duration) Duration { return Duration(float64(x) * v) }
				return &Dist{Min: f(src.Min), Mode: f(src.Mode), Max: f(src.Max)}
			}
			for i := range s.Clusters {
				for j := range s.Clusters[i].Pools {
					p := &s.Clusters[i].Pools[j]
					d := Durations{}
					if p.Durations != nil {
						d = *p.Durations
					}
					d.Provision, d.Drain, d.Reimage = scale(d.Provision, def.Provision), scale(d.Drain, def.Drain), scale(d.Reimage, def.Reimage)
					p.Durations = &d
				}
			}
		}})
	pdb := 0.0
	for _, c := range s.Clusters {
		for _, p := range c.Pools {
			if p.PDB != nil {
				pdb = max(pdb, p.PDB.Probability)
			}
		}
	}
	if pdb > 0 {
		out = append(out, Assumption{Name: "clusters[].pools[].pdb.probability", Unit: "share", Base: pdb, Low: 0, High: min(1, 4*pdb),
			Doc: "probability that a drain meets a blocking PodDisruptionBudget (every pool that has one, scaled alike): an assumption of the scenario, from none to four times",
			set: func(s *Scenario, v float64) {
				for i := range s.Clusters {
					for j := range s.Clusters[i].Pools {
						if p := s.Clusters[i].Pools[j].PDB; p != nil && p.Probability > 0 {
							p.Probability = min(1, p.Probability*v/pdb)
						}
					}
				}
			}})
	}
	return out
}

// Sensitivity is how a comparison moves with each assumption.
type Sensitivity struct {
	Base *Comparison      `json:"base"`
	Rows []SensitivityRow `json:"rows"`
	// Breaks lists, for each assumption whose plausible range changes the
	// recommendation, where it changes.
	Breaks []Break `json:"breaks,omitempty"`
}

// SensitivityRow is one assumption at the two ends of its range: each
// variant's objective exposure value (Stat.Value) and the recommended
// variant ("" when none is feasible).
type SensitivityRow struct {
	Assumption      Assumption `json:"assumption"`
	Low             []Float    `json:"low"`
	High            []Float    `json:"high"`
	RecommendedLow  string     `json:"recommendedLow"`
	RecommendedHigh string     `json:"recommendedHigh"`
}

// Break is where an assumption changes the recommendation: from the base
// value to about At the recommendation stays, beyond it it becomes To (""
// for none). At is the middle of the last interval of a bisection, within a
// thirty-second of the span from base to the end of the range.
type Break struct {
	Assumption Assumption `json:"assumption"`
	At         float64    `json:"at"`
	Above      bool       `json:"above"` // the change is above At (else below)
	To         string     `json:"to"`
}

// bisections is how many halvings locate a Break.
const bisections = 4

// Sensitivity reruns the comparison of s with each of its Assumptions at
// the low and the high end of its range, every run on the same seed so
// that each replication sees the same draws wherever the assumption leaves
// them alone (common random numbers: each upstream component and each
// pool draws from its own named stream), and locates where the
// recommendation changes. It returns the errors of New for s, or of a
// comparison.
func (s *Scenario) Sensitivity(ctx context.Context, opt Options) (*Sensitivity, error) {
	run := func(sc *Scenario) (*Comparison, error) {
		p, err := New(sc)
		if err != nil {
			return nil, err
		}
		return p.Compare(ctx, opt)
	}
	base, err := run(s)
	if err != nil {
		return nil, err
	}
	out := &Sensitivity{Base: base}
	ex := MetricIndex(base.Objective.Exposure)
	at := func(a Assumption, v float64) (*Comparison, error) {
		sc, err := s.clone()
		if err != nil {
			return nil, err
		}
		a.set(sc, v)
		return run(sc)
	}
	for _, a := range s.Assumptions() {
		row := SensitivityRow{Assumption: a}
		for _, end := range []struct {
			v   float64
			val *[]Float
			rec *string
		}{{a.Low, &row.Low, &row.RecommendedLow}, {a.High, &row.High, &row.RecommendedHigh}} {
			c, err := at(a, end.v)
			if err != nil {
				return nil, fmt.Errorf("plan: sensitivity %s = %s: %w", a.Name, a.Format(end.v), err)
			}
			for _, v := range c.Variants {
				*end.val = append(*end.val, v.Stats[ex].Value())
			}
			*end.rec = recommended(c)
			if *end.rec != recommended(base) {
				b, err := breakBetween(a, a.Base, end.v, recommended(base), func(v float64) (string, error) {
					c, err := at(a, v)
					if err != nil {
						return "", err
					}
					return recommended(c), nil
				})
				if err != nil {
					return nil, err
				}
				b.To = *end.rec
				out.Breaks = append(out.Breaks, b)
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// breakBetween bisects [base, end] for where the recommendation stops
// being want.
func breakBetween(a Assumption, base, end float64, want string, rec func(float64) (string, error)) (Break, error) {
	holds, fails := base, end
	for range bisections {
		mid := (holds + fails) / 2
		r, err := rec(mid)
		if err != nil {
			return Break{}, err
		}
		if r == want {
			holds = mid
		} else {
			fails = mid
		}
	}
	return Break{Assumption: a, At: (holds + fails) / 2, Above: end > base}, nil
}

func recommended(c *Comparison) string {
	if r := c.Recommendation; r != nil && r.Best >= 0 {
		return c.Variants[r.Best].Name
	}
	return ""
}

// Holds says in one sentence whether the base recommendation survives
// every assumption's plausible range, and if not, where it breaks.
func (x *Sensitivity) Holds() string {
	rec := recommended(x.Base)
	name := rec
	if name == "" {
		name = "no recommendation"
	}
	if len(x.Breaks) == 0 {
		return fmt.Sprintf("The recommendation (%s) holds across the plausible range of every assumption varied.", name)
	}
	var parts []string
	for _, b := range x.Breaks {
		dir := "falls below"
		if b.Above {
			dir = "exceeds"
		}
		to := b.To
		if to == "" {
			to = "no variant meeting the constraints"
		}
		parts = append(parts, fmt.Sprintf("%s %s about %s (then %s)", b.Assumption.Name, dir, b.Assumption.Format(b.At), to))
	}
	s := fmt.Sprintf("The recommendation (%s) holds unless %s", name, parts[0])
	for i, p := range parts[1:] {
		if i == len(parts)-2 {
			s += ", or " + p
		} else {
			s += ", " + p
		}
	}
	return s + "."
}

// clone returns a deep copy of s.
func (s *Scenario) clone() (*Scenario, error) {
	b, err := s.Canonical()
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return Parse(b, s.dir)
}
