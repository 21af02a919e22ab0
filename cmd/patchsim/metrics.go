package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/patchsim/patchsim/plan"
)

const metricsHelp = `usage: patchsim metrics

Lists the metrics every replication measures: the keys that --columns,
a scenario's objective and constraints name, with their units. Lower is
better unless the last column says otherwise.
`

func runMetrics(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
			fmt.Fprint(stdout, metricsHelp)
			return 0
		}
		fmt.Fprintf(stderr, "patchsim metrics: takes no arguments, got %q\nRun \"patchsim metrics --help\" for usage.\n", args)
		return 2
	}
	w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "key\tunit\tmeaning\tbetter")
	for _, m := range plan.Metrics {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.Key, m.Unit, m.Title, m.Better())
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "patchsim metrics: %v\n", err)
		return 1
	}
	return 0
}
