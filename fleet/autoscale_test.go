package fleet

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// The autoscale worked examples reuse the worked setting (worked_test.go):
// Monday 2025-03-03 00:00 UTC for 14 days, the Saturday 22:00 window, R0
// current at the start and R1 (cut 03-04) published 03-05; A1 (high,
// userspace, 03-03 12:00) is in R1, A2 (critical, kernel, 03-06) in no
// release. A SecurityPatch snapshot S1, cut 03-05 with no new kernel, is
// published 03-06: a live patch. Steps: surge node and new node 5 min,
// drain 3 min, reimage 7 min.

func autoscaleUpstream() *channel.Upstream {
	up := workedUpstream()
	s1 := time.Date(2025, 3, 5, 0, 0, 0, 0, time.UTC)
	up.SecurityPatches = channel.Stream{Name: "security-patches", Releases: []channel.Release{
		{Version: "20250305", Cut: s1, Built: s1, Published: s1.Add(24 * time.Hour)},
	}}
	return up
}

// createdIDs returns the fleet-wide ids of the nodes created in the run,
// in the order of their ActCreate actions (Remediation.Node).
func createdIDs(res *Result) map[int]int32 {
	ids := map[int]int32{}
	k := int32(res.Nodes)
	for _, a := range res.Actions {
		if a.Kind == ActCreate {
			ids[a.Node] = k
			k++
		}
	}
	return ids
}

// lifeSteps returns the trace's node creations and removals.
func lifeSteps(res *Result) []step {
	var life []step
	for _, s := range steps(res) {
		if s.Kind == ActCreate || s.Kind == ActRemove {
			life = append(life, s)
		}
	}
	return life
}

func TestAutoscaleNewNodeBootsPoolImage(t *testing.T) {
	// Two nodes at the start; the demand is 3 except on Mondays 00:00-09:00,
	// when it is 2. So a third node joins Monday 03-03 09:05 (index 2,
	// booting the image current then, R0), goes Monday 03-10 00:10 (the
	// unneeded time after the demand falls at 00:00; it is the newest), and
	// a fourth (index 3) joins 03-10 09:05, after the Saturday window of
	// 03-08.
	mon1, mon2 := wStart, wStart.AddDate(0, 0, 7)
	thu2 := time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)
	wantLife := []step{
		{"p", 2, ActCreate, plus(mon1, "9h5m"), plus(mon1, "9h5m")},
		{"p", 2, ActRemove, plus(mon2, "10m"), plus(mon2, "10m")},
		{"p", 3, ActCreate, plus(mon2, "9h5m"), plus(mon2, "9h5m")},
	}
	for _, tc := range []struct {
		ch channel.NodeOSChannel
		// node 3's pair for A1: none when it boots an image with A1's fix
		pair bool
		// when node 3 first runs A1's fix, for a pair: zero for never (censored)
		fixedFrom, fixedTo time.Time
		highPairs          uint64
	}{
		// The Saturday rollout moved the pool's image to R1 when it
		// started: node 3 boots R1, which has A1.
		{ch: channel.NodeOSNodeImage, highPairs: 3},
		// The live patch of S1 (cut 03-05) produced the VHD new nodes boot.
		{ch: channel.NodeOSSecurityPatch, highPairs: 3},
		// The image stays R0: node 3 boots without A1 and installs it on
		// its first night, 03-11 06:00-07:00 UTC.
		{ch: channel.NodeOSUnmanaged, pair: true, fixedFrom: plus(thu2, "6h"), fixedTo: plus(thu2, "7h"), highPairs: 4},
		// Nothing moves the image: node 3 holds A1 to the end.
		{ch: channel.NodeOSNone, pair: true, highPairs: 4},
	} {
		t.Run(tc.ch.String(), func(t *testing.T) {
			pool := workedPool("p", 2)
			pool.Autoscale = &Autoscale{Min: 2, Max: 3, Profile: Profile{Base: 3, Peak: 2, Days: []time.Weekday{time.Monday}, Start: 0, End: 9 * time.Hour}}
			cfg := workedConfig(t, pool)
			cfg.Upstream = autoscaleUpstream()
			cfg.Clusters[0].NodeOSChannel = tc.ch
			res, err := Run(cfg)
			require.NoError(t, err)

			life := lifeSteps(res)
			assert.Equal(t, wantLife, life)
			ids := createdIDs(res)
			require.Equal(t, map[int]int32{2: 2, 3: 3}, ids)

			var fixed []time.Time
			var since []time.Time
			for _, m := range res.Remediations {
				if m.Node == ids[3] && m.Published.Equal(aHigh) {
					fixed = append(fixed, m.At)
					since = append(since, m.Since)
				}
			}
			high := res.Exposure[channel.High]
			assert.Equal(t, tc.highPairs, high.Pairs, "A1's pairs: the nodes that held it")
			switch {
			case !tc.pair:
				assert.Empty(t, fixed)
			case tc.fixedFrom.IsZero():
				assert.Empty(t, fixed)
				assert.Equal(t, uint64(4), high.Censored, "every node holds A1 to its end")
			default:
				require.Len(t, fixed, 1)
				// Its exposure counts from its creation, not A1's publication.
				assert.Equal(t, plus(mon2, "9h5m"), since[0])
				assert.False(t, fixed[0].Before(tc.fixedFrom), "installed at %s", fixed[0])
				assert.True(t, fixed[0].Before(tc.fixedTo), "installed at %s", fixed[0])
			}
			assert.Equal(t, uint64(2), res.Churn.Created)
			assert.Equal(t, uint64(1), res.Churn.Removed)
			// Node 2 lived 03-03 09:05 to 03-10 00:10, node 3 from 03-10
			// 09:05 to the end: with the two original nodes' 14 days.
			alive := 2*14*24*time.Hour + (6*24*time.Hour + 15*time.Hour + 5*time.Minute) + (6*24*time.Hour + 14*time.Hour + 55*time.Minute)
			assert.InDelta(t, alive.Hours()/(365.25/12*24), res.Churn.NodeMonths, 1e-12)
			// Nodes at the start of each day: 2 on 03-03, 3 from 03-04 to
			// 03-10 00:00, 2 at 03-10 00:00 (removed 00:10: still there),
			// then 3.
			wantNodes := []int{2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}
			assert.Equal(t, wantNodes, res.Churn.Nodes)
		})
	}
}

