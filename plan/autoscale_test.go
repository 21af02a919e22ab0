package plan

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/fleet"
)

const autoscaleYAML = `
name: autoscale
start: "2025-01-06T00:00:00Z"
horizon: 28d
replications: 2
clusters:
  - name: c
    region: westeurope
    nodeOSUpgradeChannel: NodeImage
    pools:
      - name: apps
        count: 4
        autoscale:
          min: 2
          max: 8
          profile: {base: 3, peak: 8, days: [Monday, tue, Wednesday], start: 9h, end: 17h}
          scaleDownUnneededTime: 15m
          remove: Oldest
          lifetime: {min: 2d, mode: 5d, max: 9d}
        image: {userspace: "2024-12-20T00:00:00Z"}
`

func TestScenarioAutoscale(t *testing.T) {
	s, err := Parse([]byte(autoscaleYAML), "")
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	pl, errs := s.Clusters[0].Pools[0].fleet("clusters[0].pools[0]")
	require.Empty(t, errs)
	assert.Equal(t, &fleet.Autoscale{Min: 2, Max: 8, ScaleDownUnneeded: 15 * time.Minute, Remove: fleet.RemoveOldest,
		Profile:  fleet.Profile{Base: 3, Peak: 8, Days: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday}, Start: 9 * time.Hour, End: 17 * time.Hour},
		Lifetime: fleet.Dist{Min: 48 * time.Hour, Mode: 120 * time.Hour, Max: 216 * time.Hour}}, pl.Autoscale)
	assert.Equal(t, time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC), pl.Image.Userspace)

	e, err := New(s)
	require.NoError(t, err)
	c, err := e.Compare(context.Background(), Options{})
	require.NoError(t, err)
	st := c.Variants[0].Stats
	// Four weeks of three peak days: nodes come and go; the metrics carry it.
	assert.Positive(t, float64(st[MetricIndex("nodesCreated")].Mean))
	assert.Positive(t, float64(st[MetricIndex("nodesRemoved")].Mean))
	share := float64(st[MetricIndex("churnShare")].Mean)
	assert.True(t, share >= 0 && share <= 1, "churn share %v", share)
	assert.Positive(t, float64(c.Variants[0].Pools[0].NodesCreated))
}

func TestScenarioAutoscaleProblems(t *testing.T) {
	bad := strings.NewReplacer(
		"min: 2", "min: 0",
		"days: [Monday, tue, Wednesday]", "days: [Monday, Someday]",
		"start: 9h, end: 17h", "start: 9h, end: 8h",
		"remove: Oldest", "remove: Random",
		"lifetime: {min: 2d, mode: 5d, max: 9d}", "lifetime: {min: 1m, mode: 30s, max: 9d}",
	).Replace(autoscaleYAML)
	s, err := Parse([]byte(bad), "")
	require.NoError(t, err)
	err = s.Validate()
	require.Error(t, err)
	p := "plan: clusters[0].pools[0].autoscale."
	assert.Equal(t, []string{
		p + `profile.days[1]: "Someday" is not one of Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday (any case), or Sun, Mon, Tue, Wed, Thu, Fri, Sat`,
		p + `remove: "Random" is not one of Newest, Oldest (any case)`,
		p + "min: 0 is outside 1 to 1000",
		p + "profile.end: 8h0m0s is outside (start 9h0m0s, 24h]",
		p + "lifetime.mode: 30s is outside [min 1m0s, max 216h0m0s]",
		p + "lifetime.min: 1m0s is below the minimum 1h0m0s: a node lives hours to days before it is evicted or expires, and every lifetime that ends creates a node",
	}, strings.Split(err.Error(), "\n"))

	// Strict: an unknown field of autoscale is named with its path.
	_, err = Parse([]byte(strings.Replace(autoscaleYAML, "min: 2", "minCount: 2", 1)), "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "clusters[0].pools[0].autoscale.minCount: is not a field here (min, max, profile, scaleDownUnneededTime, scaleDownDelayAfterAdd, remove, lifetime)")
}

// TestPoolSummaryMeansAreExact: a pool's counts are means over the
// replications, summed before they are divided, so that the same count in
// every replication is that count. A pool of 2 nodes that grows to 8 on
// Saturdays creates 6 nodes each of the two Saturdays of 14 days from a
// Monday, 12 in every replication.
func TestPoolSummaryMeansAreExact(t *testing.T) {
	c := compareYAML(t, `
start: 2025-01-06T00:00:00Z
horizon: 14d
replications: 10
clusters:
  - name: a
    region: westeurope
    nodeOSUpgradeChannel: None
    pools: [{name: batch, count: 2, autoscale: {min: 2, max: 8, profile: {base: 2, peak: 8, days: [Saturday], start: 0h, end: 24h}}}]
`)
	pool := c.Variants[0].Pools[0]
	assert.Equal(t, Float(12), pool.NodesCreated)
	assert.Equal(t, Float(12), pool.NodesRemoved)
}

// compareYAML runs the scenario file on one worker.
func compareYAML(t *testing.T, file string) *Comparison {
	t.Helper()
	s, err := Parse([]byte(file), "")
	require.NoError(t, err)
	p, err := New(s)
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), Options{Workers: 1})
	require.NoError(t, err)
	return c
}
