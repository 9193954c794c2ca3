package nas

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/internal/fixture"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/optim"
	"github.com/autogan-go/autogan/tensor"
)

// Whole-step parity with PyTorch. testdata/make_step_fixtures.py runs the
// reference's training steps (train_shared, train_controller, train of
// train_derived.py) from one saved state, written in the layout of our
// checkpoints; these tests load that state, take the same steps and
// compare every gradient before each optimiser step, the Adam moments and
// every weight's change Δw afterwards, batch-norm statistics and
// spectral-norm vectors. Comparing Δw and not only the weights matters:
// with β1 = 0, Adam's first step is about lr·sign(g), so weights alone
// would pass with wrong gradients.
//
// Every quantity is compared with PyTorch's float32 result, relative to
// the largest magnitude of the tensor (max|got − want| / max|want|). The
// fixture also holds the same steps computed in float64: where PyTorch's
// own float32 result is further than the tolerance from it, the quantity is
// rounding noise (the gradient of a conv bias that feeds a batch norm is
// exactly zero in exact arithmetic, and Adam turns its noise into a step of
// ±lr of either sign), and ours must be as close to the float64 value as
// PyTorch's is, within a factor of 4. The tests log how many quantities
// took that route and the worst relative error of the others.

// Tolerances: relative to the tensor's largest magnitude.
const (
	tolGrad   = 1e-4 // gradients before the optimiser step
	tolDelta  = 1e-4 // weight changes Δw of one cycle
	tolMoment = 1e-4 // Adam's exp_avg / exp_avg_sq after the cycle
	tolState  = 1e-5 // values: losses, outputs, buffers, EMA averages
)

// parity compares tensors with a fixture and keeps statistics by kind.
type parity struct {
	t     *testing.T
	fx    *fixture.File
	worst map[string]float64
	count map[string]int
	noise map[string]int
}

func newParity(t *testing.T, path string) *parity {
	return &parity{t: t, fx: fixture.Open(t, path), worst: map[string]float64{}, count: map[string]int{}, noise: map[string]int{}}
}

