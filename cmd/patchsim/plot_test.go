package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figs")
	code, stdout, stderr := cli("plot", "--out", dir, "--format", "svg", "--replications", "2", "testdata/sweep.yaml")
	require.Equal(t, 0, code, stderr)
	paths := strings.Fields(stdout)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		assert.Equal(t, ".svg", filepath.Ext(p))
		fi, err := os.Stat(p)
		if assert.NoError(t, err) {
			assert.Positive(t, fi.Size())
		}
	}
}

// Nothing rolled out: every other figure is written, and a note says why
// there is no rollout figure (plot used to fail after 12 of 14 files).
func TestPlotWithoutRollout(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figs")
	code, stdout, stderr := cli("plot", "--out", dir, "testdata/nothing-rolls-out.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Len(t, strings.Fields(stdout), 14, "7 figures x 2 formats")
	assert.Contains(t, stderr, "no rollout figure: no variant rolled anything out")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 14, "no temporary file is left")
}

// Outputs are checked before anything runs, exit 2 naming the path, and
// are never written through a symbolic link.
func TestBadOutputs(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	require.NoError(t, os.WriteFile(target, []byte("keep"), 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(target, link))
	dirLink := filepath.Join(dir, "dirlink")
	require.NoError(t, os.Symlink(dir, dirLink))
	missing := filepath.Join(dir, "no", "such", "dir", "part.jsonl")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"part through a link", []string{"sweep", "testdata/sweep.yaml", "--shard", "0/2", "--out", link}, "patchsim sweep: --out: " + link + " is a symbolic link"},
		{"part in a missing directory", []string{"sweep", "testdata/sweep.yaml", "--shard", "0/2", "--out", missing}, "patchsim sweep: --out: " + missing + ": its directory"},
		{"part onto a directory", []string{"compare", "testdata/sweep.yaml", "--shard", "0/2", "--out", dir}, "patchsim compare: --out: " + dir + " is a directory"},
		{"figures through a link", []string{"plot", "--out", dirLink, "testdata/sweep.yaml"}, "patchsim plot: --out: " + dirLink + " is a symbolic link"},
		{"figures into a file", []string{"plot", "--out", target, "testdata/sweep.yaml"}, "patchsim plot: --out: " + target + " is not a directory"},
		{"figures under a file", []string{"plot", "--out", filepath.Join(target, "figs"), "testdata/sweep.yaml"}, target + " is not a directory"},
		{"import through a link", []string{"import", "--cluster", "../../aks/testdata/cluster-az.json", "--start", "2025-01-06T00:00:00Z", "-o", link}, "patchsim import: -o: " + link + " is a symbolic link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := cli(tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.want)
		})
	}
	got, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "keep", string(got), "the link's target is untouched")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 3, "nothing was created")
}

// An objective on a severity no variant had advisories of (a Linux fleet
// and critical: the calibrated notices have no critical Linux one): every
// other figure is written, and a note says why there is no
// exposure-breakdown figure.
func TestPlotWithoutBreakdown(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figs")
	code, stdout, stderr := cli("plot", "--out", dir, "--format", "svg", "testdata/no-critical.yaml")
	require.Equal(t, 0, code, stderr)
	assert.Len(t, strings.Fields(stdout), 7, "CDFs, past SLA, Pareto and rollout")
	assert.NotContains(t, stdout, "exposure-breakdown")
	assert.Contains(t, stderr, "no exposure-breakdown figure: no variant had critical advisories")
}
