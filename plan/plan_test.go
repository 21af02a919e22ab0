package plan

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/window"
)

// small returns the default scenario cut down to run in a fraction of a
// second: 90 days, 6 replications.
func small(t *testing.T) *Scenario {
	t.Helper()
	s := Default()
	s.Horizon = Duration(90 * 24 * time.Hour)
	s.Replications = 6
	return s
}

func TestDefaultScenarioValidates(t *testing.T) {
	s := Default()
	require.NoError(t, s.Validate())
	vs, err := s.variants()
	require.NoError(t, err)
	var names []string
	for _, v := range vs {
		names = append(names, v.Name)
	}
	assert.Equal(t, []string{"NodeImage", "SecurityPatch", "Unmanaged", "None"}, names)
}

func TestCompareIdenticalForAnyWorkers(t *testing.T) {
	p, err := New(small(t))
	require.NoError(t, err)
	var out [][]byte
	for _, w := range []int{1, 2, 8} {
		c, err := p.Compare(context.Background(), Options{Workers: w, Distributions: true})
		require.NoError(t, err)
		b, err := json.Marshal(c)
		require.NoError(t, err)
		out = append(out, b)
	}
	assert.Equal(t, string(out[0]), string(out[1]))
	assert.Equal(t, string(out[0]), string(out[2]))
}

func TestCompareChannels(t *testing.T) {
	p, err := New(small(t))
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), Options{})
	require.NoError(t, err)
	get := func(v int, key string) Stat { return c.Variants[v].Stats[MetricIndex(key)] }
	ni, sp, um, none := 0, 1, 2, 3
	// NodeImage reimages more than SecurityPatch; Unmanaged and None never.
	assert.Greater(t, float64(get(ni, "reimagesPerNodeMonth").Mean), float64(get(sp, "reimagesPerNodeMonth").Mean))
	assert.Zero(t, float64(get(um, "reimagesPerNodeMonth").Mean))
	assert.Zero(t, float64(get(none, "reimagesPerNodeMonth").Mean))
	// Unmanaged installs userspace fixes nightly: half the medium pairs are
	// fixed within a day (its Windows pool, which behaves as None, keeps
	// the other half open).
	assert.Less(t, float64(get(um, "medium.p50Days").Value()), 1.0)
	// None leaves every measured pair open: the survival curve stays at 1,
	// so the restricted mean is the whole 90-day horizon.
	assert.Equal(t, 1.0, float64(get(none, "high.censored").Mean))
	assert.InDelta(t, 90.0, float64(get(none, "high.meanDays").Mean), 1e-9)
	assert.True(t, math.IsInf(float64(get(none, "high.p95Days").Mean), 1))
	// Paired differences against NodeImage exist for the others.
	assert.Empty(t, c.Variants[ni].Diff)
	require.Len(t, c.Variants[sp].Diff, len(Metrics))
	d := c.Variants[sp].Diff[MetricIndex("reimagesPerNodeMonth")]
	assert.Less(t, float64(d.Hi), 0.0, "SecurityPatch reimages significantly less (paired)")
	assert.Contains(t, c.Variants[sp].Warnings[0], "windowsFallback")
}

