package inception

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/internal/pickle"
	"github.com/autogan-go/autogan/internal/tfgraph"
	"github.com/autogan-go/autogan/internal/torchfile"
)

// FileInfo describes a weight file that was loaded.
type FileInfo struct {
	Format string // "pth (zip)", "pth (legacy)" or "tensorflow graphdef"
	SHA256 string
}

// KnownDigestPrefix is the first eight hex digits of the SHA-256 of the
// pytorch-fid / torch-fidelity weight files (…-6726825d.pth).
const KnownDigestPrefix = "6726825d"

// LoadFile reads Inception weights from a PyTorch .pth file (zip or legacy
// format: pt_inception-2015-12-05-6726825d.pth of pytorch-fid, or
// weights-inception-2015-12-05-6726825d.pth of torch-fidelity) or from
// TensorFlow's classify_image_graph_def.pb, choosing by the file's bytes.
func LoadFile(path string) (*Weights, FileInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, FileInfo{}, err
	}
	sum := sha256.Sum256(data)
	info := FileInfo{SHA256: hex.EncodeToString(sum[:])}
	var w *Weights
	if torchfile.IsTorchFile(data) {
		info.Format = "pth (legacy)"
		if strings.HasPrefix(string(data), "PK") {
			info.Format = "pth (zip)"
		}
		v, err := torchfile.Decode(data)
		if err != nil {
			return nil, info, fmt.Errorf("%s: %w", path, err)
		}
		w, err = FromStateDict(v)
		if err != nil {
			return nil, info, fmt.Errorf("%s: %w", path, err)
		}
	} else {
		info.Format = "tensorflow graphdef"
		nodes, err := tfgraph.Parse(data)
		if err != nil {
			return nil, info, fmt.Errorf("%s: neither a PyTorch file nor a GraphDef: %w", path, err)
		}
		w, err = FromGraph(nodes)
		if err != nil {
			return nil, info, fmt.Errorf("%s: %w", path, err)
		}
	}
	return w, info, nil
}

// FromStateDict maps a PyTorch state dict (a dict of tensors, possibly
// under a "state_dict" key) to the network's weights by key name, checking
// every shape. num_batches_tracked entries are ignored.
func FromStateDict(v pickle.Value) (*Weights, error) {
	if d, ok := v.(*pickle.Dict); ok {
		if inner, ok := d.Get("state_dict"); ok {
			v = inner
		}
	}
	_, tensors, err := torchfile.StateDict(v)
	if err != nil {
		return nil, err
	}
	get := func(key string, shape ...int) ([]float32, error) {
		t, ok := tensors[key]
		if !ok {
			return nil, fmt.Errorf("missing key %s", key)
		}
		if !slices.Equal(t.Shape, shape) {
			return nil, fmt.Errorf("key %s has shape %v, the FID Inception-v3 needs %v", key, t.Shape, shape)
		}
		if t.F32 == nil {
			return nil, fmt.Errorf("key %s has dtype %s, want a float type", key, t.DType)
		}
		return t.F32, nil
	}
	w := &Weights{Eps: 0.001}
	for i, u := range units {
		var r Unit
		if r.Weight, err = get(u.name+".conv.weight", u.out, u.in, u.kh, u.kw); err != nil {
			return nil, err
		}
		for _, p := range []struct {
			name string
			dst  *[]float32
		}{{"weight", &r.Gamma}, {"bias", &r.Beta}, {"running_mean", &r.Mean}, {"running_var", &r.Var}} {
			if *p.dst, err = get(u.name+".bn."+p.name, u.out); err != nil {
				return nil, err
			}
		}
		w.Units[i] = r
	}
	if w.FCWeight, err = get("fc.weight", NumClasses, FeatureDim); err != nil {
		return nil, err
	}
	if w.FCBias, err = get("fc.bias", NumClasses); err != nil {
		return nil, err
	}
	return w, nil
}

