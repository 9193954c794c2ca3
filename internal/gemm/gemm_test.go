package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// guard is written around C; a correct GEMM never touches it.
const guard = float32(-12345.678)

// naive computes the expected C in float64.
func naive(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += float64(av) * float64(bv)
			}
			v := float64(alpha) * s
			if beta != 0 {
				v += float64(beta) * float64(c[i*ldc+j])
			}
			out[i*n+j] = v
		}
	}
	return out
}

func randSlice(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	return x
}

type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	pad            int // extra columns in every stored matrix (leading dimension > width)
}

// check runs one case through kernel kern and compares with naive,
// including the guard band around and between the rows of C.
func check(t *testing.T, kern *Kernel, tc gemmCase, r *rand.Rand) {
	t.Helper()
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	lda, ldb, ldc := ac+tc.pad, bc+tc.pad, tc.n+tc.pad
	a := randSlice(r, ar*lda)
	b := randSlice(r, br*ldb)
	const band = 37
	cbuf := make([]float32, band+tc.m*ldc+band)
	for i := range cbuf {
		cbuf[i] = guard
	}
	c := cbuf[band : band+tc.m*ldc]
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			c[i*ldc+j] = float32(r.NormFloat64())
			if tc.beta == 0 && (i+j)%7 == 0 {
				c[i*ldc+j] = float32(math.NaN()) // beta == 0 must not read C
			}
		}
	}
	want := naive(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	checkMatrix("A", a, ar, ac, lda)
	checkMatrix("B", b, br, bc, ldb)
	runWith(kern, []Problem{{M: tc.m, N: tc.n, K: tc.k, Alpha: tc.alpha, Beta: tc.beta,
		A: Dense{a, lda, tc.transA}, B: Dense{b, ldb, tc.transB}, C: c, LDC: ldc}})
	for i, v := range cbuf {
		inside := i >= band && i < band+tc.m*ldc && (i-band)%ldc < tc.n
		if !inside && v != guard {
			t.Fatalf("%s %+v: wrote %v outside C at buffer index %d", kern.Name, tc, v, i)
		}
	}
	// Error bound: float32 rounding grows with k and the magnitude of the terms.
	tol := 1e-5 * float64(tc.k+4)
	for i := 0; i < tc.m; i++ {
		for j := 0; j < tc.n; j++ {
			got := float64(c[i*ldc+j])
			if math.Abs(got-want[i*tc.n+j]) > tol*(1+math.Abs(want[i*tc.n+j])) || math.IsNaN(got) {
				t.Fatalf("%s %+v: C[%d][%d] = %v, want %v", kern.Name, tc, i, j, got, want[i*tc.n+j])
			}
		}
	}
}

// TestConformance is the one suite every kernel must pass: odd sizes from 1
// to 300, all transpose combinations, alpha and beta, leading dimensions
// larger than the width, guard bands around C.
func TestConformance(t *testing.T) {
	sizes := []int{1, 2, 3, 5, 7, 11, 12, 13, 16, 17, 31, 32, 33, 47, 63, 65, 97, 127, 129, 255, 257, 300}
	for _, kern := range Kernels() {
		t.Run(kern.Name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(7, uint64(len(kern.Name))))
			for _, ta := range []bool{false, true} {
				for _, tb := range []bool{false, true} {
					for _, ab := range [][2]float32{{1, 0}, {-0.5, 1}, {2, 0.25}, {0, 0.5}} {
						for c := 0; c < 12; c++ {
							tc := gemmCase{ta, tb,
								sizes[r.IntN(len(sizes))], sizes[r.IntN(len(sizes))], sizes[r.IntN(len(sizes))],
								ab[0], ab[1], r.IntN(3) * 5}
							check(t, kern, tc, r)
						}
					}
				}
			}
			// Sizes around the blocking constants: K crossing kcBlock, rows and
			// columns crossing a task boundary.
			for _, tc := range []gemmCase{
				{false, false, 1, 1, kcBlock + 1, 1, 0, 0},
				{false, true, maxTaskRows + 13, 40, 2*kcBlock + 3, 1, 1, 3},
				{true, false, 30, maxTaskCols + 33, kcBlock - 1, 0.5, 0, 0},
				{true, true, 64, 64, 0, 1, 0.5, 0},
				{false, false, 0, 5, 5, 1, 0, 0},
			} {
				check(t, kern, tc, r)
			}
		})
	}
}

