package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/patchsim/patchsim/plan"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const importInputs = "--cluster testdata/import/cluster.json --maintenance testdata/import/maintenance.json --nodes testdata/import/nodes.json"

// TestImportGolden imports the cluster of testdata/import and compares the
// scenario with testdata/import/scenario.yaml and the warnings with
// testdata/import/warnings.txt (-update rewrites both).
func TestImportGolden(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"import"}, strings.Fields(importInputs)...), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	for _, g := range []struct{ file, got string }{
		{"scenario.yaml", stdout.String()},
		{"warnings.txt", stderr.String()},
	} {
		path := filepath.Join("testdata", "import", g.file)
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(g.got), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run with -update to create the golden file")
		assert.Equal(t, string(want), g.got, g.file)
	}
	// Every node of the list is in the scenario or in a warning.
	for _, name := range []string{"aks-system-31415926-vmss000000", "aks-system-31415926-vmss000001", "aks-user-27182818-vmss000000",
		"aks-user-27182818-vmss000001", "aks-user-27182818-vmss000003", "akswin000000", "akswin000001"} {
		assert.Contains(t, stdout.String(), "name: "+name+"\n")
	}
	assert.Contains(t, stderr.String(), `(node "aks-user-27182818-vmss000004")`)
}

const fleetInputs = " --fleet testdata/import/fleet-members.json --fleet ../../docs/reference/fleet-examples/az-fleet-updatestrategy-show.json --fleet ../../docs/reference/fleet-examples/arm-autoupgradeprofile-get.json"

