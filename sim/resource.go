package sim

import (
	"errors"
	"fmt"
	"time"
)

// Resource is a counting resource: capacity units that handlers acquire and
// release, such as the servers of a queue or a concurrency cap. Requests
// that cannot be granted wait in one FIFO queue and are granted strictly in
// arrival order: a large request at the head is never overtaken by a
// smaller one behind it.
//
// A granted request's handler is scheduled on the engine at the time of the
// grant, after the events already scheduled for that time. The resource
// keeps time-weighted statistics of the units in use and of the queue
// length, from its creation or from the last [Resource.ResetStats].
//
// A Resource belongs to one engine and is not safe for concurrent use.
type Resource struct {
	e        *Engine
	capacity int
	inUse    int
	waiting  ring
	busy     TimeWeighted // units in use
	queue    TimeWeighted // requests waiting
}

type waiter struct {
	n int
	h Handler
}

// ring is a FIFO queue of waiters in a circular buffer that grows by
// doubling, so that steady-state use allocates nothing.
type ring struct {
	buf  []waiter
	head int
	n    int
}

func (r *ring) push(w waiter) {
	if r.n == len(r.buf) {
		buf := make([]waiter, max(2*len(r.buf), 8))
		for k := range r.n {
			buf[k] = r.buf[(r.head+k)%len(r.buf)]
		}
		r.buf, r.head = buf, 0
	}
	r.buf[(r.head+r.n)%len(r.buf)] = w
	r.n++
}

func (r *ring) front() *waiter { return &r.buf[r.head] }

func (r *ring) pop() waiter {
	w := r.buf[r.head]
	r.buf[r.head] = waiter{}
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	return w
}

// NewResource returns a resource of capacity units on e, all free. It
// returns an error if e is nil or capacity < 1.
func NewResource(e *Engine, capacity int) (*Resource, error) {
	var errs []error
	if e == nil {
		errs = append(errs, errors.New("sim: NewResource: engine is nil"))
	}
	if capacity < 1 {
		errs = append(errs, fmt.Errorf("sim: NewResource: capacity %d: want at least 1", capacity))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	r := &Resource{e: e, capacity: capacity}
	r.ResetStats()
	return r, nil
}

// Capacity returns the number of units of r.
func (r *Resource) Capacity() int { return r.capacity }

// InUse returns the number of units currently granted.
func (r *Resource) InUse() int { return r.inUse }

// Queued returns the number of requests waiting.
func (r *Resource) Queued() int { return r.waiting.n }

// Acquire requests n units for h. If no request is waiting and n units are
// free, they are granted at once; otherwise the request joins the end of the
// queue. When granted, h is scheduled at the current time. The holder gives
// the units back with [Resource.Release].
//
// It panics if h is nil or n is not in [1, Capacity()].
func (r *Resource) Acquire(n int, h Handler) {
	if h == nil {
		panic("sim: Resource.Acquire with nil Handler")
	}
	r.check("Acquire", n)
	if r.waiting.n == 0 && r.inUse+n <= r.capacity {
		r.grant(n, h)
		r.busy.set(r.e.now, float64(r.inUse))
		return
	}
	r.waiting.push(waiter{n: n, h: h})
	r.queue.set(r.e.now, float64(r.waiting.n))
}

// TryAcquire takes n units at once if no request is waiting and n units are
// free, and reports whether it did.
//
// It panics if n is not in [1, Capacity()].
func (r *Resource) TryAcquire(n int) bool {
	r.check("TryAcquire", n)
	if r.waiting.n > 0 || r.inUse+n > r.capacity {
		return false
	}
	r.inUse += n
	r.busy.set(r.e.now, float64(r.inUse))
	return true
}

// Release gives back n units and grants waiting requests, in order, while
// the request at the head of the queue fits.
//
// It panics if n < 1 or n > InUse(): releasing units that were never
// granted is a bug in the model.
func (r *Resource) Release(n int) {
	if n < 1 || n > r.inUse {
		panic(fmt.Sprintf("sim: Resource.Release(%d) with %d units in use", n, r.inUse))
	}
	r.inUse -= n
	queued := r.waiting.n
	for r.waiting.n > 0 && r.inUse+r.waiting.front().n <= r.capacity {
		w := r.waiting.pop()
		r.grant(w.n, w.h)
	}
	r.busy.set(r.e.now, float64(r.inUse))
	if r.waiting.n != queued {
		r.queue.set(r.e.now, float64(r.waiting.n))
	}
}

// grant gives n units to h and schedules it now; the caller records the
// statistics.
func (r *Resource) grant(n int, h Handler) {
	r.inUse += n
	r.e.After(0, h)
}

func (r *Resource) check(op string, n int) {
	if n < 1 || n > r.capacity {
		panic(fmt.Sprintf("sim: Resource.%s(%d) on capacity %d: want 1 <= n <= capacity", op, n, r.capacity))
	}
}

// ResetStats restarts the statistics at the engine's current time, for
// example at the end of a warm-up period. The state (units in use, queue)
// is kept.
func (r *Resource) ResetStats() {
	r.busy = TimeWeighted{}
	r.queue = TimeWeighted{}
	r.busy.start(r.e.epoch, r.e.now, float64(r.inUse))
	r.queue.start(r.e.epoch, r.e.now, float64(r.waiting.n))
}

// Utilisation returns the time-average fraction of capacity in use from the
// start of the statistics to until, in [0, 1]; NaN if until is the start.
//
// It panics if until is before the last change of the resource.
func (r *Resource) Utilisation(until time.Time) float64 {
	return r.busy.Mean(until) / float64(r.capacity)
}

// MeanQueue returns the time-average number of waiting requests from the
// start of the statistics to until; NaN if until is the start.
//
// It panics if until is before the last change of the resource.
func (r *Resource) MeanQueue(until time.Time) float64 { return r.queue.Mean(until) }

// MaxQueue returns the largest number of waiting requests since the start
// of the statistics.
func (r *Resource) MaxQueue() int { return int(r.queue.Max()) }
