package vec

import "fmt"

// Channel sums: the statistics of a batch normalisation and the gradients
// of its parameters and of a convolution's bias add up every value of a
// channel over the batch, in float64, in a fixed order: image after image,
// each plane from its first value to its last. The functions below take
// the consecutive planes of one image (plane k of x starts at k·plane) and
// add to one accumulator per plane; the caller calls them image after
// image. Every accumulator is one chain of additions in the order of its
// values, so the assembly kernels, which run eight chains side by side,
// give the bits of the loops (except which NaN comes out of two).

// ChannelSums adds to acc[k] the values of plane k: acc[k] += float64(v).
func ChannelSums(acc []float64, x []float32, plane int) {
	checkPlanes("ChannelSums", len(acc), plane, x)
	k := channelSums(acc, x, plane)
	channelSumsGeneric(acc[k:], x[k*plane:], plane)
}

// ChannelSquares adds to acc[k] the squared distances of the values of
// plane k from mean[k]: d = float64(v) − mean[k], acc[k] += d·d (the
// product rounded, never fused with the addition).
func ChannelSquares(acc []float64, x []float32, plane int, mean []float64) {
	checkPlanes("ChannelSquares", len(acc), plane, x)
	if len(mean) != len(acc) {
		panic(fmt.Sprintf("vec.ChannelSquares: %d means for %d planes", len(mean), len(acc)))
	}
	k := channelSquares(acc, x, plane, mean)
	channelSquaresGeneric(acc[k:], x[k*plane:], plane, mean[k:])
}

// ChannelDots adds, over the values v of plane k of x and g of plane k of
// grad, sum[k] += float64(g) and dot[k] += float64(v − mean[k])·float64(g)
// (the difference in float32, the product rounded): the two sums of a
// batch normalisation's backward pass.
func ChannelDots(sum, dot []float64, x, grad []float32, plane int, mean []float32) {
	checkPlanes("ChannelDots", len(sum), plane, x, grad)
	if len(dot) != len(sum) || len(mean) != len(sum) {
		panic(fmt.Sprintf("vec.ChannelDots: %d sums, %d dots and %d means", len(sum), len(dot), len(mean)))
	}
	k := channelDots(sum, dot, x, grad, plane, mean)
	channelDotsGeneric(sum[k:], dot[k:], x[k*plane:], grad[k*plane:], plane, mean[k:])
}

func checkPlanes(op string, planes, plane int, xs ...[]float32) {
	for _, x := range xs {
		if plane < 0 || len(x) != planes*plane {
			panic(fmt.Sprintf("vec.%s: %d values for %d planes of %d", op, len(x), planes, plane))
		}
	}
}

// The pure-Go twins take four planes side by side (four chains keep the
// adder busy where one waits for each addition) and the rest one by one.

func channelSumsGeneric(acc []float64, x []float32, plane int) {
	k := 0
	for ; k+4 <= len(acc); k += 4 {
		s0, s1, s2, s3 := acc[k], acc[k+1], acc[k+2], acc[k+3]
		a0, a1, a2, a3 := x[k*plane:(k+1)*plane], x[(k+1)*plane:(k+2)*plane], x[(k+2)*plane:(k+3)*plane], x[(k+3)*plane:(k+4)*plane]
		for j, v := range a0 {
			s0 += float64(v)
			s1 += float64(a1[j])
			s2 += float64(a2[j])
			s3 += float64(a3[j])
		}
		acc[k], acc[k+1], acc[k+2], acc[k+3] = s0, s1, s2, s3
	}
	for ; k < len(acc); k++ {
		s := acc[k]
		for _, v := range x[k*plane : (k+1)*plane] {
			s += float64(v)
		}
		acc[k] = s
	}
}

func channelSquaresGeneric(acc []float64, x []float32, plane int, mean []float64) {
	k := 0
	for ; k+4 <= len(acc); k += 4 {
		s0, s1, s2, s3 := acc[k], acc[k+1], acc[k+2], acc[k+3]
		m0, m1, m2, m3 := mean[k], mean[k+1], mean[k+2], mean[k+3]
		a0, a1, a2, a3 := x[k*plane:(k+1)*plane], x[(k+1)*plane:(k+2)*plane], x[(k+2)*plane:(k+3)*plane], x[(k+3)*plane:(k+4)*plane]
		for j, v := range a0 {
			d0, d1, d2, d3 := float64(v)-m0, float64(a1[j])-m1, float64(a2[j])-m2, float64(a3[j])-m3
			s0 += float64(d0 * d0) // float64(…): never fused into an FMA
			s1 += float64(d1 * d1)
			s2 += float64(d2 * d2)
			s3 += float64(d3 * d3)
		}
		acc[k], acc[k+1], acc[k+2], acc[k+3] = s0, s1, s2, s3
	}
	for ; k < len(acc); k++ {
		s := acc[k]
		for _, v := range x[k*plane : (k+1)*plane] {
			d := float64(v) - mean[k]
			s += float64(d * d)
		}
		acc[k] = s
	}
}

func channelDotsGeneric(sum, dot []float64, x, grad []float32, plane int, mean []float32) {
	k := 0
	for ; k+2 <= len(sum); k += 2 {
		s0, s1, d0, d1 := sum[k], sum[k+1], dot[k], dot[k+1]
		m0, m1 := mean[k], mean[k+1]
		x0, x1 := x[k*plane:(k+1)*plane], x[(k+1)*plane:(k+2)*plane]
		g0, g1 := grad[k*plane:(k+1)*plane], grad[(k+1)*plane:(k+2)*plane]
		for j, g := range g0 {
			s0 += float64(g)
			d0 += float64(float64(x0[j]-m0) * float64(g))
			h := g1[j]
			s1 += float64(h)
			d1 += float64(float64(x1[j]-m1) * float64(h))
		}
		sum[k], sum[k+1], dot[k], dot[k+1] = s0, s1, d0, d1
	}
	for ; k < len(sum); k++ {
		s, d, m := sum[k], dot[k], mean[k]
		xs := x[k*plane : (k+1)*plane]
		for j, g := range grad[k*plane : (k+1)*plane] {
			s += float64(g)
			d += float64(float64(xs[j]-m) * float64(g))
		}
		sum[k], dot[k] = s, d
	}
}
