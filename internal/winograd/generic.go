package winograd

// The pure-Go twins of the lane kernels. They are always compiled: they
// are the only kernels under the purego tag and on other architectures, and
// the conformance test requires the assembly kernels to return exactly the
// same bits. Every product is rounded to float32 before it is added
// (float32(4*x)), so the compiler cannot fuse it into an FMA on GOAMD64=v3
// or arm64, and the additions are done in the order the assembly does them.

// applyBT applies Bᵀ to six values (one row or column of an input tile):
//
//	v0 = 4d0 − 5d2 + d4          v3 = −2d1 − d2 + 2d3 + d4
//	v1 = −4d1 − 4d2 + d3 + d4    v4 = 2d1 − d2 − 2d3 + d4
//	v2 = 4d1 − 4d2 − d3 + d4     v5 = 4d1 − 5d3 + d5
//
// in 17 operations that share the common terms.
func applyBT(d0, d1, d2, d3, d4, d5 float32) (v0, v1, v2, v3, v4, v5 float32) {
	a := d4 - float32(4*d2)
	b := d3 - float32(4*d1)
	c := d4 - d2
	f := d3 - d1
	e := f + f
	v0 = float32(4*(d0-d2)) + c
	v1 = a + b
	v2 = a - b
	v3 = c + e
	v4 = c - e
	v5 = (d5 - d3) - float32(4*f)
	return
}

// applyAT applies Aᵀ to six values (one row or column of a product tile):
//
//	y0 = m0 + m1 + m2 + m3 + m4   y2 = m1 + m2 + 4(m3 + m4)
//	y1 = m1 − m2 + 2(m3 − m4)     y3 = m1 − m2 + 8(m3 − m4) + m5
func applyAT(m0, m1, m2, m3, m4, m5 float32) (y0, y1, y2, y3 float32) {
	s12 := m1 + m2
	d12 := m1 - m2
	s34 := m3 + m4
	d34 := m3 - m4
	y0 = (m0 + s12) + s34
	y1 = d12 + float32(2*d34)
	y2 = s12 + float32(4*s34)
	y3 = (d12 + float32(8*d34)) + m5
	return
}

// applyA applies A to four values (one row or column of an output-gradient
// tile), the adjoint of at:
//
//	r0 = g0                       r3 = g0 + 2g1 + 4g2 + 8g3
//	r1 = g0 + g1 + g2 + g3        r4 = g0 − 2g1 + 4g2 − 8g3
//	r2 = g0 − g1 + g2 − g3        r5 = g3
func applyA(g0, g1, g2, g3 float32) (r0, r1, r2, r3, r4, r5 float32) {
	p := g0 + g2
	q := g1 + g3
	pp := g0 + float32(4*g2)
	t := g1 + float32(4*g3)
	qq := t + t
	r0 = g0
	r1 = p + q
	r2 = p - q
	r3 = pp + qq
	r4 = pp - qq
	r5 = g3
	return
}

// inputGeneric is the pure-Go input transform; see [Input].
func inputGeneric(dst []float32, xiStride, pStride int, src []float32, offs []int32, ld, planeStride, kc int) {
	var t [Alpha][Alpha]float32
	for j, off := range offs {
		for p := 0; p < kc; p++ {
			base := int(off) + p*planeStride
			// Rows first: t[r] = Bᵀ applied along row r of the tile.
			for r := 0; r < Alpha; r++ {
				d := src[base+r*ld : base+r*ld+Alpha]
				t[r][0], t[r][1], t[r][2], t[r][3], t[r][4], t[r][5] = applyBT(d[0], d[1], d[2], d[3], d[4], d[5])
			}
			// Then columns: V[i][k] = Bᵀ applied along column k of t.
			o := p*pStride + j
			for k := 0; k < Alpha; k++ {
				v0, v1, v2, v3, v4, v5 := applyBT(t[0][k], t[1][k], t[2][k], t[3][k], t[4][k], t[5][k])
				dst[o+(0*Alpha+k)*xiStride] = v0
				dst[o+(1*Alpha+k)*xiStride] = v1
				dst[o+(2*Alpha+k)*xiStride] = v2
				dst[o+(3*Alpha+k)*xiStride] = v3
				dst[o+(4*Alpha+k)*xiStride] = v4
				dst[o+(5*Alpha+k)*xiStride] = v5
			}
		}
	}
}

