package aks

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNodeCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    NodeCount
		wantErr string
		canon   string // String() when it differs from in
	}{
		{in: "0", want: NodeCount{}},
		{in: "5", want: NodeCount{N: 5}},
		{in: "1000", want: NodeCount{N: 1000}},
		{in: "0%", want: NodeCount{Percent: true}},
		{in: "33%", want: NodeCount{N: 33, Percent: true}},
		{in: "100%", want: NodeCount{N: 100, Percent: true}},
		{in: "05", want: NodeCount{N: 5}, canon: "5"},
		{in: "007%", want: NodeCount{N: 7, Percent: true}, canon: "7%"},
		{in: "1001", wantErr: "count out of range"},
		{in: "101%", wantErr: "percentage out of range"},
		{in: "", wantErr: "want a node count"},
		{in: "%", wantErr: "want a node count"},
		{in: "-1", wantErr: "want a node count"},
		{in: "+1", wantErr: "want a node count"},
		{in: " 5", wantErr: "want a node count"},
		{in: "5 %", wantErr: "want a node count"},
		{in: "2.5", wantErr: "want a node count"},
		{in: "50%%", wantErr: "want a node count"},
		{in: "10000", wantErr: "want a node count"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseNodeCount(tc.in)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			canon := tc.in
			if tc.canon != "" {
				canon = tc.canon
			}
			assert.Equal(t, canon, got.String())
		})
	}
}

func TestNodeCountResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		count string
		pool  int
		want  int
	}{
		{"5", 3, 5}, // not capped at the pool size
		{"1", 0, 1},
		{"10%", 0, 0},
		{"10%", 1, 1}, // 0.1 rounds up
		{"10%", 10, 1},
		{"10%", 11, 2}, // 1.1 rounds up
		{"33%", 9, 3},  // 2.97 rounds up
		{"33%", 10, 4}, // 3.3 rounds up
		{"50%", 7, 4},
		{"100%", 1000, 1000},
		{"0%", 1000, 0},
		{"1%", 250, 3},
	}
	for _, tc := range tests {
		c, err := ParseNodeCount(tc.count)
		require.NoError(t, err)
		assert.Equal(t, tc.want, c.Resolve(tc.pool), "%s of %d", tc.count, tc.pool)
	}
	assert.Panics(t, func() { NodeCount{N: 1}.Resolve(-1) })
	// Large pools must not overflow: 99% of the largest int is below it.
	big := NodeCount{N: 99, Percent: true}.Resolve(int(^uint(0) >> 1))
	assert.Positive(t, big)
}
