// Package autodiff computes gradients by reverse-mode automatic
// differentiation, define-by-run, on a tape.
//
// # Overview
//
// A [Var] holds a tensor value and, for a parameter, after
// [Tape.Backward], the gradient of a scalar with respect to it. Parameters are leaf variables created with
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
// evaluation, and generating the fake batch of a discriminator step (the
// reference's G(z).detach()).
//
// # Memory
//
// Memory is recycled, not just collected: tensors come from a cache of
// float32 slices (package tensor's New and Empty) and go back with
// Release, which saves the clearing of fresh pages and the garbage
// collector's work on a training step's hundreds of megabytes. Users of a
// tape see one rule, and op authors three.
//
// For users: a tape owns the values and gradients of the variables its
// operations create. Backward returns each intermediate gradient to the
// cache as soon as it has been propagated, and every intermediate value
// once the pass is over, so a training step does not grow memory step after
// step. Read the values you need (a loss, logits) before calling Backward,
// or mark them with [Tape.Keep] (a value sharing storage with a kept one,
// such as the base of a kept Reshape, is kept too). Leaves are never
// released by a tape. A NoGrad tape does the same on [Tape.Free].
//
// For op authors (a method that calls record):
//
//  1. the backward closure owns the gradient g it receives: it passes it on
//     to an input with give (which installs it as the input's gradient or
//     adds it there and releases it), or releases it;
//  2. every tensor the closure creates is passed on with give or released;
//  3. tensors the forward pass computes only for the backward pass are
//     listed as saved, and the tape releases them after the closure ran.
//
// For example, y = x²:
//
//	func (tp *Tape) Square(x *Var) *Var {
//		return tp.record(tensor.Mul(x.Value, x.Value), func(g *tensor.Tensor) {
//			two := tensor.MulScalar(x.Value, 2) // created here: 2x
//			give(x, tensor.Mul(g, two))         // a new tensor, passed on (rule 2)
//			two.Release()                       // not passed on: released (rule 2)
//			g.Release()                         // g was not passed on (rule 1)
//		}, nil, x)
//	}
//
// Breaking a rule never changes a result: a tensor that is not released is
// collected by the garbage collector, only later and at a cost. Releasing a
// tensor that is still used is the one real mistake, which the tests catch
// by their results.
//
// # Numerics
//
// Operations either delegate to package tensor, or run here serially or in
// chunks whose results do not depend on the split (element-wise, per
// channel), so tensor's determinism contract holds here too: gradients are
// bit-identical for any GOMAXPROCS.
package autodiff
