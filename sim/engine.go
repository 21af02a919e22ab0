package sim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Config describes an [Engine]. A run is fully determined by its Config and
// the handlers it schedules.
type Config struct {
	// Epoch is the instant of simulated time 0, where the clock starts.
	// Required: the zero time.Time is rejected. [Engine.Now] reports times
	// in Epoch's location; a monotonic clock reading is stripped.
	Epoch time.Time
	// Seed is the root of every random stream of the run (see [Stream]).
	// Every value, including 0, is valid.
	Seed uint64
}

// Validate reports every problem with c, each naming its field, joined with
// errors.Join; nil if c is valid. It never modifies c.
func (c Config) Validate() error {
	var errs []error
	if c.Epoch.IsZero() {
		errs = append(errs, errors.New("sim: Config.Epoch is the zero time; set the instant of simulated time 0"))
	}
	return errors.Join(errs...)
}

// Handler is the work an event does when it runs. Handle is called with the
// engine's clock at the event's time; it may schedule, cancel and reschedule
// events. A non-nil error stops [Engine.Run].
//
// Implement Handler with a pointer type (or use [HandlerFunc]): storing a
// pointer in the interface does not allocate. If the handler also has a
// method Name() string, errors use that name for the event.
type Handler interface {
	Handle(e *Engine) error
}

// HandlerFunc adapts a function to a [Handler].
type HandlerFunc func(e *Engine) error

// Handle calls f(e).
func (f HandlerFunc) Handle(e *Engine) error { return f(e) }

// Event is a handle to a scheduled event, for [Engine.Cancel],
// [Engine.Reschedule] and [Engine.Scheduled]. Once the event has run or
// been cancelled the handle is stale: it never refers to a later event,
// even one that reuses its storage. The zero Event refers to no event.
type Event struct {
	slot int32  // index into the engine's slot table
	id   uint64 // sequence number at scheduling; 0 for no event
}

// Engine is a discrete-event simulation engine: a clock in simulated time
// and a queue of pending events. Events run in order of time; events at
// equal times run in the order they were scheduled.
//
// Time is kept as integer nanoseconds since the epoch, so the engine spans
// about 292 years from [Config.Epoch]. Scheduling, cancelling and
// rescheduling cost O(log n) for n pending events, and in steady state
// (once the queue has reached its largest size) they allocate nothing.
//
// An Engine is not safe for concurrent use; run independent replications on
// separate engines (see [Replicate]).
type Engine struct {
	epoch time.Time
	seed  uint64
	now   int64  // nanoseconds since epoch
	seq   uint64 // last Event id handed out
	order uint32 // last entry seq handed out (see nextSeq)

	q []entry // 4-ary min-heap ordered by (at, seq), from position root
	// vacant reports that q[root] belongs to the event that is running: it
	// left the queue logically but still fills the root, so that the first
	// event its handler schedules replaces it with one sift instead of a
	// removal and an insertion (the common "hold" step of a model).
	vacant bool

	// Slot table: one slot per pending event, reused through free.
	pos   []int32 // position in q of the slot's entry; -1 if free
	slots []slot
	warm  uint64  // sink of the slot load in down
	free  []int32 // free slots, used last-in first-out
}

// slot holds a pending event's handler and id together, so that running an
// event reads and clears one cache line of the table.
type slot struct {
	h  Handler // nil if free
	id uint64  // the Event id; 0 if free
}

type namer interface{ Name() string }

// New returns an engine with its clock at cfg.Epoch and no pending events.
// It returns the error of cfg.Validate if cfg is invalid.
func New(cfg Config) (*Engine, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Engine{epoch: cfg.Epoch.Round(0), seed: cfg.Seed, q: make([]entry, root)}, nil
}

// Now returns the current simulated time.
func (e *Engine) Now() time.Time { return e.epoch.Add(time.Duration(e.now)) }