// TestImportFleetGolden imports the cluster of testdata/import with the
// Fleet Manager objects of docs/reference/fleet-examples and the members
// of testdata/import/fleet-members.json, and compares the scenario and the
// warnings with testdata/import/fleet-scenario.yaml and fleet-warnings.txt
// (-update rewrites both). The scenario runs.
func TestImportFleetGolden(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"import", "--replications", "2", "--horizon", "30d"}, strings.Fields(importInputs+fleetInputs)...), &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	for _, g := range []struct{ file, got string }{
		{"fleet-scenario.yaml", stdout.String()},
		{"fleet-warnings.txt", stderr.String()},
	} {
		path := filepath.Join("testdata", "import", g.file)
		if *update {
			require.NoError(t, os.WriteFile(path, []byte(g.got), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run with -update to create the golden file")
		assert.Equal(t, string(want), g.got, g.file)
	}
	s, err := plan.Parse(stdout.Bytes(), "")
	require.NoError(t, err)
	require.NotNil(t, s.FleetManager)
	p, err := plan.New(s)
	require.NoError(t, err)
	_, err = p.Compare(context.Background(), plan.Options{Workers: 1})
	require.NoError(t, err)
}

// TestImportRuns is the bar of the import: the written scenario loads,
// validates and runs.
func TestImportRuns(t *testing.T) {
	out := filepath.Join(t.TempDir(), "scenario.yaml")
	var stdout, stderr bytes.Buffer
	args := append([]string{"import", "-o", out, "--replications", "2", "--horizon", "60d"}, strings.Fields(importInputs)...)
	require.Equal(t, 0, run(args, &stdout, &stderr), stderr.String())
	assert.Empty(t, stdout.String())
	s, err := plan.Load(out)
	require.NoError(t, err)
	assert.Equal(t, 2, s.Replications)
	p, err := plan.New(s)
	require.NoError(t, err)
	c, err := p.Compare(context.Background(), plan.Options{Workers: 1})
	require.NoError(t, err)
	require.Len(t, c.Variants, 1)
	assert.Equal(t, 2, c.Replications)
	// SecurityPatch snapshots come about every 10 days and the node OS
	// window opens weekly: 60 days see some live patches.
	live := plan.MetricIndex("livePatches")
	require.GreaterOrEqual(t, live, 0)
	assert.Positive(t, float64(c.Variants[0].Stats[live].Mean))
	assert.Equal(t, s.Start, c.Start)
}

// TestImportErrors checks the exit status and messages of bad input (and
// of the inputs that import reads with a warning)
// against testdata/import/errors/<name>.txt.
func TestImportErrors(t *testing.T) {
	tests := []struct{ name, args string }{
		{"help", "import --help"},
		{"no-cluster", "import --nodes testdata/import/nodes.json --horizon 0d --replications 0 --start yesterday"},
		{"start-from-images", "import --cluster testdata/import/cluster.json"}, // no --start, no --nodes: the newest image date, with a warning
		{"bad-cluster", "import --cluster testdata/import/cluster-bad.json --nodes testdata/import/cluster.json"},
		{"missing-file", "import --cluster testdata/import/nope.json --maintenance testdata/import/put-body.json --nodes testdata/import/nodes.json"},
		{"nodes-only-start", "import --cluster testdata/import/cluster.json --start 2025-03-12T00:00:00Z --horizon 30d --seed 7"},
		{"bad-fleet", "import --cluster testdata/import/cluster.json --nodes testdata/import/nodes.json --fleet ../../aks/testdata/fleet/bad.json --fleet testdata/import/nodes.json"},
		{"fleet-strategy-missing", "import --cluster testdata/import/cluster.json --nodes testdata/import/nodes.json --fleet testdata/import/fleet-members.json --fleet ../../docs/reference/fleet-examples/arm-autoupgradeprofile-get.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(strings.Fields(tc.args), &stdout, &stderr)
			got := fmt.Sprintf("$ patchsim %s\nexit %d\n-- stdout --\n%s-- stderr --\n%s", tc.args, code, stdout.String(), stderr.String())
			path := filepath.Join("testdata", "import", "errors", tc.name+".txt")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
				require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run with -update to create the golden file")
			assert.Equal(t, string(want), got)
			if code == 2 {
				assert.Empty(t, stdout.String(), "invalid input prints nothing on stdout")
				assert.NotEmpty(t, stderr.String())
			}
		})
	}
}

// An empty maintenance list imports, with a warning that the cluster then
// has no planned maintenance window.
// TestImportEmptyLists: an input that lists nothing (az's empty list, or
// ARM's {"value": []}) is a warning that says what the scenario lacks.
func TestImportEmptyLists(t *testing.T) {
	for _, tc := range []struct {
		flag, doc, absent, warning string
	}{
		{"maintenance", "[]", "maintenanceConfigurations", ": an empty list, no maintenance configuration; without one the cluster has no planned maintenance window"},
		{"fleet", "[]", "fleetManager", ": an empty list, no Fleet Manager member, update strategy or auto-upgrade profile"},
		{"fleet", `{"value": []}`, "fleetManager", ": an empty list, no Fleet Manager member, update strategy or auto-upgrade profile"},
	} {
		t.Run(tc.flag+" "+tc.doc, func(t *testing.T) {
			empty := filepath.Join(t.TempDir(), "empty.json")
			require.NoError(t, os.WriteFile(empty, []byte(tc.doc), 0o644))
			code, stdout, stderr := cli("import", "--cluster", "testdata/import/cluster.json", "--nodes", "testdata/import/nodes.json", "--"+tc.flag, empty)
			require.Equal(t, 0, code, stderr)
			assert.NotContains(t, stdout, tc.absent)
			assert.Contains(t, stderr, "warning: patchsim import: --"+tc.flag+" "+empty+tc.warning)
		})
	}
}

// TestImportStdin: one input may be "-", read from standard input, as
// "az aks show -o json | patchsim import --cluster -" writes it; the
// scenario is the one the file gives, and a second "-" is refused.
func TestImportStdin(t *testing.T) {
	var want, stderr bytes.Buffer
	require.Equal(t, 0, run([]string{"import", "--cluster", "testdata/import/cluster.json"}, &want, &stderr), stderr.String())
	data, err := os.ReadFile("testdata/import/cluster.json")
	require.NoError(t, err)
	stdin = bytes.NewReader(data)
	defer func() { stdin = os.Stdin }()
	var got bytes.Buffer
	stderr.Reset()
	require.Equal(t, 0, run([]string{"import", "--cluster", "-"}, &got, &stderr), stderr.String())
	assert.Equal(t, strings.Replace(want.String(), "from testdata/import/cluster.json.", "from standard input.", 1), got.String())

	stdin = bytes.NewReader(data)
	stderr.Reset()
	assert.Equal(t, 2, run([]string{"import", "--cluster", "-", "--fleet", "-"}, &got, &stderr))
	assert.Contains(t, stderr.String(), "patchsim import: --fleet: - is standard input, which --cluster reads already: give one input as -")
}
