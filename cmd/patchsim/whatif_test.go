package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
)

// cli runs patchsim in-process.
func cli(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestDefaultIsDeterministic(t *testing.T) {
	code, first, stderr := cli("--replications", "10", "--workers", "1")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr, "no progress bar when stderr is not a terminal")
	for _, name := range plan.Default().Variants {
		assert.Contains(t, first, name.Name)
	}
	for _, args := range [][]string{
		{"--replications", "10", "--workers", "1"},
		{"--replications", "10", "--workers", "2"},
		{"run", "--replications", "10", "--workers", "2"},
	} {
		code, again, _ := cli(args...)
		require.Equal(t, 0, code)
		assert.Equal(t, first, again, "patchsim %s", strings.Join(args, " "))
	}
}

func TestRunFormats(t *testing.T) {
	base := []string{"--replications", "3", "--seed", "5"}
	code, text, stderr := cli(append([]string{"run"}, base...)...)
	require.Equal(t, 0, code, stderr)
	code, cmp, _ := cli(append([]string{"compare"}, base...)...)
	require.Equal(t, 0, code)
	assert.NotEqual(t, text, cmp, "compare adds intervals and differences")

	code, js, _ := cli(append([]string{"run", "--json"}, base...)...)
	require.Equal(t, 0, code)
	assert.Contains(t, js, `"seed": 5`)
	assert.Contains(t, js, `"replications": 3`)

	code, csv, _ := cli(append([]string{"run", "--csv"}, base...)...)
	require.Equal(t, 0, code)
	assert.Contains(t, csv, "SecurityPatch")
	assert.Contains(t, csv, ",")

	code, md, _ := cli(append([]string{"run", "--markdown"}, base...)...)
	require.Equal(t, 0, code)
	assert.Contains(t, md, "|")

	code, other, _ := cli("run", "--replications", "3", "--seed", "6")
	require.Equal(t, 0, code)
	assert.NotEqual(t, text, other, "--seed changes the numbers")
}

