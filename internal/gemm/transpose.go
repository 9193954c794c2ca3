package gemm

import "fmt"

// Transpose writes dst[t·ld + i] = src[offs[i] + t] for every i <
// len(offs) and t < n: it turns len(offs) runs of n values of src into n
// runs of len(offs) values of dst, 4 and 2 runs at a time with
// [transposeRuns] (assembly where available). Packing an operand whose
// packed runs (MR values of A for one k, NR values of B for one k) are
// its stored columns is such a transposition; the convolutions of package
// tensor use it on the runs of pixels they gather.
func Transpose(dst []float32, ld int, src []float32, offs []int, n int) {
	if n <= 0 || len(offs) == 0 {
		return
	}
	if ld < len(offs) || len(dst) < (n-1)*ld+len(offs) {
		panic(fmt.Sprintf("gemm.Transpose: %d runs of %d into %d values with stride %d", len(offs), n, len(dst), ld))
	}
	for _, o := range offs {
		if o < 0 || o+n > len(src) {
			panic(fmt.Sprintf("gemm.Transpose: run [%d, %d) of %d source values", o, o+n, len(src)))
		}
	}
	i := 0
	for ; i+4 <= len(offs); i += 4 {
		transposeRuns(dst[i:], ld, src, offs[i:i+4], n)
	}
	for ; i+2 <= len(offs); i += 2 {
		transposeRuns(dst[i:], ld, src, offs[i:i+2], n)
	}
	if i < len(offs) {
		transposeRunsGeneric(dst[i:], ld, src, offs[i:], n)
	}
}

// transposeRunsGeneric is the pure-Go transposition of runs (any number).
func transposeRunsGeneric(dst []float32, ld int, src []float32, offs []int, n int) {
	for i, o := range offs {
		for t, v := range src[o : o+n] {
			dst[t*ld+i] = v
		}
	}
}

// CopyRuns writes dst[t·ld + i] = src[offs[t] + i] for every t <
// len(offs) and i < width: runs of src at arbitrary offsets, ld apart in
// dst (the rows of a packed sliver, or of a column band of one, gathered
// from an image, as the im2col packing of package tensor does).
func CopyRuns(dst []float32, ld, width int, src []float32, offs []int) {
	if len(offs) == 0 || width == 0 {
		return
	}
	if ld < width || len(dst) < (len(offs)-1)*ld+width {
		panic(fmt.Sprintf("gemm.CopyRuns: %d runs of %d with stride %d into %d values", len(offs), width, ld, len(dst)))
	}
	for _, o := range offs {
		if o < 0 || o+width > len(src) {
			panic(fmt.Sprintf("gemm.CopyRuns: run [%d, %d) of %d source values", o, o+width, len(src)))
		}
	}
	if copyRuns(dst, ld, width, src, offs) {
		return
	}
	for t, o := range offs {
		d := dst[t*ld : t*ld+width]
		for i, v := range src[o : o+width] {
			d[i] = v
		}
	}
}
