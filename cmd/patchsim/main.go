// Command patchsim simulates and plans AKS node OS upgrades. Without a
// subcommand it compares the four node OS channels on the embedded default
// scenario; each other job is a subcommand; run "patchsim help" for the
// list.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/patchsim/patchsim/plan"
)

// command is one subcommand: run gets the arguments after its name and
// returns the exit status (0 ok, 1 internal failure, 2 invalid input).
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

// commands lists the subcommands in the order usage prints them.
var commands = []command{
	{name: "run", summary: "run a scenario's variants and print their metrics", run: runCommand.run},
	{name: "compare", summary: "like run, with 95% CIs and paired differences", run: compareCommand.run},
	{name: "sweep", summary: "run a grid; print the Pareto frontier and the recommendation", run: sweepCommand.run},
	{name: "sensitivity", summary: "rerun with each assumption at both ends of its range: does the recommendation hold?", run: runSensitivity},
	{name: "plot", summary: "write a scenario's figures (PNG, SVG)", run: runPlot},
	{name: "report", summary: "write a scenario's report: one HTML page and Markdown", run: runReport},
	{name: "example", summary: "print the default scenario file to start from", run: runExample},
	{name: "schema", summary: "print the JSON Schema of scenario files, for editors", run: runSchema},
	{name: "windows", summary: "list the maintenance windows of a schedule", run: runWindows},
	{name: "import", summary: "write a scenario from a real cluster's az and kubectl JSON", run: runImport},
	{name: "merge", summary: "merge the parts of a sharded run, compare or sweep into its output", run: runMerge},
	{name: "metrics", summary: "list the metrics, for --columns, objectives and constraints", run: runMetrics},
}

// stdin is where a scenario file "-" is read from.
var stdin io.Reader = os.Stdin

// defaultCommand runs when the first argument is not a command: no
// arguments, or flags only.
var defaultCommand = runCommand.run

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches args to a subcommand and returns the exit status. With no
// arguments, or flags only, it runs defaultCommand; with an unknown
// subcommand it prints usage to stderr and returns 2; "help", "-h" and
// "--help" print it to stdout and return 0.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return defaultCommand(args, stdout, stderr)
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "--version", "-version":
		fmt.Fprintln(stdout, "patchsim", plan.Version())
		return 0
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	if strings.HasPrefix(args[0], "-") {
		return defaultCommand(args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "patchsim: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: patchsim <command> [flags]")
	fmt.Fprintln(w, "       patchsim [flags]   run the default scenario: the four node OS channels compared")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "patchsim <command> --help" for a command's flags, "patchsim --version" for the build.`)
}

// repeated collects the values of a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// flagError reports a flag-parsing error of the named command and returns
// the exit status: --help prints help on stdout (0); anything else names
// the problem and points to the help on stderr (2).
func flagError(err error, name, help string, stdout, stderr io.Writer) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, help)
		return 0
	}
	fmt.Fprintf(stderr, "patchsim %s: %v\nRun \"patchsim %s --help\" for usage.\n", name, err, name)
	return 2
}

// usageError is a flag-parsing error, reported with a pointer to the help.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// inputError reports a command's input error and returns the exit status:
// a [usageError] as [flagError] does, anything else (each problem on its own
// line) on stderr with status 2.
func inputError(err error, name, help string, stdout, stderr io.Writer) int {
	var u usageError
	if errors.As(err, &u) {
		return flagError(u.err, name, help, stdout, stderr)
	}
	fmt.Fprintln(stderr, err)
	return 2
}
