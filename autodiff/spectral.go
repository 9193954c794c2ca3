package autodiff

import (
	"fmt"
	"math"
	"slices"

	"github.com/autogan-go/autogan/tensor"
)

// SpectralNormalize returns w/σ with σ = uᵀ·W·v, where W is w viewed as a
// matrix of its first dimension by the rest, as
// torch.nn.utils.spectral_norm computes the weight after its power
// iteration. u and v are constants here (the power iteration runs without
// gradient), so the gradient is
//
//	dW = G/σ − (Σ G⊙W)/σ² · u·vᵀ
//
// The gradient uses the u and v of this call: they are copied when the
// operation is recorded. A GAN's discriminator step runs D twice (real,
// then fake) before one backward, and each forward's power iteration
// overwrites the spectral-norm buffers; PyTorch's spectral_norm clones u
// and v after the iteration "to support backpropagating through two
// forward passes", so each forward's gradient sees its own u, v and σ.
// Without the copy the first forward's gradient would pair its σ with the
// second forward's u·vᵀ (TestSpectralNormTwoForwardsMatchesPyTorch in
// package layers, and the whole-step parity tests of package nas).
func (tp *Tape) SpectralNormalize(w *Var, u, v *tensor.Tensor) *Var {
	rows := w.Value.Dim(0)
	cols := w.Value.Len() / rows
	if u.Len() != rows || v.Len() != cols {
		panic(fmt.Sprintf("autodiff.SpectralNormalize: weight %v with u %v and v %v", w.Value.Shape(), u.Shape(), v.Shape()))
	}
	wd, ud, vd := w.Value.Data(), u.Data(), v.Data()
	sigma := SpectralSigma(wd, ud, vd)
	y := tensor.Empty(w.Value.Shape()...)
	yd := y.Data()
	for i, x := range wd {
		yd[i] = x / sigma
	}
	if !tp.Recording() || !w.requiresGrad {
		return tp.record(y, nil, nil, w)
	}
	ud, vd = slices.Clone(ud), slices.Clone(vd) // this forward's u and v (see above)
	return tp.record(y, func(g *tensor.Tensor) {
		gd := g.Data()
		var gw float64
		for i, x := range gd {
			gw += float64(float64(x) * float64(wd[i])) // float64(…): never fused into an FMA
		}
		c := float32(gw / (float64(sigma) * float64(sigma)))
		for r := 0; r < rows; r++ {
			cu := c * ud[r]
			row := gd[r*cols : (r+1)*cols]
			for j := range row {
				row[j] = row[j]/sigma - float32(cu*vd[j])
			}
		}
		give(w, g)
	}, nil, w)
}

// SpectralSigma returns σ = uᵀ·W·v for W (len(u)×len(v), row-major) in
// float64, rounded to float32 (PyTorch: torch.dot(u, torch.mv(W, v))).
func SpectralSigma(w, u, v []float32) float32 {
	cols := len(v)
	var s float64
	for r, ur := range u {
		var wv float64
		for j, x := range w[r*cols : (r+1)*cols] {
			wv += float64(float64(x) * float64(v[j])) // float64(…): never fused into an FMA
		}
		s += float64(float64(ur) * float64(float32(wv)))
	}
	return float32(s)
}

// PowerIteration performs one step of the power method of
// torch.nn.utils.spectral_norm, in place and without gradient:
//
//	v = normalize(Wᵀu),  u = normalize(W v),  normalize(x) = x / max(‖x‖, eps)
func PowerIteration(w, u, v []float32, eps float32) {
	rows, cols := len(u), len(v)
	tv := make([]float64, cols)
	for r := 0; r < rows; r++ {
		ur := float64(u[r])
		for j, x := range w[r*cols : (r+1)*cols] {
			tv[j] += float64(float64(x) * ur) // float64(…): never fused into an FMA
		}
	}
	normalizeInto(v, tv, eps)
	tu := make([]float64, rows)
	for r := 0; r < rows; r++ {
		var s float64
		for j, x := range w[r*cols : (r+1)*cols] {
			s += float64(float64(x) * float64(v[j])) // float64(…): never fused into an FMA
		}
		tu[r] = s
	}
	normalizeInto(u, tu, eps)
}

func normalizeInto(dst []float32, src []float64, eps float32) {
	var ss float64
	for _, x := range src {
		f := float64(float32(x))
		ss += float64(f * f) // float64(…): never fused into an FMA
	}
	norm := math.Max(math.Sqrt(ss), float64(eps))
	for i, x := range src {
		dst[i] = float32(float64(float32(x)) / norm)
	}
}

// Normalize divides x by max(‖x‖₂, eps) in place, as
// torch.nn.functional.normalize(x, dim=0, eps=eps).
func Normalize(x []float32, eps float32) {
	f := make([]float64, len(x))
	for i, v := range x {
		f[i] = float64(v)
	}
	normalizeInto(x, f, eps)
}
