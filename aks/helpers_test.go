package aks

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// problem is the part of an *Error a test checks.
type problem struct{ File, Path, Value string }

// problems splits a joined parser error into its *Error values.
func problems(t *testing.T, err error) []problem {
	t.Helper()
	require.Error(t, err)
	joined, ok := err.(interface{ Unwrap() []error })
	require.True(t, ok, "want an errors.Join, got %T", err)
	var out []problem
	for _, e := range joined.Unwrap() {
		var pe *Error
		require.True(t, errors.As(e, &pe), "want *Error, got %T", e)
		out = append(out, problem{pe.File, pe.Path, pe.Value})
	}
	return out
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return data
}
