package gemm

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/buffer"
	"github.com/autogan-go/autogan/internal/parallel"
)

// Blocking constants. kcBlock is the depth of one pass of the micro-kernel.
// A task owns at most maxTaskRows rows and maxTaskCols columns of C. It
// packs its block of B (kcBlock×maxTaskCols, 384 KiB) once per K block and
// keeps it in L2; one packed sliver of A (kcBlock×MR) at a time stays in
// L1 while the slivers of B stream past it. Rows are not limited by a cache:
// a sliver of A is read once per block of B, so more rows per task only
// mean fewer re-packings of B.
const (
	kcBlock     = 384
	maxTaskRows = 1536
	maxTaskCols = 256
)

// KBlock is kcBlock for drivers outside the package that run the kernels
// on a [PackedA] themselves (the Winograd convolution): K is cut into
// blocks of KBlock, the last one shorter, and a tile of C accumulates the
// blocks in order (beta = 1 after the first).
const KBlock = kcBlock

// Problem is one multiplication
//
//	C = act(alpha·A·B + beta·C + bias)
//
// with A of size M×K, B of size K×N and C of size M×N stored row-major with
// row stride LDC. Bias (optional, length M: one value per row) is added to
// every value of its row of C after the product; ReLU (optional) then clamps at zero. Both run on a tile of C
// while it is still in cache, which saves a pass over memory.
//
// A is given either as a source (packed by Run) or already packed with
// [PackA], which lets several problems share one packing of the same A.
// B is given either as a source (each task packs its block of columns) or
// as a [PackedB] that its producer wrote in the kernel's layout, which
// saves the copy.
type Problem struct {
	M, N, K     int
	Alpha, Beta float32
	A           ASource
	PackedA     *PackedA
	B           BSource
	PackedB     *PackedB
	C           []float32
	LDC         int
	Bias        []float32
	ReLU        bool
}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices, with
// op(X) = Xᵀ when the matching trans flag is set. op(A) is m×k, op(B) is k×n
// and C is m×n; lda, ldb and ldc are the row strides of the stored matrices.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	checkMatrix("A", a, ar, ac, lda)
	checkMatrix("B", b, br, bc, ldb)
	Run(Problem{M: m, N: n, K: k, Alpha: alpha, Beta: beta,
		A: Dense{a, lda, transA}, B: Dense{b, ldb, transB}, C: c, LDC: ldc})
}

func checkMatrix(name string, x []float32, rows, cols, stride int) {
	if rows < 0 || cols < 0 || stride < cols || (rows > 0 && cols > 0 && stride < 1) {
		panic(fmt.Sprintf("gemm: %s is %d×%d with stride %d", name, rows, cols, stride))
	}
	if rows > 0 && cols > 0 && len(x) < (rows-1)*stride+cols {
		panic(fmt.Sprintf("gemm: %s is %d×%d with stride %d but has only %d elements", name, rows, cols, stride, len(x)))
	}
}

// PackedA is the left operand of a multiplication packed once for the
// active kernel, for all K blocks. Problems that share an A (the weights of
// a convolution applied to every image of a batch) share one PackedA.
type PackedA struct {
	kern *Kernel
	M, K int
	mpad int // M rounded up to a multiple of MR
	data []float32
}

// PackA packs the m×k operand src for the active kernel. The storage comes
// from the buffer cache; Release returns it when the packing is no longer
// needed (a PackedA that is not released is garbage collected as usual).
func PackA(src ASource, m, k int) *PackedA { return packAWith(active, src, m, k) }

func packAWith(kern *Kernel, src ASource, m, k int) *PackedA {
	slivers := (m + kern.MR - 1) / kern.MR
	p := newPackedA(kern, m, k, buffer.Get(slivers*kern.MR*k))
	parallel.For(p.packItems(), 1, func(lo, hi int) {
		for it := lo; it < hi; it++ {
			p.packItem(src, it)
		}
	})
	return p
}

// Release hands the packed values back to the buffer cache; p must not be
// used afterwards.
func (p *PackedA) Release() {
	buffer.Put(p.data)
	p.data = nil
}

func newPackedA(kern *Kernel, m, k int, data []float32) *PackedA {
	mr := kern.MR
	slivers := (m + mr - 1) / mr
	return &PackedA{kern: kern, M: m, K: k, mpad: slivers * mr, data: data[:slivers*mr*k]}
}

// packGroup is the number of slivers one packing item covers: an item is
// one K block of up to packGroup slivers, packed independently of the
// others.
const packGroup = 16

func (p *PackedA) packItems() int {
	groups := (p.mpad/p.kern.MR + packGroup - 1) / packGroup
	return (p.K + kcBlock - 1) / kcBlock * groups
}

