// Command study asks whether AutoGAN's search beats random search: it runs
// the paper's ablations (§4.3) with several seeds per strategy at one
// compute budget, trains every search's best architecture from scratch
// beside hand-designed, published and random baselines, checks whether the
// search's reward ranks architectures as training does (the paper's
// Fig. 7), and writes the answer as a document with tables, tests and
// charts (DIR/results/results.md):
//
//	go run ./cmd/study -preset tiny                      # the whole pipeline in a minute
//	go run ./cmd/study -preset cpu -dataset shapes10     # about 2.5 hours on 2 cores
//	go run ./cmd/study -preset cpu -dataset fashion-mnist -scorer inception/classifier/fashion_mnist_scorer.safetensors
//	go run ./cmd/study -dir runs/study-cpu-shapes10 -status
//	go run ./cmd/study -dir runs/study-cpu-shapes10 -document -out docs/results/shapes10
//
// A study is a directory: its plan (study.json) and primary endpoint
// (endpoint.md) are written first, then every search and training is an
// ordinary run directory under it. Run the same command again (or with
// -dir alone) to continue an interrupted study; SIGINT/SIGTERM write the
// running piece's checkpoint and exit with code 3.
//
// On a cluster, each piece can run as its own job: -only search -index I
// runs the I-th search (1-based, or env for SLURM_ARRAY_TASK_ID + 1),
// -only train -index I the I-th training once the searches are done, and a
// plain run (-dir alone) the proxy rewards and the document
// (deploy/slurm/study.sbatch); -document only writes the document from
// what has finished.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/nas/study"
)

func main() {
	cli.LimitHeapGrowth()
	ctx, stop := cli.Interruptible("writing a checkpoint at the next step")
	defer stop()
	cli.Exit("study", run(ctx, os.Args[1:], os.Stdout, progress.Stderr()), nas.ErrInterrupted)
}

// options are the command line.
type options struct {
	preset, dataset, dataDir, scorer, preprocess string
	anyScorer                                    bool
	config, dir, only, index, out, count         string
	status, document, create                     bool
	threads                                      int
}

func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("study [flags]",
		"Runs AutoGAN's ablations with several seeds per search strategy, trains the architectures found from scratch\n"+
			"beside baselines, and writes the results as a document (DIR/results/results.md).")
	var o options
	fs.Group("Study")
	fs.StringVar(&o.preset, "preset", "cpu", "scale of a new study: "+strings.Join(study.PresetNames, "|"))
	fs.StringVar(&o.dataset, "dataset", "shapes10", "dataset of a new study: "+strings.Join(cli.DatasetNames(), "|"))
	fs.StringVar(&o.dataDir, "data_dir", "", "folder or archive of the dataset (shapes10 needs none; fashion-mnist defaults to Debian's)")
	fs.StringVar(&o.scorer, "scorer", "", "scorer of rewards and evaluations: Inception-v3 weights or a cmd/trainscorer file; empty: the embedded Shapes-10 scorer")
	fs.StringVar(&o.preprocess, "preprocess", "tf", "Inception preprocessing: tf|pytorch-fid")
	fs.BoolVar(&o.anyScorer, "any_scorer", false, "score with a classifier trained on another dataset anyway")
	fs.StringVar(&o.config, "config", "", "JSON file laid over the preset's plan (keys as in DIR/study.json)")
	fs.StringVar(&o.dir, "dir", "", "study directory (default runs/study-<preset>-<dataset>); an existing study continues")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines")
	fs.Group("Pieces (cluster jobs) and reports")
	fs.BoolVar(&o.create, "create", false, "only create the study (its plan and endpoint), for cluster scripts that then submit the pieces")
	fs.StringVar(&o.count, "count", "", "print how many pieces of a kind there are: search|train (train: the most there can be before the searches end)")
	fs.StringVar(&o.only, "only", "", "run one kind of piece only: reference|search|train|proxy (with -index for search and train)")
	fs.StringVar(&o.index, "index", "", "with -only search|train: the I-th piece (1-based; 'env': SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX + 1)")
	fs.BoolVar(&o.status, "status", false, "list the pieces of the study and what has finished")
	fs.BoolVar(&o.document, "document", false, "write the document from what has finished")
	fs.StringVar(&o.out, "out", "", "folder of the document (default DIR/results)")
	return fs, &o
}

