package sim_test

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/sim"
)

func TestNewResourceErrors(t *testing.T) {
	t.Parallel()
	_, err := sim.NewResource(nil, 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sim: NewResource: engine is nil")
	assert.Contains(t, err.Error(), "sim: NewResource: capacity 0: want at least 1")
}

func TestResourceFIFOWithoutOvertaking(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	r, err := sim.NewResource(e, 3)
	require.NoError(t, err)
	var log []string
	r.Acquire(2, recorder(&log, "A"))
	r.Acquire(2, recorder(&log, "B"))
	r.Acquire(1, recorder(&log, "C")) // fits, but must not overtake B
	assert.Equal(t, 2, r.InUse())
	assert.Equal(t, 2, r.Queued())
	assert.False(t, r.TryAcquire(1), "TryAcquire must not overtake the queue")
	require.NoError(t, e.Run(epoch))
	assert.Equal(t, []string{"A"}, log, "granted handlers run at the current time")

	r.Release(2)
	assert.Equal(t, 3, r.InUse())
	assert.Equal(t, 0, r.Queued())
	require.NoError(t, e.Run(epoch))
	assert.Equal(t, []string{"A", "B", "C"}, log)

	r.Release(3)
	assert.True(t, r.TryAcquire(3))
	assert.False(t, r.TryAcquire(1))
	assert.Equal(t, 3, r.Capacity())
}

func TestResourceMisusePanics(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	r, err := sim.NewResource(e, 2)
	require.NoError(t, err)
	noop := sim.HandlerFunc(func(*sim.Engine) error { return nil })
	assert.PanicsWithValue(t, "sim: Resource.Release(1) with 0 units in use", func() { r.Release(1) })
	assert.PanicsWithValue(t, "sim: Resource.Acquire(3) on capacity 2: want 1 <= n <= capacity", func() { r.Acquire(3, noop) })
	assert.PanicsWithValue(t, "sim: Resource.Acquire(0) on capacity 2: want 1 <= n <= capacity", func() { r.Acquire(0, noop) })
	assert.PanicsWithValue(t, "sim: Resource.Acquire with nil Handler", func() { r.Acquire(1, nil) })
	assert.PanicsWithValue(t, "sim: Resource.TryAcquire(-1) on capacity 2: want 1 <= n <= capacity", func() { r.TryAcquire(-1) })
	require.True(t, r.TryAcquire(1))
	assert.Panics(t, func() { r.Release(2) })
	assert.Equal(t, 1, r.InUse())
}

func TestResourceStatistics(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	r, err := sim.NewResource(e, 2)
	require.NoError(t, err)
	release := func(n int, after time.Duration) sim.Handler {
		return sim.HandlerFunc(func(e *sim.Engine) error {
			e.After(after, sim.HandlerFunc(func(*sim.Engine) error { r.Release(n); return nil }))
			return nil
		})
	}
	// One unit for [0, 10 s); two units requested at 5 s, granted at 10 s,
	// held until 20 s.
	r.Acquire(1, release(1, 10*time.Second))
	e.After(5*time.Second, sim.HandlerFunc(func(*sim.Engine) error { r.Acquire(2, release(2, 10*time.Second)); return nil }))
	end := epoch.Add(20 * time.Second)
	require.NoError(t, e.Run(end))
	// Busy area 10×1 + 10×2 unit-seconds over 20 s × 2 units; one request
	// waited 5 s of the 20.
	assert.InDelta(t, 30.0/40, r.Utilisation(end), 1e-12)
	assert.InDelta(t, 5.0/20, r.MeanQueue(end), 1e-12)
	assert.Equal(t, 1, r.MaxQueue())

	r.ResetStats()
	assert.True(t, math.IsNaN(r.Utilisation(end)), "empty interval")
	assert.InDelta(t, 0.0, r.Utilisation(end.Add(time.Second)), 1e-12)
}

// mmc is an M/M/c queue built from an Engine and a Resource: Poisson
// arrivals at rate lambda, c servers (the resource's units), exponential
// service at rate mu per server, FIFO.
type mmc struct {
	r          *sim.Resource
	arr, svc   *rand.Rand
	lambda, mu float64
	warm       time.Time   // waits of customers arriving before are ignored
	arrived    []time.Time // arrival times of customers not yet in service
	waits      sim.Tally   // wait in queue, seconds
}

// seconds converts a duration in (simulated) seconds.
func seconds(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }

type (
	mmcArrive mmc
	mmcStart  mmc
	mmcDepart mmc
)

func (a *mmcArrive) Handle(e *sim.Engine) error {
	m := (*mmc)(a)
	e.After(seconds(m.arr.ExpFloat64()/m.lambda), a)
	m.arrived = append(m.arrived, e.Now())
	m.r.Acquire(1, (*mmcStart)(m))
	return nil
}

// Handle starts service of the customer at the head of the line: the
// resource grants in FIFO order.
func (s *mmcStart) Handle(e *sim.Engine) error {
	m := (*mmc)(s)
	at := m.arrived[0]
	m.arrived = m.arrived[1:]
	if !at.Before(m.warm) {
		m.waits.Add(e.Now().Sub(at).Seconds())
	}
	e.After(seconds(m.svc.ExpFloat64()/m.mu), (*mmcDepart)(m))
	return nil
}

func (d *mmcDepart) Handle(*sim.Engine) error {
	d.r.Release(1)
	return nil
}

// runMMC simulates warm-up then horizon seconds of an M/M/c queue and
// returns the mean wait in queue (s) and the server utilisation after the
// warm-up.
func runMMC(seed uint64, c int, lambda, mu float64, warmup, horizon time.Duration) (wait, util float64, err error) {
	e, err := sim.New(sim.Config{Epoch: epoch, Seed: seed})
	if err != nil {
		return 0, 0, err
	}
	r, err := sim.NewResource(e, c)
	if err != nil {
		return 0, 0, err
	}
	m := &mmc{r: r, arr: e.Stream("arrivals"), svc: e.Stream("service"), lambda: lambda, mu: mu, warm: epoch.Add(warmup)}
	e.After(0, (*mmcArrive)(m))
	e.At(m.warm, sim.HandlerFunc(func(*sim.Engine) error { r.ResetStats(); return nil }))
	end := m.warm.Add(horizon)
	if err := e.Run(end); err != nil {
		return 0, 0, err
	}
	return m.waits.Mean(), r.Utilisation(end), nil
}

// erlangC returns the mean wait in queue of an M/M/c queue (Erlang C).
func erlangC(c int, lambda, mu float64) float64 {
	a := lambda / mu // offered load
	rho := a / float64(c)
	term, sum := 1.0, 0.0 // a^k / k!
	for k := range c {
		sum += term
		term *= a / float64(k+1)
	}
	top := term / (1 - rho)
	pWait := top / (sum + top)
	return pWait / (float64(c)*mu - lambda)
}

func TestQueueingTheory(t *testing.T) {
	t.Parallel()
	reps, horizon := 24, 100000*time.Second
	if testing.Short() {
		reps, horizon = 8, 20000*time.Second
	}
	for _, tc := range []struct {
		name       string
		c          int
		lambda, mu float64
	}{
		{"M/M/1 rho=0.8", 1, 0.8, 1},
		{"M/M/3 rho=0.8", 3, 2.4, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			type result struct{ wait, util float64 }
			rs, err := sim.Replicate(context.Background(), reps, 0, func(_ context.Context, rep int) (result, error) {
				w, u, err := runMMC(uint64(rep), tc.c, tc.lambda, tc.mu, 2000*time.Second, horizon)
				return result{w, u}, err
			})
			require.NoError(t, err)
			waits, utils := make([]float64, reps), make([]float64, reps)
			for k, r := range rs {
				waits[k], utils[k] = r.wait, r.util
			}
			// Independent replications: the standard error of the mean
			// comes from their spread; the tolerance is 3 standard errors.
			check := func(what string, want float64, xs []float64) {
				s := sim.Summarize(xs, 0.95)
				se := s.StdDev / math.Sqrt(float64(s.N))
				t.Logf("%s: want %.4f, got %.4f ± %.4f (SE)", what, want, s.Mean, se)
				assert.InDelta(t, want, s.Mean, 3*se, what)
			}
			check("mean wait in queue", erlangC(tc.c, tc.lambda, tc.mu), waits)
			check("utilisation", tc.lambda/(float64(tc.c)*tc.mu), utils)
		})
	}
}

// user holds one unit for a second, gives it back and queues again.
type user struct{ r *sim.Resource }

type userDone user

func (u *user) Handle(e *sim.Engine) error {
	e.After(time.Second, (*userDone)(u))
	return nil
}

func (d *userDone) Handle(*sim.Engine) error {
	d.r.Release(1)
	d.r.Acquire(1, (*user)(d))
	return nil
}

func TestResourceZeroAllocs(t *testing.T) {
	e := newEngine(t)
	r, err := sim.NewResource(e, 2)
	require.NoError(t, err)
	for range 5 { // more users than units: the queue is used
		r.Acquire(1, &user{r: r})
	}
	for range 1000 {
		_, err := e.Step()
		require.NoError(t, err)
	}
	require.Equal(t, 3, r.Queued())
	allocs := testing.AllocsPerRun(1000, func() {
		for range 10 {
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
		}
	})
	assert.Zero(t, allocs)
}
