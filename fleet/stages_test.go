package fleet

import (
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
)

// TestWorkedStages splits the exposure of a small fleet into stages by
// hand. The run starts Monday 2025-03-03 00:00 UTC and lasts 14 days (to
// 03-17 00:00); the window opens Saturdays 22:00-02:00 (sat1 = 03-08
// 22:00). Node images, regional rollout off (every region at publication,
// but never before an earlier release, channel.Stream.Available):
//
//	R0  cut 02-20 00:00  published 02-21 00:00  (every node runs it at the start)
//	R1  cut 03-04 00:00  published 03-06 00:00  available 03-06 00:00
//	R2  cut 03-05 00:00  published 03-05 06:00  available 03-06 00:00 (R1 publishes later)
//
// Four high userspace advisories, on each of three nodes (pool a: node 0;
// pool b: nodes 1 and 2), so 12 pairs:
//
//	A1  03-03 12:00  first in R1: cut 12 h, build 48 h, region 0
//	A2  03-04 06:00  first in R2: cut 18 h, build 6 h, region 18 h
//	A3  03-13 00:00  in no release: censored at 4 d, before any pair is remediated
//	A4  03-06 12:00  in no release: censored at 10 d 12 h, after every remediation
//
// On sat1 the operation starts at 22:00 and reimages every node onto R2:
// pool a first (surge 22:00-22:05, node 0 drains 22:05-22:08 and reimages
// 22:08-22:15), then pool b (surge 22:15-22:20, node 1 22:20-22:30, node 2
// 22:30-22:40). Window: 03-06 00:00 to 22:00 on 03-08 = 70 h for A1 and
// A2; rollout 15, 30 and 40 min, pool b's including the 15 min behind
// pool a.
//
// Restricted mean (Kaplan-Meier to the 14-day horizon): A3's three pairs
// leave the risk set at 4 d, so each of the six remediated pairs weighs
// 1/9, and the survival left after them, 3/9, counts the horizon: never =
// 14 d / 3 = 112 h. Per stage, over 9:
//
//	cut      (3x12 h + 3x18 h) / 9          = 10 h
//	build    (3x48 h + 3x6 h) / 9           = 18 h
//	region   (3x18 h) / 9                   = 6 h
//	window   (6x70 h) / 9                   = 46 h 40 min
//	rollout  2x(15+30+40) min / 9           = 18 min 53.333 s
//	never                                   = 112 h
//	total                                   = 192 h 58 min 53.333 s
func TestWorkedStages(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, time.UTC) }
	r0 := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	up := &channel.Upstream{
		Advisories: []channel.Advisory{
			{ID: "A1", Published: at(3, 12), Severity: channel.High, Class: channel.Userspace},
			{ID: "A2", Published: at(4, 6), Severity: channel.High, Class: channel.Userspace},
			{ID: "A3", Published: at(13, 0), Severity: channel.High, Class: channel.Userspace},
			{ID: "A4", Published: at(6, 12), Severity: channel.High, Class: channel.Userspace},
		},
		NodeImages: channel.Stream{Name: "node-images", Releases: []channel.Release{
			{Version: "R0", Cut: r0, Built: r0, Published: r0.Add(24 * time.Hour)},
			{Version: "R1", Cut: at(4, 0), Built: at(4, 0), Published: at(6, 0)},
			{Version: "R2", Cut: at(5, 0), Built: at(5, 0), Published: at(5, 6)},
		}},
	}
	require.Equal(t, at(6, 0), up.NodeImages.Available(2, "westeurope"), "R2 reaches the region with R1")
	cfg := workedConfig(t, workedPool("a", 1), workedPool("b", 2))
	cfg.Upstream = up
	res, err := Run(cfg)
	require.NoError(t, err)

	h := time.Hour
	a1 := Stages{StageCut: 12 * h, StageBuild: 48 * h, StageWindow: 70 * h}
	a2 := Stages{StageCut: 18 * h, StageBuild: 6 * h, StageRegion: 18 * h, StageWindow: 70 * h}
	with := func(s Stages, rollout string) Stages {
		d, err := time.ParseDuration(rollout)
		require.NoError(t, err)
		s[StageRollout] = d
		return s
	}
	want := []Remediation{
		{Node: 0, Severity: channel.High, Published: at(3, 12), At: plus(sat1, "15m"), Stages: with(a1, "15m")},
		{Node: 0, Severity: channel.High, Published: at(4, 6), At: plus(sat1, "15m"), Stages: with(a2, "15m")},
		{Node: 1, Severity: channel.High, Published: at(3, 12), At: plus(sat1, "30m"), Stages: with(a1, "30m")},
		{Node: 1, Severity: channel.High, Published: at(4, 6), At: plus(sat1, "30m"), Stages: with(a2, "30m")},
		{Node: 2, Severity: channel.High, Published: at(3, 12), At: plus(sat1, "40m"), Stages: with(a1, "40m")},
		{Node: 2, Severity: channel.High, Published: at(4, 6), At: plus(sat1, "40m"), Stages: with(a2, "40m")},
	}
	assert.Equal(t, want, res.Remediations)

	e := res.Exposure[channel.High]
	require.Equal(t, [2]uint64{6, 6}, [2]uint64{e.Remediated, e.Censored})
	rollout := 2 * (15 + 30 + 40) * time.Minute
	wantStages := Stages{
		StageCut: 10 * h, StageBuild: 18 * h, StageRegion: 6 * h, StageWindow: 46*h + 40*time.Minute,
		StageRollout: rollout / 9, StageNever: 112 * h,
	}
	for k := range NumStages {
		// rollout/9 is 18 min 53.333 s: to the nanosecond.
		assert.InDelta(t, float64(wantStages[k]), float64(e.Stages[k]), 1, "%s", Stage(k))
	}
	assert.Equal(t, e.Stages.Total(), e.RestrictedMean, "the stages add up to the restricted mean")
	assert.InDelta(t, float64(192*h+58*time.Minute+53*time.Second+time.Second/3), float64(e.RestrictedMean), 2)

	// The same mean from the public trace alone: every (node, advisory)
	// pair, remediated at its traced instant or censored at the horizon,
	// through the Kaplan-Meier restricted mean.
	assert.InDelta(t, float64(traceRestrictedMean(cfg, res, channel.High)), float64(e.RestrictedMean), 2)
	// The histogram's estimate (bin values, not exact exposures) is within
	// its 0.8%.
	assert.InEpsilon(t, float64(e.Hist.RestrictedMean(cfg.Horizon)), float64(e.RestrictedMean), 0.008)
}