func TestAutoscaleNoneCensorsAtRemoval(t *testing.T) {
	// Under None node 2 (created 03-03 09:05) holds A1 from its
	// publication, 03-03 12:00, until it goes on 03-10 00:10: that pair is
	// censored there, at 6d12h10m; nodes 0 and 1 hold it to the end,
	// censored at 13d12h; node 3, created 03-10 09:05 without A1's fix,
	// holds it from its creation to the end: 6d14h55m, its exposure only
	// while it exists. No image ever had A1's fix, so none of it counts as
	// remediated by churn.
	pool := workedPool("p", 2)
	pool.Autoscale = &Autoscale{Min: 2, Max: 3, Profile: Profile{Base: 3, Peak: 2, Days: []time.Weekday{time.Monday}, Start: 0, End: 9 * time.Hour}}
	cfg := workedConfig(t, pool)
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSNone
	res, err := Run(cfg)
	require.NoError(t, err)
	high := res.Exposure[channel.High]
	assert.Equal(t, uint64(4), high.Pairs)
	assert.Equal(t, uint64(4), high.Censored)
	var censored []int64
	for _, b := range high.Hist.Bins {
		for range b.Censored {
			lo, _ := binRange(b.Index)
			censored = append(censored, lo)
		}
	}
	at := func(d time.Duration) int64 { lo, _ := binRange(binOf(int64(d / time.Second))); return lo }
	assert.Equal(t, []int64{at(6*24*time.Hour + 12*time.Hour + 10*time.Minute), at(6*24*time.Hour + 14*time.Hour + 55*time.Minute), at(13*24*time.Hour + 12*time.Hour), at(13*24*time.Hour + 12*time.Hour)}, censored)
	// For the SLA, node 3's pair is as old as A1: 13d12h at the end, as
	// the original nodes'.
	censored = censored[:0]
	for _, b := range high.SLAAges.Bins {
		for range b.Censored {
			lo, _ := binRange(b.Index)
			censored = append(censored, lo)
		}
	}
	assert.Equal(t, []int64{at(6*24*time.Hour + 12*time.Hour + 10*time.Minute), at(13*24*time.Hour + 12*time.Hour), at(13*24*time.Hour + 12*time.Hour), at(13*24*time.Hour + 12*time.Hour)}, censored)
	assert.Zero(t, res.Churn.Remediations)
}

