package tensor

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func seq(shape ...int) *Tensor {
	t := New(shape...)
	for i := range t.data {
		t.data[i] = float32(i)
	}
	return t
}

func expectData(t *testing.T, name string, got *Tensor, shape []int, want []float32) {
	t.Helper()
	if !slices.Equal(got.shape, shape) {
		t.Fatalf("%s: shape %v, want %v", name, got.shape, shape)
	}
	for i := range want {
		if math.Abs(float64(got.data[i]-want[i])) > 1e-6 {
			t.Fatalf("%s: data %v, want %v", name, got.data, want)
		}
	}
}

func expectPanic(t *testing.T, name, contains string, f func()) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("%s: no panic", name)
		}
		if msg, _ := r.(string); !strings.Contains(msg, contains) {
			t.Fatalf("%s: panic %q does not mention %q", name, r, contains)
		}
	}()
	f()
}

func TestConstructorsAndViews(t *testing.T) {
	x := seq(2, 3, 4)
	if x.Len() != 24 || x.Rank() != 3 || x.Dim(-1) != 4 || x.At(1, 2, 3) != 23 {
		t.Fatalf("basic accessors wrong: %v", x)
	}
	r := x.Reshape(6, -1)
	if !slices.Equal(r.Shape(), []int{6, 4}) {
		t.Fatalf("reshape: %v", r.Shape())
	}
	r.Set(-1, 0, 0)
	if x.At(0, 0, 0) != -1 {
		t.Fatal("Reshape must share storage")
	}
	rows := x.Rows(1, 2)
	if rows.At(0, 0, 0) != 12 {
		t.Fatalf("Rows: %v", rows.At(0, 0, 0))
	}
	rows.Set(100, 0, 0, 0)
	if x.At(1, 0, 0) != 100 {
		t.Fatal("Rows must share storage")
	}
	c := x.Clone()
	c.Set(5, 0, 0, 0)
	if x.At(0, 0, 0) == 5 {
		t.Fatal("Clone must copy")
	}
	if Scalar(3).Item() != 3 || Full(2, 3).At(2) != 2 {
		t.Fatal("Scalar/Full")
	}
	expectPanic(t, "FromSlice", "[2 2]", func() { FromSlice([]float32{1, 2, 3}, 2, 2) })
	expectPanic(t, "Reshape", "[5 -1]", func() { x.Reshape(5, -1) })
	expectPanic(t, "At", "out of range", func() { x.At(2, 0, 0) })
	expectPanic(t, "Rows", "[1,4)", func() { x.Rows(1, 4) })
}

func TestBroadcastingArithmetic(t *testing.T) {
	a := seq(2, 3)                           // [[0 1 2] [3 4 5]]
	b := FromSlice([]float32{10, 20, 30}, 3) // row vector
	col := FromSlice([]float32{1, 2}, 2, 1)  // column vector
	expectData(t, "Add row", Add(a, b), []int{2, 3}, []float32{10, 21, 32, 13, 24, 35})
	expectData(t, "Sub col", Sub(a, col), []int{2, 3}, []float32{-1, 0, 1, 1, 2, 3})
	expectData(t, "Mul col·row", Mul(col, b), []int{2, 3}, []float32{10, 20, 30, 20, 40, 60})
	expectData(t, "Div scalar", Div(a, Scalar(2)), []int{2, 3}, []float32{0, .5, 1, 1.5, 2, 2.5})
	expectData(t, "Div scalar left", Div(Scalar(6), FromSlice([]float32{1, 2, 3}, 3)), []int{3}, []float32{6, 3, 2})
	// NCHW per-channel broadcast, the pattern of batch norm.
	x := seq(2, 2, 1, 2)
	scale := FromSlice([]float32{1, -1}, 1, 2, 1, 1)
	expectData(t, "per-channel", Mul(x, scale), []int{2, 2, 1, 2}, []float32{0, 1, -2, -3, 4, 5, -6, -7})
	expectData(t, "Maximum", Maximum(a, Scalar(2.5)), []int{2, 3}, []float32{2.5, 2.5, 2.5, 3, 4, 5})
	expectData(t, "Minimum", Minimum(a, Scalar(2.5)), []int{2, 3}, []float32{0, 1, 2, 2.5, 2.5, 2.5})
	expectPanic(t, "broadcast", "[2 3] and [2]", func() { Add(a, FromSlice([]float32{1, 2}, 2)) })
	// A large same-shape case exercises the parallel path.
	big := seq(3, elementGrain+5)
	s := Add(big, big)
	if s.data[len(s.data)-1] != 2*big.data[len(big.data)-1] {
		t.Fatal("parallel Add")
	}
}

