package metrics

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// FrechetDistance returns the Fréchet distance between the Gaussians
// N(mu1, sigma1) and N(mu2, sigma2) (sigmas d×d row-major):
//
//	‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr √(Σ1 Σ2)
//
// The reference (pytorch-fid, TTUR) takes scipy's sqrtm of Σ1Σ2 and keeps
// its real part. Only the trace matters: tr √(Σ1Σ2) is the sum of the
// square roots of the eigenvalues of Σ1Σ2, which are also those of the
// symmetric matrices Lᵀ·Σ2·L (Σ1 = L·Lᵀ, when Σ1 is positive definite) and
// S·Σ2·S (S = √Σ1, from Σ1's eigendecomposition, always). Negative
// eigenvalues — rounding noise of a rank-deficient covariance — count as
// zero, which equals discarding the imaginary parts as the reference does;
// so a singular product still gives a finite trace here. The reference
// retries with ε = 1e-6 added to both diagonals when sqrtm's result is not
// finite; here the retry runs only if an eigendecomposition does not
// converge. Statistics that cannot be a mean and a covariance (NaN or
// infinite values, a negative variance, an asymmetric sigma) are an error.
func FrechetDistance(mu1, sigma1, mu2, sigma2 []float64) (float64, error) {
	d := len(mu1)
	if len(mu2) != d || len(sigma1) != d*d || len(sigma2) != d*d {
		return 0, fmt.Errorf("statistics of different sizes: mu %d and %d, sigma %d and %d", d, len(mu2), len(sigma1), len(sigma2))
	}
	for k, st := range [][2][]float64{{mu1, sigma1}, {mu2, sigma2}} {
		if err := checkStats(st[0], st[1]); err != nil {
			return 0, fmt.Errorf("FID statistics %d: %w", k+1, err)
		}
	}
	var diff, tr1, tr2 float64
	for i := 0; i < d; i++ {
		diff += float64((mu1[i] - mu2[i]) * (mu1[i] - mu2[i])) // float64(…): never fused into an FMA
		tr1 += sigma1[i*d+i]
		tr2 += sigma2[i*d+i]
	}
	tc, err := traceSqrtProduct(sigma1, sigma2, d, 0)
	if err != nil {
		tc, err = traceSqrtProduct(sigma1, sigma2, d, 1e-6)
	}
	if err != nil {
		return 0, err
	}
	return diff + tr1 + tr2 - 2*tc, nil
}

// traceSqrtProduct returns tr √((Σ1+εI)(Σ2+εI)). Products go through
// blas64.Dgemm on plain row-major slices (gonum's Dense.Mul falls back to
// element-wise access for symmetric and triangular operands).
func traceSqrtProduct(s1, s2 []float64, d int, eps float64) (float64, error) {
	a := symmetrized(s1, d, eps)
	b := symmetrized(s2, d, eps)
	// Fast path: with Σ1 = L·Lᵀ (Cholesky), Lᵀ·Σ2·L is symmetric and
	// similar to Σ1·Σ2, so its eigenvalues (no vectors needed) give the
	// trace. It needs Σ1 positive definite; otherwise √Σ1 is built from
	// Σ1's eigendecomposition.
	var chol mat.Cholesky
	if chol.Factorize(mat.NewSymDense(d, a)) {
		var lt mat.TriDense
		chol.LTo(&lt)
		l := make([]float64, d*d)
		for i := 0; i < d; i++ {
			for j := 0; j <= i; j++ {
				l[i*d+j] = lt.At(i, j)
			}
		}
		return sqrtEigenTrace(congruence(l, b, d, true), d)
	}
	var ea mat.EigenSym
	if !ea.Factorize(mat.NewSymDense(d, a), true) {
		return 0, errors.New("eigendecomposition of the first covariance did not converge")
	}
	vals := ea.Values(nil)
	var v mat.Dense
	ea.VectorsTo(&v)
	// S = V·diag(√max(λ, 0))·Vᵀ
	vr := v.RawMatrix()
	vs := make([]float64, d*d)
	for i := 0; i < d; i++ {
		for j, lam := range vals {
			vs[i*d+j] = vr.Data[i*vr.Stride+j] * math.Sqrt(math.Max(lam, 0))
		}
	}
	sq := make([]float64, d*d)
	vdata := make([]float64, d*d)
	for i := 0; i < d; i++ {
		copy(vdata[i*d:(i+1)*d], vr.Data[i*vr.Stride:i*vr.Stride+d])
	}
	blas64.Implementation().Dgemm(blas.NoTrans, blas.Trans, d, d, d, 1, vs, d, vdata, d, 0, sq, d)
	return sqrtEigenTrace(congruence(sq, b, d, false), d)
}

// symmetrized returns (s + sᵀ)/2 + εI as a new slice.
func symmetrized(s []float64, d int, eps float64) []float64 {
	out := make([]float64, d*d)
	for i := 0; i < d; i++ {
		for j := 0; j < d; j++ {
			out[i*d+j] = (s[i*d+j] + s[j*d+i]) / 2
		}
		out[i*d+i] += eps
	}
	return out
}

// congruence returns Xᵀ·B·X (transposeFirst) or X·B·X, all d×d row-major.
func congruence(x, b []float64, d int, transposeFirst bool) []float64 {
	impl := blas64.Implementation()
	t := make([]float64, d*d)
	tr := blas.NoTrans
	if transposeFirst {
		tr = blas.Trans
	}
	impl.Dgemm(tr, blas.NoTrans, d, d, d, 1, x, d, b, d, 0, t, d)
	m := make([]float64, d*d)
	impl.Dgemm(blas.NoTrans, blas.NoTrans, d, d, d, 1, t, d, x, d, 0, m, d)
	return m
}

// sqrtEigenTrace returns Σ √max(λ, 0) over the eigenvalues of m, which is
// symmetric up to rounding (it is symmetrised first).
func sqrtEigenTrace(m []float64, d int) (float64, error) {
	var em mat.EigenSym
	if !em.Factorize(mat.NewSymDense(d, symmetrized(m, d, 0)), false) {
		return 0, errors.New("eigendecomposition for the trace of √(Σ1·Σ2) did not converge")
	}
	var tr float64
	for _, l := range em.Values(nil) {
		tr += math.Sqrt(math.Max(l, 0))
	}
	return tr, nil
}
