package nas

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// Controller is the RNN controller of one search stage (AutoGAN
// models_search/controller.py): an LSTMCell(hidden, hidden), one embedding
// table shared by the tokens (a row per choice of every token) and a
// separate linear decoder per token. A new controller, with fresh weights
// and a fresh optimiser, is built at every stage.
type Controller struct {
	Stage    int
	Tokens   []int // choices per token: conv, norm, up, shortcut[, skip]
	Hidden   int
	LSTM     *layers.LSTMCell
	Encoder  *layers.Embedding
	Decoders []*layers.Linear
}

// NewController builds the controller of a stage with PyTorch's default
// initialisation (the reference's weights_init touches no controller
// layer): embedding N(0,1), LSTM U(±1/√hidden), decoders U(±1/√hidden).
func NewController(stage, hidden int, g *tensor.RNG) *Controller {
	return newController(stage, tokensPerStage(stage), hidden, g)
}

// newController builds a controller over the given token vocabularies:
// the LSTM cell, one embedding shared by all tokens, a decoder per token,
// created in this order from g (the reference's module order).
func newController(stage int, tokens []int, hidden int, g *tensor.RNG) *Controller {
	c := &Controller{Stage: stage, Tokens: tokens, Hidden: hidden}
	c.LSTM = layers.NewLSTMCell(hidden, hidden, g)
	total := 0
	for _, t := range c.Tokens {
		total += t
	}
	c.Encoder = layers.NewEmbedding(total, hidden, g)
	for _, t := range c.Tokens {
		c.Decoders = append(c.Decoders, layers.NewLinear(hidden, t, true, g))
	}
	return c
}

// State implements layers.Module (names as the reference's state_dict).
func (c *Controller) State(prefix string) []layers.Entry {
	es := c.LSTM.State(prefix + "lstm.")
	es = append(es, c.Encoder.State(prefix+"encoder.")...)
	for i, d := range c.Decoders {
		es = append(es, d.State(fmt.Sprintf("%sdecoders.%d.", prefix, i))...)
	}
	return es
}

// SetTraining implements layers.Module; the controller has no mode.
func (c *Controller) SetTraining(bool) {}

// Prefix is an architecture kept from an earlier stage together with the
// controller state (h, c) after its last token, from which the next
// stage's controller starts when it extends this prefix.
type Prefix struct {
	Arch   Arch
	H, C   []float32
	Reward float64 // the IS that ranked it among the top K
}

// Sampled are architectures sampled by a controller.
type Sampled struct {
	Archs []Arch // full architectures: the chosen prefix + this stage's cell
	// LogProbs (N×T) are the log-probabilities of the chosen tokens and
	// Entropies (N·T×1, token-major as torch.cat(…, 0) gives them) the
	// entropies of the token distributions; both carry gradients when the
	// tape records.
	LogProbs, Entropies *autodiff.Var
	// H and C are the final LSTM states (after the last token's step; the
	// last action is never fed back), one row per sample.
	H, C *tensor.Tensor
	// Probs are the choice probabilities of every token for the first
	// sample (Probs[k] has Tokens[k] values): what the controller prefers,
	// for the metrics.
	Probs [][]float64
}

// TokenNames names the controller's tokens, "cell2 norm" for the norm
// token of the second cell: a stage's controller decides one cell, the
// single-level one all three.
func (c *Controller) TokenNames() []string {
	var names []string
	cell, k := c.Stage, 0
	if c.Stage < 0 { // single level: cell 1's four tokens, then five per cell
		cell = 0
	}
	for range c.Tokens {
		names = append(names, fmt.Sprintf("cell%d %s", cell+1, tokenNames[k]))
		k++
		if k == len(tokensPerStage(cell)) {
			cell, k = cell+1, 0
		}
	}
	return names
}

