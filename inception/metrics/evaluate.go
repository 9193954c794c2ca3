package metrics

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/progress"
)

// Images supplies the images of an evaluation by global index, so that an
// evaluation can be split into shards that each read only their part.
type Images interface {
	// Len is the number of images.
	Len() int
	// Size is the height and width of every image.
	Size() (h, w int)
	// Fill writes images start … start+n−1 (n×3×H×W bytes) into pix.
	Fill(start, n int, pix []uint8) error
}

// Eval holds the statistics of an evaluation, or of one shard of it:
// what the Inception Score needs and the feature statistics of FID, both
// accumulated exactly so that shards merge into the very result one
// process would compute.
type Eval struct {
	Scorer string
	// Source describes the images (a folder, a dataset, a generator with
	// its seed); shards of different sources refuse to merge.
	Source     string
	Total      int // images of the whole evaluation
	FirstBlock int // blocks [FirstBlock, EndBlock) of BlockSize images are included
	EndBlock   int
	IS         *ISStats
	Features   *FeatureStats
}

// Blocks returns the number of blocks of an evaluation of n images.
func Blocks(n int) int { return (n + BlockSize - 1) / BlockSize }

// ShardBlocks returns the block range of shard i of shards: contiguous,
// near-equal parts of the blocks, in order.
func ShardBlocks(n, i, shards int) (first, end int) {
	nb := Blocks(n)
	return i * nb / shards, (i + 1) * nb / shards
}

// EvalConfig configures Evaluate.
type EvalConfig struct {
	Splits int // IS splits (default 10)
	// Batch is the number of images per scorer call (default: the
	// scorer's Batch); it bounds memory, not results
	// (TestBatchSizeDoesNotChangeResults).
	Batch int
	// Shard and Shards select shard Shard (0-based) of Shards; Shards 0 or 1
	// means the whole evaluation.
	Shard, Shards int
	Progress      *progress.Reporter
	Stage         string // progress label (default "scoring")
}

