package benchmarks

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/patchsim/patchsim/sim"
)

// The M/M/1 model: Poisson arrivals at rate 0.8/s, one server with
// exponential service at rate 1/s, FIFO, built from an Engine and a
// Resource. A customer costs three events: arrival, start of service (the
// grant) and departure. Every iteration runs mm1Batch events.
const (
	mm1Batch  = 3000
	mm1Lambda = 0.8
	mm1Mu     = 1.0
)

type mm1 struct {
	r        *sim.Resource
	arr, svc *rand.Rand
	arrived  []time.Time // arrival times of customers waiting for service
	head     int         // first live element of arrived
	waits    sim.Tally   // wait in queue, seconds
	served   int
}

type (
	mm1Arrive mm1
	mm1Start  mm1
	mm1Depart mm1
)

func (a *mm1Arrive) Handle(e *sim.Engine) error {
	m := (*mm1)(a)
	e.After(time.Duration(m.arr.ExpFloat64()/mm1Lambda*1e9), a)
	if m.head > len(m.arrived)/2 { // reuse the served prefix
		n := copy(m.arrived, m.arrived[m.head:])
		m.arrived, m.head = m.arrived[:n], 0
	}
	m.arrived = append(m.arrived, e.Now())
	m.r.Acquire(1, (*mm1Start)(m))
	return nil
}

func (s *mm1Start) Handle(e *sim.Engine) error {
	m := (*mm1)(s)
	m.waits.Add(e.Now().Sub(m.arrived[m.head]).Seconds())
	m.head++
	e.After(time.Duration(m.svc.ExpFloat64()/mm1Mu*1e9), (*mm1Depart)(m))
	return nil
}

func (d *mm1Depart) Handle(*sim.Engine) error {
	d.r.Release(1)
	d.served++
	return nil
}

func BenchmarkMM1(b *testing.B) {
	e, err := sim.New(sim.Config{Epoch: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	r, err := sim.NewResource(e, 1)
	if err != nil {
		b.Fatal(err)
	}
	m := &mm1{r: r, arr: e.Stream("arrivals"), svc: e.Stream("service")}
	e.After(0, (*mm1Arrive)(m))
	step := func(n int) {
		for range n {
			if _, err := e.Step(); err != nil {
				b.Fatal(err)
			}
		}
	}
	step(100 * mm1Batch) // warm up: buffers reach their working size
	served := m.served
	b.ReportAllocs()
	for b.Loop() {
		step(mm1Batch)
	}
	ns := float64(b.Elapsed().Nanoseconds())
	events := float64(b.N * mm1Batch)
	b.ReportMetric(ns/events, "ns/event")
	b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(ns/float64(m.served-served), "ns/customer")
}
