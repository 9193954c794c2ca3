package nas

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/tensor"
)

// TestDeriveRanksByInceptionScore: the paper keeps the trained architecture
// with the highest IS (§3.3.3); -by fid keeps the lowest FID. Here the two
// criteria disagree, so the test tells them apart.
func TestDeriveRanksByInceptionScore(t *testing.T) {
	run := t.TempDir()
	for name, s := range map[string]TrainSummary{
		"top1": {Arch: "a", BestIS: 3.0, BestISEpoch: 2, BestFID: 40, BestEpoch: 3},
		"top2": {Arch: "b", BestIS: 3.5, BestISEpoch: 4, BestFID: 45, BestEpoch: 4},
		"top3": {Arch: "c", BestIS: 2.5, BestISEpoch: 1, BestFID: 30, BestEpoch: 2},
	} {
		s.BestISFile, s.BestFIDFile = bestISCheckpoint, bestCheckpoint
		dir := filepath.Join(run, "train", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(s)
		if err := os.WriteFile(filepath.Join(dir, "train_result.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(run, "train", "top4"), 0o755) // still training
	for _, c := range []struct {
		by    Criterion
		order []string
		ckpt  string
	}{
		{ByIS, []string{"top2", "top1", "top3"}, filepath.Join(run, "train", "top2", "best_is.safetensors")},
		{ByFID, []string{"top3", "top1", "top2"}, filepath.Join(run, "train", "top3", "best.safetensors")},
	} {
		ranked, unfinished, err := DeriveFromTrained(run, c.by)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range ranked {
			got = append(got, r.Name)
		}
		if len(got) != 3 || got[0] != c.order[0] || got[1] != c.order[1] || got[2] != c.order[2] {
			t.Errorf("by %s: %v, want %v", c.by, got, c.order)
		}
		if p := ranked[0].Checkpoint(c.by); p != c.ckpt {
			t.Errorf("by %s: checkpoint %s, want %s", c.by, p, c.ckpt)
		}
		if len(unfinished) != 1 || unfinished[0] != "top4" {
			t.Errorf("unfinished: %v", unfinished)
		}
	}
	if _, err := ParseCriterion("loss"); err == nil {
		t.Error("criterion loss accepted")
	}
}

// TestInitOrth applies the reference's init_type "orth" to both networks:
// every Conv2d weight (spectral-norm wrapped ones on weight_orig) becomes
// semi-orthogonal, and an unknown type is refused by validation.
func TestInitOrth(t *testing.T) {
	g := tensor.NewRNG(3)
	gen := NewSharedGenerator(8, 4, 16, g)
	if err := gen.InitReference(InitOrth, g); err != nil {
		t.Fatal(err)
	}
	d := NewDiscriminator(8, g)
	if err := d.InitReference(InitOrth, g); err != nil {
		t.Fatal(err)
	}
	convs, _ := gen.convsAndBNs()
	for _, c := range d.snConvs() {
		convs = append(convs, c.Conv)
	}
	for _, c := range convs {
		w := c.Weight.Value
		rows, cols := w.Dim(0), w.Len()/w.Dim(0)
		if rows > cols {
			continue // tall: the columns are orthonormal; checked in package layers
		}
		wd := w.Data()
		for i := 0; i < rows; i++ {
			var s float64
			for k := 0; k < cols; k++ {
				s += float64(wd[i*cols+k]) * float64(wd[i*cols+k])
			}
			if math.Abs(s-1) > 1e-5 {
				t.Fatalf("conv %v: row %d has squared norm %v", w.Shape(), i, s)
			}
		}
	}
	cfg, _ := Preset("tiny")
	cfg.InitType = "orthogonal"
	if err := cfg.Validate(); err == nil {
		t.Error("init_type orthogonal accepted")
	}
	cfg.InitType = InitOrth
	if err := cfg.Validate(); err != nil {
		t.Error(err)
	}
}

// TestLoadResultSaysWhatTheDirectoryIs: without result.json, LoadResult
// tells a missing directory, an unfinished search (with the command that
// resumes it) and a directory of something else apart.
func TestLoadResultSaysWhatTheDirectoryIs(t *testing.T) {
	search, other := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(search, "config.json"), []byte(`{"max_search_iter": 9}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "config.json"), []byte(`{"arch": "autogan_cifar10_a", "max_iter": 5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(other, "nosuch"), "no such run directory"},
		{search, "cmd/search -resume"},
		{other, "not the directory of a search"},
	} {
		if _, err := LoadResult(c.dir); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error mentioning %q", c.dir, err, c.want)
		}
	}
}
