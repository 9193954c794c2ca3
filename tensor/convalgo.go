package tensor

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/autogan-go/autogan/internal/gemm"
	"github.com/autogan-go/autogan/internal/winograd"
)

// convMode is the environment's choice of convolution algorithm,
// AUTOGAN_CONV: "direct" (im2col packing and GEMM for every convolution),
// "winograd" (every convolution that Winograd can compute: 3×3, stride 1,
// padding at most 2) or "auto" (the default: Winograd where the rule of
// [Policy] says it pays). It is read once at start-up, like the GEMM kernel.
var convMode = readConvMode()

func readConvMode() string {
	switch m := os.Getenv("AUTOGAN_CONV"); m {
	case "", "auto":
		return "auto"
	case "direct", "winograd":
		return m
	default:
		fmt.Fprintf(os.Stderr, "tensor: AUTOGAN_CONV=%q is not direct, winograd or auto; using auto\n", m)
		return "auto"
	}
}

// Thresholds of the automatic choice. Winograd replaces 9 products per
// output and channel pair by 2.25 and the im2col packing (9 values per
// pixel and input channel) by the input and output transforms (about 2
// values per pixel and channel), but transforms the filters once per call
// (about 100 ns per channel pair, the work of some 30 tiles of products).
// Measured on the layer shapes of this project (3 to 256 channels, 8×8 to
// 32×32 images, batches of 32 to 128; BenchmarkConvAlgorithms), every pass
// of every such layer is as fast or faster with Winograd, most by 2 to 7
// times; so the rule only asks for at least 3 input channels in each pass
// and images of at least 2×2 tiles (the filter transforms, paid once per
// call, are then amortised over the batches the project uses). The rule
// must not look at the batch size: a network's output for an image must
// not depend on the batch it is computed in (the evaluation and the
// generator are tested for it), and the two algorithms round differently.
const (
	winoMinChannels = 3 // input channels of the pass
	winoMinTiles    = 4 // 4×4 output tiles per image
)

// winogradOK reports whether Winograd F(4×4, 3×3) can compute s: a 3×3
// kernel, stride 1, padding at most 2 on each side (so that the input
// gradient, padded 2 − p, is one too), at least one channel in and out,
// and one image whose offsets fit the kernels' 32-bit tile addresses
// (larger batches are cut into calls that fit: the choice must not depend
// on the batch size).
func (s convShape) winogradOK() bool {
	if s.kh != 3 || s.kw != 3 || s.sh != 1 || s.sw != 1 || s.ph > 2 || s.pw > 2 || s.c < 1 || s.o < 1 {
		return false
	}
	return newWinoGeom(s).maxImages(0) >= 1 && newWinoGeom(s.inputGradient()).maxImages(0) >= 1
}

// inputGradient returns the convolution that computes the input gradient
// of the stride-1 convolution s: the output gradient (N×O×OH×OW) convolved
// with the filters transposed and rotated, padded k−1−p, gives N×C×H×W.
func (s convShape) inputGradient() convShape {
	return convShape{n: s.n, c: s.o, h: s.oh, w: s.ow, o: s.c, kh: s.kh, kw: s.kw, sh: 1, sw: 1,
		ph: s.kh - 1 - s.ph, pw: s.kw - 1 - s.pw, oh: s.h, ow: s.w}
}

// maxImages returns how many images of g one call of the transform
// kernels may cover: their 32-bit tile offsets index the output in whole
// tiles and, when chans > 0, an output tensor of chans channels per image.
// The padded input counts too: its rows are now copied task by task into
// small buffers, but the limit still includes it so that the cut of a huge
// batch, and with it the grouping of the weight gradient's sums, stays
// what it was. 0 means that not even one image fits.
func (g winoGeom) maxImages(chans int) int {
	in := g.c * g.hp * g.wp
	out := g.o * winograd.Tile * g.th * winograd.Tile * g.tw
	per := max(in, out, chans*g.oh*g.ow, 1)
	return (math.MaxInt32 - 64) / per
}

// convPass is one of the three computations of a convolution layer.
type convPass int

const (
	passForward    convPass = iota // y from x
	passInputGrad                  // dx from dy: a convolution of dy, whose channels are the layer's outputs
	passWeightGrad                 // dw from x and dy
)

// useWinograd decides the algorithm of one pass of the convolution s. In
// auto mode Winograd needs the channels its transforms are amortised over:
// the input channels of the pass (C for the forward pass, O for the input
// gradient, both for the weight gradient), and enough tiles.
func (s convShape) useWinograd(pass convPass) bool {
	switch convMode {
	case "direct":
		return false
	case "winograd":
		return s.winogradOK()
	}
	if g := newWinoGeom(s); !s.winogradOK() || g.th*g.tw < winoMinTiles {
		return false
	}
	switch pass {
	case passForward:
		return s.c >= winoMinChannels
	case passInputGrad:
		return s.o >= winoMinChannels
	}
	return s.c >= winoMinChannels && s.o >= winoMinChannels
}

// ConvPolicy describes how this process computes convolutions and matrix
// products. Blocking and algorithm depend only on the problem's shape, the
// instruction set and AUTOGAN_CONV, never on cache sizes or the number of
// workers, so two machines with the same policy compute the same bits; a
// run records it (config.json) to make that checkable.
type ConvPolicy struct {
	GEMMKernel string `json:"gemm_kernel"` // generic, avx2 or avx512 (AUTOGAN_GEMM_KERNEL)
	MR         int    `json:"gemm_mr"`     // rows of the micro-kernel's tile of C
	NR         int    `json:"gemm_nr"`     // columns of the micro-kernel's tile of C
	KC         int    `json:"gemm_kc"`     // depth of one K block
	ConvMode   string `json:"conv_mode"`   // direct, winograd or auto (AUTOGAN_CONV)
	// Winograd algorithm and tile size, and where its transforms run
	// ("avx2" assembly or "go"; both give the same bits).
	Winograd           string `json:"winograd"`
	WinogradTransforms string `json:"winograd_transforms"`
	// Rule is the per-layer choice in auto mode.
	Rule string `json:"rule"`
	// Build names the Go version, the target and, on amd64, the GOAMD64
	// level the program was built with: at GOAMD64=v3 Go's math library
	// fuses multiply-adds (see README, Reproducibility), so two runs compare
	// bit for bit only if their builds agree here too.
	Build string `json:"build"`
}

// Policy returns the [ConvPolicy] of this process.
func Policy() ConvPolicy {
	k := gemm.Active()
	tr := "go"
	if winograd.Accelerated() {
		tr = "avx2"
	}
	return ConvPolicy{
		GEMMKernel: k.Name, MR: k.MR, NR: k.NR, KC: gemm.KBlock, ConvMode: convMode,
		Winograd: "F(4x4,3x3)", WinogradTransforms: tr,
		Rule: fmt.Sprintf("auto: winograd for 3x3 stride-1 convolutions with padding <= 2 and at least %d output tiles of 4x4 per image (never depending on the batch size), in each pass whose input has at least %d channels (forward: C; input gradient: O; weight gradient: C and O); direct (im2col + GEMM) otherwise",
			winoMinTiles, winoMinChannels),
		Build: buildTarget(),
	}
}

// buildTarget is "go1.26.8 linux/amd64 GOAMD64=v1" (the level is the one
// the binary was built with; v1 when the build did not record it).
func buildTarget() string {
	s := fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if runtime.GOARCH != "amd64" {
		return s
	}
	level := "v1"
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, kv := range info.Settings {
			if kv.Key == "GOAMD64" {
				level = kv.Value
			}
		}
	}
	return s + " GOAMD64=" + level
}
