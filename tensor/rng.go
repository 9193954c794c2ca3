package tensor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/bits"
	"math/rand/v2"
)

// RNG is the project's random number generator: a PCG-DXSM stream from
// math/rand/v2 plus the algorithms built on it, all written here so that
// the numbers are fixed by this code and not by a Go release.
//
// Every RNG has a key that identifies its stream. [RNG.Child] derives an
// independent stream from the key and a name, without drawing from the
// parent: adding a consumer never shifts the numbers another one sees.
// The complete state can be saved with MarshalBinary and restored with
// UnmarshalBinary, so a resumed run continues the same sequence.
type RNG struct {
	key      uint64
	pcg      rand.PCG
	hasSpare bool    // Box-Muller produces normals in pairs
	spare    float64 // the second normal of the last pair
}

// splitmix64 is a strong 64-bit mixer (Steele, Lea & Flood 2014), used to
// turn seeds and names into well-spread PCG seeds.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// NewRNG returns the generator for a seed.
func NewRNG(seed uint64) *RNG { return newRNGKey(splitmix64(seed)) }

func newRNGKey(key uint64) *RNG {
	g := &RNG{key: key}
	g.pcg.Seed(splitmix64(key), splitmix64(key^0x6a09e667f3bcc909))
	return g
}

// Child returns the independent stream named name of this generator's key.
// It depends only on the key and the name, not on how many numbers the
// parent has drawn.
func (g *RNG) Child(name string) *RNG {
	h := fnv.New64a()
	var k [8]byte
	binary.LittleEndian.PutUint64(k[:], g.key)
	h.Write(k[:])
	h.Write([]byte(name))
	return newRNGKey(splitmix64(h.Sum64()))
}

// Uint64 returns 64 uniformly random bits.
func (g *RNG) Uint64() uint64 { return g.pcg.Uint64() }

// Float64 returns a uniform value in [0, 1) with 53 random bits. (The
// outer conversion keeps the compiler from fusing the scaling into an FMA
// with whatever the caller adds to the value; the scaling is exact, so
// this changes no result, but it keeps every caller free of fused
// operations, which a check in CI looks for.)
func (g *RNG) Float64() float64 { return float64(float64(g.Uint64()>>11) * 0x1p-53) }

// Float32 returns a uniform value in [0, 1) with 24 random bits.
func (g *RNG) Float32() float32 { return float32(float32(g.Uint64()>>40) * 0x1p-24) }

// IntN returns a uniform integer in [0, n), n > 0, without modulo bias
// (Lemire's multiply-and-reject method).
func (g *RNG) IntN(n int) int {
	if n <= 0 {
		panic(fmt.Sprintf("tensor.RNG.IntN: n = %d", n))
	}
	bound := uint64(n)
	for {
		hi, lo := bits.Mul64(g.Uint64(), bound)
		if lo >= -bound%bound { // accept unless in the short biased zone
			return int(hi)
		}
	}
}

// Normal returns a standard normal value, by the Box-Muller transform
// (the pair's second value is kept for the next call):
//
//	z0 = √(-2 ln u1)·cos(2π u2),  z1 = √(-2 ln u1)·sin(2π u2),  u1 ∈ (0, 1].
func (g *RNG) Normal() float64 {
	if g.hasSpare {
		g.hasSpare = false
		return g.spare
	}
	u1 := 1 - g.Float64()
	u2 := g.Float64()
	r := math.Sqrt(-2 * math.Log(u1))
	s, c := math.Sincos(2 * math.Pi * u2)
	g.spare, g.hasSpare = float64(r*s), true // float64(…): never fused with the caller's arithmetic
	return float64(r * c)
}

// Perm returns a uniformly random permutation of 0 … n-1 (Fisher-Yates).
func (g *RNG) Perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	g.Shuffle(n, func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// Shuffle permutes n items uniformly by calling swap (Fisher-Yates, from the
// end).
func (g *RNG) Shuffle(n int, swap func(i, j int)) {
	for i := n - 1; i > 0; i-- {
		swap(i, g.IntN(i+1))
	}
}

// FillUniform sets every element of t to a uniform value in [lo, hi).
func (g *RNG) FillUniform(t *Tensor, lo, hi float32) {
	w := float64(hi) - float64(lo)
	for i := range t.data {
		t.data[i] = float32(float64(lo) + float64(w*g.Float64())) // float64(…): never fused into an FMA
	}
}

// FillNormal sets every element of t to a normal value with the given mean
// and standard deviation.
func (g *RNG) FillNormal(t *Tensor, mean, std float32) {
	for i := range t.data {
		t.data[i] = float32(float64(mean) + float64(float64(std)*g.Normal())) // float64(…): never fused into an FMA
	}
}

// Normals returns a new tensor of standard normal values.
func (g *RNG) Normals(shape ...int) *Tensor {
	t := New(shape...)
	g.FillNormal(t, 0, 1)
	return t
}

const rngStateVersion = 1

// MarshalBinary saves the complete state: key, PCG state and the spare
// normal value.
func (g *RNG) MarshalBinary() ([]byte, error) {
	pcg, err := g.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	b := []byte{rngStateVersion}
	b = binary.LittleEndian.AppendUint64(b, g.key)
	if g.hasSpare {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(g.spare))
	return append(b, pcg...), nil
}

// UnmarshalBinary restores a state saved by MarshalBinary.
func (g *RNG) UnmarshalBinary(b []byte) error {
	if len(b) < 18 || b[0] != rngStateVersion || b[9] > 1 {
		return errors.New("tensor: invalid RNG state")
	}
	var pcg rand.PCG
	if err := pcg.UnmarshalBinary(b[18:]); err != nil {
		return fmt.Errorf("tensor: invalid RNG state: %w", err)
	}
	g.key = binary.LittleEndian.Uint64(b[1:])
	g.hasSpare = b[9] == 1
	g.spare = math.Float64frombits(binary.LittleEndian.Uint64(b[10:]))
	g.pcg = pcg
	return nil
}
