package study

import (
	"fmt"
	"runtime"

	"github.com/klauspost/cpuid/v2"

	"github.com/autogan-go/autogan/tensor"
)

// Machine describes where a piece of work ran; the document lists every
// machine a study used beside its wall times.
type Machine struct {
	CPU     string `json:"cpu"`
	Threads int    `json:"threads"` // GOMAXPROCS
	Kernel  string `json:"kernel"`  // the matrix-product kernel (instruction set)
	Conv    string `json:"conv"`    // the convolution algorithm setting (AUTOGAN_CONV)
	Go      string `json:"go"`
}

func thisMachine() Machine {
	cpu := cpuid.CPU.BrandName
	if cpu == "" {
		cpu = runtime.GOARCH
	}
	p := tensor.Policy()
	return Machine{CPU: cpu, Threads: runtime.GOMAXPROCS(0), Kernel: p.GEMMKernel, Conv: p.ConvMode,
		Go: fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)}
}

func (m Machine) String() string {
	conv := ""
	if m.Conv != "" {
		conv = ", " + m.Conv + " convolutions"
	}
	return fmt.Sprintf("%s, %d threads, %s kernel%s, %s", m.CPU, m.Threads, m.Kernel, conv, m.Go)
}
