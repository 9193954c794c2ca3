package parallel

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"weak"
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

// A chunk that ends its goroutine (runtime.Goexit, which t.FailNow calls)
// must not leave its loop waiting forever, and later loops must still get
// helpers. Here every chunk that runs on a helper exits.
func TestChunkThatExitsItsGoroutine(t *testing.T) {
	const chunks = 64
	var onHelpers atomic.Int32
	for attempt := 0; onHelpers.Load() == 0; attempt++ {
		if attempt == 10 {
			t.Fatal("no helper joined a loop of 64 chunks of 200 µs in 10 attempts")
		}
		returned := make(chan struct{})
		go func() {
			caller := goroutineID()
			ForWorkers(2, chunks, 1, func(c, lo, hi int) {
				busy(200 * time.Microsecond)
				if goroutineID() != caller {
					onHelpers.Add(1)
					runtime.Goexit()
				}
			})
			close(returned)
		}()
		select {
		case <-returned:
		case <-time.After(time.Minute):
			t.Fatal("the loop never returned after a chunk on a helper exited its goroutine")
		}
	}
	var seen [1000]int32
	ForWorkers(2, len(seen), 10, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			atomic.AddInt32(&seen[i], 1)
		}
	})
	for i, s := range seen {
		if s != 1 {
			t.Fatalf("a later loop visited index %d %d times", i, s)
		}
	}
}

// goroutineID parses the running goroutine's number from its stack trace
// (tests only).
func goroutineID() string {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	return strings.Fields(string(buf))[1]
}

// A loop that finished while its offer was still queued (every helper was
// busy) must not keep the data of its body alive through that offer.
func TestQueuedOfferDoesNotKeepTheBodyAlive(t *testing.T) {
	release := make(chan struct{})
	busyLoop := make(chan struct{})
	go func() {
		// Occupies the helper: one chunk blocks until release, and the
		// caller cannot start it before the helper took the other.
		ForWorkers(2, 2, 1, func(c, lo, hi int) {
			if c == 0 {
				<-release
			} else {
				close(busyLoop)
				<-release
			}
		})
	}()
	<-busyLoop // both goroutines of that loop are now inside a chunk
	ptr := loopOverNewData()
	runtime.GC()
	alive := ptr.Value() != nil
	close(release)
	if alive {
		t.Fatal("the body's data is still alive after its loop returned")
	}
}

// loopOverNewData runs a loop whose body holds the only reference to new
// data, and returns a weak pointer to the data.
func loopOverNewData() weak.Pointer[[1 << 16]float32] {
	data := new([1 << 16]float32)
	ForWorkers(2, 4, 1, func(c, lo, hi int) { data[c] = 1 })
	return weak.Make(data)
}
