// Package parallel is the one way the project runs work on several goroutines.
//
// # Determinism contract
//
// Every kernel in the project must give bit-identical results for any number
// of workers (any GOMAXPROCS). The rule that makes this possible is simple:
// work is cut into chunks whose boundaries depend only on the size of the
// problem, never on the number of workers, and any partial results are
// combined by one goroutine in chunk order. Workers merely decide *who*
// computes a chunk, never *what* a chunk is.
//
// [For] and [ForChunks] implement that rule. A reduction looks like this:
//
//	partial := make([]float64, parallel.NumChunks(n, grain))
//	parallel.ForChunks(n, grain, func(c, lo, hi int) {
//		for i := lo; i < hi; i++ {
//			partial[c] += float64(x[i])
//		}
//	})
//	var sum float64
//	for _, p := range partial { // fixed order
//		sum += p
//	}
//
// Never give each worker its own accumulator, never collect results in
// completion order, and never use atomics on floating-point values.
//
// # Worker count
//
// The number of workers is runtime.GOMAXPROCS(0): the `-threads` flag of the
// commands sets GOMAXPROCS, and tests sweep it to prove the contract. There is
// deliberately no package-level knob of our own. [ForWorkers] takes an explicit
// worker count for tests that want to vary it without touching GOMAXPROCS.
//
// # Helpers
//
// The goroutine that calls a loop works on it itself; the other workers are
// helper goroutines that outlive the loop and, once idle, poll for the next
// one for 200 µs before they sleep (helpers.go). Starting a goroutine per
// loop was much slower on virtual machines, where waking a sleeping thread
// takes 100–200 µs: most loops of the networks last only a few hundred
// microseconds, and the second core joined them late or never. The polling
// shows up as CPU time, not as wall time: after each loop every helper that
// joined it polls for up to 200 µs, and so does a caller that waits for its
// loop's last chunks. BenchmarkLoopOfTwoChunks measures the cost of a loop.
//
// # Panics
//
// A chunk that panics, on whichever goroutine, makes the loop panic on the
// goroutine that called it, once no chunk of the loop is running; chunks
// not yet started are skipped. A deliberate panic (a message, an error)
// arrives unchanged; a runtime error, which is a bug, arrives as a
// [ChunkError] that carries the stack of the chunk. With one worker the
// chunks run on the caller and panic there directly.
package parallel