func run(ctx context.Context, args []string, stdout io.Writer, rep *progress.Reporter) error {
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if len(fs.Args()) > 0 {
		return cli.Usagef("unexpected arguments %q", fs.Args())
	}
	if err := checkCombinations(fs, o); err != nil {
		return err
	}
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}
	faults, err := cli.FaultsFromEnv()
	if err != nil {
		return err
	}
	st, created, err := openStudy(fs, o, newEnv(rep, faults))
	if err != nil {
		return err
	}
	switch {
	case o.create:
		// A study that exists is left as it is (its plan cannot change), so
		// a cluster script submitted again goes on with it.
		what := "the study %s already exists (unchanged): %d searches\n"
		if created {
			what = "created the study %s: %d searches\n"
		}
		fmt.Fprintf(stdout, what, st.Dir, len(st.Plan.Searches()))
		return nil
	case o.count != "":
		return count(st, o.count, stdout)
	case o.status:
		return status(st, stdout)
	case o.document:
		return document(st, o.out, stdout)
	case o.only != "":
		return runPiece(ctx, st, o)
	}
	if err := st.Run(ctx); err != nil {
		if errors.Is(err, nas.ErrInterrupted) {
			return fmt.Errorf("%w (continue with: go run ./cmd/study -dir %s)", err, st.Dir)
		}
		return err
	}
	if o.out != "" {
		return document(st, o.out, stdout)
	}
	fmt.Fprintf(stdout, "study finished: %s\n", filepath.Join(st.Dir, "results", "results.md"))
	return nil
}

// checkCombinations refuses flags that would be ignored: a command line
// that does not do what it says is a mistake, found before any work.
func checkCombinations(fs *cli.FlagSet, o *options) error {
	var modes []string
	for _, m := range []string{"create", "count", "status", "document", "only"} {
		if fs.IsSet(m) {
			modes = append(modes, "-"+m)
		}
	}
	if len(modes) > 1 {
		return cli.Usagef("%s do not go together: give one of them", strings.Join(modes, " and "))
	}
	if fs.IsSet("index") && o.only != "search" && o.only != "train" {
		return cli.Usagef("-index applies only with -only search or -only train")
	}
	// The document is written by -document and at the end of a whole run;
	// the other modes write none.
	if fs.IsSet("out") && len(modes) > 0 && modes[0] != "-document" {
		return cli.Usagef("-out does not apply with %s: only -document and a whole run write the document", modes[0])
	}
	return nil
}

// newEnv wires the study to the commands' data, scorers and run
// directories.
func newEnv(rep *progress.Reporter, faults *cli.Faults) study.Env {
	return study.Env{Runs: cli.Runs(faults), Report: rep,
		Open: func(cfg nas.GANConfig) (metrics.Scorer, cifar.Dataset, error) { return cli.Open(cfg, rep) }}
}

