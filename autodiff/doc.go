// Package autodiff computes gradients by reverse-mode automatic
// differentiation, define-by-run, on a tape.
//
// # Overview
//
// A [Var] holds a tensor value and, after [Tape.Backward], the gradient of
// a scalar with respect to it. Parameters are leaf variables created with
// [Param]; inputs that need no gradient are made with [Const]. Operations
// are methods of a [Tape]: each computes its result immediately and, when
// some input requires a gradient, records a closure that knows how to push
// the result's gradient back to its inputs.
//
//	tp := autodiff.NewTape()
//	h := tp.ReLU(tp.Linear(x, w, b))
//	loss := tp.Mean(h, nil)
//	lossValue := loss.Value.Item()
//	tp.Backward(loss) // w.Grad and b.Grad now hold dLoss/dw and dLoss/db
//
// Backward walks the tape in reverse creation order, which is a valid
// topological order because every operation's inputs exist before it runs.
// Gradients of leaves accumulate across Backward calls until [Var.ZeroGrad],
// as in PyTorch. A leaf that took no part in a computation keeps a nil
// Grad; ZeroGrad zeroes a gradient but keeps it, which is what PyTorch 1.1's
// zero_grad did and what the optimiser relies on to reproduce the
// reference's handling of parameters that are unused in a step.
//
// A tape made by [NoGrad] records nothing: use it for sampling, rewards,
// evaluation and the discriminator's fake batch.
//
// # Memory
//
// A tape owns the values and gradients of the variables its operations
// create. Backward returns each intermediate gradient to the buffer cache as
// soon as it has been propagated, and every intermediate value once the pass
// is over, so a training step does not grow memory step after step. Read
// the values you need (a loss, logits) before calling Backward, or mark them
// with [Tape.Keep]. Leaves are never released by a tape.
//
// # Numerics
//
// Every operation delegates to package tensor, so its determinism contract
// holds here too: gradients are bit-identical for any GOMAXPROCS.
package autodiff
