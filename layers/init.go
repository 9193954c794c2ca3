package layers

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/autogan-go/autogan/tensor"
)

// Fans returns fan_in and fan_out of a weight as PyTorch computes them:
// fan_in = size(1)·receptive field, fan_out = size(0)·receptive field.
// For ConvTranspose2d's weight (in×out×kh×kw) this makes fan_in come from
// dimension 1, the output channels, which is what PyTorch's default
// initialisation of that layer uses.
func Fans(shape []int) (fanIn, fanOut int) {
	if len(shape) < 2 {
		panic(fmt.Sprintf("layers.Fans: shape %v has fewer than 2 dimensions", shape))
	}
	rf := 1
	for _, d := range shape[2:] {
		rf *= d
	}
	return shape[1] * rf, shape[0] * rf
}

// Uniform fills t with U(−bound, bound).
func Uniform(t *tensor.Tensor, bound float64, g *tensor.RNG) {
	g.FillUniform(t, float32(-bound), float32(bound))
}

// KaimingUniform fills a weight as PyTorch's kaiming_uniform_ with
// leaky-ReLU slope a and fan_in mode: U(±√3·√(2/(1+a²))/√fan_in). With
// a = √5 — the default of Linear, Conv2d and ConvTranspose2d — the bound is
// 1/√fan_in.
func KaimingUniform(w *tensor.Tensor, a float64, g *tensor.RNG) {
	fanIn, _ := Fans(w.Shape())
	gain := math.Sqrt(2 / (1 + float64(a*a))) // float64(…): never fused into an FMA
	Uniform(w, math.Sqrt(3)*gain/math.Sqrt(float64(fanIn)), g)
}

// DefaultInit initialises a weight and its bias (which may be nil) like
// PyTorch's Linear, Conv2d and ConvTranspose2d reset_parameters:
// kaiming_uniform with a = √5 and a bias U(±1/√fan_in).
func DefaultInit(w, b *tensor.Tensor, g *tensor.RNG) {
	KaimingUniform(w, math.Sqrt(5), g)
	if b != nil {
		fanIn, _ := Fans(w.Shape())
		Uniform(b, 1/math.Sqrt(float64(fanIn)), g)
	}
}

// XavierUniform fills w with U(±gain·√(6/(fan_in+fan_out))), as
// torch.nn.init.xavier_uniform_.
func XavierUniform(w *tensor.Tensor, gain float64, g *tensor.RNG) {
	fanIn, fanOut := Fans(w.Shape())
	Uniform(w, gain*math.Sqrt(6/float64(fanIn+fanOut)), g)
}

// Normal fills t with N(mean, std²), as torch.nn.init.normal_.
func Normal(t *tensor.Tensor, mean, std float32, g *tensor.RNG) { g.FillNormal(t, mean, std) }

// Orthogonal fills w with a (semi-)orthogonal matrix scaled by gain, as
// torch.nn.init.orthogonal_ (the reference's init_type "orth"): w is viewed
// as rows = size(0) by cols = the rest, a matrix of N(0, 1) values is drawn
// and orthogonalised by [OrthogonalFrom].
func Orthogonal(w *tensor.Tensor, gain float64, g *tensor.RNG) {
	rows := w.Dim(0)
	gauss := g.Normals(rows, w.Len()/rows)
	OrthogonalFrom(w, gauss, gain)
	gauss.Release()
}

// OrthogonalFrom sets w (rows = size(0), cols = the rest) to the
// orthogonal factor of the given Gaussian matrix (rows×cols), as
// orthogonal_ computes it:
//
//	if rows < cols: A = gaussᵀ (so that A is tall)
//	A = Q·R (reduced QR)
//	Q = Q·diag(sign(diag(R)))    the sign fix makes the result unique and
//	                             uniformly (Haar) distributed
//	w = gain · (Q or Qᵀ if transposed)
//
// The rows (or columns) of the result are orthonormal. The QR runs in
// float64 with gonum's Householder factorisation; any QR gives the same Q
// after the sign fix, so only rounding separates it from PyTorch's.
func OrthogonalFrom(w, gauss *tensor.Tensor, gain float64) {
	rows := w.Dim(0)
	cols := w.Len() / rows
	if gauss.Len() != rows*cols {
		panic(fmt.Sprintf("layers.OrthogonalFrom: Gaussian %v for a weight %v", gauss.Shape(), w.Shape()))
	}
	m, n, transposed := rows, cols, rows < cols
	if transposed {
		m, n = cols, rows
	}
	a := mat.NewDense(m, n, nil)
	gd := gauss.Data()
	for r := 0; r < rows; r++ {
		for c := 0; c < cols; c++ {
			if transposed {
				a.Set(c, r, float64(gd[r*cols+c]))
			} else {
				a.Set(r, c, float64(gd[r*cols+c]))
			}
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q, rr mat.Dense
	qr.QTo(&q)
	qr.RTo(&rr)
	wd := w.Data()
	for j := 0; j < n; j++ {
		sign := 0.0 // torch.sign(0) is 0
		switch d := rr.At(j, j); {
		case d > 0:
			sign = 1
		case d < 0:
			sign = -1
		}
		for i := 0; i < m; i++ {
			v := float32(gain * sign * q.At(i, j))
			if transposed {
				wd[j*cols+i] = v
			} else {
				wd[i*cols+j] = v
			}
		}
	}
}
