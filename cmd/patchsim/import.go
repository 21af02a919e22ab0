package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/patchsim/patchsim/aks"
	"github.com/patchsim/patchsim/internal/infile"
	"github.com/patchsim/patchsim/internal/outfile"
	"github.com/patchsim/patchsim/plan"
	"github.com/patchsim/patchsim/window"
)

const importHelp = `usage: patchsim import --cluster FILE [--maintenance FILE]... [--nodes FILE] [--fleet FILE]...
                       [-o FILE] [--name NAME] [--start TIME] [--horizon D] [--replications N] [--seed N]

Writes a scenario that starts from a real AKS cluster: its location, channels,
pools and upgrade settings, its maintenance configurations, and each node's
content as its node image version says (the security-patch date for userspace
when the version has one, else the image build date; the build date for the
kernel). "patchsim run" on it forecasts this cluster.

Inputs:
  --cluster FILE      what "az aks show -o json" prints, or the ARM managedCluster (required)
  --maintenance FILE  maintenance configurations: what "az aks maintenanceconfiguration
                      list" or "show" prints, or an ARM GET or list; repeatable
  --nodes FILE        what "kubectl get nodes -o json" prints; without it every node
                      starts from its pool's nodeImageVersion
  --fleet FILE        Azure Kubernetes Fleet Manager objects: what "az fleet member list",
                      "az fleet updatestrategy show" or "az fleet autoupgradeprofile show"
                      (or list) prints, an ARM GET or list, or a stages file; repeatable.
                      The scenario gets a fleetManager section with the members among
                      its clusters, the strategy the profiles follow and the profiles
  One input may be "-", standard input: az aks show -o json | patchsim import --cluster -

Output:
  -o FILE             write the scenario YAML to FILE (default: stdout)
  --name NAME         scenario name (default: the cluster's name)
  --start TIME        first simulated instant, RFC 3339 (default: the nodes' newest heartbeat;
                      without --nodes, the newest date of the pools' node image versions)
  --horizon D         simulated length, e.g. 180d, 90d12h (default 180d)
  --replications N    replications (default 50)
  --seed N            random seed (default 1)

Everything the import cannot take as given (nodes it cannot read, node counts
that differ from the cluster's, assumptions) is a warning on stderr.
Invalid input exits with status 2 and lists every problem on stderr, each
naming the file, the JSON path and the value.
`

// importSpec is what the import command's flags ask for: the parsed inputs,
// the options and where to write.
type importSpec struct {
	cluster *aks.Cluster
	configs []window.MaintenanceConfiguration
	nodes   *aks.NodeList // nil without --nodes
	fleet   *aks.Fleet    // nil without --fleet
	opt     aks.ImportOptions
	sources []string // the input files, for the header comment
	out     string   // "" for stdout
	// warnings are about the inputs themselves (an empty maintenance
	// list), printed before Import's.
	warnings []string
}

