package inception

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/tensor"
)

// unitSpec is one row of the unit table.
type unitSpec struct {
	name               string
	in, out, kh, kw    int
	stride, padH, padW int
	tf                 string
}

// NumClasses is the size of the logits: the 2015 graph's softmax has 1008
// outputs (1000 ImageNet classes plus 8 unused ones, kept for
// compatibility with an older Google system). IS uses all 1008.
const NumClasses = 1008

// FeatureDim is the size of the pool3 features FID uses.
const FeatureDim = 2048

// Unit holds the raw parameters of one conv + batch-norm unit as they are
// stored in the weight files: the convolution weight O×I×KH×KW (no bias)
// and the batch normalisation's γ, β, running mean and running variance.
type Unit struct {
	Weight                 []float32
	Gamma, Beta, Mean, Var []float32
}

// Weights are the raw parameters of the whole network.
type Weights struct {
	Units    [len(units)]Unit
	FCWeight []float32 // 1008×2048
	FCBias   []float32 // 1008
	// Eps is the batch normalisation epsilon, 0.001 in every port.
	Eps float64
}

// Net is the FID variant of Inception-v3 ready to run: every batch norm is
// folded into its convolution (w' = w·γ/√(var+ε), b' = β − mean·γ/√(var+ε))
// and every convolution weight is packed once for the matrix kernel.
type Net struct {
	conv   [len(units)]*tensor.ConvWeight
	bias   [len(units)]*tensor.Tensor
	cfg    [len(units)]tensor.Conv2DConfig
	fcW    *tensor.Tensor // 1008×2048
	fcB    *tensor.Tensor
	byName map[string]int
}

// New validates the sizes of w and builds the network.
func New(w *Weights) (*Net, error) {
	n := &Net{byName: make(map[string]int, len(units))}
	for i, u := range units {
		r := w.Units[i]
		nw := u.out * u.in * u.kh * u.kw
		if len(r.Weight) != nw {
			return nil, fmt.Errorf("%s.conv.weight has %d values, want %d (%d×%d×%d×%d)", u.name, len(r.Weight), nw, u.out, u.in, u.kh, u.kw)
		}
		for _, p := range []struct {
			name string
			v    []float32
		}{{"weight", r.Gamma}, {"bias", r.Beta}, {"running_mean", r.Mean}, {"running_var", r.Var}} {
			if len(p.v) != u.out {
				return nil, fmt.Errorf("%s.bn.%s has %d values, want %d", u.name, p.name, len(p.v), u.out)
			}
		}
		folded := tensor.New(u.out, u.in, u.kh, u.kw)
		bias := tensor.New(u.out)
		per := u.in * u.kh * u.kw
		for o := 0; o < u.out; o++ {
			s := float64(r.Gamma[o]) / math.Sqrt(float64(r.Var[o])+w.Eps)
			for j := 0; j < per; j++ {
				folded.Data()[o*per+j] = float32(float64(r.Weight[o*per+j]) * s)
			}
			bias.Data()[o] = float32(float64(r.Beta[o]) - float64(float64(r.Mean[o])*s)) // float64(…): never fused into an FMA
		}
		n.conv[i] = tensor.PackConvWeight(folded)
		n.bias[i] = bias
		n.cfg[i] = tensor.Conv2DConfig{StrideH: u.stride, StrideW: u.stride, PadH: u.padH, PadW: u.padW}
		n.byName[u.name] = i
	}
	if len(w.FCWeight) != NumClasses*FeatureDim || len(w.FCBias) != NumClasses {
		return nil, fmt.Errorf("fc has %d weights and %d biases, want %d and %d", len(w.FCWeight), len(w.FCBias), NumClasses*FeatureDim, NumClasses)
	}
	n.fcW = tensor.FromSlice(append([]float32(nil), w.FCWeight...), NumClasses, FeatureDim)
	n.fcB = tensor.FromSlice(append([]float32(nil), w.FCBias...), NumClasses)
	return n, nil
}

// Outputs are the network's outputs for a batch; fields not requested are
// nil.
type Outputs struct {
	Pool3          *tensor.Tensor // N×2048, the FID features
	LogitsUnbiased *tensor.Tensor // N×1008, pool3·Wᵀ without the fc bias (what IS uses)
	Logits         *tensor.Tensor // N×1008, with the bias
	Block64        *tensor.Tensor // N×64, spatial average of the first block
	Block192       *tensor.Tensor // N×192
	Block768       *tensor.Tensor // N×768
}

// Want selects optional outputs of Forward (pool3 is always computed).
type Want struct {
	Logits, Blocks bool
}

