// Package metrics computes the two numbers GAN papers report, the
// Inception Score (IS) and the Fréchet Inception Distance (FID), with the
// conventions of the reference implementations (docs/metrics.md of this
// repository), for any network that turns images into features and logits
// (a Scorer: Inception-v3 in package inception, or the small classifier of
// package inception/classifier).
//
// # Images and scorers (evaluate.go, scorer.go, sources.go)
//
// Images is a source of 8-bit RGB images by global index: a dataset
// (DatasetImages), a folder of files, a generator. Evaluate scores one, or
// one shard of one, block by block; Evaluator does the same step by step,
// so that a long evaluation can be checkpointed and continued.
//
// # Exact statistics (score.go, stats.go, fixed.go)
//
// ISStats accumulates what the Inception Score needs — per split, the
// count, the sum of p(y|x) and the sum of Σ p log p — and FeatureStats the
// count, sum and sum of outer products of the features. Both accumulate
// each block of BlockSize images in float64 and then add it to 128-bit
// fixed-point sums, so that evaluations split into shards merge into the
// very bits one process computes, whatever the number of shards.
//
// # FID (fid.go, npz.go)
//
// FrechetDistance follows the reference: unbiased covariances and the
// trace of the matrix square root through symmetric eigendecompositions,
// with the reference's eps fallback. Statistics files use the .npz layout
// of TTUR and pytorch-fid.
//
// # Protocols and shards (protocol.go, shard.go, evalfile.go)
//
// ParseProtocol names the numbers of images of AutoGAN's protocol (50,000
// against the training set) and SN-GAN's (5,000 against 10,000).
// EvaluateShard scores one shard of a batch job, idempotent and
// preemptible, writing its exact partial statistics (Eval.Save); MergeFiles
// combines the shards (docs/cluster.md).
package metrics
