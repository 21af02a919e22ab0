package report_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/channel"
	"github.com/patchsim/patchsim/fleet"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// handMade returns a small comparison whose every number is set here: three
// variants over plan.Metrics, with a quantile not reached within the
// horizon (+Inf) and a metric that does not apply (NaN).
func handMade() *plan.Comparison {
	const day = 24 * time.Hour
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	c := &plan.Comparison{
		Scenario: "hand-made", Hash: "0123", Seed: 7, Replications: 10,
		Start: start, End: start.AddDate(0, 0, 90),
		Objective: plan.Objective{Exposure: "critical.p95Days", Disruption: "reimagesPerNodeMonth"},
		Metrics:   plan.Metrics,
		Frontier:  []int{2, 1},
		SLA:       plan.SLA{Critical: plan.Duration(7 * day), High: plan.Duration(30 * day), Medium: plan.Duration(90 * day), Low: plan.Duration(180 * day)},
		Settle:    plan.Duration(15 * day),
	}
	lim := 30.0
	c.Constraints = []plan.Constraint{{Metric: "critical.p95Days", Max: &lim}}
	names := []string{"NodeImage", "SecurityPatch", "Unmanaged|win"}
	for v, name := range names {
		s := plan.Summary{Name: name}
		for m := range plan.Metrics {
			mean := 0.25*float64(m) + 1.5*float64(v)
			if plan.Metrics[m].Unit == "share" {
				mean = 0.01 * float64(m+v)
			}
			s.Stats = append(s.Stats, plan.Stat{N: 10, Mean: plan.Float(mean), SD: 0.5,
				Lo: plan.Float(mean * 0.9), Hi: plan.Float(mean * 1.1)})
			if v > 0 {
				d := 1.5 * float64(v)
				s.Diff = append(s.Diff, plan.Stat{N: 10, Mean: plan.Float(d), SD: 0.1,
					Lo: plan.Float(d - 0.25), Hi: plan.Float(d + 0.25)})
			}
		}
		c.Variants = append(c.Variants, s)
	}
	set := func(v int, key string, mean, lo, hi float64) {
		m := plan.MetricIndex(key)
		c.Variants[v].Stats[m] = plan.Stat{N: 10, Mean: plan.Float(mean), SD: 1, Lo: plan.Float(lo), Hi: plan.Float(hi)}
	}
	set(0, "critical.p95Days", 28.9, 28.1, 29.7)
	set(1, "critical.p95Days", 25.8, 25.0, 26.6)
	// Pooled quantiles: NodeImage's reached by 9 of 10 replications alone.
	c.Variants[0].Stats[plan.MetricIndex("critical.p95Days")].Pooled = &plan.Pooled{Value: 29.4, Lo: 28.0, Hi: 31.2}
	c.Variants[0].Stats[plan.MetricIndex("critical.p95Days")].Inf = 1
	c.Variants[0].Stats[plan.MetricIndex("critical.p95Days")].N = 9
	c.Variants[1].Stats[plan.MetricIndex("critical.p95Days")].Pooled = &plan.Pooled{Value: 26.1, Lo: 25.2, Hi: 27.0}
	set(0, "reimagesPerNodeMonth", 2.13, 2.11, 2.15)
	set(1, "reimagesPerNodeMonth", 1.51, 1.50, 1.53)
	set(2, "reimagesPerNodeMonth", 0, 0, 0)
	// Fixed-size pools: no churn.
	for v := range c.Variants {
		for _, k := range report.ChurnColumns {
			set(v, k, 0, 0, 0)
		}
	}
	inf, nan := plan.Float(math.Inf(1)), plan.Float(math.NaN())
	vnd := []plan.Float{1, 2, 0, 0}
	c.Variants[0].Pools = []plan.PoolSummary{
		{Cluster: "prod", Pool: "apps", Count: 3, PastSLAShare: 0.1, PastSLAPart: 0.25, VulnerableNodeDays: vnd, Operations: 4, Reimages: 12},
		{Cluster: "prod", Pool: "win", Count: 2, PastSLAShare: 0.45, PastSLAPart: 0.75, VulnerableNodeDays: vnd, Operations: 4, Failed: 2.5, BlockedDrains: 2.5},
	}
	c.Variants[1].Pools = []plan.PoolSummary{
		{Cluster: "prod", Pool: "apps", Count: 3, PastSLAShare: 0, PastSLAPart: nan, VulnerableNodeDays: vnd},
	}
	p95 := plan.MetricIndex("critical.p95Days")
	c.Variants[1].Diff[p95] = plan.Stat{N: 10, Mean: -3.1, SD: 1, Lo: -4.2, Hi: -2.0}
	c.Variants[2].Stats[p95] = plan.Stat{N: 3, Inf: 7, Mean: inf, SD: nan, Lo: inf, Hi: inf}
	c.Variants[2].Diff[p95] = plan.Stat{N: 3, Inf: 7, Mean: inf, SD: nan, Lo: inf, Hi: inf}
	high := plan.MetricIndex("high.p95Days")
	c.Variants[1].Stats[high] = plan.Stat{Mean: nan, SD: nan, Lo: nan, Hi: nan}
	c.Variants[1].Diff[high] = plan.Stat{Mean: nan, SD: nan, Lo: nan, Hi: nan}
	c.Variants[1].Grid = []plan.Setting{{Axis: "nodeOSUpgradeChannel", Value: "SecurityPatch"}, {Axis: "windowDay", Value: "Sunday"}}
	c.Variants[2].Grid = []plan.Setting{{Axis: "nodeOSUpgradeChannel", Value: "Unmanaged"}, {Axis: "maxSurge", Value: "33%"}}
	c.Variants[2].Warnings = []string{"channel: Unmanaged on a Windows pool behaves as None"}
	// Critical exposure by stage: SecurityPatch (recommended) 8 days, most
	// of it waiting for windows; NodeImage (runner-up) 16, most of it in
	// the regional rollout.
	for v, stages := range [][fleet.NumStages]float64{{2, 1, 6, 4.5, 0.5, 2}, {1, 1.5, 2, 3, 0.25, 0.25}} {
		total := 0.0
		for st, x := range stages {
			set(v, plan.ExposureKey(channel.Critical, fleet.Stage(st)), x, 0.9*x, 1.1*x)
			total += x
		}
		set(v, "critical.meanDays", total, 0.9*total, 1.1*total)
	}
	c.Recommendation = &plan.Recommendation{Best: 1, RunnerUp: 0, Feasible: []int{1, 0}, Tied: []int{0}, Closest: -1,
		Margin: &plan.Stat{N: 10, Mean: 3.1, SD: 1, Lo: 2.0, Hi: 4.2},
		Reason: "lowest critical.p95Days among 2 of 3 variants meeting critical.p95Days <= 30"}
	return c
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./report -update to create it")
	assert.Equal(t, string(want), string(got))
}