// Sample draws n architectures. With prefixes (the top K of the previous
// stage), each sample first picks one of them uniformly with replacement
// (numpy's random.choice in the reference; its TODO asks for
// replace=False) and starts from its stored hidden state; otherwise the
// state starts at zero. The first LSTM input is a zero vector, then each
// chosen action's embedding row (action + the offset of its token's
// choices). No temperature, no logit clipping.
func (c *Controller) Sample(tp *autodiff.Tape, n int, prefixes []Prefix, pick, draw *tensor.RNG) Sampled {
	H := c.Hidden
	h0, c0 := tensor.New(n, H), tensor.New(n, H)
	chosen := make([]int, n)
	if len(prefixes) > 0 {
		for i := range chosen {
			chosen[i] = pick.IntN(len(prefixes))
			copy(h0.Data()[i*H:(i+1)*H], prefixes[chosen[i]].H)
			copy(c0.Data()[i*H:(i+1)*H], prefixes[chosen[i]].C)
		}
	}
	s, actions := c.run(tp, h0, c0, func(_, _ int, p []float32) int { return multinomial(p, draw) })
	for i := 0; i < n; i++ {
		var base []int
		if len(prefixes) > 0 {
			base = prefixes[chosen[i]].Arch.Ints()
		}
		a, err := FromInts(append(base, actions[i]...))
		if err != nil {
			panic(err) // sampled tokens are always in range
		}
		s.Archs = append(s.Archs, a)
	}
	return s
}

// Evaluate runs the controller from the states (h0, c0) (N×Hidden) along
// given actions (N×T token values) and returns their log-probabilities,
// entropies and final states, as Sample does for the actions it draws.
// Archs is left empty.
func (c *Controller) Evaluate(tp *autodiff.Tape, h0, c0 *tensor.Tensor, actions [][]int) Sampled {
	s, _ := c.run(tp, h0, c0, func(k, i int, _ []float32) int { return actions[i][k] })
	return s
}

// run steps the LSTM through the tokens; choose picks the action of token
// k for sample i from its probabilities.
func (c *Controller) run(tp *autodiff.Tape, h0, c0 *tensor.Tensor, choose func(k, i int, p []float32) int) (Sampled, [][]int) {
	n, H := h0.Dim(0), c.Hidden
	hx, cx := autodiff.Const(h0), autodiff.Const(c0)
	x := autodiff.Const(tensor.New(n, H)) // the first input is a zero vector
	actions := make([][]int, n)
	var logps, ents []*autodiff.Var
	var probs [][]float64
	offset := 0
	for k, choices := range c.Tokens {
		hx, cx = c.LSTM.Forward(tp, x, hx, cx)
		logp := tp.LogSoftmax(c.Decoders[k].Forward(tp, hx))
		p := tp.Exp(logp)
		// entropy = −Σ p·log p per sample (N×1)
		ents = append(ents, tp.Neg(tp.Reshape(tp.Sum(tp.Mul(p, logp), []int{1}), n, 1)))
		probs = append(probs, f32to64(p.Value.Data()[:choices]))
		idx := make([]int, n)
		onehot := tensor.New(n, choices)
		for i := 0; i < n; i++ {
			a := choose(k, i, p.Value.Data()[i*choices:(i+1)*choices])
			actions[i] = append(actions[i], a)
			idx[i] = a + offset // the action's row of the shared embedding table
			onehot.Set(1, i, a)
		}
		// log p of the chosen action (N×1)
		logps = append(logps, tp.Reshape(tp.Sum(tp.Mul(logp, autodiff.Const(onehot)), []int{1}), n, 1))
		x = c.Encoder.Forward(tp, idx)
		offset += choices
	}
	return Sampled{LogProbs: tp.Concat(1, logps...), Entropies: tp.Concat(0, ents...),
		H: hx.Value.Clone(), C: cx.Value.Clone(), Probs: probs}, actions
}

// multinomial draws an index with probabilities p (summing to 1 up to
// rounding) from one uniform number, by inverting the cumulative sum in
// float64.
func multinomial(p []float32, g *tensor.RNG) int {
	u := g.Float64()
	var cum float64
	for i, v := range p {
		cum += float64(v)
		if u < cum {
			return i
		}
	}
	// Rounding left u above the total: take the last choice with mass.
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] > 0 && !math.IsNaN(float64(p[i])) {
			return i
		}
	}
	return len(p) - 1
}

// NewSLASController builds the single-level controller of the SLAS
// ablation: one controller whose tokens are those of all three cells (4 + 5
// + 5), sampling whole architectures at once.
func NewSLASController(hidden int, g *tensor.RNG) *Controller {
	var tokens []int
	for s := 0; s < 3; s++ {
		tokens = append(tokens, tokensPerStage(s)...)
	}
	return newController(-1, tokens, hidden, g)
}

func f32to64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}
