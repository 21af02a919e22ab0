package benchmarks

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/patchsim/patchsim/sim"
)

// The hold model (Vaucher and Duval, 1975) is the classic event-queue
// workload: P events are pending; each event, when it runs, schedules one
// more at now + Exp(1) s, so the queue stays at P. Every iteration runs
// holdBatch events; ns/event is the cost of one pop plus one push.
const holdBatch = 1000

var holdSizes = []int{1000, 100000}

func BenchmarkHold(b *testing.B) {
	for _, p := range holdSizes {
		b.Run(fmt.Sprintf("engine/pending=%d", p), func(b *testing.B) { benchHoldEngine(b, p) })
	}
	for _, p := range holdSizes {
		b.Run(fmt.Sprintf("baseline/pending=%d", p), func(b *testing.B) { benchHoldBaseline(b, p) })
	}
}

// expNanos draws an Exp(1) second delay in nanoseconds.
func expNanos(r *rand.Rand) int64 { return int64(r.ExpFloat64() * 1e9) }

// holder is the hold model's only handler: it reschedules itself.
type holder struct{ r *rand.Rand }

func (h *holder) Handle(e *sim.Engine) error {
	e.After(time.Duration(expNanos(h.r)), h)
	return nil
}

func benchHoldEngine(b *testing.B, pending int) {
	e, err := sim.New(sim.Config{Epoch: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	h := &holder{r: e.Stream("hold")}
	for range pending {
		e.After(time.Duration(expNanos(h.r)), h)
	}
	b.ReportAllocs()
	for b.Loop() {
		for range holdBatch {
			if _, err := e.Step(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*holdBatch), "ns/event")
}

// baseline is the floor for the engine: a bare slice-based binary min-heap
// of (time, sequence) pairs, with no handles and no handler dispatch.
type baseline []struct {
	at  int64
	seq uint64
}

func (q baseline) less(i, j int) bool {
	return q[i].at < q[j].at || (q[i].at == q[j].at && q[i].seq < q[j].seq)
}

func (q *baseline) push(at int64, seq uint64) {
	*q = append(*q, struct {
		at  int64
		seq uint64
	}{at, seq})
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h.less(i, p) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *baseline) pop() int64 {
	h := *q
	top := h[0].at
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h.less(c+1, c) {
			c++
		}
		if !h.less(c, i) {
			break
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
	*q = h
	return top
}

func benchHoldBaseline(b *testing.B, pending int) {
	r := sim.Stream(1, "hold")
	q := make(baseline, 0, pending+1)
	var seq uint64
	for range pending {
		seq++
		q.push(expNanos(r), seq)
	}
	b.ReportAllocs()
	for b.Loop() {
		for range holdBatch {
			now := q.pop()
			seq++
			q.push(now+expNanos(r), seq)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*holdBatch), "ns/event")
}
