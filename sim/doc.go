// Package sim is a discrete-event simulation engine: a simulated clock, an
// event queue, named random streams, counting resources, replications and
// statistics. It knows nothing of nodes or patches.
package sim
