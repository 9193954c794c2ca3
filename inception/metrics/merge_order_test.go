package metrics

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/autogan-go/autogan/internal/progress"
)

// TestMergeEmptyShardsInAnyOrder: 150 images (2 blocks) in 4 shards gives
// the blocks [0,0), [0,1), [1,1), [1,2); their files merge in any order
// (given in reverse, [0,1) came before [0,0) and the merge failed).
func TestMergeEmptyShardsInAnyOrder(t *testing.T) {
	src := make(firstPixels, 150)
	for i := range src {
		src[i] = uint8(i)
	}
	dir := t.TempDir()
	var paths []string
	for i := 0; i < 4; i++ {
		p := filepath.Join(dir, fmt.Sprintf("part%d.eval", i))
		if _, _, err := EvaluateShard(context.Background(), src, "first pixels", logitScorer{}, i, 4, p, progress.Quiet()); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	whole, err := Evaluate(src, logitScorer{}, EvalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	want, _, _ := whole.InceptionScore()
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 0, 3, 2}} {
		var ps []string
		for _, k := range order {
			ps = append(ps, paths[k])
		}
		e, err := MergeFiles(slices.Clone(ps))
		if err != nil {
			t.Errorf("order %v: %v", order, err)
			continue
		}
		if got, _, _ := e.InceptionScore(); got != want {
			t.Errorf("order %v: IS %v, want %v", order, got, want)
		}
	}
}

// TestLoadEvalRefusesCountsOfOtherBlocks: a partial file whose image
// counts disagree with the blocks it covers (damaged, or edited) is
// refused: merged, it would pass as complete and divide IS and FID by the
// wrong number of images.
func TestLoadEvalRefusesCountsOfOtherBlocks(t *testing.T) {
	src := make(firstPixels, 150)
	e, err := Evaluate(src, logitScorer{}, EvalConfig{Splits: 3})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, damage := range map[string]func(*Eval){
		"features": func(e *Eval) { e.Features.Count-- },
		"splits":   func(e *Eval) { e.IS.count[0]-- },
	} {
		good := filepath.Join(dir, name+"-good.eval")
		if err := e.Save(good); err != nil {
			t.Fatal(err)
		}
		c, err := LoadEval(good)
		if err != nil {
			t.Fatalf("a whole file: %v", err)
		}
		damage(c)
		bad := filepath.Join(dir, name+".eval")
		if err := c.Save(bad); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadEval(bad); err == nil {
			t.Errorf("%s count changed: accepted", name)
		}
	}
}