func TestTablesGolden(t *testing.T) {
	c := handMade()
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"text.golden", func(b *bytes.Buffer) error { return report.Text(b, c, report.Options{}) }},
		{"text-ci-diff.golden", func(b *bytes.Buffer) error { return report.Text(b, c, report.Options{CI: true, Diff: true}) }},
		{"markdown.golden", func(b *bytes.Buffer) error {
			return report.Markdown(b, c, report.Options{CI: true, Diff: true, Columns: []string{"critical.p95Days", "high.p95Days", "pastSLAShare"}})
		}},
		{"csv.golden", func(b *bytes.Buffer) error { return report.CSV(b, c) }},
		{"csv-wide.golden", func(b *bytes.Buffer) error { return report.WideCSV(b, c) }},
		{"csv-pools.golden", func(b *bytes.Buffer) error { return report.PoolCSV(b, c) }},
		{"json.golden", func(b *bytes.Buffer) error { return report.JSON(b, c) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, tc.write(&b))
			golden(t, tc.name, b.Bytes())
		})
	}
}

// TestChurnColumnsWhenNodesCreated checks that the default columns gain the
// autoscaler's when a variant created nodes, and only then.
func TestChurnColumnsWhenNodesCreated(t *testing.T) {
	c := handMade()
	var fixed bytes.Buffer
	require.NoError(t, report.Text(&fixed, c, report.Options{}))
	assert.NotContains(t, fixed.String(), "nodesCreated")
	c.Variants[1].Stats[plan.MetricIndex("nodesCreated")] = plan.Stat{N: 10, Mean: 420, Lo: 400, Hi: 440}
	c.Variants[1].Stats[plan.MetricIndex("churnShare")] = plan.Stat{N: 10, Mean: 0.125, Lo: 0.1, Hi: 0.15}
	var scaled bytes.Buffer
	require.NoError(t, report.Text(&scaled, c, report.Options{}))
	head := strings.SplitN(scaled.String(), "\nvariant ", 2)
	require.Len(t, head, 2)
	assert.Contains(t, head[1], "nodesCreated  nodesRemoved  churnShare")
	assert.Contains(t, scaled.String(), "420")
	assert.Contains(t, scaled.String(), "12.5%")
}

