package channel_test

import (
	"encoding/csv"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// The replayed history is the reference data, byte for byte.
func TestHistoryFilesAreTheReferenceData(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"aks-ubuntu2204-image-kernels-2024-2025.csv", "aks-securitypatch-snapshots.csv"} {
		ref, err := os.ReadFile("../docs/reference/data/" + name)
		require.NoError(t, err)
		got, err := os.ReadFile("history/" + name)
		require.NoError(t, err)
		assert.Equal(t, string(ref), string(got), "channel/history/%s differs from docs/reference/data", name)
	}
}

func readRows(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open("../docs/reference/data/" + name)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func parseTime(t *testing.T, layout, s string) time.Time {
	t.Helper()
	v, err := time.Parse(layout, s)
	require.NoError(t, err)
	return v
}

// Replaying 2025 gives exactly the real releases: every node image built in
// 2025 with its build instant, its publication date and its kernel changes,
// every Ubuntu 22.04 SecurityPatch snapshot of 2025 with its golden
// timestamp, its publication date and whether it brought a new kernel, read
// here from the reference files independently of the replay.
func TestHistory2025ReplaysTheRealReleases(t *testing.T) {
	t.Parallel()
	cfg, err := channel.History(2025)
	require.NoError(t, err)
	from, to := date(2025, 1, 1), date(2026, 1, 1)
	u, err := channel.Generate(cfg, 9, from, to)
	require.NoError(t, err)

	type image struct {
		version, kernel  string
		built, published time.Time
		newKernel        bool
	}
	var want []image
	prevKernel := ""
	kernelAt := map[string]time.Time{}
	for _, r := range readRows(t, "aks-ubuntu2204-image-kernels-2024-2025.csv") {
		built := parseTime(t, time.RFC3339, r["build_start_utc"])
		pub := parseTime(t, time.DateOnly, r["agentbaker_notes_date"])
		switch {
		case pub.Before(built.Truncate(24 * time.Hour)):
			// 202507.02.0: notes dated 2025-07-01, build started
			// 2025-07-02T03:03Z (the notes' commit date is local time):
			// a release is not published before it is built, so it
			// replays as built on the day it was published (ReadTrace).
			built = pub
		case pub.Before(built):
			pub = built // notes dated the day of the build
		}
		if k, ok := kernelAt[r["kernel"]]; !ok || built.Before(k) {
			kernelAt[r["kernel"]] = built
		}
		if !built.Before(from) && built.Before(to) {
			want = append(want, image{r["image_version"], r["kernel"], built, pub, r["kernel"] != prevKernel})
		}
		prevKernel = r["kernel"]
	}
	require.Len(t, want, 41, "41 images built in 2025 (reference/aks.md section 6.2)")
	var got []image
	for i, r := range u.NodeImages.Releases {
		got = append(got, image{r.Version, want[min(i, len(want)-1)].kernel, r.Built, r.Published, r.NewKernel})
	}
	assert.Equal(t, want, got)
	for _, r := range u.NodeImages.Releases {
		assert.Equal(t, r.Built, r.Cut, "an image freezes the archive at its build")
	}

	type snapshot struct {
		version          string
		built, published time.Time
		newKernel        bool
	}
	var wantSnaps []snapshot
	for _, r := range readRows(t, "aks-securitypatch-snapshots.csv") {
		g := parseTime(t, "20060102T150405Z", r["golden_timestamp"])
		if r["ubuntu2204_notes_present"] != "yes" || g.Before(from) || !g.Before(to) {
			continue
		}
		wantSnaps = append(wantSnaps, snapshot{r["golden_timestamp"], g, parseTime(t, time.DateOnly, r["notes_added_date"]), r["prev_delta_new_azure_kernel"] != ""})
	}
	require.Len(t, wantSnaps, 35, "35 snapshots in 2025 (reference/aks.md section 1.3)")
	var gotSnaps []snapshot
	newKernels := 0
	for _, r := range u.SecurityPatches.Releases {
		gotSnaps = append(gotSnaps, snapshot{r.Version, r.Built, r.Published, r.NewKernel})
		if r.NewKernel {
			newKernels++
		}
	}
	assert.Equal(t, wantSnaps, gotSnaps)
	assert.Equal(t, 17, newKernels, "17 of 35 brought a new kernel (reference/aks.md section 1.3)")

	// Kernels: each is released when it first appears in an image or a
	// snapshot, and every release carries its own kernel's instant.
	for _, r := range readRows(t, "aks-securitypatch-snapshots.csv") {
		k := r["prev_delta_new_azure_kernel"]
		g := parseTime(t, "20060102T150405Z", r["golden_timestamp"])
		if r["ubuntu2204_notes_present"] == "yes" && k != "" && (kernelAt[k].IsZero() || g.Before(kernelAt[k])) {
			kernelAt[k] = g
		}
	}
	for i, r := range u.NodeImages.Releases {
		assert.Equal(t, kernelAt[want[i].kernel], r.KernelCut, "image %s carries %s", r.Version, want[i].kernel)
	}
	// 1081 first appears in image 202502.26.0, before snapshot 20250303
	// names it; 1095 only ever in snapshot 20250919.
	assert.Equal(t, time.Date(2025, 2, 26, 21, 21, 34, 0, time.UTC), kernelAt["5.15.0-1081-azure"])
	assert.Equal(t, date(2025, 9, 19), kernelAt["5.15.0-1095-azure"])
	var want2025 []time.Time
	for _, k := range kernelAt {
		if !k.Before(from) && k.Before(to) {
			want2025 = append(want2025, k)
		}
	}
	assert.ElementsMatch(t, want2025, u.Kernels, "the kernel releases are exactly those of the history")
}

// 2024 replays the node images and kernels of 2024; the snapshot data
// starts in 2025, so 2024's snapshots keep the calibrated cadence, with
// their kernels from the replayed history.
func TestHistory2024(t *testing.T) {
	t.Parallel()
	cfg, err := channel.History(2024)
	require.NoError(t, err)
	assert.Equal(t, channel.Trace, cfg.NodeImages.Cadence.Kind)
	assert.Equal(t, channel.DefaultConfig().SecurityPatches.Cadence, cfg.SecurityPatches.Cadence)
	u, err := channel.Generate(cfg, 1, date(2024, 1, 1), date(2025, 1, 1))
	require.NoError(t, err)
	assert.Len(t, u.NodeImages.Releases, 41)
	assert.Len(t, u.Kernels, 17, "17 distinct kernels in 2024's images (reference/aks.md section 6.2)")
	for _, r := range u.SecurityPatches.Releases {
		if !r.KernelCut.IsZero() {
			assert.Contains(t, u.Kernels, r.KernelCut, "snapshot %s carries a replayed kernel", r.Version)
		}
	}

	_, err = channel.History(2023)
	assert.EqualError(t, err, "channel: history 2023: want one of [2024 2025]")
}