func (p *PackedA) packItem(src ASource, it int) {
	mr := p.kern.MR
	groups := (p.mpad/mr + packGroup - 1) / packGroup
	k0 := (it / groups) * kcBlock
	kc := min(kcBlock, p.K-k0)
	s0 := (it % groups) * packGroup
	i0 := s0 * mr
	mc := min(packGroup*mr, p.M-i0)
	src.PackA(p.data[k0*p.mpad+s0*kc*mr:], mr, i0, mc, k0, kc)
}

// sliver returns sliver s of the K block that starts at k0 and is kc deep.
func (p *PackedA) sliver(k0, kc, s int) []float32 {
	off := k0*p.mpad + s*kc*p.kern.MR
	return p.data[off : off+kc*p.kern.MR]
}

// Sliver returns rows s·MR … s·MR+MR−1 of the K block that starts at k0
// (a multiple of [KBlock]), packed for [PackedA.Kernel]: the a operand of
// one [Kernel.Tile] call with kc = min(KBlock, K−k0). Rows past M are zeros.
func (p *PackedA) Sliver(k0, s int) []float32 {
	if k0 < 0 || k0%kcBlock != 0 || k0 >= p.K || s < 0 || s*p.kern.MR >= p.mpad {
		panic(fmt.Sprintf("gemm: sliver %d of K block %d of a packed %d×%d operand", s, k0, p.M, p.K))
	}
	return p.sliver(k0, min(kcBlock, p.K-k0), s)
}

// Kernel returns the kernel p was packed for.
func (p *PackedA) Kernel() *Kernel { return p.kern }

// PackedB is the right operand of a multiplication, K×N, in the layout the
// micro-kernel reads, for all K blocks. Run packs a [BSource] block by
// block in every task; a producer that can write its values straight into
// this layout (the Winograd weight gradient's input transform does) saves
// that copy.
//
// K is cut into blocks of [KBlock], the last one shorter. Block k0, kc deep,
// starts at k0·Np, where Np is N rounded up to a multiple of NR; in it, sliver s
// (columns s·NR … s·NR+NR−1) starts at s·kc·NR and holds its kc rows one
// after the other. [PackedB.Index] gives the place of B[k][j]; the rows of
// a sliver are NR apart. Columns past N are multiplied like the others and
// their results dropped; they should hold finite values (zeros), since
// garbage could be subnormal, which slows some CPUs down.
type PackedB struct {
	kern *Kernel
	K, N int
	npad int // N rounded up to a multiple of NR
	data []float32
}

// PackedBSize returns the number of values a k×n [PackedB] for kern holds.
func PackedBSize(kern *Kernel, k, n int) int {
	return k * ((n + kern.NR - 1) / kern.NR * kern.NR)
}

// NewPackedB wraps data (at least [PackedBSize] values) as a k×n packed
// operand for kern. The caller writes the values, at [PackedB.Index], before
// it runs a problem on it.
func NewPackedB(kern *Kernel, k, n int, data []float32) *PackedB {
	if k < 0 || n < 0 || len(data) < PackedBSize(kern, k, n) {
		panic(fmt.Sprintf("gemm: %d values for a packed %d×%d operand of kernel %s, need %d", len(data), k, n, kern.Name, PackedBSize(kern, k, n)))
	}
	npad := (n + kern.NR - 1) / kern.NR * kern.NR
	return &PackedB{kern: kern, K: k, N: n, npad: npad, data: data[:k*npad]}
}

// Index returns the place of B[k][j] in the packed values, for k < K and
// j < N rounded up to a multiple of NR.
func (p *PackedB) Index(k, j int) int {
	k0 := k / kcBlock * kcBlock
	kc := min(kcBlock, p.K-k0)
	nr := p.kern.NR
	return k0*p.npad + j/nr*kc*nr + (k-k0)*nr + j%nr
}

// slivers returns the slivers of the K block that starts at k0 (kc deep)
// from column j0 (a multiple of NR) on.
func (p *PackedB) slivers(k0, kc, j0 int) []float32 {
	return p.data[k0*p.npad+j0*kc : k0*p.npad+kc*p.npad]
}

// task is one tile of C owned by one goroutine for the whole K loop.
type task struct {
	prob           int
	i0, mc, j0, nc int
}

// split cuts n into near-equal blocks of at most maxLen, each a multiple of
// unit except the last. It depends only on its arguments.
func split(n, maxLen, unit int) (blockLen int) {
	maxLen = max(unit, maxLen/unit*unit)
	blocks := (n + maxLen - 1) / maxLen
	per := (n + blocks - 1) / blocks
	return (per + unit - 1) / unit * unit
}

