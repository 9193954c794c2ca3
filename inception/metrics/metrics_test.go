package metrics

import (
	"math"
	"path/filepath"
	"slices"
	"testing"

	"github.com/autogan-go/autogan/internal/fixture"
)

// TestFIDMatchesScipy compares with pytorch-fid's formula computed with
// scipy.linalg.sqrtm, including a rank-deficient covariance (n < d).
func TestFIDMatchesScipy(t *testing.T) {
	f := fixture.Open(t, "../../testdata/fid_cases.safetensors")
	for _, c := range []string{"case0", "case1", "case2"} {
		got, err := FrechetDistance(f.Float64s(c+"/mu1"), f.Float64s(c+"/sigma1"), f.Float64s(c+"/mu2"), f.Float64s(c+"/sigma2"))
		if err != nil {
			t.Fatal(err)
		}
		want := f.Float64s(c + "/fid")[0]
		if math.Abs(got-want) > 1e-6*math.Abs(want) {
			t.Fatalf("%s: FID %.12g, scipy %.12g (relative %.2g)", c, got, want, math.Abs(got-want)/want)
		}
	}
}

// TestFIDToyCases are pytorch-fid's tests: μ = 0 against μ = 1 with Σ = I
// in 2048 dimensions gives 2048; identical statistics give 0.
func TestFIDToyCases(t *testing.T) {
	d := 2048
	mu0, mu1 := make([]float64, d), make([]float64, d)
	eye := make([]float64, d*d)
	for i := 0; i < d; i++ {
		mu1[i] = 1
		eye[i*d+i] = 1
	}
	got, err := FrechetDistance(mu0, eye, mu1, eye)
	if err != nil || math.Abs(got-2048) > 1e-6 {
		t.Fatalf("FID = %v, %v; want 2048", got, err)
	}
	f := fixture.Open(t, "../../testdata/fid_cases.safetensors")
	mu, s := f.Float64s("case1/mu1"), f.Float64s("case1/sigma1")
	if got, _ := FrechetDistance(mu, s, mu, s); math.Abs(got) > 1e-8 {
		t.Fatalf("FID of identical statistics = %v", got)
	}
}

// TestFeatureStatsMatchNumPy accumulates features in blocks and compares
// the mean and unbiased covariance with np.mean and np.cov.
func TestFeatureStatsMatchNumPy(t *testing.T) {
	f := fixture.Open(t, "../../testdata/fid_cases.safetensors")
	x := f.Float64s("case1/feats")
	xf := make([]float32, len(x))
	for i, v := range x {
		xf[i] = float32(v)
	}
	n, d := 200, 64
	s := NewFeatureStats(d)
	for start := 0; start < n; start += 64 {
		k := min(64, n-start)
		s.AddBlock(xf[start*d:(start+k)*d], k)
	}
	mu, sigma, err := s.MeanCov()
	if err != nil {
		t.Fatal(err)
	}
	wmu, wsig := f.Float64s("case1/mu1"), f.Float64s("case1/sigma1")
	for i := range wmu {
		if math.Abs(mu[i]-wmu[i]) > 1e-12*(1+math.Abs(wmu[i])) {
			t.Fatalf("mu[%d] = %v, numpy %v", i, mu[i], wmu[i])
		}
	}
	for i := range wsig {
		if math.Abs(sigma[i]-wsig[i]) > 1e-10*(1+math.Abs(wsig[i])) {
			t.Fatalf("sigma[%d] = %v, numpy %v", i, sigma[i], wsig[i])
		}
	}
}

// TestISMatchesOpenAIFormula compares with improved-gan's formula.
func TestISMatchesOpenAIFormula(t *testing.T) {
	f := fixture.Open(t, "../../testdata/fid_cases.safetensors")
	logits := f.Float64s("is/logits")
	want := f.Float64s("is/mean_std")
	lf := make([]float32, len(logits))
	for i, v := range logits {
		lf[i] = float32(v) // the fixture's logits are float64; the score uses float32 network outputs
	}
	s := NewISStats(200, 10, 10)
	s.AddBlock(0, lf, 200)
	mean, std, err := s.Score()
	if err != nil {
		t.Fatal(err)
	}
	// float32 rounding of the logits moves the score by ~1e-7 relative.
	if math.Abs(mean-want[0]) > 1e-6*want[0] || math.Abs(std-want[1]) > 1e-5*want[1] {
		t.Fatalf("IS = %v ± %v, reference %v ± %v", mean, std, want[0], want[1])
	}
}

