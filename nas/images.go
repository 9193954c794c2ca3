package nas

import (
	"fmt"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/tensor"
)

// Latents fills z (n×dim) with the latents of images start, …, start+n−1
// of the stream rng: image i's latent is drawn from N(0, 1) by its own
// child stream "z/i". A latent therefore depends only on (seed, i), never
// on how many images are generated or how the work is split, which is what
// lets cmd/sample reproduce exactly the images cmd/eval scored and lets an
// evaluation be sharded over a cluster with a bit-identical result.
func Latents(rng *tensor.RNG, start int, z *tensor.Tensor) {
	for r := 0; r < z.Dim(0); r++ {
		rng.Child(fmt.Sprint("z/", start+r)).FillNormal(z.Rows(r, r+1), 0, 1)
	}
}

// Forwarder is what Generate needs of a generator: the shared generator
// of the search (with its current architecture) or a derived one.
type Forwarder interface {
	Forward(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var
}

// Generate runs g on the latents z without recording gradients and returns
// the images (N×3×S×S in [−1, 1]), owned by the caller. The intermediates
// return to the buffer cache as soon as the pass ends.
func Generate(g Forwarder, z *tensor.Tensor) *tensor.Tensor {
	tp := autodiff.NoGrad()
	out := g.Forward(tp, autodiff.Const(z))
	tp.Keep(out)
	tp.Free()
	return out.Value
}

// GeneratedImages is the image source of a generator for the metrics:
// image i is g(latent i of rng) (see [Latents]) converted to uint8 pixels
// by truncating 127.5x + 127.5, as the reference's get_is and validate do.
// The generator must be in the mode the caller wants (eval mode for the
// reference protocol).
func GeneratedImages(g Generator, n int, rng *tensor.RNG) metrics.Images {
	return &generatedImages{g: g, n: n, rng: rng}
}

type generatedImages struct {
	g   Generator
	n   int
	rng *tensor.RNG
}

func (f *generatedImages) Len() int { return f.n }

func (f *generatedImages) Size() (h, w int) { return f.g.ImageSize(), f.g.ImageSize() }

func (f *generatedImages) Fill(start, n int, pix []uint8) error {
	if start < 0 || n < 0 || start+n > f.n {
		return fmt.Errorf("generated images %d..%d out of range [0, %d)", start, start+n, f.n)
	}
	z := tensor.New(n, f.g.LatentDim())
	Latents(f.rng, start, z)
	img := Generate(f.g, z)
	for i, v := range img.Data() {
		pix[i] = tensor.FloatToPixel(v)
	}
	img.Release()
	z.Release()
	return nil
}
