package layers

import (
	"fmt"
	"math"
	"testing"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/fixture"
	"github.com/autogan-go/autogan/tensor"
)

// fixture gives access to testdata/layers.safetensors, written by
// testdata/make_layer_fixtures.py with PyTorch.
type pytorchFixture struct {
	t *testing.T
	*fixture.File
}

func loadFixture(t *testing.T) pytorchFixture {
	return pytorchFixture{t, fixture.Open(t, "../testdata/layers.safetensors")}
}

// match requires got to equal want within rel relative (and rel absolute
// near zero).
func match(t *testing.T, name string, got, want *tensor.Tensor, rel float64) {
	t.Helper()
	if !got.SameShape(want) {
		t.Fatalf("%s: shape %v, PyTorch %v", name, got.Shape(), want.Shape())
	}
	g, w := got.Data(), want.Data()
	worst := 0.0
	for i := range w {
		d := math.Abs(float64(g[i]) - float64(w[i]))
		if d > rel*math.Max(1, math.Abs(float64(w[i]))) || math.IsNaN(float64(g[i])) {
			t.Fatalf("%s[%d] = %v, PyTorch %v (|diff| %.2g)", name, i, g[i], w[i], d)
		}
		worst = math.Max(worst, d/math.Max(1, math.Abs(float64(w[i]))))
	}
	t.Logf("%s: worst difference %.2g (relative to max(1, |PyTorch|); tolerance %g)", name, worst, rel)
}

// run forwards the fixture's x through f with grad, backprops sum(y·r) and
// checks y, dx and the named parameter gradients.
func (fx pytorchFixture) run(case_ string, params map[string]*autodiff.Var, f func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var) {
	t := fx.t
	t.Helper()
	for name, p := range params {
		p.Value.CopyFrom(fx.Tensor(case_ + "/" + name))
		p.Grad = nil
	}
	x := autodiff.Param(fx.Tensor(case_ + "/x"))
	tp := autodiff.NewTape()
	y := f(tp, x)
	match(t, case_+" y", y.Value, fx.Tensor(case_+"/y"), 1e-5)
	loss := tp.Sum(tp.Mul(y, autodiff.Const(fx.Tensor(case_+"/r"))), nil)
	tp.Backward(loss)
	match(t, case_+" dx", x.Grad, fx.Tensor(case_+"/dx"), 1e-4)
	for name, p := range params {
		match(t, case_+" d"+name, p.Grad, fx.Tensor(case_+"/d"+name), 1e-4)
	}
}

func TestLinearConvMatchPyTorch(t *testing.T) {
	t.Logf("convolutions: %s", tensor.Policy().ConvMode)
	fx := loadFixture(t)
	g := tensor.NewRNG(1)
	lin := NewLinear(5, 4, true, g)
	fx.run("linear", map[string]*autodiff.Var{"weight": lin.Weight, "bias": lin.Bias}, lin.Forward)
	for _, c := range []struct {
		name            string
		in, out, kh, kw int
		cfg             tensor.Conv2DConfig
		bias            bool
	}{
		{"conv3x3", 3, 4, 3, 3, Same(3), true},
		{"conv3x3s2", 3, 5, 3, 3, tensor.Conv2DConfig{StrideH: 2, StrideW: 2, PadH: 1, PadW: 1}, true},
		{"conv1x7", 4, 3, 1, 7, tensor.Conv2DConfig{PadW: 3}, true},
		{"conv7x1", 4, 3, 7, 1, tensor.Conv2DConfig{PadH: 3}, true},
		{"conv5x5", 2, 3, 5, 5, Same(5), false},
		{"conv1x1", 6, 4, 1, 1, tensor.Conv2DConfig{}, true},
	} {
		conv := NewConv2d(c.in, c.out, c.kh, c.kw, c.cfg, c.bias, g)
		ps := map[string]*autodiff.Var{"weight": conv.Weight}
		if c.bias {
			ps["bias"] = conv.Bias
		}
		fx.run(c.name, ps, conv.Forward)
	}
	de := NewConvTranspose2d(3, 4, 2, 2, tensor.Conv2DConfig{StrideH: 2, StrideW: 2}, true, g)
	fx.run("deconv2x2", map[string]*autodiff.Var{"weight": de.Weight, "bias": de.Bias}, de.Forward)
}

