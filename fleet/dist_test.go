package fleet

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"gonum.org/v1/gonum/stat/distuv"
)

// Sample draws exactly what gonum's triangular distribution draws from the
// same source, including at the mode's edges.
func TestSampleIsGonumTriangle(t *testing.T) {
	for _, d := range []Dist{
		{Min: time.Minute, Mode: 3 * time.Minute, Max: 10 * time.Minute},
		{Min: time.Minute, Mode: time.Minute, Max: 10 * time.Minute},
		{Min: 0, Mode: 10 * time.Minute, Max: 10 * time.Minute},
	} {
		ours, theirs := rand.NewPCG(1, 2), rand.NewPCG(1, 2)
		for range 10000 {
			tri := distuv.NewTriangle(float64(d.Min), float64(d.Max), float64(d.Mode), theirs)
			assert.Equal(t, time.Duration(tri.Rand()).Round(time.Second), d.Sample(ours))
		}
	}
	assert.Equal(t, 5*time.Minute, Fixed(5*time.Minute).Sample(rand.NewPCG(1, 2)))
}
