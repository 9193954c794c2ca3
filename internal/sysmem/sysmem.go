// Package sysmem tells how much memory and disk a run may still use, so
// that a command can refuse, before any work, a size that cannot fit: the
// smaller of the machine's available memory (/proc/meminfo's MemAvailable)
// and what the process's control group may still use (memory.max minus
// memory.current in cgroup v2, memory.limit_in_bytes minus
// memory.usage_in_bytes in v1) — the limit a Slurm job or a container
// runs under — and the free space of a file system.
package sysmem

import "fmt"

// Limit is an amount of memory or disk and where it comes from.
type Limit struct {
	Bytes  uint64
	Source string // "MemAvailable", "cgroup memory.max", "free space of /runs"
}

// Check returns an error when need bytes exceed the limit (a zero Limit,
// unknown, never refuses). what says what needs them.
func (l Limit) Check(need uint64, what string) error {
	if l.Bytes == 0 || need <= l.Bytes {
		return nil
	}
	return fmt.Errorf("%s needs about %s, more than the %s available (%s)", what, Size(need), Size(l.Bytes), l.Source)
}

// Size formats a number of bytes for people: 1.5 GB, 320 MB.
func Size(b uint64) string {
	switch {
	case b >= 1<<40:
		return fmt.Sprintf("%.1f TB", float64(b)/(1<<40))
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d kB", (b+1023)/1024)
}
