package benchmarks

import (
	"testing"
	"time"
)

// cpuClock is the process's CPU time at the start of a benchmark loop.
type cpuClock struct {
	start time.Duration
	ok    bool
}

// startCPU reads the process's CPU time before a benchmark loop.
func startCPU() cpuClock {
	t, ok := processCPU()
	return cpuClock{start: t, ok: ok}
}

// report adds the metric cpu-ns/op: the process's user plus system CPU
// time since startCPU, in nanoseconds, divided by b.N. It counts the CPU
// time of every goroutine of the process (workers and the garbage
// collector too), not the time spent waiting for a core, so on a shared
// machine, where wall time (ns/op) includes that wait, it is the steadier
// figure. It reports nothing where the system does not tell the process's
// CPU time (see processCPU).
func (c cpuClock) report(b *testing.B) {
	b.Helper()
	if !c.ok || b.N == 0 {
		return
	}
	end, ok := processCPU()
	if !ok {
		return
	}
	b.ReportMetric(float64(end-c.start)/float64(b.N), "cpu-ns/op")
}
