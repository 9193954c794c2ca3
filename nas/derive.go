package nas

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/autogan-go/autogan/internal/progress"
)

// The paper's last step (§3.3.3): the top-K architectures of a search are
// trained from scratch and "the model with the highest Inception score
// becomes our final derived generator". The reference leaves this step to
// the user; here each top-K architecture trains in <search run>/train/topK
// and DeriveFromTrained ranks the finished runs.

// Criterion is what ranks trained architectures.
type Criterion string

const (
	// ByIS ranks by the best Inception Score of each run (the paper).
	ByIS Criterion = "is"
	// ByFID ranks by the lowest FID of each run (the reference's
	// checkpoint_best.pth is chosen by FID).
	ByFID Criterion = "fid"
)

// ParseCriterion accepts "is" or "fid".
func ParseCriterion(s string) (Criterion, error) {
	switch c := Criterion(s); c {
	case ByIS, ByFID:
		return c, nil
	}
	return "", fmt.Errorf("rank by %q: want is or fid", s)
}

// TrainedArch is one finished training run of a top-K architecture.
type TrainedArch struct {
	Name    string // top1, top2, …
	Dir     string
	Summary TrainSummary
}

// Best returns the score that ranks the run and its 1-based epoch.
func (t TrainedArch) Best(by Criterion) (score float64, epoch int) {
	if by == ByFID {
		return t.Summary.BestFID, t.Summary.BestEpoch
	}
	return t.Summary.BestIS, t.Summary.BestISEpoch
}

// Checkpoint is the path of the run's best checkpoint by the criterion.
func (t TrainedArch) Checkpoint(by Criterion) string {
	if by == ByFID {
		return filepath.Join(t.Dir, t.Summary.BestFIDFile)
	}
	return filepath.Join(t.Dir, t.Summary.BestISFile)
}

// DeriveFromTrained reads the training runs under <search run>/train and
// returns the finished ones ranked by the criterion (best first; ties keep
// the top-K order) and the names of those not finished yet.
func DeriveFromTrained(searchRun string, by Criterion) (ranked []TrainedArch, unfinished []string, err error) {
	dirs, err := filepath.Glob(filepath.Join(searchRun, "train", "top*"))
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(dirs, func(i, j int) bool { return topIndex(dirs[i]) < topIndex(dirs[j]) })
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "train_result.json"))
		if errors.Is(err, os.ErrNotExist) {
			unfinished = append(unfinished, filepath.Base(d))
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		var s TrainSummary
		if err := json.Unmarshal(b, &s); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", filepath.Join(d, "train_result.json"), err)
		}
		if s.BestISFile == "" {
			return nil, nil, fmt.Errorf("%s was written by an older version that did not record the best Inception Score; train it again", d)
		}
		ranked = append(ranked, TrainedArch{Name: filepath.Base(d), Dir: d, Summary: s})
	}
	if len(ranked) == 0 {
		return nil, unfinished, fmt.Errorf("no finished training runs under %s", filepath.Join(searchRun, "train"))
	}
	sort.SliceStable(ranked, func(i, j int) bool {
		a, _ := ranked[i].Best(by)
		b, _ := ranked[j].Best(by)
		if by == ByFID {
			return a < b
		}
		return a > b
	})
	return ranked, unfinished, nil
}

// topIndex is K of a directory named topK (0 if it is not one).
func topIndex(dir string) int {
	var k int
	fmt.Sscanf(filepath.Base(dir), "top%d", &k)
	return k
}

// TrainTopK trains from scratch the architectures of a finished search
// ranked in which (1-based; see result.json), each with the settings of
// cfg and in <search>/train/top<rank>: a run that finished is skipped, one
// that was interrupted (a requeued array task) continues. DeriveFromTrained
// then names the derived generator.
func TrainTopK(ctx context.Context, search string, which []int, cfg TrainConfig, runs Runs, open Opener, rep *progress.Reporter) error {
	res, err := LoadResult(search)
	if err != nil {
		return err
	}
	for _, i := range which {
		if i < 1 || i > len(res.Architectures) {
			return fmt.Errorf("%s has %d architectures, not a top-%d", search, len(res.Architectures), i)
		}
		a := res.Architectures[i-1]
		c := cfg
		c.Arch = a.Arch
		dir := filepath.Join(search, "train", fmt.Sprintf("top%d", i))
		rep.Log("training top-%d architecture %s (search reward %.4f): %s", i, a.Arch, a.Reward, a.Description)
		if fileExists(filepath.Join(dir, "train_result.json")) {
			rep.Log("%s is already trained", dir)
			continue
		}
		start := &c
		if fileExists(filepath.Join(dir, trainCheckpoint)) {
			start = nil // an interrupted run (a requeued array task) continues
		}
		if _, err := TrainRun(ctx, dir, start, runs, open, rep); err != nil {
			return err
		}
	}
	return nil
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
