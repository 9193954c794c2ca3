package classifier

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// TrainConfig are the settings of training a classifier scorer.
type TrainConfig struct {
	Epochs, Batch int     // passes over the training images, batch size
	LR            float64 // Adam's learning rate at the start of the cosine schedule
	LowRes        float64 // fraction of batches shown at 16×16 or 8×8 (half each)
	// Augment shows every training image mirrored left to right with
	// probability one half and shifted by up to two pixels each way at
	// 32×32, one at 16×16 (the edge pixels repeated), the usual
	// augmentation of small-image classifiers; it narrows the gap between
	// training and test accuracy.
	Augment bool
	Seed    uint64 // of the initialisation and the shuffling (and of generated data)
	// Dataset names the training data (recorded in the weights file: the
	// scorer only means something for images like these), and Channels
	// the channels of its images before they were made RGB (1 for MNIST).
	Dataset  string
	Channels int
}

// Trained is a trained network and its test accuracy by input size.
type Trained struct {
	Net      *Net
	Accuracy map[int]float64 // 32, 16, 8
	Config   TrainConfig
	Classes  []string
	Train    int // training images
	Test     int // test images
}

// Train trains the classifier with Adam (a cosine learning-rate schedule)
// and the cross-entropy loss on the labelled training images, shown at
// 32×32, or first shrunk to 16×16 or 8×8 as the search's stages 0 and 1
// see them (the network up-samples its input to 32×32), then measures the
// accuracy on the test images at each size. Progress goes to log. The run
// is deterministic for a configuration and data.
func Train(c TrainConfig, train, test cifar.Dataset, log io.Writer) (*Trained, error) {
	classes := train.Classes()
	if len(classes) < 2 {
		return nil, fmt.Errorf("%s has no labels: a scorer is trained on labelled images", c.Dataset)
	}
	if tc := test.Classes(); !slices.Equal(tc, classes) {
		return nil, fmt.Errorf("the test images have the classes %v, the training images %v", tc, classes)
	}
	if _, h, w := train.Size(); h != InputSize || w != InputSize {
		return nil, fmt.Errorf("%s has %d×%d images; train the scorer on %d×%d ones", c.Dataset, w, h, InputSize, InputSize)
	}
	full, err := cifar.Load(c.Dataset, train)
	if err != nil {
		return nil, err
	}
	for i := 0; i < full.Len(); i++ {
		if l := full.Label(i); l < 0 || l >= len(classes) {
			return nil, fmt.Errorf("image %d of %s has label %d (classes %d)", i, c.Dataset, l, len(classes))
		}
	}
	n, batch := full.Len(), c.Batch
	root := tensor.NewRNG(c.Seed)
	fmt.Fprintf(log, "training on %d images of %s (%d classes) and their 16×16 and 8×8 versions\n", n, c.Dataset, len(classes))
	res := map[int]*cifar.Memory{32: full}
	for _, s := range []int{16, 8} {
		m, err := cifar.Resized(full, s)
		if err != nil {
			return nil, err
		}
		res[s] = m
	}
	net := NewNet(len(classes), root.Child("init"))
	opt := optim.NewAdam(layers.NamedParams(net), c.LR, 0.9, 0.999)
	opt.Legacy = false // no reference run to match: today's PyTorch Adam (ε after the bias correction), not 1.1's
	shuffle := root.Child("shuffle")
	pick := root.Child("resolution")
	augment := root.Child("augment")
	steps := (n + batch - 1) / batch
	start := time.Now()
	for ep := 0; ep < c.Epochs; ep++ {
		perm := shuffle.Perm(n)
		var lossSum float64
		correct := 0
		for s := 0; s < steps; s++ {
			idx := perm[s*batch : min((s+1)*batch, n)]
			size := 32 // 1 − LowRes of the batches; LowRes/2 each at 16 and 8 (default 0.3: 70%, 15%, 15%)
			if u := pick.Float64(); u < c.LowRes {
				size = 16
				if u < c.LowRes/2 {
					size = 8
				}
			}
			// Cosine learning-rate schedule from lr down to 0.
			done := float64(ep*steps+s) / float64(c.Epochs*steps)
			opt.LR = c.LR * 0.5 * (1 + math.Cos(math.Pi*done))
			pix, labels := gather(res[size], idx)
			if c.Augment {
				augmentBatch(pix, len(idx), res[size].C, size, augment)
			}
			x := net.Input(pix, len(idx), size, size)
			tp := autodiff.NewTape()
			_, logits := net.Forward(tp, autodiff.Const(x))
			tp.Keep(logits)
			loss := crossEntropy(tp, logits, labels)
			if l := float64(loss.Value.Item()); math.IsNaN(l) || math.IsInf(l, 0) {
				// Diverged (a learning rate far too high): stop before
				// weights of NaN are written as a scorer.
				return nil, fmt.Errorf("the loss is %v at epoch %d, step %d: training diverged (try a lower -lr)", l, ep+1, s+1)
			}
			lossSum += float64(loss.Value.Item())
			correct += countCorrect(logits.Value, labels)
			opt.ZeroGrad()
			tp.Backward(loss)
			opt.Step()
			x.Release()
			logits.Value.Release()
			if s%100 == 99 || s == steps-1 {
				done := ep*steps + s + 1
				eta := time.Duration(float64(time.Since(start)) / float64(done) * float64(c.Epochs*steps-done))
				fmt.Fprintf(log, "\repoch %d/%d step %d/%d  loss %.4f  train accuracy %.3f  %.1f steps/s  ETA %s   ",
					ep+1, c.Epochs, s+1, steps, lossSum/float64(s+1), float64(correct)/float64((s+1)*batch),
					float64(done)/time.Since(start).Seconds(), eta.Round(time.Second))
			}
		}
		fmt.Fprintln(log)
	}
	net.SetTraining(false) // score with the running batch-norm statistics
	testM, err := cifar.Load(c.Dataset+" test", test)
	if err != nil {
		return nil, err
	}
	accs := map[int]float64{}
	for _, size := range []int{32, 16, 8} {
		m := testM
		if size != 32 {
			var err error
			if m, err = cifar.Resized(testM, size); err != nil {
				return nil, err
			}
		}
		accs[size] = accuracy(net, m, size)
		fmt.Fprintf(log, "test accuracy at %d×%d on %d test images: %.4f\n", size, size, testM.Len(), accs[size])
	}
	return &Trained{Net: net, Accuracy: accs, Config: c, Classes: classes, Train: n, Test: testM.Len()}, nil
}

