package channel_test

import (
	"encoding/csv"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// yearStats is the cadence of one calendar year of a stream, counted on
// publication (the observed dates are publication dates).
type yearStats struct {
	count     int
	medianGap float64 // days between consecutive publications
	gaps      []float64
}

func statsOf(published []time.Time) yearStats {
	ts := slices.SortedFunc(slices.Values(published), time.Time.Compare)
	s := yearStats{count: len(ts)}
	for i := 1; i < len(ts); i++ {
		s.gaps = append(s.gaps, ts[i].Sub(ts[i-1]).Hours()/24)
	}
	s.medianGap = median(s.gaps)
	return s
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// quantile returns the q-quantile of xs by the nearest rank.
func quantile(xs []float64, q float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	i := int(q * float64(len(s)-1))
	return s[i]
}

// observed reads a testdata release list and its extra column col (one value
// per row, in file order).
func observed(t *testing.T, name, col string) ([]channel.TraceEntry, []string) {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f.Close()
	trace, err := channel.ReadTrace(f)
	require.NoError(t, err)
	f2, err := os.Open("testdata/" + name)
	require.NoError(t, err)
	defer f2.Close()
	r := csv.NewReader(f2)
	r.Comment = '#'
	recs, err := r.ReadAll()
	require.NoError(t, err)
	i := slices.Index(recs[0], col)
	require.GreaterOrEqual(t, i, 0, "column %s", col)
	var vals []string
	for _, rec := range recs[1:] {
		vals = append(vals, rec[i])
	}
	return trace, vals
}

func published(trace []channel.TraceEntry) []time.Time {
	var ts []time.Time
	for _, e := range trace {
		ts = append(ts, e.Published)
	}
	return ts
}

// simulatedYears generates 20 years with the default configuration and
// returns, per calendar year, the publication instants of the stream chosen
// by pick, and the kernel releases per year.
func simulatedYears(t *testing.T, pick func(*channel.Upstream) *channel.Stream) (years [][]channel.Release, kernels []int) {
	t.Helper()
	const n = 20
	from := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	u, err := channel.Generate(channel.DefaultConfig(), 1, from, from.AddDate(n, 0, 0))
	require.NoError(t, err)
	years = make([][]channel.Release, n)
	kernels = make([]int, n)
	for _, r := range pick(u).Releases {
		if y := r.Published.Year() - 2030; y < n {
			years[y] = append(years[y], r)
		}
	}
	for _, k := range u.Kernels {
		kernels[k.Year()-2030]++
	}
	return years, kernels
}

func newKernelShare(rs []channel.Release) float64 {
	n := 0
	for _, r := range rs {
		if r.NewKernel {
			n++
		}
	}
	return float64(n) / float64(len(rs))
}

// TestCalibrationNodeImages checks the default Linux node image stream
// against the 2024 history (reference/aks.md section 6.1: about 40 a year,
// median gap 8 days, gaps 4 to 21) and that it predicts 2025.
func TestCalibrationNodeImages(t *testing.T) {
	obs := map[int]yearStats{}
	var obsShare []float64
	for _, y := range []int{2024, 2025} {
		trace, kernels := observed(t, "node-images-"+strconv.Itoa(y)+".csv", "kernel")
		obs[y] = statsOf(published(trace))
		changed := 0
		for i := 1; i < len(kernels); i++ {
			if kernels[i] != kernels[i-1] {
				changed++
			}
		}
		obsShare = append(obsShare, float64(changed)/float64(len(kernels)-1))
	}
	years, kernelsPerYear := simulatedYears(t, func(u *channel.Upstream) *channel.Stream { return &u.NodeImages })
	var counts, medians, allGaps []float64
	var all []channel.Release
	for _, rs := range years {
		var ts []time.Time
		for _, r := range rs {
			ts = append(ts, r.Published)
		}
		s := statsOf(ts)
		counts = append(counts, float64(s.count))
		medians = append(medians, s.medianGap)
		allGaps = append(allGaps, s.gaps...)
		all = append(all, rs...)
	}
	mean := func(xs []float64) float64 {
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		return sum / float64(len(xs))
	}
	obsCountLo, obsCountHi := float64(min(obs[2024].count, obs[2025].count)), float64(max(obs[2024].count, obs[2025].count))
	obsMedLo, obsMedHi := min(obs[2024].medianGap, obs[2025].medianGap), max(obs[2024].medianGap, obs[2025].medianGap)
	t.Logf("observed: 2024 %d releases, median gap %.1f d; 2025 %d, median gap %.1f d; new-kernel share %.2f",
		obs[2024].count, obs[2024].medianGap, obs[2025].count, obs[2025].medianGap, obsShare)
	t.Logf("simulated (20 years): %.1f releases/year (range %.0f-%.0f), median gap %.2f d (per-year %.1f-%.1f), gaps p2.5 %.1f d p97.5 %.1f d, new-kernel share %.2f",
		mean(counts), slices.Min(counts), slices.Max(counts), median(allGaps), slices.Min(medians), slices.Max(medians),
		quantile(allGaps, 0.025), quantile(allGaps, 0.975), newKernelShare(all))

	// The long-run rate lies within the observed years' counts, widened by
	// the one-release difference between the files and AgentBaker's count of
	// 41 a year (reference/aks.md section 6.1).
	assert.GreaterOrEqual(t, mean(counts), obsCountLo-1)
	assert.LessOrEqual(t, mean(counts), obsCountHi+1)
	// The typical year's median gap lies within the observed medians; the
	// observed gaps are whole days, so allow half a day either side.
	assert.GreaterOrEqual(t, median(medians), obsMedLo-0.5)
	assert.LessOrEqual(t, median(medians), obsMedHi+0.5)
	// Gaps span the observed range: 95% of simulated gaps fall within the
	// observed extremes (2-21 days over both years).
	obsGaps := append(slices.Clone(obs[2024].gaps), obs[2025].gaps...)
	assert.GreaterOrEqual(t, quantile(allGaps, 0.025), slices.Min(obsGaps))
	assert.LessOrEqual(t, quantile(allGaps, 0.975), slices.Max(obsGaps))
	// Prediction: each observed year lies within the simulated years' range.
	for _, y := range []int{2024, 2025} {
		assert.GreaterOrEqual(t, float64(obs[y].count), slices.Min(counts), "year %d count", y)
		assert.LessOrEqual(t, float64(obs[y].count), slices.Max(counts), "year %d count", y)
		assert.GreaterOrEqual(t, obs[y].medianGap, slices.Min(medians), "year %d median gap", y)
		assert.LessOrEqual(t, obs[y].medianGap, slices.Max(medians), "year %d median gap", y)
	}
	// The share of images with a new kernel follows from the kernel cadence
	// (reference/aks.md section 6.2); within 0.1 of the observed shares.
	assert.InDelta(t, mean(obsShare), newKernelShare(all), 0.1)
	// Kernel releases: 17 distinct kernels reached images in 2024 and 20 in
	// 2025 (reference/aks.md section 6.2).
	var ks []float64
	for _, k := range kernelsPerYear {
		ks = append(ks, float64(k))
	}
	t.Logf("simulated kernels: %.1f/year", mean(ks))
	assert.GreaterOrEqual(t, mean(ks), 17.0)
	assert.LessOrEqual(t, mean(ks), 20.0)
}

// TestCalibrationSecurityPatches checks the default SecurityPatch stream
// against the 2025 snapshots (reference/aks.md section 1.3: 35 snapshots,
// median gap 8 days, 17 with a new kernel).
func TestCalibrationSecurityPatches(t *testing.T) {
	trace, newKernel := observed(t, "securitypatch-2025.csv", "new_kernel")
	var golden []time.Time
	kern := 0
	for i, e := range trace {
		golden = append(golden, e.Built)
		if newKernel[i] == "yes" {
			kern++
		}
	}
	obs := statsOf(golden)
	obsShare := float64(kern) / float64(len(trace))

	years, _ := simulatedYears(t, func(u *channel.Upstream) *channel.Stream { return &u.SecurityPatches })
	var counts, medians []float64
	var all []channel.Release
	for _, rs := range years {
		var ts []time.Time
		for _, r := range rs {
			ts = append(ts, r.Built)
		}
		s := statsOf(ts)
		counts = append(counts, float64(s.count))
		medians = append(medians, s.medianGap)
		all = append(all, rs...)
	}
	sum := 0.0
	for _, c := range counts {
		sum += c
	}
	meanCount := sum / float64(len(counts))
	t.Logf("observed 2025: %d snapshots, median gap %.1f d, new-kernel share %.2f", obs.count, obs.medianGap, obsShare)
	t.Logf("simulated (20 years): %.1f/year (range %.0f-%.0f), median gap %.1f d (per-year %.1f-%.1f), new-kernel share %.2f",
		meanCount, slices.Min(counts), slices.Max(counts), median(medians), slices.Min(medians), slices.Max(medians), newKernelShare(all))

	// Count: one observed year, so allow the Poisson spread of a year's
	// count (about ±sqrt(35) ≈ 6) around it.
	assert.InDelta(t, float64(obs.count), meanCount, 6)
	// Golden timestamps are whole days; the median gap within a day.
	assert.InDelta(t, obs.medianGap, median(medians), 1)
	assert.InDelta(t, obsShare, newKernelShare(all), 0.1)
	for _, r := range all {
		assert.Equal(t, r.Built, r.Built.Truncate(24*time.Hour), "golden timestamps are midnight UTC")
	}
}
