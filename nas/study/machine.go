package study

import (
	"fmt"
	"runtime"

	"github.com/klauspost/cpuid/v2"

	"github.com/autogan-go/autogan/internal/gemm"
)

// Machine describes where a piece of work ran; the document lists every
// machine a study used beside its wall times.
type Machine struct {
	CPU     string `json:"cpu"`
	Threads int    `json:"threads"` // GOMAXPROCS
	Kernel  string `json:"kernel"`  // the matrix-product kernel (instruction set)
	Go      string `json:"go"`
}

func thisMachine() Machine {
	cpu := cpuid.CPU.BrandName
	if cpu == "" {
		cpu = runtime.GOARCH
	}
	return Machine{CPU: cpu, Threads: runtime.GOMAXPROCS(0), Kernel: gemm.Active().Name,
		Go: fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)}
}

func (m Machine) String() string {
	return fmt.Sprintf("%s, %d threads, %s kernel, %s", m.CPU, m.Threads, m.Kernel, m.Go)
}
