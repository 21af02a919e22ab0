package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

const plotHelp = `usage: patchsim plot --out DIR [--format png,svg] [flags] [FILE]

Runs the scenario (the embedded default without FILE) and writes its figures
into DIR: the exposure CDF per variant for each severity, the share of nodes
past SLA over time, the Pareto frontier and a rollout timeline. Prints the
path of every file written, one per line.

Flags:
  --out DIR          directory for the figures (required; created if missing)
  --format LIST      comma-separated image formats: png, svg (default png,svg)
  --seed N           root of the random streams (default: the scenario's seed)
  --replications N   replications per variant (default: the scenario's, or 100)
  --workers N        replications run in parallel (default GOMAXPROCS)
  --quiet            no progress bar

An invalid scenario or flag exits with status 2 and lists every problem on stderr.
`

// plotFormats are the image formats --format accepts.
var plotFormats = []string{"png", "svg"}

func runPlot(args []string, stdout, stderr io.Writer) int {
	f := newWhatifFlags("plot")
	out := f.fs.String("out", "", "")
	formatList := f.fs.String("format", strings.Join(plotFormats, ","), "")
	var formats []string
	check := func() []error {
		var errs []error
		if *out == "" {
			errs = append(errs, errors.New("patchsim plot: --out: required (the directory for the figures)"))
		}
		for _, x := range strings.Split(*formatList, ",") {
			x = strings.ToLower(strings.TrimSpace(x))
			if !slices.Contains(plotFormats, x) {
				errs = append(errs, fmt.Errorf("patchsim plot: --format: %q is not one of %s", x, strings.Join(plotFormats, ", ")))
				continue
			}
			formats = append(formats, x)
		}
		return errs
	}
	file, status := f.parse(args, plotHelp, stdout, stderr, check)
	if status >= 0 {
		return status
	}
	p, err := f.load(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	c, err := f.compare(p, stderr, plan.Options{Distributions: true, Trace: true})
	if err != nil {
		fmt.Fprintf(stderr, "patchsim plot: %v\n", err)
		return 1
	}
	paths, err := report.WriteFigures(*out, c, formats...)
	if err != nil {
		fmt.Fprintf(stderr, "patchsim plot: %v\n", err)
		return 1
	}
	for _, path := range paths {
		fmt.Fprintln(stdout, path)
	}
	return 0
}