func TestAutoscaleScaleDownDuringRollout(t *testing.T) {
	// Four nodes; the demand falls to 2 on Saturdays from 22:00, when the
	// window opens, and is 4 again at midnight. The rollout to R1 starts
	// at 22:00 (surge node ready 22:05): node 0 drains 22:05-22:08 and
	// reimages 22:08-22:15 (traced when it starts). At 22:10 two ready
	// nodes go, the newest first:
	// nodes 3 and 2, both still in the rollout's list. Node 1 follows node
	// 0 (22:15-22:25); the rollout skips the removed nodes, ends and
	// removes its surge node at 22:25. At 00:00 two nodes are requested;
	// they join at 00:05 booting R1.
	pool := workedPool("p", 4)
	pool.Autoscale = &Autoscale{Min: 2, Max: 4, Profile: Profile{Base: 4, Peak: 2, Days: []time.Weekday{time.Saturday}, Start: 22 * time.Hour, End: 24 * time.Hour}}
	cfg := workedConfig(t, pool)
	cfg.Horizon = 7 * 24 * time.Hour
	r, err := newRunner(cfg)
	require.NoError(t, err)
	last, ids := make([]cuts, len(r.nodes)), make([]int32, len(r.nodes))
	monotone := make([]bool, len(r.nodes))
	for i := range r.nodes {
		last[i], ids[i], monotone[i] = r.nodes[i].cuts, r.nodes[i].id, true
	}
	r.afterEvent = func() error { return r.checkInvariants(last, ids, monotone) }
	res, err := r.run()
	require.NoError(t, err)

	sun := plus(sat1, "2h")
	assert.Equal(t, []step{
		{"p", 0, ActDrain, plus(sat1, "5m"), plus(sat1, "8m")},
		{"p", 0, ActReimage, plus(sat1, "8m"), plus(sat1, "15m")},
		{"p", 3, ActRemove, plus(sat1, "10m"), plus(sat1, "10m")},
		{"p", 2, ActRemove, plus(sat1, "10m"), plus(sat1, "10m")},
		{"p", 1, ActDrain, plus(sat1, "15m"), plus(sat1, "18m")},
		{"p", 1, ActReimage, plus(sat1, "18m"), plus(sat1, "25m")},
		{"p", -1, ActSurge, sat1, plus(sat1, "25m")},
		{"p", 4, ActCreate, plus(sun, "5m"), plus(sun, "5m")},
		{"p", 5, ActCreate, plus(sun, "5m"), plus(sun, "5m")},
	}, steps(res))
	d := res.Disruption
	assert.Equal(t, [4]uint64{1, 0, 0, 2}, [4]uint64{d.Operations, d.Failed, d.Canceled, d.Reimages})
	assert.Equal(t, uint64(2*10+2*10), d.Evictions, "two drains and two scale-downs of 10 pods")
	// A1: fixed on nodes 0 and 1 by the rollout; nodes 2 and 3 left
	// holding it at 22:10, when the pool's image (R1 since 22:00) had its
	// fix: remediated by churn, censored in the distribution. Nodes 4 and 5
	// boot R1: no pair.
	high := res.Exposure[channel.High]
	assert.Equal(t, [3]uint64{4, 2, 2}, [3]uint64{high.Pairs, high.Remediated, high.Censored})
	assert.Equal(t, []Remediation{
		{Node: 0, Severity: channel.High, Published: aHigh, At: plus(sat1, "15m"), Stages: a1Stages(sat1, plus(sat1, "15m"))},
		{Node: 1, Severity: channel.High, Published: aHigh, At: plus(sat1, "25m"), Stages: a1Stages(sat1, plus(sat1, "25m"))},
	}, res.Remediations)
	assert.Equal(t, uint64(2), res.Churn.Remediations)
	assert.Equal(t, 0.5, res.Churn.Share)
	// One node down at a time, always with the surge node ready beside it.
	assert.Equal(t, 1.0, d.MinAvailableShare)
}