// TestConvolutionsMatchPyTorchWithWinograd runs the convolution and
// spectral-norm parity tests again with every eligible convolution forced
// to Winograd (AUTOGAN_CONV=winograd): the layers of these fixtures are too
// small for the automatic choice to pick it.
func TestConvolutionsMatchPyTorchWithWinograd(t *testing.T) {
	for _, name := range []string{"TestLinearConvMatchPyTorch", "TestSpectralNormMatchesPyTorch"} {
		fixture.RerunWith(t, name, "convolutions: winograd", "AUTOGAN_CONV=winograd")
	}
}

func TestNormalizationMatchesPyTorch(t *testing.T) {
	fx := loadFixture(t)
	bn := NewBatchNorm2d(3)
	fx.run("batchnorm", map[string]*autodiff.Var{"weight": bn.Weight, "bias": bn.Bias}, bn.Forward)
	match(t, "running_mean", bn.Stats.RunningMean, fx.Tensor("batchnorm/running_mean"), 1e-5)
	match(t, "running_var", bn.Stats.RunningVar, fx.Tensor("batchnorm/running_var"), 1e-5)
	if bn.Stats.NumBatchesTracked != 1 {
		t.Fatalf("num_batches_tracked = %d", bn.Stats.NumBatchesTracked)
	}
	bn.SetTraining(false)
	y := bn.Forward(autodiff.NoGrad(), autodiff.Const(fx.Tensor("batchnorm/x_eval")))
	match(t, "batchnorm eval", y.Value, fx.Tensor("batchnorm/y_eval"), 1e-5)

	in := NewInstanceNorm2d()
	fx.run("instancenorm", nil, in.Forward)
}

func TestSpectralNormMatchesPyTorch(t *testing.T) {
	t.Logf("convolutions: %s", tensor.Policy().ConvMode)
	fx := loadFixture(t)
	g := tensor.NewRNG(2)
	conv := NewSNConv2d(3, 4, 3, 3, Same(3), true, g)
	conv.SN.U.CopyFrom(fx.Tensor("snconv/u0"))
	conv.SN.V.CopyFrom(fx.Tensor("snconv/v0"))
	fx.run("snconv", map[string]*autodiff.Var{"weight_orig": conv.Conv.Weight, "bias": conv.Conv.Bias}, conv.Forward)
	match(t, "snconv u after one iteration", conv.SN.U, fx.Tensor("snconv/u1"), 1e-5)
	match(t, "snconv v after one iteration", conv.SN.V, fx.Tensor("snconv/v1"), 1e-5)
	conv.SetTraining(false)
	uTrained := conv.SN.U.Clone()
	y := conv.Forward(autodiff.NoGrad(), autodiff.Const(fx.Tensor("snconv/x_eval")))
	match(t, "snconv eval", y.Value, fx.Tensor("snconv/y_eval"), 1e-5)
	match(t, "snconv u unchanged in eval", conv.SN.U, uTrained, 0)

	lin := NewSNLinear(6, 1, false, g)
	lin.SN.U.CopyFrom(fx.Tensor("snlinear/u0"))
	lin.SN.V.CopyFrom(fx.Tensor("snlinear/v0"))
	fx.run("snlinear", map[string]*autodiff.Var{"weight_orig": lin.Lin.Weight}, lin.Forward)
	match(t, "snlinear v", lin.SN.V, fx.Tensor("snlinear/v1"), 1e-5)
	lin.SetTraining(false)
	y = lin.Forward(autodiff.NoGrad(), autodiff.Const(fx.Tensor("snlinear/x_eval")))
	match(t, "snlinear eval", y.Value, fx.Tensor("snlinear/y_eval"), 1e-5)
}

