package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/patchsim/patchsim/plan"
)

const exampleHelp = `usage: patchsim example > scenario.yaml

Prints the embedded default scenario as YAML: a scenario file to start from.
"patchsim run scenario.yaml" runs it. Its first line points editors that use
the YAML language server at the scenario schema (see "patchsim schema"), so
they complete and check the file; docs/scenario.md documents every field.
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
	if _, err := fmt.Fprintf(stdout, "%s\n%s", plan.Modeline, plan.DefaultYAML()); err != nil {
		fmt.Fprintf(stderr, "patchsim example: %v\n", err)
		return 1
	}
	return 0
}

const schemaHelp = `usage: patchsim schema > scenario.schema.json

Prints the JSON Schema (draft 2020-12) of scenario files: every field with
its type, range, names, default and source, the same rules "patchsim run"
checks field by field (rules across fields, such as unique names, are left
to it). docs/scenario.md is the same reference as a page.
`

func runSchema(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("schema", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return flagError(err, "schema", schemaHelp, stdout, stderr)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "patchsim schema: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if _, err := stdout.Write(plan.Schema()); err != nil {
		fmt.Fprintf(stderr, "patchsim schema: %v\n", err)
		return 1
	}
	return 0
}
