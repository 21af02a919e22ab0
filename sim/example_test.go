package sim_test

import (
	"context"
	"fmt"
	"time"

	"github.com/patchsim/patchsim/sim"
)

// tick prints the time and schedules itself again a minute later.
type tick struct{ left int }

func (k *tick) Handle(e *sim.Engine) error {
	fmt.Println("tick at", e.Now().Format(time.TimeOnly))
	if k.left--; k.left > 0 {
		e.After(time.Minute, k)
	}
	return nil
}

func ExampleEngine() {
	e, err := sim.New(sim.Config{Epoch: time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC), Seed: 1})
	if err != nil {
		panic(err)
	}
	e.After(30*time.Second, &tick{left: 3})
	alarm := e.After(2*time.Minute, sim.HandlerFunc(func(*sim.Engine) error {
		fmt.Println("never printed")
		return nil
	}))
	e.Cancel(alarm)
	if err := e.Run(e.Epoch().Add(time.Hour)); err != nil {
		panic(err)
	}
	fmt.Println("now", e.Now().Format(time.TimeOnly), "pending", e.Pending())
	// Output:
	// tick at 09:00:30
	// tick at 09:01:30
	// tick at 09:02:30
	// now 10:00:00 pending 0
}

// job takes one unit of a resource for a while, then gives it back.
type job struct {
	name string
	r    *sim.Resource
	d    time.Duration
}

func (j *job) Handle(e *sim.Engine) error {
	fmt.Println(e.Now().Format(time.TimeOnly), j.name, "starts")
	e.After(j.d, sim.HandlerFunc(func(e *sim.Engine) error {
		fmt.Println(e.Now().Format(time.TimeOnly), j.name, "done")
		j.r.Release(1)
		return nil
	}))
	return nil
}

func ExampleResource() {
	e, err := sim.New(sim.Config{Epoch: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		panic(err)
	}
	surge, err := sim.NewResource(e, 2) // at most two jobs at once
	if err != nil {
		panic(err)
	}
	for _, name := range []string{"a", "b", "c"} {
		surge.Acquire(1, &job{name: name, r: surge, d: time.Hour})
	}
	end := e.Epoch().Add(4 * time.Hour)
	if err := e.Run(end); err != nil {
		panic(err)
	}
	fmt.Printf("utilisation %.3f, mean queue %.3f\n", surge.Utilisation(end), surge.MeanQueue(end))
	// Output:
	// 00:00:00 a starts
	// 00:00:00 b starts
	// 01:00:00 a done
	// 01:00:00 b done
	// 01:00:00 c starts
	// 02:00:00 c done
	// utilisation 0.375, mean queue 0.250
}

func ExampleReplicate() {
	// Each replication builds its own engine from its index, so the results
	// do not depend on the number of workers.
	means, err := sim.Replicate(context.Background(), 4, 0, func(_ context.Context, rep int) (float64, error) {
		r := sim.Stream(uint64(rep), "demand")
		var t sim.Tally
		for range 1000 {
			t.Add(r.ExpFloat64())
		}
		return t.Mean(), nil
	})
	if err != nil {
		panic(err)
	}
	s := sim.Summarize(means, 0.95)
	fmt.Printf("%d replications, mean %.3f, 95%% CI [%.3f, %.3f]\n", s.N, s.Mean, s.Lo, s.Hi)
	// Output:
	// 4 replications, mean 0.993, 95% CI [0.968, 1.018]
}

func ExampleStream() {
	// The same (seed, name) gives the same numbers, whatever other streams
	// exist or were created first.
	arrivals := sim.Stream(1, "arrivals")
	_ = sim.Stream(1, "service").IntN(100)
	again := sim.Stream(1, "arrivals")
	fmt.Println(arrivals.IntN(100) == again.IntN(100), arrivals.IntN(100) == again.IntN(100))
	// Output:
	// true true
}

func ExampleSummarize() {
	s := sim.Summarize([]float64{3.1, 2.7, 3.4, 2.9, 3.3, 3.0}, 0.95)
	fmt.Printf("n=%d mean=%.2f sd=%.3f 95%% CI [%.2f, %.2f] p50=%.1f max=%.1f\n",
		s.N, s.Mean, s.StdDev, s.Lo, s.Hi, s.P50, s.Max)
	// Output:
	// n=6 mean=3.07 sd=0.258 95% CI [2.80, 3.34] p50=3.0 max=3.4
}

// A model that schedules many events can keep its instants as sim.Time,
// nanoseconds since the epoch, the engine's own clock.
func ExampleTime() {
	e, err := sim.New(sim.Config{Epoch: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		panic(err)
	}
	hour := sim.Time(time.Hour)
	var tick sim.HandlerFunc
	tick = func(e *sim.Engine) error {
		fmt.Println(e.Clock()/hour, e.Now().Format("15:04"))
		if e.Clock() < 3*hour {
			e.AtTime(e.Clock()+hour, tick)
		}
		return nil
	}
	e.AtTime(hour, tick)
	next, _ := e.PeekTime()
	fmt.Println("next at", next)
	if err := e.Run(e.Epoch().Add(24 * time.Hour)); err != nil {
		panic(err)
	}
	// Output:
	// next at 3600000000000
	// 1 01:00
	// 2 02:00
	// 3 03:00
}
