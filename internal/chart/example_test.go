package chart_test

import (
	"bytes"
	"fmt"
	"math"

	"github.com/autogan-go/autogan/internal/chart"
)

func ExampleTicks() {
	// The x axis of a search of 11,730 discriminator steps, about 8 ticks.
	ticks := chart.Ticks(0, 11730, 8)
	fmt.Println(ticks)
	fmt.Println(chart.TickLabels(ticks))
	// A loss between 0.43 and 1.37.
	fmt.Println(chart.Ticks(0.43, 1.37, 6))
	// Output:
	// [0 2000 4000 6000 8000 10000]
	// [0 2k 4k 6k 8k 10k]
	// [0.6 0.8 1 1.2]
}

func ExampleLogTicks() {
	// A loss variance spanning five decades.
	fmt.Println(chart.LogTicks(3e-6, 0.4, 6))
	// Output: [1e-05 0.0001 0.001 0.01 0.1]
}

func ExampleDecimate() {
	// 760,000 steps of a sawtooth with one spike, drawn 640 pixels wide.
	n := 760000
	x, y := make([]float64, n), make([]float64, n)
	for i := range x {
		x[i], y[i] = float64(i), float64(i%1000)/1000
	}
	y[123456] = 50
	idx := chart.Decimate(x, y, 0, float64(n-1), 640)
	maxY := 0.0
	for _, i := range idx {
		maxY = math.Max(maxY, y[i])
	}
	fmt.Println(len(idx) <= 4*640, maxY)
	// Output: true 50
}

func ExampleXY() {
	iters := []float64{1, 2, 3, 4, 5}
	mean := []float64{3.1, 3.4, 3.8, 3.9, 4.2}
	lo := []float64{2.9, 3.1, 3.5, 3.7, 3.9}
	hi := []float64{3.3, 3.7, 4.1, 4.1, 4.5}
	c := &chart.XY{
		Title:   "Controller reward",
		X:       chart.Axis{Label: "search iteration"},
		Y:       chart.Axis{Label: "reward (IS)"},
		Series:  []chart.Series{{Name: "MLAS", X: iters, Y: mean, Lo: lo, Hi: hi}},
		Markers: []chart.Marker{{X: 3, Label: "grow → stage 1"}},
	}
	svg, err := c.SVG()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bytes.HasPrefix(svg, []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="720" height="300" viewBox="0 0 720 300"`)))
	// Output: true
}

func ExampleBars() {
	c := &chart.Bars{
		Title:      "Inception Score per strategy",
		XLabel:     "search strategy",
		Y:          chart.Axis{Label: "Inception Score"},
		Categories: []string{"MLAS", "random search"},
		Series: []chart.BarSeries{{
			Values: []float64{5.4, 5.1},
			Lo:     []float64{5.2, 4.8}, Hi: []float64{5.6, 5.4}, // mean ± sd
			Points: [][]float64{{5.3, 5.6, 5.2, 5.5, 5.4}, {5.0, 4.7, 5.3, 5.2, 5.3}}, // the seeds
		}},
	}
	_, err := c.SVG()
	fmt.Println(err)
	// Output: <nil>
}

func ExampleHeatmap() {
	h := &chart.Heatmap{
		Title:      "Choice probabilities",
		XLabel:     "search iteration",
		YLabel:     "token: choice",
		ValueLabel: "probability",
		Rows:       []string{"up: nearest", "up: bilinear", "up: deconv"},
		Cols:       []string{"1", "2", "3"},
		Values:     [][]float64{{0.33, 0.5, 0.8}, {0.33, 0.3, 0.1}, {0.34, 0.2, 0.1}},
		Min:        0, Max: 1,
	}
	_, err := h.SVG()
	fmt.Println(err)
	// Output: <nil>
}

func ExampleFormatValue() {
	for _, v := range []float64{0.25, -0.012345, 11730, 760000, 1.5e-4, math.NaN()} {
		fmt.Print(chart.FormatValue(v), " ")
	}
	fmt.Println()
	// Output: 0.25 −0.01235 11.73k 760k 1.5e-4 NaN
}
