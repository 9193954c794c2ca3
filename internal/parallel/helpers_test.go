package parallel

import (
	"errors"
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
	checkLaterLoop(t)
}

// checkLaterLoop runs a loop on two workers and fails unless it visits
// every index exactly once: the helpers still work after what a test did
// to them.
func checkLaterLoop(t *testing.T) {
	t.Helper()
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
	// Occupy every helper (earlier tests started some) and a caller: a loop
	// of one blocking chunk per goroutine, all of them inside their chunk.
	k := max(2, int(helpers.started.Load())+1)
	release := make(chan struct{})
	var entered atomic.Int32
	go ForWorkers(k, k, 1, func(c, lo, hi int) {
		entered.Add(1)
		<-release
	})
	defer close(release)
	for end := time.Now().Add(10 * time.Second); entered.Load() < int32(k); {
		if time.Now().After(end) {
			t.Fatalf("only %d of %d goroutines entered the blocking loop", entered.Load(), k)
		}
		runtime.Gosched()
	}
	// No helper is free now: the next loop's offer stays queued.
	ptr := loopOverNewData()
	runtime.GC()
	if ptr.Value() != nil {
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

// A chunk that panics, on a helper or on the caller, makes the loop panic
// on the caller's goroutine with the same value, once none of the loop's
// chunks is running any more; later loops still work.
func TestPanicInAChunkReachesTheCaller(t *testing.T) {
	const chunks = 64
	for _, where := range []string{"helper", "caller"} {
		var running, onHelpers atomic.Int32
		for attempt := 0; onHelpers.Load() == 0; attempt++ {
			if attempt == 10 {
				t.Fatalf("%s: no helper joined a loop of 64 chunks of 200 µs in 10 attempts", where)
			}
			caller := goroutineID()
			r := func() (r any) {
				defer func() { r = recover() }()
				ForWorkers(2, chunks, 1, func(c, lo, hi int) {
					running.Add(1)
					defer running.Add(-1)
					onHelper := goroutineID() != caller
					if onHelper {
						onHelpers.Add(1)
					} else if where == "caller" {
						// Panic only once a helper is inside a chunk, which
						// the loop must then wait for.
						for end := time.Now().Add(50 * time.Millisecond); onHelpers.Load() == 0 && time.Now().Before(end); {
							runtime.Gosched()
						}
					}
					busy(200 * time.Microsecond)
					if onHelper == (where == "helper") {
						panic("chunk failed on the " + where)
					}
				})
				return nil
			}()
			if r == nil && where == "helper" && onHelpers.Load() == 0 {
				continue // the caller ran every chunk: try again
			}
			if r != "chunk failed on the "+where {
				t.Fatalf("%s: the loop's caller recovered %v", where, r)
			}
			if n := running.Load(); n != 0 {
				t.Fatalf("%s: %d chunks still running after the loop panicked", where, n)
			}
		}
	}
	checkLaterLoop(t)
}

// A runtime error in a chunk (a bug) reaches the caller as a *ChunkError
// that wraps it and shows where in the chunk it happened.
func TestRuntimeErrorInAChunkKeepsItsStack(t *testing.T) {
	var r any
	func() {
		defer func() { r = recover() }()
		ForWorkers(2, 8, 1, indexOutOfRange)
	}()
	ce, ok := r.(*ChunkError)
	if !ok {
		t.Fatalf("recovered %T %v, want a *ChunkError", r, r)
	}
	var re runtime.Error
	if !errors.As(ce, &re) || !strings.Contains(ce.Error(), "index out of range") {
		t.Fatalf("the error %q does not wrap the runtime error", ce)
	}
	if !strings.Contains(ce.Error(), "indexOutOfRange") {
		t.Fatalf("the error does not show the chunk's stack:\n%s", ce)
	}
}

func indexOutOfRange(c, lo, hi int) {
	var s []int
	_ = s[c]
}

// Helpers never end, so ForWorkers with a huge worker count must not start
// one per worker.
func TestHelpersAreCapped(t *testing.T) {
	ForWorkers(10000, 10000, 1, func(c, lo, hi int) {})
	if n := helpers.started.Load(); n > int64(maxHelpers()) {
		t.Fatalf("%d helpers started, at most %d allowed", n, maxHelpers())
	}
}
