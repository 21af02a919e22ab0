package channel_test

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

func TestUSNSampleIsTheReferenceData(t *testing.T) {
	t.Parallel()
	ref, err := os.ReadFile("../docs/reference/data/ubuntu-usn-jammy-2024-podcast.csv")
	require.NoError(t, err)
	got, err := os.ReadFile("history/ubuntu-usn-jammy-2024-podcast.csv")
	require.NoError(t, err)
	assert.Equal(t, string(ref), string(got))
}

// The default advisory rates are the 2024 sample's counts, by hand: of the
// 221 notices, 7 have no priority; on an AKS node (NodePackages, Azure and
// generic kernels) remain 38 userspace notices (1 high: OpenSSH's
// regreSSHion; 33 medium; 4 low) and 27 kernel notices (16 high, 11
// medium). Each count is scaled by 601/279, the sample's coverage.
func TestUSNRates(t *testing.T) {
	t.Parallel()
	scale := 601.0 / 279
	r, err := channel.USNRates(channel.USNCoverage, true)
	require.NoError(t, err)
	assert.Equal(t, 65, r.Notices)
	want := func(c, h, m, l float64) [channel.NumSeverities]channel.Rate {
		return [channel.NumSeverities]channel.Rate{channel.Rate(c * scale), channel.Rate(h * scale), channel.Rate(m * scale), channel.Rate(l * scale)}
	}
	near := func(want, got [channel.NumSeverities]channel.Rate) {
		t.Helper()
		for s := range want {
			assert.InDelta(t, float64(want[s]), float64(got[s]), 1e-9, "severity %s", channel.Severity(s))
		}
	}
	near(want(0, 1, 33, 4), r.Userspace)
	near(want(0, 16, 11, 0), r.Kernel)

	all, err := channel.USNRates(channel.USNCoverage, false)
	require.NoError(t, err)
	assert.Equal(t, 214, all.Notices)
	near(want(0, 4, 155, 10), all.Userspace)
	near(want(0, 30, 15, 0), all.Kernel)

	half, err := channel.USNRates(0.5, true)
	require.NoError(t, err)
	assert.InDelta(t, 66.0, float64(half.Userspace[channel.Medium]), 1e-9, "33 medium at half coverage")

	_, err = channel.USNRates(0, true)
	assert.EqualError(t, err, "channel: USN coverage 0: want a share in (0, 1]")

	// DefaultConfig uses them: userspace rates as they are, kernel notices
	// shared over the kernel releases of a year (one every 19 days).
	cfg := channel.DefaultConfig()
	near(r.Userspace, cfg.Userspace)
	perRelease := float64(19*24*time.Hour) / float64(365*24*time.Hour)
	assert.InDelta(t, 16*scale*perRelease, cfg.KernelFamily[channel.High], 1e-9)
	assert.InDelta(t, 11*scale*perRelease, cfg.KernelFamily[channel.Medium], 1e-9)
	assert.Zero(t, cfg.KernelFamily[channel.Critical], "no critical Jammy CVE in the sample")
}