// The stages of each severity's mean exposure are metrics like any other:
// a mean over the replications with an interval inside [0, horizon], and
// their means add up to the mean exposure's. Where exposure comes from
// follows each channel: None never remediates, so all of it is never;
// NodeImage waits for windows; Unmanaged's userspace fixes wait for
// nothing but the nightly install, counted as its window.
func TestStagesAddUpToMeanExposure(t *testing.T) {
	p, err := New(small(t))
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), Options{})
	require.NoError(t, err)
	stage := func(v int, sev channel.Severity, st fleet.Stage) Stat {
		return c.Variants[v].Stats[MetricIndex(ExposureKey(sev, st))]
	}
	for v, s := range c.Variants {
		for sev := range channel.NumSeverities {
			mean := s.Stats[MetricIndex(channel.Severity(sev).String()+".meanDays")]
			if mean.N == 0 {
				continue
			}
			sum := 0.0
			for st := range fleet.NumStages {
				x := stage(v, channel.Severity(sev), st)
				require.Equal(t, mean.N, x.N, "%s %s", s.Name, ExposureKey(channel.Severity(sev), st))
				assert.GreaterOrEqual(t, float64(x.Lo), 0.0)
				assert.LessOrEqual(t, float64(x.Hi), 90.0)
				sum += float64(x.Mean)
			}
			assert.InDelta(t, float64(mean.Mean), sum, 1e-9, "%s %s", s.Name, channel.Severity(sev))
		}
	}
	ni, none := 0, 3
	assert.InDelta(t, 90.0, float64(stage(none, channel.High, fleet.StageNever).Mean), 1e-9)
	for st := range fleet.StageNever {
		assert.Zero(t, float64(stage(none, channel.High, st).Mean), "None: %s", st)
	}
	win := float64(stage(ni, channel.High, fleet.StageWindow).Mean)
	assert.Greater(t, win, float64(stage(ni, channel.High, fleet.StageRollout).Mean), "NodeImage waits longer for its window than it takes to roll out")
}

func TestSummarizeChecksPairs(t *testing.T) {
	s := small(t)
	s.Replications = 2
	p, err := New(s)
	require.NoError(t, err)
	pairs, err := p.Run(context.Background(), p.All(), Options{})
	require.NoError(t, err)
	_, err = p.Summarize(pairs[1:])
	assert.ErrorContains(t, err, "is missing")
	_, err = p.Summarize(append(pairs, pairs[0]))
	assert.ErrorContains(t, err, "appears twice")
	// Any order summarises the same.
	rev := make([]Pair, len(pairs))
	for i := range pairs {
		rev[len(pairs)-1-i] = pairs[i]
	}
	a, err := p.Summarize(pairs)
	require.NoError(t, err)
	b, err := p.Summarize(rev)
	require.NoError(t, err)
	ja, err := json.Marshal(a)
	require.NoError(t, err)
	jb, err := json.Marshal(b)
	require.NoError(t, err)
	assert.Equal(t, string(ja), string(jb))
}

func TestValidateNamesEveryProblem(t *testing.T) {
	yaml := `
name: bad
start: "2025-01-06T00:00:00Z"
horizon: 30d
replications: -1
clusters:
  - name: c
    region: westeurope
    nodeOSUpgradeChannel: Weekly
    maintenanceConfigurations:
      - name: aksManagedNodeOSUpgradeSchedule
        maintenanceWindow:
          schedule: {weekly: {intervalWeeks: 1, dayOfWeek: Sunday}}
          durationHours: 3
          startTime: "00:00"
    pools:
      - name: a
        count: 3
        upgradeSettings: {maxSurge: "150%"}
      - name: b
        count: 2
        osType: Solaris
        upgradeSettings: {undrainableNodeBehavior: Ignore}
variants:
  - name: x
    nodeOSUpgradeChannel: Sometimes
constraints:
  - metric: critical.p97Days
    max: 7
`
	s, err := Parse([]byte(yaml), "")
	require.NoError(t, err)
	err = s.Validate()
	require.Error(t, err)
	// Every problem, each once: the scenario's own fields, then each
	// cluster's conversion, then the fleet's rules, then the variants'.
	assert.Equal(t, []string{
		"plan: replications: -1 is outside 1 to 100000 (0 means 100)",
		`plan: constraints[0].metric: "critical.p97Days" is not a metric (` + metricList() + ")",
		`plan: clusters[0].nodeOSUpgradeChannel: node OS channel "Weekly": want one of None, Unmanaged, SecurityPatch, NodeImage (or empty for unset)`,
		"plan: clusters[0].maintenanceConfigurations[0].maintenanceWindow.durationHours: 3 is below the minimum 4",
		`plan: clusters[0].pools[1].osType: OS "Solaris": want one of Linux, Windows`,
		`plan: clusters[0].pools[1].upgradeSettings.undrainableNodeBehavior: "Ignore" is not one of Schedule, Cordon (any case)`,
		`plan: clusters[0].pools[0].upgradeSettings.maxSurge: "150%" is over 100%`,
		`plan: variants[0] (x) clusters[0].nodeOSUpgradeChannel: node OS channel "Sometimes": want one of None, Unmanaged, SecurityPatch, NodeImage (or empty for unset)`,
	}, strings.Split(err.Error(), "\n"))
	_, err = New(s)
	assert.Error(t, err, "nothing runs on invalid input")
}

