//go:build amd64 && !purego

package gemm

import (
	"testing"
	"time"

	"github.com/klauspost/cpuid/v2"
)

// peakLoop is the FMA loop of one instruction set: trips of chains
// independent lanes-wide fused multiply-adds.
type peakLoop struct {
	name          string
	ok            bool
	chains, lanes int
	run           func(int)
}

var peakLoops = []peakLoop{
	{"avx2", cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3), 12, 8, fmaPeakAVX2},
	{"avx512", cpuid.CPU.Supports(cpuid.AVX512F), 24, 16, fmaPeakAVX512},
}

// activePeak returns the FMA loop of the instruction set of the active
// kernel (the AVX2 loop when AUTOGAN_GEMM_KERNEL=avx2 forces the AVX2
// kernel on an AVX-512 machine), or false for the generic kernel.
func activePeak() (peakLoop, bool) {
	for _, l := range peakLoops {
		if l.name == Active().Name && l.ok {
			return l, true
		}
	}
	return peakLoop{}, false
}

// BenchmarkFMAPeak measures one core's peak float32 FMA rate (2 flops per
// lane per FMA) with the instruction set of the active kernel, the
// yardstick of the GEMM's efficiency:
//
//	AUTOGAN_GEMM_KERNEL=avx2 go test ./internal/gemm -run X -bench 'FMAPeak|Sgemm/n=1024' -cpu 1
//
// compares it with the 1024×1024 product on the same core (whose
// benchmark also reports its share of a peak measured just before it).
func BenchmarkFMAPeak(b *testing.B) {
	const trips = 1 << 20
	l, ok := activePeak()
	if !ok {
		b.Skip("the active kernel is not an assembly kernel")
	}
	b.Run(l.name, func(b *testing.B) {
		for b.Loop() {
			l.run(trips)
		}
		flops := 2 * float64(trips*l.chains*l.lanes) * float64(b.N)
		b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// measurePeak returns the active instruction set's FMA rate in GFLOP/s,
// the best of a few short runs (0 for the generic kernel).
func measurePeak() float64 {
	l, ok := activePeak()
	if !ok {
		return 0
	}
	const trips = 1 << 18
	best := 0.0
	for range 10 {
		start := time.Now()
		l.run(trips)
		best = max(best, 2*float64(trips*l.chains*l.lanes)/time.Since(start).Seconds()/1e9)
	}
	return best
}

// TestFMAPeakRuns checks that the peak loops run and return (the
// benchmark's timing is meaningless otherwise).
func TestFMAPeakRuns(t *testing.T) {
	for _, l := range peakLoops {
		if l.ok {
			l.run(1000)
			l.run(0)
		}
	}
}
