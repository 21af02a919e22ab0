package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

const sensitivityHelp = `usage: patchsim sensitivity [flags] [FILE]

Reruns the scenario (the embedded default without FILE) with each labelled
assumption of its content and rollout model at the low and at the high end
of its plausible range (regional rollout spreads, cadences, advisory rates,
PDB probability), every run on the same seed so that differences are
paired, and prints how each variant's objective exposure moves and which
variant is recommended at each end; then whether the recommendation holds
across every range, or where it stops holding (located by bisection).

Flags:
  --figure DIR       also write DIR/tornado.png and .svg
  --markdown         print the table as Markdown
  --seed N           root of the random streams (default: the scenario's seed)
  --replications N   replications per variant and run (default: the scenario's, or 100)
  --workers N        replications run in parallel (default GOMAXPROCS)
  --quiet            accepted for symmetry; no progress bar is shown

An invalid scenario or flag exits with status 2 and lists every problem on stderr.
`

func runSensitivity(args []string, stdout, stderr io.Writer) int {
	f := newWhatifFlags("sensitivity")
	figure := f.fs.String("figure", "", "")
	markdown := f.fs.Bool("markdown", false, "")
	check := func() []error {
		if *figure == "" {
			return nil
		}
		if err := outfile.CheckDir(*figure); err != nil {
			return []error{fmt.Errorf("patchsim sensitivity: --figure: %v", err)}
		}
		return nil
	}
	file, status := f.parse(args, sensitivityHelp, stdout, stderr, check)
	if status >= 0 {
		return status
	}
	p, err := f.load(file)
	if err != nil {
		return inputError(err, "sensitivity", sensitivityHelp, stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	x, err := p.Scenario.Sensitivity(ctx, plan.Options{Workers: f.workers})
	if err != nil {
		fmt.Fprintln(stderr, "patchsim sensitivity:", err)
		return 1
	}
	if *figure != "" {
		paths, err := report.WriteTornado(*figure, x)
		if err != nil {
			fmt.Fprintln(stderr, "patchsim sensitivity:", err)
			return 1
		}
		for _, path := range paths {
			fmt.Fprintln(stderr, path)
		}
	}
	if err := report.SensitivityText(stdout, x, *markdown); err != nil {
		fmt.Fprintln(stderr, "patchsim sensitivity:", err)
		return 1
	}
	return 0
}