func runImport(args []string, stdout, stderr io.Writer) int {
	spec, err := importFlags(args)
	if err != nil {
		return inputError(err, "import", importHelp, stdout, stderr)
	}
	s, warnings, err := aks.Import(spec.cluster, spec.configs, spec.nodes, spec.opt)
	if err == nil && spec.fleet != nil {
		var more []string
		more, err = aks.AddFleet(s, spec.fleet)
		warnings = append(warnings, more...)
	}
	for _, w := range append(spec.warnings, warnings...) {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	y, err := s.YAML()
	if err != nil {
		fmt.Fprintf(stderr, "patchsim import: %v\n", err)
		return 1
	}
	var b strings.Builder
	b.WriteString(plan.Modeline + "\n")
	b.WriteString("# Written by patchsim import from " + strings.Join(spec.sources, ", ") + ".\n")
	b.Write(y)
	if spec.out == "" {
		_, err = io.WriteString(stdout, b.String())
	} else {
		err = outfile.Write(spec.out, func(w io.Writer) error {
			_, err := io.WriteString(w, b.String())
			return err
		})
	}
	if err != nil {
		fmt.Fprintf(stderr, "patchsim import: %v\n", err)
		return 1
	}
	return 0
}

// maxImportBytes bounds each JSON file import reads. ASSUMPTION: "kubectl
// get nodes -o json" prints some tens of kilobytes per node, so even a
// cluster of 5,000 nodes (the AKS limit) stays far below it.
const maxImportBytes = 256 << 20

// importFlags reads the import command's flags and input files into a spec,
// listing every problem at once.
func importFlags(args []string) (importSpec, error) {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		clusterFile  = fs.String("cluster", "", "")
		nodesFile    = fs.String("nodes", "", "")
		out          = fs.String("o", "", "")
		name         = fs.String("name", "", "")
		start        = fs.String("start", "", "")
		horizon      = fs.String("horizon", plan.Duration(aks.DefaultImportHorizon).String(), "")
		replications = fs.Int("replications", aks.DefaultImportReplications, "")
		seed         = fs.Uint64("seed", 1, "")
		maintenance  repeated
		fleetFiles   repeated
	)
	fs.Var(&maintenance, "maintenance", "")
	fs.Var(&fleetFiles, "fleet", "")
	if err := fs.Parse(args); err != nil {
		return importSpec{}, usageError{err}
	}

	var errs []error
	bad := func(flagName, format string, a ...any) {
		errs = append(errs, fmt.Errorf("patchsim import: --%s: %s", flagName, fmt.Sprintf(format, a...)))
	}
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("patchsim import: unexpected arguments %q", fs.Args()))
	}
	if *out != "" {
		if err := outfile.Check(*out); err != nil {
			errs = append(errs, fmt.Errorf("patchsim import: -o: %v", err))
		}
	}
	opt := aks.ImportOptions{Name: *name, Seed: *seed}
	if *start != "" {
		t, err := time.Parse(time.RFC3339, *start)
		if err != nil {
			bad("start", "%q is not an RFC 3339 instant (e.g. 2025-03-10T09:00:00Z)", *start)
		}
		opt.Start = t
	}
	if d, err := plan.ParseDuration(*horizon); err != nil || d <= 0 {
		bad("horizon", "%q is not a positive duration (e.g. 180d, 90d12h)", *horizon)
	} else {
		opt.Horizon = d.D()
	}
	if *replications < 1 {
		bad("replications", "%d is below the minimum 1", *replications)
	}
	opt.Replications = *replications

	stdinFlag := "" // the flag that reads standard input ("-")
	read := func(flagName, path string) []byte {
		var data []byte
		var err error
		switch {
		case path == "-" && stdinFlag != "":
			bad(flagName, "- is standard input, which --%s reads already: give one input as -", stdinFlag)
			return nil
		case path == "-":
			stdinFlag = flagName
			data, err = readStdinBytes(maxImportBytes)
		default:
			data, err = infile.Read(path, maxImportBytes)
		}
		if err != nil {
			bad(flagName, "%v", err)
		}
		return data
	}
	var cluster *aks.Cluster
	if *clusterFile == "" {
		bad("cluster", "required: the JSON of \"az aks show -o json\"")
	} else if data := read("cluster", *clusterFile); data != nil {
		c, err := aks.ParseCluster(*clusterFile, data)
		if err != nil {
			errs = append(errs, err)
		}
		cluster = c
	}
	var configs []window.MaintenanceConfiguration
	var warnings []string
	for _, path := range maintenance {
		data := read("maintenance", path)
		if data == nil {
			continue
		}
		cs, err := window.ParseConfigurations(data)
		if err != nil {
			errs = append(errs, fmt.Errorf("patchsim import: %s: %w", path, err))
			continue
		}
		if len(cs) == 0 {
			warnings = append(warnings, fmt.Sprintf("patchsim import: --maintenance %s: an empty list, no maintenance configuration; without one the cluster has no planned maintenance window", path))
		}
		for i, c := range cs {
			if c.Name == "" {
				errs = append(errs, fmt.Errorf("patchsim import: %s: configuration %d has no name: use what \"az aks maintenanceconfiguration list\" or \"show\" prints, which names it", path, i))
				continue
			}
			configs = append(configs, c)
		}
	}
	var nodes *aks.NodeList
	if *nodesFile != "" {
		if data := read("nodes", *nodesFile); data != nil {
			l, err := aks.ParseNodes(*nodesFile, data)
			if err != nil {
				errs = append(errs, err)
			}
			nodes = l
		}
	}
	var fleet *aks.Fleet
	for _, path := range fleetFiles {
		data := read("fleet", path)
		if data == nil {
			continue
		}
		f, err := aks.ParseFleet(path, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(f.Members)+len(f.Strategies)+len(f.Profiles) == 0 {
			warnings = append(warnings, fmt.Sprintf("patchsim import: --fleet %s: an empty list, no Fleet Manager member, update strategy or auto-upgrade profile", path))
		}
		if fleet == nil {
			fleet = &aks.Fleet{}
		}
		fleet.Members = append(fleet.Members, f.Members...)
		fleet.Strategies = append(fleet.Strategies, f.Strategies...)
		fleet.Profiles = append(fleet.Profiles, f.Profiles...)
	}
	if len(errs) > 0 {
		return importSpec{}, errors.Join(errs...)
	}
	sources := append([]string{*clusterFile}, maintenance...)
	if *nodesFile != "" {
		sources = append(sources, *nodesFile)
	}
	sources = append(sources, fleetFiles...)
	if i := slices.Index(sources, "-"); i >= 0 {
		sources[i] = "standard input"
	}
	return importSpec{cluster: cluster, configs: configs, nodes: nodes, fleet: fleet, opt: opt, sources: sources, out: *out, warnings: warnings}, nil
}
