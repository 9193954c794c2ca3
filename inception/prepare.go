package inception

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/tensor"
)

// InputSize is the side of the network's input images.
const InputSize = 299

// Mode selects how 8-bit images become network input.
type Mode int

const (
	// TF is the preprocessing of the original TensorFlow graph, which the
	// AutoGAN paper's numbers, TTUR's FID, OpenAI's IS and torch-fidelity
	// share: uint8 values as float32, TF1's legacy bilinear resize to
	// 299×299 (no half-pixel offset), then (x − 128)/128.
	TF Mode = iota
	// PyTorchFID is pytorch-fid's preprocessing: x/255, PyTorch's bilinear
	// resize with half-pixel centres (align_corners=False), then 2x − 1.
	PyTorchFID
)

func (m Mode) String() string {
	if m == PyTorchFID {
		return "pytorch-fid"
	}
	return "tf"
}

// ParseMode accepts "tf" and "pytorch-fid".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "tf", "":
		return TF, nil
	case "pytorch-fid":
		return PyTorchFID, nil
	}
	return TF, fmt.Errorf("unknown preprocessing %q (tf or pytorch-fid)", s)
}

// Prepare converts n 8-bit RGB images (N×3×H×W, channel-major) into the
// network input N×3×299×299.
func Prepare(pix []uint8, n, h, w int, mode Mode) *tensor.Tensor {
	if len(pix) != n*3*h*w {
		panic(fmt.Sprintf("inception.Prepare: %d bytes for %d images of 3×%d×%d", len(pix), n, h, w))
	}
	if mode == PyTorchFID {
		x := tensor.Empty(n, 3, h, w)
		for i, p := range pix {
			x.Data()[i] = float32(p) / 255
		}
		y := x
		if h != InputSize || w != InputSize {
			y = tensor.UpsampleBilinear(x, InputSize, InputSize)
			x.Release()
		}
		for i, v := range y.Data() {
			y.Data()[i] = float32(2*v) - 1
		}
		return y
	}
	out := tensor.Empty(n, 3, InputSize, InputSize)
	ys := tfAxis(h, InputSize)
	xs := tfAxis(w, InputSize)
	plane := InputSize * InputSize
	parallel.For(n*3, 4, func(lo, hi int) {
		src := make([]float32, h*w)
		for p := lo; p < hi; p++ {
			for i, v := range pix[p*h*w : (p+1)*h*w] {
				src[i] = float32(v)
			}
			tfResizePlane(out.Data()[p*plane:(p+1)*plane], src, w, ys, xs)
		}
	})
	return out
}

// tfIndex is one output index of TF1's legacy bilinear resize.
type tfIndex struct {
	lo, hi int
	frac   float32
}

// tfAxis computes TF1's ResizeBilinear (align_corners=False, legacy
// scaler) along one axis, as torch-fidelity's bit-exact port does:
// src = float32(i)·scale with scale = in/out in float32, lo = ⌊src⌋,
// hi = min(lo+1, in−1), frac = src − lo. There is no half-pixel offset.
func tfAxis(in, out int) []tfIndex {
	scale := float32(float64(in) / float64(out))
	idx := make([]tfIndex, out)
	for i := range idx {
		src := float32(float32(i) * scale)
		lo := int(src)
		idx[i] = tfIndex{lo: lo, hi: min(lo+1, in-1), frac: src - float32(lo)}
	}
	return idx
}

// tfResizePlane interpolates one plane and normalises it: every step in
// float32 with explicit rounding (no fused multiply-add), then
// (x − 128)·(1/128), which equals the graph's Sub and Mul bit for bit.
func tfResizePlane(dst, src []float32, w int, ys, xs []tfIndex) {
	for oy, yi := range ys {
		r0, r1 := src[yi.lo*w:(yi.lo+1)*w], src[yi.hi*w:(yi.hi+1)*w]
		row := dst[oy*len(xs) : (oy+1)*len(xs)]
		for ox, xi := range xs {
			tl, tr := r0[xi.lo], r0[xi.hi]
			bl, br := r1[xi.lo], r1[xi.hi]
			top := tl + float32((tr-tl)*xi.frac)
			bot := bl + float32((br-bl)*xi.frac)
			v := top + float32((bot-top)*yi.frac)
			row[ox] = float32((v - 128) * 0.0078125)
		}
	}
}
