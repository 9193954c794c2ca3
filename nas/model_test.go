package nas

import (
	"testing"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// TestParameterCountsMatchReference compares with the counts measured on
// the reference code (PyTorch 1.13): shared G 3,716,995 at gf=128 and
// 14,315,267 at gf=256; D 1,053,824 at df=128.
func TestParameterCountsMatchReference(t *testing.T) {
	g := tensor.NewRNG(1)
	if n := layers.CountParams(NewSharedGenerator(128, 4, 128, g)); n != 3716995 {
		t.Errorf("shared G (gf 128) has %d parameters, the reference 3,716,995", n)
	}
	if n := layers.CountParams(NewSharedGenerator(256, 4, 128, g)); n != 14315267 {
		t.Errorf("shared G (gf 256) has %d parameters, the reference 14,315,267", n)
	}
	if n := layers.CountParams(NewDiscriminator(128, g)); n != 1053824 {
		t.Errorf("D (df 128) has %d parameters, the reference 1,053,824", n)
	}
}

func TestGeneratorAndDiscriminatorShapesPerStage(t *testing.T) {
	rng := tensor.NewRNG(2)
	gen := NewSharedGenerator(8, 4, 16, rng)
	if err := gen.InitReference(InitXavierUniform, rng); err != nil {
		t.Fatal(err)
	}
	d := NewDiscriminator(8, rng)
	d.InitReference(InitXavierUniform, rng)
	z := autodiff.Const(rng.Normals(3, 16))
	// Every combination of conv, norm and up for each cell, with skips and shortcut.
	for stage := 0; stage < 3; stage++ {
		for conv := ConvPost; conv <= ConvPre; conv++ {
			for norm := NormNone; norm <= NormInstance; norm++ {
				for up := UpBilinear; up <= UpDeconv; up++ {
					c := Cell{Conv: conv, Norm: norm, Up: up, Shortcut: true, Skip: (1 << stage) - 1}
					a := Arch{Cells: []Cell{{Conv: 1, Up: 1, Shortcut: true}, c, c}[:stage+1]}
					if stage == 0 {
						a.Cells[0] = Cell{Conv: conv, Norm: norm, Up: up, Shortcut: true}
					}
					gen.SetArch(a, stage)
					tp := autodiff.NewTape()
					img := gen.Forward(tp, z)
					side := 4 << (stage + 1)
					if s := img.Value.Shape(); s[0] != 3 || s[1] != 3 || s[2] != side || s[3] != side {
						t.Fatalf("stage %d arch %s: image shape %v", stage, a, s)
					}
					d.Stage = stage
					out := d.Forward(tp, img)
					if s := out.Value.Shape(); s[0] != 3 || s[1] != 1 {
						t.Fatalf("D output shape %v", s)
					}
					tp.Backward(tp.Mean(out, nil))
				}
			}
		}
	}
	// Unused alternatives receive no gradient.
	gen2 := NewSharedGenerator(8, 4, 16, rng)
	gen2.SetArch(MustParse("1 0 1 1"), 0)
	tp := autodiff.NewTape()
	tp.Backward(tp.Mean(gen2.Forward(tp, z), nil))
	if gen2.Cells[0].PostConv1.Conv.Weight.Grad != nil || gen2.Cells[1].PreConv1.Conv.Weight.Grad != nil {
		t.Fatal("an unused branch received a gradient")
	}
	if gen2.Cells[0].PreConv1.Conv.Weight.Grad == nil {
		t.Fatal("the used branch received no gradient")
	}
}

// TestReleasedModelParameterCounts: A 4,405,251, B 4,471,043 and C
// 4,406,275 parameters at gf = 256 (observed on the reference).
func TestReleasedModelParameterCounts(t *testing.T) {
	for name, want := range map[string]int{"autogan_cifar10_a": 4405251, "autogan_cifar10_b": 4471043, "autogan_cifar10_c": 4406275} {
		g, err := NewGenerator(name, 256, 4, 128, tensor.NewRNG(1))
		if err != nil {
			t.Fatal(err)
		}
		if n := layers.CountParams(g); n != want {
			t.Errorf("%s has %d parameters, the reference %d", name, n, want)
		}
	}
	if _, err := NewReleased(MustParse("0 0 1 1 1 0 0 1 1 1 0 1 0 3"), 8, 4, 8, tensor.NewRNG(1)); err == nil {
		t.Error("a post-activation cell was accepted in the released layout")
	}
}
