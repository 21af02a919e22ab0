package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/patchsim/patchsim/internal/infile"
	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/report"
)

// whatifFlags are the flags shared by run, compare, sweep and plot.
type whatifFlags struct {
	fs           *flag.FlagSet
	seed         uint64
	replications int
	workers      int
	quiet        bool
	progress     string
}

func newWhatifFlags(name string) *whatifFlags {
	f := &whatifFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.fs.SetOutput(io.Discard)
	f.fs.Uint64Var(&f.seed, "seed", 0, "")
	f.fs.IntVar(&f.replications, "replications", 0, "")
	f.fs.IntVar(&f.workers, "workers", 0, "")
	f.fs.BoolVar(&f.quiet, "quiet", false, "")
	f.fs.StringVar(&f.progress, "progress", "auto", "")
	return f
}

// parse parses args and returns the scenario file (empty for the default
// scenario) and the exit status to stop with, or -1 to go on. check, when
// not nil, adds the command's own flag problems to those listed.
func (f *whatifFlags) parse(args []string, help string, stdout, stderr io.Writer, check func() []error) (file string, status int) {
	name := f.fs.Name()
	positional, err := parseInterspersed(f.fs, args)
	if err != nil {
		return "", flagError(err, name, help, stdout, stderr)
	}
	var errs []error
	if len(positional) > 1 {
		errs = append(errs, fmt.Errorf("patchsim %s: want at most one scenario file, got %q", name, positional))
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["replications"] && f.replications < 1 {
		errs = append(errs, fmt.Errorf("patchsim %s: --replications: %d is below the minimum 1", name, f.replications))
	}
	if !slices.Contains(progressModes, f.progress) {
		errs = append(errs, fmt.Errorf("patchsim %s: --progress: %q is not one of %s", name, f.progress, strings.Join(progressModes, ", ")))
	}
	if set["workers"] && f.workers < 1 {
		errs = append(errs, fmt.Errorf("patchsim %s: --workers: %d is below the minimum 1", name, f.workers))
	}
	if check != nil {
		errs = append(errs, check()...)
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(stderr, err)
		return "", 2
	}
	if !set["workers"] {
		f.workers = runtime.GOMAXPROCS(0)
	}
	if len(positional) == 0 {
		return "", -1
	}
	return positional[0], -1
}

// parseInterspersed parses flags wherever they stand among the positional
// arguments ("sweep FILE --shard 0/4" as well as "sweep --shard 0/4 FILE");
// "--" ends the flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// set reports whether the flag was given.
func (f *whatifFlags) set(name string) bool {
	found := false
	f.fs.Visit(func(fl *flag.Flag) { found = found || fl.Name == name })
	return found
}

// load reads the scenario at path (the embedded default when empty),
// applies --seed and --replications, and prepares it. Its errors are the
// user's: a missing file, a file that does not parse, or every problem
// Validate finds.
func (f *whatifFlags) load(path string) (*plan.Experiment, error) {
	s := plan.Default()
	if path != "" {
		var err error
		if path == "-" {
			s, err = readStdin()
		} else {
			s, err = plan.Read(path)
		}
		if err != nil {
			return nil, inFile(path, err)
		}
	}
	if f.set("seed") {
		s.Seed = f.seed
	}
	if f.set("replications") {
		s.Replications = f.replications
	}
	// New validates first and lists every problem.
	p, err := plan.New(s)
	if err != nil && path != "" {
		return nil, inFile(path, err)
	}
	return p, err
}

// readStdin reads and parses a scenario from standard input, bounded as
// plan.Read bounds a file; its trace paths are relative to the working
// directory.
func readStdin() (*plan.Scenario, error) {
	data, err := readStdinBytes(plan.MaxFileBytes)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return plan.Parse(data, ".")
}

// readStdinBytes reads standard input, at most max bytes, as infile.Read
// reads a file.
func readStdinBytes(max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(stdin, max+1))
	if err != nil {
		return nil, fmt.Errorf("standard input: %w", err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("standard input is larger than %s, the most an input may hold", infile.Size(max))
	}
	return data, nil
}

// inFile prefixes every line of err with the file's path.
func inFile(path string, err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = path + ": " + l
	}
	return errors.New(strings.Join(lines, "\n"))
}

