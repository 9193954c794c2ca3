// Package classifier is a small CNN classifier that stands in for
// Inception-v3 where Inception's ImageNet classes mean nothing: on the
// built-in Shapes-10 dataset its 128 features and 10 logits play the roles
// of Inception's pool3 and logits, so IS and FID can be computed without
// downloading anything. Its scores are comparable with each other, never
// with published Inception figures (docs/metrics.md §5).
//
// Net (net.go) is the network; NewEmbeddedScorer and Load (scorer.go) make
// a Scorer of the weights shipped in the binary with go:embed or of a
// cmd/trainscorer file; Train (train.go) is the training that produced
// them (cmd/trainscorer): Adam with
// a cosine schedule and the cross-entropy loss, on images shown at the
// resolutions the search's stages see.
package classifier
