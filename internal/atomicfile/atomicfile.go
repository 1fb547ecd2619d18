// Package atomicfile replaces files atomically: the new contents go to a
// temporary file in the same directory, which is flushed to stable storage
// and then renamed over the target, so a reader (or a crash) sees either the
// old file or the complete new one, never a partial write.
//
// On any error the temporary file is removed and the old file, if there was
// one, is left as it was.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Hooks for tests, which inject failures through them.
var (
	syncFile = (*os.File).Sync
	rename   = os.Rename
	syncDir  = syncDirectory
)

// WriteFile writes data to the file named by path atomically, creating it
// with permissions perm (applied as given, not filtered by the umask) or
// replacing it.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write replaces the file named by path atomically with what write writes to
// the io.Writer it is given, with permissions perm (applied as given, not
// filtered by the umask). The steps are: create a temporary file in the
// directory of path, call write, fsync and close the file, set perm, rename
// it to path, and fsync the directory so the rename itself is durable (the
// last step is skipped where directories cannot be synced, as on Windows).
//
// If write or any step before the rename fails, the temporary file is
// removed, the old file is left intact and the error is returned. An error
// from syncing the directory is reported too, although path then already
// holds the new contents.
func Write(path string, perm fs.FileMode, write func(w io.Writer) error) error {
	return replace(path, perm, write, true)
}

// WriteUnsynced is Write without the two fsyncs: readers still see either
// the old file or the complete new one, but after a crash (of the machine,
// not of the process) path may hold the old contents, a truncated file or
// garbage. It suits caches whose reader validates them (a size and a
// checksum) and rebuilds them when invalid: the fsync of a 55 MB file took
// longer than decoding it.
func WriteUnsynced(path string, perm fs.FileMode, write func(w io.Writer) error) error {
	return replace(path, perm, write, false)
}

func replace(path string, perm fs.FileMode, write func(w io.Writer) error, durable bool) (err error) {
	dir, base := filepath.Split(path)
	if base == "" {
		return fmt.Errorf("atomicfile: %q names a directory, not a file", path)
	}
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	tmp := f.Name()
	closed, renamed := false, false
	defer func() {
		if err != nil && !renamed {
			if !closed {
				f.Close()
			}
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return fmt.Errorf("atomicfile: writing %s: %w", path, err)
	}
	if durable {
		if err := syncFile(f); err != nil {
			return fmt.Errorf("atomicfile: syncing %s: %w", tmp, err)
		}
	}
	closed = true
	if err := f.Close(); err != nil {
		return fmt.Errorf("atomicfile: closing %s: %w", tmp, err)
	}
	if err := os.Chmod(tmp, perm); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	if err := rename(tmp, path); err != nil {
		return fmt.Errorf("atomicfile: %w", err)
	}
	renamed = true // path holds the new contents; no temporary to remove
	if !durable {
		return nil
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("atomicfile: %s written, but syncing its directory failed: %w", path, err)
	}
	return nil
}

// syncDirectory flushes the directory entry changes of dir to stable storage.
func syncDirectory(dir string) error {
	switch runtime.GOOS {
	case "windows", "plan9", "js", "wasip1":
		return nil // directories cannot be opened for syncing there
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, errors.ErrUnsupported) {
		return nil
	}
	return err
}