// Tasks should be big enough to amortise packing B and scheduling
// (minTaskFlops) but numerous enough to keep every worker busy (wantTasks
// per Run, shared among its problems) when the problems allow it.
const (
	minTaskFlops = 1 << 23
	wantTasks    = 8
)

// tileSize returns the rows and columns of C one task owns when a Run has
// problems problems. It depends only on the problem sizes and the kernel,
// never on the number of workers.
func tileSize(m, n, k, problems int, kern *Kernel) (rows, cols int) {
	rows = split(m, maxTaskRows, kern.MR)
	cols = split(n, maxTaskCols, kern.NR)
	flops := func(r, c int) int { return 2 * r * c * max(k, 1) }
	want := (wantTasks + problems - 1) / max(problems, 1)
	for (m+rows-1)/rows*((n+cols-1)/cols) < want {
		switch {
		// Narrower tiles first: splitting rows would pack B once more per task.
		case cols > 2*kern.NR && flops(rows, cols/2) >= minTaskFlops:
			cols = split(n, cols/2, kern.NR)
		case rows > kern.MR && flops(rows/2, cols) >= minTaskFlops:
			rows = split(m, rows/2, kern.MR)
		default:
			return rows, cols
		}
	}
	return rows, cols
}

// Run performs every problem, in parallel over tiles of C.
func Run(problems ...Problem) { runWith(active, problems) }

func runWith(kern *Kernel, problems []Problem) {
	packed := make([]*PackedA, len(problems))
	var tasks []task
	// The A operands to pack, all problems together, so that many small
	// problems still give every worker packing to do.
	type packJob struct {
		pa  *PackedA
		src ASource
		it  int
	}
	var packJobs []packJob
	for pi := range problems {
		p := &problems[pi]
		if p.M < 0 || p.N < 0 || p.K < 0 || p.LDC < max(p.N, 1) {
			panic(fmt.Sprintf("gemm: problem %d has M=%d N=%d K=%d LDC=%d", pi, p.M, p.N, p.K, p.LDC))
		}
		if p.M == 0 || p.N == 0 {
			continue
		}
		if len(p.C) < (p.M-1)*p.LDC+p.N {
			panic(fmt.Sprintf("gemm: C is %d×%d with stride %d but has only %d elements", p.M, p.N, p.LDC, len(p.C)))
		}
		if p.Bias != nil && len(p.Bias) < p.M {
			panic(fmt.Sprintf("gemm: bias has %d elements for %d rows", len(p.Bias), p.M))
		}
		if p.K > 0 && p.Alpha != 0 {
			switch {
			case p.PackedA != nil:
				pa := p.PackedA
				if pa.M != p.M || pa.K != p.K || pa.kern != kern {
					panic(fmt.Sprintf("gemm: packed A is %d×%d for kernel %s, problem needs %d×%d for %s", pa.M, pa.K, pa.kern.Name, p.M, p.K, kern.Name))
				}
				packed[pi] = pa
			case isUnpacked(p.A):
				// Read in place by the tasks.
			case p.A != nil:
				buf := buffer.Get((p.M + kern.MR) * p.K)
				defer buffer.Put(buf)
				pa := newPackedA(kern, p.M, p.K, buf)
				for it := range pa.packItems() {
					packJobs = append(packJobs, packJob{pa, p.A, it})
				}
				packed[pi] = pa
			default:
				panic("gemm: problem has neither A nor PackedA")
			}
			switch pb := p.PackedB; {
			case pb != nil:
				if pb.K != p.K || pb.N != p.N || pb.kern != kern {
					panic(fmt.Sprintf("gemm: packed B is %d×%d for kernel %s, problem needs %d×%d for %s", pb.K, pb.N, pb.kern.Name, p.K, p.N, kern.Name))
				}
			case p.B == nil:
				panic("gemm: problem has neither B nor PackedB")
			}
		}
		rows, cols := tileSize(p.M, p.N, p.K, len(problems), kern)
		for i0 := 0; i0 < p.M; i0 += rows {
			for j0 := 0; j0 < p.N; j0 += cols {
				tasks = append(tasks, task{pi, i0, min(rows, p.M-i0), j0, min(cols, p.N-j0)})
			}
		}
	}
	parallel.For(len(packJobs), 1, func(lo, hi int) {
		for _, j := range packJobs[lo:hi] {
			j.pa.packItem(j.src, j.it)
		}
	})
	parallel.For(len(tasks), 1, func(lo, hi int) {
		buf := buffer.Get(kcBlock*maxTaskCols + kern.MR*kern.NR + kcBlock*kern.MR)
		for _, t := range tasks[lo:hi] {
			runTask(kern, &problems[t.prob], packed[t.prob], t, buf)
		}
		buffer.Put(buf)
	})
}