func TestInfAndNaN(t *testing.T) {
	c := handMade()
	opt := report.Options{CI: true, Diff: true, Columns: []string{"critical.p95Days", "high.p95Days"}}
	var text, md, csv bytes.Buffer
	require.NoError(t, report.Text(&text, c, opt))
	require.NoError(t, report.Markdown(&md, c, opt))
	require.NoError(t, report.CSV(&csv, c))
	rows := map[string]string{}
	for _, l := range strings.Split(text.String(), "\n") {
		f := strings.Fields(l)
		if len(f) > 0 {
			rows[f[0]] = l
		}
	}
	assert.Contains(t, rows["Unmanaged|win"], ">90d", "a +Inf quantile prints as beyond the 90-day horizon")
	assert.Contains(t, rows["SecurityPatch"], "n/a", "NaN prints as not applicable")
	assert.Contains(t, text.String(), "+inf", "a +Inf difference")
	assert.Contains(t, text.String(), ">90d: not reached within the 90-day horizon")
	assert.Contains(t, md.String(), `\>90d`)
	assert.Contains(t, md.String(), `Unmanaged\|win`)
	assert.Contains(t, csv.String(), "Unmanaged|win,critical.p95Days,days,3,7,+Inf,,+Inf,+Inf,,,,3,7,+Inf,,+Inf,+Inf,7,30,90,180,15\n")
	assert.Contains(t, csv.String(), "SecurityPatch,high.p95Days,days,0,0,,,,,,,,0,0,,,,,7,30,90,180,15\n")
	assert.Contains(t, rows["NodeImage"], "29.4 [28.0, 31.2] (10%)", "the pooled quantile, its interval and the share of replications that missed it")
	assert.Contains(t, text.String(), "(n%): the share of replications that did not reach the quantile")
	assert.Contains(t, text.String(), "Tied with SecurityPatch (a sign test over the paired replications finds no difference in critical.p95Days at 5%): NodeImage.")
	assert.Contains(t, text.String(), "SLA from publication: critical 7d, high 30d, medium 90d, low 180d; advisories published in the last 15.0 days of the run (settle)")
	assert.Contains(t, text.String(), "Recommendation: least critical.p95Days subject to critical.p95Days <= 30.")
	assert.Contains(t, text.String(), "Where critical exposure comes from (mean days, restricted to the horizon; stages in JSON and CSV): SecurityPatch 8.0, most waiting for a window or operation (3.0, 38%); NodeImage (runner-up) 16.0, most in the regional rollout (6.0, 38%).")
	assert.Contains(t, text.String(), "Why NodeImage: prod/win holds 75% of the node-days past SLA (its 2 nodes are past SLA 45% of days); prod/win fails 2.50 of the 2.50 failed operations a run.")
	assert.Contains(t, text.String(), "Why SecurityPatch: never past SLA.")
}

func TestDefaultColumnsAreMetrics(t *testing.T) {
	require.NotEmpty(t, report.DefaultColumns)
	for _, k := range report.DefaultColumns {
		assert.GreaterOrEqual(t, plan.MetricIndex(k), 0, "%q is not in plan.Metrics", k)
	}
}

