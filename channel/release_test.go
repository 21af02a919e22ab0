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
	waves := map[time.Duration]bool{}
	for _, r := range regions(10) {
		// A region's place in the order is the same for every release:
		// its delay after publication is Wave * 14 days (reference/aks.md
		// section 1.1 bounds it by two weeks).
		d0 := s.Available(0, r).Sub(s.Releases[0].Published)
		assert.GreaterOrEqual(t, d0, time.Duration(0))
		assert.Less(t, d0, channel.DefaultRollout)
		assert.Equal(t, time.Duration(channel.Wave(7, r)*float64(channel.DefaultRollout)), d0)
		for i := range s.Releases {
			a := s.Available(i, r)
			assert.Equal(t, d0, a.Sub(s.Releases[i].Published), "release %d region %s", i, r)
			assert.Equal(t, a, s.Available(i, r), "deterministic")
		}
		waves[d0] = true
	}
	assert.Len(t, waves, 10, "regions take different places")

	// The place belongs to the region, not to the stream: SecurityPatch
	// snapshots and node images follow the same safe-deployment order.
	other := *s
	other.Name = "security-patches"
	assert.Equal(t, s.Available(4, "westeurope"), other.Available(4, "westeurope"))
	reseeded := *s
	reseeded.Seed = 8
	assert.NotEqual(t, s.Available(4, "westeurope"), reseeded.Available(4, "westeurope"), "each replication draws the order anew")

	instant := *s
	instant.Rollout = 0
	assert.Equal(t, s.Releases[3].Published, instant.Available(3, "eastus"))
}

// Release order is kept in every region: a later release of a stream never
// reaches a region before an earlier one, on generated streams of many
// replications and on a stream whose publications are out of build order.
func TestAvailableKeepsReleaseOrder(t *testing.T) {
	t.Parallel()
	from := date(2024, 1, 1)
	checked := 0
	for seed := range uint64(40) {
		u, err := channel.Generate(channel.DefaultConfig(), seed, from, from.AddDate(1, 0, 0))
		require.NoError(t, err)
		for _, s := range []*channel.Stream{&u.NodeImages, &u.SecurityPatches, &u.WindowsImages, &u.Kubernetes} {
			for _, r := range regions(8) {
				for i := 1; i < len(s.Releases); i++ {
					require.False(t, s.Available(i, r).Before(s.Available(i-1, r)), "seed %d %s release %d in %s", seed, s.Name, i, r)
					checked++
				}
			}
		}
	}
	assert.Greater(t, checked, 10000)

	// 202510.03.1 (built 2025-10-21, published 2025-10-23) and 202510.19.1
	// (built 2025-10-23, published 2025-11-04) before 202510.29.0 (built
	// and published 2025-10-29): the 29th image waits for the 19th's
	// rollout to start on 2025-11-04 and then reaches each region at the
	// same place in the order, so it never overtakes it.
	s := &channel.Stream{Name: "node-images", Seed: 3, Rollout: channel.DefaultRollout, Releases: []channel.Release{
		{Version: "202510.03.1", Built: date(2025, 10, 21), Published: date(2025, 10, 23)},
		{Version: "202510.19.1", Built: date(2025, 10, 23), Published: date(2025, 11, 4)},
		{Version: "202510.29.0", Built: date(2025, 10, 29), Published: date(2025, 10, 29)},
	}}
	for _, r := range regions(8) {
		w := time.Duration(channel.Wave(3, r) * float64(channel.DefaultRollout))
		assert.Equal(t, date(2025, 10, 23).Add(w), s.Available(0, r))
		assert.Equal(t, date(2025, 11, 4).Add(w), s.Available(1, r))
		assert.Equal(t, date(2025, 11, 4).Add(w), s.Available(2, r))
		i, ok := s.Latest(date(2025, 11, 4).Add(w), r)
		require.True(t, ok)
		assert.Equal(t, 2, i, "both reach the region together; the newest wins")
		i, _ = s.Latest(date(2025, 11, 4).Add(w-time.Second), r)
		assert.Equal(t, 0, i, "before then only the first")
	}
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
			assert.Equal(t, got.UnixNano(), channel.NewNightly(1, node).On(base.Unix()/86400), "one schedule, two forms")
			seen[got.Sub(base)] = true
		}
	}
	assert.Greater(t, len(seen), 550, "delays vary by node and night")
	assert.NotEqual(t, channel.NightlyInstall(1, "n", date(2024, 3, 1)), channel.NightlyInstall(2, "n", date(2024, 3, 1)))
	// Pinned: the schedule is part of every Unmanaged result.
	assert.Equal(t, "2025-03-01T06:19:08.920206927Z", channel.NightlyInstall(42, "aks-pool-1", date(2025, 3, 1)).Format(time.RFC3339Nano))
	assert.Equal(t, "2025-03-01T06:27:28.355124602Z", channel.NightlyInstall(42, "c/p/7", date(2025, 3, 1)).Format(time.RFC3339Nano))
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
