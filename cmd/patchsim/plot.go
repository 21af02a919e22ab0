package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

const plotHelp = `usage: patchsim plot --out DIR [--format png,svg] [flags] [FILE]

Runs the scenario (the embedded default without FILE) and writes its figures
into DIR: the exposure CDF per variant for each severity, the share of nodes
past SLA over time, the Pareto frontier, where the objective severity's mean
exposure comes from (its stages, per variant) and a rollout timeline (left
out, with a note on stderr, when no variant rolled anything out). Prints the
path of every file written, one per line. The directory is checked before
the run; every figure is drawn before the first is written, and each file
is written whole or not at all.

Flags:
  --out DIR          directory for the figures (required; created if missing)
  --format LIST      comma-separated image formats: png, svg (default png,svg)
  --seed N           root of the random streams (default: the scenario's seed)
  --replications N   replications per variant (default: the scenario's, or 100)
  --workers N        replications run in parallel (default GOMAXPROCS)
  --progress MODE    auto (a bar on a terminal, else a line every 10 s), bar, plain, none
  --quiet            no progress (--progress none)

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
		} else if err := outfile.CheckDir(*out); err != nil {
			// Checked before the run, which may be long.
			errs = append(errs, fmt.Errorf("patchsim plot: --out: %v", err))
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
	return f.writeFiles(file, stdout, stderr, func(c *plan.Comparison) ([]string, error) {
		paths, err := report.WriteFigures(*out, c, formats...)
		if err == nil && !slices.ContainsFunc(paths, func(p string) bool { return strings.HasPrefix(filepath.Base(p), "rollout.") }) {
			fmt.Fprintln(stderr, "patchsim plot: no rollout figure: no variant rolled anything out in its traced replication")
		}
		if err == nil && !slices.ContainsFunc(paths, func(p string) bool { return strings.HasPrefix(filepath.Base(p), "exposure-breakdown.") }) {
			fmt.Fprintf(stderr, "patchsim plot: no exposure-breakdown figure: no variant had %s advisories\n", strings.SplitN(c.Objective.Exposure, ".", 2)[0])
		}
		return paths, err
	})
}

// writeFiles runs the scenario file keeping distributions and traces,
// writes its files with write and prints their paths, one per line; it
// returns the exit status.
func (f *whatifFlags) writeFiles(file string, stdout, stderr io.Writer, write func(*plan.Comparison) ([]string, error)) int {
	name := f.fs.Name()
	p, err := f.load(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	c, err := f.compare(p, stderr, plan.Options{Distributions: true, Trace: true})
	if err != nil {
		fmt.Fprintf(stderr, "patchsim %s: %v\n", name, err)
		return 1
	}
	paths, err := write(c)
	if err != nil {
		fmt.Fprintf(stderr, "patchsim %s: %v\n", name, err)
		return 1
	}
	for _, path := range paths {
		fmt.Fprintln(stdout, path)
	}
	return 0
}
