//go:build !amd64 || purego

package vec

func relu(dst, src []float32) int { return 0 }

func maskPositive(g, y []float32) int { return 0 }

func add(dst, x, y []float32) int { return 0 }

func weightedSum(dst, x, y []float32, a, b float32) int { return 0 }

func scaleShift(dst, x []float32, a, b float32, relu bool) int { return 0 }

func normGrad(dx, g, x []float32, mean, k, gradMean, scale float32) int { return 0 }

func pool2x2(dst, src []float32, rows, cols int) bool { return false }

func pool2x2Grad(g, dst []float32, rows, cols int) bool { return false }

func copyRows(dst []float32, dstStride int, src []float32, rows, cols, ahead int) bool { return false }

func sum3(dst, a, b, c []float32) int { return 0 }

func sum3Div(dst, a, b, c []float32, d float32) int { return 0 }

func sum2Div(dst, a, b []float32, d float32) int { return 0 }

func max3(dst, a, b, c []float32) int { return 0 }

func max3Stride2(dst, src []float32) int { return 0 }

func channelSums(acc []float64, x []float32, plane int) int { return 0 }

func channelSquares(acc []float64, x []float32, plane int, mean []float64) int { return 0 }

func channelDots(sum, dot []float64, x, g []float32, plane int, mean []float32) int { return 0 }

func interpolatePairs(dst, src []float32, a0, a1, b0, b1 float32) int { return 0 }

func addPairTerms(dst, g []float32, w0, w1, w2, w3 float32) bool { return false }

func upsample2x2(dst, src []float32, rows, cols int) bool { return false }

func upsample2x2Grad(dx, g []float32, rows, cols int) bool { return false }
