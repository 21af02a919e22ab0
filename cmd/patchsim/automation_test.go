package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
)

func TestVersion(t *testing.T) {
	code, out, _ := cli("--version")
	assert.Equal(t, 0, code)
	assert.Equal(t, "patchsim "+plan.Version()+"\n", out)
	code, js, stderr := cli("run", "--replications", "2", "--json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, js, `"version": "`+strings.ReplaceAll(plan.Version(), `"`, `\"`)+`"`)
	assert.Contains(t, js, `"hash": "`)
}

func TestScenarioFromStdin(t *testing.T) {
	data, err := os.ReadFile("testdata/sweep.yaml")
	require.NoError(t, err)
	stdin = bytes.NewReader(data)
	defer func() { stdin = os.Stdin }()
	code, fromStdin, stderr := cli("sweep", "-", "--replications", "2")
	require.Equal(t, 0, code, stderr)
	code, fromFile, _ := cli("sweep", "testdata/sweep.yaml", "--replications", "2")
	require.Equal(t, 0, code)
	assert.Equal(t, fromFile, fromStdin)

	stdin = strings.NewReader("name: x\nreplications: -3\n")
	code, _, stderr = cli("run", "-")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "-: plan: replications")
}

func TestWideCSV(t *testing.T) {
	code, out, stderr := cli("sweep", "testdata/sweep.yaml", "--replications", "2", "--csv", "--wide")
	require.Equal(t, 0, code, stderr)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	head := rows[0]
	assert.Equal(t, []string{"variant", "nodeOSUpgradeChannel", "windowDay", plan.Metrics[0].Key, plan.Metrics[0].Key + ".lo", plan.Metrics[0].Key + ".hi"}, head[:6])
	assert.Len(t, head, 3+3*len(plan.Metrics)+5, "the axes, each metric with its interval, the SLA per severity and the settle period")
	assert.Equal(t, []string{"sla.criticalDays", "sla.highDays", "sla.mediumDays", "sla.lowDays", "settleDays"}, head[len(head)-5:])
	p, err := plan.New(mustLoad(t, "testdata/sweep.yaml"))
	require.NoError(t, err)
	require.Len(t, rows, 1+len(p.Variants), "a row per variant")
	byName := map[string][]string{}
	for _, r := range rows[1:] {
		byName[r[0]] = r
	}
	assert.Equal(t, []string{"SecurityPatch", "Sunday"}, byName["channel=SecurityPatch day=Sun"][1:3])

	code, _, stderr = cli("sweep", "testdata/sweep.yaml", "--wide")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--wide shapes the CSV; give it with --csv")
	code, _, stderr = cli("run", "--progress", "loud")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `--progress: "loud" is not one of auto, bar, plain, none`)
}

func TestPlainProgress(t *testing.T) {
	var b bytes.Buffer
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	p := newPlainProgress(&b, clock)
	now = now.Add(5 * time.Second)
	p.update(10, 100)
	assert.Empty(t, b.String(), "nothing in the first 10 s")
	now = now.Add(5 * time.Second) // 10 s
	p.update(20, 100)
	// 20 of 100 in 10 s: 80 more take 40 s.
	assert.Equal(t, "patchsim: 20/100 runs (20%), 10s elapsed, eta 40s\n", b.String())
	now = now.Add(5 * time.Second) // 15 s
	p.update(30, 100)
	assert.Equal(t, 1, strings.Count(b.String(), "\n"), "at most a line every 10 s")
	now = now.Add(6 * time.Second) // 21 s
	p.update(50, 100)
	now = now.Add(4 * time.Second) // 25 s
	p.finish()
	assert.Equal(t, "patchsim: 20/100 runs (20%), 10s elapsed, eta 40s\n"+
		"patchsim: 50/100 runs (50%), 21s elapsed, eta 21s\n"+
		"patchsim: 50/100 runs done in 25s\n", b.String())

	var quiet bytes.Buffer
	q := newPlainProgress(&quiet, clock)
	q.update(100, 100)
	q.finish()
	assert.Empty(t, quiet.String(), "a run under 10 s writes nothing")
}
