package benchmarks

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/patchsim/patchsim/plan"
)

// BenchmarkMerge reads and merges the parts of a sharded comparison (the
// default scenario over 90 days, 4 variants x 250 replications = 1,000
// pair results, in 8 parts) and reports merged results per second.
func BenchmarkMerge(b *testing.B) {
	s := plan.Default()
	s.Horizon = plan.Duration(90 * 24 * time.Hour)
	s.Replications = 250
	p, err := plan.New(s)
	if err != nil {
		b.Fatal(err)
	}
	const n = 8
	var files [][]byte
	for i := range n {
		idx, err := p.Shard(i, n)
		if err != nil {
			b.Fatal(err)
		}
		pairs, err := p.Run(context.Background(), idx, plan.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := p.WritePart(&buf, "sweep", i, n, plan.Options{}, pairs); err != nil {
			b.Fatal(err)
		}
		files = append(files, buf.Bytes())
	}
	b.ReportAllocs()
	for b.Loop() {
		var parts []*plan.Part
		for i, f := range files {
			part, err := plan.ReadPart(fmt.Sprint(i), bytes.NewReader(f))
			if err != nil {
				b.Fatal(err)
			}
			parts = append(parts, part)
		}
		if _, _, err := plan.Merge(parts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(p.Pairs())*float64(b.N)/b.Elapsed().Seconds(), "results/s")
}