// TestBitIdenticalAcrossWorkers runs the same multiplication with 1, 2, 3 and
// 7 workers (GOMAXPROCS) and requires identical bits.
func TestBitIdenticalAcrossWorkers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	r := rand.New(rand.NewPCG(3, 4))
	m, n, k := 517, 611, 700
	a, b := randSlice(r, m*k), randSlice(r, k*n)
	for _, kern := range Kernels() {
		var ref []float32
		for _, w := range []int{1, 2, 3, 7} {
			runtime.GOMAXPROCS(w)
			c := make([]float32, m*n)
			runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, A: Dense{a, k, false}, B: Dense{b, n, false}, C: c, LDC: n}})
			if ref == nil {
				ref = c
				continue
			}
			for i := range c {
				if math.Float32bits(c[i]) != math.Float32bits(ref[i]) {
					t.Fatalf("%s: workers=%d differs from workers=1 at %d: %v vs %v", kern.Name, w, i, c[i], ref[i])
				}
			}
		}
	}
}

func TestEpilogueAndPackedA(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m, n, k := 45, 70, 33
	a, b := randSlice(r, m*k), randSlice(r, k*n)
	bias := randSlice(r, m)
	for _, kern := range Kernels() {
		pa := packAWith(kern, Dense{a, k, false}, m, k)
		c := make([]float32, m*n)
		runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, PackedA: pa, B: Dense{b, n, false}, C: c, LDC: n, Bias: bias, ReLU: true}})
		want := naive(false, false, m, n, k, 1, a, k, b, n, 0, nil, n)
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				w := math.Max(0, want[i*n+j]+float64(bias[i]))
				if math.Abs(float64(c[i*n+j])-w) > 1e-4 {
					t.Fatalf("%s: C[%d][%d] = %v, want %v", kern.Name, i, j, c[i*n+j], w)
				}
			}
		}
	}
}

