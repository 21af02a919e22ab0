package benchmarks

import (
	"fmt"
	"testing"
	"time"

	"github.com/patchsim/patchsim/channel"
)

// BenchmarkUpstreamYear generates one simulated year of every upstream
// stream with the default configuration and queries the availability of
// every release in 10 regions.
func BenchmarkUpstreamYear(b *testing.B) {
	cfg := channel.DefaultConfig()
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(1, 0, 0)
	regions := make([]string, 10)
	for i := range regions {
		regions[i] = fmt.Sprintf("region-%d", i)
	}
	b.ReportAllocs()
	var seed uint64
	queries := 0
	for b.Loop() {
		seed++
		u, err := channel.Generate(cfg, seed, from, to)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range []*channel.Stream{&u.NodeImages, &u.SecurityPatches, &u.WindowsImages, &u.Kubernetes} {
			for i := range s.Releases {
				for _, r := range regions {
					_ = s.Available(i, r)
					queries++
				}
			}
		}
	}
	b.ReportMetric(float64(queries)/float64(b.N), "queries/op")
}

// BenchmarkStreamLatest measures one Latest query on a year of node images.
func BenchmarkStreamLatest(b *testing.B) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	u, err := channel.Generate(channel.DefaultConfig(), 1, from, from.AddDate(1, 0, 0))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	t := from
	for b.Loop() {
		t = t.Add(time.Hour)
		if t.Year() > 2025 {
			t = from
		}
		_, _ = u.NodeImages.Latest(t, "westeurope")
	}
}
