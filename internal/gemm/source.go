package gemm

// An ASource packs blocks of the left operand A (M×K) for the micro-kernel.
//
// PackA writes the rows [i0, i0+mc) and columns [k0, k0+kc) of A into dst as
// ceil(mc/mr) slivers. Sliver s holds rows i0+s·mr … i0+s·mr+mr-1 stored
// column after column: dst[s·kc·mr + p·mr + i] = A[i0+s·mr+i][k0+p]. Rows
// past mc are written as zeros.
type ASource interface {
	PackA(dst []float32, mr, i0, mc, k0, kc int)
}

// A BSource packs blocks of the right operand B (K×N) for the micro-kernel.
//
// PackB writes the rows [k0, k0+kc) and columns [j0, j0+nc) of B into dst as
// ceil(nc/nr) slivers. Sliver s holds columns j0+s·nr … stored row after
// row: dst[s·kc·nr + p·nr + j] = B[k0+p][j0+s·nr+j]. Columns past nc are
// written as zeros.
type BSource interface {
	PackB(dst []float32, nr, k0, kc, j0, nc int)
}

// Dense is a row-major matrix in Data with row stride Stride. When Trans is
// set the operand is the transpose of that matrix: element (i, j) of the
// operand is Data[j*Stride+i].
type Dense struct {
	Data   []float32
	Stride int
	Trans  bool
}

// Unpacked is a row-major left operand (row i starts at Data[i·Stride])
// that the kernels read where it lies, MR rows at a time, instead of
// packing it ([Kernel.TileRowStrided]); only a last sliver of fewer than
// MR rows is packed. Packing pays when a sliver of A meets many slivers of
// B; when it meets few (the Winograd weight gradient, whose products have
// as many columns as channels), the copy costs more than it saves. The
// results are the same bits either way.
type Unpacked struct {
	Data   []float32
	Stride int
}

// PackA implements [ASource].
func (u Unpacked) PackA(dst []float32, mr, i0, mc, k0, kc int) {
	Dense{Data: u.Data, Stride: u.Stride}.PackA(dst, mr, i0, mc, k0, kc)
}

func isUnpacked(a ASource) bool {
	_, ok := a.(Unpacked)
	return ok
}

// PackA implements [ASource].
func (d Dense) PackA(dst []float32, mr, i0, mc, k0, kc int) {
	for s := 0; s*mr < mc; s++ {
		out := dst[s*kc*mr : (s+1)*kc*mr]
		rows := min(mr, mc-s*mr)
		r0 := i0 + s*mr
		if d.Trans {
			// A[i][p] = Data[p*Stride+i]: each column of the sliver is a
			// contiguous run of the source.
			if rows == mr && copyRows(out, d.Data, k0*d.Stride+r0, d.Stride, kc, mr) {
				continue
			}
			for p := 0; p < kc; p++ {
				src := d.Data[(k0+p)*d.Stride+r0:]
				o := out[p*mr : p*mr+mr]
				copyShort(o, src[:rows])
				if rows < mr {
					clear(o[rows:])
				}
			}
			continue
		}
		// A[i][p] = Data[i*Stride+p]: a transpose of rows×kc values.
		transposeInto(out, mr, d.Data, d.Stride, r0, rows, k0, kc)
	}
}

// PackB implements [BSource].
func (d Dense) PackB(dst []float32, nr, k0, kc, j0, nc int) {
	for s := 0; s*nr < nc; s++ {
		out := dst[s*kc*nr : (s+1)*kc*nr]
		cols := min(nr, nc-s*nr)
		c0 := j0 + s*nr
		if !d.Trans {
			// B[p][j] = Data[p*Stride+j]: rows of the sliver are contiguous.
			if cols == nr && copyRows(out, d.Data, k0*d.Stride+c0, d.Stride, kc, nr) {
				continue
			}
			for p := 0; p < kc; p++ {
				src := d.Data[(k0+p)*d.Stride+c0:]
				o := out[p*nr : p*nr+nr]
				copyShort(o, src[:cols])
				if cols < nr {
					clear(o[cols:])
				}
			}
			continue
		}
		// B[p][j] = Data[j*Stride+p]: a transpose.
		transposeInto(out, nr, d.Data, d.Stride, c0, cols, k0, kc)
	}
}

// copyShort is copy(dst, src) for the short runs of one sliver row (MR or
// NR values). Copying value by value is faster than copy here: copy calls
// memmove, whose call costs more than moving a few dozen bytes, and the
// common lengths are unrolled.
func copyShort(dst, src []float32) {
	switch len(src) {
	case 6:
		d, s := (*[6]float32)(dst), (*[6]float32)(src)
		d[0], d[1], d[2], d[3], d[4], d[5] = s[0], s[1], s[2], s[3], s[4], s[5]
	case 16:
		d, s := (*[16]float32)(dst), (*[16]float32)(src)
		d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]
		d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15] = s[8], s[9], s[10], s[11], s[12], s[13], s[14], s[15]
	default:
		dst = dst[:len(src)]
		for i, v := range src {
			dst[i] = v
		}
	}
}

// transposeInto writes out[p*width+i] = data[(r0+i)*stride+k0+p] for
// i < rows and p < kc, and zeros for rows ≤ i < width (rows ≤ width ≤ 32).
func transposeInto(out []float32, width int, data []float32, stride, r0, rows, k0, kc int) {
	var offs [32]int
	for i := range rows {
		offs[i] = (r0+i)*stride + k0
	}
	Transpose(out, width, data, offs[:rows], kc)
	if rows < width {
		for p := 0; p < kc; p++ {
			clear(out[p*width+rows : p*width+width])
		}
	}
}