func TestAutoscaleValidate(t *testing.T) {
	pool := workedPool("p", 5)
	pool.Autoscale = &Autoscale{Min: 0, Max: 3, ScaleDownUnneeded: -time.Minute, Remove: 7,
		Profile:  Profile{Base: -1, Peak: 2, Days: []time.Weekday{9}, Start: 10 * time.Hour, End: 9 * time.Hour},
		Lifetime: Dist{Min: 59 * time.Minute, Mode: time.Hour, Max: 2 * time.Hour}}
	err := workedConfig(t, pool).Validate()
	require.Error(t, err)
	var paths []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		require.True(t, errors.As(e, &fe), "%v", e)
		paths = append(paths, fe.Path)
	}
	p := "clusters[0].pools[0]."
	assert.ElementsMatch(t, []string{p + "autoscale.min", p + "count", p + "autoscale.profile.base", p + "autoscale.profile.days[0]",
		p + "autoscale.profile.end", p + "autoscale.scaleDownUnneededTime", p + "autoscale.remove", p + "autoscale.lifetime.min"}, paths)
	assert.Contains(t, err.Error(), "clusters[0].pools[0].count: 5 is outside the autoscale range 0 to 3")
	assert.Contains(t, err.Error(), "clusters[0].pools[0].autoscale.lifetime.min: 59m0s is below the minimum 1h0m0s")
}

// TestAutoscalePeakHoursDefaults: an absent end of the peak hours is
// 18:00 and an absent start 08:00 when the end is absent too (a start
// alone keeps its value, so "start: 6h" is 06:00-18:00; an end alone
// starts the peak at midnight). Two nodes, a third at peak on Mondays:
// it joins 5 minutes after the peak starts and goes 10 minutes after it
// ends.
func TestAutoscalePeakHoursDefaults(t *testing.T) {
	for _, tc := range []struct {
		name          string
		start, end    time.Duration
		joins, leaves string
	}{
		{"neither", 0, 0, "8h5m", "18h10m"},
		{"start alone", 6 * time.Hour, 0, "6h5m", "18h10m"},
		{"end alone", 0, 12 * time.Hour, "5m", "12h10m"},
		{"both", 7 * time.Hour, 9 * time.Hour, "7h5m", "9h10m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := workedPool("p", 2)
			pool.Autoscale = &Autoscale{Min: 2, Max: 3, Profile: Profile{Base: 2, Peak: 3, Days: []time.Weekday{time.Monday}, Start: tc.start, End: tc.end}}
			cfg := workedConfig(t, pool)
			cfg.Clusters[0].NodeOSChannel = channel.NodeOSNone
			cfg.Horizon = 24 * time.Hour
			res, err := Run(cfg)
			require.NoError(t, err)
			life := lifeSteps(res)
			assert.Equal(t, []step{
				{"p", 2, ActCreate, plus(wStart, tc.joins), plus(wStart, tc.joins)},
				{"p", 2, ActRemove, plus(wStart, tc.leaves), plus(wStart, tc.leaves)},
			}, life)
		})
	}
	// A start alone after 18:00 is before the end it defaults to.
	pool := workedPool("p", 2)
	pool.Autoscale = &Autoscale{Min: 2, Max: 3, Profile: Profile{Base: 2, Peak: 3, Start: 20 * time.Hour}}
	assert.ErrorContains(t, workedConfig(t, pool).Validate(), "clusters[0].pools[0].autoscale.profile.end: 18h0m0s (the default) is outside (start 20h0m0s, 24h]")
}

// TestAutoscaleProfileOutsideRangeWarns: a profile whose demand min and max
// clamp to one size at every hour leaves the pool at that size, a warning
// on the run (valid, probably not meant); a profile that moves the pool,
// even capped at max at its peak, is none.
func TestAutoscaleProfileOutsideRangeWarns(t *testing.T) {
	for _, tc := range []struct {
		name       string
		base, peak int
		want       []string
	}{
		{"above max", 50, 60, []string{"fleet: cluster c: pool p: the autoscale profile's demand (base 50, peak 60 nodes) is outside min 2 to max 4 at every hour, so the pool stays at 4 nodes"}},
		{"below min", 0, 1, []string{"fleet: cluster c: pool p: the autoscale profile's demand (base 0, peak 1 nodes) is outside min 2 to max 4 at every hour, so the pool stays at 2 nodes"}},
		{"peak capped", 2, 60, nil},
		{"base floored", 0, 3, nil},
		{"constant inside", 3, 3, nil},
		{"no profile", 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := workedPool("p", 2)
			pool.Autoscale = &Autoscale{Min: 2, Max: 4, Profile: Profile{Base: tc.base, Peak: tc.peak}}
			res, err := Run(workedConfig(t, pool))
			require.NoError(t, err)
			assert.Equal(t, tc.want, res.Warnings)
		})
	}
}

