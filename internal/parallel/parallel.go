package parallel

import (
	"runtime"
)

// Workers reports how many goroutines [For] uses: runtime.GOMAXPROCS(0).
func Workers() int { return runtime.GOMAXPROCS(0) }

// NumChunks returns the number of chunks [ForChunks] cuts [0, n) into:
// ceil(n/grain), or 0 when n <= 0. grain < 1 counts as 1.
func NumChunks(n, grain int) int {
	if n <= 0 {
		return 0
	}
	if grain < 1 {
		grain = 1
	}
	return 1 + (n-1)/grain // (n+grain−1)/grain would overflow for a huge grain
}

// For calls body(lo, hi) for consecutive ranges of [0, n) of length grain
// (the last one may be shorter), on up to Workers() goroutines. It returns
// when every range is done. The ranges do not depend on the worker count.
func For(n, grain int, body func(lo, hi int)) {
	ForChunks(n, grain, func(_, lo, hi int) { body(lo, hi) })
}

// ForChunks is [For] with the chunk index c = lo/grain passed to body, so
// that a chunk can write its partial result into slot c of a slice.
func ForChunks(n, grain int, body func(c, lo, hi int)) {
	ForWorkers(Workers(), n, grain, body)
}

// ForWorkers is [ForChunks] with an explicit number of workers. Results of a
// correct body are the same for every value of workers; tests use it to prove
// that.
func ForWorkers(workers, n, grain int, body func(c, lo, hi int)) {
	chunks := NumChunks(n, grain)
	if chunks == 0 {
		return
	}
	if grain < 1 {
		grain = 1
	}
	run := func(c int) {
		lo := c * grain
		hi := min(lo+grain, n)
		body(c, lo, hi)
	}
	workers = min(workers, chunks)
	if workers <= 1 {
		for c := 0; c < chunks; c++ {
			run(c)
		}
		return
	}
	// Chunks are claimed dynamically (an atomic counter) for load balance;
	// which goroutine runs a chunk does not change what the chunk computes.
	// The caller works on its own loop; up to workers−1 helpers (helpers.go)
	// join it.
	j := &job{run: run, chunks: int64(chunks), done: make(chan struct{})}
	j.left.Store(int64(chunks))
	offer(j, workers-1)
	j.work()
	j.wait()
	// An offer of j may still sit in the helpers' queue (a helper that was
	// busy takes it later and finds nothing to claim): drop the body so that
	// the offer does not keep the loop's data alive. No one calls run once
	// every chunk has finished.
	j.run = nil
	// A chunk that panicked, on any goroutine, panics here, on the caller's
	// goroutine, once no chunk of the loop is running any more.
	if p := j.panicked.Load(); p != nil {
		panic(p.value())
	}
}
