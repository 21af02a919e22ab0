package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/patchsim/patchsim/plan"
)

// manifest is the part of a Kubernetes object the test reads.
type manifest struct {
	Kind     string                `json:"kind"`
	Metadata struct{ Name string } `json:"metadata"`
	Data     map[string]string     `json:"data"`
	Spec     struct {
		CompletionMode string `json:"completionMode"`
		Completions    int    `json:"completions"`
		Parallelism    int    `json:"parallelism"`
		Template       struct {
			Spec struct {
				Containers []struct {
					Args         []string `json:"args"`
					VolumeMounts []struct {
						Name      string `json:"name"`
						MountPath string `json:"mountPath"`
					} `json:"volumeMounts"`
				} `json:"containers"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

func readManifests(t *testing.T, path string) map[string]manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	out := map[string]manifest{}
	for _, doc := range strings.Split(string(data), "\n---\n") {
		var m manifest
		require.NoError(t, yaml.Unmarshal([]byte(doc), &m), path)
		require.NotEmpty(t, m.Kind, "%s: a document without kind", path)
		out[m.Kind+"/"+m.Metadata.Name] = m
	}
	return out
}

// TestIndexedJobExample checks examples/indexed-job: the scenario in the
// ConfigMap validates, the Job's shard count agrees with its completions,
// and its pods' arguments, run for every index on a shortened scenario,
// give parts that the merge Job's arguments merge.
func TestIndexedJobExample(t *testing.T) {
	dir := "../../examples/indexed-job"
	sweep := readManifests(t, filepath.Join(dir, "job.yaml"))
	merge := readManifests(t, filepath.Join(dir, "merge.yaml"))

	cm, ok := sweep["ConfigMap/patchsim-scenario"]
	require.True(t, ok)
	s, err := plan.Parse([]byte(cm.Data["scenario.yaml"]), "")
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	_, ok = sweep["PersistentVolumeClaim/patchsim-parts"]
	require.True(t, ok)

	job, ok := sweep["Job/patchsim-sweep"]
	require.True(t, ok)
	assert.Equal(t, "Indexed", job.Spec.CompletionMode)
	n := job.Spec.Completions
	assert.Equal(t, n, job.Spec.Parallelism)
	args := job.Spec.Template.Spec.Containers[0].Args
	assert.Contains(t, args, fmt.Sprintf("--shard=%d", n))

	// Run the pods on the scenario with one replication and 90 days.
	work := t.TempDir()
	s.Replications = 1
	s.Horizon = plan.Duration(90 * 24 * 3600 * 1e9)
	short, err := s.YAML()
	require.NoError(t, err)
	scen := filepath.Join(work, "scenario.yaml")
	require.NoError(t, os.WriteFile(scen, short, 0o644))
	parts := filepath.Join(work, "parts")
	require.NoError(t, os.Mkdir(parts, 0o755))
	local := func(a string) string {
		a = strings.ReplaceAll(a, "/scenario/scenario.yaml", scen)
		return strings.ReplaceAll(a, "/parts", parts)
	}
	for i := range n {
		t.Setenv(completionIndexEnv, fmt.Sprint(i))
		var pod []string
		for _, a := range args {
			// Kubernetes expands $(VAR) from the container's environment.
			pod = append(pod, local(strings.ReplaceAll(a, "$("+completionIndexEnv+")", fmt.Sprint(i))))
		}
		code, _, stderr := cli(pod...)
		require.Equal(t, 0, code, stderr)
	}
	m, ok := merge["Job/patchsim-merge"]
	require.True(t, ok)
	var margs []string
	for _, a := range m.Spec.Template.Spec.Containers[0].Args {
		margs = append(margs, local(a))
	}
	code, merged, stderr := cli(margs...)
	require.Equal(t, 0, code, stderr)
	code, single, stderr := cli("sweep", scen)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, single, merged)
}
