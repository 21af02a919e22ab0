package benchmarks

import (
	"context"
	"flag"
	"fmt"
	"testing"

	"github.com/patchsim/patchsim/plan"
)

// scale runs the fleet-scale benchmarks, minutes per iteration, which the
// smoke run of every benchmark skips: go test -run '^$' -bench
// 'Comparison20000|Sweep1008' ./benchmarks -args -scale.
var scale = flag.Bool("scale", false, "run the fleet-scale benchmarks (Comparison20000, Sweep1008; minutes per iteration)")

func needScale(b *testing.B) {
	b.Helper()
	if !*scale {
		b.Skip("fleet scale, minutes per iteration: run with -args -scale")
	}
}

// fleet20000 is the default scenario's cluster grown to 20,000 Linux
// nodes: four clusters in four regions (so releases reach them at
// different times), each with the default Sunday window and five
// 1,000-node pools, compared under the four node OS channels over one
// year with 100 replications.
func fleet20000(b *testing.B) *plan.Experiment {
	b.Helper()
	s := plan.Default()
	s.Replications = 100
	base := s.Clusters[0]
	s.Clusters = nil
	for c := range 4 {
		cl := base
		cl.Name = fmt.Sprintf("prod-%d", c)
		cl.Region = []string{"westeurope", "eastus", "southeastasia", "westus2"}[c]
		cl.Pools = nil
		for p := range 5 {
			cl.Pools = append(cl.Pools, plan.Pool{Name: fmt.Sprintf("pool-%d", p), Count: 1000, PodsPerNode: 30,
				UpgradeSettings: plan.UpgradeSettings{MaxSurge: "10%"}})
		}
		s.Clusters = append(s.Clusters, cl)
	}
	p, err := plan.New(s)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkComparison20000 compares the four channels on 20,000 nodes,
// 100 replications each, on GOMAXPROCS workers. Bar: at most 40 s on 2
// cores.
func BenchmarkComparison20000(b *testing.B) {
	needScale(b)
	p := fleet20000(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Compare(context.Background(), plan.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Pairs())*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

// sweep1008 is the default scenario swept over 4 channels x 7 window days
// x 6 start hours x 6 maxSurge values (1,008 variants, and the scenario as
// it is), one year, 100 replications.
func sweep1008(b *testing.B) *plan.Experiment {
	b.Helper()
	s := plan.Default()
	s.Replications = 100
	s.Variants = nil
	s.Grid = grid1008()
	p, err := plan.New(s)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkSweep1008 runs the 1,008-variant sweep of the default fleet
// with 100 replications in full and as a race (95% confidence, rounds of
// 10 replications then doubling; without a budget, and with a budget of a
// quarter of the full grid's pairs), and reports the pairs each ran and
// the race's confidence. Run after mode=full, the race's recommendation is
// checked against the full grid's: the same variant, or one the full grid
// lists as tied with it. Bar: the race within 25% of the full grid's
// pairs.
func BenchmarkSweep1008(b *testing.B) {
	needScale(b)
	p := sweep1008(b)
	var full *plan.Comparison
	b.Run("mode=full", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := p.Compare(context.Background(), plan.Options{})
			if err != nil {
				b.Fatal(err)
			}
			full = c
		}
		b.ReportMetric(float64(p.Pairs()), "pairs")
	})
	for _, rc := range []struct {
		name string
		plan.Racing
	}{
		{"race", plan.Racing{}},
		{"race-budget=25%", plan.Racing{Budget: p.Pairs() / 4}},
	} {
		b.Run("mode="+rc.name, func(b *testing.B) {
			b.ReportAllocs()
			var c *plan.Comparison
			for b.Loop() {
				var err error
				if c, err = p.Race(context.Background(), rc.Racing, plan.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			r := c.Race
			b.ReportMetric(float64(r.Pairs), "pairs")
			b.ReportMetric(float64(r.Pairs)/float64(r.Full), "share")
			b.ReportMetric(r.Achieved, "confidence")
			if full != nil {
				got, want := c.Recommendation.Best, full.Recommendation.Best
				same := got == want
				for _, v := range full.Recommendation.Tied {
					same = same || v == got
				}
				b.Logf("race: %d of %d pairs, rounds %v, confidence %.3f; recommends %q, the full grid %q (tied with it: %v)",
					r.Pairs, r.Full, r.Rounds, r.Achieved, name(c, got), name(full, want), same)
				if !same {
					b.Errorf("the race recommends %q, which the full grid neither recommends nor ties with %q", name(c, got), name(full, want))
				}
			}
		})
	}
}

func name(c *plan.Comparison, v int) string {
	if v < 0 {
		return "none"
	}
	return c.Variants[v].Name
}
