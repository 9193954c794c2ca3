package layers

import (
	"fmt"
	"math"
	"testing"

	"github.com/autogan-go/autogan/internal/fixture"
	"github.com/autogan-go/autogan/tensor"
)

func bounds(t *tensor.Tensor) (lo, hi float32) {
	return tensor.Min(t, nil, false).Item(), tensor.Max(t, nil, false).Item()
}

// TestInitialisationRanges checks the bounds of PyTorch's default and of
// the reference's initialisers: the values must stay inside the bound and
// come close to it.
func TestInitialisationRanges(t *testing.T) {
	g := tensor.NewRNG(9)
	near := func(name string, x *tensor.Tensor, bound float64) {
		t.Helper()
		lo, hi := bounds(x)
		if float64(hi) > bound || float64(lo) < -bound || float64(hi) < 0.9*bound || float64(lo) > -0.9*bound {
			t.Fatalf("%s: range [%v, %v], want about ±%v", name, lo, hi, bound)
		}
	}
	c := NewConv2d(256, 256, 3, 3, Same(3), true, g)
	near("conv weight", c.Weight.Value, 1/math.Sqrt(256*9))
	near("conv bias", c.Bias.Value, 1/math.Sqrt(256*9))
	d := NewConvTranspose2d(64, 32, 2, 2, tensor.Conv2DConfig{StrideH: 2, StrideW: 2}, true, g)
	near("deconv weight (fan_in from dim 1)", d.Weight.Value, 1/math.Sqrt(32*4))
	l := NewLinear(100, 400, true, g)
	near("linear weight", l.Weight.Value, 0.1)
	near("linear bias", l.Bias.Value, 0.1)
	lstm := NewLSTMCell(100, 100, g)
	near("lstm weight", lstm.WeightHH.Value, 0.1)
	XavierUniform(c.Weight.Value, 1, g)
	near("xavier 3×3 256→256", c.Weight.Value, 0.0361)
	w1 := tensor.New(256, 256, 1, 1)
	XavierUniform(w1, 1, g)
	near("xavier 1×1 256→256", w1, 0.1083)
	e := NewEmbedding(1000, 100, g)
	m := tensor.Mean(e.Weight.Value, nil, false).Item()
	v := tensor.Mean(tensor.Square(e.Weight.Value), nil, false).Item()
	if math.Abs(float64(m)) > 0.01 || math.Abs(float64(v)-1) > 0.02 {
		t.Fatalf("embedding N(0,1): mean %v, second moment %v", m, v)
	}
	bn := tensor.New(10000)
	Normal(bn, 1, 0.02, g)
	if s := tensor.Mean(bn, nil, false).Item(); math.Abs(float64(s)-1) > 0.001 {
		t.Fatalf("normal(1, 0.02) mean %v", s)
	}
}

// TestOrthogonalMatchesPyTorch gives OrthogonalFrom the Gaussian matrices
// that torch.nn.init.orthogonal_ drew and compares the results
// (testdata/make_init_fixtures.py), for tall, wide and square weights.
func TestOrthogonalMatchesPyTorch(t *testing.T) {
	fx := fixture.Open(t, "../testdata/init_orth.safetensors")
	for i := 0; ; i++ {
		name := fmt.Sprintf("case%d/", i)
		if _, ok := fx.Get(name + "weight"); !ok {
			if i == 0 {
				t.Fatal("no cases in the fixture")
			}
			break
		}
		want := fx.Tensor(name + "weight")
		w := tensor.New(want.Shape()...)
		OrthogonalFrom(w, fx.Tensor(name+"gauss"), 1)
		for j, v := range want.Data() {
			if d := math.Abs(float64(w.Data()[j] - v)); d > 1e-6 {
				t.Fatalf("%v element %d: %v, PyTorch %v", want.Shape(), j, w.Data()[j], v)
			}
		}
	}
}

// TestOrthogonalRowsAreOrthonormal checks the drawn version: W·Wᵀ = gain²·I
// for a wide weight, WᵀW = gain²·I for a tall one.
func TestOrthogonalRowsAreOrthonormal(t *testing.T) {
	g := tensor.NewRNG(4)
	for _, shape := range [][]int{{8, 4, 3, 3}, {20, 5}} {
		w := tensor.New(shape...)
		Orthogonal(w, 2, g)
		rows, cols := shape[0], w.Len()/shape[0]
		d := w.Data()
		small, big := rows, cols
		at := func(i, k int) float64 { return float64(d[i*cols+k]) } // row i
		if rows > cols {
			small, big = cols, rows
			at = func(i, k int) float64 { return float64(d[k*cols+i]) } // column i
		}
		for i := 0; i < small; i++ {
			for j := 0; j < small; j++ {
				var s float64
				for k := 0; k < big; k++ {
					s += at(i, k) * at(j, k)
				}
				want := 0.0
				if i == j {
					want = 4
				}
				if math.Abs(s-want) > 1e-5 {
					t.Fatalf("%v: product (%d,%d) = %v, want %v", shape, i, j, s, want)
				}
			}
		}
	}
}