// Forward runs the network on a normalised batch x (N×3×299×299, the
// output of Prepare). Intermediate activations are released as soon as
// they are consumed, so memory stays bounded by a few layers of the batch.
func (n *Net) Forward(x *tensor.Tensor, want Want) Outputs {
	var out Outputs
	u := func(name string, in *tensor.Tensor) *tensor.Tensor {
		i := n.byName[name]
		return tensor.Conv2DInto(in, n.conv[i], n.bias[i], n.cfg[i], true, nil, 0)
	}
	chain := func(in *tensor.Tensor, names ...string) *tensor.Tensor {
		h := in
		for _, name := range names {
			next := u(name, h)
			if h != in {
				h.Release()
			}
			h = next
		}
		return h
	}
	h := chain(x, "Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3")
	h = n.swap(h, maxPool(h, 3, 2, 0))
	if want.Blocks {
		out.Block64 = spatialMean(h)
	}
	h = n.swap(h, chain(h, "Conv2d_3b_1x1", "Conv2d_4a_3x3"))
	h = n.swap(h, maxPool(h, 3, 2, 0))
	if want.Blocks {
		out.Block192 = spatialMean(h)
	}
	for _, b := range []struct {
		name string
		pool int
	}{{"Mixed_5b", 32}, {"Mixed_5c", 64}, {"Mixed_5d", 64}} {
		h = n.swap(h, n.blockA(h, b.name, b.pool))
	}
	h = n.swap(h, n.blockB(h))
	for _, b := range []string{"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"} {
		h = n.swap(h, n.blockC(h, b))
	}
	if want.Blocks {
		out.Block768 = spatialMean(h)
	}
	h = n.swap(h, n.blockD(h))
	h = n.swap(h, n.blockE(h, "Mixed_7b", false))
	h = n.swap(h, n.blockE(h, "Mixed_7c", true))
	out.Pool3 = spatialMean(h)
	h.Release()
	if want.Logits {
		out.LogitsUnbiased = tensor.MatMul(out.Pool3, n.fcW, false, true)
		out.Logits = tensor.Add(out.LogitsUnbiased, n.fcB)
	}
	return out
}

// swap releases old and returns next.
func (n *Net) swap(old, next *tensor.Tensor) *tensor.Tensor {
	old.Release()
	return next
}

// into runs unit name on in and writes its output channels into out at off.
func (n *Net) into(name string, in, out *tensor.Tensor, off int) int {
	i := n.byName[name]
	tensor.Conv2DInto(in, n.conv[i], n.bias[i], n.cfg[i], true, out, off)
	return off + units[i].out
}

// stage runs units one after another, the last one writing into out at off.
func (n *Net) stage(in, out *tensor.Tensor, off int, names ...string) int {
	h := in
	for k, name := range names {
		if k == len(names)-1 {
			off = n.into(name, h, out, off)
			break
		}
		i := n.byName[name]
		next := tensor.Conv2DInto(h, n.conv[i], n.bias[i], n.cfg[i], true, nil, 0)
		if h != in {
			h.Release()
		}
		h = next
	}
	if h != in {
		h.Release()
	}
	return off
}

func (n *Net) outShape(x *tensor.Tensor, channels int) *tensor.Tensor {
	return tensor.Empty(x.Dim(0), channels, x.Dim(2), x.Dim(3))
}

// blockA is InceptionA with the FID pool branch (average pool that does not
// count the padding, as TensorFlow's SAME pooling).
func (n *Net) blockA(x *tensor.Tensor, p string, poolFeatures int) *tensor.Tensor {
	out := n.outShape(x, 64+64+96+poolFeatures)
	off := n.stage(x, out, 0, p+".branch1x1")
	off = n.stage(x, out, off, p+".branch5x5_1", p+".branch5x5_2")
	off = n.stage(x, out, off, p+".branch3x3dbl_1", p+".branch3x3dbl_2", p+".branch3x3dbl_3")
	pooled := avgPool3(x)
	n.stage(pooled, out, off, p+".branch_pool")
	pooled.Release()
	return out
}

// blockB is Mixed_6a (torchvision's InceptionB): stride-2 reduction.
func (n *Net) blockB(x *tensor.Tensor) *tensor.Tensor {
	p := "Mixed_6a"
	oh := (x.Dim(2)-3)/2 + 1
	out := tensor.Empty(x.Dim(0), 384+96+x.Dim(1), oh, oh)
	off := n.stage(x, out, 0, p+".branch3x3")
	off = n.stage(x, out, off, p+".branch3x3dbl_1", p+".branch3x3dbl_2", p+".branch3x3dbl_3")
	copyChannels(out, off, maxPool(x, 3, 2, 0))
	return out
}