// Evaluate scores the images of src (all of them, or one shard) with sc.
func Evaluate(src Images, sc Scorer, cfg EvalConfig) (*Eval, error) {
	ev, err := NewEvaluator(src, sc, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Progress != nil {
		stage := cfg.Stage
		if stage == "" {
			stage = "scoring" // EvalConfig's documented default
		}
		cfg.Progress.Start(stage, ev.count, "images")
	}
	for !ev.Done() {
		if err := ev.Step(); err != nil {
			return nil, err
		}
		if cfg.Progress != nil {
			cfg.Progress.Update(ev.scored, "")
		}
	}
	if cfg.Progress != nil {
		cfg.Progress.Done()
	}
	return ev.Eval, nil
}

// Evaluator scores an evaluation block by block, so long evaluations can
// be interrupted and continued: Eval holds the blocks scored so far.
type Evaluator struct {
	Eval   *Eval
	src    Images
	sc     Scorer
	batch  int
	end    int // last block + 1 of the shard
	count  int // images of the shard
	scored int
	pix    []uint8
}

// NewEvaluator prepares the evaluation of src (or of one shard of it).
func NewEvaluator(src Images, sc Scorer, cfg EvalConfig) (*Evaluator, error) {
	n := src.Len()
	if n == 0 {
		return nil, fmt.Errorf("no images to score")
	}
	if cfg.Splits == 0 {
		cfg.Splits = 10
	}
	if n < cfg.Splits {
		return nil, fmt.Errorf("%d images cannot be cut into %d Inception Score splits", n, cfg.Splits)
	}
	if cfg.Shards < 1 {
		cfg.Shards = 1
	}
	if cfg.Shard < 0 || cfg.Shard >= cfg.Shards {
		return nil, fmt.Errorf("shard %d of %d", cfg.Shard, cfg.Shards)
	}
	if cfg.Batch <= 0 {
		cfg.Batch = sc.Batch()
	}
	first, end := ShardBlocks(n, cfg.Shard, cfg.Shards)
	e := &Eval{Scorer: sc.Name(), Total: n, FirstBlock: first, EndBlock: first,
		IS: NewISStats(int64(n), cfg.Splits, sc.NumClasses()), Features: NewFeatureStats(sc.FeatureDim())}
	h, w := src.Size()
	return &Evaluator{Eval: e, src: src, sc: sc, batch: cfg.Batch, end: end,
		count: blockImages(first, end, n), pix: make([]uint8, BlockSize*3*h*w)}, nil
}

// Continue resumes from the blocks a saved partial evaluation holds.
func (ev *Evaluator) Continue(partial *Eval) error {
	e := ev.Eval
	if partial.Total != e.Total || partial.Scorer != e.Scorer || partial.FirstBlock != e.FirstBlock || partial.EndBlock > ev.end {
		return fmt.Errorf("the partial evaluation (%d images by %q, blocks [%d, %d)) does not belong to this one",
			partial.Total, partial.Scorer, partial.FirstBlock, partial.EndBlock)
	}
	// The same scorer name does not guarantee the same shapes (a scorer file
	// retrained with other classes, or an edited file); statistics of other
	// sizes would fail at the next block, and other splits would give
	// another score.
	if partial.IS.Splits != e.IS.Splits || partial.IS.Classes != e.IS.Classes || partial.Features.Dim != e.Features.Dim {
		return fmt.Errorf("the partial evaluation has %d IS splits, %d classes and %d-d features; this one %d, %d and %d",
			partial.IS.Splits, partial.IS.Classes, partial.Features.Dim, e.IS.Splits, e.IS.Classes, e.Features.Dim)
	}
	ev.Eval = partial
	ev.scored = partial.Images()
	return nil
}

// Done reports whether every block of the shard is scored.
func (ev *Evaluator) Done() bool { return ev.Eval.EndBlock >= ev.end }

// Scored returns the number of images scored so far, and the total.
func (ev *Evaluator) Scored() (done, total int) { return ev.scored, ev.count }

// Step scores the next block.
func (ev *Evaluator) Step() error {
	e := ev.Eval
	b := e.EndBlock
	h, w := ev.src.Size()
	img := 3 * h * w
	start := b * BlockSize
	k := min(BlockSize, e.Total-start)
	if err := ev.src.Fill(start, k, ev.pix[:k*img]); err != nil {
		return err
	}
	feats := make([]float32, 0, k*ev.sc.FeatureDim())
	logits := make([]float32, 0, k*ev.sc.NumClasses())
	for s := 0; s < k; s += ev.batch {
		m := min(ev.batch, k-s)
		f, l := ev.sc.Run(ev.pix[s*img:(s+m)*img], m, h, w)
		feats = append(feats, f.Data()...)
		logits = append(logits, l.Data()...)
		f.Release()
		l.Release()
	}
	e.Features.AddBlock(feats, k)
	e.IS.AddBlock(int64(start), logits, k)
	e.EndBlock++
	ev.scored += k
	return nil
}

// Merge adds the blocks of o, which must directly follow e's, to e.
func (e *Eval) Merge(o *Eval) error {
	if o.Total != e.Total || o.Scorer != e.Scorer || o.Source != e.Source {
		return fmt.Errorf("cannot merge an evaluation of %d images of %q by %q into one of %d images of %q by %q",
			o.Total, o.Source, o.Scorer, e.Total, e.Source, e.Scorer)
	}
	if o.FirstBlock != e.EndBlock {
		return fmt.Errorf("shards do not follow each other: blocks [%d, %d) after [%d, %d)", o.FirstBlock, o.EndBlock, e.FirstBlock, e.EndBlock)
	}
	if err := e.IS.Merge(o.IS); err != nil {
		return err
	}
	if err := e.Features.Merge(o.Features); err != nil {
		return err
	}
	e.EndBlock = o.EndBlock
	return nil
}

// Images returns the number of images in the blocks the evaluation covers.
func (e *Eval) Images() int { return blockImages(e.FirstBlock, e.EndBlock, e.Total) }

// blockImages is the number of images in blocks [first, end) of an
// evaluation of total images (the last block may be short).
func blockImages(first, end, total int) int {
	if end <= first {
		return 0
	}
	return min(end*BlockSize, total) - first*BlockSize
}

// Complete reports whether every block is included.
func (e *Eval) Complete() bool { return e.FirstBlock == 0 && e.EndBlock == Blocks(e.Total) }

// InceptionScore returns the IS mean and standard deviation.
func (e *Eval) InceptionScore() (mean, std float64, err error) {
	if !e.Complete() {
		return 0, 0, fmt.Errorf("the evaluation covers blocks [%d, %d) of %d: merge all shards first", e.FirstBlock, e.EndBlock, Blocks(e.Total))
	}
	return e.IS.Score()
}

// FID returns the Fréchet distance between the evaluated images and the
// statistics (mu, sigma).
func (e *Eval) FID(mu, sigma []float64) (float64, error) {
	if !e.Complete() {
		return 0, fmt.Errorf("the evaluation covers blocks [%d, %d) of %d: merge all shards first", e.FirstBlock, e.EndBlock, Blocks(e.Total))
	}
	m, s, err := e.Features.MeanCov()
	if err != nil {
		return 0, err
	}
	if len(m) != len(mu) {
		return 0, fmt.Errorf("statistics of %d-dimensional features against %d-dimensional ones (made with another scorer?)", len(mu), len(m))
	}
	return FrechetDistance(m, s, mu, sigma)
}
