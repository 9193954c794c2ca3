package cifar

import (
	"fmt"
	"math"

	"github.com/autogan-go/autogan/internal/parallel"
	"github.com/autogan-go/autogan/tensor"
)

// Shapes10Classes names the classes of the embedded dataset.
var Shapes10Classes = []string{"disc", "square", "triangle", "ring", "cross",
	"diamond", "star", "dots", "stripes", "checkerboard"}

// Shapes10 generates Shapes-10, the project's built-in dataset: n labeled
// 32×32 RGB images of ten visually distinct classes, so that
// `go run ./cmd/search` works on a fresh machine without a download.
//
// Image i belongs to class i mod 10 and is drawn from its own random
// stream, derived from (seed, i): the dataset is the same for a seed on
// every machine and for any number of workers, and its first k images do
// not depend on n. Each image has
//
//   - a background of one colour or a vertical gradient between two;
//   - a foreground colour chosen to contrast with it (luminance difference
//     at least 0.3);
//   - for the eight shape classes, a figure at a random position (centre in
//     [10, 22]), size (radius 6 to 12) and, where it shows, rotation;
//     for the two texture classes, stripes or a checkerboard of random
//     period, phase and orientation jitter;
//   - antialiased edges (3×3 samples per pixel) and Gaussian pixel noise
//     (σ from 2 to 8 in 0…255 units).
//
// Shapes and textures give a GAN real structure to learn (edges, symmetry,
// periodicity, colour relations) while a small classifier separates the
// classes almost perfectly, which lets the embedded scorer of package
// inception/classifier compute a meaningful Inception Score on them.
//
// n must be in [0, MaxShapes10]; [Open] checks it for the commands.
func Shapes10(n int, seed uint64) *Memory {
	const side = 32
	m := &Memory{Name: fmt.Sprintf("shapes10(seed=%d)", seed), C: 3, H: side, W: side,
		Pixels: make([]uint8, n*3*side*side), Labels: make([]int, n), ClassNames: Shapes10Classes}
	root := tensor.NewRNG(seed)
	parallel.For(n, 64, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			m.Labels[i] = i % 10
			drawShape(m.Pixels[i*3*side*side:(i+1)*3*side*side], i%10, root.Child(fmt.Sprint("shapes10/", i)))
		}
	})
	return m
}

// MaxShapes10 is the most images Shapes10 generates at once: 16.7 million,
// 51 GB of pixels.
const MaxShapes10 = 1 << 24

type rgb [3]float64

func randomColor(g *tensor.RNG) rgb {
	// A random hue at random saturation and value, converted from HSV.
	h, s, v := float64(g.Float64()*6), 0.35+float64(0.65*g.Float64()), 0.25+float64(0.75*g.Float64())
	i := int(h)
	f := h - float64(i)
	p, q, t := v*(1-s), v*(1-float64(s*f)), v*(1-float64(s*(1-f)))
	switch i % 6 {
	case 0:
		return rgb{v, t, p}
	case 1:
		return rgb{q, v, p}
	case 2:
		return rgb{p, v, t}
	case 3:
		return rgb{p, q, v}
	case 4:
		return rgb{t, p, v}
	}
	return rgb{v, p, q}
}

func luminance(c rgb) float64 {
	return float64(0.299*c[0]) + float64(0.587*c[1]) + float64(0.114*c[2])
}

