package channel_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

var (
	genFrom = date(2024, 1, 1)
	genTo   = date(2027, 1, 1)
)

func generate(t *testing.T, cfg channel.Config, seed uint64) *channel.Upstream {
	t.Helper()
	u, err := channel.Generate(cfg, seed, genFrom, genTo)
	require.NoError(t, err)
	return u
}

func streams(u *channel.Upstream) []*channel.Stream {
	return []*channel.Stream{&u.NodeImages, &u.SecurityPatches, &u.WindowsImages, &u.Kubernetes}
}

func TestGenerateInvariants(t *testing.T) {
	t.Parallel()
	for seed := range uint64(5) {
		u := generate(t, channel.DefaultConfig(), seed)
		require.NotEmpty(t, u.Advisories)
		assert.True(t, slices.IsSortedFunc(u.Advisories, func(a, b channel.Advisory) int { return a.Published.Compare(b.Published) }))
		ids := map[string]bool{}
		for _, a := range u.Advisories {
			assert.False(t, ids[a.ID], "duplicate id %s", a.ID)
			ids[a.ID] = true
			assert.False(t, a.Published.Before(genFrom) || !a.Published.Before(genTo), "advisory %s outside the interval", a.ID)
			if a.Class == channel.Kernel && a.OS == channel.OSLinux {
				assert.True(t, slices.ContainsFunc(u.Kernels, a.Published.Equal), "kernel advisory %s at a kernel release", a.ID)
			}
		}
		for _, s := range streams(u) {
			require.NotEmpty(t, s.Releases, s.Name)
			assert.True(t, slices.IsSortedFunc(s.Releases, func(a, b channel.Release) int { return a.Built.Compare(b.Built) }), s.Name)
			for i, r := range s.Releases {
				assert.False(t, r.Built.Before(r.Cut), "%s %s built before cut", s.Name, r.Version)
				assert.False(t, r.Published.Before(r.Built), "%s %s published before built", s.Name, r.Version)
				// Property: a release never contains an advisory published
				// after its cut, and contains every one of its OS before.
				for _, a := range u.Advisories {
					if r.Contains(a) {
						assert.False(t, a.Published.After(r.Cut), "%s %s contains %s published after its cut", s.Name, r.Version, a.ID)
					} else if a.OS == r.OS {
						assert.True(t, a.Published.After(r.Cut))
					}
				}
				// NewKernel iff a kernel was released in (previous cut, cut].
				if r.OS == channel.OSLinux && s.Name != channel.KubernetesStream {
					prev := genFrom
					if i > 0 {
						prev = s.Releases[i-1].Cut
					}
					want := slices.ContainsFunc(u.Kernels, func(k time.Time) bool { return k.After(prev) && !k.After(r.Cut) })
					assert.Equal(t, want, r.NewKernel, "%s %s", s.Name, r.Version)
				}
			}
		}
	}
}

// Windows images: anchored on Patch Tuesday (second Tuesday), built 1-7 days
// later, cut at Patch Tuesday, where the Windows advisories are published
// (reference/aks.md section 1.5).
func TestWindowsImages(t *testing.T) {
	t.Parallel()
	u := generate(t, channel.DefaultConfig(), 3)
	require.Len(t, u.WindowsImages.Releases, 36)
	for _, r := range u.WindowsImages.Releases {
		assert.Equal(t, time.Tuesday, r.Cut.Weekday())
		assert.True(t, r.Cut.Day() >= 8 && r.Cut.Day() <= 14, "second Tuesday: %v", r.Cut)
		lag := r.Built.Sub(r.Cut)
		assert.True(t, lag >= 24*time.Hour && lag <= 7*24*time.Hour, "build %v after Patch Tuesday", lag)
		assert.Equal(t, channel.OSWindows, r.OS)
		assert.True(t, r.NewKernel)
	}
	n := 0
	for _, a := range u.Advisories {
		if a.OS == channel.OSWindows {
			n++
			assert.True(t, slices.ContainsFunc(u.WindowsImages.Releases, func(r channel.Release) bool { return r.Cut.Equal(a.Published) }))
		}
	}
	assert.Greater(t, n, 36)
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	a := generate(t, channel.DefaultConfig(), 42)
	b := generate(t, channel.DefaultConfig(), 42)
	assert.Equal(t, a, b)
	c := generate(t, channel.DefaultConfig(), 43)
	assert.NotEqual(t, a.NodeImages.Releases, c.NodeImages.Releases)
	assert.NotEqual(t, a.Advisories, c.Advisories)
}