// runTask computes one tile of C: all K blocks in order, then the epilogue.
func runTask(kern *Kernel, p *Problem, pa *PackedA, t task, buf []float32) {
	mr, nr, ldc := kern.MR, kern.NR, p.LDC
	if p.K == 0 || p.Alpha == 0 {
		for i := t.i0; i < t.i0+t.mc; i++ {
			row := p.C[i*ldc+t.j0 : i*ldc+t.j0+t.nc]
			for j := range row {
				if p.Beta == 0 {
					row[j] = 0
				} else {
					row[j] *= p.Beta
				}
			}
		}
		epilogue(p, t.i0, t.mc, t.j0, t.nc)
		return
	}
	tmp := buf[kcBlock*maxTaskCols : kcBlock*maxTaskCols+mr*nr]
	apack := buf[kcBlock*maxTaskCols+mr*nr:]
	u, unpacked := p.A.(Unpacked)
	for k0 := 0; k0 < p.K; k0 += kcBlock {
		kc := min(kcBlock, p.K-k0)
		var bpack []float32
		if p.PackedB != nil {
			bpack = p.PackedB.slivers(k0, kc, t.j0)
		} else {
			bpack = buf[:kcBlock*maxTaskCols]
			p.B.PackB(bpack, nr, k0, kc, t.j0, t.nc)
		}
		beta := p.Beta
		if k0 > 0 {
			beta = 1
		}
		last := k0+kc == p.K
		// One sliver of A (kc×MR: 9 KiB for AVX2, 18 KiB for AVX-512) stays in L1 while the slivers
		// of the packed B block stream past it from L2. (The other order, a
		// B sliver in L1, does not fit: kc×NR values are 24 KiB for AVX2 and
		// 48 KiB for AVX-512, beside the A slivers streaming through.)
		for is := 0; is*mr < t.mc; is++ {
			i := t.i0 + is*mr
			rows := min(mr, t.i0+t.mc-i)
			// The sliver of A: packed, or read in place (an Unpacked A's
			// full slivers; its last, partial one is packed here, with
			// zeros for the missing rows).
			var as []float32
			inPlace := unpacked && rows == mr
			switch {
			case inPlace:
				as = u.Data[i*u.Stride+k0:]
			case unpacked:
				as = apack[:kc*mr]
				u.PackA(as, mr, i, rows, k0, kc)
			default:
				as = pa.sliver(k0, kc, i/mr)
			}
			tiles := func(b, c []float32, ldc, nb int, beta float32, bias []float32, relu bool) {
				if inPlace {
					kern.TileRowStrided(kc, as, u.Stride, b, c, ldc, nb, p.Alpha, beta, bias, relu)
				} else {
					kern.TileRow(kc, as, b, c, ldc, nb, p.Alpha, beta, bias, relu)
				}
			}
			var bias []float32
			if last && p.Bias != nil && rows == mr {
				bias = p.Bias[i : i+mr]
			}
			// The full tiles of this row of C in one kernel call, then the
			// edge tile, if any.
			full := 0
			if rows == mr {
				full = t.nc / nr
				if full > 0 {
					tiles(bpack, p.C[i*ldc+t.j0:], ldc, full, beta, bias, last && p.ReLU)
				}
			}
			for js := full; js*nr < t.nc; js++ {
				bs := bpack[js*kc*nr : (js+1)*kc*nr]
				j := t.j0 + js*nr
				cols := min(nr, t.j0+t.nc-j)
				// Edge tile: compute the full tile into tmp, copy the valid part.
				// beta·C is added unfused here but fused in the assembly
				// kernels' full tiles; the two agree bit for bit only for
				// beta 0 and 1, the only values the project passes (a tile
				// that is full for one kernel can be an edge for another).
				tiles(bs, tmp, nr, 1, 0, nil, false)
				for r := 0; r < rows; r++ {
					dst := p.C[(i+r)*ldc+j : (i+r)*ldc+j+cols]
					src := tmp[r*nr : r*nr+cols]
					for c, v := range src {
						if beta != 0 {
							v += float32(beta * dst[c])
						}
						dst[c] = v
					}
				}
				if last {
					epilogue(p, i, rows, j, cols)
				}
			}
		}
	}
}

// epilogue adds the bias and applies the activation to a finished tile.
func epilogue(p *Problem, i0, rows, j0, cols int) {
	if p.Bias == nil && !p.ReLU {
		return
	}
	for i := i0; i < i0+rows; i++ {
		row := p.C[i*p.LDC+j0 : i*p.LDC+j0+cols]
		if p.Bias != nil {
			b := p.Bias[i]
			for j := range row {
				row[j] += b
			}
		}
		if p.ReLU {
			for j, v := range row {
				if v < 0 { // NaN passes through, as in PyTorch and the kernels
					row[j] = 0
				}
			}
		}
	}
}
