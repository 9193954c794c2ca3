package metrics

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadStatsFile: an FID statistics file (-fid_stat, eval -stats) is
// user-supplied. Any bytes give an error or statistics of consistent
// sizes (mu of d values, sigma of d×d) backed by the file's bytes: never a
// panic or an allocation the file cannot back.
func FuzzReadStatsFile(f *testing.F) {
	dir := f.TempDir()
	small := filepath.Join(dir, "small.npz")
	if err := WriteStatsFile(small, []float64{1, 2, 3}, []float64{1, 0, 0, 0, 2, 0, 0, 0, 3}); err != nil {
		f.Fatal(err)
	}
	for _, p := range []string{small, "../../testdata/stats_stored.npz", "../../testdata/stats_v3.npz"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "stats.npz")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		mu, sigma, err := ReadStatsFile(p)
		if err != nil {
			return
		}
		d := len(mu)
		if len(sigma) != d*d {
			t.Fatalf("mu has %d values, sigma %d", d, len(sigma))
		}
		// A stored archive holds the values; a deflated one at most
		// 1032:1 (deflate's limit), and float32 arrays widen to float64:
		// the values are bounded by the file.
		if 8*(d+d*d) > 2*1032*len(data) {
			t.Fatalf("%d values from %d bytes", d+d*d, len(data))
		}
	})
}
