package plan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

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
		require.NoError(t, p.WritePart(&buf, "sweep", i, n, opt, pairs))
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
	assert.EqualError(t, err, "plan: merge: shard 2 of 3 is missing: no part holds it")

	_, _, err = Merge(append(parts, parts[1]))
	assert.EqualError(t, err, "plan: merge: shard 1 of 3 is in part part-1-of-3 and part part-1-of-3")

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

// Merge trusts nothing in a part: every edit below is refused with an error
// naming the part and the problem, and none panics.
func TestMergeTrustsNothing(t *testing.T) {
	s := small(t)
	s.Replications = 2
	s.Horizon = Duration(30 * 24 * time.Hour)
	p, err := New(s)
	require.NoError(t, err)
	opt := Options{Distributions: true, Trace: true}
	invalid := *s
	invalid.Replications = -5
	badScenario, err := json.Marshal(&invalid)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		edit func(parts []*Part) []*Part
		err  string
	}{
		{"another build", func(ps []*Part) []*Part { ps[1].Header.Version = "v9.9.9"; return ps },
			"plan: merge: part part-1-of-3 was written by build v9.9.9 (model "},
		{"another model than this build's", func(ps []*Part) []*Part {
			for _, pt := range ps {
				pt.Header.Model = "0123456789abcdef"
			}
			return ps
		}, "whose model (0123456789abcdef) gives other numbers than this build's"},
		{"another command", func(ps []*Part) []*Part { ps[2].Header.Command = "run"; return ps },
			`plan: merge: part part-2-of-3 was written by "run", part part-0-of-3 by "sweep"`},
		{"shard 1/2 among 0/3 and 2/3", func(ps []*Part) []*Part { ps[1].Header.Shard, ps[1].Header.Shards = 1, 2; return ps },
			"plan: merge: part part-1-of-3 is shard 1 of 2, part part-0-of-3 of 3 shards"},
		{"a shard outside the count", func(ps []*Part) []*Part { ps[1].Header.Shard = 7; return ps },
			"plan: merge: part part-1-of-3: shard 7 is outside 0 to 2"},
		{"no shard at all", func(ps []*Part) []*Part {
			for _, pt := range ps {
				pt.Header.Shards = 0
			}
			return ps
		}, "plan: merge: part part-0-of-3: 0 shards; want at least 1"},
		{"a pair moved to another shard", func(ps []*Part) []*Part {
			ps[1].Pairs = append(ps[1].Pairs, ps[0].Pairs[0])
			ps[0].Pairs = ps[0].Pairs[1:]
			return ps
		}, "plan: merge: part part-1-of-3: pair (variant 0, replication 0) belongs to shard 0 of 3, not to shard 1"},
		{"a pair cut from its part", func(ps []*Part) []*Part { ps[0].Pairs = ps[0].Pairs[1:]; return ps },
			"plan: merge: 1 of 8 pairs are missing, first [(variant 0, replication 0)]; is a part cut short?"},
		{"a pair twice in its part", func(ps []*Part) []*Part { ps[0].Pairs = append(ps[0].Pairs, ps[0].Pairs[0]); return ps },
			"plan: merge: part part-0-of-3: pair (variant 0, replication 0) appears twice"},
		{"a pair outside the scenario", func(ps []*Part) []*Part { ps[0].Pairs[0].Replication = 9; return ps },
			"pair (variant 0, replication 9) is outside the scenario's 4 variants x 2 replications"},
		{"too few values", func(ps []*Part) []*Part { ps[0].Pairs[0].Values = ps[0].Pairs[0].Values[:3]; return ps },
			fmt.Sprintf("pair (variant 0, replication 0): 3 values, want %d (one per metric)", len(Metrics))},
		{"too few histograms", func(ps []*Part) []*Part { ps[0].Pairs[1].Exposure = ps[0].Pairs[1].Exposure[:2]; return ps },
			"pair (variant 3, replication 0): 2 exposure histograms, want 4"},
		{"a histogram whose counts do not add up", func(ps []*Part) []*Part { ps[1].Pairs[0].Exposure[2].N += 5; return ps },
			"plan: merge: part part-1-of-3: pair (variant 1, replication 0): exposure[2]: fleet: histogram: n "},
		{"a short past-SLA series", func(ps []*Part) []*Part { ps[2].Pairs[0].PastSLA = ps[2].Pairs[0].PastSLA[:10]; return ps },
			"pair (variant 2, replication 0): 10 days of pastSLA, want 30"},
		{"a share above 1", func(ps []*Part) []*Part { ps[2].Pairs[0].PastSLA[3] = 2; return ps },
			"pair (variant 2, replication 0): pastSLA[3]: 2 is not a share in [0, 1]"},
		{"a trace on replication 1", func(ps []*Part) []*Part {
			ps[0].Pairs[2].Actions = ps[0].Pairs[0].Actions
			return ps
		}, "has a rollout trace, which only replication 0 of a traced run has"},
		{"an invalid scenario in the header", func(ps []*Part) []*Part {
			for _, pt := range ps {
				pt.Header.Scenario = badScenario
			}
			return ps
		}, "plan: merge: part part-0-of-3: its scenario: plan: replications: -5 is outside 1 to"},
		{"a scenario edited without its hash", func(ps []*Part) []*Part {
			var sc Scenario
			require.NoError(t, json.Unmarshal(ps[0].Header.Scenario, &sc))
			sc.Name = "edited"
			b, err := json.Marshal(&sc)
			require.NoError(t, err)
			for _, pt := range ps {
				pt.Header.Scenario = b
			}
			return ps
		}, "its scenario hashes to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := tc.edit(shardParts(t, p, 3, opt))
			_, _, err := Merge(parts)
			assert.ErrorContains(t, err, tc.err)
		})
	}
	parts := shardParts(t, p, 3, opt)
	_, _, err = Merge(parts)
	require.NoError(t, err, "the unedited parts merge")
	assert.Equal(t, buildVersion(), parts[0].Header.Version)
	assert.Equal(t, "sweep", parts[0].Header.Command)
}

func TestReadPartRefusesUnknownFields(t *testing.T) {
	_, err := ReadPart("x", bytes.NewBufferString(`{"format":"`+PartFormat+`","signature":"abc"}`+"\n"))
	assert.ErrorContains(t, err, `plan: part x: line 1: not a part header: json: unknown field "signature"`)
	_, err = ReadPart("x", bytes.NewBufferString(`{"format":"`+PartFormat+`"}`+"\n"+`{"variant":0,"replication":0,"values":[],"extra":1}`+"\n"))
	assert.ErrorContains(t, err, `plan: part x: line 2: json: unknown field "extra"`)
	_, err = ReadPart("x", bytes.NewBufferString(`{"format":"patchsim-pairs/v1"}`+"\n"))
	assert.ErrorContains(t, err, `format "patchsim-pairs/v1", want "patchsim-pairs/v2"`)
}
