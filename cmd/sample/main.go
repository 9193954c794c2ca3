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
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/imgio"
	"github.com/autogan-go/autogan/internal/npy"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/nas/weights"
	"github.com/autogan-go/autogan/tensor"
)

func main() {
	cli.Exit("sample", run(os.Args[1:], os.Stdout))
}

// options are the command line of sample.
type options struct {
	checkpoint, arch, z, out string
	n, batch, threads        int
	seed                     uint64
}

// flags defines the command line of sample.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("sample [flags]",
		"Generates images with a trained generator (cmd/train checkpoint or PyTorch .pth) in eval mode.")
	var o options
	fs.Group("Generator")
	fs.StringVar(&o.checkpoint, "checkpoint", "", "generator checkpoint: cmd/train .safetensors, or PyTorch .pth (required)")
	fs.StringVar(&o.arch, "arch", "", "architecture of a PyTorch generator: autogan_cifar10_a|b|c or 14 integers")
	fs.Group("Latents")
	fs.StringVar(&o.z, "z", "", "latents (.npy, N×latent); default: -n drawn from -seed")
	fs.IntVar(&o.n, "n", 64, "number of images (without -z)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the latents (without -z; image i from latent i, as cmd/eval)")
	fs.Group("Output")
	fs.StringVar(&o.out, "out", "samples.png", "output: .png grid, .npy array (float32 N×3×H×W), or a folder of PNG files")
	fs.IntVar(&o.batch, "batch", 100, "images per generator call")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines")
	return fs, &o
}

func run(args []string, stdout io.Writer) error {
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}
	if o.checkpoint == "" {
		return cli.Usagef("-checkpoint is required")
	}
	if o.n <= 0 || o.batch <= 0 {
		return cli.Usagef("-n and -batch must be positive")
	}
	g, err := weights.Open(o.checkpoint, o.arch)
	if err != nil {
		return err
	}
	z, err := latents(o.z, o.n, o.seed, g.LatentDim())
	if err != nil {
		return err
	}
	imgs := generate(g, z, o.batch)
	if err := write(imgs, o.out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d images of %d×%d (%s) to %s\n", imgs.Dim(0), imgs.Dim(2), imgs.Dim(3), g.Arch(), o.out)
	return nil
}

// latents reads -z or draws n latents with the seed (nas.Latents: image i
// from latent i of the seed, the same images cmd/eval scores).
func latents(path string, n int, seed uint64, dim int) (*tensor.Tensor, error) {
	if path == "" {
		z := tensor.New(n, dim)
		nas.Latents(tensor.NewRNG(seed), 0, z)
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
		img := nas.Generate(g, z.Rows(i, i+k))
		copy(out.Data()[i*3*s*s:], img.Data())
		img.Release()
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
