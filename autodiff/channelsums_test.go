package autodiff

import (
	"math"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// TestChannelSums checks the bias gradient against the plain sum, one
// channel at a time in float64 over images then positions, bit for bit:
// channelSums sums eight channels side by side (vec.ChannelSums), which
// must not change any sum.
func TestChannelSums(t *testing.T) {
	rng := tensor.NewRNG(7)
	for _, shape := range [][]int{{3, 1, 5, 5}, {2, 3, 4, 4}, {4, 4, 3, 3}, {3, 5, 7, 7}, {2, 13, 8, 8}, {5, 17, 1, 1}} {
		g := rng.Normals(shape...)
		got := channelSums(g).Data()
		n, c := shape[0], shape[1]
		plane := shape[2] * shape[3]
		d := g.Data()
		for ch := 0; ch < c; ch++ {
			var s float64
			for i := 0; i < n; i++ {
				for _, v := range d[(i*c+ch)*plane : (i*c+ch+1)*plane] {
					s += float64(v)
				}
			}
			if want := float32(s); math.Float32bits(got[ch]) != math.Float32bits(want) {
				t.Errorf("%v channel %d: %v, want %v", shape, ch, got[ch], want)
			}
		}
	}
}
