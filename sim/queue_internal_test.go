package sim

import (
	"flag"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var seedFlag = flag.Uint64("seed", 1, "seed of the randomized tests")

// verify checks the heap and slot-table invariants, like container/heap's
// verify: every entry is not before its parent, every pending slot knows its
// position and id, and every other slot is free.
func verify(t *testing.T, e *Engine) {
	t.Helper()
	if e.vacant {
		t.Fatal("vacant root outside a handler")
	}
	for p := root + 1; p < len(e.q); p++ {
		if u := parent(p); earlier(&e.q[p], &e.q[u]) != 0 {
			t.Fatalf("entry %d %+v before its parent %d %+v", p, e.q[p], u, e.q[u])
		}
	}
	live := make([]bool, len(e.slots))
	for p := root; p < len(e.q); p++ {
		s := e.q[p].slot
		switch {
		case live[s]:
			t.Fatalf("slot %d twice in the heap", s)
		case e.pos[s] != int32(p):
			t.Fatalf("slot %d at position %d records %d", s, p, e.pos[s])
		case e.slots[s].id == 0 || e.slots[s].h == nil:
			t.Fatalf("pending slot %d is %+v", s, e.slots[s])
		}
		live[s] = true
	}
	for _, s := range e.free {
		if live[s] || e.pos[s] != -1 || e.slots[s] != (slot{}) {
			t.Fatalf("free slot %d in use", s)
		}
	}
	if len(e.slots) != len(e.q)-root+len(e.free) {
		t.Fatalf("%d slots, %d pending, %d free", len(e.slots), len(e.q)-root, len(e.free))
	}
}

func TestHeapInvariantsUnderRandomOperations(t *testing.T) {
	t.Logf("seed %d", *seedFlag)
	r := rand.New(rand.NewPCG(*seedFlag, 0))
	e, err := New(Config{Epoch: time.Unix(0, 0).UTC()})
	require.NoError(t, err)
	noop := HandlerFunc(func(*Engine) error { return nil })
	var evs []Event
	for range 5000 {
		switch op := r.IntN(10); {
		case op < 4:
			evs = append(evs, e.After(time.Duration(r.IntN(100)), noop))
		case op < 6 && len(evs) > 0:
			ev := evs[r.IntN(len(evs))]
			was := e.Scheduled(ev)
			assert.Equal(t, was, e.Cancel(ev))
			assert.False(t, e.Scheduled(ev))
		case op < 8 && len(evs) > 0:
			ev := evs[r.IntN(len(evs))]
			was := e.Scheduled(ev)
			assert.Equal(t, was, e.Reschedule(ev, e.Now().Add(time.Duration(r.IntN(100)))))
			assert.Equal(t, was, e.Scheduled(ev))
		default:
			before := e.Now()
			_, err := e.Step()
			require.NoError(t, err)
			assert.False(t, e.Now().Before(before), "time went backwards")
		}
		verify(t, e)
	}
}

func TestSequenceRenumberingKeepsOrder(t *testing.T) {
	e, err := New(Config{Epoch: time.Unix(0, 0).UTC()})
	require.NoError(t, err)
	e.order = math.MaxUint32 - 3
	var got []int
	for k := range 10 {
		e.After(time.Duration(k%2), HandlerFunc(func(*Engine) error { got = append(got, k); return nil }))
		verify(t, e)
	}
	assert.Less(t, e.order, uint32(20), "renumbered")
	require.NoError(t, e.Run(e.Now().Add(time.Second)))
	assert.Equal(t, []int{0, 2, 4, 6, 8, 1, 3, 5, 7, 9}, got)
}
