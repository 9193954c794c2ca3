package classifier

import (
	_ "embed"
	"fmt"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// embeddedWeights are ShapesNet's weights trained by cmd/trainscorer
// (go run ./cmd/trainscorer -out inception/classifier/shapes10_scorer.safetensors).
//
//go:embed shapes10_scorer.safetensors
var embeddedWeights []byte

// EmbeddedScorer is the small Scorer shipped inside the binary: ShapesNet
// trained on Shapes-10. Its features (128) and logits (10) play the roles
// of Inception's pool3 and logits, so IS (at most 10 here) and FID can be
// computed on the default dataset without downloading anything.
type EmbeddedScorer struct {
	Net *ShapesNet
}

// NewEmbeddedScorer loads the embedded weights.
func NewEmbeddedScorer() (*EmbeddedScorer, error) {
	r, err := ckpt.FromBytes("embedded scorer weights", embeddedWeights)
	if err != nil {
		return nil, err
	}
	net := NewShapesNet(tensor.NewRNG(0))
	if err := layers.Load(r, "", net); err != nil {
		return nil, fmt.Errorf("embedded scorer: %w", err)
	}
	net.SetTraining(false)
	return &EmbeddedScorer{Net: net}, nil
}

// LoadShapesNet reads ShapesNet weights written by cmd/trainscorer and
// switches the network to evaluation mode.
func LoadShapesNet(path string, net *ShapesNet) error {
	r, err := ckpt.Open(path)
	if err != nil {
		return err
	}
	if err := layers.Load(r, "", net); err != nil {
		return err
	}
	net.SetTraining(false)
	return nil
}

// Name implements Scorer.
func (s *EmbeddedScorer) Name() string { return "embedded shapes10 scorer" }

// FeatureDim implements Scorer.
func (s *EmbeddedScorer) FeatureDim() int { return 128 }

// Batch implements Scorer: the network runs as fast on 25 images per call
// as on 100 (its convolutions are wide enough either way) and holds a
// quarter of the activations (33 MB instead of 129 MB).
func (s *EmbeddedScorer) Batch() int { return 25 }

// NumClasses implements Scorer.
func (s *EmbeddedScorer) NumClasses() int { return 10 }

// Run implements Scorer: the features are the global average of the last
// convolution, the logits those of the classifier (with its bias: unlike
// Inception's 1008 outputs, these are the classes the network was trained
// on).
func (s *EmbeddedScorer) Run(pix []uint8, n, h, w int) (features, logits *tensor.Tensor) {
	x := s.Net.Input(pix, n, h, w)
	tp := autodiff.NoGrad()
	f, l := s.Net.Forward(tp, autodiff.Const(x))
	tp.Keep(f)
	tp.Keep(l)
	tp.Free()
	x.Release()
	return f.Value, l.Value
}
