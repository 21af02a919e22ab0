package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeShowsTheRealOutput keeps the README's sample output the bytes
// that `go run ./cmd/patchsim` prints.
func TestReadmeShowsTheRealOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the full default comparison")
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	text := string(readme)
	start := strings.Index(text, "```\nScenario aks-default")
	require.GreaterOrEqual(t, start, 0, "the README shows the default output in a ``` block")
	start += len("```\n")
	end := strings.Index(text[start:], "```")
	require.Greater(t, end, 0)
	code, stdout, stderr := cli()
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, stdout, text[start:start+end], "README.md's sample output is stale: paste the output of go run ./cmd/patchsim")
}
