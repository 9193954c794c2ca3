// Package inception computes the two numbers GAN papers report, the
// Inception Score (IS) and the Fréchet Inception Distance (FID), with the
// network and the conventions of the reference implementations
// (docs/metrics.md of this repository).
//
// # The network (net.go, units.go, prepare.go)
//
// Net is the FID variant of Inception-v3 that pytorch-fid and
// torch-fidelity port from TensorFlow's 2015 graph: 94 convolution +
// batch-norm units (batch norm folded into the convolutions at load time),
// tower average pools that do not count padding, a max pool in the last
// block's pool branch, and a 1008-way classifier. It returns the 2048-d
// pool3 features (FID), the 1008 logits without the classifier bias (IS),
// with the bias, and the 64/192/768-d block features.
//
// Prepare turns uint8 images into the network's input. The default Mode,
// TF, is exact TensorFlow 1: the legacy bilinear resize to 299×299 in
// float32, then (x − 128)/128, as TTUR, the OpenAI IS code, AutoGAN and
// torch-fidelity compute it; PyTorchFID selects pytorch-fid's half-pixel
// resize.
//
// # Weights (load.go)
//
// LoadFile reads the weights from the standard files, choosing the format
// from the file's bytes: PyTorch .pth in the zip and the legacy format
// (pt_inception-2015-12-05-6726825d.pth), or TensorFlow's
// classify_image_graph_def.pb (the graph the AutoGAN paper's numbers come
// from). Every shape is checked against the architecture. SyntheticWeights
// builds deterministic weights from a formula shared with the Python
// fixture generator, for the parity tests without the real files.
//
// # Metrics (score.go, stats.go, fid.go, fixed.go)
//
// ISStats accumulates what the Inception Score needs — per split, the
// count, the sum of p(y|x) and the sum of Σ p log p — and FeatureStats the
// count, sum and sum of outer products of the features. Both accumulate
// each block of BlockSize images in float64 and then add it to 128-bit
// fixed-point sums, so that evaluations split into shards merge into the
// very bits one process computes. FrechetDistance follows the reference:
// unbiased covariances and the trace of the matrix square root through
// symmetric eigendecompositions, with the reference's eps fallback.
// Statistics files use the .npz layout of TTUR and pytorch-fid (npz.go).
//
// # Evaluations (evaluate.go, evalfile.go, sources.go)
//
// Images is a source of images by global index (a folder, a dataset, a
// generator). Evaluate scores one, or one shard of one, block by block;
// Evaluator does the same step by step so a long evaluation can be
// checkpointed, and Eval.Save / LoadEval / Eval.Merge write and combine the
// exact partial statistics of shards (cmd/eval -shard, docs/cluster.md).
//
// # Scorers (scorer.go, embedded.go, shapesnet.go)
//
// Scorer is what the metrics need of a network: features and logits of
// uint8 images. InceptionScorer wraps Net; EmbeddedScorer is a small CNN
// trained by cmd/trainscorer on the embedded Shapes-10 dataset, shipped in
// the binary with go:embed, so that `go run ./cmd/search` works without
// downloading anything. Its IS and FID are not comparable with
// Inception's; they measure the same things on Shapes-10.
package inception