// outputGeneric is the pure-Go output transform; see [Output].
func outputGeneric(dst []float32, offs []int32, ld, planeStride int, m []float32, xiStride, oStride, mo int, bias []float32, relu bool) {
	var t [Tile][Alpha]float32
	for j, off := range offs {
		for o := 0; o < mo; o++ {
			src := o*oStride + j
			// Columns first: t[·][k] = Aᵀ applied along column k of M.
			for k := 0; k < Alpha; k++ {
				t[0][k], t[1][k], t[2][k], t[3][k] = applyAT(m[src+(0*Alpha+k)*xiStride], m[src+(1*Alpha+k)*xiStride],
					m[src+(2*Alpha+k)*xiStride], m[src+(3*Alpha+k)*xiStride], m[src+(4*Alpha+k)*xiStride], m[src+(5*Alpha+k)*xiStride])
			}
			var b float32 // zero without a bias: the kernels always add it
			if bias != nil {
				b = bias[o]
			}
			base := int(off) + o*planeStride
			for r := 0; r < Tile; r++ {
				y0, y1, y2, y3 := applyAT(t[r][0], t[r][1], t[r][2], t[r][3], t[r][4], t[r][5])
				row := dst[base+r*ld : base+r*ld+Tile]
				row[0], row[1], row[2], row[3] = epilogue(y0+b, relu), epilogue(y1+b, relu), epilogue(y2+b, relu), epilogue(y3+b, relu)
			}
		}
	}
}

// epilogue clamps at zero when relu is set; NaN passes through, as in the
// GEMM kernels and PyTorch.
func epilogue(v float32, relu bool) float32 {
	if relu && v < 0 {
		v = 0
	}
	return v
}

// gradOutputGeneric is the pure-Go output-gradient transform; see
// [GradOutput].
func gradOutputGeneric(dst []float32, xiStride, pStride int, src []float32, offs []int32, ld, planeStride, count int) {
	var t [Tile][Alpha]float32
	for j, off := range offs {
		for p := 0; p < count; p++ {
			base := int(off) + p*planeStride
			// Rows first: t[r] = A applied along row r of the 4×4 tile.
			for r := 0; r < Tile; r++ {
				g := src[base+r*ld : base+r*ld+Tile]
				t[r][0], t[r][1], t[r][2], t[r][3], t[r][4], t[r][5] = applyA(g[0], g[1], g[2], g[3])
			}
			o := p*pStride + j
			for k := 0; k < Alpha; k++ {
				v0, v1, v2, v3, v4, v5 := applyA(t[0][k], t[1][k], t[2][k], t[3][k])
				dst[o+(0*Alpha+k)*xiStride] = v0
				dst[o+(1*Alpha+k)*xiStride] = v1
				dst[o+(2*Alpha+k)*xiStride] = v2
				dst[o+(3*Alpha+k)*xiStride] = v3
				dst[o+(4*Alpha+k)*xiStride] = v4
				dst[o+(5*Alpha+k)*xiStride] = v5
			}
		}
	}
}

// weightsGeneric is the pure-Go filter transform of many filters; see
// [Weights].
func weightsGeneric(dst []float32, stride int, src []float32, srcStride, n int, flip bool) {
	var f [Kernel * Kernel]float32
	for j := 0; j < n; j++ {
		w := src[j*srcStride : j*srcStride+len(f)]
		if flip {
			for i := range f {
				f[i] = w[len(f)-1-i]
			}
			w = f[:]
		}
		WeightInto(dst[j:], stride, w)
	}
}

// weightGradsGeneric is the pure-Go filter gradient of many filters; see
// [WeightGrads].
func weightGradsGeneric(dst, du []float32, xiStride, n int, add bool) {
	var t [Points]float32
	for j := 0; j < n; j++ {
		for xi := range t {
			t[xi] = du[xi*xiStride+j]
		}
		out := dst[9*j : 9*j+9]
		for i, v := range WeightGrad(t[:]) {
			if add {
				v += float64(out[i])
			}
			out[i] = float32(v)
		}
	}
}
