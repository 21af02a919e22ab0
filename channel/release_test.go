package channel_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

func regions(n int) []string {
	rs := make([]string, n)
	for i := range rs {
		rs[i] = fmt.Sprintf("region-%d", i)
	}
	return rs
}

func testStream() *channel.Stream {
	s := &channel.Stream{Name: "node-images", Seed: 7, Rollout: channel.DefaultRollout}
	for i := range 30 {
		b := date(2024, 1, 1).Add(time.Duration(i) * 5 * 24 * time.Hour)
		s.Releases = append(s.Releases, channel.Release{Version: fmt.Sprint(i), Cut: b, Built: b, Published: b.Add(24 * time.Hour)})
	}
	return s
}

func TestAvailable(t *testing.T) {
	t.Parallel()
	s := testStream()
	delays := map[time.Duration]bool{}
	for i := range s.Releases {
		for _, r := range regions(10) {
			a := s.Available(i, r)
			d := a.Sub(s.Releases[i].Published)
			// Rollout spread up to 14 days (reference/aks.md section 1.1).
			assert.GreaterOrEqual(t, d, time.Duration(0))
			assert.Less(t, d, channel.DefaultRollout)
			assert.Equal(t, a, s.Available(i, r), "deterministic")
			delays[d] = true
		}
	}
	assert.Greater(t, len(delays), 250, "delays differ across releases and regions")

	other := *s
	other.Name = "security-patches"
	same := 0
	for i := range s.Releases {
		if s.Available(i, "westeurope").Equal(other.Available(i, "westeurope")) {
			same++
		}
	}
	assert.Less(t, same, 2, "different stream names give independent delays")

	instant := *s
	instant.Rollout = 0
	assert.Equal(t, s.Releases[3].Published, instant.Available(3, "eastus"))
}

func TestLatest(t *testing.T) {
	t.Parallel()
	s := testStream()
	_, ok := s.Latest(date(2023, 12, 31), "eastus")
	assert.False(t, ok, "nothing available before the first publication")
	for _, region := range regions(10) {
		prev := -1
		for h := 0; h < 24*200; h += 7 {
			at := date(2024, 1, 1).Add(time.Duration(h) * time.Hour)
			i, ok := s.Latest(at, region)
			if !ok {
				assert.Equal(t, -1, prev, "once available, always some release")
				continue
			}
			// Brute force: the highest index available at t.
			want := -1
			for j := range s.Releases {
				if !s.Available(j, region).After(at) {
					want = j
				}
			}
			require.Equal(t, want, i, "region %s at %v", region, at)
			assert.GreaterOrEqual(t, i, prev, "never back to a lower index")
			prev = i
		}
	}
}

// A later release can reach a region before an earlier one; Latest then
// returns the later one and never the earlier again.
func TestLatestOvertaking(t *testing.T) {
	t.Parallel()
	s := &channel.Stream{Name: "x", Releases: []channel.Release{
		{Built: date(2024, 1, 1), Published: date(2024, 1, 10)},
		{Built: date(2024, 1, 2), Published: date(2024, 1, 3)},
	}}
	i, ok := s.Latest(date(2024, 1, 5), "r")
	require.True(t, ok)
	assert.Equal(t, 1, i)
	i, _ = s.Latest(date(2024, 1, 11), "r")
	assert.Equal(t, 1, i)
}

// Unmanaged: 06:00 UTC plus up to 60 minutes per node per night
// (reference/aks.md section 1.2).
func TestNightlyInstall(t *testing.T) {
	t.Parallel()
	seen := map[time.Duration]bool{}
	for d := range 30 {
		day := date(2024, 3, 1).AddDate(0, 0, d).Add(13 * time.Hour)
		for n := range 20 {
			node := fmt.Sprintf("aks-pool-%d", n)
			got := channel.NightlyInstall(1, node, day)
			base := date(2024, 3, 1).AddDate(0, 0, d).Add(6 * time.Hour)
			assert.False(t, got.Before(base))
			assert.True(t, got.Before(base.Add(time.Hour)))
			assert.Equal(t, got, channel.NightlyInstall(1, node, base), "keyed by the UTC date only")
			seen[got.Sub(base)] = true
		}
	}
	assert.Greater(t, len(seen), 550, "delays vary by node and night")
	assert.NotEqual(t, channel.NightlyInstall(1, "n", date(2024, 3, 1)), channel.NightlyInstall(2, "n", date(2024, 3, 1)))
}

// The per-query functions are called for every node decision: they must not
// allocate. (Not parallel: AllocsPerRun forbids it.)
func TestQueriesDoNotAllocate(t *testing.T) {
	s := testStream()
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _ = s.Available(5, "westeurope") }))
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _, _ = s.Latest(date(2024, 3, 1), "westeurope") }))
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _ = channel.NightlyInstall(1, "aks-pool-1", date(2024, 3, 1)) }))
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _ = channel.ChangeEffective(1, "pool", date(2024, 3, 1), channel.MaxChangeDelay) }))
}
