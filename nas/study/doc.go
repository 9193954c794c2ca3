// Package study tests AutoGAN's two central claims at a chosen scale,
// with the variance over seeds that the paper never measured:
//
//  1. The search finds better generators than the alternatives (paper
//     §4.3: multi-level against single-level search, Fig. 10; with and
//     without dynamic reset, Fig. 9; the IS against the 1/FID reward,
//     Fig. 8; random search with and without weight sharing, §4.3.5).
//  2. The reward used during the search ranks architectures the way
//     training them from scratch does (Fig. 7: Spearman's ρ = 0.779).
//
// # Design
//
// A study is a Plan (a preset, fixed in study.json when the study starts)
// run in a directory:
//
//	study.json        the plan
//	endpoint.md       the primary endpoint, declared before the first run
//	reference.json    real images against real images (the FID floor)
//	real_stats.npz    FID statistics of the training data
//	search/<arm>-s<k> one search per arm and seed (ordinary run directories)
//	train/<arch>      one training from scratch per distinct architecture
//	proxy.json        every trained architecture's reward under final shared weights
//	jobs.jsonl        the wall time of every piece
//	results/          the document: results.md, SVG charts, sample grids, CSV
//
// Arms (search strategies) run with seeds 1, 2, …; the same seed gives
// every arm the same initial weights and data order. All arms get one
// compute budget: the same discriminator steps and the same number of
// reward evaluations (Plan.SearchConfig explains how each strategy spends
// them). The top-1 architecture of every search is trained from scratch
// with one setting and one seed, beside the hand-designed SNGAN-style
// generator of the search space, the paper's released A, B and C, and
// uniformly random architectures. Every trained architecture is then
// scored by the final shared weights of some searches (the proxy of
// Fig. 7) on fixed latents.
//
// # Statistics
//
// The primary endpoint compares the FID of the top-1 after training between
// MLAS and random search with weight sharing: mean ± standard deviation
// over seeds and a two-sided exact permutation test (PermutationTest),
// because with five seeds per arm no distributional assumption can be
// checked. The other arms are compared with MLAS the same way, as
// exploratory tests. Spearman's ρ of the proxy comes with a percentile
// bootstrap interval (BootstrapSpearman). The document states plainly
// when a difference is not significant, when too few seeds could never
// make it significant (MinP), and when an ablation changed nothing (no
// dynamic reset fired). Each statistic is checked against SciPy on
// committed fixtures.
//
// # Running
//
// Every piece is resumable and skips itself once done, so Study.Run (the
// whole study), a cluster's array task (RunSearch, RunTraining) and a
// rerun after a kill can call any of them; the document can be written
// from whatever has finished (Collect, Results.Write). Command study
// (cmd/study) wires it to the command line.
package study
