package metrics

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/autogan-go/autogan/internal/progress"
)

// Sharded, preemptible evaluation: the evaluation of a large set of images
// split over the tasks of a batch job (Slurm array, Kubernetes indexed job),
// each writing its exact partial statistics to a file, merged afterwards
// into the bits one process would compute (docs/cluster.md).

// ErrInterrupted is returned by EvaluateShard when ctx was cancelled (a
// signal) and the progress was saved: the command should exit with its
// requeue code, and running it again continues where it stopped.
var ErrInterrupted = errors.New("interrupted; progress saved, run again to continue")

// EvaluateShard evaluates shard i of n of src (described by source) with
// sc and returns its statistics and the number of images this call scored
// (fewer than the shard's when it continues a partial file, none when it
// finds the file done).
//
// With a partial file the work is idempotent and preemptible, as batch
// schedulers need: a finished file of the same evaluation is reused
// without recomputation (a requeued array task that had completed); an
// unfinished one (written when ctx was cancelled by SIGTERM) is continued
// from its last block; a file of another evaluation is an error, never
// overwritten. Every write is atomic. With n > 1 the partial file is
// required, since the shard's result is only useful merged.
func EvaluateShard(ctx context.Context, src Images, source string, sc Scorer, i, n int, partial string, rep *progress.Reporter) (*Eval, int, error) {
	if n > 1 && partial == "" {
		return nil, 0, errors.New("a shard needs -partial FILE to write its statistics to")
	}
	ev, err := NewEvaluator(src, sc, EvalConfig{Shard: i, Shards: n})
	if err != nil {
		return nil, 0, err
	}
	ev.Eval.Source = source
	if partial != "" {
		saved, err := LoadEval(partial)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return nil, 0, err
		case saved.Source != source:
			return nil, 0, fmt.Errorf("%s holds an evaluation of %q, not of %q; remove it or choose another file", partial, saved.Source, source)
		default:
			if err := ev.Continue(saved); err != nil {
				return nil, 0, fmt.Errorf("%s: %w; remove it or choose another file", partial, err)
			}
			if ev.Done() {
				rep.Log("shard %d/%d already done: %s", i, n, partial)
				return ev.Eval, 0, nil
			}
			done, total := ev.Scored()
			rep.Log("shard %d/%d: continuing from %s (%d of %d images scored)", i, n, partial, done, total)
		}
	}
	stage := fmt.Sprintf("scoring shard %d/%d", i, n)
	if n == 1 {
		stage = "scoring"
	}
	done0, total := ev.Scored()
	rep.Start(stage, total-done0, "images")
	for !ev.Done() {
		if ctx.Err() != nil {
			if partial == "" {
				return nil, 0, errors.New("interrupted (give -partial FILE to keep progress across interruptions)")
			}
			if err := ev.Eval.Save(partial); err != nil {
				return nil, 0, err
			}
			done, _ := ev.Scored()
			rep.Log("saved %d of %d images' statistics to %s", done, total, partial)
			return nil, 0, ErrInterrupted
		}
		if err := ev.Step(); err != nil {
			return nil, 0, err
		}
		done, _ := ev.Scored()
		note := ""
		if done0 > 0 {
			note = fmt.Sprintf("(%d/%d with the earlier run)", done, total)
		}
		rep.Update(done-done0, note)
	}
	rep.Done()
	if partial != "" {
		if err := ev.Eval.Save(partial); err != nil {
			return nil, 0, err
		}
		rep.Log("wrote %s (blocks %d…%d of %d)", partial, ev.Eval.FirstBlock, ev.Eval.EndBlock-1, Blocks(ev.Eval.Total))
	}
	done, _ := ev.Scored()
	return ev.Eval, done - done0, nil
}

// ShardDone reports whether the partial file at path holds shard i of n
// whole: EvaluateShard then returns it without scoring or writing anything
// (a rerun task of a finished array, whose folder may be mounted
// read-only). A file that is missing, damaged or of another shard is not
// done.
func ShardDone(path string, i, n int) bool {
	e, err := LoadEval(path)
	if err != nil {
		return false
	}
	first, end := ShardBlocks(e.Total, i, n)
	return e.FirstBlock == first && e.EndBlock >= end
}

// MergeFiles loads partial evaluation files and merges them in block
// order (the files may be given in any order).
func MergeFiles(paths []string) (*Eval, error) {
	if len(paths) == 0 {
		return nil, errors.New("no partial files to merge")
	}
	parts := make([]*Eval, len(paths))
	for k, p := range paths {
		e, err := LoadEval(p)
		if err != nil {
			return nil, err
		}
		parts[k] = e
	}
	// Order by first block, then end block (an empty shard, [k, k), comes
	// before the shard [k, k+m) that starts where it is); duplicates and
	// gaps are reported by Merge.
	before := func(a, b *Eval) bool {
		return a.FirstBlock < b.FirstBlock || a.FirstBlock == b.FirstBlock && a.EndBlock < b.EndBlock
	}
	for a := 1; a < len(parts); a++ {
		for b := a; b > 0 && before(parts[b], parts[b-1]); b-- {
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
		return nil, fmt.Errorf("the partial files cover blocks [%d, %d) of %d: some shards are missing or unfinished",
			total.FirstBlock, total.EndBlock, Blocks(total.Total))
	}
	return total, nil
}
