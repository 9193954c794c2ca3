package tensor

import (
	"github.com/autogan-go/autogan/internal/buffer"
	"github.com/autogan-go/autogan/internal/gemm"
	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/internal/vec"
	"github.com/autogan-go/autogan/internal/winograd"
)

// Winograd convolution, F(4×4, 3×3) (Lavin and Gray, "Fast Algorithms for
// Convolutional Neural Networks", CVPR 2016). The output is cut into 4×4
// tiles; a tile needs the 6×6 block of the (zero-padded) input around it.
// With V = Bᵀ·d·B the transform of an input block of channel c and
// U = G·w·Gᵀ that of the filter from c to output channel o, the tile is
//
//	Y = Aᵀ·[Σ_c U(o,c) ⊙ V(c)]·A
//
// The sum over channels is, for each of the 36 positions ξ of the 6×6
// transform, an ordinary matrix product M_ξ = U_ξ·V_ξ (O×C times C×tiles),
// which runs on the GEMM micro-kernels: 36·O·C multiplications per tile of
// 16 outputs instead of the 144·O·C of the direct method, a factor 4.
//
// The transforms are fused into the packing: the input transform writes
// V_ξ straight into the layout of a packed B operand, the kernels write
// M_ξ into a small buffer of the task, and the output transform reads it
// from there, adds the bias and applies the ReLU. Work is split into tasks
// of a fixed number of consecutive tiles; every output value is computed by
// one task in a fixed order, so results do not depend on the number of
// workers.

// panelStride returns the distance between two of the 36 panels (one per
// position ξ) of a Winograd operand of n values each: n and a cache line
// more. The transforms and the filter kernels read or write the 36 panels
// side by side, and panels a multiple of 4 KiB apart fall into the same
// sets of the L1 cache and evict each other (the weight gradient's
// transforms ran up to seven times slower, the filter gradients 2.6 times:
// BenchmarkInput and BenchmarkWeightGrads in package winograd).
func panelStride(n int) int { return n + 16 }

// winoGeom is the tiling of one Winograd convolution (stride 1, 3×3).
type winoGeom struct {
	n, c, h, w int // input N×C×H×W
	o, oh, ow  int // output O×OH×OW
	ph, pw     int // zero padding of the input
	th, tw     int // tiles per image: ⌈OH/4⌉ × ⌈OW/4⌉
	hp, wp     int // padded input plane: 4·th+2 rows of 4·tw+2 values (see paddedTiles)
}

func newWinoGeom(s convShape) winoGeom {
	g := winoGeom{n: s.n, c: s.c, h: s.h, w: s.w, o: s.o, oh: s.oh, ow: s.ow, ph: s.ph, pw: s.pw}
	g.th, g.tw = (s.oh+winograd.Tile-1)/winograd.Tile, (s.ow+winograd.Tile-1)/winograd.Tile
	g.hp, g.wp = winograd.Tile*g.th+2, winograd.Tile*g.tw+2
	return g
}

func (g winoGeom) tiles() int { return g.n * g.th * g.tw }

// full reports whether the output is a whole number of tiles.
func (g winoGeom) full() bool { return g.oh%winograd.Tile == 0 && g.ow%winograd.Tile == 0 }

// paddedTiles holds the padded input rows that a task's tiles read: only
// the rows of its tiles, with zeros around the image, copied just before
// the input transform reads them. They stay in the cache; a padded copy
// of the whole input, made once per convolution, went to memory and came
// back (it cost 4% of a generator step in an earlier version).
type paddedTiles struct {
	segs  []padSegment
	buf   []float32
	plane int // values per channel
}

// padSegment is a run of consecutive tile rows, ty0 to ty1, of image n;
// its 4·(ty1−ty0+1)+2 padded rows of wp values start at base in each
// channel's plane.
type padSegment struct{ n, ty0, ty1, base int }

