// Package inception is the Inception-v3 network of the reference
// implementations of the Inception Score and the Fréchet Inception
// Distance (docs/metrics.md of this repository): the network, its weights
// from PyTorch or TensorFlow files, and TensorFlow-exact preprocessing.
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
// # Scorer (scorer.go)
//
// InceptionScorer wraps Net as a metrics.Scorer: features are pool3,
// logits the unbiased ones. The metrics themselves — IS, FID, exact
// shardable statistics, evaluation protocols — are in package
// inception/metrics, and the small classifier that replaces Inception on
// the built-in dataset is in package inception/classifier.
package inception
