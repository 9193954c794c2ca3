package metrics

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// inceptionShard returns a shard of an Inception-sized evaluation (2048
// features, 1008 classes) holding one block of random data.
func inceptionShard(total, block int) *Eval {
	rng := tensor.NewRNG(uint64(block))
	e := &Eval{Scorer: "inception", Source: "bench", Total: total, FirstBlock: block, EndBlock: block + 1,
		IS: NewISStats(int64(total), 10, 1008), Features: NewFeatureStats(2048)}
	feats := rng.Normals(BlockSize, 2048)
	logits := rng.Normals(BlockSize, 1008)
	e.Features.AddBlock(feats.Data(), BlockSize)
	e.IS.AddBlock(int64(block*BlockSize), logits.Data(), BlockSize)
	return e
}

// BenchmarkMergeInceptionShards measures what sharding adds to an
// Inception-v3 evaluation: writing a partial file, and reading and merging
// the partial files of 8 shards (the merge job). It reports the size of
// one partial file.
func BenchmarkMergeInceptionShards(b *testing.B) {
	const shards = 8
	dir := b.TempDir()
	var paths []string
	for i := 0; i < shards; i++ {
		p := filepath.Join(dir, fmt.Sprintf("part%d.eval", i))
		if err := inceptionShard(shards*BlockSize, i).Save(p); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	st, _ := os.Stat(paths[0])
	b.Run("save", func(b *testing.B) {
		b.ReportMetric(float64(st.Size())/1e6, "MB/file")
		e := inceptionShard(shards*BlockSize, 0)
		for i := 0; i < b.N; i++ {
			if err := e.Save(filepath.Join(dir, "save.eval")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load+merge8", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			total, err := LoadEval(paths[0])
			if err != nil {
				b.Fatal(err)
			}
			for _, p := range paths[1:] {
				e, err := LoadEval(p)
				if err != nil {
					b.Fatal(err)
				}
				if err := total.Merge(e); err != nil {
					b.Fatal(err)
				}
			}
			if _, _, err := total.Features.MeanCov(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzLoadEval: a damaged partial-evaluation file (a cluster job killed
// mid-write on a filesystem without atomic rename, a wrong file) is an
// error, never a panic or an allocation its bytes do not back.
func FuzzLoadEval(f *testing.F) {
	dir := f.TempDir()
	e := &Eval{Scorer: "s", Source: "fuzz", Total: 250, FirstBlock: 1, EndBlock: 3,
		IS: NewISStats(250, 10, 4), Features: NewFeatureStats(3)}
	rng := tensor.NewRNG(1)
	e.Features.AddBlock(rng.Normals(BlockSize, 3).Data(), BlockSize)
	e.IS.AddBlock(100, rng.Normals(BlockSize, 4).Data(), BlockSize)
	seed := filepath.Join(dir, "seed.eval")
	if err := e.Save(seed); err != nil {
		f.Fatal(err)
	}
	b, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "x.eval")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := LoadEval(p)
		if err != nil {
			return
		}
		// What loads must be usable: merging it with itself either works
		// or is refused, and its score can be asked for.
		_ = e.Merge(e)
		_, _, _ = e.InceptionScore()
	})
}
