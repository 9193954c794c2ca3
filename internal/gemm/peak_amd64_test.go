//go:build amd64 && !purego

package gemm

import (
	"math/rand/v2"
	"slices"
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
	best := 0.0
	for range 10 {
		best = max(best, l.rate(1<<18))
	}
	return best
}

// rate runs trips of the loop once and returns its rate in GFLOP/s.
func (l peakLoop) rate(trips int) float64 {
	start := time.Now()
	l.run(trips)
	return 2 * float64(trips*l.chains*l.lanes) / time.Since(start).Seconds() / 1e9
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

// BenchmarkSgemmEfficiency measures the 1024×1024 product's share of the
// FMA peak in a way that holds on a noisy machine (a virtual machine whose
// host lends it more or less of a core from one second to the next): it
// alternates a short peak measurement with one product, twenty times, and
// reports the median of the twenty ratios (%peak) besides the best product
// against the best peak (%best). A slow drift of the core's speed affects
// both halves of a pair alike and cancels in its ratio.
//
//	AUTOGAN_GEMM_KERNEL=avx2 go test ./internal/gemm -run X -bench SgemmEfficiency -cpu 1
func BenchmarkSgemmEfficiency(b *testing.B) {
	const n, pairs = 1024, 20
	l, ok := activePeak()
	if !ok {
		b.Skip("the active kernel is not an assembly kernel")
	}
	r := rand.New(rand.NewPCG(1, 1))
	x, y, z := randSlice(r, n*n), randSlice(r, n*n), make([]float32, n*n)
	Sgemm(false, false, n, n, n, 1, x, n, y, n, 0, z, n) // warm the caches and the buffer pool
	var ratios []float64
	bestPeak, bestGemm := 0.0, 0.0
	for b.Loop() {
		ratios = ratios[:0]
		for range pairs {
			peak := max(l.rate(1<<16), l.rate(1<<16))
			start := time.Now()
			Sgemm(false, false, n, n, n, 1, x, n, y, n, 0, z, n)
			gflops := 2 * float64(n*n*n) / time.Since(start).Seconds() / 1e9
			ratios = append(ratios, gflops/peak)
			bestPeak, bestGemm = max(bestPeak, peak), max(bestGemm, gflops)
		}
	}
	slices.Sort(ratios)
	b.ReportMetric(100*(ratios[pairs/2-1]+ratios[pairs/2])/2, "%peak")
	b.ReportMetric(100*bestGemm/bestPeak, "%best")
	b.ReportMetric(bestGemm, "GFLOP/s")
}
