//go:build !unix

package benchmarks

import "time"

// processCPU reports no CPU time on systems without getrusage: the
// benchmarks then leave out cpu-ns/op.
func processCPU() (time.Duration, bool) { return 0, false }
