package nas

import (
	"math"
	"testing"

	"github.com/autogan-go/autogan/autodiff"
	"github.com/autogan-go/autogan/internal/fixture"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

func near(t *testing.T, name string, got, want *tensor.Tensor, tol float64) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("%s: %d values, PyTorch %d", name, got.Len(), want.Len())
	}
	for i, w := range want.Data() {
		if d := math.Abs(float64(got.Data()[i] - w)); d > tol*math.Max(1, math.Abs(float64(w))) {
			t.Fatalf("%s[%d] = %v, PyTorch %v", name, i, got.Data()[i], w)
		}
	}
}

// TestControllerMatchesPyTorch replays the actions PyTorch sampled from
// stored prefix states and compares log-probabilities, entropies, final
// states, and the gradients of one REINFORCE step of train_controller.
func TestControllerMatchesPyTorch(t *testing.T) {
	f := fixture.Open(t, "../testdata/controller.safetensors")
	c := NewController(2, 24, tensor.NewRNG(1))
	for _, e := range c.State("") {
		e.Param.Value.CopyFrom(f.Tensor("param/" + e.Name))
	}
	st, _ := f.Get("actions")
	av, _ := st.Int64()
	actions := make([][]int, st.Shape[0])
	for i := range actions {
		for k := 0; k < st.Shape[1]; k++ {
			actions[i] = append(actions[i], int(av[i*st.Shape[1]+k]))
		}
	}
	tp := autodiff.NewTape()
	s := c.Evaluate(tp, f.Tensor("h0"), f.Tensor("c0"), actions)
	near(t, "log-probs", s.LogProbs.Value, f.Tensor("logp"), 1e-5)
	near(t, "entropies", s.Entropies.Value, f.Tensor("entropies"), 1e-5)
	near(t, "final h", s.H, f.Tensor("hx"), 1e-5)
	near(t, "final c", s.C, f.Tensor("cx"), 1e-5)

	// REINFORCE on the first sample: its log-probs (1×T) and entropies (T×1,
	// every second row of the token-major entropies).
	logp := tp.Slice(s.LogProbs, 0, 0, 1)
	var rows []*autodiff.Var
	for k := 0; k < 5; k++ {
		rows = append(rows, tp.Slice(s.Entropies, 0, 2*k, 2*k+1))
	}
	ent := tp.Concat(0, rows...)
	prev := f.Tensor("prev_baseline").Data()
	prevB := make([]float64, len(prev))
	for i, v := range prev {
		prevB[i] = float64(v)
	}
	loss, newB, _, _ := reinforceLoss(tp, logp, ent, 3.5, prevB, 1e-3, 0.9)
	near(t, "loss", loss.Value.Reshape(1), f.Tensor("loss"), 1e-5)
	for i, w := range f.Tensor("baseline").Data() {
		if math.Abs(newB[i]-float64(w)) > 1e-5 {
			t.Fatalf("baseline[%d] = %v, PyTorch %v", i, newB[i], w)
		}
	}
	tp.Backward(loss)
	for _, e := range c.State("") {
		near(t, "gradient of "+e.Name, e.Param.Grad, f.Tensor("grad/"+e.Name), 1e-4)
	}
}

// TestReinforceFirstStepHasZeroGradient: on the first step of a call the
// baseline is the reward itself, so the advantage and every gradient are
// exactly zero (the reference's quirk).
func TestReinforceFirstStepHasZeroGradient(t *testing.T) {
	c := NewController(0, 16, tensor.NewRNG(2))
	tp := autodiff.NewTape()
	s := c.Sample(tp, 1, nil, tensor.NewRNG(3), tensor.NewRNG(4))
	loss, b, adv, _ := reinforceLoss(tp, s.LogProbs, s.Entropies, 2.5, nil, 1e-3, 0.9)
	for _, v := range adv.Value.Data() {
		if v != 0 {
			t.Fatalf("first-step advantage %v", adv.Value.Data())
		}
	}
	if math.Abs(b[0]-2.5) > 0.01 {
		t.Fatalf("first baseline %v", b)
	}
	tp.Backward(loss)
	for _, p := range layers.Params(c) {
		if p.Grad != nil && tensor.SumAll(tensor.Abs(p.Grad)) != 0 {
			t.Fatal("non-zero gradient on the first REINFORCE step")
		}
	}
	// The loss is the product of sums: −(Σ logp)·(Σ adv).
	tp = autodiff.NewTape()
	logp := autodiff.Const(tensor.FromSlice([]float32{-1, -2}, 1, 2))
	ent := autodiff.Const(tensor.FromSlice([]float32{0.5, 0.7}, 2, 1))
	loss, _, _, _ = reinforceLoss(tp, logp, ent, 3, []float64{2, 2.5}, 1e-3, 0.9)
	// r = (3.0005, 3.0007); b = 0.9·(2, 2.5) + 0.1·r; adv = 0.9·(r − prev).
	adv0, adv1 := 0.9*(3.0005-2), 0.9*(3.0007-2.5)
	want := 3 * (adv0 + adv1)
	if math.Abs(float64(loss.Value.Item())-want) > 1e-5 {
		t.Fatalf("loss %v, want %v", loss.Value.Item(), want)
	}
}

// TestRunningStatsAndResetTrigger checks the window against a direct
// computation of the population variance, and that the reset condition
// fires only once the window is full and flat.
func TestRunningStatsAndResetTrigger(t *testing.T) {
	r := NewRunningStats(5)
	g := tensor.NewRNG(9)
	var vals []float64
	for i := 0; i < 23; i++ {
		x := g.Normal()
		vals = append(vals, x)
		r.Push(x)
		w := vals[max(0, len(vals)-5):]
		var m, v float64
		for _, y := range w {
			m += y
		}
		m /= float64(len(w))
		for _, y := range w {
			v += (y - m) * (y - m)
		}
		v /= float64(len(w))
		if len(w) == 1 {
			v = 0
		}
		if math.Abs(r.Var()-v) > 1e-12 || math.Abs(r.Mean-m) > 1e-12 {
			t.Fatalf("after %d values: var %v mean %v, want %v %v", i+1, r.Var(), r.Mean, v, m)
		}
	}
	// A collapsed G loss: constant values make the variance vanish.
	flat := NewRunningStats(4)
	fired := -1
	for i := 0; i < 10; i++ {
		flat.Push(0.7)
		if flat.Full() && flat.Var() < 1e-3 && fired < 0 {
			fired = i
		}
	}
	if fired != 3 {
		t.Fatalf("reset fired at push %d, want 3 (the window of 4 is full)", fired)
	}
	flat.Clear()
	if flat.Full() || flat.Var() != 0 {
		t.Fatal("Clear")
	}
}

func TestGrowthSchedule(t *testing.T) {
	c := MustPreset("paper")
	for _, tc := range []struct{ iter, stage, size int }{{0, 0, 8}, {14, 0, 8}, {15, 1, 16}, {34, 1, 16}, {35, 2, 32}, {64, 2, 32}} {
		if s := c.StageOf(tc.iter); s != tc.stage || c.ImageSizeOf(s) != tc.size {
			t.Errorf("iteration %d: stage %d size %d, want %d %d", tc.iter, s, c.ImageSizeOf(s), tc.stage, tc.size)
		}
	}
	c.Strategy = SLAS
	if c.StageOf(0) != 2 {
		t.Error("SLAS searches at full resolution from the start")
	}
}
