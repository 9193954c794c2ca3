package main

import (
	"fmt"

	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// ganWorkloads are torch_twin.py's gan_workloads: one step of the
// reference's GAN training with architecture A (the released
// autogan_cifar10_a generator) and the full stage-2 discriminator with
// spectral norm, both in training mode, Adam(2e-4, betas (0, 0.9)):
//
//	d_step: fresh z of D's batch, hinge loss on D(real) and D(G(z)) with the
//	        fake batch detached, Adam step on D
//	g_step: fresh z of G's batch, −mean(D(G(z))), Adam step on G
//	g_sample_b100: G in eval mode, no gradient, 100 samples
//
// "search" uses the search widths (gf 128, df 64), "derived" the training
// widths (gf 256, df 128). The steps are nas.DiscriminatorStep and
// nas.GeneratorStep themselves, the code every search and training runs.
func ganWorkloads() []workload {
	var ws []workload
	for _, c := range []struct {
		tag              string
		gf, df, gbs, dbs int
	}{{"search_gf128_df64", 128, 64, 128, 64}, {"derived_gf256_df128", 256, 128, 128, 64}} {
		setup := func() (*nas.ReleasedGenerator, *nas.Discriminator, *optim.Adam, *optim.Adam, *tensor.Tensor, *tensor.RNG) {
			g := tensor.NewRNG(42)
			gen, err := nas.NewReleased(nas.Released["autogan_cifar10_a"], c.gf, 4, 128, g)
			if err != nil {
				panic(err)
			}
			dis := nas.NewDiscriminator(c.df, g)
			og := optim.NewAdam(layers.NamedParams(gen), 2e-4, 0, 0.9)
			od := optim.NewAdam(layers.NamedParams(dis), 2e-4, 0, 0.9)
			real := tensor.New(c.dbs, 3, 32, 32)
			g.FillUniform(real, -1, 1)
			return gen, dis, og, od, real, g
		}
		ws = append(ws,
			workload{name: fmt.Sprintf("gan/%s/d_step_b%d", c.tag, c.dbs), setup: func() func() {
				gen, dis, _, od, real, g := setup()
				return func() { nas.DiscriminatorStep(gen, dis, od, real, g, 128) }
			}},
			workload{name: fmt.Sprintf("gan/%s/g_step_b%d", c.tag, c.gbs), setup: func() func() {
				gen, dis, og, _, _, g := setup()
				return func() { nas.GeneratorStep(gen, dis, og, g, c.gbs, 128) }
			}},
			workload{name: fmt.Sprintf("gan/%s/g_sample_b100", c.tag), setup: func() func() {
				gen, _, _, _, _, g := setup()
				return func() {
					z := g.Normals(100, 128)
					gen.SetTraining(false)
					img := nas.Generate(gen, z)
					gen.SetTraining(true)
					img.Release()
					z.Release()
				}
			}},
		)
	}
	return ws
}