// layout plans the rows of tiles t0 to t0+cnt−1 (one segment per image, in
// order) for up to kc channels at once and writes into in the offset of
// every lane's tile; lanes past cnt repeat the last tile.
func (p *paddedTiles) layout(g winoGeom, t0, cnt, kc int, in []int32) {
	p.segs = p.segs[:0]
	per := g.th * g.tw
	p.plane = 0
	for t := t0; t < t0+cnt; {
		n, ty0, _ := g.tileOrigin(t)
		last := min(t0+cnt, (n+1)*per) - 1
		_, ty1, _ := g.tileOrigin(last)
		p.segs = append(p.segs, padSegment{n: n, ty0: ty0, ty1: ty1, base: p.plane})
		p.plane += (winograd.Tile*(ty1-ty0+1) + 2) * g.wp
		t = last + 1
	}
	if need := kc*p.plane + 8; cap(p.buf) < need {
		buffer.Put(p.buf)
		p.buf = buffer.Get(need)
	}
	for j := range in {
		n, ty, tx := g.tileOrigin(t0 + min(j, cnt-1))
		s := p.segs[n-p.segs[0].n]
		in[j] = int32(s.base + winograd.Tile*((ty-s.ty0)*g.wp+tx))
	}
}

// fill copies channels c0 to c0+kc−1 of x (N×C×H×W) into the planned
// rows and returns them: kc planes of p.plane values, and the eight values
// of slack that the transform kernels read past the last row. Each plane is
// cleared whole and then gets its image rows, all the rows of a segment in
// one vec.CopyRows (clearing per row, or setting the borders value by
// value, was slower; a memmove call per row of 8 or 16 values cost more
// than the copy: the demo's 8×8 convolutions ran 10% faster without it).
// The copy prefetches the same rows of the next channel, one plane on:
// the rows of a segment are too short a run for the hardware prefetcher,
// and the padding copy is the first read of each activation (32-channel
// 32×32 convolutions ran 7 to 8% faster, BenchmarkConvAlgorithms).
func (p *paddedTiles) fill(g winoGeom, x []float32, c0, kc int) []float32 {
	dst := p.buf[:kc*p.plane+8]
	clear(dst[kc*p.plane:])
	for c := 0; c < kc; c++ {
		plane := dst[c*p.plane : (c+1)*p.plane]
		clear(plane)
		for _, s := range p.segs {
			src := x[(s.n*g.c+c0+c)*g.h*g.w:]
			to := plane[s.base:]
			// Row r of the segment is image row 4·ty0 + r − ph.
			rows := winograd.Tile*(s.ty1-s.ty0+1) + 2
			r0 := max(0, g.ph-winograd.Tile*s.ty0)
			r1 := min(rows, g.h+g.ph-winograd.Tile*s.ty0)
			if r0 < r1 {
				iy := winograd.Tile*s.ty0 + r0 - g.ph
				vec.CopyRows(to[r0*g.wp+g.pw:], g.wp, src[iy*g.w:], r1-r0, g.w, g.h*g.w)
			}
		}
	}
	return dst
}

func (p *paddedTiles) release() {
	buffer.Put(p.buf)
	p.buf = nil
}

// copyRow copies a row of an image: value by value when it is short, where
// a call to memmove would cost more than the copy.
func copyRow(dst, src []float32) {
	if len(src) > 64 {
		copy(dst, src)
		return
	}
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = v
	}
}

// tileOrigin returns the image of tile t (tiles are numbered image by
// image, row by row) and the tile's row and column in it.
func (g winoGeom) tileOrigin(t int) (n, ty, tx int) {
	per := g.th * g.tw
	n, t = t/per, t%per
	return n, t / g.tw, t % g.tw
}

