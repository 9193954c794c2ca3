package tensor

import (
	"fmt"
	"testing"
)

// BenchmarkConvAlgorithms times the three passes of 3×3 convolutions of
// the shapes this project trains, with each algorithm, for the automatic
// choice of convalgo.go:
//
//	go test ./tensor -run X -bench ConvAlgorithms -cpu 1
func BenchmarkConvAlgorithms(b *testing.B) {
	cfg := Conv2DConfig{PadH: 1, PadW: 1}
	for _, c := range []struct{ n, c, o, s int }{
		{32, 3, 32, 32}, {32, 32, 3, 32}, {32, 8, 8, 32}, {32, 32, 32, 32}, {32, 32, 32, 8}, {64, 64, 64, 8}, {64, 128, 128, 16},
	} {
		g := NewRNG(1)
		x, w := g.Normals(c.n, c.c, c.s, c.s), g.Normals(c.o, c.c, 3, 3)
		dy := g.Normals(c.n, c.o, c.s, c.s)
		for _, pass := range []string{"fwd", "dx", "dw"} {
			for _, mode := range []string{"direct", "winograd"} {
				b.Run(fmt.Sprintf("n%d_c%d_o%d_s%d/%s/%s", c.n, c.c, c.o, c.s, pass, mode), func(b *testing.B) {
					old := convMode
					convMode = mode
					defer func() { convMode = old }()
					for b.Loop() {
						switch pass {
						case "fwd":
							Conv2D(x, w, nil, cfg, false).Release()
						case "dx":
							Conv2DBackwardInput(dy, w, x.shape, cfg).Release()
						default:
							Conv2DBackwardWeight(dy, x, w.shape, cfg, nil).Release()
						}
					}
				})
			}
		}
	}
}