func TestGridExpansion(t *testing.T) {
	g := Grid{NodeOSUpgradeChannel: []string{"NodeImage", "SecurityPatch"}, WindowDay: []string{"Sunday", "wed"}, WindowStartHour: []int{2}, MaxSurge: []string{"1", "33%"}}
	vs, errs := g.expand()
	require.Empty(t, errs)
	require.Len(t, vs, 8)
	assert.Equal(t, "channel=NodeImage day=Sun start=02:00 maxSurge=1", vs[0].Name)
	assert.Equal(t, "channel=NodeImage day=Sun start=02:00 maxSurge=33%", vs[1].Name)
	assert.Equal(t, "channel=SecurityPatch day=Wed start=02:00 maxSurge=33%", vs[7].Name)
	assert.Equal(t, windowEdit{day: "Wednesday", hour: 2, set: true}, vs[7].window)

	_, errs = (&Grid{WindowStartHour: []int{25}, WindowDay: []string{"Someday"}, WindowDurationHours: []int{3}, WindowStagger: []Duration{-1}}).expand()
	assert.Len(t, errs, 4)
}

// gridScenario has two clusters in different regions, each with its own
// local node OS window: tokyo Saturday 22:00 +09:00 for 4 hours with a
// year-end freeze, paris Sunday 02:30 +01:00 for 6 hours.
func gridScenario(t *testing.T, g Grid) *Scenario {
	t.Helper()
	s := small(t)
	s.Variants = nil
	tokyo := s.Clusters[0]
	tokyo.Name, tokyo.Region = "tokyo", "japaneast"
	tokyo.MaintenanceConfigurations = []window.MaintenanceConfiguration{{Name: window.NameNodeOSUpgrade, MaintenanceWindow: &window.MaintenanceWindow{
		Schedule:      window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: "Saturday"}},
		DurationHours: 4, StartTime: "22:00", UTCOffset: "+09:00",
		NotAllowedDates: []window.DateSpan{{Start: "2025-01-11", End: "2025-01-19"}},
	}}}
	paris := s.Clusters[0]
	paris.Name, paris.Region = "paris", "westeurope"
	paris.MaintenanceConfigurations = []window.MaintenanceConfiguration{{Name: window.NameNodeOSUpgrade, MaintenanceWindow: &window.MaintenanceWindow{
		Schedule:      window.Recurrence{Weekly: &window.WeeklySchedule{IntervalWeeks: 1, DayOfWeek: "Sunday"}},
		DurationHours: 6, StartTime: "02:30", UTCOffset: "+01:00",
	}}}
	s.Clusters = []Cluster{tokyo, paris}
	s.Grid = &g
	return s
}

// opens lists the first n node OS window openings of each cluster of
// variant v, in UTC.
func opens(t *testing.T, s *Scenario, v *Variant, n int) [][]time.Time {
	t.Helper()
	cl, err := s.fleetClusters(v)
	require.NoError(t, err)
	var out [][]time.Time
	for _, c := range cl {
		var ts []time.Time
		for iv := range window.Between(c.Maintenance.NodeOS, s.Start, s.Start.Add(60*24*time.Hour)) {
			if len(ts) < n {
				ts = append(ts, iv.Start.UTC())
			}
		}
		out = append(out, ts)
	}
	return out
}

