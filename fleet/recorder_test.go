package fleet

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// exact agrees with math/big on sums that overflow int64 either way, and
// gives the same value in any order of addition.
func TestExactSum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, sign := range []int64{1, -1} {
		vs := make([]int64, 1000)
		var want big.Int
		for i := range vs {
			vs[i] = sign * rng.Int64N(1<<62)
			want.Add(&want, big.NewInt(vs[i]))
		}
		var fwd, back exact
		for i := range vs {
			fwd.add(vs[i])
			back.add(vs[len(vs)-1-i])
		}
		assert.Equal(t, fwd, back)
		w, _ := new(big.Float).SetInt(&want).Float64()
		assert.Equal(t, w, fwd.float())
	}
	var s exact
	s.add(5)
	s.add(-7)
	assert.Equal(t, -2.0, s.float())
}

// seek finds what a binary search finds, from any earlier answer.
func TestSeek(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := make([]int64, 200)
	for i := range p {
		p[i] = int64(i/3) * 10 // runs of equal instants
	}
	i := int32(0)
	for range 2000 {
		cut := rng.Int64N(2100) - 50
		if rng.IntN(3) > 0 {
			cut = pubAt(p, min(i, 199)) + rng.Int64N(40) // mostly small steps forward
		}
		i = seek(p, i, cut)
		assert.Equal(t, int32(after(p, cut)), i, "cut %d", cut)
	}
}