// execution returns a run's context (cancelled on an interrupt) and
// options, with a progress bar on stderr when it is a terminal and --quiet
// is not given; call done when the run ends.
func (f *whatifFlags) execution(stderr io.Writer) (ctx context.Context, opt plan.Options, done func()) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	opt = plan.Options{Workers: f.workers}
	mode := f.progress
	if mode == "auto" {
		mode = "plain"
		if isTerminal(stderr) {
			mode = "bar"
		}
	}
	if f.quiet {
		mode = "none"
	}
	switch mode {
	case "bar":
		bar := newProgress(stderr, time.Now)
		opt.Progress = bar.update
		return ctx, opt, func() { bar.finish(); stop() }
	case "plain":
		pl := newPlainProgress(stderr, time.Now)
		opt.Progress = pl.update
		return ctx, opt, func() { pl.finish(); stop() }
	}
	return ctx, opt, stop
}

// compare runs every pair of p with opt's data options.
func (f *whatifFlags) compare(p *plan.Experiment, stderr io.Writer, opt plan.Options) (*plan.Comparison, error) {
	ctx, run, done := f.execution(stderr)
	defer done()
	opt.Workers, opt.Progress = run.Workers, run.Progress
	return p.Compare(ctx, opt)
}

// format is the output chosen by --json, --csv or --markdown, and the
// table's --columns.
type format struct {
	json, csv, markdown, wide, pools, stages bool
	columns                                  string
}

func (o *format) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.csv, "csv", false, "")
	fs.BoolVar(&o.markdown, "markdown", false, "")
	fs.BoolVar(&o.wide, "wide", false, "")
	fs.BoolVar(&o.pools, "pools", false, "")
	fs.BoolVar(&o.stages, "stages", false, "")
	fs.StringVar(&o.columns, "columns", "", "")
}

func (o format) check(name string) []error {
	var errs []error
	n := 0
	for _, b := range []bool{o.json, o.csv, o.markdown} {
		if b {
			n++
		}
	}
	if n > 1 {
		errs = append(errs, fmt.Errorf("patchsim %s: give at most one of --json, --csv, --markdown", name))
	}
	if o.wide && !o.csv {
		errs = append(errs, fmt.Errorf("patchsim %s: --wide shapes the CSV; give it with --csv", name))
	}
	if o.pools && !o.csv {
		errs = append(errs, fmt.Errorf("patchsim %s: --pools writes the per-pool CSV; give it with --csv", name))
	}
	if o.stages && !o.csv {
		errs = append(errs, fmt.Errorf("patchsim %s: --stages writes the per-stage CSV; give it with --csv", name))
	}
	if (o.pools && o.wide) || (o.stages && (o.wide || o.pools)) {
		errs = append(errs, fmt.Errorf("patchsim %s: give at most one of --wide, --pools, --stages", name))
	}
	if o.columns != "" && (o.json || o.csv) {
		errs = append(errs, fmt.Errorf("patchsim %s: --columns chooses a table's columns; --json and --csv hold every metric", name))
	}
	for _, k := range o.columnList() {
		if plan.MetricIndex(k) < 0 {
			errs = append(errs, fmt.Errorf("patchsim %s: --columns: %q is not a metric (\"patchsim metrics\" lists them)", name, k))
		}
	}
	return errs
}

// columnList returns the metric keys of --columns; nil for the default.
func (o format) columnList() []string {
	if o.columns == "" {
		return nil
	}
	var keys []string
	for _, k := range strings.Split(o.columns, ",") {
		keys = append(keys, strings.TrimSpace(k))
	}
	return keys
}

func (o format) write(w io.Writer, c *plan.Comparison, opt report.Options) error {
	if cols := o.columnList(); cols != nil {
		opt.Columns = cols
	}
	switch {
	case o.json:
		return report.JSON(w, c)
	case o.csv && o.wide:
		return report.WideCSV(w, c)
	case o.csv && o.pools:
		return report.PoolCSV(w, c)
	case o.csv && o.stages:
		return report.StageCSV(w, c)
	case o.csv:
		return report.CSV(w, c)
	case o.markdown:
		return report.Markdown(w, c, opt)
	default:
		return report.Text(w, c, opt)
	}
}

