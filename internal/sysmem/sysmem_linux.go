package sysmem

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Memory returns the memory the process may still use: the smaller of
// MemAvailable and its cgroup's remaining allowance (zero when neither is
// known).
func Memory() Limit {
	var best Limit
	if v, ok := memAvailable(); ok {
		best = Limit{v, "MemAvailable in /proc/meminfo"}
	}
	if v, src, ok := cgroupRemaining(); ok && (best.Bytes == 0 || v < best.Bytes) {
		best = Limit{v, src}
	}
	return best
}

func memAvailable() (uint64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			fields := strings.Fields(rest)
			if len(fields) >= 1 {
				kb, err := strconv.ParseUint(fields[0], 10, 64)
				return kb * 1024, err == nil
			}
		}
	}
	return 0, false
}

// cgroupRemaining reads the limit and usage of the process's cgroup (v2,
// then v1).
func cgroupRemaining() (uint64, string, bool) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0, "", false
	}
	for _, line := range strings.Split(string(bytes.TrimSpace(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "": // v2
			dir := filepath.Join("/sys/fs/cgroup", parts[2])
			if limit, ok := readUint(filepath.Join(dir, "memory.max")); ok {
				used, _ := readUint(filepath.Join(dir, "memory.current"))
				return sub(limit, used), "cgroup memory.max", true
			}
		case strings.Contains(parts[1], "memory"): // v1
			dir := filepath.Join("/sys/fs/cgroup/memory", parts[2])
			if limit, ok := readUint(filepath.Join(dir, "memory.limit_in_bytes")); ok && limit < 1<<60 {
				used, _ := readUint(filepath.Join(dir, "memory.usage_in_bytes"))
				return sub(limit, used), "cgroup memory.limit_in_bytes", true
			}
		}
	}
	return 0, "", false
}

func readUint(path string) (uint64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64) // "max" fails: no limit
	return v, err == nil
}

func sub(a, b uint64) uint64 {
	if b > a {
		return 0
	}
	return a - b
}

// Disk returns the free space of the file system holding path (or its
// nearest existing parent) for an unprivileged user.
func Disk(path string) Limit {
	for p := path; ; p = filepath.Dir(p) {
		var st syscall.Statfs_t
		if err := syscall.Statfs(p, &st); err == nil {
			return Limit{uint64(st.Bavail) * uint64(st.Bsize), "free space of " + p}
		}
		if p == filepath.Dir(p) {
			return Limit{}
		}
	}
}
