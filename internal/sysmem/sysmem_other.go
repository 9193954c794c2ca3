//go:build !linux

package sysmem

// Memory is unknown on this system: nothing is refused.
func Memory() Limit { return Limit{} }

// Disk is unknown on this system: nothing is refused.
func Disk(string) Limit { return Limit{} }