func TestBadScenarioNamesEveryField(t *testing.T) {
	for _, cmd := range []string{"run", "compare", "sweep", "plot"} {
		t.Run(cmd, func(t *testing.T) {
			args := []string{cmd, "testdata/bad-scenario.yaml"}
			if cmd == "plot" {
				args = []string{cmd, "--out", t.TempDir(), "testdata/bad-scenario.yaml"}
			}
			code, stdout, stderr := cli(args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			for _, field := range []string{
				"replications: -3",
				"clusters[0].nodeOSUpgradeChannel:",
				"clusters[0].pools[0].count: 0",
				`clusters[0].pools[0].upgradeSettings.maxSurge: "150%"`,
				"grid.windowStartHour[0]: 25",
			} {
				found := 0
				for _, l := range lines {
					if strings.Contains(l, field) {
						found++
						assert.True(t, strings.HasPrefix(l, "testdata/bad-scenario.yaml: "), l)
					}
				}
				assert.Equal(t, 1, found, "one line names %s in\n%s", field, stderr)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown flag", []string{"run", "--replicas", "3"}, []string{"flag provided but not defined: -replicas"}},
		{"unknown flag without command", []string{"--frobnicate"}, []string{"flag provided but not defined: -frobnicate"}},
		{"unknown plot flag", []string{"plot", "--dpi", "300"}, []string{"-dpi"}},
		{"plot without out", []string{"plot", "--format", "gif,svg"},
			[]string{"--out: required", `--format: "gif" is not one of png, svg`}},
		{"unknown sweep flag", []string{"sweep", "--pareto"}, []string{"-pareto"}},
		{"example takes no flag", []string{"example", "--yaml"}, []string{"-yaml"}},
		{"example takes no file", []string{"example", "x.yaml"}, []string{"x.yaml"}},
		{"bad numbers", []string{"compare", "--replications", "0", "--workers", "-1"},
			[]string{"--replications: 0 is below the minimum 1", "--workers: -1 is below the minimum 1"}},
		{"two formats", []string{"run", "--json", "--csv"}, []string{"at most one of --json, --csv, --markdown"}},
		{"stages without csv", []string{"run", "--stages"}, []string{"--stages writes the per-stage CSV; give it with --csv"}},
		{"stages and pools", []string{"run", "--csv", "--stages", "--pools"}, []string{"give at most one of --wide, --pools, --stages"}},
		{"two files", []string{"run", "a.yaml", "b.yaml"}, []string{"at most one scenario file"}},
		{"missing file", []string{"run", "testdata/nope.yaml"}, []string{"testdata/nope.yaml"}},
		{"not a scenario", []string{"run", "testdata/nodeos-weekly.json"}, []string{"testdata/nodeos-weekly.json: plan:"}},
		{"an endless scenario", []string{"run", "/dev/zero"}, []string{"plan: /dev/zero is not a regular file (a device)"}},
		{"an endless maintenance configuration", []string{"windows", "--config", "/dev/zero", "--from", "2025-01-01T00:00:00Z"}, []string{"patchsim windows: --config: /dev/zero is not a regular file (a device)"}},
		{"an endless cluster", []string{"import", "--cluster", "/dev/zero", "--start", "2025-01-01T00:00:00Z"}, []string{"patchsim import: --cluster: /dev/zero is not a regular file (a device)"}},
		{"content before 1900 (a panic in rrule-go)", []string{"run", "testdata/start-year-1.yaml"},
			[]string{"testdata/start-year-1.yaml: plan: start: 0001-02-01T00:00:00Z minus the lookback 60d begins the content at 0000-12-03T00:00:00Z, before 1900-01-01"}},
		{"horizon past 9999 (--json failed after the run)", []string{"run", "--json", "testdata/end-past-9999.yaml"},
			[]string{"plan: horizon: 365d from start 9999-06-01T00:00:00Z ends at 10000-05-31T00:00:00Z, after the year 9999"}},
		{"a month has five Fridays at most (a panic in rrule-go)", []string{"windows", "--rrule", "FREQ=MONTHLY;BYDAY=10FR", "--dtstart", "2025-01-01T00:00", "--duration", "4h", "--from", "2025-01-01T00:00:00Z"},
			[]string{"BYDAY=10FR: 10 is outside -5 to 5"}},
		{"the last-but-five Friday (a panic in rrule-go)", []string{"windows", "--rrule", "FREQ=MONTHLY;BYDAY=-6FR", "--dtstart", "2025-01-01T00:00", "--duration", "4h", "--from", "2025-01-01T00:00:00Z"},
			[]string{"BYDAY=-6FR: -6 is outside -5 to 5"}},
		{"the sixth Friday (listed nothing)", []string{"windows", "--rrule", "FREQ=MONTHLY;BYDAY=6FR", "--dtstart", "2025-01-01T00:00", "--duration", "4h", "--from", "2025-01-01T00:00:00Z"},
			[]string{"BYDAY=6FR: 6 is outside -5 to 5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cli(tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
		})
	}
}

func TestExampleRoundTrips(t *testing.T) {
	code, yaml, stderr := cli("example")
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, plan.Modeline+"\n"+string(plan.DefaultYAML()), yaml)

	path := filepath.Join(t.TempDir(), "f.yaml")
	require.NoError(t, os.WriteFile(path, []byte(yaml), 0o644))
	code, fromFile, stderr := cli("run", "--replications", "4", path)
	require.Equal(t, 0, code, stderr)
	code, builtIn, _ := cli("run", "--replications", "4")
	require.Equal(t, 0, code)
	assert.Equal(t, builtIn, fromFile, "the printed scenario is the default one")
}

func TestSweep(t *testing.T) {
	code, all, stderr := cli("sweep", "--all", "testdata/sweep.yaml")
	require.Equal(t, 0, code, stderr)
	code, front, _ := cli("sweep", "testdata/sweep.yaml")
	require.Equal(t, 0, code)

	p, err := plan.New(mustLoad(t, "testdata/sweep.yaml"))
	require.NoError(t, err)
	require.Len(t, p.Variants, 5, "the baseline and 2 x 2 cells")
	assert.Equal(t, "baseline", p.Variants[0].Name)
	for _, v := range p.Variants {
		assert.Contains(t, all, v.Name)
	}
	assert.True(t, strings.HasPrefix(front, "Sweep of 5 variants; the "), front)
	assert.NotContains(t, all, "Sweep of")

	code, js, _ := cli("sweep", "--json", "testdata/sweep.yaml")
	require.Equal(t, 0, code)
	var c plan.Comparison
	require.NoError(t, json.Unmarshal([]byte(js), &c))
	require.Len(t, c.Variants, len(p.Variants), "--json holds every variant")
	require.NotNil(t, c.Recommendation)
	shown := map[int]bool{}
	r := c.Recommendation
	for _, v := range append(append([]int{r.Best, r.RunnerUp, r.Closest}, r.Tied...), c.Frontier...) {
		if v >= 0 {
			shown[v] = true
		}
	}
	require.Less(t, len(shown), len(c.Variants), "the test scenario has variants off the frontier")
	for v, sum := range c.Variants {
		if shown[v] {
			assert.Contains(t, front, sum.Name)
		} else {
			assert.NotContains(t, front, sum.Name)
		}
	}
}

func mustLoad(t *testing.T, path string) *plan.Scenario {
	t.Helper()
	s, err := plan.Load(path)
	require.NoError(t, err)
	return s
}

func TestFrontierView(t *testing.T) {
	c := &plan.Comparison{
		Variants:       []plan.Summary{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}, {Name: "e"}},
		Frontier:       []int{3, 1},
		Recommendation: &plan.Recommendation{Best: 4, RunnerUp: 1, Feasible: []int{4, 1, 2, 0}, Tied: []int{2}, Closest: -1},
	}
	got := frontierView(c)
	var names []string
	for _, v := range got.Variants {
		names = append(names, v.Name)
	}
	assert.Equal(t, []string{"b", "c", "d", "e"}, names, "a, feasible but neither tied nor on the frontier, is left out")
	assert.Equal(t, []int{2, 0}, got.Frontier)
	assert.Equal(t, 3, got.Recommendation.Best)
	assert.Equal(t, 0, got.Recommendation.RunnerUp)
	assert.Equal(t, []int{3, 0, 1}, got.Recommendation.Feasible)
	assert.Equal(t, []int{1}, got.Recommendation.Tied)
	assert.Equal(t, -1, got.Recommendation.Closest)
	assert.Equal(t, 4, c.Recommendation.Best, "the original is left alone")
	assert.Len(t, c.Variants, 5)
}

func TestColumnsAndMetrics(t *testing.T) {
	code, out, stderr := cli("run", "--replications", "2", "--columns", "critical.p95Days, surgeNodeHours")
	require.Equal(t, 0, code, stderr)
	var header string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "variant ") {
			header = l
		}
	}
	assert.Equal(t, []string{"variant", "critical.p95Days", "surgeNodeHours"}, strings.Fields(header))

	code, out, stderr = cli("run", "--columns", "critical.p97Days", "--csv")
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, stderr, `--columns: "critical.p97Days" is not a metric`)
	assert.Contains(t, stderr, "--json and --csv hold every metric")

	code, out, _ = cli("metrics")
	require.Equal(t, 0, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Len(t, lines, len(plan.Metrics)+1, "a header and a line per metric")
	assert.Contains(t, out, "critical.withinSLA")
	code, _, _ = cli("metrics", "extra")
	assert.Equal(t, 2, code)
}

