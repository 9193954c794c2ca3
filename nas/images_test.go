package nas

import (
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// TestGenerationIsBatchIndependent: in eval mode an image depends only on
// its latent, bit for bit, never on the other images of its batch. Sharded
// evaluation, cmd/sample's reproduction of evaluated images and the
// evaluator's free choice of batch size all rest on this.
func TestGenerationIsBatchIndependent(t *testing.T) {
	for _, spec := range []string{"0 1 2 1 1 2 0 1 1 0 2 2 0 3", "autogan_cifar10_a"} {
		g, err := NewGenerator(spec, 16, 4, 32, tensor.NewRNG(3))
		if err != nil {
			t.Fatal(err)
		}
		g.SetTraining(false)
		const n = 40
		rng := tensor.NewRNG(9)
		z := tensor.New(n, g.LatentDim())
		Latents(rng, 0, z)
		whole := Generate(g, z)
		per := whole.Len() / n
		for _, cut := range [][2]int{{0, 1}, {0, 13}, {13, n}, {8, 16}, {39, n}} {
			part := tensor.New(cut[1]-cut[0], g.LatentDim())
			Latents(rng, cut[0], part)
			img := Generate(g, part)
			want := whole.Data()[cut[0]*per : cut[1]*per]
			for i, v := range img.Data() {
				if v != want[i] {
					t.Fatalf("%s: images %d..%d generated alone differ from the batch of %d (element %d: %g vs %g)",
						spec, cut[0], cut[1], n, i, v, want[i])
				}
			}
		}
	}
}
