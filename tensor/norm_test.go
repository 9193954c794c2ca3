package tensor

import (
	"math"
	"testing"
)

// TestBatchNormTrainStats checks the statistics of BatchNormTrain bit for
// bit against one float64 chain per channel, in the order of PyTorch's CPU
// kernel (images, then positions): the function sums eight channels side
// by side (vec.ChannelSums and ChannelSquares), which must not change a
// bit. Channel counts that are not a multiple of eight, and planes that
// are not a multiple of four values, cover what the kernels leave over.
// (Agreement with PyTorch itself is checked by the layers' parity tests.)
func TestBatchNormTrainStats(t *testing.T) {
	rng := NewRNG(11)
	for _, shape := range [][]int{{2, 1, 5, 5}, {3, 2, 4, 4}, {2, 5, 3, 7}, {4, 8, 8, 8}, {1, 3, 1, 1}, {3, 17, 5, 7}, {2, 16, 4, 4}} {
		x := rng.Normals(shape...)
		// A large mean makes the two passes' rounding matter.
		for i := range x.data {
			x.data[i] += 3
		}
		y, st := BatchNormTrain(x, nil, nil, 1e-5, false)
		n, c, plane := shape[0], shape[1], shape[2]*shape[3]
		m := float64(n * plane)
		for ch := 0; ch < c; ch++ {
			var s float64
			for i := 0; i < n; i++ {
				for _, v := range x.data[(i*c+ch)*plane : (i*c+ch+1)*plane] {
					s += float64(v)
				}
			}
			mean := s / m
			var ss float64
			for i := 0; i < n; i++ {
				for _, v := range x.data[(i*c+ch)*plane : (i*c+ch+1)*plane] {
					d := float64(v) - mean
					ss += float64(d * d)
				}
			}
			invstd := float32(1 / math.Sqrt(ss/m+float64(float32(1e-5))))
			if st.Mean[ch] != float32(mean) || st.Variance[ch] != ss/m || st.InvStd[ch] != invstd {
				t.Errorf("%v channel %d: mean %v var %v invstd %v, want %v %v %v",
					shape, ch, st.Mean[ch], st.Variance[ch], st.InvStd[ch], float32(mean), ss/m, invstd)
			}
			for i := 0; i < n; i++ {
				off := (i*c + ch) * plane
				for j := 0; j < plane; j++ {
					want := float32(x.data[off+j]*invstd) - float32(float32(mean)*invstd)
					if y.data[off+j] != want {
						t.Fatalf("%v channel %d: y[%d] = %v, want %v", shape, ch, off+j, y.data[off+j], want)
					}
				}
			}
		}
	}
}

// TestBatchNormReLUFused: with relu, both modes give the bits of ReLU
// applied to their output, with and without the affine parameters.
func TestBatchNormReLUFused(t *testing.T) {
	rng := NewRNG(12)
	for _, shape := range [][]int{{2, 3, 5, 5}, {4, 8, 8, 8}, {3, 5, 1, 1}} {
		x := rng.Normals(shape...)
		gamma, beta := rng.Normals(shape[1]), rng.Normals(shape[1])
		for _, affine := range []bool{false, true} {
			g, b := gamma, beta
			if !affine {
				g, b = nil, nil
			}
			y, st := BatchNormTrain(x, g, b, 1e-5, false)
			fused, _ := BatchNormTrain(x, g, b, 1e-5, true)
			variance := make([]float32, len(st.Variance))
			for i, v := range st.Variance {
				variance[i] = float32(v)
			}
			eval := BatchNormEval(x, g, b, st.Mean, variance, 1e-5, false)
			evalFused := BatchNormEval(x, g, b, st.Mean, variance, 1e-5, true)
			for _, pair := range [][2]*Tensor{{y, fused}, {eval, evalFused}} {
				want := ReLU(pair[0])
				for i, v := range want.data {
					if math.Float32bits(pair[1].data[i]) != math.Float32bits(v) {
						t.Fatalf("%v affine %v: element %d = %v fused, %v after ReLU", shape, affine, i, pair[1].data[i], v)
					}
				}
			}
		}
	}
}

// TestBatchNormBackwardSums checks the gradients of gamma and beta bit for
// bit against one float64 chain per channel, images then positions:
// Σ dy and Σ (x − mean)·dy, the difference in float32 and the product
// rounded, as the function computes them eight channels side by side
// (vec.ChannelDots).
func TestBatchNormBackwardSums(t *testing.T) {
	rng := NewRNG(12)
	for _, shape := range [][]int{{2, 1, 5, 5}, {3, 9, 4, 4}, {2, 17, 5, 7}, {4, 16, 8, 8}} {
		x, dy := rng.Normals(shape...), rng.Normals(shape...)
		gamma := rng.Normals(shape[1])
		_, st := BatchNormTrain(x, gamma, nil, 1e-5, false)
		_, dgamma, dbeta := BatchNormBackward(dy, x, gamma, st, true)
		n, c, plane := shape[0], shape[1], shape[2]*shape[3]
		for ch := 0; ch < c; ch++ {
			var sum, dot float64
			for i := 0; i < n; i++ {
				off := (i*c + ch) * plane
				for j, g := range dy.data[off : off+plane] {
					sum += float64(g)
					dot += float64(float64(x.data[off+j]-st.Mean[ch]) * float64(g))
				}
			}
			if want := float32(sum); math.Float32bits(dbeta.data[ch]) != math.Float32bits(want) {
				t.Fatalf("%v channel %d: dbeta %v, want %v", shape, ch, dbeta.data[ch], want)
			}
			if want := float32(dot * float64(st.InvStd[ch])); math.Float32bits(dgamma.data[ch]) != math.Float32bits(want) {
				t.Fatalf("%v channel %d: dgamma %v, want %v", shape, ch, dgamma.data[ch], want)
			}
		}
	}
}

// BenchmarkBatchNorm times a batch normalisation of the demo's widths (32
// images of 32 channels of 32×32) in training mode, forward and backward:
//
//	go test ./tensor -run X -bench BatchNorm -cpu 1
func BenchmarkBatchNorm(b *testing.B) {
	g := NewRNG(1)
	x, dy := g.Normals(32, 32, 32, 32), g.Normals(32, 32, 32, 32)
	gamma, beta := g.Normals(32), g.Normals(32)
	b.Run("train", func(b *testing.B) {
		for b.Loop() {
			y, _ := BatchNormTrain(x, gamma, beta, 1e-5, true)
			y.Release()
		}
	})
	_, st := BatchNormTrain(x, gamma, beta, 1e-5, false)
	b.Run("backward", func(b *testing.B) {
		for b.Loop() {
			dx, dg, db := BatchNormBackward(dy, x, gamma, st, true)
			dx.Release()
			dg.Release()
			db.Release()
		}
	})
}