// TestPackedBIsDenseB: a problem on a PackedB written at Index gives the
// same bits as the same problem on the dense B, for every kernel, with K
// crossing block boundaries, N past a sliver edge and several tasks.
func TestPackedBIsDenseB(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for _, kern := range Kernels() {
		for _, sz := range [][3]int{{7, 5, 3}, {45, 70, 33}, {30, maxTaskCols + 40, kcBlock + 17}, {13, 16, 2*kcBlock + 1}} {
			m, n, k := sz[0], sz[1], sz[2]
			a, b, c0 := randSlice(r, m*k), randSlice(r, k*n), randSlice(r, m*n)
			data := make([]float32, PackedBSize(kern, k, n))
			pb := NewPackedB(kern, k, n, data)
			seen := make([]bool, len(data))
			for p := 0; p < k; p++ {
				for j := 0; j < n; j++ {
					i := pb.Index(p, j)
					if seen[i] {
						t.Fatalf("%s %v: Index(%d, %d) = %d is taken twice", kern.Name, sz, p, j, i)
					}
					seen[i] = true
					data[i] = b[p*n+j]
				}
			}
			for _, beta := range []float32{0, 1} {
				want, got := append([]float32(nil), c0...), append([]float32(nil), c0...)
				runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, Beta: beta, A: Dense{a, k, false}, B: Dense{b, n, false}, C: want, LDC: n}})
				runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, Beta: beta, A: Dense{a, k, false}, PackedB: pb, C: got, LDC: n}})
				for i := range got {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s %v beta %v: C[%d] = %v with PackedB, %v with Dense", kern.Name, sz, beta, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestUnpackedIsDense: a problem whose A is read in place (Unpacked) gives
// the same bits as with A packed, for every kernel: partial slivers,
// K across blocks, edge tiles of B, beta, bias and ReLU, rows of A longer
// than K (the stride is not the width).
func TestUnpackedIsDense(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	for _, kern := range Kernels() {
		for _, sz := range [][4]int{{7, 5, 3, 0}, {12, 32, 40, 3}, {45, 70, 33, 0}, {30, maxTaskCols + 40, kcBlock + 17, 5}, {13, 16, 2*kcBlock + 1, 1}} {
			m, n, k, pad := sz[0], sz[1], sz[2], sz[3]
			a, b, c0, bias := randSlice(r, m*(k+pad)), randSlice(r, k*n), randSlice(r, m*n), randSlice(r, m)
			for _, beta := range []float32{0, 1} {
				for _, epi := range []bool{false, true} {
					var bs []float32
					if epi {
						bs = bias
					}
					want, got := append([]float32(nil), c0...), append([]float32(nil), c0...)
					runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, Beta: beta, A: Dense{a, k + pad, false}, B: Dense{b, n, false}, C: want, LDC: n, Bias: bs, ReLU: epi}})
					runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, Beta: beta, A: Unpacked{a, k + pad}, B: Dense{b, n, false}, C: got, LDC: n, Bias: bs, ReLU: epi}})
					for i := range got {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("%s %v beta %v epilogue %v: C[%d] = %v with A unpacked, %v packed", kern.Name, sz, beta, epi, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestReLUKeepsNaN: a NaN reaching the fused ReLU stays NaN in full and
// edge tiles of every kernel, as PyTorch's relu leaves it.
func TestReLUKeepsNaN(t *testing.T) {
	m, n, k := 30, 70, 5
	for _, kern := range Kernels() {
		a, b := make([]float32, m*k), make([]float32, k*n)
		for i := range a {
			a[i] = -1
		}
		for i := range b {
			b[i] = 1
		}
		a[0], a[(m-1)*k] = float32(math.NaN()), float32(math.NaN()) // row 0 (full tile) and row m−1 (edge tile)
		c := make([]float32, m*n)
		runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, A: Dense{a, k, false}, B: Dense{b, n, false}, C: c, LDC: n, ReLU: true}})
		if !math.IsNaN(float64(c[0])) || !math.IsNaN(float64(c[(m-1)*n+n-1])) || c[n] != 0 {
			t.Fatalf("%s: ReLU gave %v, %v, %v; want NaN, NaN, 0", kern.Name, c[0], c[(m-1)*n+n-1], c[n])
		}
	}
}

func TestBadSizesPanicWithSizes(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || fmt.Sprint(r) == "" {
			t.Fatal("no panic for a short C")
		}
	}()
	Sgemm(false, false, 4, 4, 4, 1, make([]float32, 16), 4, make([]float32, 16), 4, 0, make([]float32, 15), 4)
}

