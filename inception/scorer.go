package inception

import (
	"fmt"

	"github.com/autogan-go/autogan/tensor"
)

// InceptionScorer is the FID Inception-v3 as a metrics.Scorer: features are pool3,
// logits are the unbiased ones (pool3·Wᵀ without the fc bias), as the
// OpenAI Inception Score and AutoGAN compute them.
type InceptionScorer struct {
	Net  *Net
	Mode Mode
	Info FileInfo
}

// NewInceptionScorer loads weights from a .pth or .pb file.
func NewInceptionScorer(path string, mode Mode) (*InceptionScorer, error) {
	w, info, err := LoadFile(path)
	if err != nil {
		return nil, err
	}
	net, err := New(w)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &InceptionScorer{Net: net, Mode: mode, Info: info}, nil
}

// Name implements Scorer.
func (s *InceptionScorer) Name() string { return "inception-v3 (" + s.Mode.String() + ")" }

// FeatureDim implements Scorer.
func (s *InceptionScorer) FeatureDim() int { return FeatureDim }

// Batch implements Scorer: 50 images hold about 1.5 GB of activations.
func (s *InceptionScorer) Batch() int { return 50 }

// NumClasses implements Scorer.
func (s *InceptionScorer) NumClasses() int { return NumClasses }

// Run implements Scorer.
func (s *InceptionScorer) Run(pix []uint8, n, h, w int) (features, logits *tensor.Tensor) {
	x := Prepare(pix, n, h, w, s.Mode)
	out := s.Net.Forward(x, Want{Logits: true})
	x.Release()
	out.Logits.Release()
	return out.Pool3, out.LogitsUnbiased
}
