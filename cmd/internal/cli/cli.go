// Package cli holds what the project's commands share: the flag language
// (FlagSet: snake_case names with kebab-case aliases, typed configuration
// settings, grouped help), choosing a scorer from flags, parsing shard
// specifications, signal handling and exit codes. Commands only wire
// packages together; the pieces they all need live here so they behave
// the same way.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/cifar/imagefolder"
	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/internal/sysmem"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/nas/rundir"

	"github.com/autogan-go/autogan/inception"
)

// Exit codes shared by every command (the table in README.md).
const (
	ExitOK = 0
	// ExitError is a failure: a damaged or mismatched file, a dataset
	// folder without its files, a full disk or another error during the
	// work. Fix the cause and run again.
	ExitError = 1
	// ExitUsage is a mistake on the command line or in the settings, found
	// before any work (ErrUsage): a value that is invalid, out of range or
	// unknown, flags that do not go together or a required one missing, a
	// file or folder named on the command line that does not exist, an
	// output that cannot be written. The message says which and the valid
	// values.
	ExitUsage = 2
	// ExitRequeue means the command was interrupted (SIGINT/SIGTERM) after
	// writing a checkpoint, and should be run again to continue; batch
	// schedulers can requeue on it (Slurm: scontrol requeue from the
	// script, or sbatch --requeue with this exit code).
	ExitRequeue = 3
	// ExitDiverged means a training diverged (a NaN or infinite loss or
	// weight): the last checkpoint is from before it; resume with smaller
	// learning rates. Running it again unchanged would diverge again, so
	// schedulers must not requeue it.
	ExitDiverged = 4
)

// Scorer returns the scorer of a weights file: Inception-v3 (.pth or .pb)
// with the given preprocessing ("tf" or "pytorch-fid"), or a classifier
// trained by cmd/trainscorer (.safetensors), or the embedded Shapes-10
// scorer when weights is empty. It prints what it loaded to standard
// error, warning when a .pth file is not the known one.
func Scorer(weights, preprocess string) (metrics.Scorer, error) {
	// The mode is checked even where it does not apply (the classifier
	// scorers), so that a mistyped -preprocess is never ignored silently.
	mode, err := inception.ParseMode(preprocess)
	if err != nil {
		return nil, Usagef("%v", err)
	}
	if weights == "" {
		return classifier.NewEmbeddedScorer()
	}
	if head, err := readHead(weights, 16); err == nil && classifier.IsScorerFile(head) {
		sc, err := classifier.Load(weights)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "scorer: %s (%d classes; test accuracy %s)\n", sc.Name(), sc.NumClasses(), sc.Info.Accuracy)
		return sc, nil
	}
	sc, err := inception.NewInceptionScorer(weights, mode)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "weights: %s (%s, sha256 %s…)\n", weights, sc.Info.Format, sc.Info.SHA256[:16])
	if strings.HasPrefix(sc.Info.Format, "pth") && !strings.HasPrefix(sc.Info.SHA256, inception.KnownDigestPrefix) {
		fmt.Fprintf(os.Stderr, "warning: the pytorch-fid/torch-fidelity weights have a SHA-256 starting with %s; this file differs\n",
			inception.KnownDigestPrefix)
	}
	return sc, nil
}

// SetThreads sets the number of worker goroutines (GOMAXPROCS) of the
// -threads flag.
func SetThreads(n int) error {
	if n < 1 {
		return Usagef("-threads %d: want at least 1", n)
	}
	runtime.GOMAXPROCS(n)
	return nil
}

// ArrayTaskID is the 0-based index of this task in a job array:
// SLURM_ARRAY_TASK_ID, or else JOB_COMPLETION_INDEX (a Kubernetes indexed
// job). It is what "env" stands for in -shard and -index.
func ArrayTaskID() (int, error) {
	v := os.Getenv("SLURM_ARRAY_TASK_ID")
	if v == "" {
		v = os.Getenv("JOB_COMPLETION_INDEX")
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return 0, fmt.Errorf("SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX is %q, want a task index (0, 1, …)", v)
	}
	return i, nil
}

// Shard parses "I/N" (0 ≤ I < N); the empty string means 0/1. The index
// may be given as "$SLURM_ARRAY_TASK_ID/N" expanded by the shell, or I may
// be "env" to read SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.
func Shard(spec string) (i, n int, err error) {
	if spec == "" {
		return 0, 1, nil
	}
	a, b, ok := strings.Cut(spec, "/")
	if !ok {
		return 0, 0, fmt.Errorf("shard %q: want I/N", spec)
	}
	if a == "env" {
		k, err := ArrayTaskID()
		if err != nil {
			return 0, 0, fmt.Errorf("shard %q: %w", spec, err)
		}
		a = strconv.Itoa(k)
	}
	if i, err = strconv.Atoi(a); err == nil {
		n, err = strconv.Atoi(b)
	}
	if err != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("shard %q: want I/N with 0 ≤ I < N", spec)
	}
	return i, n, nil
}

// ErrUsage marks an error in the command line; Exit turns it into
// ExitUsage.
var ErrUsage = errors.New("usage")

