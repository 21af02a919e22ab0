package benchmarks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/patchsim/patchsim/plan"
)

// BenchmarkDefaultComparison runs the default what-if of `patchsim` (the
// four node OS channels x 200 replications of one year) on 1 and 2
// workers. Bar: 2 workers at least 1.8 times as fast as 1. cpu-ns/op is
// the process's CPU time per comparison, all workers together
// (cpuClock.report).
func BenchmarkDefaultComparison(b *testing.B) {
	p, err := plan.New(plan.Default())
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				if _, err := p.Compare(context.Background(), plan.Options{Workers: workers}); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
			b.ReportMetric(float64(p.Pairs())*float64(b.N)/b.Elapsed().Seconds(), "runs/s")
		})
	}
}

// BenchmarkSweep1000 sweeps a grid of 1,008 variants of the default
// cluster (4 channels x 7 window days x 6 start hours x 6 maxSurge values)
// over a 90-day horizon with one replication each, on GOMAXPROCS workers.
func BenchmarkSweep1000(b *testing.B) {
	s := plan.Default()
	s.Replications = 1
	s.Horizon = plan.Duration(90 * 24 * time.Hour)
	s.Variants = nil
	s.Grid = grid1008()
	p, err := plan.New(s)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Compare(context.Background(), plan.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Variants))*float64(b.N)/b.Elapsed().Seconds(), "variants/s")
}

// grid1008 is 4 channels x 7 window days x 6 start hours x 6 maxSurge
// values: 1,008 variants of the default cluster.
func grid1008() *plan.Grid {
	return &plan.Grid{
		NodeOSUpgradeChannel: []string{"NodeImage", "SecurityPatch", "Unmanaged", "None"},
		WindowDay:            []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
		WindowStartHour:      []int{0, 4, 8, 12, 16, 20},
		MaxSurge:             []string{"1", "10%", "20%", "33%", "50%", "100%"},
	}
}