// winoWeights transforms and packs the filters of a Winograd convolution
// with cout output and cin input channels: row ξ·opad + o, column c of the
// packed A operand holds U_ξ(o, c), the transform of
//
//	w[o][c]                           (forward), or
//	w[c][o] rotated by 180°           (flip: the input gradient, whose
//	                                   filters are the forward ones
//	                                   transposed and rotated)
//
// where w is stored O×C×3×3 with O = cout (forward) or cin (flip).
func winoWeights(w []float32, cout, cin int, flip bool) *gemm.PackedA {
	mr := gemm.Active().MR
	opad := (cout + mr - 1) / mr * mr
	rows := winograd.Points * opad
	// Staged transposed, u[c][ξ·opad + o], so that packing copies runs of
	// MR rows instead of transposing.
	u := buffer.Get(rows * cin)
	defer buffer.Put(u)
	// Chunks of about 128 filter pairs: at the demo's 32 channels a whole
	// layer is only 1,024 pairs.
	parallel.For(cin, max(1, 128/max(cout, 1)), func(lo, hi int) {
		for c := lo; c < hi; c++ {
			uc := u[c*rows : (c+1)*rows]
			// The filters from c to every output channel o: w[o][c]
			// (cin·9 values apart), or w[c][o] rotated (9 apart).
			if flip {
				winograd.Weights(uc, opad, w[c*cout*9:], 9, cout, true)
			} else {
				winograd.Weights(uc, opad, w[c*9:], cin*9, cout, false)
			}
			for o := cout; o < opad; o++ {
				for xi := 0; xi < winograd.Points; xi++ {
					uc[xi*opad+o] = 0
				}
			}
		}
	})
	return gemm.PackA(gemm.Dense{Data: u, Stride: rows, Trans: true}, rows, cin)
}

// winoConv computes the convolution of x with the filters packed by
// winoWeights (g.o output channels), plus bias (may be nil), clamped at zero
// with relu, into channels [chanOffset, chanOffset+O) of out, an
// N×chans×OH×OW tensor.
//
// A batch too large for the kernels' 32-bit offsets is computed in parts;
// every output tile is computed alike in any part, so the result does not
// depend on the cut.
func winoConv(x []float32, g winoGeom, ua *gemm.PackedA, bias []float32, relu bool, out []float32, chans, chanOffset int) {
	// Whole tiles are written straight into out when its offsets fit.
	nb := g.maxImages(chans)
	inPlace := g.full() && nb >= 1
	if !inPlace {
		nb = g.maxImages(0)
	}
	for i0 := 0; i0 < g.n; i0 += nb {
		part := g
		part.n = min(nb, g.n-i0)
		winoConvPart(x[i0*g.c*g.h*g.w:], part, ua, bias, relu, out[i0*chans*g.oh*g.ow:], chans, chanOffset, inPlace)
	}
}

// winoConvPart is winoConv for a batch whose offsets fit; with inPlace the
// output tiles are written straight into out, otherwise into a buffer of
// whole tiles and then copied.
func winoConvPart(x []float32, g winoGeom, ua *gemm.PackedA, bias []float32, relu bool, out []float32, chans, chanOffset int, inPlace bool) {
	oplane := g.oh * g.ow
	// Outputs that are not whole tiles are written to a padded buffer of
	// whole tiles first and copied.
	dst, dplane, dchans, doff, dw := out, oplane, chans, chanOffset, g.ow
	if !inPlace {
		dw = winograd.Tile * g.tw
		dplane, dchans, doff = winograd.Tile*g.th*dw, g.o, 0
		dst = buffer.Get(g.n * g.o * dplane)
		defer buffer.Put(dst)
	}
	kern := ua.Kernel()
	mr, nr := kern.MR, kern.NR
	opad := (g.o + mr - 1) / mr * mr
	// A task owns nt consecutive tiles: ns slivers of the kernel's NR.
	ns := winoTaskSlivers(g.c, nr)
	nt := ns * nr
	kcMax := min(gemm.KBlock, g.c)
	mXi := panelStride(opad * nt)
	tiles := g.tiles()
	parallel.For((tiles+nt-1)/nt, 1, func(lo, hi int) {
		vbuf := buffer.Get(winograd.Points * panelStride(ns*kcMax*nr))
		mbuf := buffer.Get(winograd.Points * mXi)
		var pad paddedTiles
		offs := make([]int32, 2*nt)
		in, outOffs := offs[:nt], offs[nt:]
		for task := lo; task < hi; task++ {
			t0 := task * nt
			cnt := min(nt, tiles-t0)
			// Lanes past the last tile repeat it; their results are dropped.
			pad.layout(g, t0, cnt, kcMax, in)
			for j := range outOffs {
				n, ty, tx := g.tileOrigin(t0 + min(j, cnt-1))
				outOffs[j] = int32((n*dchans+doff)*dplane + winograd.Tile*(ty*dw+tx))
			}
			for k0 := 0; k0 < g.c; k0 += gemm.KBlock {
				kc := min(gemm.KBlock, g.c-k0)
				xp := pad.fill(g, x, k0, kc)
				vXi := panelStride(ns * kc * nr)
				for s := 0; s < ns; s++ {
					winograd.Input(vbuf[s*kc*nr:], vXi, nr, xp, in[s*nr:(s+1)*nr], g.wp, pad.plane, kc)
				}
				beta := float32(0)
				if k0 > 0 {
					beta = 1
				}
				for xi := 0; xi < winograd.Points; xi++ {
					for is := 0; is < opad/mr; is++ {
						as := ua.Sliver(k0, xi*opad/mr+is)
						kern.TileRow(kc, as, vbuf[xi*vXi:], mbuf[xi*mXi+is*mr*nt:], nt, ns, 1, beta, nil, false)
					}
				}
			}
			winograd.Output(dst, outOffs[:cnt], dw, dplane, mbuf, mXi, nt, g.o, bias, relu)
		}
		buffer.Put(vbuf)
		buffer.Put(mbuf)
		pad.release()
	})
	if !inPlace {
		parallel.For(g.n*g.o, max(1, (1<<14)/max(oplane, 1)), func(lo, hi int) {
			for pl := lo; pl < hi; pl++ {
				n, o := pl/g.o, pl%g.o
				src := dst[pl*dplane:]
				to := out[(n*chans+chanOffset+o)*oplane:]
				for r := 0; r < g.oh; r++ {
					copy(to[r*g.ow:(r+1)*g.ow], src[r*dw:r*dw+g.ow])
				}
			}
		})
	}
}

