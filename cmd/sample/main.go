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
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/internal/sysmem"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/tensor"
)

func main() {
	cli.Exit("sample", run(os.Args[1:], os.Stdout, progress.Stderr()))
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
	fs.IntVar(&o.n, "n", 64, "number of images, at least 1 (without -z)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the latents (without -z; image i from latent i, as cmd/eval)")
	fs.Group("Output")
	fs.StringVar(&o.out, "out", "samples.png", "output: .png grid, .npy array (float32 N×3×H×W), or a folder of PNG files")
	fs.IntVar(&o.batch, "batch", 100, "images per generator call")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines")
	return fs, &o
}

func run(args []string, stdout io.Writer, rep *progress.Reporter) error {
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
	if o.out == "" {
		return cli.Usagef("-out is empty: give a .png grid, an .npy file or a folder")
	}
	// A grid is written once every image is generated: an output that
	// cannot be written is refused before (a folder is made with its
	// missing parents).
	kind := outputKind(o.out)
	if kind == "folder" && filepath.Ext(o.out) != "" {
		// x.jpg would become a folder of PNG files: refuse a name that
		// looks like a file of a format this command does not write,
		// unless it is a folder already.
		if st, err := os.Stat(o.out); err != nil || !st.IsDir() {
			return cli.Usagef("-out %s: sample writes a .png grid, an .npy array or a folder of PNG files (a name without an extension, or an existing folder)", o.out)
		}
	}
	check := cli.CheckOutput
	if kind == "folder" {
		check = cli.CheckOutputDir
	}
	if err := check("out", o.out); err != nil {
		return err
	}
	if err := cli.CheckExists("z", o.z); err != nil {
		return err
	}
	g, err := cli.OpenGenerator(o.checkpoint, o.arch)
	if err != nil {
		return err
	}
	z, n, err := latents(o.z, o.n, o.seed, g.LatentDim())
	if err != nil {
		return err
	}
	// Refuse what cannot fit before generating anything: a grid is one
	// image in memory; every output is on disk.
	s := g.ImageSize()
	if kind == "grid" {
		if err := sysmem.Memory().Check(uint64(n)*uint64(s+2)*uint64(s+2)*8, fmt.Sprintf("a grid of %d images", n)); err != nil {
			return cli.Usagef("%v; write a folder or an .npy file instead", err)
		}
	}
	per := map[string]uint64{"grid": 4, "npy": 12, "folder": 4}[kind] // bytes per pixel, generously
	if err := sysmem.Disk(o.out).Check(uint64(n)*uint64(s)*uint64(s)*per+1<<20, fmt.Sprintf("writing %d images of %d×%d to %s", n, s, s, o.out)); err != nil {
		return cli.Usagef("%v", err)
	}
	rep.Start("generating", n, "images")
	err = write(g, z, o.seed, n, o.batch, kind, o.out, rep)
	rep.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d images of %d×%d (%s) to %s\n", n, s, s, g.Arch(), o.out)
	return nil
}

// latents reads -z (its latents, and their number); without it, the n
// latents are drawn block by block from the seed as they are needed
// (nas.Latents: image i from latent i of the seed, the same images cmd/eval
// scores), and z is nil.
func latents(path string, n int, seed uint64, dim int) (*tensor.Tensor, int, error) {
	if path == "" {
		return nil, n, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	a, err := npy.Decode(b)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	if len(a.Shape) != 2 || a.Shape[1] != dim || a.Shape[0] < 1 {
		return nil, 0, fmt.Errorf("%s: latents of shape %v, the generator needs N×%d with N ≥ 1", path, a.Shape, dim)
	}
	for i, v := range a.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, fmt.Errorf("%s: latent value %d is %v", path, i, v)
		}
	}
	z := tensor.New(a.Shape...)
	for i, v := range a.Data {
		z.Data()[i] = float32(v)
	}
	return z, a.Shape[0], nil
}

// outputKind is what -out names: a PNG grid, an .npy array or a folder.
func outputKind(out string) string {
	switch strings.ToLower(filepath.Ext(out)) {
	case ".png":
		return "grid"
	case ".npy":
		return "npy"
	}
	return "folder"
}

// write generates the n images block by block (batch images per generator
// call) and writes each block as it comes: memory does not grow with n,
// except for a grid, which is one image.
func write(g nas.Generator, z *tensor.Tensor, seed uint64, n, batch int, kind, out string, rep *progress.Reporter) error {
	s := g.ImageSize()
	rng := tensor.NewRNG(seed)
	block := func(i, k int) *tensor.Tensor {
		var zb *tensor.Tensor
		if z != nil {
			zb = z.Rows(i, i+k)
		} else {
			zb = tensor.New(k, g.LatentDim())
			nas.Latents(rng, i, zb)
			defer zb.Release()
		}
		return nas.Generate(g, zb)
	}
	switch kind {
	case "npy":
		return atomicfile.Write(out, func(w io.Writer) error {
			if _, err := w.Write(npy.Float32Header([]int{n, 3, s, s})); err != nil {
				return err
			}
			for i := 0; i < n; i += batch {
				img := block(i, min(batch, n-i))
				_, err := w.Write(npy.AppendFloat32(nil, img.Data()))
				img.Release()
				if err != nil {
					return err
				}
				rep.Update(min(i+batch, n), "")
			}
			return nil
		})
	case "grid":
		pix := make([]uint8, 0, n*3*s*s)
		for i := 0; i < n; i += batch {
			img := block(i, min(batch, n-i))
			pix = append(pix, tensor.ToUint8(img)...)
			img.Release()
			rep.Update(min(i+batch, n), "")
		}
		cols := int(math.Ceil(math.Sqrt(float64(n))))
		return imgio.WritePNG(out, imgio.Grid(pix, n, 3, s, s, cols, 2))
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for i := 0; i < n; i += batch {
		k := min(batch, n-i)
		img := block(i, k)
		pix := tensor.ToUint8(img)
		img.Release()
		for j := 0; j < k; j++ {
			if err := imgio.WriteImagePNG(filepath.Join(out, fmt.Sprintf("%06d.png", i+j)), pix[j*3*s*s:(j+1)*3*s*s], 3, s, s); err != nil {
				return err
			}
		}
		rep.Update(i+k, "")
	}
	return nil
}
