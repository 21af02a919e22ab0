package sim_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/patchsim/patchsim/sim"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func newEngine(t testing.TB) *sim.Engine {
	t.Helper()
	e, err := sim.New(sim.Config{Epoch: epoch, Seed: 7})
	require.NoError(t, err)
	return e
}

// recorder returns a handler that appends label to *log when it runs.
func recorder(log *[]string, label string) sim.Handler {
	return sim.HandlerFunc(func(*sim.Engine) error { *log = append(*log, label); return nil })
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	assert.NoError(t, sim.Config{Epoch: epoch}.Validate())
	err := sim.Config{}.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sim: Config.Epoch")
	_, err = sim.New(sim.Config{Seed: 1})
	assert.Error(t, err)
}

func TestNewEngine(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	assert.Equal(t, epoch, e.Now())
	assert.Equal(t, epoch, e.Epoch())
	assert.Equal(t, uint64(7), e.Seed())
	assert.Equal(t, 0, e.Pending())
	_, ok := e.Peek()
	assert.False(t, ok)
	ran, err := e.Step()
	assert.False(t, ran)
	assert.NoError(t, err)
	assert.Equal(t, sim.Stream(7, "x").Uint64(), e.Stream("x").Uint64())
}

func TestOrderAndTies(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	var log []string
	e.After(2*time.Second, recorder(&log, "c"))
	e.At(epoch.Add(time.Second), recorder(&log, "a1"))
	e.After(time.Second, recorder(&log, "a2"))
	e.After(0, recorder(&log, "z"))
	e.At(epoch.Add(time.Second), sim.HandlerFunc(func(e *sim.Engine) error {
		log = append(log, "a3")
		// Scheduled at the current time: runs after the events already
		// due now.
		e.After(0, recorder(&log, "a5"))
		return nil
	}))
	e.After(time.Second, recorder(&log, "a4"))
	require.NoError(t, e.Run(epoch.Add(time.Hour)))
	assert.Equal(t, []string{"z", "a1", "a2", "a3", "a4", "a5", "c"}, log)
	assert.Equal(t, epoch.Add(time.Hour), e.Now())
}

func TestCancel(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	var log []string
	a := e.After(time.Second, recorder(&log, "a"))
	b := e.After(2*time.Second, recorder(&log, "b"))
	assert.True(t, e.Scheduled(a))
	assert.True(t, e.Cancel(a))
	assert.False(t, e.Cancel(a), "cancelled twice")
	assert.False(t, e.Scheduled(a))
	assert.False(t, e.Cancel(sim.Event{}), "zero Event")
	assert.Equal(t, 1, e.Pending())
	require.NoError(t, e.Run(epoch.Add(time.Minute)))
	assert.Equal(t, []string{"b"}, log)
	assert.False(t, e.Cancel(b), "already run")
}

func TestStaleHandleAfterSlotReuse(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	var log []string
	old := e.After(time.Second, recorder(&log, "old"))
	require.True(t, e.Cancel(old))
	// The new event reuses the freed storage; the old handle must not
	// reach it.
	fresh := e.After(time.Second, recorder(&log, "new"))
	assert.False(t, e.Cancel(old))
	assert.False(t, e.Reschedule(old, epoch.Add(time.Hour)))
	assert.False(t, e.Scheduled(old))
	assert.True(t, e.Scheduled(fresh))
	require.NoError(t, e.Run(epoch.Add(time.Minute)))
	assert.Equal(t, []string{"new"}, log)
}

func TestReschedule(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	var log []string
	a := e.After(time.Second, recorder(&log, "a"))
	e.After(2*time.Second, recorder(&log, "b"))
	e.After(3*time.Second, recorder(&log, "c"))
	// Later: a moves to 2 s, after b (scheduled earlier for that time).
	require.True(t, e.Reschedule(a, epoch.Add(2*time.Second)))
	assert.True(t, e.Scheduled(a), "same handle stays valid")
	assert.Equal(t, 3, e.Pending())
	next, ok := e.Peek()
	require.True(t, ok)
	assert.Equal(t, epoch.Add(2*time.Second), next)
	require.NoError(t, e.Run(epoch.Add(2*time.Second)))
	assert.Equal(t, []string{"b", "a"}, log)
	// Earlier: c moves from 3 s to now.
	log = nil
	c := e.After(10*time.Second, recorder(&log, "d"))
	e.After(5*time.Second, recorder(&log, "e"))
	require.True(t, e.Reschedule(c, e.Now()))
	require.NoError(t, e.Run(epoch.Add(time.Minute)))
	assert.Equal(t, []string{"d", "c", "e"}, log)
}

