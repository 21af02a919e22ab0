package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/patchsim/patchsim/plan"
)

// raceFlags are sweep's racing flags.
type raceFlags struct {
	race   bool
	racing plan.Racing
}

func (r *raceFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&r.race, "race", false, "")
	fs.IntVar(&r.racing.Budget, "budget", 0, "")
	fs.Float64Var(&r.racing.Confidence, "confidence", 0, "")
	fs.Float64Var(&r.racing.Tolerance, "tolerance", 0, "")
}

// on reports whether a race was asked for: --race or any racing setting.
func (r *raceFlags) on(f *whatifFlags) bool {
	return r.race || f.set("budget") || f.set("confidence") || f.set("tolerance")
}

func (r *raceFlags) check(name string, f *whatifFlags) []error {
	var errs []error
	if f.set("budget") && r.racing.Budget < 1 {
		errs = append(errs, fmt.Errorf("patchsim %s: --budget: %d is below the minimum 1", name, r.racing.Budget))
	}
	if f.set("confidence") && !(r.racing.Confidence > 0 && r.racing.Confidence < 1) {
		errs = append(errs, fmt.Errorf("patchsim %s: --confidence: %v is outside (0, 1)", name, r.racing.Confidence))
	}
	if f.set("tolerance") && !(r.racing.Tolerance >= 0) {
		errs = append(errs, fmt.Errorf("patchsim %s: --tolerance: %v is below the minimum 0", name, r.racing.Tolerance))
	}
	return errs
}

// race races p's variants.
func (f *whatifFlags) race(p *plan.Experiment, rc plan.Racing, stderr io.Writer) (*plan.Comparison, error) {
	ctx, opt, done := f.execution(stderr)
	defer done()
	return p.Race(ctx, rc, opt)
}

// raceSummary says what a race ran: pairs, rounds, survivors, how many
// replications the variants got and the confidence of the choice.
func raceSummary(w io.Writer, c *plan.Comparison) {
	r := c.Race
	alive := 0
	byReps := map[int]int{}
	for v, n := range r.Replications {
		byReps[n]++
		if r.Dropped[v] < 0 {
			alive++
		}
	}
	var reps []int
	for n := range byReps {
		reps = append(reps, n)
	}
	sort.Ints(reps)
	var parts []string
	for _, n := range reps {
		parts = append(parts, fmt.Sprintf("%d (%s)", n, plural(byReps[n], "variant")))
	}
	rounds := make([]string, len(r.Rounds))
	for i, n := range r.Rounds {
		rounds[i] = fmt.Sprint(n)
	}
	fmt.Fprintf(w, "Race: %d of the full grid's %d pairs (%.0f%%), rounds up to %s replications; %s left.\n",
		r.Pairs, r.Full, 100*float64(r.Pairs)/float64(r.Full), strings.Join(rounds, ", "), plural(alive, "variant"))
	fmt.Fprintf(w, "Replications per variant: %s.\n", strings.Join(parts, ", "))
	fmt.Fprintf(w, "Confidence of the recommendation: %.3f (requested %.3f, tolerance %g).\n", r.Achieved, r.Confidence, r.Tolerance)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