func TestGridKeepsLocalTimeAndFreezes(t *testing.T) {
	s := gridScenario(t, Grid{WindowDay: []string{"Saturday"}, WindowStartHour: []int{22}})
	vs, err := s.variants()
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Equal(t, "baseline", vs[0].Name, "the scenario as it is comes first")
	// The cell Saturday 22:00 is tokyo's own window: same offset, same
	// freeze. Saturday 22:00 +09:00 is 13:00 UTC; the run starts Monday
	// 2025-01-06; 01-11 and 01-18 are frozen, so the first openings are
	// 01-25, 02-01. paris becomes Saturday 22:30 +01:00 (its minutes and
	// offset kept): 21:30 UTC on 01-11, 01-18, and 6 hours long.
	base, cell := opens(t, s, &vs[0], 2), opens(t, s, &vs[1], 2)
	utc := func(d string, hm string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", d+" "+hm)
		require.NoError(t, err)
		return v
	}
	assert.Equal(t, []time.Time{utc("2025-01-25", "13:00"), utc("2025-02-01", "13:00")}, cell[0])
	assert.Equal(t, base[0], cell[0], "tokyo's cell equals its baseline")
	assert.Equal(t, []time.Time{utc("2025-01-11", "21:30"), utc("2025-01-18", "21:30")}, cell[1])
	cl, err := s.fleetClusters(&vs[1])
	require.NoError(t, err)
	iv, ok := cl[1].Maintenance.NodeOS.Next(s.Start)
	require.True(t, ok)
	assert.Equal(t, 6*time.Hour, iv.End.Sub(iv.Start), "paris keeps its 6 hours")

	// Restricted to tokyo, the cell is the baseline: the same numbers.
	s.Grid.Clusters = []string{"tokyo"}
	p, err := New(s)
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), Options{})
	require.NoError(t, err)
	require.Len(t, c.Variants, 2)
	a, err := json.Marshal(c.Variants[0].Stats)
	require.NoError(t, err)
	b, err := json.Marshal(c.Variants[1].Stats)
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b), "NaN-tolerant comparison")
}

func TestGridStagger(t *testing.T) {
	s := gridScenario(t, Grid{Clusters: []string{"paris", "tokyo"}, WindowStagger: []Duration{Duration(23 * time.Hour)}})
	vs, err := s.variants()
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Equal(t, "stagger=23h0m0s", vs[1].Name)
	// Ring order is the grid's: paris 0 (unmoved: Sunday 02:30 +01:00 =
	// 01:30 UTC, first on 01-12), tokyo 1: Saturday 22:00 + 23 h = Sunday
	// 21:00 +09:00 = 12:00 UTC Sunday, 4 hours. The freeze (2025-01-11 to
	// 01-19 local) ends 01-20 00:00 +09:00 = 01-19 15:00 UTC: the 01-12
	// window is frozen, the 01-19 one opens for its last hour at 15:00 UTC;
	// then 01-26 12:00.
	got := opens(t, s, &vs[1], 2)
	assert.Equal(t, []time.Time{time.Date(2025, 1, 19, 15, 0, 0, 0, time.UTC), time.Date(2025, 1, 26, 12, 0, 0, 0, time.UTC)}, got[0])
	assert.Equal(t, []time.Time{time.Date(2025, 1, 12, 1, 30, 0, 0, time.UTC), time.Date(2025, 1, 19, 1, 30, 0, 0, time.UTC)}, got[1])

	// A monthly window on the Last Friday cannot follow a move past
	// midnight: the error names the cluster and the axis.
	s.Clusters[0].MaintenanceConfigurations[0].MaintenanceWindow.Schedule = window.Recurrence{RelativeMonthly: &window.RelativeMonthlySchedule{IntervalMonths: 1, DayOfWeek: "Friday", WeekIndex: "Last"}}
	err = s.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cluster tokyo: windowStagger")
}

