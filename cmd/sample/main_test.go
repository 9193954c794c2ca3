package main

import (
	"github.com/autogan-go/autogan/internal/progress"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/internal/fixture"
	"github.com/autogan-go/autogan/internal/npy"
	"github.com/autogan-go/autogan/internal/safetensors"
	"github.com/autogan-go/autogan/tensor"
)

// TestPyTorchParity runs the command on the generators of
// testdata/make_generator_fixtures.py (random weights saved by torch.save)
// and compares the raw output with PyTorch's eval-mode output.
func TestPyTorchParity(t *testing.T) {
	t.Logf("convolutions: %s", tensor.Policy().ConvMode)
	want, err := safetensors.ReadFile("../../testdata/gen_expected.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	search := want.Metadata["search_arch"]
	cases := []struct{ name, file, arch, key string }{
		{"released A, bare state_dict (legacy format)", "gen_a_state_legacy.pth", "autogan_cifar10_a", "a"},
		{"released A, training checkpoint (EMA weights)", "gen_a_ckpt_legacy.pth", "autogan_cifar10_a", "a"},
		{"released C, zip format", "gen_c_state_zip.pth", "autogan_cifar10_c", "c"},
		{"search space " + search + ", train_derived checkpoint", "gen_search_ckpt_zip.pth", search, "search"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.npy")
			args := []string{"-checkpoint", "../../testdata/" + c.file, "-arch", c.arch,
				"-z", "../../testdata/gen_z.npy", "-out", out, "-batch", "3"}
			if err := run(args, io.Discard, progress.Quiet()); err != nil {
				t.Fatal(err)
			}
			got := readNPY(t, out)
			st, _ := want.Get(c.key)
			exp, err := st.Float32()
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Data) != len(exp) || got.Shape[0] != st.Shape[0] {
				t.Fatalf("shape %v, PyTorch %v", got.Shape, st.Shape)
			}
			worst := 0.0
			for i, v := range got.Data {
				worst = math.Max(worst, math.Abs(v-float64(exp[i])))
			}
			t.Logf("max |Go − PyTorch| = %.2e", worst)
			if worst > 1e-4 {
				t.Errorf("max abs difference %.3e > 1e-4", worst)
			}
		})
	}
}

// TestPyTorchParityWithWinograd runs the generator parity test again with
// every eligible convolution forced to Winograd (AUTOGAN_CONV=winograd): a
// batch of 3 has too few tiles for the automatic choice to pick it.
func TestPyTorchParityWithWinograd(t *testing.T) {
	fixture.RerunWith(t, "TestPyTorchParity", "convolutions: winograd", "AUTOGAN_CONV=winograd")
}

func TestOutputsAndErrors(t *testing.T) {
	dir := t.TempDir()
	ck := "../../testdata/gen_a_state_legacy.pth"
	base := []string{"-checkpoint", ck, "-arch", "autogan_cifar10_a", "-n", "5", "-seed", "3"}
	// A folder of PNG files and a grid.
	folder := filepath.Join(dir, "imgs")
	if err := run(append(base, "-out", folder), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(folder, "*.png"))
	if len(files) != 5 {
		t.Fatalf("%d PNG files, want 5", len(files))
	}
	// A folder whose name has a dot is fine once it exists.
	dotted := filepath.Join(dir, "run.v2")
	if err := os.Mkdir(dotted, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := run(append(base, "-out", dotted), io.Discard, progress.Quiet()); err != nil {
		t.Errorf("existing folder %s: %v", dotted, err)
	}
	if err := run(append(base, "-out", filepath.Join(dir, "grid.png")), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	// Latents depend only on (seed, index): the first 2 of 5 equal 2 of 2.
	a, b := filepath.Join(dir, "a.npy"), filepath.Join(dir, "b.npy")
	if err := run(append(base, "-out", a), io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-checkpoint", ck, "-arch", "autogan_cifar10_a", "-n", "2", "-seed", "3", "-out", b}, io.Discard, progress.Quiet()); err != nil {
		t.Fatal(err)
	}
	x, y := readNPY(t, a), readNPY(t, b)
	for i, v := range y.Data {
		if x.Data[i] != v {
			t.Fatalf("image 0..1 differ between -n 5 and -n 2 at value %d", i)
		}
	}
	for _, bad := range [][]string{
		{},                                    // no checkpoint
		{"-checkpoint", ck},                   // PyTorch file without -arch
		{"-checkpoint", ck, "-arch", "1 2 3"}, // malformed architecture
		{"-checkpoint", ck, "-arch", "autogan_cifar10_b"},                         // wrong layout for the weights
		{"-checkpoint", "../../testdata/gen_z.npy", "-arch", "autogan_cifar10_a"}, // not a checkpoint
		{"-checkpoint", ck, "-arch", "autogan_cifar10_a", "-z", "../../testdata/gen_expected.safetensors"},
	} {
		if err := run(append(bad, "-out", filepath.Join(dir, "x.npy")), io.Discard, progress.Quiet()); err == nil {
			t.Errorf("run %q: no error", bad)
		}
	}
}

func readNPY(t *testing.T, path string) *npy.Array {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := npy.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