// Changing one cadence's parameters leaves every other stream, the kernels
// and the advisories unchanged (each component has its own named stream).
func TestGenerateIndependentComponents(t *testing.T) {
	t.Parallel()
	base := generate(t, channel.DefaultConfig(), 9)
	tests := []struct {
		name    string
		edit    func(*channel.Config)
		changed func(*channel.Upstream) any
	}{
		{"node images", func(c *channel.Config) {
			c.NodeImages.Cadence = channel.Cadence{Kind: channel.Poisson, MeanGap: 5 * 24 * time.Hour}
		},
			func(u *channel.Upstream) any { return u.NodeImages }},
		{"security patches", func(c *channel.Config) { c.SecurityPatches.Cadence.MeanGap *= 2 },
			func(u *channel.Upstream) any { return u.SecurityPatches }},
		{"kubernetes", func(c *channel.Config) { c.Kubernetes.Publish = channel.Delay{Max: time.Hour} },
			func(u *channel.Upstream) any { return u.Kubernetes }},
		{"userspace high rate", func(c *channel.Config) { c.Userspace[channel.High] *= 2 },
			func(u *channel.Upstream) any { return u.Advisories }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := channel.DefaultConfig()
			tc.edit(&cfg)
			u := generate(t, cfg, 9)
			assert.NotEqual(t, tc.changed(base), tc.changed(u), "the edited component changes")
			// Blank out the edited component; everything else is identical.
			want, got := *base, *u
			switch tc.name {
			case "node images":
				want.NodeImages, got.NodeImages = channel.Stream{}, channel.Stream{}
			case "security patches":
				want.SecurityPatches, got.SecurityPatches = channel.Stream{}, channel.Stream{}
			case "kubernetes":
				want.Kubernetes, got.Kubernetes = channel.Stream{}, channel.Stream{}
			case "userspace high rate":
				want.Advisories = withoutSeverity(want.Advisories, channel.High, channel.Userspace)
				got.Advisories = withoutSeverity(got.Advisories, channel.High, channel.Userspace)
			}
			assert.Equal(t, want, got)
		})
	}
}

func withoutSeverity(as []channel.Advisory, s channel.Severity, c channel.Class) []channel.Advisory {
	return slices.DeleteFunc(slices.Clone(as), func(a channel.Advisory) bool { return a.Severity == s && a.Class == c && a.OS == channel.OSLinux })
}

// Trace replay returns exactly the trace: the 2024 and 2025 node image lists
// replay to exactly their versions and dates.
func TestTraceReplay(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file     string
		from, to time.Time
	}{
		{"node-images-2024.csv", date(2024, 1, 1), date(2025, 1, 1)},
		{"node-images-2025.csv", date(2024, 12, 1), date(2026, 1, 1)},
	} {
		t.Run(tc.file, func(t *testing.T) {
			trace := readTraceFile(t, tc.file)
			cfg := channel.DefaultConfig()
			cfg.NodeImages.Cadence = channel.Cadence{Kind: channel.Trace, Trace: trace}
			u, err := channel.Generate(cfg, 1, tc.from, tc.to)
			require.NoError(t, err)
			got := make([]channel.TraceEntry, len(u.NodeImages.Releases))
			for i, r := range u.NodeImages.Releases {
				got[i] = channel.TraceEntry{Version: r.Version, Built: r.Built, Published: r.Published, Kernel: trace[i].Kernel}
				assert.Equal(t, r.Built, r.Cut, "default CutLag is zero")
			}
			assert.Equal(t, trace, got)
			// And the published dates are the file's dates, row for row.
			_, dates := observed(t, tc.file, "date")
			var gotDates []string
			for _, r := range u.NodeImages.Releases {
				gotDates = append(gotDates, r.Published.Format(time.DateOnly))
			}
			assert.ElementsMatch(t, dates, gotDates)
		})
	}
}

// Calibration point (reference/aks.md sections 6.2 and 7): USN-6742-2, the
// linux-azure 5.15.0-1061 kernel notice published 2024-04-23T17:37:06Z,
// first appears in image 202405.03.0 when the 2024 images replay with the
// default (zero) cut lag.
func TestKernelCalibrationPoint(t *testing.T) {
	t.Parallel()
	cfg := channel.DefaultConfig()
	cfg.NodeImages.Cadence = channel.Cadence{Kind: channel.Trace, Trace: readTraceFile(t, "node-images-2024.csv")}
	u, err := channel.Generate(cfg, 1, date(2024, 1, 1), date(2025, 1, 1))
	require.NoError(t, err)
	usn := channel.Advisory{ID: "USN-6742-2", Published: time.Date(2024, 4, 23, 17, 37, 6, 0, time.UTC), Severity: channel.High, Class: channel.Kernel}
	first := slices.IndexFunc(u.NodeImages.Releases, func(r channel.Release) bool { return r.Contains(usn) })
	require.GreaterOrEqual(t, first, 0)
	assert.Equal(t, "202405.03.0", u.NodeImages.Releases[first].Version)
}

