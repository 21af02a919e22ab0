//go:build unix

package infile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.yaml")
	require.NoError(t, os.WriteFile(path, []byte("0123456789"), 0o644))
	data, err := Read(path, 10)
	require.NoError(t, err)
	assert.Equal(t, "0123456789", string(data))
	_, err = Read(path, 9)
	assert.EqualError(t, err, path+" is larger than 9 bytes, the most an input file may hold")

	// /dev/zero never ends and a FIFO blocks until a writer comes: both
	// are refused before they are opened.
	_, err = Read("/dev/zero", 1<<20)
	assert.EqualError(t, err, "/dev/zero is not a regular file (a device)")
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	_, err = Read(fifo, 1<<20)
	assert.EqualError(t, err, fifo+" is not a regular file (a named pipe)")
	_, err = Read(dir, 1<<20)
	assert.EqualError(t, err, dir+" is not a regular file (a directory)")
	_, err = Read(filepath.Join(dir, "missing"), 1)
	assert.EqualError(t, err, filepath.Join(dir, "missing")+": no such file or directory")

	assert.Equal(t, "16 MiB", Size(16<<20))
	assert.Equal(t, "3 KiB", Size(3<<10))
}