// openStudy continues the study in -dir, or creates one from the preset
// (created says which).
func openStudy(fs *cli.FlagSet, o *options, env study.Env) (st *study.Study, created bool, err error) {
	dir := o.dir
	if dir == "" {
		dir = filepath.Join("runs", "study-"+o.preset+"-"+o.dataset)
	}
	if _, err := os.Stat(filepath.Join(dir, "study.json")); err == nil {
		for _, name := range []string{"preset", "dataset", "data_dir", "scorer", "preprocess", "any_scorer", "config"} {
			if fs.IsSet(name) {
				return nil, false, cli.Usagef("%s holds a study with its own plan (study.json); -%s does not apply to it", dir, name)
			}
		}
		st, err := study.Open(dir, env)
		return st, false, err
	}
	if o.status || o.document || o.only != "" || o.count != "" {
		return nil, false, cli.Usagef("%s holds no study: start one with -preset (and -dir)", dir)
	}
	p, err := study.Preset(o.preset, o.dataset)
	if err != nil {
		return nil, false, cli.Usagef("%v", err)
	}
	for _, g := range []*nas.GANConfig{&p.Search.GANConfig, &p.Train.GANConfig} {
		g.DataDir, g.Scorer, g.Preprocess, g.AnyScorer = o.dataDir, o.scorer, o.preprocess, o.anyScorer
	}
	if o.config != "" {
		if err := study.LoadPlanFile(o.config, &p); err != nil {
			return nil, false, cli.Usagef("%v", err)
		}
	}
	if err := p.Validate(); err != nil {
		return nil, false, cli.Usagef("%v", err)
	}
	// The data and the scorer every piece will open are opened once now: a
	// study whose pieces would all fail on them is refused before its plan
	// is written (the plan's dataset and scorer cannot be changed later).
	// A file or folder that does not exist is a mistake in the command
	// line; one that exists but cannot be read (a damaged archive or
	// weights file) is a failure, as in cmd/search and cmd/train, and the
	// errors of the opening functions say which.
	g := p.Search.GANConfig
	if err := cli.CheckExists("scorer", g.Scorer); err != nil {
		return nil, false, err
	}
	if err := cli.CheckDataDir("data_dir", g.Dataset, g.DataDir); err != nil {
		return nil, false, err
	}
	if _, err := cli.OpenDataset(g.Dataset, cifar.Options{Dir: g.DataDir, Limit: 1}, 0); err != nil {
		return nil, false, err
	}
	sc, err := cli.Scorer(g.Scorer, g.Preprocess)
	if err != nil {
		return nil, false, err
	}
	if err := cli.CheckScorer(sc, g.Dataset, g.AnyScorer); err != nil {
		return nil, false, err
	}
	if st, err = study.Create(dir, p, env); err != nil {
		return nil, false, err
	}
	env.Report.Log("study %s: preset %s on %s; %d searches (%s), then their top-1 and baselines trained from scratch",
		dir, p.Preset, o.dataset, len(p.Searches()), armsSummary(p))
	return st, true, nil
}

func armsSummary(p study.Plan) string {
	var parts []string
	for _, a := range p.Arms {
		parts = append(parts, fmt.Sprintf("%s × %d", a.Name, a.Seeds))
	}
	return strings.Join(parts, ", ")
}

// runPiece runs one piece: -only reference|search|train|proxy [-index I].
func runPiece(ctx context.Context, st *study.Study, o *options) error {
	switch o.only {
	case "reference":
		return st.RunReference(ctx)
	case "proxy":
		return st.RunProxy(ctx)
	case "search":
		runs := st.Plan.Searches()
		i, err := pieceIndex(o.index, len(runs))
		if err != nil {
			return err
		}
		return st.RunSearch(ctx, runs[i].Name)
	case "train":
		cands, err := st.Candidates()
		if err != nil {
			return err
		}
		i, err := pieceIndex(o.index, len(cands))
		if errors.Is(err, errBeyond) {
			// Array jobs are sized before the searches end, for the most
			// architectures there could be.
			fmt.Fprintf(os.Stderr, "study: nothing to do: the study trains %d architectures (-index %s)\n", len(cands), o.index)
			return nil
		}
		if err != nil {
			return err
		}
		return st.RunTraining(ctx, i)
	}
	return cli.Usagef("-only %q: want reference, search, train or proxy", o.only)
}