func TestCadenceKinds(t *testing.T) {
	t.Parallel()
	const d = 24 * time.Hour
	year := func(c channel.Cadence) []channel.Release {
		cfg := channel.Config{Kubernetes: channel.StreamConfig{Cadence: c}}
		u, err := channel.Generate(cfg, 5, date(2024, 1, 1), date(2034, 1, 1))
		require.NoError(t, err)
		return u.Kubernetes.Releases
	}
	periodic := year(channel.Cadence{Kind: channel.Periodic, Period: 7 * d, Jitter: d})
	assert.InDelta(t, 3653.0/7, len(periodic), 2, "one per period")
	for i := 1; i < len(periodic); i++ {
		gap := periodic[i].Built.Sub(periodic[i-1].Built)
		assert.True(t, gap > 6*d && gap < 8*d, "gap %v within period ± jitter", gap)
	}
	// The first Monday of every month at 09:00 UTC.
	rr := year(channel.Cadence{Kind: channel.Recurrence, Rule: "FREQ=MONTHLY;BYDAY=+1MO;BYHOUR=9;BYMINUTE=0;BYSECOND=0"})
	assert.Len(t, rr, 120)
	for _, r := range rr {
		assert.Equal(t, time.Monday, r.Built.Weekday())
		assert.LessOrEqual(t, r.Built.Day(), 7)
		assert.Equal(t, 9, r.Built.Hour())
	}
	// Poisson with a 10-day mean: about 365 in ten years (±3 sd = ±57).
	assert.InDelta(t, 365, len(year(channel.Cadence{Kind: channel.Poisson, MeanGap: 10 * d})), 57)
	renewal := year(channel.Cadence{Kind: channel.Renewal, MinGap: 3 * d, MeanGap: 9 * d, Shape: 4})
	assert.InDelta(t, 3653.0/9, len(renewal), 25)
	for i := 1; i < len(renewal); i++ {
		assert.GreaterOrEqual(t, renewal[i].Built.Sub(renewal[i-1].Built), 3*d)
	}
	assert.Empty(t, year(channel.Cadence{}), "Off yields nothing")
	truncated := year(channel.Cadence{Kind: channel.Poisson, MeanGap: 10 * d, Truncate: d})
	for _, r := range truncated {
		assert.Equal(t, 0, r.Built.Hour()+r.Built.Minute()+r.Built.Second()+r.Built.Nanosecond())
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, channel.DefaultConfig().Validate())
	require.NoError(t, channel.Config{}.Validate(), "the zero Config generates nothing and is valid")
	cfg := channel.DefaultConfig()
	cfg.Userspace[channel.Low] = -1
	cfg.KernelFamily[channel.High] = -2
	cfg.Kernels.Period = 0
	cfg.NodeImages.Cadence.MinGap = 20 * 24 * time.Hour
	cfg.NodeImages.Publish = channel.Delay{Min: 2 * time.Hour, Max: time.Hour}
	cfg.SecurityPatches.Cadence.Rule = "FREQ=DAILY"
	cfg.WindowsImages.Cadence.Rule = "FREQ=SOMETIMES"
	cfg.Kubernetes.Rollout = -time.Hour
	cfg.KubernetesMinor = "v1"
	err := cfg.Validate()
	require.Error(t, err)
	for _, w := range []string{
		"channel: Userspace[low]: -1",
		"channel: KernelFamily[high]: -2",
		"channel: Kernels.Period: 0s: must be at least 1h0m0s",
		"channel: NodeImages.Cadence.MinGap: 480h0m0s: must be in [0, MeanGap)",
		"channel: NodeImages.Publish: [2h0m0s, 1h0m0s]",
		"channel: SecurityPatches.Cadence.Rule: set: not used by kind Renewal",
		`channel: WindowsImages.Cadence.Rule: "FREQ=SOMETIMES"`,
		"channel: Kubernetes.Rollout: -1h0m0s",
		`channel: KubernetesMinor: "v1"`,
	} {
		assert.ErrorContains(t, err, w)
	}
	_, err = channel.Generate(cfg, 1, genFrom, genTo)
	assert.Error(t, err)
	_, err = channel.Generate(channel.DefaultConfig(), 1, genTo, genFrom)
	assert.ErrorContains(t, err, "to must be after from")

	bad := channel.Cadence{Kind: channel.Trace, Trace: []channel.TraceEntry{
		{Version: "b", Built: date(2024, 2, 1), Published: date(2024, 1, 1)},
		{Version: "a", Built: date(2024, 1, 1)},
		{Version: "z"},
	}}
	err = bad.Validate()
	for _, w := range []string{"Cadence.Trace[0].Published", "Cadence.Trace[1].Built: 2024-01-01T00:00:00Z: trace must be ordered", "Cadence.Trace[2].Built: z: must be set"} {
		assert.ErrorContains(t, err, w)
	}
	assert.ErrorContains(t, channel.Cadence{Kind: 99}.Validate(), "Cadence.Kind: Kind(99)")
}

