// Package runreport turns a run directory of cmd/search, cmd/train or
// cmd/eval into one self-contained HTML page of charts, tables and sample
// grids, written to a file or served live while the run goes on. It reads
// the files a run writes (metrics.jsonl, config.json, result.json,
// train_result.json, samples/*.png), not the Go types that wrote them, so
// a page can be made of any run directory, old or new, finished or not.
//
// # What a page shows
//
// A search: the shared GAN's D and G losses per discriminator step, the
// variances of their recent values on a log axis with the dynamic-reset
// threshold, the resets and the growths marked; the controller's reward,
// IS, baseline, advantage and entropy per controller step; the time per
// iteration; a heatmap of the controller's choice probabilities per token
// over the iterations (rows "cell2 norm: batch"); the candidates scored at
// each growth and the ones kept; the final architectures with their
// descriptions; the sample grids.
//
// A training: the losses, the learning rates, the Inception Score (± its
// standard deviation over splits) and the FID at each evaluation with the
// best checkpoints marked, a table of the evaluations, the sample grids.
//
// An evaluation: the scores, every merge of partial results, and for a
// sharded evaluation the wall time and throughput of each shard.
//
// Several runs give a comparison page: the same charts overlaid, one
// colour per run throughout, and a table of their settings and results.
// The header of every page states the settings that matter (preset,
// strategy, dataset, scorer, widths, ...) and the progress (iteration or
// epoch reached, whether the run finished).
//
// # The page
//
// Charts are inline SVG drawn by internal/chart, which decimates long
// series (min and max per pixel column, so no extreme is lost): a search
// of the paper's length logged at every step (760,000 records) gives a
// page of a few megabytes in a few seconds. Sample grids are embedded as
// base64 PNG at their natural size (a run writes them enlarged), at most
// Options.MaxGrids evenly spaced ones within a byte budget. The page loads
// nothing from the network and has a few lines of plain JavaScript
// (enlarge a grid on click; on a live page, poll the server). The same run
// gives the same bytes.
//
// # Reading
//
// metrics.jsonl holds one JSON object per line with an "event" key; the
// first line of newer files is {"event":"schema","version":1,"kind":...}.
// Non-finite numbers are the strings "NaN", "Inf" and "-Inf"; they are
// gaps in the charts, and a "diverged" event is marked and warned about.
// Fields a run does not log (the learning rates, the controller's "probs")
// leave their chart out with a note. Lines are read by a small parser of
// flat JSON objects (jsonline.go), tested against encoding/json by a fuzz
// test. Nothing in a run directory makes the page fail: a torn last line
// (the run is writing it), invalid lines, unknown events, unreadable files
// or grids are skipped and listed in the page's notes. Only a directory
// that does not exist or holds none of a run's files is an error.
//
// # Live
//
// A Run reads metrics.jsonl incrementally: Refresh parses only the lines
// appended since the last call. A resumed run truncates the file to the
// records of its checkpoint in place and writes on; the reader notices
// (the file is shorter, or the bytes before its position changed) and
// reads it again from the start. Server serves the page and a small
// /state endpoint whose version changes with the run; the page polls it
// and replaces its content when it changed.
//
// # Checking a page in a browser
//
// CheckDOM and CheckConsole check what headless Chromium made of a page:
// the script finished, every chart expected for the kind of run is there
// and draws data, no image failed to decode, no console message. The CI
// runs them on the pages of a tiny search and a tiny training
// (.ci/browser-test).
package runreport
