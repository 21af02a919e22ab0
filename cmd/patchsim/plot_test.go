package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlot(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "figs")
	code, stdout, stderr := cli("plot", "--out", dir, "--format", "svg", "--replications", "2", "testdata/sweep.yaml")
	require.Equal(t, 0, code, stderr)
	paths := strings.Fields(stdout)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		assert.Equal(t, ".svg", filepath.Ext(p))
		fi, err := os.Stat(p)
		if assert.NoError(t, err) {
			assert.Positive(t, fi.Size())
		}
	}
}
