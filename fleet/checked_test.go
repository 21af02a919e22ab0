package fleet

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// TestCheckedRunsAsRun: a configuration checked once runs as Run runs it
// with the same upstream, seed and trace, on every seed and trace setting.
func TestCheckedRunsAsRun(t *testing.T) {
	cfg := workedConfig(t, workedPool("apps", 3))
	ck, err := Check(Config{Start: cfg.Start, Horizon: cfg.Horizon, Clusters: cfg.Clusters})
	require.NoError(t, err, "Check needs no upstream")
	for _, tc := range []struct {
		seed  uint64
		trace bool
	}{{1, false}, {2, true}, {3, true}} {
		c := cfg
		c.Seed, c.Trace = tc.seed, tc.trace
		want, err := Run(c)
		require.NoError(t, err)
		got, err := ck.Run(cfg.Upstream, tc.seed, tc.trace)
		require.NoError(t, err)
		assert.Equal(t, want, got, "seed %d trace %v", tc.seed, tc.trace)
	}
}

func TestCheckRefusesWhatValidateRefuses(t *testing.T) {
	cfg := workedConfig(t, workedPool("win", 2))
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSSecurityPatch
	cfg.Clusters[0].Pools[0].OS = channel.OSWindows
	_, err := Check(cfg)
	assert.ErrorIs(t, err, channel.ErrSecurityPatchOnWindows)
	assert.Equal(t, cfg.Validate().Error(), err.Error())

	ck, err := Check(workedConfig(t, workedPool("apps", 1)))
	require.NoError(t, err)
	_, err = ck.Run(nil, 1, false)
	assert.EqualError(t, err, "fleet: upstream: is required")
}

func TestValidateErrorsAreFieldErrors(t *testing.T) {
	cfg := workedConfig(t, workedPool("win", 0))
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSSecurityPatch
	cfg.Clusters[0].Pools[0].OS = channel.OSWindows
	err := cfg.Validate()
	var paths []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		require.ErrorAs(t, e, &fe)
		paths = append(paths, fe.Path)
	}
	assert.Equal(t, []string{"clusters[0].pools[0]", "clusters[0].pools[0].count"}, paths)
	assert.ErrorIs(t, err, channel.ErrSecurityPatchOnWindows)
}