// TestSchemaCommand: "patchsim schema" prints the schema docs/ carries
// (go generate writes both from plan.Schema), and the modeline of
// "patchsim example" names that file.
func TestSchemaCommand(t *testing.T) {
	code, out, stderr := cli("schema")
	require.Equal(t, 0, code, stderr)
	docs, err := os.ReadFile("../../docs/scenario.schema.json")
	require.NoError(t, err)
	assert.True(t, string(docs) == out, "docs/scenario.schema.json differs from patchsim schema: run go generate ./...")
	assert.True(t, strings.HasSuffix(plan.SchemaURL, "/docs/scenario.schema.json"), plan.SchemaURL)
	var schema struct {
		ID string `json:"$id"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &schema))
	assert.Equal(t, plan.SchemaURL, schema.ID)

	code, _, stderr = cli("schema", "extra")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "unexpected arguments")
}

// sweep --race prints what the race ran, the same for any workers, and
// its JSON holds the race's per-variant replications; racing flags are
// checked and refused with --shard.
func TestSweepRace(t *testing.T) {
	code, one, stderr := cli("sweep", "--race", "--replications", "40", "--workers", "1", "testdata/sweep.yaml")
	require.Equal(t, 0, code, stderr)
	code, two, _ := cli("sweep", "--race", "--replications", "40", "--workers", "2", "testdata/sweep.yaml")
	require.Equal(t, 0, code)
	assert.Equal(t, one, two)
	assert.Contains(t, one, "\nRace: ")
	assert.Contains(t, one, "\nConfidence of the recommendation: ")

	code, js, _ := cli("sweep", "--budget", "100", "--replications", "40", "--json", "testdata/sweep.yaml")
	require.Equal(t, 0, code)
	var c plan.Comparison
	require.NoError(t, json.Unmarshal([]byte(js), &c))
	require.NotNil(t, c.Race)
	assert.LessOrEqual(t, c.Race.Pairs, 100)
	sum := 0
	for _, n := range c.Race.Replications {
		sum += n
	}
	assert.Equal(t, c.Race.Pairs, sum)

	code, _, stderr = cli("sweep", "--budget", "0", "--confidence", "1", "--tolerance", "-1", "--shard", "0/2", "testdata/sweep.yaml")
	assert.Equal(t, 2, code)
	for _, want := range []string{"--budget: 0 is below the minimum 1", "--confidence: 1 is outside (0, 1)", "--tolerance: -1 is below the minimum 0", "do not go with --shard"} {
		assert.Contains(t, stderr, want)
	}
}

// TestSweepWithoutDefinedObjective: when no variant has a value of the
// objective (lastStageDays without Fleet Manager), the sweep says so and
// shows every variant rather than narrowing to none.
func TestSweepWithoutDefinedObjective(t *testing.T) {
	scen, err := os.ReadFile("testdata/sweep.yaml")
	require.NoError(t, err)
	s := strings.Replace(string(scen), "constraints:\n  - metric: reimagesPerNodeMonth\n    max: 2\n",
		"objective:\n  exposure: lastStageDays\n  disruption: reimagesPerNodeMonth\n", 1)
	require.NotEqual(t, string(scen), s)
	path := filepath.Join(t.TempDir(), "undefined.yaml")
	require.NoError(t, os.WriteFile(path, []byte(s), 0o600))
	code, out, stderr := cli("sweep", path, "--replications", "2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "No recommendation: no variant has a defined lastStageDays (no Fleet Manager update run in any replication).\n")
	assert.NotContains(t, out, "Closest")
	assert.NotContains(t, out, "below are on the Pareto frontier")
	assert.Contains(t, out, "5 variants x 2 replications", "the baseline and the grid's 4")
}
