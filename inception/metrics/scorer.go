package metrics

import "github.com/autogan-go/autogan/tensor"

// Scorer turns 8-bit RGB images into the two things IS and FID need:
// feature vectors (FID) and class logits (IS). Inception-v3 (package inception) and the small
// classifier (package inception/classifier) both implement it, so every metric works with either.
type Scorer interface {
	// Name identifies the scorer in logs and result files.
	Name() string
	// FeatureDim is the length of a feature vector (2048 for Inception).
	FeatureDim() int
	// NumClasses is the number of logits (1008 for Inception).
	NumClasses() int
	// Batch is how many images a Run call should hold by default: it
	// bounds the memory of the activations and changes no result.
	Batch() int
	// Run scores n images (N×3×H×W, channel-major uint8) and returns the
	// features (N×FeatureDim) and the logits IS uses (N×NumClasses). The
	// caller owns (and may Release) the tensors.
	Run(pix []uint8, n, h, w int) (features, logits *tensor.Tensor)
}