// drawShape renders one image of class cls into dst (3×32×32).
//
// Every product that is added to something is converted explicitly,
// float64(x*y) + z: the Go compiler may otherwise fuse it into one FMA
// (arm64, or amd64 built with GOAMD64=v3), which rounds once instead of
// twice, and the dataset would then depend on how the program was built.
func drawShape(dst []uint8, cls int, g *tensor.RNG) {
	const side = 32
	bg0, bg1 := randomColor(g), randomColor(g)
	if g.Float64() < 0.5 {
		bg1 = bg0 // plain background
	}
	var fg rgb
	for try := 0; ; try++ {
		fg = randomColor(g)
		d := math.Abs(luminance(fg) - luminance(bg0))
		d1 := math.Abs(luminance(fg) - luminance(bg1))
		if math.Min(d, d1) >= 0.3 || try > 50 {
			break
		}
	}
	cx, cy := 10+float64(12*g.Float64()), 10+float64(12*g.Float64())
	r := 6 + float64(6*g.Float64())
	angle := (float64(g.Float64()*2) - 1) * math.Pi / 6
	period := 4 + float64(4*g.Float64())
	phase := float64(g.Float64() * period)
	noise := 2 + float64(6*g.Float64())
	// Extra parameters of some classes.
	var dots [][3]float64
	if cls == 7 {
		k := 3 + g.IntN(3)
		for j := 0; j < k; j++ {
			dots = append(dots, [3]float64{4 + float64(24*g.Float64()), 4 + float64(24*g.Float64()), 1.8 + float64(1.5*g.Float64())})
		}
	}
	sin, cos := math.Sincos(angle)
	inside := func(x, y float64) bool {
		// Coordinates relative to the centre, rotated by −angle.
		dx, dy := x-cx, y-cy
		u, v := float64(cos*dx)+float64(sin*dy), float64(-sin*dx)+float64(cos*dy)
		switch cls {
		case 0: // disc
			return float64(dx*dx)+float64(dy*dy) <= r*r
		case 1: // square
			return math.Abs(u) <= r*0.8 && math.Abs(v) <= r*0.8
		case 2: // triangle, apex up (image rows grow downwards)
			h := float64(r * 1.6)    // float64(…): 2*h would be computed as h + fma(r, 1.6, h)
			vy := v + float64(2*h/3) // 0 at the apex, h at the base
			return vy >= 0 && vy <= h && math.Abs(u) <= vy*0.6
		case 3: // ring
			d := float64(dx*dx) + float64(dy*dy)
			return d <= r*r && d >= (0.55*r)*(0.55*r)
		case 4: // cross
			w := r * 0.3
			return (math.Abs(u) <= w && math.Abs(v) <= r) || (math.Abs(v) <= w && math.Abs(u) <= r)
		case 5: // diamond
			return math.Abs(dx)+math.Abs(dy) <= r
		case 6: // five-pointed star
			a := math.Atan2(v, u) + math.Pi/2
			seg := math.Mod(a+2*math.Pi, 2*math.Pi/5) - math.Pi/5
			rad := r * (0.45 + float64(0.55*math.Abs(seg)/(math.Pi/5)))
			return float64(u*u)+float64(v*v) <= rad*rad
		case 7: // dots
			for _, d := range dots {
				ex, ey := x-d[0], y-d[1]
				if float64(ex*ex)+float64(ey*ey) <= d[2]*d[2] {
					return true
				}
			}
			return false
		case 8: // stripes
			return math.Mod(v+phase+float64(64*period), period) < period/2
		default: // checkerboard
			a := int(math.Floor((u + phase) / period))
			b := int(math.Floor((v + phase) / period))
			return (a+b)&1 == 0
		}
	}
	for y := 0; y < side; y++ {
		t := float64(y) / (side - 1)
		var bg rgb
		for c := range bg {
			bg[c] = float64(bg0[c]*(1-t)) + float64(bg1[c]*t)
		}
		for x := 0; x < side; x++ {
			cover := 0
			for sy := 0; sy < 3; sy++ {
				for sx := 0; sx < 3; sx++ {
					if inside(float64(x)+float64((float64(sx)+0.5)/3), float64(y)+float64((float64(sy)+0.5)/3)) {
						cover++
					}
				}
			}
			a := float64(cover) / 9
			for c := 0; c < 3; c++ {
				v := float64(255*(float64(bg[c]*(1-a))+float64(fg[c]*a))) + float64(noise*g.Normal())
				dst[c*side*side+y*side+x] = uint8(math.Max(0, math.Min(255, math.Round(v))))
			}
		}
	}
}
