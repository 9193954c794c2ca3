package parallel

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Loops inside loops, and loops started by several goroutines at once,
// share the helpers: every index must still be visited exactly once, and
// no loop may wait for a helper that is waiting for it.
func TestNestedAndConcurrentLoops(t *testing.T) {
	const outer, inner, callers = 37, 101, 4
	var seen [callers][outer][inner]int32
	var wg sync.WaitGroup
	for g := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				ForWorkers(3, outer, 2, func(_, lo, hi int) {
					for i := lo; i < hi; i++ {
						ForWorkers(3, inner, 7, func(_, lo, hi int) {
							for k := lo; k < hi; k++ {
								atomic.AddInt32(&seen[g][i][k], 1)
							}
						})
					}
				})
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("nested loops did not finish in a minute: deadlock")
	}
	for g := range seen {
		for i := range seen[g] {
			for k, s := range seen[g][i] {
				if s != 20 {
					t.Fatalf("caller %d: index (%d, %d) visited %d times, want 20", g, i, k, s)
				}
			}
		}
	}
}

// BenchmarkLoopOfTwoChunks measures what a parallel loop costs beyond its
// work: two chunks of about 20 µs each take 20 µs when the second worker
// joins at once, 40 µs when it never does.
func BenchmarkLoopOfTwoChunks(b *testing.B) {
	for b.Loop() {
		For(2, 1, func(lo, hi int) { busy(20 * time.Microsecond) })
	}
}

func busy(d time.Duration) {
	for t := time.Now(); time.Since(t) < d; {
	}
}
