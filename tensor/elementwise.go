package tensor

import (
	"fmt"
	"math"
	"slices"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/internal/vec"
)

// binOp names an element-wise binary operation.
type binOp uint8

const (
	opAdd binOp = iota
	opSub
	opMul
	opDiv
	opMax
	opMin
	opGreater
	opGreaterEqual
	opLess
	opLessEqual
	opEqual
)

var binOpNames = [...]string{"Add", "Sub", "Mul", "Div", "Maximum", "Minimum",
	"Greater", "GreaterEqual", "Less", "LessEqual", "Equal"}

func boolf(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// apply computes one element of op.
func (op binOp) apply(x, y float32) float32 {
	switch op {
	case opAdd:
		return x + y
	case opSub:
		return x - y
	case opMul:
		return x * y
	case opDiv:
		return x / y
	case opMax:
		if x != x || x > y { // NaN propagates, as in torch.maximum
			return x
		}
		return y
	case opMin:
		if x != x || x < y {
			return x
		}
		return y
	case opGreater:
		return boolf(x > y)
	case opGreaterEqual:
		return boolf(x >= y)
	case opLess:
		return boolf(x < y)
	case opLessEqual:
		return boolf(x <= y)
	default:
		return boolf(x == y)
	}
}

// run applies op to a run of n elements; xs and ys are 1 for an operand
// that advances along the run and 0 for one that is broadcast.
func (op binOp) run(dst, x, y []float32, xs, ys int) {
	n := len(dst)
	switch {
	case xs == 1 && ys == 1:
		x, y = x[:n], y[:n]
		switch op {
		case opAdd:
			vec.Add(dst, x, y)
		case opSub:
			for i := range dst {
				dst[i] = x[i] - y[i]
			}
		case opMul:
			for i := range dst {
				dst[i] = x[i] * y[i]
			}
		default:
			for i := range dst {
				dst[i] = op.apply(x[i], y[i])
			}
		}
	case xs == 1:
		x, b := x[:n], y[0]
		switch op {
		case opAdd:
			for i := range dst {
				dst[i] = x[i] + b
			}
		case opMul:
			for i := range dst {
				dst[i] = x[i] * b
			}
		default:
			for i := range dst {
				dst[i] = op.apply(x[i], b)
			}
		}
	case ys == 1:
		a, y := x[0], y[:n]
		for i := range dst {
			dst[i] = op.apply(a, y[i])
		}
	default:
		v := op.apply(x[0], y[0])
		for i := range dst {
			dst[i] = v
		}
	}
}

// elementGrain is the number of elements one parallel chunk handles in the
// element-wise kernels: big enough to amortise scheduling, small enough to
// spread a 64×256×16×16 activation over several workers.
const elementGrain = 1 << 15

// binaryOp applies op with broadcasting and returns a new tensor.
func binaryOp(op binOp, a, b *Tensor) *Tensor {
	name := binOpNames[op]
	if slices.Equal(a.shape, b.shape) {
		out := Empty(a.shape...) // every element is written
		parallel.For(len(out.data), elementGrain, func(lo, hi int) {
			op.run(out.data[lo:hi], a.data[lo:hi], b.data[lo:hi], 1, 1)
		})
		return out
	}
	shape := broadcastShape(a.shape, b.shape, name)
	out := Empty(shape...) // the row runs cover every element
	sa, sb := broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)
	inner := 1
	if len(shape) > 0 {
		inner = shape[len(shape)-1]
	}
	xs, ys := 0, 0
	if len(shape) > 0 {
		xs, ys = sa[len(shape)-1], sb[len(shape)-1]
	}
	rowRuns(shape, sa, sb, func(o, ao, bo int) {
		op.run(out.data[o:o+inner], a.data[ao:], b.data[bo:], xs, ys)
	})
	return out
}

// Add returns a + b with broadcasting.
func Add(a, b *Tensor) *Tensor { return binaryOp(opAdd, a, b) }

// Sub returns a - b with broadcasting.
func Sub(a, b *Tensor) *Tensor { return binaryOp(opSub, a, b) }

// Mul returns a · b element-wise with broadcasting.
func Mul(a, b *Tensor) *Tensor { return binaryOp(opMul, a, b) }

// Div returns a / b element-wise with broadcasting.
func Div(a, b *Tensor) *Tensor { return binaryOp(opDiv, a, b) }

// Maximum returns the element-wise maximum with broadcasting (NaN wins).
func Maximum(a, b *Tensor) *Tensor { return binaryOp(opMax, a, b) }

// Minimum returns the element-wise minimum with broadcasting (NaN wins).
func Minimum(a, b *Tensor) *Tensor { return binaryOp(opMin, a, b) }

