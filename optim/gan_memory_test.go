package optim_test

import (
	"runtime"
	"testing"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/buffer"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// tinyGAN is a miniature of the reference's G and D: linear → BN → ReLU →
// upsample → conv → tanh, and spectrally normalised convs → sum pool →
// linear, trained with the hinge losses and Adam.
type tinyGAN struct {
	l1     *layers.Linear
	bn     *layers.BatchNorm2d
	conv   *layers.Conv2d
	d1, d2 *layers.SNConv2d
	l5     *layers.SNLinear
}

func newTinyGAN(g *tensor.RNG) *tinyGAN {
	return &tinyGAN{
		l1:   layers.NewLinear(16, 32*4*4, true, g),
		bn:   layers.NewBatchNorm2d(32),
		conv: layers.NewConv2d(32, 3, 3, 3, layers.Same(3), true, g),
		d1:   layers.NewSNConv2d(3, 32, 3, 3, layers.Same(3), true, g),
		d2:   layers.NewSNConv2d(32, 32, 3, 3, layers.Same(3), true, g),
		l5:   layers.NewSNLinear(32, 1, false, g),
	}
}

func (m *tinyGAN) gen(tp *autodiff.Tape, z *autodiff.Var) *autodiff.Var {
	h := tp.Reshape(m.l1.Forward(tp, z), -1, 32, 4, 4)
	h = tp.UpsampleNearest(tp.ReLU(m.bn.Forward(tp, h)), 8, 8)
	return tp.Tanh(m.conv.Forward(tp, h))
}

func (m *tinyGAN) dis(tp *autodiff.Tape, x *autodiff.Var) *autodiff.Var {
	h := m.d1.ForwardReLU(tp, x)
	h = tp.AvgPool2D(h, tensor.Pool2DConfig{KH: 2, KW: 2, StrideH: 2, StrideW: 2}, true)
	h = tp.ReLU(m.d2.Forward(tp, h))
	return m.l5.Forward(tp, tp.GlobalSumPool(h))
}

func genParams(m *tinyGAN) []layers.Entry {
	var es []layers.Entry
	for _, mod := range []layers.Module{m.l1, m.bn, m.conv} {
		es = append(es, layers.NamedParams(mod)...)
	}
	return es
}

func disParams(m *tinyGAN) []layers.Entry {
	var es []layers.Entry
	for _, mod := range []layers.Module{m.d1, m.d2, m.l5} {
		es = append(es, layers.NamedParams(mod)...)
	}
	return es
}

// TestTrainingStepMemoryIsFlat trains a tiny GAN for 100 D+G steps and
// requires the live heap (plus the buffer cache) after step 100 to be no
// larger than after step 20: intermediates are released, nothing piles up.
func TestTrainingStepMemoryIsFlat(t *testing.T) {
	g := tensor.NewRNG(1)
	m := newTinyGAN(g)
	optG := optim.NewAdam(genParams(m), 2e-4, 0, 0.9)
	optD := optim.NewAdam(disParams(m), 2e-4, 0, 0.9)
	real := g.Normals(8, 3, 8, 8)
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var at20 uint64
	var first, last float32
	for step := 1; step <= 100; step++ {
		// D step: fake batch without gradient, hinge loss.
		fake := m.gen(autodiff.NoGrad(), autodiff.Const(g.Normals(8, 16)))
		tp := autodiff.NewTape()
		dl := layers.HingeLossD(tp, m.dis(tp, autodiff.Const(real)), m.dis(tp, autodiff.Const(fake.Value)))
		optD.ZeroGrad()
		tp.Backward(dl)
		optD.Step()
		fake.Value.Release()
		// G step.
		tp = autodiff.NewTape()
		gl := layers.HingeLossG(tp, m.dis(tp, m.gen(tp, autodiff.Const(g.Normals(8, 16)))))
		loss := gl.Value.Item()
		optG.ZeroGrad()
		tp.Backward(gl)
		optG.Step()
		if step == 1 {
			first = loss
		}
		last = loss
		if step == 20 {
			at20 = live() + uint64(buffer.Cached())
		}
	}
	at100 := live() + uint64(buffer.Cached())
	t.Logf("live heap + buffer cache: %d KiB after step 20, %d KiB after step 100; G loss %v -> %v", at20>>10, at100>>10, first, last)
	if at100 > at20+256<<10 {
		t.Fatalf("memory grew from %d to %d bytes between steps 20 and 100", at20, at100)
	}
	if first == last {
		t.Fatal("the GAN did not train")
	}
}
