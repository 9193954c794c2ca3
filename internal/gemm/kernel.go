package gemm

import (
	"fmt"
	"os"
)

// A Kernel is a micro-kernel: it computes one MR×NR tile of C,
//
//	acc[i][j]  = Σ_p a[p*MR+i] · b[p*NR+j]           p = 0 … kc-1, in order
//	v          = alpha·acc[i][j] (+ beta·c[i*ldc+j] when beta != 0)
//	v          = max(0, v + bias[i])                 when bias / relu are given
//	c[i*ldc+j] = v
//
// reading kc·MR packed values of A and kc·NR packed values of B. When beta is
// zero C is only written, never read, so it may hold garbage (NaN) values.
// The bias (one value per row) and the ReLU are the fused epilogue of a
// layer; NaN passes through the ReLU, as in PyTorch.
type Kernel struct {
	Name   string
	MR, NR int
	// fn computes nb tiles: the sliver a with the nb consecutive slivers
	// of b, into nb consecutive tiles of c (columns j·NR … j·NR+NR−1).
	fn func(kc int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, relu bool, nb int)
	// fnStrided is fn reading A unpacked: value p of row i at a[i·lda+p].
	fnStrided func(kc int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, bias []float32, relu bool, nb int)
}

// Tile runs the kernel after checking that the slices are long enough, so
// that an assembly kernel can never touch memory it was not given. bias is
// nil or holds at least MR values.
func (k *Kernel) Tile(kc int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, relu bool) {
	k.TileRow(kc, a, b, c, ldc, 1, alpha, beta, bias, relu)
}

// TileRow computes nb tiles in one call: the sliver a of A with the nb
// consecutive slivers of B in b (kc·NR values each), into the nb tiles of C
// side by side from c (columns 0 … nb·NR−1). Each tile is what Tile
// computes; one call saves the cost of nb−1 calls, which matters when kc is
// small.
func (k *Kernel) TileRow(kc int, a, b, c []float32, ldc, nb int, alpha, beta float32, bias []float32, relu bool) {
	if nb < 1 || kc < 0 || len(a) < kc*k.MR || len(b) < nb*kc*k.NR || ldc < nb*k.NR || len(c) < (k.MR-1)*ldc+nb*k.NR || bias != nil && len(bias) < k.MR {
		panic(fmt.Sprintf("gemm: %s tiles: kc=%d nb=%d len(a)=%d len(b)=%d len(c)=%d ldc=%d len(bias)=%d", k.Name, kc, nb, len(a), len(b), len(c), ldc, len(bias)))
	}
	k.fn(kc, a, b, c, ldc, alpha, beta, bias, relu, nb)
}

// TileRowStrided is [Kernel.TileRow] with A read where it lies instead of
// packed: row i of the sliver (i < MR) is a[i·lda : i·lda+kc]. It computes
// the same bits as TileRow on the packed sliver; it saves the packing when
// A is used by few slivers of B (the Winograd weight gradient).
func (k *Kernel) TileRowStrided(kc int, a []float32, lda int, b, c []float32, ldc, nb int, alpha, beta float32, bias []float32, relu bool) {
	if nb < 1 || kc < 0 || lda < kc || len(a) < (k.MR-1)*lda+kc || len(b) < nb*kc*k.NR || ldc < nb*k.NR || len(c) < (k.MR-1)*ldc+nb*k.NR || bias != nil && len(bias) < k.MR {
		panic(fmt.Sprintf("gemm: %s strided tiles: kc=%d nb=%d len(a)=%d lda=%d len(b)=%d len(c)=%d ldc=%d len(bias)=%d", k.Name, kc, nb, len(a), lda, len(b), len(c), ldc, len(bias)))
	}
	k.fnStrided(kc, a, lda, b, c, ldc, alpha, beta, bias, relu, nb)
}

// genericMR and genericNR are the tile of the pure-Go kernel.
const genericMR, genericNR = 4, 8

// genericKernel is the portable micro-kernel. Products are rounded to
// float32 before they are added (float32(x*y)), which stops the compiler
// from fusing them into FMA instructions on GOAMD64=v3, arm64 and others: the
// pure-Go result is the same on every architecture.
func genericKernel(kc int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, relu bool, nb int) {
	for t := 0; t < nb; t++ {
		genericTile(kc, a, b[t*kc*genericNR:], c[t*genericNR:], ldc, alpha, beta, bias, relu)
	}
}

// genericTile computes one tile.
func genericTile(kc int, a, b, c []float32, ldc int, alpha, beta float32, bias []float32, relu bool) {
	var acc [genericMR * genericNR]float32
	a = a[:kc*genericMR]
	b = b[:kc*genericNR]
	for p := 0; p < kc; p++ {
		ap := a[p*genericMR : p*genericMR+genericMR]
		bp := b[p*genericNR : p*genericNR+genericNR]
		for i, av := range ap {
			row := acc[i*genericNR : i*genericNR+genericNR]
			for j, bv := range bp {
				row[j] += float32(av * bv)
			}
		}
	}
	for i := 0; i < genericMR; i++ {
		row := c[i*ldc : i*ldc+genericNR]
		for j := range row {
			v := float32(alpha * acc[i*genericNR+j])
			if beta != 0 {
				v += float32(beta * row[j])
			}
			row[j] = v
		}
		if bias != nil {
			applyEpilogue(row, bias[i], relu)
		} else if relu {
			applyEpilogue(row, 0, relu)
		}
	}
}

// genericKernelStrided packs the sliver of A and runs genericKernel: the
// pure-Go kernel gains nothing from reading A in place, and this way it
// computes exactly what genericKernel does.
func genericKernelStrided(kc int, a []float32, lda int, b, c []float32, ldc int, alpha, beta float32, bias []float32, relu bool, nb int) {
	var local [kcBlock * genericMR]float32
	packed := local[:]
	if kc > kcBlock { // only callers outside Run
		packed = make([]float32, kc*genericMR)
	}
	for p := 0; p < kc; p++ {
		for i := 0; i < genericMR; i++ {
			packed[p*genericMR+i] = a[i*lda+p]
		}
	}
	genericKernel(kc, packed[:kc*genericMR], b, c, ldc, alpha, beta, bias, relu, nb)
}

// applyEpilogue adds b to every value of row and clamps at zero when relu
// is set (NaN passes through).
func applyEpilogue(row []float32, b float32, relu bool) {
	for j, v := range row {
		v += b
		if relu && v < 0 {
			v = 0
		}
		row[j] = v
	}
}

// Generic is the pure-Go kernel, available everywhere.
var Generic = &Kernel{Name: "generic", MR: genericMR, NR: genericNR, fn: genericKernel, fnStrided: genericKernelStrided}

// Kernels lists every kernel this machine can run, the generic one first.
// The conformance tests run against each of them.
func Kernels() []*Kernel { return append([]*Kernel{Generic}, archKernels()...) }

// active is the kernel the package uses. It is chosen once at start-up and
// is the only package-level state of gemm (kernel dispatch).
var active = chooseKernel()

// Active returns the kernel in use.
func Active() *Kernel { return active }

func chooseKernel() *Kernel {
	ks := Kernels()
	if want := os.Getenv("AUTOGAN_GEMM_KERNEL"); want != "" {
		for _, k := range ks {
			if k.Name == want {
				return k
			}
		}
		fmt.Fprintf(os.Stderr, "gemm: AUTOGAN_GEMM_KERNEL=%q is not available here; using %s\n", want, ks[len(ks)-1].Name)
	}
	return ks[len(ks)-1] // the fastest: archKernels lists slower ones first
}
