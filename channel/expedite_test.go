package channel_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// With every high-or-worse Linux advisory expedited at once, each gets a
// SecurityPatch snapshot cut, built and published at its own publication;
// the other streams and the advisories do not change (their draws are
// their own), and release order is kept in every region.
func TestExpedite(t *testing.T) {
	t.Parallel()
	from, to := date(2025, 1, 1), date(2026, 1, 1)
	plain, err := channel.Generate(channel.DefaultConfig(), 3, from, to)
	require.NoError(t, err)
	cfg := channel.DefaultConfig()
	cfg.SecurityPatches.Expedite = &channel.Expedite{Severity: channel.High, Probability: 1}
	u, err := channel.Generate(cfg, 3, from, to)
	require.NoError(t, err)
	assert.Equal(t, plain.Advisories, u.Advisories)
	assert.Equal(t, plain.NodeImages, u.NodeImages)
	assert.Equal(t, plain.Kernels, u.Kernels)

	var urgent []time.Time
	for _, a := range u.Advisories {
		if a.OS == channel.OSLinux && a.Severity <= channel.High {
			urgent = append(urgent, a.Published)
		}
	}
	require.NotEmpty(t, urgent)
	var expedited []time.Time
	for _, r := range u.SecurityPatches.Releases {
		if r.Expedited {
			assert.Equal(t, r.Built, r.Cut)
			assert.Equal(t, r.Built, r.Published)
			expedited = append(expedited, r.Built)
		}
	}
	assert.Equal(t, urgent, expedited, "one snapshot per urgent advisory, at its publication")
	assert.Equal(t, len(plain.SecurityPatches.Releases)+len(urgent), len(u.SecurityPatches.Releases), "the regular snapshots stay")
	for _, region := range regions(6) {
		for i := 1; i < len(u.SecurityPatches.Releases); i++ {
			assert.False(t, u.SecurityPatches.Available(i, region).Before(u.SecurityPatches.Available(i-1, region)))
		}
	}

	// Half of them, within two days.
	cfg.SecurityPatches.Expedite = &channel.Expedite{Severity: channel.High, Probability: 0.5, Delay: channel.Delay{Max: 2 * 24 * time.Hour}}
	u, err = channel.Generate(cfg, 3, from, to)
	require.NoError(t, err)
	n := 0
	for _, r := range u.SecurityPatches.Releases {
		if r.Expedited {
			n++
		}
	}
	assert.InDelta(t, len(urgent)/2, n, float64(len(urgent))/4)

	cfg.SecurityPatches.Expedite = &channel.Expedite{Severity: 9, Probability: 2}
	assert.EqualError(t, cfg.Validate(), "channel: SecurityPatches.Expedite.Severity: Severity(9): want one of critical, high, medium, low\n"+
		"channel: SecurityPatches.Expedite.Probability: 2: want a share in [0, 1]")
}