// winoTaskSlivers returns how many slivers of nr tiles one task of the
// forward convolution takes: two, or at least 64 tiles when the input has
// at most 16 channels. A task pays fixed costs (planning its tiles, 36
// rounds of kernel calls, one call per sliver of A), and with few input
// channels a kernel call does only c multiply-adds per value it writes, so
// those costs weigh more: with the AVX2 kernels (NR = 16) the first layer
// of the discriminator, 3 channels in, took 1.45 ms with four slivers
// against 1.96 with two, the 32 → 3 input gradient 0.93 against 1.76, and
// 8 and 16 channels 3 to 10% less; wider inputs gain nothing measurable
// (BenchmarkConvAlgorithms, docs/performance.md). The AVX-512 kernel's two slivers are
// 64 tiles already. The tiles of a task are independent columns of the
// products, so the task size changes no result.
func winoTaskSlivers(c, nr int) int {
	if c <= 16 {
		return max(2, 64/nr)
	}
	return 2
}

// winoWeightGradTiles is the number of tiles whose transforms are held at
// once by the weight gradient: a multiple of gemm.KBlock, so that chunk
// boundaries fall on the GEMM's K-block boundaries. Adding chunk after chunk
// into du (beta = 1) then groups the sums exactly as one product over all
// tiles would, and the chunk size cannot change the result.
const winoWeightGradTiles = 2 * gemm.KBlock

