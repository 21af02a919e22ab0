package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

const reportHelp = `usage: patchsim report --out DIR [flags] [FILE]

Runs the scenario (the embedded default without FILE) and writes a report of
it into DIR: report.html, one self-contained page (the table with 95%
intervals and paired differences, the SLA and constraints, the frontier,
the recommendation and every figure inline), and report.md, the same in
Markdown with its figures in DIR/figures. The page is stamped with the
scenario, its hash, the seed and this build's version. Prints the path of
every file written, one per line.

Flags:
  --out DIR          directory for the report (required; created if missing)
  --columns LIST     the table's metrics (default: as run; see patchsim metrics)
  --seed N           root of the random streams (default: the scenario's seed)
  --replications N   replications per variant (default: the scenario's, or 100)
  --workers N        replications run in parallel (default GOMAXPROCS)
  --progress MODE    auto (a bar on a terminal, else a line every 10 s), bar, plain, none
  --quiet            no progress (--progress none)

An invalid scenario or flag exits with status 2 and lists every problem on stderr.
`

func runReport(args []string, stdout, stderr io.Writer) int {
	f := newWhatifFlags("report")
	out := f.fs.String("out", "", "")
	var cols format
	f.fs.StringVar(&cols.columns, "columns", "", "")
	check := func() []error {
		errs := cols.check("report")
		if *out == "" {
			errs = append(errs, errors.New("patchsim report: --out: required (the directory for the report)"))
		} else if err := outfile.CheckDir(*out); err != nil {
			// Checked before the run, which may be long.
			errs = append(errs, fmt.Errorf("patchsim report: --out: %v", err))
		}
		return errs
	}
	file, status := f.parse(args, reportHelp, stdout, stderr, check)
	if status >= 0 {
		return status
	}
	return f.writeFiles(file, stdout, stderr, func(c *plan.Comparison) ([]string, error) {
		return report.WritePage(*out, c, report.Page{Options: report.Options{Columns: cols.columnList(), CI: true, Diff: true}, Version: plan.Version()})
	})
}