func TestResamplingAndPoolingMatchPyTorch(t *testing.T) {
	fx := loadFixture(t)
	size := func(x *autodiff.Var, f int) (int, int) { return x.Value.Dim(2) * f, x.Value.Dim(3) * f }
	cases := map[string]func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var{
		"nearest2": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
			h, w := size(x, 2)
			return tp.UpsampleNearest(x, h, w)
		},
		"nearest_size": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var { return tp.UpsampleNearest(x, 16, 16) },
		"bilinear2": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
			h, w := size(x, 2)
			return tp.UpsampleBilinear(x, h, w)
		},
		"bilinear_size": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var { return tp.UpsampleBilinear(x, 16, 16) },
		"bilinear_odd":  func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var { return tp.UpsampleBilinear(x, 9, 13) },
		"avgpool2": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
			return tp.AvgPool2D(x, tensor.Pool2DConfig{KH: 2, KW: 2, StrideH: 2, StrideW: 2}, true)
		},
		"avgpool3_nopad": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
			return tp.AvgPool2D(x, tensor.Pool2DConfig{KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1}, false)
		},
		"maxpool3s2": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
			return tp.MaxPool2D(x, tensor.Pool2DConfig{KH: 3, KW: 3, StrideH: 2, StrideW: 2})
		},
		"maxpool3s1": func(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
			return tp.MaxPool2D(x, tensor.Pool2DConfig{KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1})
		},
		"globalsum": (*autodiff.Tape).GlobalSumPool,
		"globalavg": (*autodiff.Tape).GlobalAvgPool,
	}
	for _, name := range []string{"nearest2", "nearest_size", "bilinear2", "bilinear_size", "bilinear_odd",
		"avgpool2", "avgpool3_nopad", "maxpool3s2", "maxpool3s1", "globalsum", "globalavg"} {
		t.Run(name, func(t *testing.T) { pytorchFixture{t, fx.For(t)}.run(name, nil, cases[name]) })
	}
}

func TestEmbeddingLSTMHingeMatchPyTorch(t *testing.T) {
	fx := loadFixture(t)
	g := tensor.NewRNG(3)

	emb := NewEmbedding(7, 4, g)
	emb.Weight.Value.CopyFrom(fx.Tensor("embedding/weight"))
	tp := autodiff.NewTape()
	y := emb.Forward(tp, fx.Ints("embedding/idx"))
	match(t, "embedding y", y.Value, fx.Tensor("embedding/y"), 0)
	tp.Backward(tp.Sum(tp.Mul(y, autodiff.Const(fx.Tensor("embedding/r"))), nil))
	match(t, "embedding dweight", emb.Weight.Grad, fx.Tensor("embedding/dweight"), 1e-6)

	cell := NewLSTMCell(6, 5, g)
	for _, e := range cell.State("") {
		e.Param.Value.CopyFrom(fx.Tensor("lstm/" + e.Name))
	}
	xs := autodiff.Param(fx.Tensor("lstm/xs"))
	h0, c0 := autodiff.Param(fx.Tensor("lstm/h0")), autodiff.Param(fx.Tensor("lstm/c0"))
	tp = autodiff.NewTape()
	h, c := h0, c0
	for step := 0; step < 4; step++ {
		x := tp.Reshape(tp.Slice(xs, 0, step, step+1), 3, 6)
		h, c = cell.Forward(tp, x, h, c)
	}
	match(t, "lstm h", h.Value, fx.Tensor("lstm/h"), 1e-5)
	match(t, "lstm c", c.Value, fx.Tensor("lstm/c"), 1e-5)
	loss := tp.Add(tp.Sum(tp.Mul(h, autodiff.Const(fx.Tensor("lstm/r1"))), nil),
		tp.Sum(tp.Mul(c, autodiff.Const(fx.Tensor("lstm/r2"))), nil))
	tp.Backward(loss)
	match(t, "lstm dxs", xs.Grad, fx.Tensor("lstm/dxs"), 1e-4)
	match(t, "lstm dh0", h0.Grad, fx.Tensor("lstm/dh0"), 1e-4)
	match(t, "lstm dc0", c0.Grad, fx.Tensor("lstm/dc0"), 1e-4)
	for _, e := range cell.State("") {
		match(t, "lstm d"+e.Name, e.Param.Grad, fx.Tensor("lstm/d"+e.Name), 1e-4)
	}

	real, fake := autodiff.Param(fx.Tensor("hinge/d_real")), autodiff.Param(fx.Tensor("hinge/d_fake"))
	tp = autodiff.NewTape()
	dl := HingeLossD(tp, real, fake)
	match(t, "hinge d loss", dl.Value.Reshape(1), fx.Tensor("hinge/d_loss"), 1e-6)
	tp.Backward(dl)
	match(t, "hinge dreal", real.Grad, fx.Tensor("hinge/dreal"), 1e-6)
	match(t, "hinge dfake", fake.Grad, fx.Tensor("hinge/dfake"), 1e-6)
	gf := autodiff.Param(fx.Tensor("hinge/g_fake"))
	tp = autodiff.NewTape()
	gl := HingeLossG(tp, gf)
	match(t, "hinge g loss", gl.Value.Reshape(1), fx.Tensor("hinge/g_loss"), 1e-6)
	tp.Backward(gl)
	match(t, "hinge dgfake", gf.Grad, fx.Tensor("hinge/dgfake"), 1e-6)
}

