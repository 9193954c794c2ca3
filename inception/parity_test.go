package inception

import (
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/autogan-go/autogan/internal/fixture"
	"github.com/autogan-go/autogan/tensor"
)

var (
	syntheticOnce sync.Once
	syntheticNet  *Net
)

// synthetic returns the network with SyntheticWeights, built once.
func synthetic(t testing.TB) *Net {
	syntheticOnce.Do(func() {
		n, err := New(SyntheticWeights())
		if err != nil {
			t.Fatal(err)
		}
		syntheticNet = n
	})
	return syntheticNet
}

// TestFullNetworkMatchesPyTorchWithWinograd runs the full-network parity
// test again with every 3×3 stride-1 convolution forced to Winograd
// (AUTOGAN_CONV=winograd), also those the automatic choice leaves direct.
func TestFullNetworkMatchesPyTorchWithWinograd(t *testing.T) {
	if testing.Short() {
		t.Skip("the full network twice is slow")
	}
	fixture.RerunWith(t, "TestFullNetworkMatchesPyTorch", "convolutions: winograd", "AUTOGAN_CONV=winograd")
}

// closeRel requires |got − want| ≤ rel·max(|want|, scale) element-wise,
// where scale is the largest |want| of the tensor divided by 100 (so that
// near-zero entries are compared on the tensor's own scale).
func closeRel(t *testing.T, name string, got, want *tensor.Tensor, rel float64) {
	t.Helper()
	if !got.SameShape(want) {
		t.Fatalf("%s: shape %v, PyTorch %v", name, got.Shape(), want.Shape())
	}
	var peak float64
	for _, v := range want.Data() {
		peak = math.Max(peak, math.Abs(float64(v)))
	}
	worst := 0.0
	for i, w := range want.Data() {
		g := float64(got.Data()[i])
		d := math.Abs(g-float64(w)) / math.Max(math.Abs(float64(w)), peak/100)
		worst = math.Max(worst, d)
		if d > rel || math.IsNaN(g) {
			t.Fatalf("%s[%d] = %v, PyTorch %v (relative %.2g)", name, i, g, w, d)
		}
	}
	t.Logf("%s: worst relative difference %.2g", name, worst)
}

// TestFullNetworkMatchesPyTorch runs the whole network, from 8-bit images
// through the TF resize to pool3, the logits and the block features, and
// compares with PyTorch (testdata/make_inception_fixtures.py) within 1e-4.
func TestFullNetworkMatchesPyTorch(t *testing.T) {
	t.Logf("convolutions: %s", tensor.Policy().ConvMode)
	f := fixture.Open(t, "../testdata/inception.safetensors")
	names, _ := f.Get("unit_names")
	got := strings.Split(string(names.Data), "\n")
	for i, u := range units {
		if got[i] != u.name {
			t.Fatalf("unit %d is %s in PyTorch's state_dict order, %s here", i, got[i], u.name)
		}
	}
	net := synthetic(t)
	for _, c := range []struct {
		name    string
		n, h, w int
	}{{"small", 3, 32, 32}, {"odd", 1, 45, 37}} {
		img, _ := f.Get(c.name + "/images")
		x := Prepare(img.Data, c.n, c.h, c.w, TF)
		out := net.Forward(x, Want{Logits: true, Blocks: true})
		closeRel(t, c.name+" pool3", out.Pool3, f.Tensor(c.name+"/pool3"), 1e-4)
		closeRel(t, c.name+" logits (unbiased)", out.LogitsUnbiased, f.Tensor(c.name+"/logits_unbiased"), 1e-4)
		closeRel(t, c.name+" logits", out.Logits, f.Tensor(c.name+"/logits"), 1e-4)
		closeRel(t, c.name+" block64", out.Block64, f.Tensor(c.name+"/block64"), 1e-4)
		closeRel(t, c.name+" block192", out.Block192, f.Tensor(c.name+"/block192"), 1e-4)
		closeRel(t, c.name+" block768", out.Block768, f.Tensor(c.name+"/block768"), 1e-4)
	}
}
