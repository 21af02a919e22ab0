// Package sim is a discrete-event simulation engine: a simulated clock, an
// event queue, named random streams, counting resources, replications and
// statistics. It knows nothing of nodes or patches.
//
// # Engine
//
// An [Engine], built from a [Config] (epoch and seed), keeps simulated time as
// integer nanoseconds since the epoch and speaks time.Time and time.Duration
// at its API, and [Time] (those nanoseconds) for models that schedule an
// event per step ([Engine.Clock], [Engine.AtTime]). [Engine.At] and [Engine.After] schedule a [Handler]; events run
// in order of time and, at equal times, in the order they were scheduled, so
// runs are deterministic. The returned [Event] handle cancels
// ([Engine.Cancel]) or moves ([Engine.Reschedule]) a pending event in
// O(log n). [Engine.Step] runs one event; [Engine.Run] runs up to a time and
// stops at the first handler error. Handlers are callbacks on one goroutine;
// in steady state the engine allocates nothing per event.
//
// # Randomness
//
// [Stream] derives a math/rand/v2 PCG generator from (seed, name). Give each
// model component its own name: an extra draw in one component then never
// shifts another's numbers, and variants of a scenario share upstream
// randomness (common random numbers).
//
// # Resources
//
// A [Resource] is a counting resource with FIFO waiters, for the servers of
// a queue or a concurrency cap, with time-weighted utilisation and queue
// statistics.
// An M/M/c queue built from an Engine and a Resource reproduces queueing
// theory (see the package tests).
//
// # Replications and statistics
//
// [Replicate] runs independent replications on several goroutines with
// results that do not depend on the number of workers. [Tally] and
// [TimeWeighted] accumulate observations; [Summarize] and [Quantile] describe
// samples, with Student-t confidence intervals through gonum.
//
// # Misuse
//
// Invalid configurations and runs return errors prefixed "sim:". Violated
// preconditions on hot paths (a negative delay, a time before Now, a nil
// handler, releasing units not held) panic with a "sim:" message, as each
// method documents.
package sim
