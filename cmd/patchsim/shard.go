package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
)

// completionIndexEnv is the variable a Kubernetes Indexed Job sets to the
// pod's completion index.
const completionIndexEnv = "JOB_COMPLETION_INDEX"

// shardFlags are --shard and --out of run, compare and sweep.
type shardFlags struct {
	spec string
	out  string
}

func (s *shardFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.spec, "shard", "", "")
	fs.StringVar(&s.out, "out", "", "")
}

// parse returns the shard index and count: "i/n", or "n" with the index
// from $JOB_COMPLETION_INDEX.
func (s *shardFlags) parse(name string, getenv func(string) string) (i, n int, err error) {
	bad := func(format string, args ...any) (int, int, error) {
		return 0, 0, fmt.Errorf("patchsim %s: --shard %q: "+format, append([]any{name, s.spec}, args...)...)
	}
	is, ns, explicit := strings.Cut(s.spec, "/")
	if !explicit {
		ns, is = is, getenv(completionIndexEnv)
		if is == "" {
			return bad("give i/n, or n with $%s set (as a Kubernetes Indexed Job does)", completionIndexEnv)
		}
	}
	n, err = strconv.Atoi(ns)
	if err != nil || n < 1 {
		return bad("the shard count %q is not a whole number of at least 1", ns)
	}
	i, err = strconv.Atoi(is)
	if err != nil || i < 0 || i >= n {
		if !explicit {
			return bad("$%s=%q is not an index from 0 to %d", completionIndexEnv, is, n-1)
		}
		return bad("the shard index %q is not from 0 to %d", is, n-1)
	}
	return i, n, nil
}

// runShard runs shard i of n of p and writes it as a part file.
func (f *whatifFlags) runShard(p *plan.Experiment, s shardFlags, i, n int, stdout, stderr io.Writer) int {
	name := f.fs.Name()
	idx, err := p.Shard(i, n)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	ctx, opt, done := f.execution(stderr)
	defer done()
	pairs, err := p.Run(ctx, idx, opt)
	if err != nil {
		fmt.Fprintf(stderr, "patchsim %s: %v\n", name, err)
		return 1
	}
	write := func(w io.Writer) error { return p.WritePart(w, name, i, n, opt, pairs) }
	if s.out == "" {
		err = write(stdout)
	} else {
		// Whole or not at all: a failed write leaves no truncated part.
		err = outfile.Write(s.out, write)
	}
	if err != nil {
		fmt.Fprintf(stderr, "patchsim %s: %v\n", name, err)
		return 1
	}
	return 0
}

const mergeHelp = `usage: patchsim merge [flags] PART|DIR...

Merges the parts that "patchsim run|compare|sweep FILE --shard i/n" wrote
on any number of machines and prints exactly what that command prints on
one ("patchsim sweep FILE", say). Every part must come from the same
command, scenario (its hash is checked) and build (its version and model
fingerprint, which must also be this build's), every shard must be in
exactly one part and every part must hold exactly its shard's pairs, each
value of the right shape; otherwise merge exits with status 2 naming the
parts. Parts are not signed: these checks catch mistakes, not a deliberate
edit. A directory stands for the *.jsonl files in it.

Flags:
  --all              with sweep parts, print every variant, not only the frontier
  --json             print the comparison as JSON
  --csv              print one CSV row per variant and metric
  --markdown         print a Markdown table
  --columns K,K      the metrics a table shows ("patchsim metrics" lists them)
`

func runMerge(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var out format
	out.register(fs)
	var all bool
	fs.BoolVar(&all, "all", false, "")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return flagError(err, "merge", mergeHelp, stdout, stderr)
	}
	errs := out.check("merge")
	if len(files) == 0 {
		errs = append(errs, errors.New("patchsim merge: give the part files to merge"))
	}
	files, derr := expandDirs(files)
	errs = append(errs, derr...)
	var parts []*plan.Part
	for _, name := range files {
		file, err := os.Open(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("patchsim merge: %w", err))
			continue
		}
		part, err := plan.ReadPart(name, file)
		file.Close()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parts = append(parts, part)
	}
	if err := errors.Join(errs...); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	c, _, err := plan.Merge(parts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	// Merge checked that every part names the same command.
	cmd := parts[0].Header.Command
	t, ok := tableCommands[cmd]
	switch {
	case !ok:
		err = fmt.Errorf("patchsim merge: part %s was written by %q, not by run, compare or sweep", parts[0].Name, cmd)
	case all && !t.sweep:
		err = fmt.Errorf("patchsim merge: --all: the parts are of %q, which prints every variant; --all goes with sweep parts", cmd)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	return t.print(c, out, all, stdout, stderr)
}

// expandDirs replaces each directory among paths by the *.jsonl files in
// it, sorted.
func expandDirs(paths []string) ([]string, []error) {
	var out []string
	var errs []error
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			out = append(out, p) // opening it reports the problem
			continue
		}
		m, err := filepath.Glob(filepath.Join(p, "*.jsonl"))
		if err != nil || len(m) == 0 {
			errs = append(errs, fmt.Errorf("patchsim merge: %s: no *.jsonl part files in the directory", p))
			continue
		}
		out = append(out, m...) // Glob sorts
	}
	return out, errs
}
