package mnist

import (
	"os"

	"syscall"
)

// mapFile maps the first size bytes of f, private and writable, with its
// page table filled (MAP_POPULATE: one system call instead of a fault per
// page). The pages are the page cache's own until written; a write copies
// the page for this process and never reaches the file.
//
// It is mapped read-only first and made writable after: populating a
// writable private mapping would copy every page at once.
//
// The mapping is never unmapped once its bytes are handed out (see
// Dataset), so it lives as long as the process. The file is only ever
// replaced by a rename, which leaves the mapped file intact; a file
// truncated in place while mapped would make reads past its new end fault.
func mapFile(f *os.File, size int) ([]byte, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	var m []byte
	var merr error
	if err := rc.Control(func(fd uintptr) {
		m, merr = syscall.Mmap(int(fd), 0, size, syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
	}); err != nil {
		return nil, err
	}
	if merr != nil {
		return nil, merr
	}
	if err := syscall.Mprotect(m, syscall.PROT_READ|syscall.PROT_WRITE); err != nil {
		syscall.Munmap(m)
		return nil, err
	}
	return m, nil
}

// unmapFile unmaps m, a mapping of mapFile that nothing refers to.
func unmapFile(m []byte) { syscall.Munmap(m) }