// traceRestrictedMean computes the Kaplan-Meier restricted mean to the
// horizon of sev's exposure from cfg and the trace alone: one pair per
// (pool node, advisory of its OS published in the measured span), its
// value At - Published when the trace remediates it, else censored at the
// end of the run; a censored value tied with a remediated one stays at
// risk through it.
func traceRestrictedMean(cfg Config, res *Result, sev channel.Severity) time.Duration {
	type key struct {
		node int32
		pub  time.Time
		cl   channel.Class
	}
	fixed := map[key]time.Time{}
	for _, m := range res.Remediations {
		fixed[key{m.Node, m.Published, m.Class}] = m.At
	}
	end := cfg.Start.Add(cfg.Horizon)
	measured := end.Add(-cfg.Settle)
	type value struct {
		d        time.Duration
		censored bool
	}
	var vs []value
	node := int32(0)
	for _, cl := range cfg.Clusters {
		for _, p := range cl.Pools {
			for range p.Count {
				for _, a := range cfg.Upstream.Advisories {
					if a.Severity != sev || a.OS != p.OS || a.Published.Before(cfg.Start) || !a.Published.Before(measured) {
						continue
					}
					if t, ok := fixed[key{node, a.Published, a.Class}]; ok {
						vs = append(vs, value{t.Sub(a.Published), false})
					} else {
						vs = append(vs, value{end.Sub(a.Published), true})
					}
				}
				node++
			}
		}
	}
	sort.Slice(vs, func(i, j int) bool {
		if vs[i].d != vs[j].d {
			return vs[i].d < vs[j].d
		}
		return !vs[i].censored && vs[j].censored
	})
	s, area, prev := 1.0, 0.0, 0.0
	atRisk := float64(len(vs))
	for _, v := range vs {
		if !v.censored {
			area += s * (float64(v.d) - prev)
			prev = float64(v.d)
			s *= 1 - 1/atRisk
		}
		atRisk--
	}
	area += s * (float64(cfg.Horizon) - prev)
	return time.Duration(area)
}