// Time is an instant of simulated time in nanoseconds since the epoch
// ([Config.Epoch]): the engine's own clock. [Engine.Clock], [Engine.AtTime]
// and [Engine.PeekTime] speak it, so that a model scheduling an event per
// step need not convert to and from time.Time; Time(0) is the epoch.
type Time int64

// Add returns t+d. Like integer addition it does not saturate: keep
// results within the engine's span.
func (t Time) Add(d time.Duration) Time { return t + Time(d) }

// Sub returns the duration t-u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t - u) }

// Clock returns the current simulated time as a [Time].
func (e *Engine) Clock() Time { return Time(e.now) }

// AtTime schedules h to run at t, like [Engine.At].
//
// It panics if h is nil or if t is before [Engine.Clock].
func (e *Engine) AtTime(t Time, h Handler) Event {
	if int64(t) < e.now {
		panic(fmt.Sprintf("sim: AtTime %d ns is before Clock %d ns", t, e.now))
	}
	return e.schedule(int64(t), h)
}

// PeekTime returns the time of the next event as a [Time], and false if
// none is pending, like [Engine.Peek].
func (e *Engine) PeekTime() (Time, bool) {
	e.settle()
	if len(e.q) <= root {
		return 0, false
	}
	return Time(e.q[root].at), true
}

// Epoch returns the instant of simulated time 0 ([Config.Epoch]).
func (e *Engine) Epoch() time.Time { return e.epoch }

// Seed returns the root of the run's random streams ([Config.Seed]).
func (e *Engine) Seed() uint64 { return e.seed }

// Stream returns the named random stream of this run: Stream(e.Seed(), name).
func (e *Engine) Stream(name string) *rand.Rand { return Stream(e.seed, name) }

// At schedules h to run at t and returns its handle. Events at equal times
// run in the order they were scheduled.
//
// It panics if h is nil, if t is before [Engine.Now], or if t is more than
// about 292 years after the epoch.
func (e *Engine) At(t time.Time, h Handler) Event {
	return e.schedule(e.offset(t, "At"), h)
}

// After schedules h to run d after [Engine.Now] and returns its handle.
// After(0, h) runs h at the current time, after the events already
// scheduled for it.
//
// It panics if h is nil, if d < 0, or if the time lies more than about 292
// years after the epoch.
func (e *Engine) After(d time.Duration, h Handler) Event {
	at := e.now + int64(d)
	if d < 0 || at < e.now {
		panic(fmt.Sprintf("sim: After with delay %v: want 0 <= d and Now()+d within about 292 years of the epoch", d))
	}
	return e.schedule(at, h)
}

// offset converts t to nanoseconds since the epoch, panicking (with op in the
// message) if t is before now or out of range.
func (e *Engine) offset(t time.Time, op string) int64 {
	d := t.Sub(e.epoch)
	if d == math.MaxInt64 || d == math.MinInt64 {
		if !e.epoch.Add(d).Equal(t) {
			panic(fmt.Sprintf("sim: %s time %v is more than about 292 years from the epoch %v", op, t, e.epoch))
		}
	}
	if int64(d) < e.now {
		panic(fmt.Sprintf("sim: %s time %v is before Now %v", op, t, e.Now()))
	}
	return int64(d)
}

func (e *Engine) schedule(at int64, h Handler) Event {
	if h == nil {
		panic("sim: nil Handler")
	}
	e.seq++
	var s int32
	if n := len(e.free); n > 0 {
		s = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		s = int32(len(e.slots))
		e.pos = append(e.pos, -1)
		e.slots = append(e.slots, slot{})
	}
	e.slots[s] = slot{h: h, id: e.seq}
	x := entry{at: at, seq: e.nextSeq(), slot: s}
	if e.vacant {
		e.vacant = false
		e.down(root, x)
	} else {
		e.push(x)
	}
	return Event{slot: s, id: e.seq}
}

// lookup returns the heap index of ev's entry, or -1 if ev is not pending.
func (e *Engine) lookup(ev Event) int {
	if ev.id == 0 || int(ev.slot) >= len(e.slots) || e.slots[ev.slot].id != ev.id {
		return -1
	}
	return int(e.pos[ev.slot])
}

