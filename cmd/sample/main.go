// Command sample generates images with a trained generator:
//
//	go run ./cmd/sample -checkpoint runs/train-demo/best.safetensors -n 64 -out grid.png
//	go run ./cmd/sample -checkpoint autogan_cifar10_a.pth -arch autogan_cifar10_a -n 50000 -out samples/
//	go run ./cmd/sample -checkpoint ckpt.pth -arch "1 0 1 1 1 0 0 1 1 1 0 1 0 3" -z z.npy -out out.npy
//
// -checkpoint is a checkpoint of cmd/train (its EMA generator is used, with
// the live batch-norm statistics) or a PyTorch file: a bare generator
// state_dict as the AutoGAN weights were released, or a training checkpoint
// holding avg_gen_state_dict (the EMA weights, used when present) and
// gen_state_dict. For PyTorch files -arch names the architecture
// (autogan_cifar10_{a,b,c} for the released layout, 14 integers for
// train_derived.py's search-space layout).
//
// Latents come from -z (an .npy array N×latent, float32 or float64) or are
// drawn from N(0, 1) with -n and -seed (image i from latent i of the seed).
// The generator runs in eval mode. -out ending in .png writes a grid, .npy
// the raw generator output (float32 N×3×H×W), anything else a folder of
// PNG files 000000.png, … (pixels uint8(127.5x + 127.5), truncated, as the
// reference saves them for FID).
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/cli"
	"github.com/autogan-go/autogan/internal/imgio"
	"github.com/autogan-go/autogan/internal/npy"
	"github.com/autogan-go/autogan/internal/torchfile"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/tensor"
)

func main() {
	checkpoint := flag.String("checkpoint", "", "generator checkpoint (cmd/train .safetensors, or PyTorch .pth)")
	arch := flag.String("arch", "", "architecture, for PyTorch files")
	zPath := flag.String("z", "", "latents (.npy, N×latent)")
	n := flag.Int("n", 64, "number of images (without -z)")
	seed := flag.Uint64("seed", 1, "seed of the latents (without -z)")
	out := flag.String("out", "samples.png", "output: .png grid, .npy array, or a folder")
	batch := flag.Int("batch", 100, "images per generator call")
	threads := flag.Int("threads", runtime.GOMAXPROCS(0), "worker goroutines")
	flag.Parse()
	runtime.GOMAXPROCS(*threads)
	if *checkpoint == "" {
		cli.Fatalf(cli.ExitUsage, "sample: -checkpoint is required")
	}
	g, err := openGenerator(*checkpoint, *arch)
	if err != nil {
		cli.Fatalf(cli.ExitError, "sample: %v", err)
	}
	z, err := latents(*zPath, *n, *seed, g.LatentDim())
	if err != nil {
		cli.Fatalf(cli.ExitError, "sample: %v", err)
	}
	imgs := generate(g, z, *batch)
	if err := write(imgs, *out); err != nil {
		cli.Fatalf(cli.ExitError, "sample: %v", err)
	}
	fmt.Printf("wrote %d images of %d×%d (%s) to %s\n", imgs.Dim(0), imgs.Dim(2), imgs.Dim(3), g.Arch(), *out)
}

func openGenerator(path, arch string) (nas.Generator, error) {
	head := make([]byte, 16)
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	nr, _ := f.Read(head)
	f.Close()
	if torchfile.IsTorchFile(head[:nr]) {
		if arch == "" {
			return nil, fmt.Errorf("%s is a PyTorch file: give its architecture with -arch", path)
		}
		return nas.LoadTorchGenerator(path, arch)
	}
	g, _, err := nas.LoadGenerator(path)
	return g, err
}

// latents reads -z or draws n rows from N(0, 1): row i from its own child
// stream of the seed, so the first k images do not depend on n.
func latents(path string, n int, seed uint64, dim int) (*tensor.Tensor, error) {
	if path == "" {
		z := tensor.New(n, dim)
		root := tensor.NewRNG(seed)
		for i := 0; i < n; i++ {
			row := z.Rows(i, i+1)
			root.Child(fmt.Sprint("z/", i)).FillNormal(row, 0, 1)
		}
		return z, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	a, err := npy.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(a.Shape) != 2 || a.Shape[1] != dim {
		return nil, fmt.Errorf("%s: latents of shape %v, the generator needs N×%d", path, a.Shape, dim)
	}
	z := tensor.New(a.Shape...)
	for i, v := range a.Data {
		z.Data()[i] = float32(v)
	}
	return z, nil
}

func generate(g nas.Generator, z *tensor.Tensor, batch int) *tensor.Tensor {
	n := z.Dim(0)
	s := g.ImageSize()
	out := tensor.New(n, 3, s, s)
	for i := 0; i < n; i += batch {
		k := min(batch, n-i)
		img := g.Forward(autodiff.NoGrad(), autodiff.Const(z.Rows(i, i+k)))
		copy(out.Data()[i*3*s*s:], img.Value.Data())
		img.Value.Release()
	}
	return out
}

func write(imgs *tensor.Tensor, out string) error {
	n, s := imgs.Dim(0), imgs.Dim(2)
	switch strings.ToLower(filepath.Ext(out)) {
	case ".npy":
		return atomicfile.WriteBytes(out, npy.EncodeFloat32(imgs.Shape(), imgs.Data()))
	case ".png":
		cols := int(math.Ceil(math.Sqrt(float64(n))))
		return imgio.WritePNG(out, imgio.Grid(tensor.ToUint8(imgs), n, 3, s, s, cols, 2))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	pix := tensor.ToUint8(imgs)
	for i := 0; i < n; i++ {
		if err := imgio.WriteImagePNG(filepath.Join(out, fmt.Sprintf("%06d.png", i)), pix[i*3*s*s:(i+1)*3*s*s], 3, s, s); err != nil {
			return err
		}
	}
	return nil
}