func TestRunBoundaries(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	var log []string
	until := epoch.Add(time.Hour)
	e.At(until, recorder(&log, "at until"))
	e.At(until.Add(time.Nanosecond), recorder(&log, "after until"))
	require.NoError(t, e.Run(until))
	assert.Equal(t, []string{"at until"}, log)
	assert.Equal(t, until, e.Now())
	assert.Equal(t, 1, e.Pending())

	// Running to now is allowed and does nothing.
	require.NoError(t, e.Run(until))
	assert.Equal(t, []string{"at until"}, log)

	err := e.Run(until.Add(-time.Nanosecond))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sim: Run until")
	assert.Equal(t, until, e.Now())
}

func TestStepAndPeek(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	var log []string
	e.After(3*time.Second, recorder(&log, "b"))
	e.After(time.Second, recorder(&log, "a"))
	next, ok := e.Peek()
	require.True(t, ok)
	assert.Equal(t, epoch.Add(time.Second), next)
	assert.Equal(t, epoch, e.Now(), "Peek does not move the clock")

	ran, err := e.Step()
	require.NoError(t, err)
	assert.True(t, ran)
	assert.Equal(t, epoch.Add(time.Second), e.Now())
	assert.Equal(t, []string{"a"}, log)
	ran, err = e.Step()
	require.NoError(t, err)
	assert.True(t, ran)
	assert.Equal(t, epoch.Add(3*time.Second), e.Now())
	ran, err = e.Step()
	require.NoError(t, err)
	assert.False(t, ran)
	assert.Equal(t, epoch.Add(3*time.Second), e.Now())
}

// named is a handler with a Name method and a configurable error.
type named struct{ err error }

func (n *named) Handle(*sim.Engine) error { return n.err }
func (n *named) Name() string             { return "arrival" }

// plain has no Name method.
type plain struct{ err error }

func (p *plain) Handle(*sim.Engine) error { return p.err }

func TestHandlerErrorWrapping(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	for _, tc := range []struct {
		name string
		h    sim.Handler
		want string
	}{
		{"Name method", &named{err: boom}, "sim: event arrival at 2025-01-01 00:00:05 +0000 UTC: boom"},
		{"type name", &plain{err: boom}, "sim: event *sim_test.plain at 2025-01-01 00:00:05 +0000 UTC: boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEngine(t)
			var log []string
			e.After(5*time.Second, tc.h)
			e.After(6*time.Second, recorder(&log, "later"))
			err := e.Run(epoch.Add(time.Minute))
			require.Error(t, err)
			assert.ErrorIs(t, err, boom)
			assert.Equal(t, tc.want, err.Error())
			assert.Equal(t, epoch.Add(5*time.Second), e.Now(), "clock stays at the failed event")
			assert.Empty(t, log, "Run stops at the first error")
			assert.Equal(t, 1, e.Pending())

			e.After(0, tc.h)
			ran, err := e.Step()
			assert.True(t, ran)
			assert.ErrorIs(t, err, boom)
		})
	}
}