// TestMergeIsExact: statistics accumulated in one pass and from shards
// merged in different groupings are bit-identical.
func TestMergeIsExact(t *testing.T) {
	f := fixture.Open(t, "../../testdata/fid_cases.safetensors")
	x := f.Float64s("case1/feats")
	n, d := 200, 64
	feats := make([]float32, len(x))
	for i, v := range x {
		feats[i] = float32(v)
	}
	logits := make([]float32, n*d) // reuse features as 64-class logits
	copy(logits, feats)
	const block = 20
	run := func(groups [][2]int) (*FeatureStats, *ISStats) {
		var fs *FeatureStats
		var is *ISStats
		for _, g := range groups { // each group is a shard of whole blocks
			sf, si := NewFeatureStats(d), NewISStats(int64(n), 7, d)
			for b := g[0]; b < g[1]; b++ {
				sf.AddBlock(feats[b*block*d:(b+1)*block*d], block)
				si.AddBlock(int64(b*block), logits[b*block*d:(b+1)*block*d], block)
			}
			if fs == nil {
				fs, is = sf, si
			} else {
				fs.Merge(sf)
				is.Merge(si)
			}
		}
		return fs, is
	}
	refF, refI := run([][2]int{{0, 10}})
	rm, rs, _ := refF.MeanCov()
	ri, _, _ := refI.Score()
	for _, groups := range [][][2]int{{{0, 3}, {3, 7}, {7, 10}}, {{0, 1}, {1, 2}, {2, 5}, {5, 6}, {6, 8}, {8, 9}, {9, 10}}} {
		fs, is := run(groups)
		m, s, _ := fs.MeanCov()
		sc, _, _ := is.Score()
		for i := range m {
			if math.Float64bits(m[i]) != math.Float64bits(rm[i]) {
				t.Fatalf("%v: mean differs at %d", groups, i)
			}
		}
		for i := range s {
			if math.Float64bits(s[i]) != math.Float64bits(rs[i]) {
				t.Fatalf("%v: covariance differs at %d", groups, i)
			}
		}
		if math.Float64bits(sc) != math.Float64bits(ri) {
			t.Fatalf("%v: IS %v vs %v", groups, sc, ri)
		}
	}
}

// TestStatsFiles reads npz files written by NumPy (compressed, stored,
// version 2.0 with Fortran order and float32, version 3.0) and round-trips
// our own compressed writer.
func TestStatsFiles(t *testing.T) {
	f := fixture.Open(t, "../../testdata/fid_cases.safetensors")
	wmu, wsig := f.Float64s("case1/mu1"), f.Float64s("case1/sigma1")
	for _, name := range []string{"stats_compressed.npz", "stats_stored.npz", "stats_v2_fortran.npz", "stats_v3.npz"} {
		mu, sigma, err := ReadStatsFile("../../testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		tol := 0.0
		if name == "stats_v2_fortran.npz" {
			tol = 1e-6 // mu stored as float32
		}
		for i := range wmu {
			if math.Abs(mu[i]-wmu[i]) > tol*math.Abs(wmu[i]) {
				t.Fatalf("%s: mu[%d] = %v, want %v", name, i, mu[i], wmu[i])
			}
		}
		for i := range wsig {
			if sigma[i] != wsig[i] {
				t.Fatalf("%s: sigma[%d] = %v, want %v", name, i, sigma[i], wsig[i])
			}
		}
	}
	p := filepath.Join(t.TempDir(), "out.npz")
	if err := WriteStatsFile(p, wmu, wsig); err != nil {
		t.Fatal(err)
	}
	mu, sigma, err := ReadStatsFile(p)
	if err != nil || mu[5] != wmu[5] || sigma[100] != wsig[100] {
		t.Fatalf("round trip: %v", err)
	}
	if _, _, err := ReadStatsFile("../../testdata/pth_state_zip.pth"); err == nil {
		t.Fatal("a zip without mu and sigma was accepted")
	}
}

// TestFIDRefusesNonFiniteStatistics: statistics with NaN or infinite
// values are an error, not a FID of NaN.
func TestFIDRefusesNonFiniteStatistics(t *testing.T) {
	mu, sigma := []float64{0, 0}, []float64{1, 0, 0, 1}
	for _, bad := range []float64{math.NaN(), math.Inf(1)} {
		for i := 0; i < 4; i++ {
			args := [][]float64{slices.Clone(mu), slices.Clone(sigma), slices.Clone(mu), slices.Clone(sigma)}
			args[i][0] = bad
			if got, err := FrechetDistance(args[0], args[1], args[2], args[3]); err == nil {
				t.Errorf("%v in argument %d: FID %v, no error", bad, i, got)
			}
		}
	}
}
