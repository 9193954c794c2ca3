//go:build !amd64 || purego

package winograd

// Accelerated reports whether assembly kernels are in use: never here.
func Accelerated() bool { return false }

func input(dst []float32, xiStride, pStride int, src []float32, offs []int32, ld, planeStride, kc int) {
	inputGeneric(dst, xiStride, pStride, src, offs, ld, planeStride, kc)
}

func output(dst []float32, offs []int32, ld, planeStride int, m []float32, xiStride, oStride, mo int, bias []float32, relu bool) {
	outputGeneric(dst, offs, ld, planeStride, m, xiStride, oStride, mo, bias, relu)
}

func gradOutput(dst []float32, xiStride, pStride int, src []float32, offs []int32, ld, planeStride, count int) {
	gradOutputGeneric(dst, xiStride, pStride, src, offs, ld, planeStride, count)
}

func weights(dst []float32, stride int, src []float32, srcStride, n int, flip bool) {
	weightsGeneric(dst, stride, src, srcStride, n, flip)
}

func weightGrads(dst, du []float32, xiStride, n int, add bool) {
	weightGradsGeneric(dst, du, xiStride, n, add)
}
