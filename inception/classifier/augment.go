package classifier

import "github.com/autogan-go/autogan/tensor"

// maxShift is the largest shift, in pixels, of a 32×32 image in the
// augmentation; smaller images shift in proportion (one pixel at 16×16,
// none at 8×8), so that every size sees the same relative jitter.
const maxShift = 2

// augmentBatch mirrors each of the n images of pix (channels×size×size
// bytes each) left to right with probability one half and shifts it by
// dy, dx ∈ [−s, s] pixels, s = maxShift·size/32, repeating the edge pixels
// into the uncovered border. The draws come from g in image order, so a
// training run stays deterministic.
func augmentBatch(pix []uint8, n, channels, size int, g *tensor.RNG) {
	plane := size * size
	tmp := make([]uint8, plane)
	for i := 0; i < n; i++ {
		flip := g.Float64() < 0.5
		dy, dx := 0, 0
		if s := maxShift * size / InputSize; s > 0 {
			dy, dx = g.IntN(2*s+1)-s, g.IntN(2*s+1)-s
		}
		if !flip && dy == 0 && dx == 0 {
			continue // drawn unchanged
		}
		for c := 0; c < channels; c++ {
			p := pix[(i*channels+c)*plane : (i*channels+c+1)*plane]
			copy(tmp, p)
			for y := 0; y < size; y++ {
				sy := min(max(y-dy, 0), size-1)
				for x := 0; x < size; x++ {
					sx := min(max(x-dx, 0), size-1)
					if flip {
						sx = size - 1 - sx
					}
					p[y*size+x] = tmp[sy*size+sx]
				}
			}
		}
	}
}
