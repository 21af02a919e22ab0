package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeShards runs the sweep as n shards into dir and returns the part
// paths.
func writeShards(t *testing.T, dir string, n int, extra ...string) []string {
	t.Helper()
	var parts []string
	for i := range n {
		part := filepath.Join(dir, fmt.Sprintf("part-%d-of-%d.jsonl", i, n))
		args := append([]string{"sweep", "testdata/sweep.yaml", "--shard", fmt.Sprintf("%d/%d", i, n), "--out", part}, extra...)
		code, stdout, stderr := cli(args...)
		require.Equal(t, 0, code, stderr)
		assert.Empty(t, stdout, "the part goes to --out")
		parts = append(parts, part)
	}
	return parts
}

func TestShardedSweepMergesToTheSameBytes(t *testing.T) {
	base := []string{"--replications", "3"}
	for _, view := range [][]string{nil, {"--all"}, {"--json"}} {
		code, want, stderr := cli(append(append([]string{"sweep", "testdata/sweep.yaml"}, base...), view...)...)
		require.Equal(t, 0, code, stderr)
		for _, n := range []int{1, 2, 7} {
			parts := writeShards(t, t.TempDir(), n, base...)
			code, got, stderr := cli(append(append([]string{"merge"}, view...), parts...)...)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, want, got, "%d shards, view %v", n, view)
		}
	}
}

func TestShardIndexFromIndexedJob(t *testing.T) {
	dir := t.TempDir()
	var parts []string
	for i := range 2 {
		t.Setenv(completionIndexEnv, fmt.Sprint(i))
		part := filepath.Join(dir, fmt.Sprint(i))
		code, _, stderr := cli("sweep", "testdata/sweep.yaml", "--replications", "2", "--shard", "2", "--out", part)
		require.Equal(t, 0, code, stderr)
		parts = append(parts, part)
	}
	code, _, stderr := cli(append([]string{"merge"}, parts...)...)
	assert.Equal(t, 0, code, stderr)

	t.Setenv(completionIndexEnv, "2")
	code, _, stderr = cli("sweep", "testdata/sweep.yaml", "--shard", "2")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `$JOB_COMPLETION_INDEX="2" is not an index from 0 to 1`)
}

func TestMergeRefusesBadParts(t *testing.T) {
	dir := t.TempDir()
	parts := writeShards(t, dir, 3, "--replications", "2")

	code, stdout, stderr := cli("merge", parts[0], parts[1])
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "shard 2 of 3 is missing: no part holds it")

	code, _, stderr = cli("merge", parts[0], parts[1], parts[2], parts[1])
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "shard 1 of 3 is in part "+parts[1]+" and part "+parts[1])

	other := filepath.Join(dir, "other.jsonl")
	code, _, stderr = cli("sweep", "testdata/sweep.yaml", "--replications", "2", "--seed", "99", "--shard", "2/3", "--out", other)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = cli("merge", parts[0], parts[1], other)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "part "+other+" is from scenario")

	junk := filepath.Join(dir, "junk")
	require.NoError(t, os.WriteFile(junk, []byte("not json\n"), 0o644))
	code, _, stderr = cli("merge", junk)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "part "+junk+": line 1")

	code, _, stderr = cli("sweep", "testdata/sweep.yaml", "--shard", "3/3")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `the shard index "3" is not from 0 to 2`)
	code, _, stderr = cli("sweep", "testdata/sweep.yaml", "--shard", "0/2", "--json")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--shard writes a part file")
}

// A 15-pair sweep (the baseline and 4 grid variants x 3 replications) in 16
// shards: shard 15 is empty, writes a part without pairs, and merge accepts
// it.
func TestShardPastTheLastPairIsEmpty(t *testing.T) {
	dir := t.TempDir()
	parts := writeShards(t, dir, 16)
	data, err := os.ReadFile(parts[15])
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(data), "\n"), "the header line only")
	code, want, stderr := cli("sweep", "testdata/sweep.yaml")
	require.Equal(t, 0, code, stderr)
	code, got, stderr := cli(append([]string{"merge"}, parts...)...)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, want, got)
}

// run and compare write parts too, and merge prints what they print on one
// machine: compare's CIs and paired differences included.
func TestMergeRebuildsRunAndCompare(t *testing.T) {
	for _, command := range []string{"run", "compare"} {
		for _, view := range [][]string{nil, {"--json"}, {"--markdown"}} {
			code, want, stderr := cli(append([]string{command, "testdata/sweep.yaml", "--replications", "2"}, view...)...)
			require.Equal(t, 0, code, stderr)
			dir := t.TempDir()
			for i := range 3 {
				part := filepath.Join(dir, fmt.Sprintf("%d.jsonl", i))
				code, _, stderr := cli(command, "testdata/sweep.yaml", "--replications", "2", "--shard", fmt.Sprintf("%d/3", i), "--out", part)
				require.Equal(t, 0, code, stderr)
			}
			code, got, stderr := cli(append(append([]string{"merge"}, view...), dir)...)
			require.Equal(t, 0, code, stderr)
			assert.Equal(t, want, got, "%s %v", command, view)
		}
	}
	dir := t.TempDir()
	part := filepath.Join(dir, "0.jsonl")
	code, _, stderr := cli("compare", "testdata/sweep.yaml", "--replications", "1", "--shard", "0/1", "--out", part)
	require.Equal(t, 0, code, stderr)
	code, _, stderr = cli("merge", "--all", part)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `the parts are of "compare", which prints every variant; --all goes with sweep parts`)
}

// A part edited by hand, or from another build, exits 2 with the part's
// name rather than merging into numbers no build gives (or panicking).
func TestMergeRefusesEditedParts(t *testing.T) {
	dir := t.TempDir()
	parts := writeShards(t, dir, 2, "--replications", "1")
	data, err := os.ReadFile(parts[1])
	require.NoError(t, err)
	lines := strings.SplitN(string(data), "\n", 2)
	for _, tc := range []struct{ name, from, to, err string }{
		{"another build", `"version":"`, `"version":"v0.0.1-other`, "was written by build v0.0.1-other"},
		{"shard 1 of 3", `"shards":2`, `"shards":3`, "is shard 1 of 3, part " + parts[0] + " of 2 shards"},
		{"an unknown field", `"values":[`, `"values":[1],"exposure":null,"x":[`, `unknown field "x"`},
		{"another command", `"command":"sweep"`, `"command":"plot"`, `was written by "plot", part ` + parts[0] + ` by "sweep"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edited := filepath.Join(t.TempDir(), "part-1.jsonl")
			text := strings.Replace(lines[0], tc.from, tc.to, 1) + "\n" + strings.Replace(lines[1], tc.from, tc.to, 1)
			require.NotEqual(t, string(data), text, "the edit applies")
			require.NoError(t, os.WriteFile(edited, []byte(text), 0o644))
			code, stdout, stderr := cli("merge", parts[0], edited)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, tc.err)
		})
	}
}