const tableFlagsHelp = `Flags:
  --shard i/n        run only shard i of n of the (variant, replication) pairs and
                     write them as a part file for "patchsim merge"; "--shard n"
                     takes i from $JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)
  --out FILE         with --shard, write the part to FILE instead of stdout
  --seed N           root of the random streams (default: the scenario's seed)
  --replications N   replications per variant (default: the scenario's, or 100)
  --workers N        replications run in parallel (default GOMAXPROCS); the output
                     is the same for every value
  --json             print the comparison as JSON
  --csv              print one CSV row per variant and metric
  --wide             with --csv, one row per variant: each grid axis a column, then
                     every metric's value and 95% interval (for spreadsheets)
  --pools            with --csv, one row per variant and pool: where the exposure
                     (node-days past SLA) and the failed operations come from
  --stages           with --csv, one row per variant and Fleet Manager stage: the
                     time from a release to the stage done, its wait, its members'
                     exposure
  --markdown         print a Markdown table
  --columns K,K      the metrics a table shows, by key ("patchsim metrics" lists
                     them; default: the main exposure and disruption metrics)
  --progress MODE    auto (default: a bar on a terminal, for runs over about a
                     second; otherwise a plain line every 10 s), bar, plain or none
  --quiet            no progress (--progress none)

FILE is a scenario in YAML or JSON ("patchsim example" prints one to start from;
"-" reads it from standard input); without FILE, the embedded default scenario. The same seed prints the same bytes.
An invalid scenario or flag exits with status 2 and lists every problem on stderr.
`

const runHelp = `usage: patchsim run [flags] [FILE]

Runs the scenario's variants (or its baseline, when it has none) over its
replications and prints each variant's mean metrics and the recommendation.

` + tableFlagsHelp

const compareHelp = `usage: patchsim compare [flags] [FILE]

Like run, and also shows each mean's 95% confidence interval and each
variant's paired difference against the first variant (every variant of a
replication sees the same advisories and releases).

` + tableFlagsHelp

const sweepHelp = `usage: patchsim sweep [flags] [--all] [FILE]

Runs every variant of the scenario's grid and prints the variants on the
Pareto frontier of its objective (exposure against disruption), plus the
recommended and runner-up variants, and the recommendation under its
constraints. With --all, every variant. --json and --csv always hold every
variant.

  --all              print every variant, not only the frontier
  --race             race the variants: run replications in rounds (10, then
                     doubling) and drop after each round the variants worse than
                     the best with confidence, until the recommendation is
                     separated; each variant's statistics are over its own
                     replications, and the output says how many each ran
  --budget N         race with at most N (variant, replication) pairs
  --confidence P     a race's confidence in its recommendation (default 0.95)
  --tolerance X      a race's indifference zone, in the objective's unit: a
                     variant better than the recommendation by less is as good
                     (default 0: exact ties only)

` + tableFlagsHelp

// table is the run, compare and sweep commands: what differs is the help
// and the view of the comparison.
type table struct {
	name  string
	help  string
	view  report.Options
	sweep bool
}

func (t table) run(args []string, stdout, stderr io.Writer) int {
	f := newWhatifFlags(t.name)
	var out format
	out.register(f.fs)
	var all bool
	var rf raceFlags
	if t.sweep {
		f.fs.BoolVar(&all, "all", false, "")
		rf.register(f.fs)
	}
	var sh shardFlags
	sh.register(f.fs)
	var shard, shards int
	file, status := f.parse(args, t.help, stdout, stderr, func() []error {
		errs := append(out.check(t.name), rf.check(t.name, f)...)
		if rf.on(f) && sh.spec != "" {
			errs = append(errs, fmt.Errorf("patchsim %s: a race decides each round from the last, so it runs on one machine: --race, --budget, --confidence and --tolerance do not go with --shard", t.name))
		}
		if sh.spec == "" {
			if sh.out != "" {
				errs = append(errs, fmt.Errorf("patchsim %s: --out goes with --shard", t.name))
			}
			return errs
		}
		if sh.out != "" {
			if err := outfile.Check(sh.out); err != nil {
				errs = append(errs, fmt.Errorf("patchsim %s: --out: %v", t.name, err))
			}
		}
		var err error
		if shard, shards, err = sh.parse(t.name, os.Getenv); err != nil {
			errs = append(errs, err)
		}
		if out != (format{}) || all {
			errs = append(errs, fmt.Errorf("patchsim %s: --shard writes a part file; print it with \"patchsim merge\", which takes --all, --json, --csv, --markdown and --columns", t.name))
		}
		return errs
	})
	if status >= 0 {
		return status
	}
	p, err := f.load(file)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	if sh.spec != "" {
		return f.runShard(p, sh, shard, shards, stdout, stderr)
	}
	var c *plan.Comparison
	if rf.on(f) {
		c, err = f.race(p, rf.racing, stderr)
	} else {
		c, err = f.compare(p, stderr, plan.Options{})
	}
	if err != nil {
		fmt.Fprintf(stderr, "patchsim %s: %v\n", t.name, err)
		return 1
	}
	return t.print(c, out, all, stdout, stderr)
}