func TestMisusePanics(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	noop := sim.HandlerFunc(func(*sim.Engine) error { return nil })
	require.NoError(t, e.Run(epoch.Add(time.Hour)))
	ev := e.After(time.Second, noop)
	for _, tc := range []struct {
		name string
		f    func()
		msg  string
	}{
		{"negative delay", func() { e.After(-time.Nanosecond, noop) }, "sim: After with delay -1ns"},
		{"nil handler After", func() { e.After(0, nil) }, "sim: nil Handler"},
		{"nil handler At", func() { e.At(e.Now(), nil) }, "sim: nil Handler"},
		{"At in the past", func() { e.At(epoch, noop) }, "sim: At time 2025-01-01 00:00:00 +0000 UTC is before Now"},
		{"Reschedule into the past", func() { e.Reschedule(ev, epoch) }, "sim: Reschedule time"},
		{"At out of range", func() { e.At(epoch.AddDate(300, 0, 0), noop) }, "more than about 292 years"},
		{"After overflow", func() { e.After(time.Duration(1<<63-1), noop) }, "sim: After with delay"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				r := recover()
				require.NotNil(t, r, "no panic")
				assert.Contains(t, r, tc.msg)
			}()
			tc.f()
		})
	}
	assert.Equal(t, 1, e.Pending(), "misuse changed nothing")
	assert.Equal(t, epoch.Add(time.Hour), e.Now())
}

// hold reschedules itself after a fixed delay.
type hold struct{ d time.Duration }

func (h *hold) Handle(e *sim.Engine) error {
	e.After(h.d, h)
	return nil
}

// cycle exercises cancel and reschedule in steady state: it arms a timer,
// moves it, cancels it and reschedules itself.
type cycle struct {
	timer sim.Handler
}

func (c *cycle) Handle(e *sim.Engine) error {
	ev := e.After(time.Hour, c.timer)
	e.Reschedule(ev, e.Now().Add(2*time.Hour))
	e.Cancel(ev)
	e.After(time.Second, c)
	return nil
}

func TestZeroAllocsPerEvent(t *testing.T) {
	e := newEngine(t)
	for k := range 1000 {
		e.After(time.Duration(k)*time.Millisecond, &hold{d: time.Second})
	}
	e.After(0, &cycle{timer: &hold{d: time.Second}})
	// Warm up to steady state: the queue and slot table reach their size.
	for range 10000 {
		_, err := e.Step()
		require.NoError(t, err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		for range 100 {
			if _, err := e.Step(); err != nil {
				t.Fatal(err)
			}
		}
	})
	assert.Zero(t, allocs)
}

// AtTime and At schedule into one queue: events at equal instants run in
// scheduling order whichever form scheduled them; AtTime before the clock
// panics as At does.
func TestAtTimeIsAt(t *testing.T) {
	e := newEngine(t)
	var got []string
	mark := func(s string) sim.HandlerFunc {
		return func(e *sim.Engine) error {
			got = append(got, fmt.Sprintf("%s@%d", s, e.Clock()/sim.Time(time.Minute)))
			return nil
		}
	}
	e.At(epoch.Add(2*time.Minute), mark("a"))
	e.AtTime(sim.Time(2*time.Minute), mark("b"))
	e.AtTime(sim.Time(time.Minute), mark("c"))
	next, ok := e.PeekTime()
	require.True(t, ok)
	assert.Equal(t, sim.Time(time.Minute), next)
	require.NoError(t, e.Run(epoch.Add(time.Hour)))
	assert.Equal(t, []string{"c@1", "a@2", "b@2"}, got)
	assert.Panics(t, func() { e.AtTime(sim.Time(time.Minute), mark("late")) })
	_, ok = e.PeekTime()
	assert.False(t, ok)
}

// Time.Add and Time.Sub agree with the engine: an event scheduled at
// Clock().Add(d) runs when Now has moved d, and Sub measures it back.
func TestTimeAddSub(t *testing.T) {
	e := newEngine(t)
	from := e.Clock()
	var ran sim.Time
	e.AtTime(from.Add(90*time.Minute), sim.HandlerFunc(func(e *sim.Engine) error {
		ran = e.Clock()
		assert.Equal(t, epoch.Add(90*time.Minute), e.Now())
		return nil
	}))
	require.NoError(t, e.Run(epoch.Add(2*time.Hour)))
	assert.Equal(t, 90*time.Minute, ran.Sub(from))
	assert.Equal(t, -90*time.Minute, from.Sub(ran))
	assert.Equal(t, sim.Time(-1), sim.Time(0).Add(-time.Nanosecond))
}