func TestAutoscaleNodeMonthsOfALargePool(t *testing.T) {
	// 300 nodes at the start of a 365-day run and a demand of 1,000 all
	// the time: 700 nodes join after the 5-minute provisioning and stay.
	// Node-months: (300 x 365 d + 700 x (365 d - 5 min)) / (365.25/12 d),
	// products past 2^63 node-nanoseconds.
	pool := workedPool("p", 300)
	pool.Autoscale = &Autoscale{Min: 300, Max: 1000, Profile: Profile{Base: 1000, Peak: 1000}}
	cfg := workedConfig(t, pool)
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSNone
	cfg.Horizon = 365 * 24 * time.Hour
	res, err := Run(cfg)
	require.NoError(t, err)
	require.Equal(t, uint64(700), res.Churn.Created)
	monthHours := 365.25 / 12 * 24
	want := (300*cfg.Horizon.Hours() + 700*(cfg.Horizon-5*time.Minute).Hours()) / monthHours
	assert.InEpsilon(t, want, res.Churn.NodeMonths, 1e-12)
}

func TestAutoscaleProfileInUTCFromAnyStart(t *testing.T) {
	// The run starts Wednesday 2025-03-05 15:30 at UTC+05:30, 10:00 UTC,
	// for 8 days; the demand is 2 on Wednesdays and Thursdays 09:00-17:00
	// UTC, else 1. So it is 2 at the start: a node joins 10:05 UTC and
	// goes 17:10 (the unneeded time after 17:00; it is the newest), then
	// one each Thursday 03-06, Wednesday 03-12 and Thursday 03-13 at 09:05,
	// the last still there at the end (03-13 10:00 UTC).
	pool := workedPool("p", 1)
	pool.Autoscale = &Autoscale{Min: 1, Max: 2, Profile: Profile{Base: 1, Peak: 2,
		Days: []time.Weekday{time.Wednesday, time.Thursday}, Start: 9 * time.Hour, End: 17 * time.Hour}}
	cfg := workedConfig(t, pool)
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSNone
	cfg.Start = time.Date(2025, 3, 5, 15, 30, 0, 0, time.FixedZone("IST", 5*3600+1800))
	cfg.Horizon = 8 * 24 * time.Hour
	res, err := Run(cfg)
	require.NoError(t, err)
	utc := func(d int, hm string) time.Time { return plus(time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC), hm) }
	want := []step{
		{"p", 1, ActCreate, utc(5, "10h5m"), utc(5, "10h5m")},
		{"p", 1, ActRemove, utc(5, "17h10m"), utc(5, "17h10m")},
		{"p", 2, ActCreate, utc(6, "9h5m"), utc(6, "9h5m")},
		{"p", 2, ActRemove, utc(6, "17h10m"), utc(6, "17h10m")},
		{"p", 3, ActCreate, utc(12, "9h5m"), utc(12, "9h5m")},
		{"p", 3, ActRemove, utc(12, "17h10m"), utc(12, "17h10m")},
		{"p", 4, ActCreate, utc(13, "9h5m"), utc(13, "9h5m")},
	}
	life := lifeSteps(res)
	for i := range life {
		life[i].Start, life[i].End = life[i].Start.UTC(), life[i].End.UTC()
	}
	assert.Equal(t, want, life)
}