func TestTableErrors(t *testing.T) {
	short := handMade()
	short.Variants[1].Stats = short.Variants[1].Stats[:3]
	for _, tc := range []struct {
		name  string
		write func(w *bytes.Buffer) error
		want  []string
	}{
		{"unknown columns, each named", func(w *bytes.Buffer) error {
			return report.Text(w, handMade(), report.Options{Columns: []string{"critical.p95Days", "nope", "p42"}})
		}, []string{`report: Options.Columns[1]: "nope" is not a metric`, `report: Options.Columns[2]: "p42" is not a metric`}},
		{"a column twice, with an unknown one", func(w *bytes.Buffer) error {
			return report.Markdown(w, handMade(), report.Options{Columns: []string{"critical.p95Days", "pastSLAShare", "critical.p95Days", "nope"}})
		}, []string{`report: Options.Columns[2]: "critical.p95Days" is also Columns[0]; list each metric once`, `report: Options.Columns[3]: "nope" is not a metric`}},
		{"no columns", func(w *bytes.Buffer) error {
			return report.Markdown(w, handMade(), report.Options{Columns: []string{}})
		},
			[]string{"report: Options.Columns: empty"}},
		{"nil comparison", func(w *bytes.Buffer) error { return report.Text(w, nil, report.Options{}) }, []string{"report: nil comparison"}},
		{"a variant short of stats", func(w *bytes.Buffer) error { return report.CSV(w, short) }, []string{`report: variants[1] ("SecurityPatch") has 3 stats`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write(&bytes.Buffer{})
			require.Error(t, err)
			for _, w := range tc.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
}

// TestNoRecommendation: without a recommendation the text gives the
// reason, and the closest variant's misses only when it has some.
func TestNoRecommendation(t *testing.T) {
	undefined := "no variant has a defined critical.p95Days (no critical advisory published before the settle period in any replication)"
	for _, tc := range []struct {
		name    string
		rec     plan.Recommendation
		want    []string
		notWant []string
	}{
		{"every variant misses", plan.Recommendation{Best: -1, RunnerUp: -1, Reason: "no variant meets critical.p95Days <= 1",
			Closest: 1, Misses: []plan.Miss{{Metric: "critical.p95Days", Bound: 1, Max: true, Value: 26.1, By: 25.1}}},
			[]string{"No recommendation: no variant meets critical.p95Days <= 1.\n",
				"Closest: SecurityPatch: critical.p95Days is 26.1 days against <= 1 (off by 25.1 days).\n"}, nil},
		{"the objective undefined everywhere", plan.Recommendation{Best: -1, RunnerUp: -1, Closest: -1, Reason: undefined},
			[]string{"No recommendation: " + undefined + ".\n"}, []string{"Closest"}},
		{"a race dropped every variant", plan.Recommendation{Best: -1, RunnerUp: -1, Closest: -1, Reason: "a race dropped every variant"},
			[]string{"No recommendation: a race dropped every variant.\n"}, []string{"Closest"}},
		{"a closest variant without misses", plan.Recommendation{Best: -1, RunnerUp: -1, Closest: 0, Reason: "a race dropped every variant"},
			[]string{"No recommendation: a race dropped every variant.\n"}, []string{"Closest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := handMade()
			c.Recommendation = &tc.rec
			c.Frontier = nil
			var b bytes.Buffer
			require.NoError(t, report.Text(&b, c, report.Options{}))
			for _, w := range tc.want {
				assert.Contains(t, b.String(), w)
			}
			for _, w := range tc.notWant {
				assert.NotContains(t, b.String(), w)
			}
			assert.Contains(t, b.String(), "reimagesPerNodeMonth): none.")
			assert.NotContains(t, b.String(), "meets no constraints")
		})
	}
}

func TestTablesDeterministicOnDefaultScenario(t *testing.T) {
	c := shortDefault(t)
	var a, b bytes.Buffer
	require.NoError(t, report.Text(&a, c, report.Options{CI: true, Diff: true}))
	require.NoError(t, report.Text(&b, c, report.Options{CI: true, Diff: true}))
	assert.Equal(t, a.String(), b.String())
	for _, v := range c.Variants {
		assert.Contains(t, a.String(), v.Name)
	}
}

// TestCSVCarrySLA reads each CSV as a spreadsheet would: every row names
// the SLA and settle period of the comparison it came from, by column.
func TestCSVCarrySLA(t *testing.T) {
	c := handMade()
	c.SLA.High = plan.Duration(14 * 24 * time.Hour)
	c.Settle = plan.Duration(36 * time.Hour)
	for name, write := range map[string]func(io.Writer, *plan.Comparison) error{
		"long": report.CSV, "wide": report.WideCSV, "pools": report.PoolCSV,
	} {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			require.NoError(t, write(&b, c))
			recs, err := csv.NewReader(&b).ReadAll()
			require.NoError(t, err)
			require.Greater(t, len(recs), 1)
			col := map[string]int{}
			for i, h := range recs[0] {
				col[h] = i
			}
			want := map[string]string{"sla.criticalDays": "7", "sla.highDays": "14", "sla.mediumDays": "90", "sla.lowDays": "180", "settleDays": "1.5"}
			for _, r := range recs[1:] {
				for k, v := range want {
					require.Contains(t, col, k)
					assert.Equal(t, v, r[col[k]], "row %v, column %s", r[:2], k)
				}
			}
		})
	}
}

// TestWhyTinyShares: a share past SLA that is not zero but rounds to 0% is
// "under 1%", and one that is not all but rounds to 100% "over 99%", so a
// Why line never says a pool holds 100% of days past SLA it is past SLA
// 0% of the time.
func TestWhyTinyShares(t *testing.T) {
	c := handMade()
	c.Variants[0].Pools[0].PastSLAShare, c.Variants[0].Pools[0].PastSLAPart = 0.0001, 0.0002
	c.Variants[0].Pools[1].PastSLAShare, c.Variants[0].Pools[1].PastSLAPart = 0.002, 0.9998
	var b bytes.Buffer
	require.NoError(t, report.Text(&b, c, report.Options{}))
	assert.Contains(t, b.String(), "Why NodeImage: prod/win holds over 99% of the node-days past SLA (its 2 nodes are past SLA under 1% of days)")
	c.Variants[0].Pools[1].PastSLAShare, c.Variants[0].Pools[1].PastSLAPart = 1, 1
	c.Variants[0].Pools[0].PastSLAPart = 0
	b.Reset()
	require.NoError(t, report.Text(&b, c, report.Options{}))
	assert.Contains(t, b.String(), "Why NodeImage: prod/win holds 100% of the node-days past SLA (its 2 nodes are past SLA 100% of days)")
}
