package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/plan"
)

func TestReport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rep")
	code, stdout, stderr := cli("report", "testdata/sweep.yaml", "--replications", "2", "--out", dir, "--columns", "critical.p95Days,reimagesPerNodeMonth")
	require.Equal(t, 0, code, stderr)
	paths := strings.Fields(stdout)
	require.Len(t, paths, 10, "page, Markdown, eight figures")
	assert.Equal(t, filepath.Join(dir, "report.html"), paths[0])
	html, err := os.ReadFile(paths[0])
	require.NoError(t, err)
	assert.Contains(t, string(html), "patchsim "+plan.Version())
	assert.Contains(t, string(html), "<th>Reimages per node-month</th>")
	assert.NotContains(t, string(html), "Node-hours unavailable", "--columns chooses the table's metrics")
	for _, p := range paths {
		assert.FileExists(t, p)
	}

	code, _, stderr = cli("report", "--columns", "nope")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--out: required")
	assert.Contains(t, stderr, `--columns: "nope" is not a metric`)
}
