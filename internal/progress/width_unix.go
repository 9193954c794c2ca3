//go:build linux || darwin

package progress

import (
	"os"
	"syscall"
	"unsafe"
)

// termWidth returns the width in columns of the terminal f is on (asked
// with TIOCGWINSZ), or envWidth when f is not on one.
func termWidth(f *os.File) int {
	var ws struct{ row, col, xpixel, ypixel uint16 }
	var errno syscall.Errno
	rc, err := f.SyscallConn()
	if err == nil {
		err = rc.Control(func(fd uintptr) {
			_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws)))
		})
	}
	if err != nil || errno != 0 || ws.col == 0 {
		return envWidth()
	}
	return int(ws.col)
}