func TestFrontierAndRecommendation(t *testing.T) {
	ex, dis := MetricIndex(DefaultExposure), MetricIndex(DefaultDisruption)
	c := &Comparison{Objective: Objective{Exposure: DefaultExposure, Disruption: DefaultDisruption}}
	pts := [][2]float64{{10, 2}, {8, 3}, {12, 1}, {11, 3}, {math.Inf(1), 0}}
	for _, p := range pts {
		st := make([]Stat, len(Metrics))
		st[ex].Mean, st[dis].Mean = Float(p[0]), Float(p[1])
		c.Variants = append(c.Variants, Summary{Stats: st})
	}
	assert.Equal(t, []int{4, 2, 0, 1}, c.frontier(), "(11,3) is dominated by (10,2) and (8,3)")
	max := 2.5
	c.Constraints = []Constraint{{Metric: DefaultDisruption, Max: &max}}
	grid := make([][]*Pair, len(pts))
	for v := range grid {
		vals := make([]Float, len(Metrics))
		vals[ex] = Float(pts[v][0])
		grid[v] = []*Pair{{Values: vals}}
	}
	r := c.recommend(grid, nil)
	assert.Equal(t, 0, r.Best, "lowest exposure with at most 2.5 reimages")
	assert.Equal(t, 2, r.RunnerUp)
	assert.Equal(t, Float(2), r.Margin.Mean)
}

func TestDuration(t *testing.T) {
	const day = 24 * time.Hour
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string // "" when in is valid
	}{
		{"7d", 7 * day, ""},
		{"36h", 36 * time.Hour, ""},
		{"1d12h", 36 * time.Hour, ""},
		{"90m", 90 * time.Minute, ""},
		{"0.5d", 12 * time.Hour, ""},
		{"-2d", -2 * day, ""},
		// The longest: 2^63-1 ns is 106,751 days 23 h 47 min 16.85 s.
		{"106751d23h", 106751*day + 23*time.Hour, ""},
		{"2562047h", 2562047 * time.Hour, ""},
		{"", 0, `"" is not a duration (want e.g. "7d", "36h", "1d12h")`},
		{"d", 0, `"d" is not a duration (want e.g. "7d", "36h", "1d12h")`},
		{"7days", 0, `"7days" is not a duration (want e.g. "7d", "36h", "1d12h")`},
		{"-", 0, `"-" is not a duration (want e.g. "7d", "36h", "1d12h")`},
		{"x1h", 0, `"x1h" is not a duration (want e.g. "7d", "36h", "1d12h")`},
		{"h", 0, `"h" is not a duration (want e.g. "7d", "36h", "1d12h")`},
		{"NaNd", 0, `"NaNd" is not a duration (want e.g. "7d", "36h", "1d12h")`},
		// Past the range: refused, never wrapped around.
		{"106752d", 0, `"106752d" is longer than the longest duration, about 106,751 days`},
		{"2562048h", 0, `"2562048h" is longer than the longest duration, about 106,751 days`},
		{"106751d24h", 0, `"106751d24h" is longer than the longest duration, about 106,751 days`},
		{"Infd", 0, `"Infd" is longer than the longest duration, about 106,751 days`},
	} {
		d, err := ParseDuration(tc.in)
		if tc.err != "" {
			assert.EqualError(t, err, tc.err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, d.D(), tc.in)
	}
	assert.Equal(t, "7d", Duration(7*day).String())
	assert.Equal(t, "1d12h0m0s", Duration(36*time.Hour).String())
}

func TestFloatJSON(t *testing.T) {
	third := 0.1
	in := []Float{1.5, Float(math.Inf(1)), Float(math.NaN()), Float(third + 0.2)}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.Equal(t, `[1.5,"+Inf",null,0.30000000000000004]`, string(b))
	var out []Float
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in[0], out[0])
	assert.True(t, math.IsInf(float64(out[1]), 1))
	assert.True(t, math.IsNaN(float64(out[2])))
	assert.Equal(t, in[3], out[3])
	assert.True(t, strings.HasPrefix(string(b), "["))
}

