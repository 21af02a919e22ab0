package plan

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Limits are refused by Validate, before anything runs, each naming its
// field and the limit.
func TestValidateLimits(t *testing.T) {
	day := 24 * time.Hour
	for _, tc := range []struct {
		name string
		edit func(s *Scenario)
		err  string
	}{
		{"start in year 1: the content would reach year 0 (rrule-go panicked)", func(s *Scenario) { s.Start = time.Date(1, 2, 1, 0, 0, 0, 0, time.UTC) },
			"plan: start: 0001-02-01T00:00:00Z minus the lookback 60d begins the content at 0000-12-03T00:00:00Z, before 1900-01-01"},
		{"lookback past 1900", func(s *Scenario) {
			s.Start = time.Date(1900, 2, 1, 0, 0, 0, 0, time.UTC)
		}, "plan: start: 1900-02-01T00:00:00Z minus the lookback 60d begins the content at 1899-12-03T00:00:00Z, before 1900-01-01"},
		{"a kernel every nanosecond (grew 130 MB a second)", func(s *Scenario) {
			ns, m := Duration(time.Nanosecond), Duration(30*time.Minute)
			s.Upstream.KernelEvery, s.Upstream.NodeImageMeanGap, s.Upstream.SecurityPatchMeanGap, s.Upstream.KubernetesEvery = &ns, &ns, &m, &ns
		}, "plan: upstream.securityPatchMeanGap: 30m0s is below the minimum 1h0m0s: no release stream comes faster"},
		{"a negative cadence", func(s *Scenario) { neg := Duration(-time.Hour); s.Upstream.KubernetesEvery = &neg },
			"plan: upstream.kubernetesEvery: -1h0m0s is below the minimum 1h0m0s"},
		{"a lookback of eleven years", func(s *Scenario) { s.Upstream.Lookback = Duration(11 * 365 * day) },
			"plan: upstream.lookback: 4015d is above the maximum 3650d"},
		{"a grid of 28 variants and the baseline x 100,000 replications", func(s *Scenario) {
			s.Variants = nil
			s.Grid = &Grid{NodeOSUpgradeChannel: []string{"None", "Unmanaged", "SecurityPatch", "NodeImage"},
				WindowDay: []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}}
			s.Replications = MaxReplications
		}, "plan: replications: 29 variants x 100000 replications make 2900000 runs, above the maximum 1000000"},
		{"horizon past 9999 (--json failed after the run)", func(s *Scenario) {
			s.Start = time.Date(9999, 6, 1, 0, 0, 0, 0, time.UTC)
			s.Horizon = Duration(365 * day)
		}, "plan: horizon: 365d from start 9999-06-01T00:00:00Z ends at 10000-05-31T00:00:00Z, after the year 9999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := small(t)
			tc.edit(s)
			err := s.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
			_, err = New(s)
			assert.Error(t, err)
		})
	}
	s := small(t)
	s.Start = time.Date(1900, 3, 2, 0, 0, 0, 0, time.UTC) // 60 days after 1900-01-01
	assert.NoError(t, s.Validate())
	s.Start = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Add(-s.horizon())
	assert.NoError(t, s.Validate())
}

// The scenario file and its traces must be regular files of bounded size:
// /dev/zero as a trace never ended and a FIFO blocked forever.
func TestFileLimits(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(MaxFileBytes+1)) // sparse: no disk used
	require.NoError(t, f.Close())
	_, err = Read(big)
	assert.EqualError(t, err, "plan: "+big+" is larger than 8 MiB, the most an input file may hold")
	_, err = Load(big)
	assert.ErrorContains(t, err, "is larger than 8 MiB")

	fifo := filepath.Join(dir, "fifo.csv")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	for _, tc := range []struct{ trace, err string }{
		{"/dev/zero", "plan: upstream.advisoryTrace: /dev/zero is not a regular file (a device)"},
		{"fifo.csv", "plan: upstream.advisoryTrace: " + fifo + " is not a regular file (a named pipe)"},
		{"big.yaml", "plan: upstream.advisoryTrace: " + big + " is larger than 8 MiB"},
	} {
		s := small(t)
		s.dir = dir
		s.Upstream.AdvisoryTrace = tc.trace
		assert.ErrorContains(t, s.Validate(), tc.err)
	}
	s := small(t)
	s.dir = dir
	s.Upstream.NodeImageTrace = "fifo.csv"
	assert.ErrorContains(t, s.Validate(), "plan: upstream.nodeImageTrace: "+fifo+" is not a regular file (a named pipe)")
}

// Azure compares region names without case or spaces, and so does a
// scenario: they key the regional rollout order, so "West Europe" and
// "westeurope" must run the same.
func TestRegionNamesNormalised(t *testing.T) {
	run := func(region string) string {
		s := small(t)
		s.Replications = 2
		s.Clusters[0].Region = region
		p, err := New(s)
		require.NoError(t, err)
		c, err := p.Compare(context.Background(), Options{})
		require.NoError(t, err)
		b, err := json.Marshal(c.Variants)
		require.NoError(t, err)
		return string(b)
	}
	want := run("westeurope")
	assert.True(t, want == run("West Europe"), "West Europe runs as westeurope")
	assert.True(t, want == run("WestEurope"), "WestEurope runs as westeurope")
	assert.False(t, want == run("northeurope"), "another region has another place in the rollout order")
}
