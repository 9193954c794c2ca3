package parallel

import (
	"fmt"
	"runtime"
	"runtime/debug"
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
	run      func(c int)
	chunks   int64
	next     atomic.Int64  // the next chunk to claim
	left     atomic.Int64  // chunks not yet finished
	done     chan struct{} // closed by whoever finishes the last chunk
	panicked atomic.Pointer[chunkPanic]
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
//
// A chunk that panics is recovered, whichever goroutine runs it: the first
// panic is kept for the caller of the loop to raise again, and the chunks
// nobody has claimed yet are dropped. Without this a panic on a helper
// would end the process with the helper's stack, where no caller can
// recover it, and a panic on the caller would leave the loop while helpers
// still ran its other chunks on the caller's data.
func (j *job) runChunk(c int) {
	defer func() {
		if r := recover(); r != nil {
			j.panicked.CompareAndSwap(nil, &chunkPanic{r, debug.Stack()})
			j.finish(j.cancel())
		}
		j.finish(1)
	}()
	j.run(c)
}

// cancel stops the loop from handing out more chunks and returns how many
// were never claimed (they count as finished).
func (j *job) cancel() int64 {
	return max(0, j.chunks-j.next.Swap(j.chunks))
}

// finish counts n chunks as finished; whoever finishes the last one closes
// done.
func (j *job) finish(n int64) {
	if n > 0 && j.left.Add(-n) == 0 {
		close(j.done)
	}
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
// that takes j after its chunks are all claimed returns at once. Helpers
// never end, so their number is capped: at most maxHelpers(), however many
// workers a call of ForWorkers asks for.
func offer(j *job, n int) {
	n = min(n, maxHelpers())
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

// maxHelpers is the most helpers offer starts: one fewer than the
// processors, but at least 8 so that tests can run loops with more workers
// than a small machine has.
func maxHelpers() int { return max(runtime.GOMAXPROCS(0)-1, 8) }

// helper runs the jobs it is offered, until a chunk ends its goroutine
// (runtime.Goexit); offer then starts a new helper in its place. (The
// dying helper's chunk counts as finished before the helper counts as
// gone, so the very next loop may run with one helper fewer; the offer
// after that replaces it.)
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

// A chunkPanic is a panic recovered from a chunk, with the stack of the
// goroutine that ran the chunk.
type chunkPanic struct {
	v     any
	stack []byte
}

// value is what the loop's caller panics with: the chunk's own value when
// it was a deliberate panic (a string or an error that describes the
// problem, which callers may test for), and for a runtime error (an index
// out of range, a nil dereference: a bug) an error that carries the stack
// of the chunk, which the caller's stack trace would not show.
func (p *chunkPanic) value() any {
	if err, ok := p.v.(runtime.Error); ok {
		return &ChunkError{Err: err, Stack: p.stack}
	}
	return p.v
}

// A ChunkError is a runtime error (a bug) raised in a chunk of a parallel
// loop, raised again by the loop's caller, with the stack of the goroutine
// that ran the chunk.
type ChunkError struct {
	Err   runtime.Error
	Stack []byte
}

func (e *ChunkError) Error() string {
	return fmt.Sprintf("%v\n\nin a chunk of a parallel loop, on this stack:\n%s", e.Err, e.Stack)
}

func (e *ChunkError) Unwrap() error { return e.Err }
