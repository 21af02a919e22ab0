// Package outfile writes output files whole or not at all: the content goes
// to a temporary file in the target's directory, which is renamed over the
// target only once complete, so a failed or interrupted write never leaves
// a partial file. Targets that are symbolic links are refused, never
// followed.
package outfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Check reports whether a file can be written at path, before any work is
// done: path must not be a directory or a symbolic link, and its directory
// must exist and accept a new file.
func Check(path string) error {
	if path == "" {
		return errors.New("no path")
	}
	if err := notLinkOrDir(path); err != nil {
		return err
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("%s: its directory %s: %w", path, dir, unwrapPath(err))
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: %s is not a directory", path, dir)
	}
	return probe(dir, path)
}

// CheckDir reports whether files can be written in dir, before any work is
// done, without making it: an existing dir must be a directory, not a
// symbolic link, and accept a new file; a missing one must have a nearest
// existing ancestor that is a directory and accepts a new entry.
func CheckDir(dir string) error {
	if dir == "" {
		return errors.New("no directory")
	}
	st, err := os.Lstat(dir)
	switch {
	case err == nil && st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; give the directory itself (outputs are never written through links)", dir)
	case err == nil && !st.IsDir():
		return fmt.Errorf("%s is not a directory", dir)
	case err == nil:
		return probe(dir, dir)
	case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
		return fmt.Errorf("%s: %w", dir, unwrapPath(err))
	}
	for parent := filepath.Dir(dir); ; parent = filepath.Dir(parent) {
		st, err := os.Stat(parent)
		switch {
		case err == nil && !st.IsDir():
			return fmt.Errorf("%s: %s is not a directory", dir, parent)
		case err == nil:
			return probe(parent, dir)
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s: %s: %w", dir, parent, unwrapPath(err))
		case parent == filepath.Dir(parent):
			return fmt.Errorf("%s: no ancestor exists", dir)
		}
	}
}

// Write writes the file at path with write, through a temporary file in
// path's directory that replaces path only when write and the close
// succeed; on any error the temporary file is removed and path is left as
// it was. The file's mode is 0644. A path that is a symbolic link or a
// directory is refused.
func Write(path string, write func(w io.Writer) error) (err error) {
	if err := notLinkOrDir(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	return nil
}

// notLinkOrDir refuses a path that is a symbolic link or a directory.
func notLinkOrDir(path string) error {
	st, err := os.Lstat(path)
	switch {
	case err != nil:
		return nil // absent (or unreadable: creating it reports why)
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; give the file itself (outputs are never written through links)", path)
	case st.IsDir():
		return fmt.Errorf("%s is a directory; give a file", path)
	}
	return nil
}

// probe creates and removes a temporary file in dir, to learn before any
// work whether a file can be written there.
func probe(dir, name string) error {
	f, err := os.CreateTemp(dir, ".patchsim-probe-*")
	if err != nil {
		return fmt.Errorf("%s: cannot write in %s: %w", name, dir, unwrapPath(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// unwrapPath drops the path and operation of an *fs.PathError, which the
// messages above name themselves.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