func TestUnaryScalarCompareClamp(t *testing.T) {
	x := FromSlice([]float32{-2, -0.5, 0, 0.5, 2}, 5)
	expectData(t, "ReLU", ReLU(x), []int{5}, []float32{0, 0, 0, 0.5, 2})
	expectData(t, "Neg", Neg(x), []int{5}, []float32{2, 0.5, 0, -0.5, -2})
	expectData(t, "Abs", Abs(x), []int{5}, []float32{2, 0.5, 0, 0.5, 2})
	expectData(t, "Square", Square(x), []int{5}, []float32{4, 0.25, 0, 0.25, 4})
	expectData(t, "Tanh", Tanh(x), []int{5}, []float32{-0.9640276, -0.46211717, 0, 0.46211717, 0.9640276})
	expectData(t, "Sigmoid", Sigmoid(x), []int{5}, []float32{0.11920292, 0.37754068, 0.5, 0.62245935, 0.8807971})
	expectData(t, "Exp", Exp(x), []int{5}, []float32{0.13533528, 0.60653067, 1, 1.6487212, 7.389056})
	expectData(t, "Log", Log(FromSlice([]float32{1, math.E}, 2)), []int{2}, []float32{0, 1})
	expectData(t, "Sqrt", Sqrt(FromSlice([]float32{4, 9}, 2)), []int{2}, []float32{2, 3})
	expectData(t, "AddScalar", AddScalar(x, 1), []int{5}, []float32{-1, 0.5, 1, 1.5, 3})
	expectData(t, "MulScalar", MulScalar(x, 2), []int{5}, []float32{-4, -1, 0, 1, 4})
	expectData(t, "Clamp", Clamp(x, -1, 1), []int{5}, []float32{-1, -0.5, 0, 0.5, 1})
	expectData(t, "Greater", Greater(x, Scalar(0)), []int{5}, []float32{0, 0, 0, 1, 1})
	expectData(t, "GreaterEqual", GreaterEqual(x, Scalar(0)), []int{5}, []float32{0, 0, 1, 1, 1})
	expectData(t, "Less", Less(x, Scalar(0)), []int{5}, []float32{1, 1, 0, 0, 0})
	expectData(t, "LessEqual", LessEqual(x, Scalar(0)), []int{5}, []float32{1, 1, 1, 0, 0})
	expectData(t, "Equal", Equal(x, Scalar(0.5)), []int{5}, []float32{0, 0, 0, 1, 0})
	y := x.Clone()
	y.Scale(2)
	y.AddScaled(-1, x)
	expectData(t, "Scale/AddScaled", y, []int{5}, x.data)
	expectPanic(t, "Clamp", "lo", func() { Clamp(x, 1, 0) })
	nan := float32(math.NaN())
	if v := ReLU(FromSlice([]float32{nan}, 1)).data[0]; v == v {
		t.Fatal("ReLU must pass NaN through")
	}
}