// blockC is InceptionC with the FID pool branch.
func (n *Net) blockC(x *tensor.Tensor, p string) *tensor.Tensor {
	out := n.outShape(x, 4*192)
	off := n.stage(x, out, 0, p+".branch1x1")
	off = n.stage(x, out, off, p+".branch7x7_1", p+".branch7x7_2", p+".branch7x7_3")
	off = n.stage(x, out, off, p+".branch7x7dbl_1", p+".branch7x7dbl_2", p+".branch7x7dbl_3", p+".branch7x7dbl_4", p+".branch7x7dbl_5")
	pooled := avgPool3(x)
	n.stage(pooled, out, off, p+".branch_pool")
	pooled.Release()
	return out
}

// blockD is Mixed_7a (torchvision's InceptionD): stride-2 reduction.
func (n *Net) blockD(x *tensor.Tensor) *tensor.Tensor {
	p := "Mixed_7a"
	oh := (x.Dim(2)-3)/2 + 1
	out := tensor.Empty(x.Dim(0), 320+192+x.Dim(1), oh, oh)
	off := n.stage(x, out, 0, p+".branch3x3_1", p+".branch3x3_2")
	off = n.stage(x, out, off, p+".branch7x7x3_1", p+".branch7x7x3_2", p+".branch7x7x3_3", p+".branch7x7x3_4")
	copyChannels(out, off, maxPool(x, 3, 2, 0))
	return out
}

// blockE is InceptionE; in Mixed_7c (last) the pool branch is a max pool,
// a quirk of the 2015 graph (mixed_10/tower_2/pool) that the FID ports
// keep.
func (n *Net) blockE(x *tensor.Tensor, p string, last bool) *tensor.Tensor {
	out := n.outShape(x, 320+768+768+192)
	off := n.stage(x, out, 0, p+".branch1x1")
	h := n.chainOne(x, p+".branch3x3_1")
	off = n.stage(h, out, off, p+".branch3x3_2a")
	off = n.stage(h, out, off, p+".branch3x3_2b")
	h.Release()
	h = n.chainOne(x, p+".branch3x3dbl_1")
	h2 := n.chainOne(h, p+".branch3x3dbl_2")
	h.Release()
	off = n.stage(h2, out, off, p+".branch3x3dbl_3a")
	off = n.stage(h2, out, off, p+".branch3x3dbl_3b")
	h2.Release()
	var pooled *tensor.Tensor
	if last {
		pooled = maxPool(x, 3, 1, 1)
	} else {
		pooled = avgPool3(x)
	}
	n.stage(pooled, out, off, p+".branch_pool")
	pooled.Release()
	return out
}

func (n *Net) chainOne(x *tensor.Tensor, name string) *tensor.Tensor {
	i := n.byName[name]
	return tensor.Conv2DInto(x, n.conv[i], n.bias[i], n.cfg[i], true, nil, 0)
}

// avgPool3 is the tower average pool: 3×3, stride 1, padding 1, dividing
// by the number of real (not padded) cells.
func avgPool3(x *tensor.Tensor) *tensor.Tensor {
	return tensor.AvgPool2D(x, tensor.Pool2DConfig{KH: 3, KW: 3, StrideH: 1, StrideW: 1, PadH: 1, PadW: 1}, false)
}

func maxPool(x *tensor.Tensor, k, s, p int) *tensor.Tensor {
	return tensor.MaxPool2DValues(x, tensor.Pool2DConfig{KH: k, KW: k, StrideH: s, StrideW: s, PadH: p, PadW: p})
}

// copyChannels copies src (N×C×H×W) into channels [off, off+C) of out and
// releases src.
func copyChannels(out *tensor.Tensor, off int, src *tensor.Tensor) {
	n, c, plane := src.Dim(0), src.Dim(1), src.Dim(2)*src.Dim(3)
	total := out.Dim(1)
	for i := 0; i < n; i++ {
		copy(out.Data()[(i*total+off)*plane:(i*total+off+c)*plane], src.Data()[i*c*plane:(i+1)*c*plane])
	}
	src.Release()
}

// spatialMean averages N×C×H×W over H and W into N×C (adaptive average
// pooling to 1×1, pool_3 in the graph), in float64.
func spatialMean(x *tensor.Tensor) *tensor.Tensor {
	n, c, plane := x.Dim(0), x.Dim(1), x.Dim(2)*x.Dim(3)
	out := tensor.Empty(n, c)
	for i := 0; i < n*c; i++ {
		var s float64
		for _, v := range x.Data()[i*plane : (i+1)*plane] {
			s += float64(v)
		}
		out.Data()[i] = float32(s / float64(plane))
	}
	return out
}
