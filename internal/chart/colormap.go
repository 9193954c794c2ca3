package chart

import (
	"fmt"
	"math"
)

// viridis is the sequential colour map of matplotlib (van der Walt and
// Smith, 2015) sampled at nine evenly spaced points; Viridis interpolates
// linearly between them, which stays within a few levels of the full
// 256-entry table. It is perceptually uniform, readable by colour-blind
// people and in grey-scale, dark for 0 and light for 1.
var viridis = [...][3]uint8{
	{0x44, 0x01, 0x54},
	{0x47, 0x2d, 0x7b},
	{0x3b, 0x52, 0x8b},
	{0x2c, 0x72, 0x8e},
	{0x21, 0x91, 0x8c},
	{0x28, 0xae, 0x80},
	{0x5e, 0xc9, 0x62},
	{0xad, 0xdc, 0x30},
	{0xfd, 0xe7, 0x25},
}

// Viridis returns the colour for t in [0, 1] as "#rrggbb"; t is clamped to
// the interval and NaN gives the colour used for missing values.
func Viridis(t float64) string {
	if math.IsNaN(t) {
		return colorNoValue
	}
	t = math.Min(math.Max(t, 0), 1)
	pos := t * float64(len(viridis)-1)
	i := min(int(pos), len(viridis)-2)
	f := pos - float64(i)
	a, b := viridis[i], viridis[i+1]
	var c [3]uint8
	for k := range c {
		c[k] = uint8(math.Round(float64(a[k]) + f*(float64(b[k])-float64(a[k]))))
	}
	return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2])
}
