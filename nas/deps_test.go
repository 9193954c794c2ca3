package nas

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestDependencies: the search depends only on the engine, the data, the
// metrics and a few helpers — not on the TensorFlow or PyTorch readers,
// the Inception network or any image codec, which the commands wire in.
// The list is what package nas (with everything it imports, transitively)
// may use of this module; a new import fails here until it is added, with
// a reason.
func TestDependencies(t *testing.T) {
	const module = "github.com/autogan-go/autogan/"
	allowed := []string{
		"tensor", "autodiff", "layers", "optim", // the engine
		"cifar",                                                                                      // datasets, the loader, PIL's resize
		"inception/metrics",                                                                          // IS and FID of rewards and evaluations
		"internal/parallel", "internal/buffer", "internal/gemm", "internal/winograd", "internal/vec", // kernels
		"internal/ckpt", "internal/safetensors", "internal/float16", "internal/atomicfile", // checkpoints
		"internal/npy",      // FID statistics files
		"internal/progress", // the progress line
	}
	forbidden := []string{"image/png", "image/jpeg", "image/gif"}
	seen := map[string]bool{}
	var visit func(path, dir string)
	visit = func(path, dir string) {
		if seen[path] {
			return
		}
		seen[path] = true
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range pkg.Imports {
			if slices.Contains(forbidden, imp) {
				t.Errorf("%s imports %s", path, imp)
			}
			rel, ok := strings.CutPrefix(imp, module)
			if !ok {
				continue
			}
			if !slices.Contains(allowed, rel) {
				t.Errorf("%s imports %s, which package nas must not depend on", path, imp)
				continue
			}
			visit(imp, filepath.Join("..", filepath.FromSlash(rel)))
		}
	}
	visit(module+"nas", ".")
	if len(seen) < 8 {
		t.Fatalf("only %d packages visited: the walk is broken", len(seen))
	}
}
