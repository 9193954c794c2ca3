package classifier

import (
	"bytes"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// TestAugmentMirrorsAndShifts checks each draw of augmentBatch against a
// direct reading of its definition: output pixel (y, x) is the input pixel
// (clamp(y−dy), mirror(clamp(x−dx))). The draws are replayed from the same
// seed, so the test also pins the order in which they are made.
func TestAugmentMirrorsAndShifts(t *testing.T) {
	const n, channels, size = 40, 3, 32
	src := make([]uint8, n*channels*size*size)
	for i := range src {
		src[i] = uint8(i*7 + i/size)
	}
	got := bytes.Clone(src)
	augmentBatch(got, n, channels, size, tensor.NewRNG(3))

	g := tensor.NewRNG(3)
	flips, shifted := 0, 0
	for i := 0; i < n; i++ {
		flip := g.Float64() < 0.5
		dy, dx := g.IntN(2*maxShift+1)-maxShift, g.IntN(2*maxShift+1)-maxShift
		if flip {
			flips++
		}
		if dy != 0 || dx != 0 {
			shifted++
		}
		for c := 0; c < channels; c++ {
			base := (i*channels + c) * size * size
			for y := 0; y < size; y++ {
				for x := 0; x < size; x++ {
					sy := min(max(y-dy, 0), size-1)
					sx := min(max(x-dx, 0), size-1)
					if flip {
						sx = size - 1 - sx
					}
					if want := src[base+sy*size+sx]; got[base+y*size+x] != want {
						t.Fatalf("image %d (flip %t, shift %d,%d) channel %d pixel (%d,%d): %d, want %d", i, flip, dy, dx, c, y, x, got[base+y*size+x], want)
					}
				}
			}
		}
	}
	if flips == 0 || flips == n || shifted == 0 {
		t.Fatalf("%d of %d images mirrored, %d shifted: the draws are not random", flips, n, shifted)
	}

	// 8×8 images are mirrored only (16×16 ones shift by one pixel at most).
	small := []uint8{0, 1, 2, 3, 4, 5, 6, 7}
	img := make([]uint8, 64)
	for y := 0; y < 8; y++ {
		copy(img[y*8:], small)
	}
	for seed := uint64(0); seed < 8; seed++ {
		out := bytes.Clone(img)
		augmentBatch(out, 1, 1, 8, tensor.NewRNG(seed))
		if !bytes.Equal(out[:8], small) && !bytes.Equal(out[:8], []uint8{7, 6, 5, 4, 3, 2, 1, 0}) {
			t.Fatalf("seed %d: an 8×8 row became %v", seed, out[:8])
		}
	}
}
