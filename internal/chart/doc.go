// Package chart draws the charts of the project's run reports and results
// documents as SVG: lines with bands and markers, scatters, bars with error
// bars, and heatmaps, with readable axes, a legend and tooltips. It uses
// only the standard library, runs no script and loads nothing from the
// network, so a chart works inline in a self-contained HTML page and as a
// .svg file.
//
// # Chart kinds
//
// A chart is a struct describing what to show; its SVG method renders it.
// The zero value of every field is a sensible default.
//
//   - [XY]: y against x. Each [Series] is a line, points (a scatter) or
//     both, with an optional band (Lo, Hi) such as mean ± standard
//     deviation over seeds, and an optional least-squares trend line.
//     [Marker] draws a labelled vertical line (a dynamic reset, a growth
//     step) and [RefLine] a horizontal one (the reset threshold). Either
//     axis can be logarithmic.
//   - [Bars]: a value per category, grouped when there are several
//     series, with error bars and the raw values (one per seed) as dots;
//     or a dot plot when the values are far from zero.
//   - [Heatmap]: a matrix of values with row and column labels and a
//     colour legend, e.g. the controller's choice probabilities per token
//     over the search iterations.
//
// For example, reward curves of two strategies with their spread over
// seeds, saved as a file:
//
//	c := &chart.XY{
//		Title: "Controller reward",
//		X:     chart.Axis{Label: "search iteration"},
//		Y:     chart.Axis{Label: "reward (IS)"},
//		Series: []chart.Series{
//			{Name: "MLAS", X: iters, Y: mean, Lo: lo, Hi: hi}, // lo, hi: mean ∓ sd
//			{Name: "random search", X: iters, Y: mean2, Lo: lo2, Hi: hi2},
//		},
//	}
//	svg, err := c.SVG()
//	...
//	err = os.WriteFile("reward.svg", svg, 0o644)
//
// # Data
//
// Values are float64. NaN and ±Inf are gaps: never drawn, a line is broken
// there, and they never make a chart fail. Inconsistent input (x and y of
// different lengths, ragged heatmap rows) is an error returned by SVG and
// WriteSVG, never a panic. A chart with nothing to show draws its frame
// with the words "no data", so a page can show a chart before the first
// value arrives. A logarithmic axis cannot show values <= 0: they are left
// out like gaps and the chart states how many were.
//
// # Large series
//
// A search of the paper's length logs 760,000 discriminator steps. A line
// with more than a few points per pixel column is reduced by [Decimate]
// before drawing: per column it keeps the first, last, lowest and highest
// point (the M4 method), which draws the same pixels as the full series,
// never drops an extreme, and keeps the SVG at tens of kilobytes: a chart
// of 760,000 points renders in about 15 ms.
//
// # Axes and numbers
//
// Tick values are multiples of 1, 2 or 5 × 10^k ([Ticks]); a logarithmic
// axis uses powers of ten or their 1-2-5 multiples ([LogTicks]). Labels
// share one style per axis ([TickLabels]): 0, 2k, 4k; 0.00, 0.25, 0.50;
// 5e-4, 1e-3. An axis of counts (Axis.Integer: iterations, epochs) has
// ticks only at whole numbers. Every axis should be given a label with its
// unit.
//
// # Accessibility
//
// Series take their colours from the Okabe–Ito palette ([Palette]), which
// stays distinct for the common forms of colour blindness; scatter points
// also differ in shape and lines can be dashed. Heatmaps use the viridis
// colour map ([Viridis]), which is perceptually uniform and readable in
// grey scale. Every chart has a title as its accessible name (the
// aria-label of the svg element), and text is never smaller than 10 px.
//
// # Hover values
//
// Tooltips use SVG <title> elements, which browsers show natively: points,
// bars, error bars and heatmap cells carry their values, and the plot area
// of a line chart is covered by narrow invisible strips whose tooltip lists
// every series' value (or range of values) at that x.
//
// # Output
//
// The output is deterministic: the same chart gives the same bytes on every
// machine and run. Coordinates are rounded to a tenth of a pixel and paths
// are written with relative moves to keep files small. The document
// declares the SVG namespace, has a fixed size in pixels and a viewBox (so
// a page can scale it), uses no ids (a page can inline any number of
// charts) and escapes all text.
package chart
