package channel

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// zeroPad is fmt's %0*d for n >= 0, past the width too.
func TestZeroPad(t *testing.T) {
	for _, width := range []int{4, 5} {
		for _, n := range []int{0, 1, 9, 10, 999, 1000, 9999, 10000, 99999, 100000, 1234567} {
			assert.Equal(t, fmt.Sprintf("%0*d", width, n), zeroPad(n, width), "%d to %d digits", n, width)
		}
	}
}
