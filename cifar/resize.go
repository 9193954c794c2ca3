package cifar

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/internal/parallel"
)

// PIL's resampling (Pillow, src/libImaging/Resample.c), which torchvision's
// Resize uses on PIL images and so the reference's data pipeline:
//
//   - The filter is the triangle (bilinear) filter, support 1. When
//     shrinking by a factor s > 1 it is stretched to support s: this is the
//     antialiasing that turns a 2× reduction into the weights
//     (1, 3, 3, 1)/8 and a 4× reduction into (1, 3, 5, 7, 7, 5, 3, 1)/32.
//   - The window of output pixel o is centred on (o + 0.5)·s; its bounds
//     are rounded, clipped to the image, and the weights renormalised, so
//     the borders use fewer taps.
//   - Weights are converted to 22-bit fixed point and the sums rounded
//     (add 2^21, shift by 22, clip to 0…255).
//   - The horizontal pass runs first and writes 8-bit pixels, which the
//     vertical pass reads.
const precisionBits = 32 - 8 - 2

// resampleCoeffs returns, for every output index, the first input index,
// the number of taps and the fixed-point weights (ksize per output).
func resampleCoeffs(in, out int) (bounds []int, ksize int, kk []int32) {
	scale := float64(in) / float64(out)
	filterscale := math.Max(scale, 1)
	support := 1 * filterscale
	ksize = int(math.Ceil(support))*2 + 1
	bounds = make([]int, 2*out)
	kk = make([]int32, out*ksize)
	k := make([]float64, ksize)
	for xx := 0; xx < out; xx++ {
		center := float64((float64(xx) + 0.5) * scale) // float64(…): never fused into an FMA, as Pillow computes it
		ss := 1 / filterscale
		xmin := int(center - support + 0.5)
		if xmin < 0 {
			xmin = 0
		}
		xmax := int(center + support + 0.5)
		if xmax > in {
			xmax = in
		}
		xmax -= xmin
		ww := 0.0
		for x := 0; x < xmax; x++ {
			w := triangle((float64(x+xmin) - center + 0.5) * ss)
			k[x] = w
			ww += w
		}
		for x := 0; x < ksize; x++ {
			v := 0.0
			if x < xmax && ww != 0 {
				v = k[x] / ww
			}
			if v < 0 {
				kk[xx*ksize+x] = int32(-0.5 + float64(v*(1<<precisionBits)))
			} else {
				kk[xx*ksize+x] = int32(0.5 + float64(v*(1<<precisionBits)))
			}
		}
		bounds[2*xx], bounds[2*xx+1] = xmin, xmax
	}
	return bounds, ksize, kk
}

func triangle(x float64) float64 {
	if x < 0 {
		x = -x
	}
	if x < 1 {
		return 1 - x
	}
	return 0
}

func clip8(v int64) uint8 {
	v >>= precisionBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// ResizePlane resizes one 8-bit plane from ih×iw to oh×ow exactly as PIL's
// Image.resize with the BILINEAR filter.
func ResizePlane(dst []uint8, oh, ow int, src []uint8, ih, iw int) {
	tmp := src
	if ow != iw {
		bounds, ksize, kk := resampleCoeffs(iw, ow)
		tmp = make([]uint8, ih*ow)
		for y := 0; y < ih; y++ {
			row := src[y*iw : (y+1)*iw]
			for x := 0; x < ow; x++ {
				xmin, n := bounds[2*x], bounds[2*x+1]
				ss := int64(1) << (precisionBits - 1)
				for t, w := range kk[x*ksize : x*ksize+n] {
					ss += int64(row[xmin+t]) * int64(w)
				}
				tmp[y*ow+x] = clip8(ss)
			}
		}
	}
	if oh == ih {
		copy(dst, tmp)
		return
	}
	bounds, ksize, kk := resampleCoeffs(ih, oh)
	for y := 0; y < oh; y++ {
		ymin, n := bounds[2*y], bounds[2*y+1]
		k := kk[y*ksize : y*ksize+n]
		for x := 0; x < ow; x++ {
			ss := int64(1) << (precisionBits - 1)
			for t, w := range k {
				ss += int64(tmp[(ymin+t)*ow+x]) * int64(w)
			}
			dst[y*ow+x] = clip8(ss)
		}
	}
}

// Resized returns d with every image resized to size×size as the
// reference's transforms.Resize(size) does on its square images: a PIL
// bilinear resize (antialiased when shrinking), or the image unchanged when
// it already has that size. Images are resized in parallel and kept in
// memory; the result is always a *Memory.
func Resized(d Dataset, size int) (*Memory, error) {
	c, h, w := d.Size()
	if h != w {
		return nil, fmt.Errorf("Resized: images are %d×%d; only square images are supported", h, w)
	}
	name := fmt.Sprintf("resized-%d", size)
	if m, ok := d.(*Memory); ok {
		name = fmt.Sprintf("%s@%d", m.Name, size)
		if h == size {
			return m, nil
		}
	}
	src, err := Load(name, d)
	if err != nil {
		return nil, err
	}
	if h == size {
		return src, nil
	}
	n := d.Len()
	out := &Memory{Name: name, C: c, H: size, W: size, Pixels: make([]uint8, n*c*size*size),
		Labels: src.Labels, ClassNames: src.ClassNames}
	parallel.For(n*c, 64, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			ResizePlane(out.Pixels[p*size*size:(p+1)*size*size], size, size, src.Pixels[p*h*w:(p+1)*h*w], h, w)
		}
	})
	return out, nil
}
