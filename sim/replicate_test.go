package sim_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/sim"
)

// smallModel runs a short random simulation seeded by rep and returns a
// number that depends on every draw.
func smallModel(_ context.Context, rep int) (float64, error) {
	e, err := sim.New(sim.Config{Epoch: epoch, Seed: uint64(rep)})
	if err != nil {
		return 0, err
	}
	r := e.Stream("work")
	var sum float64
	var tick sim.HandlerFunc
	tick = func(e *sim.Engine) error {
		sum += float64(e.Now().Sub(epoch)) * r.Float64()
		e.After(time.Duration(1+r.IntN(1000)), tick)
		return nil
	}
	e.After(0, tick)
	return sum, e.Run(epoch.Add(100 * time.Microsecond))
}

func TestReplicateDeterministicForAnyWorkers(t *testing.T) {
	t.Parallel()
	want, err := sim.Replicate(context.Background(), 20, 1, smallModel)
	require.NoError(t, err)
	require.Len(t, want, 20)
	assert.NotEqual(t, want[0], want[1], "replications differ")
	for _, w := range []int{2, 8, 0, -1, 100} {
		got, err := sim.Replicate(context.Background(), 20, w, smallModel)
		require.NoError(t, err)
		assert.Equal(t, want, got, "workers=%d", w)
	}
}

func TestReplicateEdgeCases(t *testing.T) {
	t.Parallel()
	got, err := sim.Replicate(context.Background(), 0, 4, smallModel)
	require.NoError(t, err)
	assert.Empty(t, got)
	_, err = sim.Replicate(context.Background(), -1, 4, smallModel)
	assert.EqualError(t, err, "sim: Replicate n -1: want n >= 0")
}

func TestReplicateFirstError(t *testing.T) {
	t.Parallel()
	for _, w := range []int{1, 2, 8} {
		t.Run(fmt.Sprint("workers=", w), func(t *testing.T) {
			t.Parallel()
			got, err := sim.Replicate(context.Background(), 50, w, func(_ context.Context, rep int) (int, error) {
				if rep == 5 || rep == 7 || rep == 30 {
					return 0, fmt.Errorf("bad %d", rep)
				}
				return rep, nil
			})
			assert.Nil(t, got)
			assert.EqualError(t, err, "sim: replication 5: bad 5")
		})
	}
}

func TestReplicateStopsAfterError(t *testing.T) {
	t.Parallel()
	var ran atomic.Int64
	_, err := sim.Replicate(context.Background(), 100, 1, func(_ context.Context, rep int) (int, error) {
		ran.Add(1)
		if rep == 2 {
			return 0, errors.New("stop")
		}
		return rep, nil
	})
	require.Error(t, err)
	assert.Equal(t, int64(3), ran.Load())
}

func TestReplicateCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := sim.Replicate(ctx, 10, 2, smallModel)
	assert.ErrorIs(t, err, context.Canceled)

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	var ran atomic.Int64
	_, err = sim.Replicate(ctx, 1000, 2, func(_ context.Context, rep int) (int, error) {
		ran.Add(1)
		if rep == 3 {
			cancel()
		}
		return rep, nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, ran.Load(), int64(1000), "work stopped after cancellation")
}
