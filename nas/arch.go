package nas

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/autogan-go/autogan/tensor"
)

// The token vocabularies of the search space (AutoGAN
// models_search/building_blocks_search.py, CONV_TYPE … SKIP_TYPE; reference
// §1.1). Each value is the integer of the reference's encoding.

// ConvType is a cell's convolution block.
type ConvType int

const (
	ConvPost ConvType = 0 // (up-sample) → conv → norm → ReLU
	ConvPre  ConvType = 1 // norm → ReLU → (up-sample) → conv
)

func (c ConvType) String() string {
	if c == ConvPre {
		return "pre-activation"
	}
	return "post-activation"
}

// NormType is a cell's normalisation.
type NormType int

const (
	NormNone     NormType = 0
	NormBatch    NormType = 1
	NormInstance NormType = 2
)

func (n NormType) String() string {
	return [...]string{"no norm", "batch norm", "instance norm"}[n]
}

// UpType is a cell's up-sampling.
type UpType int

const (
	UpBilinear UpType = 0 // align_corners=False
	UpNearest  UpType = 1
	UpDeconv   UpType = 2 // a 2×2 transposed convolution with stride 2
)

func (u UpType) String() string {
	return [...]string{"bilinear", "nearest", "deconv"}[u]
}

// Cell is the architecture of one generator cell.
type Cell struct {
	Conv     ConvType
	Norm     NormType
	Up       UpType
	Shortcut bool
	// Skip is one integer whose binary digits select the skip inputs from
	// earlier cells, the least significant bit for the most recent one:
	// for cell3, 1 = from cell2, 2 = from cell1, 3 = from both.
	Skip int
}

// tokensPerStage lists the number of choices of each token the controller
// samples at stage s: conv, norm, up, shortcut, and from stage 1 on a skip
// token with 2^s values (one categorical token, not s binary ones).
func tokensPerStage(s int) []int {
	if s == 0 {
		return []int{2, 3, 3, 2}
	}
	return []int{2, 3, 3, 2, 1 << s}
}

// Arch is a complete generator architecture: one Cell per stage; Cells has
// 1, 2 or 3 entries (an architecture of stage 0, 1 or 2).
type Arch struct {
	Cells []Cell
}

// Ints returns the reference's flat integer encoding: 4 integers for
// cell1 (no skip token), then 5 for each later cell, 14 in all.
func (a Arch) Ints() []int {
	var out []int
	for i, c := range a.Cells {
		sc := 0
		if c.Shortcut {
			sc = 1
		}
		out = append(out, int(c.Conv), int(c.Norm), int(c.Up), sc)
		if i > 0 {
			out = append(out, c.Skip)
		}
	}
	return out
}

// String returns the integers separated by spaces, as the reference's
// --arch flag takes them ("1 0 1 1 1 0 0 1 1 1 0 1 0 3").
func (a Arch) String() string {
	parts := make([]string, 0, 14)
	for _, v := range a.Ints() {
		parts = append(parts, strconv.Itoa(v))
	}
	return strings.Join(parts, " ")
}

// FromInts builds an architecture from the flat encoding (4, 9 or 14
// integers), checking every value's range.
func FromInts(v []int) (Arch, error) {
	var a Arch
	switch len(v) {
	case 4, 9, 14:
	default:
		return a, fmt.Errorf("an architecture has 4, 9 or 14 integers, not %d", len(v))
	}
	pos := 0
	for i := 0; pos < len(v); i++ {
		tok := tokensPerStage(i)
		vals := v[pos : pos+len(tok)]
		for k, x := range vals {
			if x < 0 || x >= tok[k] {
				return a, fmt.Errorf("cell%d: %s token is %d, want 0…%d", i+1, tokenNames[k], x, tok[k]-1)
			}
		}
		c := Cell{Conv: ConvType(vals[0]), Norm: NormType(vals[1]), Up: UpType(vals[2]), Shortcut: vals[3] == 1}
		if len(vals) == 5 {
			c.Skip = vals[4]
		}
		a.Cells = append(a.Cells, c)
		pos += len(tok)
	}
	return a, nil
}

var tokenNames = []string{"conv", "norm", "up", "shortcut", "skip"}

// Parse reads the integer encoding from a string: integers separated by
// spaces or commas, optionally in brackets ("[1, 0, 1, 1]"). The names of
// the released models are accepted too (autogan_cifar10_a, _b, _c).
func Parse(s string) (Arch, error) {
	if a, ok := Released[strings.TrimSpace(s)]; ok {
		return a, nil
	}
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '[' || r == ']' || r == '\t' })
	v := make([]int, len(f))
	for i, x := range f {
		n, err := strconv.Atoi(x)
		if err != nil {
			names := slices.Sorted(maps.Keys(Released))
			return Arch{}, fmt.Errorf("architecture %q: %q is not an integer (an architecture is 14 integers, or one of %s)", s, x, strings.Join(names, ", "))
		}
		v[i] = n
	}
	return FromInts(v)
}

// MustParse is Parse for known-good constants.
func MustParse(s string) Arch {
	a, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return a
}

// Released are the discovered architectures published with AutoGAN, in
// the search-space encoding (README and exps/derive.sh of the reference).
var Released = map[string]Arch{
	"autogan_cifar10_a": mustInts(1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 3), // the paper's top1: IS 8.55, FID 12.42
	"autogan_cifar10_b": mustInts(1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 3), // top2: IS 8.42, FID 13.67
	"autogan_cifar10_c": mustInts(1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 3), // top3: IS 8.41, FID 13.87
}

func mustInts(v ...int) Arch {
	a, err := FromInts(v)
	if err != nil {
		panic(err)
	}
	return a
}

// UniformArch draws a whole architecture with every token uniform over
// its choices, cell by cell, as random search does (paper §4.3.5).
func UniformArch(rng *tensor.RNG) Arch {
	var v []int
	for st := 0; st < 3; st++ {
		for _, t := range tokensPerStage(st) {
			v = append(v, rng.IntN(t))
		}
	}
	a, _ := FromInts(v)
	return a
}

// SkipFrom reports whether cell i (0-based) takes a skip input from cell j
// (j < i). The skip token's least significant bit is the most recent
// predecessor (Cell.set_arch of the reference).
func (a Arch) SkipFrom(i, j int) bool {
	n := i // number of predecessors
	bit := n - 1 - j
	return a.Cells[i].Skip>>bit&1 == 1
}

// Describe returns a human description, one phrase per cell:
// "cell2: pre-activation, no norm, bilinear, shortcut, skip from cell1".
func (a Arch) Describe() string {
	var parts []string
	for i, c := range a.Cells {
		sc := "no shortcut"
		if c.Shortcut {
			sc = "shortcut"
		}
		p := fmt.Sprintf("cell%d: %s, %s, %s, %s", i+1, c.Conv, c.Norm, c.Up, sc)
		if i > 0 {
			var from []string
			for j := 0; j < i; j++ {
				if a.SkipFrom(i, j) {
					from = append(from, fmt.Sprintf("cell%d", j+1))
				}
			}
			if len(from) == 0 {
				p += ", no skip"
			} else {
				p += ", skip from " + strings.Join(from, " and ")
			}
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// Prefix returns the architecture of the first n cells.
func (a Arch) Prefix(n int) Arch { return Arch{Cells: append([]Cell(nil), a.Cells[:n]...)} }

// SpaceSize returns the number of architectures of the search space
// (373,248 in the reference's code: 36 · 72 · 144).
func SpaceSize() int {
	n := 1
	for s := 0; s < 3; s++ {
		for _, t := range tokensPerStage(s) {
			n *= t
		}
	}
	return n
}
