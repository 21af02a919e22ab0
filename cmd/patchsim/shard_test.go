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
	assert.Contains(t, stderr, "pairs are missing")

	code, _, stderr = cli("merge", parts[0], parts[1], parts[2], parts[1])
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "part-1-of-3.jsonl and part "+parts[1])

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
