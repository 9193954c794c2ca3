package tensor

import (
	"math"
	"runtime"
	"testing"
)

// TestDeterminismAcrossWorkers proves the contract of the package: the
// matrix multiply and the parallel reduction give identical bits with 1, 2,
// 3 and 7 workers.
func TestDeterminismAcrossWorkers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	g := NewRNG(99)
	a, b := g.Normals(333, 517), g.Normals(517, 401)
	big := g.Normals(1<<20 + 123)
	var refProd *Tensor
	var refSum float64
	for _, w := range []int{1, 2, 3, 7} {
		runtime.GOMAXPROCS(w)
		prod := MatMul(a, b, false, false)
		sum := SumAll(big)
		if refProd == nil {
			refProd, refSum = prod, sum
			continue
		}
		for i, v := range prod.data {
			if math.Float32bits(v) != math.Float32bits(refProd.data[i]) {
				t.Fatalf("MatMul with %d workers differs at %d", w, i)
			}
		}
		if math.Float64bits(sum) != math.Float64bits(refSum) {
			t.Fatalf("SumAll with %d workers: %v, want %v", w, sum, refSum)
		}
	}
}
