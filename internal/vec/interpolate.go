package vec

import "fmt"

// Linear interpolation by a factor of two, the horizontal half of the
// bilinear up-sampling of AutoGAN's up-cells: every pair of neighbours
// (l, r) of a source row gives two output values, each the sum of two
// products rounded one by one, float32(a·l) + float32(b·r), as PyTorch
// computes them.

// InterpolatePairs sets, for every i < len(src)−1,
//
//	dst[2i]   = a0·src[i] + a1·src[i+1]
//	dst[2i+1] = b0·src[i] + b1·src[i+1]
//
// each product rounded before the addition. dst must hold 2·(len(src)−1)
// values and must not overlap src.
func InterpolatePairs(dst, src []float32, a0, a1, b0, b1 float32) {
	if len(src) == 0 || len(dst) != 2*(len(src)-1) {
		panic(fmt.Sprintf("vec.InterpolatePairs: %d values from %d", len(dst), len(src)))
	}
	n := interpolatePairs(dst, src, a0, a1, b0, b1)
	interpolatePairsGeneric(dst[2*n:], src[n:], a0, a1, b0, b1)
}

func interpolatePairsGeneric(dst, src []float32, a0, a1, b0, b1 float32) {
	for i := 0; i+1 < len(src); i++ {
		l, r := src[i], src[i+1]
		dst[2*i] = float32(a0*l) + float32(a1*r)
		dst[2*i+1] = float32(b0*l) + float32(b1*r)
	}
}

// AddPairTerms adds to every dst[i] the four terms
//
//	w0·g[2i], w1·g[2i+1], w2·g[2i+2], w3·g[2i+3]
//
// in that order, each product rounded before it is added: the gradient
// that a row of output gradients g gives the inner columns of its source
// row, each of which the factor-two interpolation reads with these four
// weights. g must hold 2·len(dst)+2 values.
func AddPairTerms(dst, g []float32, w0, w1, w2, w3 float32) {
	if len(g) < 2*len(dst)+2 {
		panic(fmt.Sprintf("vec.AddPairTerms: %d gradients for %d values", len(g), len(dst)))
	}
	if !addPairTerms(dst, g, w0, w1, w2, w3) {
		addPairTermsGeneric(dst, g, w0, w1, w2, w3)
	}
}

func addPairTermsGeneric(dst, g []float32, w0, w1, w2, w3 float32) {
	for i := range dst {
		t := g[2*i : 2*i+4]
		acc := dst[i] + float32(w0*t[0])
		acc += float32(w1 * t[1])
		acc += float32(w2 * t[2])
		dst[i] = acc + float32(w3*t[3])
	}
}