// FromGraph maps the constants of the TF 2015-12-05 Inception graph to the
// network's weights: for unit T, T/conv2d_params (kh×kw×in×out, transposed
// to out×in×kh×kw) and T/batchnorm/{gamma, beta, moving_mean,
// moving_variance}; softmax/weights (2048×1008, transposed) and
// softmax/biases. The batch norm's variance_epsilon and
// scale_after_normalization attributes and every convolution's strides and
// padding are checked against the architecture.
func FromGraph(nodes []tfgraph.Node) (*Weights, error) {
	byName := make(map[string]*tfgraph.Node, len(nodes))
	for i := range nodes {
		byName[nodes[i].Name] = &nodes[i]
	}
	constant := func(name string, shape ...int) ([]float32, error) {
		n, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("graph has no node %s", name)
		}
		t := n.Attrs["value"].Tensor
		if n.Op != "Const" || t == nil || t.DType != tfgraph.DTFloat {
			return nil, fmt.Errorf("node %s is not a float constant (op %s)", name, n.Op)
		}
		if !slices.Equal(t.Shape, shape) {
			return nil, fmt.Errorf("node %s has shape %v, want %v", name, t.Shape, shape)
		}
		return t.Floats, nil
	}
	w := &Weights{Eps: math.NaN()}
	for i, u := range units {
		hwio, err := constant(u.tf+"/conv2d_params", u.kh, u.kw, u.in, u.out)
		if err != nil {
			return nil, err
		}
		r := Unit{Weight: make([]float32, len(hwio))}
		for ky := 0; ky < u.kh; ky++ {
			for kx := 0; kx < u.kw; kx++ {
				for ci := 0; ci < u.in; ci++ {
					for co := 0; co < u.out; co++ {
						r.Weight[((co*u.in+ci)*u.kh+ky)*u.kw+kx] = hwio[((ky*u.kw+kx)*u.in+ci)*u.out+co]
					}
				}
			}
		}
		for _, p := range []struct {
			name string
			dst  *[]float32
		}{{"gamma", &r.Gamma}, {"beta", &r.Beta}, {"moving_mean", &r.Mean}, {"moving_variance", &r.Var}} {
			if *p.dst, err = constant(u.tf+"/batchnorm/"+p.name, u.out); err != nil {
				return nil, err
			}
		}
		bn, ok := byName[u.tf+"/batchnorm"]
		if !ok || bn.Op != "BatchNormWithGlobalNormalization" {
			return nil, fmt.Errorf("graph has no BatchNormWithGlobalNormalization node %s/batchnorm", u.tf)
		}
		if a, ok := bn.Attrs["scale_after_normalization"]; ok && a.HasB && !a.B {
			r.Gamma = slices.Repeat([]float32{1}, u.out) // γ is not applied
		}
		eps := 0.001
		if a, ok := bn.Attrs["variance_epsilon"]; ok && a.HasF {
			eps = float64(a.F)
		}
		if math.IsNaN(w.Eps) {
			w.Eps = eps
		} else if eps != w.Eps {
			return nil, fmt.Errorf("%s/batchnorm has variance_epsilon %v, other units %v", u.tf, eps, w.Eps)
		}
		if err := checkConvNode(byName[u.tf+"/Conv2D"], u); err != nil {
			return nil, err
		}
		w.Units[i] = r
	}
	sw, err := constant("softmax/weights", FeatureDim, NumClasses)
	if err != nil {
		return nil, err
	}
	w.FCWeight = make([]float32, len(sw))
	for i := 0; i < FeatureDim; i++ {
		for j := 0; j < NumClasses; j++ {
			w.FCWeight[j*FeatureDim+i] = sw[i*NumClasses+j]
		}
	}
	if w.FCBias, err = constant("softmax/biases", NumClasses); err != nil {
		return nil, err
	}
	return w, nil
}

// checkConvNode verifies a Conv2D node's strides and padding, when present.
func checkConvNode(n *tfgraph.Node, u unitSpec) error {
	if n == nil {
		return nil // graphs without the compute nodes carry only weights
	}
	if s := n.Attrs["strides"].Ints; len(s) == 4 && (s[1] != int64(u.stride) || s[2] != int64(u.stride)) {
		return fmt.Errorf("%s has strides %v, the architecture needs %d", n.Name, s, u.stride)
	}
	// VALID pads nothing; SAME pads (k−1)/2 on each side for these stride-1
	// convolutions (so a 1×1 SAME convolution pads nothing too).
	same := u.stride == 1 && u.padH == (u.kh-1)/2 && u.padW == (u.kw-1)/2
	valid := u.padH == 0 && u.padW == 0
	switch pad := string(n.Attrs["padding"].S); {
	case pad == "SAME" && !same, pad == "VALID" && !valid:
		return fmt.Errorf("%s has %s padding, the architecture needs padding (%d, %d)", n.Name, pad, u.padH, u.padW)
	}
	return nil
}