// Save writes the weights with what trained them, on what data, and how
// well they do (Load reads them back).
func (t *Trained) Save(path string) error {
	c := t.Config
	w := ckpt.NewWriter()
	layers.Save(w, "", t.Net)
	w.Meta("model", "classifier")
	w.Meta("trained_by", "go run ./cmd/trainscorer")
	w.Meta("dataset", c.Dataset)
	w.Meta("image_size", strconv.Itoa(InputSize))
	w.Meta("channels", strconv.Itoa(c.Channels))
	w.Meta("classes", strings.Join(t.Classes, ","))
	w.Meta("config", fmt.Sprintf("images=%d epochs=%d batch=%d lr=%g lowres=%g augment=%t seed=%d", t.Train, c.Epochs, c.Batch, c.LR, c.LowRes, c.Augment, c.Seed))
	w.Meta("test_accuracy", fmt.Sprintf("32x32=%.4f 16x16=%.4f 8x8=%.4f (%d test images)",
		t.Accuracy[32], t.Accuracy[16], t.Accuracy[8], t.Test))
	return w.Save(path)
}

// gather copies the images idx and their labels.
func gather(m *cifar.Memory, idx []int) ([]uint8, []int) {
	size := m.C * m.H * m.W
	pix := make([]uint8, len(idx)*size)
	labels := make([]int, len(idx))
	for k, i := range idx {
		copy(pix[k*size:(k+1)*size], m.Pixels[i*size:(i+1)*size])
		labels[k] = m.Labels[i]
	}
	return pix, labels
}

// crossEntropy is the mean negative log-likelihood of the labels.
func crossEntropy(tp *autodiff.Tape, logits *autodiff.Var, labels []int) *autodiff.Var {
	k := logits.Value.Dim(1)
	onehot := tensor.New(len(labels), k)
	for i, l := range labels {
		onehot.Set(-1/float32(len(labels)), i, l)
	}
	return tp.Sum(tp.Mul(tp.LogSoftmax(logits), autodiff.Const(onehot)), nil)
}

func countCorrect(logits *tensor.Tensor, labels []int) int {
	c := 0
	for i, p := range tensor.ArgMax(logits, 1) {
		if p == labels[i] {
			c++
		}
	}
	return c
}

// accuracy is the fraction of m's images the network classifies right.
func accuracy(net *Net, m *cifar.Memory, size int) float64 {
	correct := 0
	for s := 0; s < m.Len(); s += 500 {
		idx := make([]int, 0, 500)
		for i := s; i < min(s+500, m.Len()); i++ {
			idx = append(idx, i)
		}
		pix, labels := gather(m, idx)
		x := net.Input(pix, len(idx), size, size)
		_, logits := net.Forward(autodiff.NoGrad(), autodiff.Const(x))
		correct += countCorrect(logits.Value, labels)
		x.Release()
	}
	return float64(correct) / float64(m.Len())
}
