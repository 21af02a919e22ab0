package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSensitivityCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, stderr := cli("sensitivity", "--replications", "2", "--figure", dir)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Contains(t, lines[0], "Sensitivity of high.p95Days (aks-default, 2 replications per run")
	assert.True(t, strings.HasPrefix(lines[len(lines)-1], "The recommendation ("), lines[len(lines)-1])
	for _, name := range []string{"upstream.securityPatchRollout", "upstream.nodeImageRollout", "upstream.kernelEvery", "clusters[].pools[].pdb.probability"} {
		assert.Contains(t, out, "\n"+name+" ")
	}
	for _, f := range []string{"tornado.png", "tornado.svg"} {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.Positive(t, st.Size())
	}

	code, _, stderr = cli("sensitivity", "--replications", "0", "--figure", filepath.Join(dir, "tornado.png"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--replications: 0 is below the minimum 1")
	assert.Contains(t, stderr, "patchsim sensitivity: --figure")
}
