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
	require.False(t, e.vacant, "vacant root outside a handler")
	for p := root + 1; p < len(e.q); p++ {
		u := parent(p)
		require.Zerof(t, earlier(&e.q[p], &e.q[u]), "entry %d %+v before its parent %d %+v", p, e.q[p], u, e.q[u])
	}
	live := make(map[int32]bool)
	for p := root; p < len(e.q); p++ {
		s := e.q[p].slot
		require.False(t, live[s], "slot %d twice in the heap", s)
		live[s] = true
		require.Equal(t, int32(p), e.pos[s], "position of slot %d", s)
		require.NotZero(t, e.ids[s], "id of slot %d", s)
		require.NotNil(t, e.hs[s], "handler of slot %d", s)
	}
	for _, s := range e.free {
		require.False(t, live[s], "free slot %d in the heap", s)
		require.Equal(t, int32(-1), e.pos[s])
		require.Zero(t, e.ids[s])
	}
	require.Equal(t, len(e.hs), len(live)+len(e.free), "slots neither pending nor free")
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