// release returns slot s to the free list.
func (e *Engine) release(s int32) {
	e.pos[s] = -1
	e.slots[s] = slot{}
	e.free = append(e.free, s)
}

// Scheduled reports whether ev is pending: scheduled and not yet run or
// cancelled.
func (e *Engine) Scheduled(ev Event) bool { return e.lookup(ev) >= 0 }

// Cancel removes the pending event ev from the queue. It returns false, and
// does nothing, if ev has already run, was cancelled, or is the zero Event.
func (e *Engine) Cancel(ev Event) bool {
	e.settle()
	i := e.lookup(ev)
	if i < 0 {
		return false
	}
	e.remove(i)
	e.release(ev.slot)
	return true
}

// Reschedule moves the pending event ev to t, keeping its handler and its
// handle. Among events at t it runs after those already scheduled, as if it
// had just been scheduled. It returns false, and does nothing, if ev is not
// pending.
//
// It panics, like [Engine.At], if t is before Now or out of range.
func (e *Engine) Reschedule(ev Event, t time.Time) bool {
	e.settle()
	i := e.lookup(ev)
	if i < 0 {
		return false
	}
	at := e.offset(t, "Reschedule")
	x := e.q[i]
	x.at, x.seq = at, e.nextSeq()
	e.fix(i, x)
	return true
}

// Pending returns the number of pending events.
func (e *Engine) Pending() int {
	n := len(e.q) - root
	if e.vacant {
		n--
	}
	return max(n, 0)
}

// Peek returns the time of the next event, and false if none is pending.
func (e *Engine) Peek() (time.Time, bool) {
	e.settle()
	if len(e.q) <= root {
		return time.Time{}, false
	}
	return e.epoch.Add(time.Duration(e.q[root].at)), true
}

// Step advances the clock to the next event and runs it. It returns false
// if no event was pending (the clock does not move). A handler error is
// returned wrapped as by [Engine.Run].
func (e *Engine) Step() (bool, error) {
	e.settle()
	if len(e.q) <= root {
		return false, nil
	}
	return true, e.step()
}

// step runs the first event of a non-empty, settled queue.
func (e *Engine) step() error {
	top := e.q[root]
	e.now = top.at
	h := e.slots[top.slot].h
	e.release(top.slot)
	e.vacant = true
	err := h.Handle(e)
	e.settle()
	if err != nil {
		return e.wrap(h, top.at, err)
	}
	return nil
}

// settle removes a vacant root left by a running or finished event.
func (e *Engine) settle() {
	if e.vacant {
		e.vacant = false
		e.pop()
	}
}

func (e *Engine) wrap(h Handler, at int64, err error) error {
	name := fmt.Sprintf("%T", h)
	if n, ok := h.(namer); ok {
		name = n.Name()
	}
	return fmt.Errorf("sim: event %s at %v: %w", name, e.epoch.Add(time.Duration(at)), err)
}

// Run runs every event whose time is at or before until, in order, including
// events that handlers schedule along the way, then sets the clock to until.
// It stops at the first handler error and returns it wrapped with the
// event's name (its Name method, else its type) and simulated time:
// "sim: event NAME at TIME: ERR"; the clock then stays at that event's time.
//
// It returns an error, and runs nothing, if until is before [Engine.Now] or
// more than about 292 years after the epoch.
func (e *Engine) Run(until time.Time) error {
	d := until.Sub(e.epoch)
	switch {
	case (d == math.MaxInt64 || d == math.MinInt64) && !e.epoch.Add(d).Equal(until):
		return fmt.Errorf("sim: Run until %v is more than about 292 years from the epoch %v", until, e.epoch)
	case int64(d) < e.now:
		return fmt.Errorf("sim: Run until %v is before Now %v", until, e.Now())
	}
	u := int64(d)
	e.settle()
	for len(e.q) > root && e.q[root].at <= u {
		if err := e.step(); err != nil {
			return err
		}
	}
	e.now = u
	return nil
}