// winoBackwardWeight returns the gradient of the filters (O×C×3×3) of a
// Winograd convolution from the input x and the output gradient dy,
//
//	dW(o, c) = Gᵀ·[Σ_tiles (A·dY·Aᵀ)(o) ⊙ V(c)]·G
//
// (the adjoint of the forward formula), added to acc in float64 and rounded
// once when add is set, written to acc otherwise. The sums over tiles are,
// for each ξ, a matrix product dU_ξ = dM_ξ·V_ξᵀ (O×tiles times tiles×C)
// accumulated chunk after chunk of winoWeightGradTiles tiles.
//
// A batch too large for the kernels' 32-bit offsets is taken in parts whose
// sums are added in order.
func winoBackwardWeight(dy, x []float32, g winoGeom, acc []float32, add bool) {
	kern := gemm.Active()
	swap := winoWeightGradSwap(g.c, g.o, kern.MR, kern.NR)
	// dU_ξ: O×C per ξ (C×O when swapped). The filter gradients below read
	// the 36 panels side by side, and O·C is often a multiple of 4 KiB.
	duXi := panelStride(g.o * g.c)
	du := buffer.Get(winograd.Points * duXi)
	defer buffer.Put(du)
	if g.n == 0 {
		clear(du) // no tiles: the gradient is zero
	}
	nb := g.maxImages(0)
	for i0 := 0; i0 < g.n; i0 += nb {
		part := g
		part.n = min(nb, g.n-i0)
		winoWeightGradPart(dy[i0*g.o*g.oh*g.ow:], x[i0*g.c*g.h*g.w:], part, du, duXi, i0 > 0, swap)
	}
	if swap {
		// Back to O×C: a transpose of 36·C·O values, few since a swap
		// means few input channels. Row c of dU_ξᵀ starts at c·O.
		dt := buffer.Get(winograd.Points * duXi)
		defer buffer.Put(dt)
		rows := make([]int, g.c)
		for c := range rows {
			rows[c] = c * g.o
		}
		parallel.For(winograd.Points, 1, func(lo, hi int) {
			for xi := lo; xi < hi; xi++ {
				gemm.Transpose(dt[xi*duXi:], g.c, du[xi*duXi:xi*duXi+g.c*g.o], rows, g.o)
			}
		})
		du = dt
	}
	// The filters from every input channel c to output channel o: their
	// dU_ξ are du[ξ·duXi + o·C + c].
	parallel.For(g.o, max(1, 64/max(g.c, 1)), func(lo, hi int) {
		for o := lo; o < hi; o++ {
			winograd.WeightGrads(acc[o*g.c*9:(o+1)*g.c*9], du[o*g.c:], duXi, g.c, add)
		}
	})
}

// winoWeightGradSwap reports whether the weight gradient's products are
// better taken transposed, dU_ξᵀ = V_ξ·dM_ξᵀ (C×tiles times tiles×O): the
// kernels compute whole MR×NR tiles, so the products cost in proportion to
// the rows rounded up to MR times the columns rounded up to NR, and with
// few input channels and many outputs (the discriminator's first layer,
// 3 channels in) the transposed products waste three times less (AVX2:
// 6×32 values per tile position instead of 36×16 at 3 → 32 channels).
// Each value is the same sum either way, the same multiply-adds in the
// same order (a·b = b·a exactly, and the K blocks are the same), so the
// choice changes no result; it depends only on the shape and the kernel.
func winoWeightGradSwap(c, o, mr, nr int) bool {
	up := func(v, m int) int { return (v + m - 1) / m * m }
	return up(c, mr)*up(o, nr) < up(o, mr)*up(c, nr)
}