// checkStages checks the stage decomposition of a traced run from its
// public trace: every remediation's stages are non-negative and add up
// to its exposure exactly, and each severity's stage means are the
// remediations' stages weighted by the Kaplan-Meier weights of their bins
// in the published histogram, with the survival left counting the horizon
// as never; they add up to RestrictedMean.
func checkStages(t *testing.T, cfg Config, res *Result) {
	t.Helper()
	var sums [channel.NumSeverities]map[int]*[NumStages]float64
	for s := range sums {
		sums[s] = map[int]*[NumStages]float64{}
	}
	for _, m := range res.Remediations {
		for k, d := range m.Stages {
			require.GreaterOrEqual(t, d, time.Duration(0), "%s of %+v", Stage(k), m)
		}
		require.Equal(t, m.Exposure(), m.Stages.Total(), "the stages of %+v add up to its exposure", m)
		require.Zero(t, m.Stages[StageNever])
		b := binOf(seconds(m.Exposure()))
		if sums[m.Severity][b] == nil {
			sums[m.Severity][b] = new([NumStages]float64)
		}
		for k, d := range m.Stages {
			sums[m.Severity][b][k] += float64(d)
		}
	}
	for s, e := range res.Exposure {
		var want [NumStages]float64
		surv, atRisk := 1.0, float64(e.Hist.Total())
		for _, b := range e.Hist.Bins {
			if b.Events > 0 {
				w := surv / atRisk
				for k, x := range sums[s][b.Index] {
					want[k] += w * x
				}
				surv *= 1 - float64(b.Events)/atRisk
			}
			atRisk -= float64(b.Events + b.Censored)
		}
		if e.Hist.Total() > 0 {
			want[StageNever] = surv * float64(cfg.Horizon)
		}
		for k := range NumStages {
			assert.InDelta(t, want[k], float64(e.Stages[k]), 1e-9*float64(cfg.Horizon), "%s %s", channel.Severity(s), Stage(k))
		}
		assert.Equal(t, e.Stages.Total(), e.RestrictedMean)
		if e.Censored == 0 && e.Remediated > 0 {
			assert.InDelta(t, float64(e.Hist.Sum)*float64(time.Second)/float64(e.Remediated), float64(e.RestrictedMean), 1e-6*float64(e.RestrictedMean),
				"without censoring the restricted mean is the mean")
		}
		if e.Pairs > 0 {
			assert.InEpsilon(t, float64(e.Hist.RestrictedMean(cfg.Horizon))+1, float64(e.RestrictedMean)+1, 0.008, "the histogram's restricted mean, on bin values")
		}
	}
}

// TestStagesUnmanaged reads the stages of Unmanaged's pairs against the
// public trace: a userspace fix waits only for the node's nightly install
// (the archive publishes it with the advisory), all of it StageWindow; a
// kernel fix waits for the kernel's release (StageCut), then for the
// install and kured's reboot to start (StageWindow), then the drain and
// reboot (StageRollout).
func TestStagesUnmanaged(t *testing.T) {
	at := func(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, time.UTC) }
	kernel := at(5, 0)
	up := &channel.Upstream{
		Advisories: []channel.Advisory{
			{ID: "U", Published: at(3, 12), Severity: channel.High, Class: channel.Userspace},
			{ID: "K", Published: at(4, 0), Severity: channel.High, Class: channel.Kernel},
		},
		Kernels: []time.Time{time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), kernel},
	}
	cfg := workedConfig(t, workedPool("p", 2))
	cfg.Upstream = up
	cfg.Clusters[0].NodeOSChannel = channel.NodeOSUnmanaged
	cfg.Clusters[0].Kured = &Kured{Reboot: Fixed(4 * time.Minute)}
	res, err := Run(cfg)
	require.NoError(t, err)

	installs := map[int][]time.Time{}
	reboots := map[int][]Action{}
	for _, a := range res.Actions {
		switch a.Kind {
		case ActInstall:
			installs[a.Node] = append(installs[a.Node], a.Start)
		case ActReboot:
			reboots[a.Node] = append(reboots[a.Node], a)
		}
	}
	firstAfter := func(ts []time.Time, t0 time.Time) time.Time {
		for _, t := range ts {
			if t.After(t0) {
				return t
			}
		}
		return time.Time{}
	}
	require.Len(t, res.Remediations, 4, "both advisories on both nodes")
	for _, m := range res.Remediations {
		n := int(m.Node)
		switch m.Class {
		case channel.Userspace:
			assert.Equal(t, firstAfter(installs[n], m.Published), m.At, "the first install after publication")
			assert.Equal(t, Stages{StageWindow: m.At.Sub(m.Published)}, m.Stages)
		case channel.Kernel:
			require.Len(t, reboots[n], 1)
			rb := reboots[n][0]
			assert.True(t, rb.Start.After(firstAfter(installs[n], kernel)), "kured reboots after the install of the kernel")
			assert.Equal(t, rb.End, m.At)
			assert.Equal(t, Stages{StageCut: kernel.Sub(m.Published), StageWindow: rb.Start.Sub(kernel), StageRollout: rb.End.Sub(rb.Start)}, m.Stages)
		}
	}
	checkStages(t, cfg, res)
}

// The per-bin stage sums carry past 64 bits: five stages of 2^62 ns sum
// to 1.25 x 2^64 in one bin, exactly, whatever the order.
func TestStageSumsCarry(t *testing.T) {
	var a accumulator
	big := time.Duration(1 << 62)
	st := [numTimed]time.Duration{big, 1, 0, 0, 0}
	for range 5 {
		a.addStages(3, &st)
	}
	assert.Equal(t, 5*0x1p62, a.stages.sum(3, 0))
	assert.Equal(t, 5.0, a.stages.sum(3, 1))
	assert.Zero(t, a.stages.sum(3, 2))
	assert.Zero(t, a.stages.sum(7, 0), "a bin past the last")
	assert.Equal(t, uint64(1), a.stages.hi[3][0], "one carry")
	a.releaseStages()
	assert.Nil(t, a.stages)
}
