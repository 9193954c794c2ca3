//go:build amd64 && !purego

package gemm

import (
	"testing"

	"github.com/klauspost/cpuid/v2"
)

// BenchmarkFMAPeak measures one core's peak float32 FMA rate (2 flops per
// lane per FMA), the yardstick of the GEMM's efficiency:
//
//	go test ./internal/gemm -run X -bench 'FMAPeak|Sgemm/1024' -cpu 1
//
// compares it with the 1024×1024 product on the same core.
func BenchmarkFMAPeak(b *testing.B) {
	const trips = 1 << 20
	for _, c := range []struct {
		name          string
		ok            bool
		chains, lanes int
		run           func(int)
	}{
		{"avx2", cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3), 12, 8, fmaPeakAVX2},
		{"avx512", cpuid.CPU.Supports(cpuid.AVX512F), 24, 16, fmaPeakAVX512},
	} {
		b.Run(c.name, func(b *testing.B) {
			if !c.ok {
				b.Skip("not supported by this CPU")
			}
			for b.Loop() {
				c.run(trips)
			}
			flops := 2 * float64(trips*c.chains*c.lanes) * float64(b.N)
			b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// TestFMAPeakRuns checks that the peak loops run and return (the
// benchmark's timing is meaningless otherwise).
func TestFMAPeakRuns(t *testing.T) {
	if cpuid.CPU.Supports(cpuid.AVX2, cpuid.FMA3) {
		fmaPeakAVX2(1000)
	}
	if cpuid.CPU.Supports(cpuid.AVX512F) {
		fmaPeakAVX512(1000)
	}
	fmaPeakAVX2(0)
}