// winoWeightGradPart adds the products dU_ξ of a batch whose offsets fit
// to du (dU_ξ at du[ξ·duXi:], O×C), or writes them when add is false;
// with swap it computes their transposes (C×O) instead.
func winoWeightGradPart(dy, x []float32, g winoGeom, du []float32, duXi int, add, swap bool) {
	// The output gradient as whole tiles (zeros past the edge).
	dyp, dw, dplane := dy, g.ow, g.oh*g.ow
	if !g.full() {
		dw, dplane = winograd.Tile*g.tw, winograd.Tile*g.th*winograd.Tile*g.tw
		dyp = buffer.Get(g.n * g.o * dplane)
		defer buffer.Put(dyp)
		parallel.For(g.n*g.o, max(1, (1<<14)/dplane), func(lo, hi int) {
			for pl := lo; pl < hi; pl++ {
				dst, src := dyp[pl*dplane:(pl+1)*dplane], dy[pl*g.oh*g.ow:]
				for r := 0; r < winograd.Tile*g.th; r++ {
					row := dst[r*dw : (r+1)*dw]
					if r >= g.oh {
						clear(row)
						continue
					}
					copy(row, src[r*g.ow:(r+1)*g.ow])
					clear(row[g.ow:])
				}
			}
		})
	}
	tiles := g.tiles()
	tc := min(winoWeightGradTiles, tiles)
	// The two operands of the products dU_ξ = dM_ξ·V_ξᵀ are laid out for
	// cheap packing, each differently (with swap, dM and V trade places):
	//
	//   - V_ξ is written by the input transform straight into the layout
	//     the micro-kernel reads (a gemm.PackedB with tiles as rows and
	//     channels as columns): the transform takes eight channels of a
	//     tile side by side, and a sliver of the packed operand holds NR
	//     (8, 16 or 32) channels of a tile side by side, so the products
	//     pack nothing. (Copying V from a tile-by-tile matrix into that
	//     layout cost 2% of a generator step.)
	//   - dM_ξ channel by channel (row o holds channel o for every tile),
	//     read in place by the kernels (gemm.Unpacked): MR rows side by
	//     side, each a sequential stream. Packing it meant a transpose of
	//     every sliver, 7% of the demo's training; read in place, the
	//     products even run faster, since a sliver of A meets only C/NR
	//     slivers of B here (one to eight), too few to pay for the copy
	//     (BenchmarkUnpacked in package gemm). The transform cannot
	//     write the packed layout itself: its eight lanes do not divide
	//     into slivers of 6 or 12 rows.
	//
	// The rows of the unpacked operand are padded to whole groups of eight
	// tiles and a cache line, and the 36 panels of each operand are
	// panelStride apart.
	kern := gemm.Active()
	nr := kern.NR
	rowsN, colsN := g.o, g.c // the products' M (read in place) and N (packed)
	if swap {
		rowsN, colsN = g.c, g.o
	}
	ld := (tc+winograd.Lanes-1)/winograd.Lanes*winograd.Lanes + 16
	vXi, mXi := panelStride(gemm.PackedBSize(kern, tc, colsN)), panelStride(rowsN*ld)
	vt := buffer.Get(winograd.Points * vXi) // packed: tc×colsN per ξ
	mt := buffer.Get(winograd.Points * mXi) // read in place: rowsN×tc per ξ
	defer buffer.Put(vt)
	defer buffer.Put(mt)
	probs := make([]gemm.Problem, winograd.Points)
	pb := make([]*gemm.PackedB, winograd.Points)
	for t0 := 0; t0 < tiles; t0 += tc {
		cnt := min(tc, tiles-t0)
		size := gemm.PackedBSize(kern, cnt, colsN)
		for xi := range pb {
			pb[xi] = gemm.NewPackedB(kern, cnt, colsN, vt[xi*vXi:xi*vXi+size])
		}
		lanes := (cnt + winograd.Lanes - 1) / winograd.Lanes * winograd.Lanes
		tblocks := (lanes + winoTileBlock - 1) / winoTileBlock
		cb, ob := (g.c+winoChanBlock-1)/winoChanBlock, (g.o+winoChanBlock-1)/winoChanBlock
		parallel.For(tblocks*(cb+ob), 1, func(lo, hi int) {
			var offs [winoTileBlock]int32
			var pad paddedTiles
			for it := lo; it < hi; it++ {
				tb, blk := it/(cb+ob), it%(cb+ob)
				j0 := tb * winoTileBlock
				// n tiles; lanes past the last one repeat it (the
				// products ignore them).
				n, nl := min(winoTileBlock, cnt-j0), min(winoTileBlock, lanes-j0)
				// The block's channels of x or dy: the offset of each
				// tile's block in its first channel, and its transform.
				var op winoOperand
				if blk < cb {
					c0 := blk * winoChanBlock
					k := min(winoChanBlock, g.c-c0)
					pad.layout(g, t0+j0, n, k, offs[:nl])
					op = winoOperand{transform: winograd.Input, src: pad.fill(g, x, c0, k), ld: g.wp, plane: pad.plane, ch0: c0, k: k, total: g.c}
				} else {
					o0 := (blk - cb) * winoChanBlock
					for j := 0; j < nl; j++ {
						nn, ty, tx := g.tileOrigin(t0 + j0 + min(j, n-1))
						offs[j] = int32(nn*g.o*dplane + winograd.Tile*(ty*dw+tx))
					}
					op = winoOperand{transform: winograd.GradOutput, src: dyp[o0*dplane:], ld: dw, plane: dplane, ch0: o0, k: min(winoChanBlock, g.o-o0), total: g.o}
				}
				if (blk < cb) == swap {
					op.transform(mt[op.ch0*ld+j0:], mXi, ld, op.src, offs[:nl], op.ld, op.plane, op.k)
				} else {
					op.packed(g, pb[0], nr, vt, vXi, t0, j0, offs[:n])
				}
			}
			pad.release()
		})
		beta := float32(0)
		if add || t0 > 0 {
			beta = 1
		}
		for xi := range probs {
			probs[xi] = gemm.Problem{M: rowsN, N: colsN, K: cnt, Alpha: 1, Beta: beta,
				A:       gemm.Unpacked{Data: mt[xi*mXi : xi*mXi+rowsN*ld], Stride: ld},
				PackedB: pb[xi],
				C:       du[xi*duXi : xi*duXi+rowsN*colsN], LDC: colsN}
		}
		gemm.Run(probs...)
	}
}

