package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shardParts runs the plan as n shards and reads the parts back.
func shardParts(t *testing.T, p *Experiment, n int, opt Options) []*Part {
	t.Helper()
	var parts []*Part
	for i := range n {
		idx, err := p.Shard(i, n)
		require.NoError(t, err)
		pairs, err := p.Run(context.Background(), idx, opt)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, p.WritePart(&buf, i, n, opt, pairs))
		part, err := ReadPart(fmt.Sprintf("part-%d-of-%d", i, n), &buf)
		require.NoError(t, err)
		parts = append(parts, part)
	}
	return parts
}

func TestShardsMergeToTheSingleMachineResult(t *testing.T) {
	s := small(t)
	s.Replications = 5
	p, err := New(s)
	require.NoError(t, err)
	opt := Options{Distributions: true, Trace: true}
	single, err := p.Compare(context.Background(), opt)
	require.NoError(t, err)
	want, err := json.Marshal(single)
	require.NoError(t, err)
	for _, n := range []int{1, 2, 7} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			merged, _, err := Merge(shardParts(t, p, n, opt))
			require.NoError(t, err)
			got, err := json.Marshal(merged)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
		})
	}
}

func TestMergeRefusesBadParts(t *testing.T) {
	s := small(t)
	s.Replications = 3
	p, err := New(s)
	require.NoError(t, err)
	parts := shardParts(t, p, 3, Options{})

	_, _, err = Merge(parts[:2])
	assert.ErrorContains(t, err, "pairs are missing")

	_, _, err = Merge(append(parts, parts[1]))
	assert.ErrorContains(t, err, "is in part part-1-of-3 and part part-1-of-3")

	other := small(t)
	other.Seed = 99
	q, err := New(other)
	require.NoError(t, err)
	foreign := shardParts(t, q, 3, Options{})
	_, _, err = Merge([]*Part{parts[0], parts[1], foreign[2]})
	assert.ErrorContains(t, err, "part part-2-of-3 is from scenario")

	_, err = p.Shard(3, 3)
	assert.Error(t, err)
	_, err = ReadPart("junk", bytes.NewBufferString("{\"format\":\"x\"}\n"))
	assert.ErrorContains(t, err, "part junk: line 1")
}

// More shards than pairs: the shards past the last pair are empty, their
// parts hold no pair, and the parts still merge to the single-machine
// result (an Indexed Job with more completions than pairs).
func TestShardsBeyondThePairsAreEmpty(t *testing.T) {
	s := small(t)
	s.Replications = 2
	p, err := New(s)
	require.NoError(t, err)
	require.Equal(t, 8, p.Pairs()) // 4 channels x 2 replications
	idx, err := p.Shard(8, 9)
	require.NoError(t, err)
	assert.Empty(t, idx)
	pairs, err := p.Run(context.Background(), idx, Options{})
	require.NoError(t, err)
	assert.Empty(t, pairs, "an empty shard runs nothing")

	parts := shardParts(t, p, 9, Options{})
	assert.Empty(t, parts[8].Pairs)
	merged, _, err := Merge(parts)
	require.NoError(t, err)
	single, err := p.Compare(context.Background(), Options{})
	require.NoError(t, err)
	want, err := json.Marshal(single)
	require.NoError(t, err)
	got, err := json.Marshal(merged)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}
