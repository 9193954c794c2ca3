package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/internal/progress"
)

// EvaluateShard evaluates shard i of n of src with sc, or, when partial is
// a finished file of the same evaluation, reuses it: a requeued batch job
// does not recompute a shard that completed. With n > 1 the result is
// written to partial (atomically) and returned.
func EvaluateShard(src inception.Images, sc inception.Scorer, i, n int, partial string, rep *progress.Reporter) (*inception.Eval, error) {
	if n > 1 && partial == "" {
		return nil, errors.New("a shard needs -partial FILE to write its statistics to")
	}
	if partial != "" {
		if e, err := inception.LoadEval(partial); err == nil {
			first, end := inception.ShardBlocks(src.Len(), i, n)
			if e.Total == src.Len() && e.Scorer == sc.Name() && e.FirstBlock == first && e.EndBlock == end {
				rep.Log("shard %d/%d already done: %s", i, n, partial)
				return e, nil
			}
			return nil, fmt.Errorf("%s holds another evaluation (%d images by %q, blocks [%d, %d)); remove it or choose another file",
				partial, e.Total, e.Scorer, e.FirstBlock, e.EndBlock)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	e, err := inception.Evaluate(src, sc, inception.EvalConfig{Shard: i, Shards: n, Progress: rep,
		Stage: fmt.Sprintf("scoring shard %d/%d", i, n)})
	if err != nil {
		return nil, err
	}
	if partial != "" {
		if err := e.Save(partial); err != nil {
			return nil, err
		}
		rep.Log("wrote %s (blocks %d…%d of %d)", partial, e.FirstBlock, e.EndBlock-1, inception.Blocks(e.Total))
	}
	return e, nil
}

// MergeFiles loads partial evaluation files and merges them in block
// order (the files may be given in any order).
func MergeFiles(paths []string) (*inception.Eval, error) {
	if len(paths) == 0 {
		return nil, errors.New("no partial files to merge")
	}
	parts := make([]*inception.Eval, len(paths))
	for k, p := range paths {
		e, err := inception.LoadEval(p)
		if err != nil {
			return nil, err
		}
		parts[k] = e
	}
	// Order by first block; duplicates and gaps are reported by Merge.
	for a := 1; a < len(parts); a++ {
		for b := a; b > 0 && parts[b].FirstBlock < parts[b-1].FirstBlock; b-- {
			parts[b], parts[b-1] = parts[b-1], parts[b]
			paths[b], paths[b-1] = paths[b-1], paths[b]
		}
	}
	total := parts[0]
	for k, p := range parts[1:] {
		if err := total.Merge(p); err != nil {
			return nil, fmt.Errorf("merging %s: %w", paths[k+1], err)
		}
	}
	if !total.Complete() {
		return nil, fmt.Errorf("the partial files cover blocks [%d, %d) of %d: some shards are missing",
			total.FirstBlock, total.EndBlock, inception.Blocks(total.Total))
	}
	return total, nil
}
