package sim

import (
	"hash/fnv"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFNV64aMatchesHashFNV(t *testing.T) {
	for _, s := range []string{"", "a", "arrivals", "node-image/eastus", "\x00\xff"} {
		h := fnv.New64a()
		_, _ = h.Write([]byte(s))
		assert.Equal(t, h.Sum64(), Hash(s), "%q", s)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Hash("arrivals") }))
}

// Mix is three SplitMix64 rounds (the first output of SplitMix64 seeded 0
// is 0xe220a8397b1dcdaf), and a Mixer gives Mix with its first two words
// fixed.
func TestMixAndMixer(t *testing.T) {
	assert.Equal(t, uint64(0xe220a8397b1dcdaf), splitmix64(0))
	words := []uint64{0, 1, 0x9e3779b97f4a7c15, 1 << 63, ^uint64(0), 20089}
	for _, a := range words {
		for _, b := range words {
			m := NewMixer(a, b)
			for _, c := range words {
				want := splitmix64(splitmix64(splitmix64(a)^b) ^ c)
				assert.Equal(t, want, Mix(a, b, c), "Mix(%d, %d, %d)", a, b, c)
				assert.Equal(t, want, m.Mix(c), "NewMixer(%d, %d).Mix(%d)", a, b, c)
			}
		}
	}
}
