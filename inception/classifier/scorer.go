package classifier

import (
	_ "embed"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// embeddedWeights are the network's weights trained on Shapes-10 by
// cmd/trainscorer (go run ./cmd/trainscorer -out
// inception/classifier/shapes10_scorer.safetensors).
//
//go:embed shapes10_scorer.safetensors
var embeddedWeights []byte

// Info is what a scorer file records of the data it was trained on: a
// scorer only means something for images like those.
type Info struct {
	Dataset   string   // the dataset's name, as the commands' -dataset takes it
	ImageSize int      // the size of the images it was trained on (smaller ones are upsampled)
	Channels  int      // of the dataset's images before they were made RGB (1 for MNIST)
	Classes   []string // the class names, in label order
	Accuracy  string   // the test accuracy measured after training
}

// Scorer is a trained classifier as a metrics.Scorer: its 128 features and
// its logits play the roles of Inception's pool3 and logits, so IS (at most
// the number of classes here) and FID can be computed on its dataset.
type Scorer struct {
	Net  *Net
	Info Info
	name string
}

// NewEmbeddedScorer loads the embedded weights, trained on Shapes-10.
func NewEmbeddedScorer() (*Scorer, error) {
	r, err := ckpt.FromBytes("embedded scorer weights", embeddedWeights)
	if err != nil {
		return nil, err
	}
	s, err := load(r)
	if err != nil {
		return nil, fmt.Errorf("embedded scorer: %w", err)
	}
	s.name = "embedded shapes10 scorer"
	return s, nil
}

// Load reads a scorer written by Trained.Save (cmd/trainscorer).
func Load(path string) (*Scorer, error) {
	r, err := ckpt.Open(path)
	if err != nil {
		return nil, err
	}
	s, err := load(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.name = fmt.Sprintf("classifier trained on %s (%s)", s.Info.Dataset, filepath.Base(path))
	return s, nil
}

// IsScorerFile reports whether the first bytes of a file are those of a
// scorer's weights (a safetensors file), as opposed to Inception's .pth or
// .pb.
func IsScorerFile(head []byte) bool {
	return len(head) >= 9 && head[8] == '{'
}

// load builds the network from a checkpoint and reads what it records.
// The embedded weights predate the recorded dataset: they are Shapes-10's.
func load(r *ckpt.Reader) (*Scorer, error) {
	if m := r.Meta("model"); m != "ShapesNet" && m != "classifier" {
		return nil, fmt.Errorf("not the weights of a classifier scorer (model %q)", m)
	}
	classes := 10
	if !r.Has("fc.weight") {
		return nil, fmt.Errorf("no fc.weight")
	}
	if c := r.Meta("classes"); c != "" {
		classes = len(strings.Split(c, ","))
	}
	if classes < 2 || classes > 10000 {
		return nil, fmt.Errorf("%d classes", classes)
	}
	net := NewNet(classes, tensor.NewRNG(0))
	if err := layers.Load(r, "", net); err != nil {
		return nil, err
	}
	net.SetTraining(false)
	info := Info{Dataset: r.Meta("dataset"), ImageSize: InputSize, Channels: 3, Accuracy: r.Meta("test_accuracy")}
	if info.Dataset == "" {
		info.Dataset = "shapes10"
	}
	if c := r.Meta("classes"); c != "" {
		info.Classes = strings.Split(c, ",")
	}
	if v, err := strconv.Atoi(r.Meta("image_size")); err == nil {
		info.ImageSize = v
	}
	if v, err := strconv.Atoi(r.Meta("channels")); err == nil {
		info.Channels = v
	}
	return &Scorer{Net: net, Info: info}, nil
}

// Name implements metrics.Scorer.
func (s *Scorer) Name() string { return s.name }

// Dataset is the dataset the scorer was trained on.
func (s *Scorer) Dataset() string { return s.Info.Dataset }

// FeatureDim implements metrics.Scorer.
func (s *Scorer) FeatureDim() int { return FeatureDim }

// Batch implements metrics.Scorer: the network runs as fast on 25 images
// per call as on 100 (its convolutions are wide enough either way) and
// holds a quarter of the activations (33 MB instead of 129 MB).
func (s *Scorer) Batch() int { return 25 }

// NumClasses implements metrics.Scorer.
func (s *Scorer) NumClasses() int { return s.Net.Classes() }

// Run implements metrics.Scorer: the features are the global average of
// the last convolution, the logits those of the classifier (with its bias:
// unlike Inception's 1008 outputs, these are the classes the network was
// trained on).
func (s *Scorer) Run(pix []uint8, n, h, w int) (features, logits *tensor.Tensor) {
	x := s.Net.Input(pix, n, h, w)
	tp := autodiff.NoGrad()
	f, l := s.Net.Forward(tp, autodiff.Const(x))
	tp.Keep(f)
	tp.Keep(l)
	tp.Free()
	x.Release()
	return f.Value, l.Value
}