// Inputs that used to grow memory without bound or panic in rrule-go are
// refused up front: cadences faster than hourly (a 1 ns gap made ~130 MB a
// second), ordinals a month cannot hold, and intervals that reach year 0.
func TestConfigBounds(t *testing.T) {
	for _, tc := range []struct {
		c   channel.Cadence
		err string
	}{
		{channel.Cadence{Kind: channel.Periodic, Period: time.Nanosecond}, "Cadence.Period: 1ns: must be at least 1h0m0s"},
		{channel.Cadence{Kind: channel.Renewal, MeanGap: time.Minute}, "Cadence.MeanGap: 1m0s: must be at least 1h0m0s"},
		{channel.Cadence{Kind: channel.Poisson, MeanGap: time.Nanosecond}, "Cadence.MeanGap: 1ns: must be at least 1h0m0s"},
		{channel.Cadence{Kind: channel.Recurrence, Rule: "FREQ=MONTHLY;BYDAY=10FR"}, "BYDAY=10FR: 10 is outside -5 to 5"},
		{channel.Cadence{Kind: channel.Recurrence, Rule: "FREQ=MONTHLY;BYDAY=2TU", Dtstart: time.Date(1, 2, 1, 0, 0, 0, 0, time.UTC)}, "Cadence.Dtstart: 0001-02-01T00:00:00Z: the year 1 is outside 1900 to 9999"},
	} {
		assert.ErrorContains(t, tc.c.Validate(), tc.err, "%+v", tc.c)
	}
	assert.NoError(t, channel.Cadence{Kind: channel.Periodic, Period: time.Hour}.Validate())
	_, err := channel.Generate(channel.DefaultConfig(), 1, time.Date(0, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(1, 3, 1, 0, 0, 0, 0, time.UTC))
	assert.ErrorContains(t, err, "0001-03-01T00:00:00Z): the year 0 is outside 1900 to 9999")
}

// Generated names: a userspace advisory is LU-<severity>-<its ordinal in
// the severity, five digits>, a kernel or Windows advisory
// LK-<kernel ordinal, four digits>-<ordinal in its family> or
// W-<Patch Tuesday ordinal>-<ordinal>; a node image is YYYYMM.DD.<rebuild
// of the day>, a Windows image 20348.<ordinal>.<YYMMDD>, a Kubernetes
// release <minor>.<ordinal>.
func TestGeneratedNames(t *testing.T) {
	t.Parallel()
	cfg := channel.DefaultConfig()
	cfg.KubernetesMinor = "1.31"
	u := generate(t, cfg, 3)
	n := map[channel.Severity]int{}
	var want, got []string
	for _, a := range u.Advisories {
		switch {
		case a.Class == channel.Userspace:
			n[a.Severity]++
			assert.Equal(t, fmt.Sprintf("LU-%s-%05d", a.Severity, n[a.Severity]), a.ID)
		case a.OS == channel.OSLinux:
			got = append(got, a.ID)
		}
	}
	for k, at := range u.Kernels {
		family := 0
		for _, a := range u.Advisories {
			if a.Class == channel.Kernel && a.OS == channel.OSLinux && a.Published.Equal(at) {
				family++
				want = append(want, fmt.Sprintf("LK-%04d-%d", k+1, family))
			}
		}
	}
	slices.Sort(want)
	slices.Sort(got)
	assert.Equal(t, want, got)
	for i, r := range u.WindowsImages.Releases {
		assert.Equal(t, fmt.Sprintf("20348.%d.%s", i+1, r.Built.Format("060102")), r.Version)
	}
	day := map[string]int{}
	for _, r := range u.NodeImages.Releases {
		d := r.Built.Format("200601.02")
		assert.Equal(t, fmt.Sprintf("%s.%d", d, day[d]), r.Version)
		day[d]++
	}
	for i, r := range u.Kubernetes.Releases {
		assert.Equal(t, fmt.Sprintf("1.31.%d", i+1), r.Version)
	}
	for _, a := range u.Advisories {
		if a.OS == channel.OSWindows {
			assert.Regexp(t, `^W-\d{4}-\d+$`, a.ID)
		}
	}
}