// relErr is max|a − b| / max|b| (0 when both are 0).
func relErr(a []float32, b []float64) float64 {
	var d, m float64
	for i := range b {
		d = math.Max(d, math.Abs(float64(a[i])-b[i]))
		m = math.Max(m, math.Abs(b[i]))
	}
	if m == 0 {
		if d == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return d / m
}

func to32(a []float64) []float32 {
	out := make([]float32, len(a))
	for i, v := range a {
		out[i] = float32(v)
	}
	return out
}

// check compares got with the fixture entry name (float32 from PyTorch) and,
// if present, with "f64/"+name64 (the float64 computation).
func (p *parity) check(kind, what string, got []float32, name, name64 string, tol float64) {
	p.t.Helper()
	want := p.fx.Float64s(name)
	if len(want) != len(got) {
		p.t.Fatalf("%s: %d values, PyTorch %d", what, len(got), len(want))
	}
	err := relErr(got, want)
	p.count[kind]++
	if err <= tol {
		p.worst[kind] = math.Max(p.worst[kind], err)
		return
	}
	if name64 != "" {
		if _, ok := p.fx.Get("f64/" + name64); ok {
			exact := p.fx.Float64s("f64/" + name64)
			errTorch := relErr(to32(want), exact)
			if errTorch > tol {
				p.noise[kind]++
				if errOurs := relErr(got, exact); errOurs > 4*errTorch {
					p.t.Errorf("%s: relative error %.3g from float64 (PyTorch float32: %.3g; rounding noise, but ours is further)", what, errOurs, errTorch)
				}
				return
			}
		}
	}
	p.t.Errorf("%s: relative error %.3g from PyTorch (tolerance %g)", what, err, tol)
}

// delta compares a weight change: got and the fixture's end value minus the
// common start value. Each optimiser step rounds the weights to float32, in
// PyTorch as in ours, so a change can be known no better than steps ulps of
// the weight; that is added to the tolerance.
func (p *parity) delta(what string, start, end []float32, nameEnd, name64 string, steps int) {
	p.t.Helper()
	want := p.fx.Float64s(nameEnd)
	d := make([]float32, len(end))
	wd := make([]float64, len(end))
	var maxW, maxD, diff float64
	for i := range end {
		d[i] = end[i] - start[i]
		wd[i] = float64(float32(want[i]) - start[i])
		maxW = math.Max(maxW, math.Abs(want[i]))
		maxD = math.Max(maxD, math.Abs(wd[i]))
		diff = math.Max(diff, math.Abs(float64(d[i])-wd[i]))
	}
	ulp := float64(math.Nextafter32(float32(maxW), float32(math.Inf(1)))) - float64(float32(maxW))
	slack := float64(steps) * ulp
	p.count["Δw"]++
	if maxD > 0 {
		p.worst["Δw raw"] = math.Max(p.worst["Δw raw"], diff/maxD)
	}
	if diff <= tolDelta*maxD+slack {
		if maxD > 0 {
			p.worst["Δw"] = math.Max(p.worst["Δw"], math.Max(0, diff-slack)/maxD)
		}
		return
	}
	err := diff / maxD
	if _, ok := p.fx.Get("f64/" + name64); ok {
		exact := p.fx.Float64s("f64/" + name64)
		ed := make([]float64, len(exact))
		for i := range exact {
			ed[i] = exact[i] - float64(start[i])
		}
		if errTorch := relErr(to32(wd), ed); errTorch > tolDelta {
			p.noise["Δw"]++
			if errOurs := relErr(d, ed); errOurs > 4*errTorch {
				p.t.Errorf("Δw of %s: relative error %.3g from float64 (PyTorch float32: %.3g)", what, errOurs, errTorch)
			}
			return
		}
	}
	p.t.Errorf("Δw of %s: relative error %.3g from PyTorch (tolerance %g + %d ulps of the weight)", what, err, tolDelta, steps)
}

// report logs the figures the closing notes quote.
func (p *parity) report() {
	var kinds []string
	for k := range p.count {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	if w, ok := p.worst["Δw raw"]; ok {
		p.t.Logf("Δw       worst relative error %.2g before the allowance for the float32 rounding of the weights", w)
	}
	for _, k := range kinds {
		p.t.Logf("%-8s %4d compared, worst relative error %.2g; %d rounding-noise quantities checked against float64", k, p.count[k], p.worst[k], p.noise[k])
	}
}

// gradients checks the gradient of every parameter of m against
// "<step>/grad/<name>": present exactly when PyTorch's is.
func (p *parity) gradients(step string, m layers.Module) {
	p.t.Helper()
	for _, e := range layers.NamedParams(m) {
		name := step + "/grad/" + e.Name
		_, ok := p.fx.Get(name)
		switch {
		case !ok && e.Param.Grad != nil:
			p.t.Errorf("%s: we have a gradient for %s, PyTorch has none", step, e.Name)
		case ok && e.Param.Grad == nil:
			p.t.Errorf("%s: no gradient for %s, PyTorch has one", step, e.Name)
		case ok:
			p.check("grad", step+" "+e.Name, e.Param.Grad.Data(), name, name, tolGrad)
		}
	}
}

// values checks every entry of m's state (parameters, buffers, counters)
// against "<prefix><name>".
func (p *parity) values(prefix string, m layers.Module, tol float64) {
	p.t.Helper()
	for _, e := range m.State("") {
		if e.Counter != nil {
			if want := p.fx.Ints(prefix + e.Name)[0]; int64(want) != *e.Counter {
				p.t.Errorf("%s%s = %d, PyTorch %d", prefix, e.Name, *e.Counter, want)
			}
			continue
		}
		if e.Param != nil {
			continue // parameters are checked through Δw
		}
		p.check("buffer", prefix+e.Name, e.Tensor().Data(), prefix+e.Name, prefix+e.Name, tol)
	}
}

// weightsAndMoments checks Δw of every parameter of m against the
// fixture's end state, and the moments of its optimiser, after the given
// number of optimiser steps.
func (p *parity) weightsAndMoments(m layers.Module, start map[string][]float32, prefix, optPrefix string, opt *optim.Adam, steps int) {
	p.t.Helper()
	for i, e := range layers.NamedParams(m) {
		p.delta(prefix+e.Name, start[e.Name], e.Param.Value.Data(), "end."+prefix+e.Name, "end."+prefix+e.Name, steps)
		name := "end." + optPrefix + e.Name
		_, has := p.fx.Get(name + ".step")
		if steps := opt.Steps(i); has != (steps > 0) {
			p.t.Errorf("%s: Adam state present %v, PyTorch %v", e.Name, steps > 0, has)
			continue
		} else if has {
			if want := p.fx.Ints(name + ".step")[0]; int64(want) != steps {
				p.t.Errorf("%s: %d Adam steps, PyTorch %d", e.Name, steps, want)
			}
		}
	}
	r := savedOptimizer(p.t, opt)
	for _, e := range layers.NamedParams(m) {
		for _, moment := range []string{".exp_avg", ".exp_avg_sq"} {
			if !r.Has(e.Name + moment) {
				continue
			}
			got, err := r.Tensor(e.Name + moment)
			if err != nil {
				p.t.Fatal(err)
			}
			name := "end." + optPrefix + e.Name + moment
			p.check("moment", optPrefix+e.Name+moment, got.Data(), name, name, tolMoment)
		}
	}
}

// savedOptimizer round-trips an optimiser through a checkpoint to read its
// moments by name.
func savedOptimizer(t *testing.T, opt *optim.Adam) *ckpt.Reader {
	t.Helper()
	path := t.TempDir() + "/opt.safetensors"
	w := ckpt.NewWriter()
	opt.Save(w, "")
	if err := w.Save(path); err != nil {
		t.Fatal(err)
	}
	r, err := ckpt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// snapshot copies every parameter value of m by name.
func snapshot(m layers.Module) map[string][]float32 {
	out := map[string][]float32{}
	for _, e := range layers.NamedParams(m) {
		out[e.Name] = slices.Clone(e.Param.Value.Data())
	}
	return out
}

// loadStart loads module m from the fixture's entries under prefix (and its
// optimiser, if any, from "start."+optPrefix); it first checks that our
// parameter order is PyTorch's (the optimiser's has_grad list depends on it).
func loadStart(t *testing.T, r *ckpt.Reader, m layers.Module, prefix, namesKey string, opt *optim.Adam, optPrefix string) {
	t.Helper()
	var names []string
	if err := json.Unmarshal([]byte(r.Meta(namesKey)), &names); err != nil {
		t.Fatalf("fixture metadata %s: %v", namesKey, err)
	}
	var ours []string
	for _, e := range layers.NamedParams(m) {
		ours = append(ours, e.Name)
	}
	if !slices.Equal(ours, names) {
		t.Fatalf("parameter order differs from PyTorch's:\n ours  %v\n torch %v", ours, names)
	}
	if err := layers.Load(r, prefix, m); err != nil {
		t.Fatal(err)
	}
	if opt != nil {
		if err := opt.Load(r, "start."+optPrefix); err != nil {
			t.Fatal(err)
		}
	}
}

func openCkpt(t *testing.T, path string) *ckpt.Reader {
	t.Helper()
	r, err := ckpt.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func metaInt(t *testing.T, r *ckpt.Reader, key string) int {
	t.Helper()
	v, err := strconv.Atoi(r.Meta(key))
	if err != nil {
		t.Fatalf("fixture metadata %s: %v", key, err)
	}
	return v
}

func archOf(t *testing.T, ints []int) Arch {
	t.Helper()
	a, err := FromInts(ints)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestDiscriminatorStepParity: the search discriminator at each stage (1, 2
// and 3 of its growing blocks), from fresh (unconverged) spectral-norm
// vectors: D(real), D(fake), the hinge loss and one backward, as every D
// step of the search and of training does. Spectral norm runs one power
// iteration per forward, and each forward's gradient must use its own u
// and v.
func TestDiscriminatorStepParity(t *testing.T) {
	t.Logf("convolutions: %s", tensor.Policy().ConvMode)
	const path = "../testdata/step_disc.safetensors"
	r := openCkpt(t, path)
	p := newParity(t, path)
	df := 8
	for stage := 0; stage < 3; stage++ {
		d := NewDiscriminator(df, tensor.NewRNG(0))
		pre := fmt.Sprintf("stage%d/", stage)
		loadStart(t, r, d, pre+"start.D.", "params", nil, "")
		d.Stage = stage
		tp := autodiff.NewTape()
		realOut := d.Forward(tp, autodiff.Const(p.fx.Tensor(pre+"real")))
		fakeOut := d.Forward(tp, autodiff.Const(p.fx.Tensor(pre+"fake")))
		loss := layers.HingeLossD(tp, realOut, fakeOut)
		p.check("value", pre+"real_out", realOut.Value.Data(), pre+"real_out", pre+"real_out", tolState)
		p.check("value", pre+"fake_out", fakeOut.Value.Data(), pre+"fake_out", pre+"fake_out", tolState)
		p.check("value", pre+"loss", loss.Value.Data(), pre+"loss", pre+"loss", tolState)
		tp.Backward(loss)
		p.gradients(fmt.Sprintf("stage%d", stage), d)
		p.values(pre+"end.D.", d, tolState)
	}
	p.report()
}

// TestStepParityWinograd runs the whole-step tests that use convolutions
// again with every eligible convolution computed by Winograd
// (AUTOGAN_CONV=winograd): at these tiny widths the automatic choice leaves
// some of them direct.
func TestStepParityWinograd(t *testing.T) {
	for _, name := range []string{"TestDiscriminatorStepParity", "TestTrainSharedCycleParity"} {
		fixture.RerunWith(t, name, "convolutions: winograd", "AUTOGAN_CONV=winograd")
	}
}

// TestTrainSharedCycleParity: one cycle of train_shared at stage 2 (five D
// steps, each with its own sampled architecture, and the G step after the
// first), from a state reached by a cycle at stage 0 and one at stage 1:
// D's blocks 2 and 3 and G's cell 3 start fresh, as after a growth, and
// some of G's parameters hold zeroed gradients from earlier steps, which
// PyTorch 1.1's Adam still steps.
func TestTrainSharedCycleParity(t *testing.T) {
	t.Logf("convolutions: %s", tensor.Policy().ConvMode)
	const path = "../testdata/step_shared.safetensors"
	r := openCkpt(t, path)
	p := newParity(t, path)
	lat, gf, df, nCritic := metaInt(t, r, "latent"), metaInt(t, r, "gf"), metaInt(t, r, "df"), metaInt(t, r, "n_critic")
	g := NewSharedGenerator(gf, 4, lat, tensor.NewRNG(0))
	d := NewDiscriminator(df, tensor.NewRNG(0))
	optG := optim.NewAdam(layers.NamedParams(g), 0, 0, 0)
	optD := optim.NewAdam(layers.NamedParams(d), 0, 0, 0)
	loadStart(t, r, g, "start.G.", "gen_params", optG, "optG.")
	loadStart(t, r, d, "start.D.", "dis_params", optD, "optD.")
	startG, startD := snapshot(g), snapshot(d)

	archs := p.fx.Ints("in/archs")
	zg := p.fx.Tensor("in/zg")
	for k := 0; k*14 < len(archs); k++ {
		g.SetArch(archOf(t, archs[k*14:(k+1)*14]), 2)
		d.Stage = 2
		optD.ZeroGrad()
		loss := discriminatorBackward(g, d, p.fx.Tensor(fmt.Sprintf("in/real%d", k)), p.fx.Tensor(fmt.Sprintf("in/z%d", k)))
		name := fmt.Sprintf("d%d/loss", k)
		p.check("value", name, []float32{float32(loss)}, name, name, tolState)
		p.gradients(fmt.Sprintf("d%d", k), d)
		optD.Step()
		if k%nCritic == 0 {
			optG.ZeroGrad()
			gl := generatorBackward(g, d, zg)
			name := fmt.Sprintf("g%d/loss", k)
			p.check("value", name, []float32{float32(gl)}, name, name, tolState)
			p.gradients(fmt.Sprintf("g%d", k), g)
			optG.Step()
		}
	}
	p.weightsAndMoments(g, startG, "G.", "optG.", optG, 1)
	p.weightsAndMoments(d, startD, "D.", "optD.", optD, len(archs)/14)
	p.values("end.G.", g, tolState)
	p.values("end.D.", d, tolState)
	p.report()
}

// TestTrainControllerParity: three REINFORCE steps of train_controller
// with a stage-1 controller that starts each sample from a top-K prefix's
// hidden state: the reward plus the entropy bonus, the per-token baseline
// (None on the first step, so its gradient is zero but Adam still steps),
// the product-of-sums loss, and Adam (lr 3.5e-4, betas (0, 0.9)). The
// actions are PyTorch's draws, replayed.
func TestTrainControllerParity(t *testing.T) {
	const path = "../testdata/step_controller.safetensors"
	r := openCkpt(t, path)
	p := newParity(t, path)
	hid, stage := metaInt(t, r, "hid"), metaInt(t, r, "stage")
	ctrl := NewController(stage, hid, tensor.NewRNG(0))
	opt := optim.NewAdam(layers.NamedParams(ctrl), 3.5e-4, 0, 0.9)
	loadStart(t, r, ctrl, "start.ctrl.", "params", nil, "")
	start := snapshot(ctrl)
	h0, c0 := p.fx.Tensor("in/h0"), p.fx.Tensor("in/c0")
	pick := p.fx.Ints("in/prefix_idx")
	actions := p.fx.Ints("in/actions")
	rewards := p.fx.Float64s("in/rewards")
	T := len(ctrl.Tokens)
	var baseline []float64
	for step, reward := range rewards {
		i := pick[step]
		tp := autodiff.NewTape()
		smp := ctrl.Evaluate(tp, h0.Rows(i, i+1).Clone(), c0.Rows(i, i+1).Clone(), [][]int{actions[step*T : (step+1)*T]})
		tp.Keep(smp.LogProbs)
		tp.Keep(smp.Entropies)
		loss, nb, _, _ := reinforceLoss(tp, smp.LogProbs, smp.Entropies, reward, baseline, 1e-3, 0.9)
		pre := fmt.Sprintf("c%d/", step)
		p.check("value", pre+"logp", smp.LogProbs.Value.Data(), pre+"logp", pre+"logp", tolState)
		p.check("value", pre+"entropies", smp.Entropies.Value.Data(), pre+"entropies", pre+"entropies", tolState)
		p.check("value", pre+"loss", loss.Value.Data(), pre+"loss", pre+"loss", tolState)
		b32 := make([]float32, len(nb))
		for j, v := range nb {
			b32[j] = float32(v)
		}
		p.check("value", pre+"baseline", b32, pre+"baseline", pre+"baseline", tolState)
		baseline = nb
		opt.ZeroGrad()
		tp.Backward(loss)
		p.gradients(fmt.Sprintf("c%d", step), ctrl)
		opt.Step()
	}
	p.weightsAndMoments(ctrl, start, "ctrl.", "optC.", opt, len(rewards))
	p.report()
}

// TestTrainDerivedCycleParity: one cycle of train (train_derived.py) of a
// derived architecture with batch norm: five D steps with the continuous
// step counter, the G step when global_steps % n_critic == 0, and the
// moving average of G after it (avg.mul_(0.999).add_(0.001, p)).
//
// It runs with direct convolutions (AUTOGAN_CONV=direct, rerunning the test
// binary when needed), the arithmetic of PyTorch's CPU convolutions. This
// cycle's generator (batch norm and ReLU at width 8, batch 8) is on a
// knife's edge: scaling each of its start weights by 1 + 1e-6·N(0, 1), a
// few float32 ulps, moves the G gradient by 1.3e-2 of its largest element
// (measured with the direct algorithm), because the pre-activations that
// lie that close to a ReLU's kink change side. Winograd rounds about ten
// times coarser than a direct sum (tensor's TestWinogradErrorBound), enough
// to flip a few of them, so a comparison at 1e-4 says something only with
// the direct algorithm. The Winograd convolutions themselves are held to
// PyTorch layer by layer (layers' parity tests, forced to Winograd) and
// through whole D steps and shared-training cycles, which have no such
// edge (TestStepParityWinograd).
func TestTrainDerivedCycleParity(t *testing.T) {
	if tensor.Policy().ConvMode != "direct" {
		fixture.RerunWith(t, "TestTrainDerivedCycleParity", "convolutions: direct", "AUTOGAN_CONV=direct")
		return
	}
	t.Logf("convolutions: %s", tensor.Policy().ConvMode)
	const path = "../testdata/step_derived.safetensors"
	r := openCkpt(t, path)
	p := newParity(t, path)
	lat, gf, df, nCritic, global := metaInt(t, r, "latent"), metaInt(t, r, "gf"), metaInt(t, r, "df"),
		metaInt(t, r, "n_critic"), metaInt(t, r, "global_step")
	var ints []int
	for _, f := range strings.Fields(r.Meta("arch")) {
		v, _ := strconv.Atoi(f)
		ints = append(ints, v)
	}
	g, err := NewDerived(archOf(t, ints), gf, 4, lat, tensor.NewRNG(0))
	if err != nil {
		t.Fatal(err)
	}
	d := NewDiscriminator(df, tensor.NewRNG(0))
	optG := optim.NewAdam(layers.NamedParams(g), 0, 0, 0)
	optD := optim.NewAdam(layers.NamedParams(d), 0, 0, 0)
	loadStart(t, r, g, "start.G.", "gen_params", optG, "optG.")
	loadStart(t, r, d, "start.D.", "dis_params", optD, "optD.")
	ema := optim.NewEMA(layers.NamedParams(g), 0.999)
	if err := ema.Load(r, "start.ema."); err != nil {
		t.Fatal(err)
	}
	t.Logf("EMA arithmetic of the fixture: %s", r.Meta("ema_arithmetic"))
	startG, startD := snapshot(g), snapshot(d)
	zg := p.fx.Tensor("in/zg")
	for k := 0; k < nCritic; k++ {
		optD.ZeroGrad()
		loss := discriminatorBackward(g, d, p.fx.Tensor(fmt.Sprintf("in/real%d", k)), p.fx.Tensor(fmt.Sprintf("in/z%d", k)))
		name := fmt.Sprintf("d%d/loss", k)
		p.check("value", name, []float32{float32(loss)}, name, name, tolState)
		p.gradients(fmt.Sprintf("d%d", k), d)
		optD.Step()
		if (global+k)%nCritic == 0 {
			optG.ZeroGrad()
			gl := generatorBackward(g, d, zg)
			name := fmt.Sprintf("g%d/loss", k)
			p.check("value", name, []float32{float32(gl)}, name, name, tolState)
			p.gradients(fmt.Sprintf("g%d", k), g)
			optG.Step()
			ema.Update()
		}
	}
	p.weightsAndMoments(g, startG, "G.", "optG.", optG, 1)
	p.weightsAndMoments(d, startD, "D.", "optD.", optD, nCritic)
	p.values("end.G.", g, tolState)
	p.values("end.D.", d, tolState)
	for i, e := range layers.NamedParams(g) {
		name := "end.ema." + e.Name
		p.check("ema", name, ema.Averages()[i].Data(), name, name, tolState)
	}
	p.report()
}