func TestStateNamesFollowPyTorch(t *testing.T) {
	g := tensor.NewRNG(4)
	seq := &Sequential{Steps: []Step{NewBatchNorm2d(8), ReLU, NewConv2d(8, 3, 3, 3, Same(3), true, g), Tanh}}
	var names []string
	for _, e := range seq.State("to_rgb.") {
		names = append(names, e.Name)
	}
	want := "[to_rgb.0.weight to_rgb.0.bias to_rgb.0.running_mean to_rgb.0.running_var to_rgb.0.num_batches_tracked to_rgb.2.weight to_rgb.2.bias]"
	if fmt.Sprint(names) != want {
		t.Fatalf("names %v\nwant %s", names, want)
	}
	sn := NewSNConv2d(3, 4, 3, 3, Same(3), true, g)
	names = names[:0]
	for _, e := range sn.State("block1.c1.") {
		names = append(names, e.Name)
	}
	if fmt.Sprint(names) != "[block1.c1.bias block1.c1.weight_orig block1.c1.weight_u block1.c1.weight_v]" {
		t.Fatalf("spectral norm names %v", names)
	}
}

// TestSpectralNormTwoForwardsMatchesPyTorch is the case every
// discriminator step is made of: two training-mode forwards (D(real), then
// D(fake)), each running one power iteration, then one backward. PyTorch's
// spectral_norm clones u and v after the power iteration "to support
// backpropagating through two forward passes", so the gradient of each
// forward uses that forward's own u, v and σ. Starting from fresh
// (unconverged) u and v makes the two iterations differ as much as they
// ever do: at initialisation, when a block of the growing discriminator is
// first used, and after a dynamic reset.
func TestSpectralNormTwoForwardsMatchesPyTorch(t *testing.T) {
	fx := fixture.Open(t, "../testdata/step_sn.safetensors")
	lin := NewSNLinear(6, 4, true, tensor.NewRNG(3))
	lin.Lin.Weight.Value.CopyFrom(fx.Tensor("weight_orig"))
	lin.Lin.Bias.Value.CopyFrom(fx.Tensor("bias"))
	lin.SN.U.CopyFrom(fx.Tensor("u0"))
	lin.SN.V.CopyFrom(fx.Tensor("v0"))
	tp := autodiff.NewTape()
	y1 := lin.Forward(tp, autodiff.Const(fx.Tensor("x1")))
	y2 := lin.Forward(tp, autodiff.Const(fx.Tensor("x2")))
	match(t, "first forward", y1.Value, fx.Tensor("y1"), 1e-5)
	match(t, "second forward", y2.Value, fx.Tensor("y2"), 1e-5)
	loss := tp.Add(tp.Sum(tp.Mul(y1, autodiff.Const(fx.Tensor("r1"))), nil), tp.Sum(tp.Mul(y2, autodiff.Const(fx.Tensor("r2"))), nil))
	tp.Backward(loss)
	match(t, "weight_orig gradient", lin.Lin.Weight.Grad, fx.Tensor("dweight"), 1e-5)
	match(t, "bias gradient", lin.Lin.Bias.Grad, fx.Tensor("dbias"), 1e-5)
	match(t, "u after two iterations", lin.SN.U, fx.Tensor("u"), 1e-5)
	match(t, "v after two iterations", lin.SN.V, fx.Tensor("v"), 1e-5)
}