// BenchmarkUnpacked compares a product with A packed and with A read in
// place (Unpacked), packing included, at the Winograd weight gradient's
// shapes (M = output channels, N = input channels, K = tiles):
//
//	go test ./internal/gemm -run X -bench Unpacked -cpu 1
func BenchmarkUnpacked(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, sz := range [][3]int{{32, 32, 768}, {64, 64, 384}, {128, 128, 768}} {
		m, n, k := sz[0], sz[1], sz[2]
		lda := k + 16
		a, bm, c := randSlice(r, m*lda), randSlice(r, k*n), make([]float32, m*n)
		for _, kern := range Kernels()[1:] {
			for _, op := range []struct {
				name string
				src  ASource
			}{{"packed", Dense{a, lda, false}}, {"unpacked", Unpacked{a, lda}}} {
				b.Run(fmt.Sprintf("m%d_n%d_k%d/%s/%s", m, n, k, kern.Name, op.name), func(b *testing.B) {
					for b.Loop() {
						runWith(kern, []Problem{{M: m, N: n, K: k, Alpha: 1, A: op.src, B: Dense{bm, n, false}, C: c, LDC: n}})
					}
					b.ReportMetric(float64(2*m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkSgemm times square products. Besides GFLOP/s it reports
// %peak: the rate as a share of the active kernel's FMA peak, measured
// (best of ten short runs) just before, on the same core.
func BenchmarkSgemm(b *testing.B) {
	for _, n := range []int{256, 512, 1024} {
		r := rand.New(rand.NewPCG(1, 1))
		x, y, z := randSlice(r, n*n), randSlice(r, n*n), make([]float32, n*n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			peak := measurePeak()
			b.ResetTimer()
			for b.Loop() {
				Sgemm(false, false, n, n, n, 1, x, n, y, n, 0, z, n)
			}
			gflops := 2 * float64(n*n*n) * float64(b.N) / b.Elapsed().Seconds() / 1e9
			b.ReportMetric(gflops, "GFLOP/s")
			if peak > 0 {
				b.ReportMetric(100*gflops/peak, "%peak")
			}
		})
	}
}

// TestTransposeMatchesLoop checks Transpose (assembly where available)
// against the plain loop for every number of runs up to 9 and lengths
// around multiples of eight, with the guard band around the destination.
func TestTransposeMatchesLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	src := randSlice(r, 500)
	for runs := 1; runs <= 9; runs++ {
		for _, n := range []int{1, 7, 8, 9, 16, 23, 40} {
			ld := runs + 3
			offs := make([]int, runs)
			for i := range offs {
				offs[i] = r.IntN(len(src) - n + 1)
			}
			got := make([]float32, n*ld+5)
			for i := range got {
				got[i] = guard
			}
			want := append([]float32(nil), got...)
			Transpose(got, ld, src, offs, n)
			transposeRunsGeneric(want, ld, src, offs, n)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%d runs of %d: element %d = %v, want %v", runs, n, i, got[i], want[i])
				}
			}
		}
	}
}

// TestTileRowIsTiles checks that one TileRow call gives the bits of nb
// Tile calls, for every kernel, with and without beta, bias and ReLU.
func TestTileRowIsTiles(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, k := range Kernels() {
		for _, nb := range []int{1, 2, 5} {
			for _, beta := range []float32{0, 1} {
				const kc = 37
				a, b := randSlice(r, kc*k.MR), randSlice(r, nb*kc*k.NR)
				ldc := nb*k.NR + 3
				bias := randSlice(r, k.MR)
				got := randSlice(r, k.MR*ldc)
				want := append([]float32(nil), got...)
				k.TileRow(kc, a, b, got, ldc, nb, 1.5, beta, bias, true)
				for j := 0; j < nb; j++ {
					k.Tile(kc, a, b[j*kc*k.NR:], want[j*k.NR:], ldc, 1.5, beta, bias, true)
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s nb=%d beta=%v: element %d = %v, want %v", k.Name, nb, beta, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestDensePackingMatchesLoops packs Dense operands of every kernel's
// widths (the vector row copies and transpositions) and compares with the
// definition of the packed layouts.
func TestDensePackingMatchesLoops(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	for _, width := range []int{4, 6, 8, 12, 16, 32} {
		for _, trans := range []bool{false, true} {
			const kc, stride = 13, 45
			data := randSlice(r, 50*stride)
			d := Dense{Data: data, Stride: stride, Trans: trans}
			for _, n := range []int{width, width - 1} {
				got := randSlice(r, kc*width)
				d.PackB(got, width, 3, kc, 2, n)
				for p := 0; p < kc; p++ {
					for j := 0; j < width; j++ {
						want := float32(0)
						if j < n {
							if trans {
								want = data[(2+j)*stride+3+p]
							} else {
								want = data[(3+p)*stride+2+j]
							}
						}
						if got[p*width+j] != want {
							t.Fatalf("PackB width %d trans %v n %d: [%d][%d] = %v, want %v", width, trans, n, p, j, got[p*width+j], want)
						}
					}
				}
				got = randSlice(r, kc*width)
				d.PackA(got, width, 2, n, 3, kc)
				for p := 0; p < kc; p++ {
					for i := 0; i < width; i++ {
						want := float32(0)
						if i < n {
							if trans {
								want = data[(3+p)*stride+2+i]
							} else {
								want = data[(2+i)*stride+3+p]
							}
						}
						if got[p*width+i] != want {
							t.Fatalf("PackA width %d trans %v n %d: [%d][%d] = %v, want %v", width, trans, n, p, i, got[p*width+i], want)
						}
					}
				}
			}
		}
	}
}
