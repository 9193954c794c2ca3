// Package weights opens trained generators for sampling and evaluation:
// checkpoints of this project's training runs, and PyTorch files — the
// released AutoGAN weights and the reference's training checkpoints —
// read without Python (internal/torchfile). It is apart from package nas
// so that the search does not link the PyTorch reader.
package weights

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/autogan-go/autogan/internal/pickle"
	"github.com/autogan-go/autogan/internal/torchfile"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/tensor"
)

// LoadTorch builds the generator of architecture spec from a
// PyTorch file: a bare generator state_dict (the released weights of
// autogan_cifar10_{a,b,c}), or a training checkpoint of the reference
// holding avg_gen_state_dict (the EMA generator, used when present, as
// test.py does) or gen_state_dict. Released names (autogan_cifar10_*) use
// the released layout; 14-integer architectures use the search-space
// layout of train_derived.py. The widths are read from the weights.
func LoadTorch(path, spec string) (nas.Generator, error) {
	v, err := torchfile.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sd := v
	if d, ok := v.(*pickle.Dict); ok {
		for _, key := range []string{"avg_gen_state_dict", "gen_state_dict", "state_dict"} {
			if inner, ok := d.Get(key); ok {
				sd = inner
				break
			}
		}
	}
	_, ts, err := torchfile.StateDict(sd)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	l1, ok1 := ts["l1.weight"]
	rgb, ok2 := ts["to_rgb.2.weight"]
	if !ok1 || !ok2 || len(l1.Shape) != 2 || len(rgb.Shape) != 4 {
		return nil, fmt.Errorf("%s: not an AutoGAN generator state dict (no l1.weight / to_rgb.2.weight)", path)
	}
	gf, latent := rgb.Shape[1], l1.Shape[1]
	if gf <= 0 || latent <= 0 || l1.Shape[0] <= 0 {
		return nil, fmt.Errorf("%s: l1.weight %v and to_rgb.2.weight %v give no generator widths (a zero dimension)", path, l1.Shape, rgb.Shape)
	}
	bw := int(math.Round(math.Sqrt(float64(l1.Shape[0]) / float64(gf))))
	if bw*bw*gf != l1.Shape[0] {
		return nil, fmt.Errorf("%s: l1.weight %v does not fit gf %d", path, l1.Shape, gf)
	}
	var values int64
	for _, t := range ts {
		values += int64(t.Numel())
	}
	if err := nas.CheckWeightsFit(gf, bw, latent, values); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	g, err := nas.NewGenerator(spec, gf, bw, latent, tensor.NewRNG(0))
	if err != nil {
		return nil, err
	}
	tensors := make(map[string]*tensor.Tensor, len(ts))
	for name, t := range ts {
		if t.F32 != nil {
			tensors[name] = tensor.FromSlice(t.F32, t.Shape...)
			continue
		}
		vals := make([]float32, len(t.I64))
		for i, x := range t.I64 {
			vals[i] = float32(x)
		}
		tensors[name] = tensor.FromSlice(vals, t.Shape...)
	}
	if err := layers.LoadStateDict(g, tensors, true); err != nil {
		return nil, fmt.Errorf("%s (architecture %s, layout %s): %w", path, spec, layoutOf(spec), err)
	}
	g.SetTraining(false)
	return g, nil
}

func layoutOf(spec string) string {
	if _, ok := nas.Released[spec]; ok {
		return "released models"
	}
	return "search space (train_derived.py)"
}

// ErrNeedsArch is wrapped by Open's error for a PyTorch file opened
// without an architecture: the file holds weights only, so the caller must
// name the architecture they belong to.
var ErrNeedsArch = errors.New("give its architecture (autogan_cifar10_a, or 14 integers)")

// Open loads a generator for sampling or evaluation from a
// checkpoint of cmd/train (its EMA weights with the live batch-norm
// statistics, as the reference evaluates) or from a PyTorch file (see
// LoadTorch; arch is required then, and for a project checkpoint
// it must be empty or equal the trained architecture). The generator is in
// eval mode.
func Open(path, arch string) (nas.Generator, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	f.Close()
	if torchfile.IsTorchFile(head[:n]) {
		if arch == "" {
			return nil, fmt.Errorf("%s is a PyTorch file: %w", path, ErrNeedsArch)
		}
		g, err := LoadTorch(path, arch)
		if err != nil {
			return nil, err
		}
		return g, checkFinite(path, g)
	}
	g, cfg, err := nas.LoadGenerator(path)
	if err != nil {
		return nil, err
	}
	if err := checkFinite(path, g); err != nil {
		return nil, err
	}
	if arch != "" {
		want, err := nas.Parse(arch)
		if err != nil {
			return nil, err
		}
		if have := g.Arch().String(); want.String() != have {
			named := "" // the name it was trained under, when it has one
			if cfg.Arch != have {
				named = " (" + cfg.Arch + ")"
			}
			return nil, fmt.Errorf("%s holds architecture %s%s, not %s", path, have, named, arch)
		}
	}
	return g, nil
}

// checkFinite refuses a generator with a NaN or infinite weight or buffer
// (a diverged training's): its images would be NaN, which cmd/sample would
// write as black pixels and cmd/eval score as if they were images.
func checkFinite(path string, g nas.Generator) error {
	for _, e := range g.State("") {
		t := e.Tensor()
		if t == nil {
			continue
		}
		for _, v := range t.Data() {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("%s: %s holds %v: the generator diverged, its weights cannot make images", path, e.Name, v)
			}
		}
	}
	return nil
}