func TestReductions(t *testing.T) {
	x := seq(2, 3, 4)
	expectData(t, "Sum all", Sum(x, nil, false), []int{}, []float32{276})
	expectData(t, "Sum axis 1", Sum(x, []int{1}, false), []int{2, 4}, []float32{12, 15, 18, 21, 48, 51, 54, 57})
	expectData(t, "Sum (0,2) keep", Sum(x, []int{0, 2}, true), []int{1, 3, 1}, []float32{60, 92, 124})
	expectData(t, "Sum -1", Sum(x, []int{-1}, false), []int{2, 3}, []float32{6, 22, 38, 54, 70, 86})
	expectData(t, "Mean (0,2)", Mean(x, []int{0, 2}, false), []int{3}, []float32{7.5, 11.5, 15.5})
	expectData(t, "Max axis 0", Max(x, []int{0}, false), []int{3, 4}, seq(3, 4).data[:0])
	m := Max(x, []int{0}, false)
	if m.At(2, 3) != 23 || Min(x, []int{0}, false).At(2, 3) != 11 {
		t.Fatal("Max/Min along axis 0")
	}
	if got := ArgMax(FromSlice([]float32{1, 5, 5, 0, -1, 2}, 2, 3), 1); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("ArgMax rows: %v", got)
	}
	if got := ArgMax(FromSlice([]float32{1, 5, 5, 0, -1, 2}, 2, 3), 0); !slices.Equal(got, []int{0, 0, 0}) {
		t.Fatalf("ArgMax cols: %v", got)
	}
	if SumAll(x) != 276 {
		t.Fatal("SumAll")
	}
	// float64 accumulation: a float32 running sum of 1e8 + many ones loses them.
	big := Full(1, 1<<20)
	big.data[0] = 1e8
	if got := Sum(big, nil, false).Item(); got != float32(1e8+(1<<20)-1) {
		t.Fatalf("Sum lost precision: %v", got)
	}
	expectPanic(t, "Sum repeated axis", "repeated", func() { Sum(x, []int{1, -2}, false) })
}

func TestPermuteSliceConcat(t *testing.T) {
	x := seq(2, 3)
	expectData(t, "Transpose", Transpose(x, 0, 1), []int{3, 2}, []float32{0, 3, 1, 4, 2, 5})
	y := seq(2, 3, 4)
	p := Permute(y, 2, 0, 1)
	if !slices.Equal(p.shape, []int{4, 2, 3}) || p.At(3, 1, 2) != y.At(1, 2, 3) || p.At(1, 0, 2) != y.At(0, 2, 1) {
		t.Fatalf("Permute: %v", p)
	}
	expectData(t, "Slice axis 1", y.Slice(1, 1, 3), []int{2, 2, 4},
		[]float32{4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23})
	expectData(t, "Concat axis 1", Concat(1, x, seq(2, 1)), []int{2, 4}, []float32{0, 1, 2, 0, 3, 4, 5, 1})
	expectData(t, "Concat axis 0", Concat(0, x, x), []int{4, 3}, append(append([]float32{}, x.data...), x.data...))
	expectPanic(t, "Concat", "[2 3] and [3 1]", func() { Concat(1, x, seq(3, 1)) })
	expectPanic(t, "Permute", "permutation", func() { Permute(y, 0, 0, 1) })
}

func TestImageConversions(t *testing.T) {
	pix := []uint8{0, 127, 128, 255}
	x := FromUint8(pix, 1, 1, 2, 2)
	expectData(t, "FromUint8", x, []int{1, 1, 2, 2}, []float32{-1, -0.003921628, 0.0039215684, 1})
	back := ToUint8(x)
	if !slices.Equal(back, pix) {
		t.Fatalf("round trip %v -> %v", pix, back)
	}
	// Truncation, not rounding: 0.999 maps to 254.87 -> 254. Clamping on both ends.
	got := ToUint8(FromSlice([]float32{0.999, -2, 2, float32(math.NaN())}, 4))
	if !slices.Equal(got, []uint8{254, 0, 255, 0}) {
		t.Fatalf("ToUint8: %v", got)
	}
}

func TestMatMul(t *testing.T) {
	a := seq(2, 3)
	b := seq(3, 2)
	expectData(t, "MatMul", MatMul(a, b, false, false), []int{2, 2}, []float32{10, 13, 28, 40})
	expectData(t, "MatMul Tᵀ", MatMul(a, a, false, true), []int{2, 2}, []float32{5, 14, 14, 50})
	expectData(t, "MatMul ᵀ", MatMul(a, a, true, false), []int{3, 3}, []float32{9, 12, 15, 12, 17, 22, 15, 22, 29})
	expectPanic(t, "MatMul", "do not multiply", func() { MatMul(a, a, false, false) })
}

func TestSharesStorage(t *testing.T) {
	a := New(4, 3)
	b := New(4, 3)
	if !SharesStorage(a, a.Reshape(12)) || !SharesStorage(a, a.Rows(3, 4)) || !SharesStorage(a.Rows(0, 2), a.Reshape(2, 6)) {
		t.Error("views of one tensor do not share storage")
	}
	if SharesStorage(a, b) || SharesStorage(a.Rows(0, 2), a.Rows(2, 4)) {
		t.Error("disjoint storage shared")
	}
}
