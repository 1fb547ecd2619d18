package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// entries lists the names in dir, to check no temporary file is left behind.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileCreatesAndReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.bin")
	for _, data := range [][]byte{[]byte("first"), []byte("second, longer"), {}} {
		if err := WriteFile(path, data, 0o640); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("file holds %q, want %q", got, data)
		}
		if names := entries(t, dir); len(names) != 1 {
			t.Fatalf("directory holds %v, want only model.bin", names)
		}
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o640 {
			t.Errorf("mode %v, want 0640", fi.Mode().Perm())
		}
	}
}

func TestWriteRelativePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := WriteFile("rel.bin", []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "rel.bin")); err != nil || string(got) != "x" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// Every failure before the rename must leave the old file as it was and no
// temporary file behind.
func TestWriteFailureKeepsOldFile(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name  string
		path  func(dir string) string
		write func(w io.Writer) error
		setup func(t *testing.T)
	}{
		{
			name: "write fails midway",
			write: func(w io.Writer) error {
				w.Write([]byte("partial new content"))
				return boom
			},
		},
		{
			name: "sync fails",
			setup: func(t *testing.T) {
				syncFile = func(*os.File) error { return boom }
				t.Cleanup(func() { syncFile = (*os.File).Sync })
			},
		},
		{
			name: "rename fails",
			setup: func(t *testing.T) {
				rename = func(string, string) error { return boom }
				t.Cleanup(func() { rename = os.Rename })
			},
		},
		{
			name: "directory missing",
			path: func(dir string) string { return filepath.Join(dir, "no", "such", "dir", "f") },
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "model.bin")
			old := []byte("old content")
			if err := os.WriteFile(path, old, 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.setup != nil {
				tc.setup(t)
			}
			target := path
			if tc.path != nil {
				target = tc.path(dir)
			}
			write := tc.write
			if write == nil {
				write = func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }
			}
			err := Write(target, 0o644, write)
			if err == nil {
				t.Fatal("Write succeeded, want an error")
			}
			if errors.Is(err, boom) != (tc.path == nil) {
				t.Errorf("error %v does not wrap the cause", err)
			}
			got, rerr := os.ReadFile(path)
			if rerr != nil || !bytes.Equal(got, old) {
				t.Errorf("old file now holds %q (%v), want %q", got, rerr, old)
			}
			if names := entries(t, dir); len(names) != 1 {
				t.Errorf("directory holds %v, want only model.bin", names)
			}
		})
	}
}

// A rename onto a directory fails for real (no hook), and must clean up too.
func TestWriteOntoDirectory(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "sub")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("x"), 0o644); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	if names := entries(t, dir); len(names) != 1 || names[0] != "sub" {
		t.Errorf("directory holds %v, want only sub", names)
	}
	if err := WriteFile(dir+string(filepath.Separator), []byte("x"), 0o644); err == nil {
		t.Error("a path ending in a separator was accepted")
	}
}

func TestDirSyncFailureReported(t *testing.T) {
	boom := errors.New("boom")
	syncDir = func(string) error { return boom }
	t.Cleanup(func() { syncDir = syncDirectory })
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	err := WriteFile(path, []byte("new"), 0o644)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the directory sync error", err)
	}
	// The rename happened: the new contents are in place, nothing else.
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file holds %q, want %q", got, "new")
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v", names)
	}
}

// WriteUnsynced replaces the file like Write, without any fsync; Write
// syncs the file and its directory.
func TestWriteUnsyncedSkipsSyncs(t *testing.T) {
	files, dirs := 0, 0
	savedFile, savedDir := syncFile, syncDir
	t.Cleanup(func() { syncFile, syncDir = savedFile, savedDir })
	syncFile = func(f *os.File) error { files++; return savedFile(f) }
	syncDir = func(d string) error { dirs++; return savedDir(d) }
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	for _, data := range []string{"old", "new contents"} {
		if err := WriteUnsynced(path, 0o600, func(w io.Writer) error { _, err := io.WriteString(w, data); return err }); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != data {
			t.Fatalf("file holds %q, want %q", got, data)
		}
	}
	if files != 0 || dirs != 0 {
		t.Errorf("WriteUnsynced synced %d files and %d directories", files, dirs)
	}
	err := WriteUnsynced(path, 0o600, func(w io.Writer) error { io.WriteString(w, "partial"); return errors.New("boom") })
	if got, _ := os.ReadFile(path); err == nil || string(got) != "new contents" || len(entries(t, dir)) != 1 {
		t.Errorf("failed write: err %v, file %q, entries %v", err, got, entries(t, dir))
	}
	if err := WriteFile(path, []byte("x"), 0o600); err != nil || files != 1 || dirs != 1 && runtime.GOOS != "windows" {
		t.Errorf("Write: err %v, %d file syncs, %d directory syncs; want 1 and 1", err, files, dirs)
	}
}
