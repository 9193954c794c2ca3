package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Helpers: goroutines that stay alive between parallel loops and poll for
// work for a while before they sleep.
//
// Why not start a goroutine per loop: a new goroutine runs only when the
// runtime has woken a sleeping thread for it, and on the virtual machines
// this project is measured on that takes 100–200 µs (the wake-up goes
// through the hypervisor). A loop of two 200 µs chunks took 344 µs with a
// fresh goroutine for the second chunk: the caller usually finished the
// first chunk and took the second before the helper had started. The
// networks of the demo run hundreds of thousands of loops of a few hundred
// microseconds, so one core sat idle for much of them. A helper that has
// just finished a loop keeps polling for spinTime and joins the next loop
// within a microsecond; only after spinTime without work does it sleep,
// so an idle process does not burn a core.
//
// The helpers are package-level state, like the buffer cache of
// internal/buffer: they decide who runs a chunk, never what a chunk
// computes, so they cannot change a result.

// spinTime is how long an idle helper, or a caller waiting for the last
// chunks of its loop, polls before it sleeps.
const spinTime = 200 * time.Microsecond

// A job is one call of ForWorkers: chunks 0 … chunks−1 of run.
type job struct {
	run    func(c int)
	chunks int64
	next   atomic.Int64  // the next chunk to claim
	left   atomic.Int64  // chunks not yet finished
	done   chan struct{} // closed by whoever finishes the last chunk
}

// work claims and runs chunks until none is left to claim.
func (j *job) work() {
	for {
		c := j.next.Add(1) - 1
		if c >= j.chunks {
			return
		}
		j.runChunk(int(c))
	}
}

// runChunk runs chunk c and counts it as finished even if it does not
// return (a body that calls runtime.Goexit, as t.FailNow does), so that the
// caller never waits for a chunk that will not end.
func (j *job) runChunk(c int) {
	defer func() {
		if j.left.Add(-1) == 0 {
			close(j.done)
		}
	}()
	j.run(c)
}

// wait returns when every chunk of j has finished; the chunks still running
// are on helpers, which finish them without needing the caller.
func (j *job) wait() {
	if !poll(func() bool { return j.left.Load() == 0 }) {
		<-j.done
	}
}

// poll calls ready, yielding the processor between calls, until it reports
// true (poll then does too) or spinTime has passed (false: the caller
// should block instead).
func poll(ready func() bool) bool {
	deadline := time.Now().Add(spinTime)
	for !ready() {
		if time.Now().After(deadline) {
			return false
		}
		runtime.Gosched()
	}
	return true
}

// helpers counts the helper goroutines and holds the queue through which
// loops are offered to them (a helper takes one offer at a time).
var helpers = struct {
	sync.Mutex // held to start helpers
	started    atomic.Int64
	queue      chan *job
}{queue: make(chan *job, 64)}

// offer lets up to n helpers join j, starting helpers as needed. A helper
// that takes j after its chunks are all claimed returns at once.
func offer(j *job, n int) {
	if n <= 0 {
		return
	}
	if helpers.started.Load() < int64(n) {
		helpers.Lock()
		for helpers.started.Load() < int64(n) {
			helpers.started.Add(1)
			go helper()
		}
		helpers.Unlock()
	}
	for range n {
		select {
		case helpers.queue <- j:
		default: // the queue is full of older offers: helpers are busy anyway
			return
		}
	}
}

// helper runs the jobs it is offered, until a chunk ends its goroutine
// (runtime.Goexit); offer then starts a new helper in its place.
func helper() {
	defer helpers.started.Add(-1)
	for {
		var j *job
		if !poll(func() bool {
			select {
			case j = <-helpers.queue:
				return true
			default:
				return false
			}
		}) {
			j = <-helpers.queue // sleep until the next offer
		}
		j.work()
	}
}