// errBeyond marks an -index past the last piece: a mistake for the
// searches, whose number the plan fixes, but nothing to do for the
// trainings, whose job array is sized before their number is known.
var errBeyond = errors.New("beyond the last piece")

// pieceIndex parses -index (1-based, or env) into a 0-based index below n.
func pieceIndex(spec string, n int) (int, error) {
	if spec == "" {
		return 0, cli.Usagef("-only search and -only train need -index I (1…%d) or -index env", n)
	}
	if spec == "env" {
		k, err := cli.ArrayTaskID()
		if err != nil {
			return 0, cli.Usagef("-index env: %v", err)
		}
		spec = strconv.Itoa(k + 1)
	}
	i, err := strconv.Atoi(spec)
	if err != nil || i < 1 {
		return 0, cli.Usagef("-index %q: want 1…%d or env", spec, n)
	}
	if i > n {
		return 0, fmt.Errorf("%w: -index %d: %w: want 1…%d", cli.ErrUsage, i, errBeyond, n)
	}
	return i - 1, nil
}

// count prints the number of pieces of a kind: the searches, or the
// trainings (their exact number once the searches have ended, before that
// the most there can be: one per search, the named baselines and the
// random ones, or the plan's minimum).
func count(st *study.Study, kind string, w io.Writer) error {
	switch kind {
	case "search":
		fmt.Fprintln(w, len(st.Plan.Searches()))
	case "train":
		if cands, err := st.Candidates(); err == nil {
			fmt.Fprintln(w, len(cands))
			return nil
		}
		fmt.Fprintln(w, st.MaxTrainings())
	default:
		return cli.Usagef("-count %q: want search or train", kind)
	}
	return nil
}

// status prints every piece and whether it has finished.
func status(st *study.Study, w io.Writer) error {
	res, err := st.Collect()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "piece\tstate\twall time\tresult\n")
	state := func(done, started bool) string {
		switch {
		case done:
			return "done"
		case started:
			// Running now, or interrupted: a rerun of the study continues it.
			return "started"
		}
		return "-"
	}
	secs := func(s float64) string {
		if s == 0 {
			return "-"
		}
		return fmt.Sprintf("%.0fs", s)
	}
	fmt.Fprintf(tw, "reference\t%s\t%s\t\n", state(res.Reference != nil, false), secs(res.Seconds["reference"]))
	for i, s := range res.Searches {
		out := ""
		if s.Done {
			out = fmt.Sprintf("top-1 %s (reward %.4f)", s.Top1, s.Top1Reward)
		}
		fmt.Fprintf(tw, "search %d: %s\t%s\t%s\t%s\n", i+1, s.Run.Name, state(s.Done, s.Started), secs(s.Seconds), out)
	}
	for i, t := range res.Trained {
		out := strings.Join(t.Labels, ", ")
		if t.Done {
			out = fmt.Sprintf("FID %.2f, IS %.3f; %s", t.Summary.LastFID, t.Summary.LastIS, out)
		}
		fmt.Fprintf(tw, "train %d: %s\t%s\t%s\t%s\n", i+1, t.Arch, state(t.Done, t.Started), secs(t.Seconds), out)
	}
	if res.Trained == nil {
		fmt.Fprintf(tw, "train\t(after the searches)\t\t\n")
	}
	fmt.Fprintf(tw, "proxy\t%s\t%s\t\n", state(res.Proxy != nil, false), secs(res.Seconds["proxy"]))
	return tw.Flush()
}

// document writes the document of what has finished.
func document(st *study.Study, out string, w io.Writer) error {
	if out == "" {
		out = filepath.Join(st.Dir, "results")
	}
	res, err := st.Collect()
	if err != nil {
		return err
	}
	if err := res.Write(out); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote %s", filepath.Join(out, "results.md"))
	if len(res.Missing) > 0 {
		fmt.Fprintf(w, " (%d pieces not finished)", len(res.Missing))
	}
	fmt.Fprintln(w)
	return nil
}
