package autodiff

import (
	"math"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// TestNormReLUFused: BatchNorm2DReLU and InstanceNorm2DReLU give the bits
// of ReLU after BatchNorm2D and InstanceNorm2D: the outputs, the gradients
// of x, gamma and beta (through a loss that weighs every output
// differently), and the running statistics, in training and eval mode.
func TestNormReLUFused(t *testing.T) {
	g := tensor.NewRNG(31)
	x0, gamma0, beta0 := g.Normals(4, 3, 5, 5), g.Normals(3), g.Normals(3)
	weights := g.Normals(4, 3, 5, 5)
	type result struct {
		y, dx, dgamma, dbeta, mean, variance []float32
	}
	run := func(kind string, train, fused bool) result {
		tp := NewTape()
		x, gamma, beta := Param(x0.Clone()), Param(gamma0.Clone()), Param(beta0.Clone())
		st := &BatchNormState{RunningMean: tensor.FromSlice([]float32{0.1, -0.3, 0.2}, 3),
			RunningVar: tensor.FromSlice([]float32{0.9, 1.2, 0.7}, 3), Momentum: 0.1, Eps: 1e-5}
		var y *Var
		switch {
		case kind == "batch" && fused:
			y = tp.BatchNorm2DReLU(x, gamma, beta, st, train)
		case kind == "batch":
			y = tp.ReLU(tp.BatchNorm2D(x, gamma, beta, st, train))
		case fused:
			y = tp.InstanceNorm2DReLU(x, 1e-5)
		default:
			y = tp.ReLU(tp.InstanceNorm2D(x, 1e-5))
		}
		out := append([]float32(nil), y.Value.Data()...)
		tp.Backward(tp.Sum(tp.Mul(y, Const(weights)), nil))
		r := result{y: out, dx: append([]float32(nil), x.Grad.Data()...),
			mean: append([]float32(nil), st.RunningMean.Data()...), variance: append([]float32(nil), st.RunningVar.Data()...)}
		if kind == "batch" {
			r.dgamma, r.dbeta = append([]float32(nil), gamma.Grad.Data()...), append([]float32(nil), beta.Grad.Data()...)
		}
		return r
	}
	same := func(name string, got, want []float32) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
		}
		for i := range want {
			if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s: element %d = %v fused, %v apart", name, i, got[i], want[i])
			}
		}
	}
	for _, c := range []struct {
		kind  string
		train bool
	}{{"batch", true}, {"batch", false}, {"instance", true}} {
		got, want := run(c.kind, c.train, true), run(c.kind, c.train, false)
		name := c.kind
		if !c.train {
			name += " eval"
		}
		same(name+" y", got.y, want.y)
		same(name+" dx", got.dx, want.dx)
		same(name+" dgamma", got.dgamma, want.dgamma)
		same(name+" dbeta", got.dbeta, want.dbeta)
		same(name+" running mean", got.mean, want.mean)
		same(name+" running var", got.variance, want.variance)
		var zeros int
		for _, v := range got.y {
			if v == 0 {
				zeros++
			}
		}
		if zeros == 0 || zeros == len(got.y) {
			t.Fatalf("%s: %d of %d outputs clamped: the ReLU is not exercised", name, zeros, len(got.y))
		}
	}
}