// One transform item of the weight gradient is a block of winoChanBlock
// channels (of x or of dy) of winoTileBlock tiles. The packed side's
// transform takes it a run of tiles of one tile row at a time (its kernel
// steps from tile to tile by a fixed stride), the other side's eight tiles
// at a time.
const winoChanBlock, winoTileBlock = 16, 64

// winoOperand is a block of k channels, ch0 to ch0+k−1 of total, of one
// operand of the weight gradient's products: the input (through
// winograd.Input) or the output gradient (through winograd.GradOutput).
// Channel p of a tile's block starts at src[off + p·plane], rows ld apart.
type winoOperand struct {
	transform     func(dst []float32, xiStride, pStride int, src []float32, offs []int32, ld, planeStride, count int)
	src           []float32
	ld, plane     int
	ch0, k, total int
}

// packed transforms the block for the tiles j0 … j0+len(offs)−1 of the
// chunk that starts at tile t0 (offs: where each tile's block starts in the
// first channel) into the packed operand whose 36 panels are vXi apart
// and whose layout place (NR = nr) gives: the channels side by side in the
// transform's lanes, one sliver of NR channels at a time, tile after tile.
func (op winoOperand) packed(g winoGeom, place *gemm.PackedB, nr int, vt []float32, vXi, t0, j0 int, offs []int32) {
	npad := (op.total + nr - 1) / nr * nr
	chans := (op.k + winograd.Lanes - 1) / winograd.Lanes * winograd.Lanes
	var lane [winoChanBlock]int32 // chans ≤ winoChanBlock
	n := len(offs)
	for ja := 0; ja < n; {
		// A run stays in one tile row (the kernel steps by a fixed stride
		// in the image) and in one K block (the packed rows are NR apart
		// only inside one).
		jb := min(g.tileRun(t0+j0, ja, n), ((j0+ja)/gemm.KBlock+1)*gemm.KBlock-j0)
		// Channel lanes, one sliver of NR channels at a time; lanes past
		// the last channel repeat it and land in the padding columns.
		for ca := 0; ca < chans; {
			cz := min(chans, (op.ch0+ca)/nr*nr+nr-op.ch0)
			for l := ca; l < cz; l++ {
				lane[l-ca] = int32(min(l, op.k-1)*op.plane) + offs[ja]
			}
			op.transform(vt[place.Index(j0+ja, op.ch0+ca):], vXi, nr, op.src, lane[:cz-ca], op.ld, winograd.Tile, jb-ja)
			ca = cz
		}
		// The last block's padding columns past the lanes get zeros.
		if op.ch0+op.k == op.total && op.ch0+chans < npad {
			for xi := 0; xi < winograd.Points; xi++ {
				for j := ja; j < jb; j++ {
					at := xi*vXi + place.Index(j0+j, op.ch0+chans)
					clear(vt[at : at+npad-op.ch0-chans])
				}
			}
		}
		ja = jb
	}
}

// tileRun returns the end of the run of tiles that starts at tile t0+ja
// and stays in its tile row: the first j ≤ n whose tile t0+j is in
// another row or image (tiles are numbered image by image, row by row).
func (g winoGeom) tileRun(t0, ja, n int) int {
	_, _, tx := g.tileOrigin(t0 + ja)
	return min(n, ja+g.tw-tx)
}