func TestAutoscaleSLAFromPublication(t *testing.T) {
	// One node, replaced when its lifetime of 56d22h10m ends (04-28
	// 22:10); its replacement joins 5 min later, C = Monday 04-28 22:15.
	// A (high, userspace) was published P = 03-19 22:15, 40 days before C,
	// and is in no image until R1 (cut 04-29, published 04-30): the
	// replacement boots R0 without A's fix. The Saturday 05-03 22:00
	// window's rollout reimages it onto R1: surge 22:00-22:05, drain to
	// 22:08, reimage to 22:15, so R = 05-03 22:15, 5 days after C.
	//   - its exposure is R - C = 5 d (it was not at risk before it
	//     existed), but its SLA age is R - P = 45 d: past the 30-day SLA
	//     at every instant it existed, not within it;
	//   - the first node held A from P to its removal: censored at 39d23h55m
	//     (exposure and SLA age alike), past the SLA from P + 30 d = 04-18
	//     22:15.
	// So within SLA is 0 (the rule from creation would give 0.5: the
	// event at 5 d among two pairs at risk); the nodes past SLA at a day's
	// start are the first on 04-19 to 04-28 and the replacement on 04-29 to
	// 05-03: 15 node-days of 68.
	p := time.Date(2025, 3, 19, 22, 15, 0, 0, time.UTC)
	c := time.Date(2025, 4, 28, 22, 15, 0, 0, time.UTC)
	fix := time.Date(2025, 5, 3, 22, 15, 0, 0, time.UTC)
	r0 := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	r1 := time.Date(2025, 4, 29, 0, 0, 0, 0, time.UTC)
	pool := workedPool("p", 1)
	pool.Autoscale = &Autoscale{Min: 1, Max: 1, Profile: Profile{Base: 1, Peak: 1}, Lifetime: Fixed(c.Sub(wStart) - 5*time.Minute)}
	cfg := workedConfig(t, pool)
	cfg.Horizon = 68 * 24 * time.Hour
	cfg.Upstream = &channel.Upstream{
		Advisories: []channel.Advisory{{ID: "A", Published: p, Severity: channel.High, Class: channel.Userspace}},
		NodeImages: channel.Stream{Name: "node-images", Releases: []channel.Release{
			{Version: "202502.20.0", Cut: r0, Built: r0, Published: r0.Add(24 * time.Hour)},
			{Version: "202504.29.0", Cut: r1, Built: r1, Published: r1.Add(24 * time.Hour)},
		}},
	}
	res, err := Run(cfg)
	require.NoError(t, err)
	require.Equal(t, []step{
		{"p", 0, ActRemove, plus(c, "-5m"), plus(c, "-5m")},
		{"p", 1, ActCreate, c, c},
	}, lifeSteps(res))
	require.Len(t, res.Remediations, 1)
	m := res.Remediations[0]
	assert.Equal(t, [3]time.Time{p, c, fix}, [3]time.Time{m.Published, m.Since, m.At})
	assert.Equal(t, 5*24*time.Hour, m.Exposure())

	high := res.Exposure[channel.High]
	assert.Equal(t, [3]uint64{2, 1, 1}, [3]uint64{high.Pairs, high.Remediated, high.Censored})
	assert.Equal(t, 5*24*time.Hour, high.Mean, "exposure from the creation")
	assert.Equal(t, 5*24*time.Hour, high.Max)
	assert.Zero(t, high.WithinSLA, "45 days from publication: past the 30-day SLA")
	held := 39*24*time.Hour + 23*time.Hour + 55*time.Minute
	assert.Equal(t, (held+5*24*time.Hour).Hours()/24, high.VulnerableNodeDays)
	at := func(d time.Duration) int { return binOf(int64(d / time.Second)) }
	assert.Equal(t, []Bin{{Index: at(5 * 24 * time.Hour), Events: 1}, {Index: at(held), Censored: 1}}, high.Hist.Bins)
	assert.Equal(t, []Bin{{Index: at(held), Censored: 1}, {Index: at(45 * 24 * time.Hour), Events: 1}}, high.SLAAges.Bins)
	assert.Equal(t, 45*24*time.Hour, high.SLAAges.Mean())
	assert.Equal(t, 45*24*time.Hour, high.SLAAges.Max())

	past := make([]float64, 68)
	for d := 47; d < 62; d++ { // 04-19 to 05-03
		past[d] = 1
	}
	assert.Equal(t, past, res.PastSLA)
	require.Len(t, res.Pools, 1)
	assert.Equal(t, [2]float64{15, 68}, [2]float64{res.Pools[0].PastSLANodeDays, res.Pools[0].NodeDays})
}
