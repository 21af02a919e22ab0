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