// A scenario replays 2024 with one line, and reads the shipped Ubuntu
// notice sample as its advisories as it is.
func TestHistoryScenario(t *testing.T) {
	s := Default()
	s.Start = time.Date(2024, 2, 5, 0, 0, 0, 0, time.UTC)
	s.Horizon = Duration(120 * 24 * time.Hour)
	s.Replications = 2
	s.Upstream.History = "2024"
	s.Upstream.AdvisoryTrace = "../docs/reference/data/ubuntu-usn-jammy-2024-podcast.csv"
	p, err := New(s)
	require.NoError(t, err)
	up, err := p.model.generate(s, 1)
	require.NoError(t, err)
	assert.Len(t, up.Advisories, 221-7, "every notice of the sample but the 7 without a priority")
	assert.Equal(t, "202401.03.0", up.NodeImages.Releases[0].Version, "the real images, from the lookback on")
	c, err := p.Compare(context.Background(), Options{})
	require.NoError(t, err)
	assert.Len(t, c.Variants, 4)

	for _, tc := range []struct {
		set  func(*Scenario)
		want string
	}{
		{func(s *Scenario) { s.Upstream.History = "2023" }, `plan: upstream.history: "2023": want one of 2024, 2025`},
		{func(s *Scenario) { s.Start = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC) }, `plan: upstream.history: "2024" replays 2024; start 2025-01-06T00:00:00Z is outside it`},
		{func(s *Scenario) { d := Duration(time.Hour); s.Upstream.NodeImageMeanGap = &d }, "plan: upstream.nodeImageMeanGap: is set, but history 2024 replays that stream"},
	} {
		bad := *s
		tc.set(&bad)
		assert.ErrorContains(t, bad.Validate(), tc.want)
	}
}

