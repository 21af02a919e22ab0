package sim

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// entry is one pending event in the queue, 16 bytes. Entries are ordered by
// (at, seq); seq is unique among pending entries, so the order is total and
// events at equal times run in scheduling order.
type entry struct {
	at   int64  // nanoseconds since the epoch; never negative
	seq  uint32 // scheduling order; see Engine.nextSeq
	slot int32  // the event's slot in the engine's slot table
}

// earlier returns 1 if a is before b and 0 otherwise, without branches: it is
// the borrow of the 96-bit subtraction (a.at, a.seq) - (b.at, b.seq). Times
// are never negative, so they compare correctly as unsigned.
func earlier(a, b *entry) uint {
	_, borrow := bits.Sub64(uint64(a.seq), uint64(b.seq), 0)
	_, borrow = bits.Sub64(uint64(a.at), uint64(b.at), borrow)
	return uint(borrow)
}

// The queue is a 4-ary min-heap stored in e.q from position root on. The
// positions before root are padding, chosen so that the children of position
// p, 4p-8 .. 4p-5, start at a multiple of four: with 16-byte entries the four
// siblings share one 64-byte cache line. A 4-ary heap has half the depth of a
// binary one. Every move of an entry records its position in e.pos, so that
// handles find their entry in O(1). Sifting moves a hole rather than
// swapping, writing each entry once.
const root = 3

func parent(p int) int { return p/4 + 2 }
func child(p int) int  { return 4*p - 8 }

// nextSeq returns the scheduling order of a new entry. The order is 32 bits
// to keep entries small; before it wraps, the pending entries are renumbered
// 1..n in their existing order, which keeps the heap valid.
func (e *Engine) nextSeq() uint32 {
	if e.order == math.MaxUint32 {
		e.renumber()
	}
	e.order++
	return e.order
}

func (e *Engine) renumber() {
	ps := make([]int, 0, len(e.q)-root)
	for p := root; p < len(e.q); p++ {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b int) int { return cmp.Compare(e.q[a].seq, e.q[b].seq) })
	for k, p := range ps {
		e.q[p].seq = uint32(k + 1)
	}
	e.order = uint32(len(ps))
}

// push adds x to the heap.
func (e *Engine) push(x entry) {
	e.q = append(e.q, x)
	e.up(len(e.q)-1, x)
}

// pop removes the first entry of a non-empty heap.
func (e *Engine) pop() {
	n := len(e.q) - 1
	last := e.q[n]
	e.q = e.q[:n]
	if n > root {
		e.down(root, last)
	}
}

// remove deletes the entry at position p.
func (e *Engine) remove(p int) {
	n := len(e.q) - 1
	last := e.q[n]
	e.q = e.q[:n]
	if p < n {
		e.fix(p, last)
	}
}

// fix places x at position p, whose entry it replaces, and restores the heap.
func (e *Engine) fix(p int, x entry) {
	if p > root && earlier(&x, &e.q[parent(p)]) != 0 {
		e.up(p, x)
	} else {
		e.down(p, x)
	}
}

// up moves x from the hole at p towards the root until its parent is before it.
func (e *Engine) up(p int, x entry) {
	q, pos := e.q, e.pos
	for p > root {
		u := parent(p)
		if earlier(&x, &q[u]) == 0 {
			break
		}
		q[p] = q[u]
		pos[q[p].slot] = int32(p)
		p = u
	}
	q[p] = x
	pos[x.slot] = int32(p)
}

// down moves x from the hole at p towards the leaves until it is before all
// its children.
func (e *Engine) down(p int, x entry) {
	q, pos := e.q, e.pos
	n := len(q)
	for {
		c := child(p)
		if c >= n {
			break
		}
		var m int
		if c+3 < n {
			// All four children: a branch-free tournament, since which
			// child is least is unpredictable.
			a := c + int(earlier(&q[c+1], &q[c]))
			b := c + 2 + int(earlier(&q[c+3], &q[c+2]))
			m = a + (b-a)*int(earlier(&q[b], &q[a]))
		} else {
			m = c
			for j := c + 1; j < n; j++ {
				if earlier(&q[j], &q[m]) != 0 {
					m = j
				}
			}
		}
		if earlier(&q[m], &x) == 0 {
			break
		}
		q[p] = q[m]
		pos[q[p].slot] = int32(p)
		if p == root {
			// The next event is known: start loading its slot, which
			// running it will read, while the sift goes on.
			e.warm = e.slots[q[p].slot].id
		}
		p = m
	}
	q[p] = x
	pos[x.slot] = int32(p)
}