// Usagef returns a command-line error (wrapping ErrUsage).
func Usagef(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrUsage, fmt.Sprintf(format, args...))
}

// Exit ends a command with the exit code its error calls for: nothing for
// nil and for ErrHelp (the help was printed), ExitRequeue for an interruption that saved its progress (any error
// matching one of requeue, metrics.ErrInterrupted included), ExitUsage for
// command-line errors, ExitError otherwise.
func Exit(name string, err error, requeue ...error) {
	if err == nil || errors.Is(err, ErrHelp) {
		return
	}
	code := ExitError
	switch {
	case errors.Is(err, metrics.ErrInterrupted):
		code = ExitRequeue
	case errors.Is(err, ErrUsage):
		code = ExitUsage
	case errors.Is(err, nas.ErrDiverged):
		code = ExitDiverged
	}
	for _, r := range requeue {
		if errors.Is(err, r) {
			code = ExitRequeue
		}
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	os.Exit(code)
}

// Runs are the run directories of package rundir, for the functions of
// package nas that create and reopen runs, with the faults of f (the
// AUTOGAN_FAULT tests; none in normal use).
func Runs(f *Faults) nas.Runs {
	return nas.Runs{
		Create: func(path string) (nas.Recorder, error) { return f.dir(rundir.Create(path)) },
		Open:   func(path string) (nas.Recorder, error) { return f.dir(rundir.Open(path)) },
		OnStep: f.OnStep,
	}
}

// CreateRun and OpenRun are rundir.Create and rundir.Open with the faults
// of f.
func CreateRun(path string, f *Faults) (*rundir.Dir, error) { return f.dir(rundir.Create(path)) }

// OpenRun: see CreateRun.
func OpenRun(path string, f *Faults) (*rundir.Dir, error) { return f.dir(rundir.Open(path)) }

// Open opens the training data and the scorer that the GAN settings of a
// search or a training run name, reporting on rep. A run that could not
// fit in the memory available is refused first, with the estimate (the
// generated Shapes-10 and image folders are counted before they are read).
func Open(cfg nas.GANConfig, rep *progress.Reporter) (metrics.Scorer, cifar.Dataset, error) {
	images := 0
	switch cfg.Dataset {
	case "shapes10", "":
		images = cfg.DatasetN
		if images == 0 {
			images = 50000
		}
	case "folder":
		if files, err := imagefolder.ImageFiles(cfg.DataDir); err == nil {
			images = len(files)
		}
	}
	scorer, err := Scorer(cfg.Scorer, cfg.Preprocess)
	if err != nil {
		return nil, nil, err
	}
	if err := CheckScorer(scorer, cfg.Dataset, cfg.AnyScorer); err != nil {
		return nil, nil, err
	}
	mem := sysmem.Memory()
	if err := mem.Check(cfg.MemoryNeed(images), fmt.Sprintf("this run (%d training images of %d×%d, batches of %d and %d at widths %d and %d)",
		images, cfg.ImgSize, cfg.ImgSize, cfg.GenBatch, cfg.DisBatch, cfg.GF, cfg.DF)); err != nil {
		return nil, nil, Usagef("%v", err)
	}
	data, err := TrainingData(cfg.Dataset, cfg.DataDir, cfg.Seed, cfg.DatasetN, cfg.ImgSize, rep)
	if err != nil {
		return nil, nil, err
	}
	return scorer, data, nil
}

// TrainOpener is Open for the training runs of package nas.
func TrainOpener(rep *progress.Reporter) nas.Opener {
	return func(cfg nas.TrainConfig) (metrics.Scorer, cifar.Dataset, error) { return Open(cfg.GANConfig, rep) }
}

// readHead returns the first n bytes of a file (fewer if it is shorter).
func readHead(path string, n int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, n)
	k, err := io.ReadFull(f, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	return b[:k], nil
}

// CheckScorer refuses to score a dataset with a classifier trained on
// another one: its Inception Score and FID would mean nothing, and a
// search rewarded by them would learn nothing (the embedded scorer knows
// Shapes-10 only). Inception-v3 scores anything. anyway says the user
// knows (-any_scorer).
func CheckScorer(sc metrics.Scorer, dataset string, anyway bool) error {
	c, ok := sc.(*classifier.Scorer)
	if !ok || anyway || dataset == "" || sameDataset(c.Dataset(), dataset) || !slices.Contains(DatasetNames(), dataset) {
		return nil // (an unknown dataset is refused when it is opened)
	}
	return Usagef("%s was trained on %s: it cannot score %s images (its IS and FID would mean nothing). "+
		"Give -scorer Inception-v3 weights (pt_inception-2015-12-05-6726825d.pth) or a scorer trained on %s "+
		"(go run ./cmd/trainscorer -dataset %s -out S.safetensors), or -any_scorer to go on anyway",
		sc.Name(), c.Dataset(), dataset, dataset, baseDataset(dataset))
}

// sameDataset compares dataset names without their split (cifar10-test is
// CIFAR-10).
func sameDataset(a, b string) bool { return baseDataset(a) == baseDataset(b) }

func baseDataset(name string) string {
	name = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(name), "-test"), "-train")
	if name == "" {
		return "shapes10"
	}
	return name
}