// Scenario files and imports share fleet's upgrade-settings rules: an
// explicit maxSurge "0" with maxUnavailable "0" is rejected (it used to run
// at the 10% default), as are maxUnavailable on a System pool and a drain
// timeout under 5 minutes.
func TestUpgradeSettingsRulesInScenarios(t *testing.T) {
	s := small(t)
	s.Clusters[0].Pools[0].UpgradeSettings = UpgradeSettings{MaxSurge: "0", MaxUnavailable: "0", DrainTimeoutInMinutes: 3}
	s.Clusters[0].Pools[1].Mode = "System"
	s.Clusters[0].Pools[1].UpgradeSettings = UpgradeSettings{MaxUnavailable: "1"}
	err := s.Validate()
	require.Error(t, err)
	for _, want := range []string{
		`clusters[0].pools[0].upgradeSettings.maxSurge: "0" with maxUnavailable "0": AKS requires maxSurge above 0 when maxUnavailable is 0`,
		"clusters[0].pools[0].upgradeSettings.drainTimeoutInMinutes: 3m0s is outside 5 to 1440 minutes",
		`clusters[0].pools[1].upgradeSettings.maxUnavailable: "1" is not allowed on a System pool`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}

// The expedited path, switched on for every high advisory under
// SecurityPatch, shortens SecurityPatch's high exposure on the same draws;
// NodeImage, which does not expedite here, does not move.
func TestExpediteScenario(t *testing.T) {
	s := small(t)
	run := func(s *Scenario) *Comparison {
		p, err := New(s)
		require.NoError(t, err)
		c, err := p.Compare(context.Background(), Options{})
		require.NoError(t, err)
		return c
	}
	base := run(s)
	s.Upstream.Expedite = &Expedite{Severity: "high", Probability: 1, Within: Duration(24 * time.Hour)}
	fast := run(s)
	m := MetricIndex("high.meanDays")
	assert.Less(t, float64(fast.Variants[1].Stats[m].Value()), float64(base.Variants[1].Stats[m].Value()), "SecurityPatch")
	assert.Equal(t, base.Variants[0].Stats[m], fast.Variants[0].Stats[m], "NodeImage")

	s.Upstream.Expedite = &Expedite{Severity: "urgent", Probability: 0, Within: -1, Streams: []string{"Windows"}}
	err := s.Validate()
	for _, want := range []string{
		`plan: upstream.expedite.severity: severity "urgent": want one of critical, high, medium, low`,
		"plan: upstream.expedite.probability: 0: want a share in (0, 1]",
		"plan: upstream.expedite.within: -1ns must not be negative",
		`plan: upstream.expedite.streams[0]: "Windows" is not one of SecurityPatch, NodeImage (any case)`,
	} {
		assert.ErrorContains(t, err, want)
	}
}

// A node image trace that names each image's kernel brings its kernels:
// the kernel releases are the first builds of each kernel in the trace,
// not a generated cadence.
func TestNodeImageTraceKernels(t *testing.T) {
	s := small(t)
	s.Upstream.NodeImageTrace = "../docs/reference/data/aks-ubuntu2204-image-kernels-2024-2025.csv"
	p, err := New(s)
	require.NoError(t, err)
	up, err := p.model.generate(s, 1)
	require.NoError(t, err)
	require.NotEmpty(t, up.Kernels)
	firstBuild := map[time.Time]bool{}
	prev := ""
	for _, e := range p.model.cfg.NodeImages.Cadence.Trace {
		if e.Kernel != prev {
			firstBuild[e.Built] = true
		}
		prev = e.Kernel
	}
	for _, k := range up.Kernels {
		assert.True(t, firstBuild[k], "kernel released at %v, the first build of a kernel", k)
	}
	d := Duration(19 * 24 * time.Hour)
	s.Upstream.KernelEvery = &d
	assert.ErrorContains(t, s.Validate(), "plan: upstream.kernelEvery: is set, but nodeImageTrace names the kernel of each image")
}

// comparisonOf returns a comparison of variants whose objective values
// (critical.meanDays exposure, reimagesPerNodeMonth disruption) and
// minAvailableShare are given, one replication each, under cons.
func comparisonOf(vals [][3]float64, cons []Constraint) (*Comparison, [][]*Pair) {
	ex, dis, share := MetricIndex("critical.meanDays"), MetricIndex("reimagesPerNodeMonth"), MetricIndex("minAvailableShare")
	c := &Comparison{Objective: Objective{Exposure: "critical.meanDays", Disruption: "reimagesPerNodeMonth"}, Constraints: cons}
	grid := make([][]*Pair, len(vals))
	for v, x := range vals {
		st := make([]Stat, len(Metrics))
		pv := make([]Float, len(Metrics))
		for i, m := range []int{ex, dis, share} {
			st[m].Mean, pv[m] = Float(x[i]), Float(x[i])
		}
		c.Variants = append(c.Variants, Summary{Name: string(rune('A' + v)), Stats: st})
		grid[v] = []*Pair{{Values: pv}}
	}
	return c, grid
}

// TestClosestMissesByRelativeDistance: with no variant feasible, the
// closest is the one whose misses, each relative to its bound, sum least;
// a value not reached or undefined misses by +Inf.
func TestClosestMissesByRelativeDistance(t *testing.T) {
	five, nine := 5.0, 0.9
	cons := []Constraint{{Metric: "critical.meanDays", Max: &five}, {Metric: "minAvailableShare", Min: &nine}}
	inf, nan := math.Inf(1), math.NaN()
	c, grid := comparisonOf([][3]float64{
		{6, 1, 0.95},   // 1/5 = 0.2
		{4, 1, 0.8},    // 0.1/0.9 = 0.111
		{5.5, 1, 0.85}, // 0.5/5 + 0.05/0.9 = 0.156
		{nan, 1, 1},    // +Inf
		{inf, 1, 1},    // +Inf
	}, cons)
	r := c.recommend(grid, nil)
	assert.Equal(t, -1, r.Best)
	assert.Equal(t, -1, r.RunnerUp)
	assert.Empty(t, r.Feasible)
	assert.Equal(t, "no variant meets critical.meanDays <= 5, minAvailableShare >= 0.9", r.Reason)
	assert.Equal(t, 1, r.Closest)
	require.Len(t, r.Misses, 1)
	m := r.Misses[0]
	assert.Equal(t, "minAvailableShare", m.Metric)
	assert.False(t, m.Max, "a minimum")
	assert.Equal(t, []float64{0.9, 0.8}, []float64{m.Bound, float64(m.Value)})
	assert.InDelta(t, 0.1, float64(m.By), 1e-12)
	for v, want := range map[int][]float64{0: {1}, 2: {0.5, 0.05}, 3: {inf}, 4: {inf}} {
		ms, _ := c.misses(v)
		var by []float64
		for _, m := range ms {
			by = append(by, float64(m.By))
		}
		assert.InDeltaSlice(t, want, by, 1e-12, "variant %d", v)
	}
}

// TestFeasibleOrder: the feasible variants in order of exposure, equal
// exposure by disruption; a variant with an undefined exposure is never
// recommended; the runner-up's margin is paired.
func TestFeasibleOrder(t *testing.T) {
	nine := 0.9
	c, grid := comparisonOf([][3]float64{
		{3, 2, 0.95},
		{3, 1, 0.95},
		{2, 5, 0.5}, // lowest exposure, but too little capacity left
		{math.NaN(), 0, 1},
		{4, 0, 0.9}, // on the bound: feasible
	}, []Constraint{{Metric: "minAvailableShare", Min: &nine}})
	r := c.recommend(grid, nil)
	assert.Equal(t, []int{1, 0, 4}, r.Feasible)
	assert.Equal(t, 1, r.Best)
	assert.Equal(t, 0, r.RunnerUp)
	assert.Equal(t, Float(0), r.Margin.Mean, "3 - 3")
	assert.Equal(t, "lowest critical.meanDays among 3 of 5 variants meeting minAvailableShare >= 0.9", r.Reason)
	assert.Equal(t, -1, r.Closest)
	// Only eligible variants (a race's survivors) can be recommended.
	r = c.recommend(grid, []bool{true, false, true, true, true})
	assert.Equal(t, []int{0, 4}, r.Feasible)
	assert.Equal(t, Float(1), r.Margin.Mean, "4 - 3")
	// The frontier of (exposure, disruption): (2,5), (3,1), (4,0); (3,2)
	// is beaten by (3,1); the undefined one is left out.
	assert.Equal(t, []int{4, 1, 2}, c.frontier())
}

// TestUpgradeSettingsOf: ARM's writing of the fleet's settings reads back
// to the same settings; durations are whole minutes, as ARM has them.
func TestUpgradeSettingsOf(t *testing.T) {
	for _, tc := range []struct {
		in  fleet.UpgradeSettings
		arm UpgradeSettings
	}{
		{fleet.UpgradeSettings{}, UpgradeSettings{UndrainableNodeBehavior: "Schedule"}},
		{fleet.UpgradeSettings{MaxSurge: fleet.Percent(33), MaxUnavailable: fleet.Nodes(1), MaxBlockedNodes: fleet.Nodes(2),
			DrainTimeout: 45 * time.Minute, NodeSoak: 5 * time.Minute, Undrainable: fleet.UndrainableCordon},
			UpgradeSettings{MaxSurge: "33%", MaxUnavailable: "1", MaxBlockedNodes: "2", DrainTimeoutInMinutes: 45, NodeSoakDurationInMinutes: 5, UndrainableNodeBehavior: "Cordon"}},
		{fleet.UpgradeSettings{MaxSurge: fleet.Nodes(0), MaxUnavailable: fleet.Percent(100)},
			UpgradeSettings{MaxSurge: "0", MaxUnavailable: "100%", UndrainableNodeBehavior: "Schedule"}},
	} {
		arm := UpgradeSettingsOf(tc.in)
		assert.Equal(t, tc.arm, arm)
		back, errs := arm.Settings()
		assert.Empty(t, errs)
		assert.Equal(t, tc.in, back, "%+v reads back", arm)
	}
	assert.Equal(t, 1, UpgradeSettingsOf(fleet.UpgradeSettings{DrainTimeout: 90 * time.Second}).DrainTimeoutInMinutes, "90 s is written as 1 minute")
}
