package sim

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

// Replicate runs run(ctx, rep) for rep = 0 .. n-1 on up to workers
// goroutines (workers <= 0 means runtime.GOMAXPROCS(0)) and returns the
// results in replication order. Each replication must depend only on its
// index (derive its seed from rep, build its own [Engine]); then the results
// are identical whatever the number of workers.
//
// Replications are handed out in index order. After a replication fails, no
// further ones start, the ones running finish, and Replicate returns the
// error of the failed replication with the lowest index, wrapped with that
// index; since every replication below it has run, the error is the same
// for any number of workers. If ctx is cancelled, no further replications
// start and Replicate returns ctx's error (unless a replication failed).
// On error the results are nil. It returns an error if n < 0.
func Replicate[T any](ctx context.Context, n, workers int, run func(ctx context.Context, rep int) (T, error)) ([]T, error) {
	if n < 0 {
		return nil, fmt.Errorf("sim: Replicate n %d: want n >= 0", n)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	results := make([]T, n)
	errs := make([]error, n)
	var (
		next   atomic.Int64 // next replication to hand out
		failed atomic.Bool  // a replication has failed: start no more
		wg     sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !failed.Load() && ctx.Err() == nil {
				rep := int(next.Add(1) - 1)
				if rep >= n {
					return
				}
				results[rep], errs[rep] = run(ctx, rep)
				if errs[rep] != nil {
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	for rep, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("sim: replication %d: %w", rep, err)
		}
	}
	if int(next.Load()) < n {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("sim: replications cancelled: %w", err)
		}
	}
	return results, nil
}
