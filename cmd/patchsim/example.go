package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/patchsim/patchsim/plan"
)

const exampleHelp = `usage: patchsim example > scenario.yaml

Prints the embedded default scenario as YAML: a scenario file to start from.
"patchsim run scenario.yaml" runs it.
`

func runExample(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("example", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return flagError(err, "example", exampleHelp, stdout, stderr)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "patchsim example: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if _, err := stdout.Write(plan.DefaultYAML()); err != nil {
		fmt.Fprintf(stderr, "patchsim example: %v\n", err)
		return 1
	}
	return 0
}
