package metrics

import (
	"fmt"

	"github.com/autogan-go/autogan/internal/ckpt"
)

// Save writes the evaluation (a whole one or a shard) to a file: the exact
// fixed-point sums as int64 arrays (hi parts and lo parts), the block range
// and the parameters, atomically. A merge of such files is bit-identical
// to a single-process evaluation.
func (e *Eval) Save(path string) error {
	w := ckpt.NewWriter()
	w.Meta("format", "autogan-go partial evaluation v1")
	w.Meta("scorer", e.Scorer)
	w.Meta("source", e.Source)
	w.Int("total", int64(e.Total))
	w.Int("first_block", int64(e.FirstBlock))
	w.Int("end_block", int64(e.EndBlock))
	w.Int("block_size", BlockSize)
	w.Int("is.splits", int64(e.IS.Splits))
	w.Int("is.classes", int64(e.IS.Classes))
	w.Ints("is.count", e.IS.count)
	var sumP []fixed
	for _, s := range e.IS.sumP {
		sumP = append(sumP, s...)
	}
	putFixed(w, "is.sum_p", sumP)
	putFixed(w, "is.sum_plogp", e.IS.sumPLP)
	w.Int("features.dim", int64(e.Features.Dim))
	w.Int("features.count", e.Features.Count)
	putFixed(w, "features.sum", e.Features.sum)
	putFixed(w, "features.outer", lowerTriangle(e.Features.outer, e.Features.Dim))
	return w.Save(path)
}

// LoadEval reads a file written by Save.
func LoadEval(path string) (*Eval, error) {
	r, err := ckpt.Open(path)
	if err != nil {
		return nil, err
	}
	if f := r.Meta("format"); f != "autogan-go partial evaluation v1" {
		return nil, fmt.Errorf("%s: not an evaluation file (format %q)", path, f)
	}
	get := func(name string) int {
		v, e := r.Int(name)
		if err == nil && e != nil {
			err = e
		}
		return int(v)
	}
	total, first, end, bs := get("total"), get("first_block"), get("end_block"), get("block_size")
	splits, classes, dim := get("is.splits"), get("is.classes"), get("features.dim")
	if err != nil {
		return nil, err
	}
	if bs != BlockSize || total < 1 || first < 0 || end < first || end > Blocks(total) || splits < 1 || classes < 1 ||
		classes > 1<<20 || dim < 1 || dim > 1<<14 || splits > total || splits > 1<<20 {
		return nil, fmt.Errorf("%s: inconsistent header (total %d, blocks [%d, %d), block size %d, splits %d, classes %d, dim %d)",
			path, total, first, end, bs, splits, classes, dim)
	}
	// Read every array before allocating anything from the header's sizes:
	// the arrays are backed by the file's bytes, so a small damaged file
	// cannot make us allocate gigabytes (getFixed checks each size first).
	count, err := r.Ints("is.count", splits)
	if err != nil {
		return nil, err
	}
	sumP, err := getFixed(r, "is.sum_p", splits*classes)
	if err != nil {
		return nil, err
	}
	sumPLP, err := getFixed(r, "is.sum_plogp", splits)
	if err != nil {
		return nil, err
	}
	n, err := r.Int("features.count")
	if err != nil {
		return nil, err
	}
	// The counts must be those of the blocks the file covers: statistics
	// of other counts would merge "complete" and divide IS and FID by the
	// wrong number of images.
	scored := int64(blockImages(first, end, total))
	if n != scored {
		return nil, fmt.Errorf("%s: %d images' features for blocks [%d, %d), which hold %d", path, n, first, end, scored)
	}
	var inSplits int64
	for _, c := range count {
		if c < 0 || c > int64(total) {
			return nil, fmt.Errorf("%s: a split of %d images in an evaluation of %d", path, c, total)
		}
		inSplits += c
	}
	if inSplits != scored {
		return nil, fmt.Errorf("%s: %d images in the IS splits for blocks [%d, %d), which hold %d", path, inSplits, first, end, scored)
	}
	sum, err := getFixed(r, "features.sum", dim)
	if err != nil {
		return nil, err
	}
	tri, err := getFixed(r, "features.outer", dim*(dim+1)/2)
	if err != nil {
		return nil, err
	}
	is := &ISStats{Total: int64(total), Splits: splits, Classes: classes, count: count, sumP: make([][]fixed, splits), sumPLP: sumPLP}
	for i := range is.sumP {
		is.sumP[i] = sumP[i*classes : (i+1)*classes]
	}
	return &Eval{Scorer: r.Meta("scorer"), Source: r.Meta("source"), Total: total, FirstBlock: first, EndBlock: end,
		IS: is, Features: &FeatureStats{Dim: dim, Count: n, sum: sum, outer: fromLowerTriangle(tri, dim)}}, nil
}

func putFixed(w *ckpt.Writer, name string, v []fixed) {
	hi, lo := make([]int64, len(v)), make([]int64, len(v))
	for i, f := range v {
		hi[i], lo[i] = f.hi, int64(f.lo)
	}
	w.Ints(name+".hi", hi)
	w.Ints(name+".lo", lo)
}

func getFixed(r *ckpt.Reader, name string, n int) ([]fixed, error) {
	hi, err := r.Ints(name+".hi", n)
	if err != nil {
		return nil, err
	}
	lo, err := r.Ints(name+".lo", n)
	if err != nil {
		return nil, err
	}
	out := make([]fixed, n)
	for i := range out {
		out[i] = fixed{hi: hi[i], lo: uint64(lo[i])}
	}
	return out, nil
}

func lowerTriangle(m []fixed, d int) []fixed {
	out := make([]fixed, 0, d*(d+1)/2)
	for i := 0; i < d; i++ {
		out = append(out, m[i*d:i*d+i+1]...)
	}
	return out
}

func fromLowerTriangle(t []fixed, d int) []fixed {
	m := make([]fixed, d*d)
	k := 0
	for i := 0; i < d; i++ {
		copy(m[i*d:i*d+i+1], t[k:k+i+1])
		k += i + 1
	}
	return m
}
