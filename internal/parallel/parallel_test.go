package parallel

import (
	"math"
	"math/rand/v2"
	"sync/atomic"
	"testing"
)

func TestForCoversEveryIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 64, 1000, 1023} {
		for _, grain := range []int{0, 1, 3, 64, 5000} {
			for _, workers := range []int{1, 2, 3, 7} {
				seen := make([]int32, n)
				ForWorkers(workers, n, grain, func(c, lo, hi int) {
					g := max(grain, 1)
					if lo != c*g || hi > n || hi <= lo {
						t.Errorf("chunk %d has range [%d,%d) with grain %d n %d", c, lo, hi, g, n)
					}
					for i := lo; i < hi; i++ {
						atomic.AddInt32(&seen[i], 1)
					}
				})
				for i, s := range seen {
					if s != 1 {
						t.Fatalf("n=%d grain=%d workers=%d: index %d visited %d times", n, grain, workers, i, s)
					}
				}
			}
		}
	}
}

// chunkedSum is the reduction recipe of the package documentation.
func chunkedSum(workers int, x []float32) float32 {
	const grain = 4096
	partial := make([]float32, NumChunks(len(x), grain))
	ForWorkers(workers, len(x), grain, func(c, lo, hi int) {
		var s float32
		for _, v := range x[lo:hi] {
			s += v
		}
		partial[c] = s
	})
	var sum float32
	for _, p := range partial {
		sum += p
	}
	return sum
}

// slabSum is what NOT to do: one slab per worker ties the rounding to the
// worker count. The test below uses it to show the check can fail.
func slabSum(workers int, x []float32) float32 {
	grain := (len(x) + workers - 1) / workers
	partial := make([]float32, NumChunks(len(x), grain))
	ForWorkers(workers, len(x), grain, func(c, lo, hi int) {
		var s float32
		for _, v := range x[lo:hi] {
			s += v
		}
		partial[c] = s
	})
	var sum float32
	for _, p := range partial {
		sum += p
	}
	return sum
}

func TestReductionIsBitIdenticalAcrossWorkerCounts(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float32, 1<<20+17)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	want := math.Float32bits(chunkedSum(1, x))
	for _, w := range []int{1, 2, 3, 7} {
		if got := math.Float32bits(chunkedSum(w, x)); got != want {
			t.Errorf("workers=%d: sum bits %#x, want %#x", w, got, want)
		}
	}
	// The anti-pattern really does differ, so the check above is meaningful.
	differs := false
	for _, w := range []int{2, 3, 7} {
		if math.Float32bits(slabSum(w, x)) != math.Float32bits(slabSum(1, x)) {
			differs = true
		}
	}
	if !differs {
		t.Errorf("per-worker slabs gave identical sums; the test input is too easy")
	}
}

func TestNumChunks(t *testing.T) {
	for _, c := range []struct{ n, grain, want int }{
		{0, 5, 0}, {-3, 5, 0}, {1, 5, 1}, {5, 5, 1}, {6, 5, 2}, {10, 0, 10},
		{10, math.MaxInt, 1}, {math.MaxInt, math.MaxInt, 1}, {math.MaxInt, 1, math.MaxInt},
	} {
		if got := NumChunks(c.n, c.grain); got != c.want {
			t.Errorf("NumChunks(%d, %d) = %d, want %d", c.n, c.grain, got, c.want)
		}
	}
	calls := 0
	For(10, math.MaxInt, func(lo, hi int) {
		if lo != 0 || hi != 10 {
			t.Errorf("chunk [%d, %d), want [0, 10)", lo, hi)
		}
		calls++
	})
	if calls != 1 {
		t.Errorf("For(10, MaxInt) called its body %d times, want 1", calls)
	}
}
