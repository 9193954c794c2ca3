package weights

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// FuzzOpenGenerator: the generator weights of sample and eval
// (-checkpoint) are user-supplied: a PyTorch .pth file (zip or legacy) or
// a checkpoint of cmd/train. Any bytes, with any architecture string, give
// an error or a generator that produces images of its size: never a
// panic, never a network larger than the file's weights can fill (a
// header or configuration claiming huge widths).
func FuzzOpenGenerator(f *testing.F) {
	for _, s := range []struct{ file, arch string }{
		{"gen_a_state_legacy.pth", "autogan_cifar10_a"},
		{"gen_c_state_zip.pth", "autogan_cifar10_c"},
	} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", s.file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, s.arch)
	}
	f.Add(smallTrainCheckpoint(f, "autogan_cifar10_a"), "")
	f.Add(smallTrainCheckpoint(f, "1 0 1 1 1 0 0 1 1 1 0 1 0 3"), "1,0,1,1,1,0,0,1,1,1,0,1,0,3")
	f.Fuzz(func(t *testing.T, data []byte, arch string) {
		p := filepath.Join(t.TempDir(), "g.pth")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		g, err := Open(p, arch)
		if err != nil {
			return
		}
		size, latent := g.ImageSize(), g.LatentDim()
		if size <= 0 || latent <= 0 {
			t.Fatalf("generator of image size %d, latent %d", size, latent)
		}
		img := nas.Generate(g, tensor.New(1, latent))
		if img.Rank() != 4 || img.Dim(0) != 1 || img.Dim(1) != 3 || img.Dim(2) != size || img.Dim(3) != size {
			t.Fatalf("images of shape %v, want [1 3 %d %d]", img.Shape(), size, size)
		}
	})
}

// smallTrainCheckpoint returns the bytes of a checkpoint of cmd/train's
// format holding a generator of architecture arch at widths small enough
// for fuzzing (gf 4, bottom width 2, latent 4).
func smallTrainCheckpoint(f *testing.F, arch string) []byte {
	cfg, err := nas.TrainPreset("tiny")
	if err != nil {
		f.Fatal(err)
	}
	cfg.Arch, cfg.GF, cfg.BottomWidth, cfg.ImgSize, cfg.Latent = arch, 4, 2, 16, 4
	g, err := nas.NewGenerator(cfg.Arch, cfg.GF, cfg.BottomWidth, cfg.Latent, tensor.NewRNG(1))
	if err != nil {
		f.Fatal(err)
	}
	cj, err := json.Marshal(cfg)
	if err != nil {
		f.Fatal(err)
	}
	w := ckpt.NewWriter()
	w.Meta("format", "autogan-go train v1")
	w.Meta("config", string(cj))
	layers.Save(w, "gen.", g)
	optim.NewEMA(layers.NamedParams(g), 0).Save(w, "ema.")
	p := filepath.Join(f.TempDir(), "small.safetensors")
	if err := w.Save(p); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		f.Fatal(err)
	}
	return b
}
