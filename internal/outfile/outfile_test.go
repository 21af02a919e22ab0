package outfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteIsWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))

	// A write that fails half way leaves the old file and no temporary one.
	err := Write(path, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		return errors.New("disk full")
	})
	assert.EqualError(t, err, "disk full")
	got, _ := os.ReadFile(path)
	assert.Equal(t, "old", string(got))
	entries, _ := os.ReadDir(dir)
	assert.Len(t, entries, 1, "no temporary file is left")

	require.NoError(t, Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }))
	got, _ = os.ReadFile(path)
	assert.Equal(t, "new", string(got))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
}

func TestSymbolicLinksAreNeverFollowed(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	require.NoError(t, os.WriteFile(target, []byte("precious"), 0o644))
	link := filepath.Join(dir, "link")
	require.NoError(t, os.Symlink(target, link))
	assert.ErrorContains(t, Check(link), link+" is a symbolic link")
	assert.ErrorContains(t, Write(link, func(w io.Writer) error { return nil }), "is a symbolic link")
	got, _ := os.ReadFile(target)
	assert.Equal(t, "precious", string(got))

	dirLink := filepath.Join(dir, "dirlink")
	require.NoError(t, os.Symlink(dir, dirLink))
	assert.ErrorContains(t, CheckDir(dirLink), "is a symbolic link")
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	assert.NoError(t, Check(filepath.Join(dir, "new.jsonl")))
	assert.ErrorContains(t, Check(dir), "is a directory")
	assert.ErrorContains(t, Check(filepath.Join(dir, "missing", "x.jsonl")), "its directory "+filepath.Join(dir, "missing"))
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	assert.ErrorContains(t, Check(filepath.Join(file, "x")), "is not a directory")

	assert.NoError(t, CheckDir(dir))
	assert.NoError(t, CheckDir(filepath.Join(dir, "a", "b")), "a missing directory under a writable one")
	_, err := os.Stat(filepath.Join(dir, "a"))
	assert.True(t, os.IsNotExist(err), "CheckDir makes nothing")
	assert.ErrorContains(t, CheckDir(file), "is not a directory")
	assert.ErrorContains(t, CheckDir(filepath.Join(file, "sub")), "is not a directory")
	if os.Geteuid() != 0 { // root writes anywhere
		ro := filepath.Join(dir, "ro")
		require.NoError(t, os.Mkdir(ro, 0o555))
		assert.ErrorContains(t, Check(filepath.Join(ro, "x")), "cannot write in")
		assert.ErrorContains(t, CheckDir(ro), "cannot write in")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		assert.NotContains(t, e.Name(), "probe", "probes are removed")
	}
}
