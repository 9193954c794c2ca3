package chart

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzCharts feeds arbitrary numbers (NaN, infinities, subnormals, values
// near the float64 limits) and options to every chart kind: each must
// give an error or a well-formed document, never a panic.
func FuzzCharts(f *testing.F) {
	seed := func(vs ...float64) []byte {
		b := []byte{0}
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(seed(0, 1, 2, 3, 4, 5))
	f.Add(seed(math.NaN(), math.Inf(1), -math.MaxFloat64, math.MaxFloat64, 5e-324, 0))
	f.Add(append([]byte{0xff}, seed(1e-300, 1e300, -1, 0, 1e-9, 1e9)[1:]...))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		flags := data[0]
		var v []float64
		for b := data[1:]; len(b) >= 8; b = b[8:] {
			v = append(v, math.Float64frombits(binary.LittleEndian.Uint64(b)))
		}
		n := len(v) / 2
		x, y := v[:n], v[n:2*n]
		style := Style(flags % 3)
		xy := &XY{
			Title:   "fuzz",
			X:       Axis{Log: flags&4 != 0},
			Y:       Axis{Log: flags&8 != 0},
			Series:  []Series{{Name: "a", X: x, Y: y, Style: style, Trend: flags&16 != 0}, {Lo: y, Hi: x}},
			Markers: []Marker{{X: at(v, 0), Label: "m"}},
			Refs:    []RefLine{{Y: at(v, 1), Label: "r"}},
			Width:   int(flags>>5) * 60,
		}
		if flags&32 != 0 && n >= 2 {
			xy.X.Min, xy.X.Max = math.Abs(x[0]), math.Abs(x[0])+math.Abs(x[1])
		}
		check(t, xy)
		cats := make([]string, n)
		bars := &Bars{Categories: cats, Series: []BarSeries{{Values: x, Lo: y, Hi: x}}, Dots: flags&1 != 0}
		check(t, bars)
		var rows [][]float64
		if n > 0 {
			for r := 0; r+n <= len(v); r += n {
				rows = append(rows, v[r:r+n])
			}
		}
		check(t, &Heatmap{Values: rows})
	})
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return 0
}

func check(t *testing.T, c Chart) {
	t.Helper()
	b, err := c.SVG()
	if err != nil {
		return
	}
	checkWellFormed(t, "fuzz", b)
}