// print writes c in the command's view: sweep narrows the text tables to
// the frontier and the recommendation unless all is set.
func (t table) print(c *plan.Comparison, out format, all bool, stdout, stderr io.Writer) int {
	if t.sweep && !all && !out.json && !out.csv {
		front := frontierView(c)
		if len(front.Variants) == 0 {
			// Nothing to narrow to (no variant has a defined objective):
			// every variant is shown.
			return t.print(c, out, true, stdout, stderr)
		}
		// The table's header counts the variants shown; say how many ran.
		fmt.Fprintf(stdout, "Sweep of %d variants; the %d below are on the Pareto frontier, recommended, tied with it or closest to the constraints (--all shows every variant).\n", len(c.Variants), len(front.Variants))
		if c.Race != nil {
			raceSummary(stdout, c)
		}
		fmt.Fprintln(stdout)
		c = front
	} else if c.Race != nil && !out.json && !out.csv {
		raceSummary(stdout, c)
		fmt.Fprintln(stdout)
	}
	if err := out.write(stdout, c, t.view); err != nil {
		fmt.Fprintf(stderr, "patchsim %s: %v\n", t.name, err)
		return 1
	}
	return 0
}

// frontierView returns c narrowed to its Pareto frontier and its
// recommended, runner-up, tied and closest variants, in their original order, with every
// variant index renumbered. The recommendation's reason still counts the
// whole sweep.
func frontierView(c *plan.Comparison) *plan.Comparison {
	keep := map[int]bool{}
	for _, v := range c.Frontier {
		keep[v] = true
	}
	if r := c.Recommendation; r != nil {
		for _, v := range append([]int{r.Best, r.RunnerUp, r.Closest}, r.Tied...) {
			if v >= 0 {
				keep[v] = true
			}
		}
	}
	index := make([]int, len(c.Variants))
	out := *c
	out.Variants = nil
	for v, s := range c.Variants {
		index[v] = -1
		if keep[v] {
			index[v] = len(out.Variants)
			out.Variants = append(out.Variants, s)
		}
	}
	renumber := func(vs []int) []int {
		var r []int
		for _, v := range vs {
			if index[v] >= 0 {
				r = append(r, index[v])
			}
		}
		return r
	}
	out.Frontier = renumber(c.Frontier)
	if r := c.Recommendation; r != nil {
		rec := *r
		rec.Feasible = renumber(r.Feasible)
		if r.Best >= 0 {
			rec.Best = index[r.Best]
		}
		if r.RunnerUp >= 0 {
			rec.RunnerUp = index[r.RunnerUp]
		}
		if r.Closest >= 0 {
			rec.Closest = index[r.Closest]
		}
		rec.Tied = renumber(r.Tied)
		out.Recommendation = &rec
	}
	return &out
}

var (
	runCommand     = table{name: "run", help: runHelp}
	compareCommand = table{name: "compare", help: compareHelp, view: report.Options{CI: true, Diff: true}}
	sweepCommand   = table{name: "sweep", help: sweepHelp, sweep: true}
	// tableCommands are the commands that write parts, by name, for merge.
	tableCommands = map[string]table{"run": runCommand, "compare": compareCommand, "sweep": sweepCommand}
)