// Greater returns 1 where a > b and 0 elsewhere, with broadcasting.
func Greater(a, b *Tensor) *Tensor { return binaryOp(opGreater, a, b) }

// GreaterEqual returns 1 where a >= b and 0 elsewhere, with broadcasting.
func GreaterEqual(a, b *Tensor) *Tensor { return binaryOp(opGreaterEqual, a, b) }

// Less returns 1 where a < b and 0 elsewhere, with broadcasting.
func Less(a, b *Tensor) *Tensor { return binaryOp(opLess, a, b) }

// LessEqual returns 1 where a <= b and 0 elsewhere, with broadcasting.
func LessEqual(a, b *Tensor) *Tensor { return binaryOp(opLessEqual, a, b) }

// Equal returns 1 where a == b and 0 elsewhere, with broadcasting.
func Equal(a, b *Tensor) *Tensor { return binaryOp(opEqual, a, b) }

// Map returns a new tensor with f applied to every element.
func Map(t *Tensor, f func(float32) float32) *Tensor {
	out := Empty(t.shape...) // every element is written
	parallel.For(len(t.data), elementGrain, func(lo, hi int) {
		for i, v := range t.data[lo:hi] {
			out.data[lo+i] = f(v)
		}
	})
	return out
}

// Neg returns -t.
func Neg(t *Tensor) *Tensor { return Map(t, func(v float32) float32 { return -v }) }

// Abs returns |t|.
func Abs(t *Tensor) *Tensor {
	return Map(t, func(v float32) float32 { return float32(math.Abs(float64(v))) })
}

// Square returns t².
func Square(t *Tensor) *Tensor { return Map(t, func(v float32) float32 { return v * v }) }

// Sqrt returns √t.
func Sqrt(t *Tensor) *Tensor {
	return Map(t, func(v float32) float32 { return float32(math.Sqrt(float64(v))) })
}

// Exp returns eᵗ, computed in float64 and rounded.
func Exp(t *Tensor) *Tensor {
	return Map(t, func(v float32) float32 { return float32(math.Exp(float64(v))) })
}

// Log returns ln t, computed in float64 and rounded.
func Log(t *Tensor) *Tensor {
	return Map(t, func(v float32) float32 { return float32(math.Log(float64(v))) })
}

// Tanh returns tanh t, computed in float64 and rounded.
func Tanh(t *Tensor) *Tensor { return Map(t, TanhScalar) }

// Sigmoid returns 1/(1+e⁻ᵗ), computed in float64 and rounded.
func Sigmoid(t *Tensor) *Tensor { return Map(t, SigmoidScalar) }

// ReLU returns max(t, 0); NaN passes through as in PyTorch.
func ReLU(t *Tensor) *Tensor {
	out := Empty(t.shape...)
	parallel.For(len(t.data), elementGrain, func(lo, hi int) {
		vec.ReLU(out.data[lo:hi], t.data[lo:hi])
	})
	return out
}

// TanhScalar is tanh of one value, in float64 and rounded.
func TanhScalar(v float32) float32 { return float32(math.Tanh(float64(v))) }

// SigmoidScalar is the logistic function of one value, in float64 and rounded.
func SigmoidScalar(v float32) float32 { return float32(1 / (1 + math.Exp(-float64(v)))) }

// AddScalar returns t + s.
func AddScalar(t *Tensor, s float32) *Tensor { return Map(t, func(v float32) float32 { return v + s }) }

// MulScalar returns t · s.
func MulScalar(t *Tensor, s float32) *Tensor { return Map(t, func(v float32) float32 { return v * s }) }

// Clamp returns t with every element limited to [lo, hi].
func Clamp(t *Tensor, lo, hi float32) *Tensor {
	if lo > hi {
		panic(fmt.Sprintf("tensor.Clamp: lo %v > hi %v", lo, hi))
	}
	return Map(t, func(v float32) float32 { return min(max(v, lo), hi) })
}

// Scale multiplies every element of t by s, in place.
func (t *Tensor) Scale(s float32) {
	parallel.For(len(t.data), elementGrain, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			t.data[i] *= s
		}
	})
}

// AddScaled adds alpha·x to t in place; x must have t's number of elements.
func (t *Tensor) AddScaled(alpha float32, x *Tensor) {
	if len(x.data) != len(t.data) {
		panic(fmt.Sprintf("tensor.AddScaled: shape %v into %v", x.shape, t.shape))
	}
	parallel.For(len(t.data), elementGrain, func(lo, hi int) {
		d, s := t.data[lo:hi], x.data[lo:hi]
		for i := range d {
			d[i] += float32(alpha * s[i])
		}
	})
}
