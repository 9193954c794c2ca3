// Command trainscorer trains the embedded scorer: ShapesNet (package
// inception), a small CNN classifier of Shapes-10, whose features and
// logits stand in for Inception-v3's when IS and FID are computed on the
// built-in dataset.
//
//	go run ./cmd/trainscorer -out inception/shapes10_scorer.safetensors
//
// It trains with Adam (cosine learning-rate schedule) and the cross-entropy
// loss on Shapes-10 images shown at 32×32, or first shrunk to 16×16 or 8×8
// as search stages 0 and 1 see them (the network upsamples its input to
// 32×32), then measures the accuracy on freshly generated images of another
// seed. The defaults take about 45 minutes on two cores. The weights file
// is embedded in the binary with go:embed; rebuild after retraining. The
// run is deterministic for a seed.
package main

import (
	"fmt"
	"math"
	"os"
	"time"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/internal/cli"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

func main() {
	cli.Exit("trainscorer", run(os.Args[1:]))
}

// options are the command line of trainscorer.
type options struct {
	n, epochs, batch, testN int
	lr, lowres              float64
	seed                    uint64
	out                     string
}

// flags defines the command line of trainscorer.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("trainscorer [flags]",
		"Trains the embedded scorer (ShapesNet, a Shapes-10 classifier) and writes its weights.")
	var o options
	fs.Group("Training")
	fs.IntVar(&o.n, "n", 50000, "training images")
	fs.IntVar(&o.epochs, "epochs", 16, "passes over the training images")
	fs.IntVar(&o.batch, "batch", 64, "batch size")
	fs.Float64Var(&o.lr, "lr", 3e-3, "Adam learning rate at the start of the cosine schedule")
	fs.Float64Var(&o.lowres, "lowres", 0.3, "fraction of batches shown at 16×16 or 8×8 (half each)")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the training data, initialisation and shuffling")
	fs.Group("Test and output")
	fs.IntVar(&o.testN, "test", 5000, "fresh test images (another seed) for the final accuracy")
	fs.StringVar(&o.out, "out", "inception/shapes10_scorer.safetensors", "weights file to write")
	return fs, &o
}

func run(args []string) error {
	fs, o := flags()
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.n < 1 || o.epochs < 1 || o.batch < 1 || o.testN < 1 || o.lr <= 0 || o.lowres < 0 || o.lowres > 1 {
		return cli.Usagef("-n, -epochs, -batch and -test must be at least 1, -lr positive, -lowres in [0, 1]")
	}
	return train(o.n, o.epochs, o.batch, o.lr, o.seed, o.testN, o.lowres, o.out)
}

func train(n, epochs, batch int, lr float64, seed uint64, testN int, lowres float64, out string) error {
	root := tensor.NewRNG(seed)
	fmt.Printf("generating %d Shapes-10 images (seed %d) and their 16×16 and 8×8 versions\n", n, seed)
	full := cifar.Shapes10(n, seed)
	res := map[int]*cifar.Memory{32: full}
	for _, s := range []int{16, 8} {
		m, err := cifar.Resized(full, s)
		if err != nil {
			return err
		}
		res[s] = m
	}
	net := inception.NewShapesNet(root.Child("init"))
	opt := optim.NewAdam(layers.NamedParams(net), lr, 0.9, 0.999)
	opt.Legacy = false
	shuffle := root.Child("shuffle")
	pick := root.Child("resolution")
	steps := (n + batch - 1) / batch
	start := time.Now()
	for ep := 0; ep < epochs; ep++ {
		perm := shuffle.Perm(n)
		var lossSum float64
		correct := 0
		for s := 0; s < steps; s++ {
			idx := perm[s*batch : min((s+1)*batch, n)]
			size := 32 // by default half the batches at full size, a quarter each at 16 and 8
			if u := pick.Float64(); u < lowres {
				size = 16
				if u < lowres/2 {
					size = 8
				}
			}
			// Cosine learning-rate schedule from lr down to 0.
			done := float64(ep*steps+s) / float64(epochs*steps)
			opt.LR = lr * 0.5 * (1 + math.Cos(math.Pi*done))
			pix, labels := gather(res[size], idx)
			x := net.Input(pix, len(idx), size, size)
			tp := autodiff.NewTape()
			_, logits := net.Forward(tp, autodiff.Const(x))
			tp.Keep(logits)
			loss := crossEntropy(tp, logits, labels)
			lossSum += float64(loss.Value.Item())
			correct += countCorrect(logits.Value, labels)
			opt.ZeroGrad()
			tp.Backward(loss)
			opt.Step()
			x.Release()
			logits.Value.Release()
			if s%100 == 99 || s == steps-1 {
				done := ep*steps + s + 1
				eta := time.Duration(float64(time.Since(start)) / float64(done) * float64(epochs*steps-done))
				fmt.Printf("\repoch %d/%d step %d/%d  loss %.4f  train accuracy %.3f  %.1f steps/s  ETA %s   ",
					ep+1, epochs, s+1, steps, lossSum/float64(s+1), float64(correct)/float64((s+1)*batch),
					float64(done)/time.Since(start).Seconds(), eta.Round(time.Second))
			}
		}
		fmt.Println()
	}
	net.SetTraining(false) // score with the running batch-norm statistics
	test := cifar.Shapes10(testN, seed+1000)
	accs := map[int]float64{}
	for _, size := range []int{32, 16, 8} {
		m := test
		if size != 32 {
			var err error
			if m, err = cifar.Resized(test, size); err != nil {
				return err
			}
		}
		accs[size] = accuracy(net, m, size)
		fmt.Printf("test accuracy at %d×%d on %d fresh images: %.4f\n", size, size, testN, accs[size])
	}
	w := ckpt.NewWriter()
	layers.Save(w, "", net)
	w.Meta("model", "ShapesNet")
	w.Meta("trained_by", "go run ./cmd/trainscorer")
	w.Meta("config", fmt.Sprintf("n=%d epochs=%d batch=%d lr=%g seed=%d", n, epochs, batch, lr, seed))
	w.Meta("test_accuracy", fmt.Sprintf("32x32=%.4f 16x16=%.4f 8x8=%.4f (%d fresh images, seed %d)", accs[32], accs[16], accs[8], testN, seed+1000))
	if err := w.Save(out); err != nil {
		return err
	}
	fmt.Println("wrote", out)
	return nil
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

func accuracy(net *inception.ShapesNet, m *cifar.Memory, size int) float64 {
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
