package study

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
)

// The files of a study directory (besides search/<run>/ and train/<arch>/,
// which are ordinary run directories).
const (
	planFile      = "study.json"     // the plan, fixed at the start
	endpointFile  = "endpoint.md"    // the primary endpoint, declared before the first run
	jobsFile      = "jobs.jsonl"     // one record per finished or interrupted piece of work, with its wall time
	realStatsFile = "real_stats.npz" // FID statistics of the training data, shared by every training
	referenceFile = "reference.json" // IS and FID of real images against real images
	proxyFile     = "proxy.json"     // rewards of the trained architectures under final shared weights
)

// Env is what a study needs from the command that runs it: run directories
// (package nas/rundir), the scorer and training data of a configuration,
// and a progress reporter.
type Env struct {
	Runs   nas.Runs
	Open   func(cfg nas.GANConfig) (metrics.Scorer, cifar.Dataset, error)
	Report *progress.Reporter
}

// Study is an open study directory.
type Study struct {
	Dir  string
	Plan Plan
	env  Env

	// The scorer and data of the last configuration opened: consecutive
	// trainings share them.
	openKey    string
	openScorer metrics.Scorer
	openData   cifar.Dataset
}

// Create starts a study in dir with plan p: it writes the plan and the
// declaration of the primary endpoint, before any run. A directory that
// already holds a study is refused (Open continues it).
func Create(dir string, p Plan, env Env) (*Study, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, planFile)); err == nil {
		return nil, fmt.Errorf("%s already holds a study; continue it with -dir %s and no -preset", dir, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Study{Dir: dir, Plan: p, env: env}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, planFile), append(b, '\n')); err != nil {
		return nil, err
	}
	if err := atomicfile.WriteBytes(filepath.Join(dir, endpointFile), []byte(s.declaration(time.Now()))); err != nil {
		return nil, err
	}
	return s, nil
}

// Open reopens the study in dir with the plan it was started with.
func Open(dir string, env Env) (*Study, error) {
	b, err := os.ReadFile(filepath.Join(dir, planFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s holds no study (%s); start one with -preset", dir, planFile)
		}
		return nil, err
	}
	var p Plan
	if err := decodeStrict(b, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, planFile), err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, planFile), err)
	}
	return &Study{Dir: dir, Plan: p, env: env}, nil
}

// Run runs every piece of the study that has not finished, in order —
// the reference statistics, the searches, the trainings, the proxy
// rewards — and writes the document into the study's results/ folder.
// Interrupted (ctx cancelled), it returns nas.ErrInterrupted after the
// running piece wrote its checkpoint; Run continues from there.
func (s *Study) Run(ctx context.Context) error {
	if err := s.RunReference(ctx); err != nil {
		return err
	}
	for _, r := range s.Plan.Searches() {
		if err := s.RunSearch(ctx, r.Name); err != nil {
			return err
		}
	}
	cands, err := s.Candidates()
	if err != nil {
		return err
	}
	for i := range cands {
		if err := s.RunTraining(ctx, i); err != nil {
			return err
		}
	}
	if err := s.RunProxy(ctx); err != nil {
		return err
	}
	res, err := s.Collect()
	if err != nil {
		return err
	}
	return res.Write(filepath.Join(s.Dir, "results"))
}

// open returns the scorer and data of a configuration, reusing those of
// the previous call when the configuration names the same ones.
func (s *Study) open(cfg nas.GANConfig) (metrics.Scorer, cifar.Dataset, error) {
	key := fmt.Sprintf("%s|%s|%d|%d|%d|%s|%s|%t", cfg.Dataset, cfg.DataDir, cfg.Seed, cfg.DatasetN, cfg.ImgSize, cfg.Scorer, cfg.Preprocess, cfg.AnyScorer)
	if key != s.openKey {
		s.openKey, s.openScorer, s.openData = "", nil, nil // let the old data go first
		sc, data, err := s.env.Open(cfg)
		if err != nil {
			return nil, nil, err
		}
		s.openKey, s.openScorer, s.openData = key, sc, data
	}
	return s.openScorer, s.openData, nil
}

// timed runs one piece of work and records its wall time in the job log,
// finished or not (a piece resumed later adds its time). A kill loses the
// time of the piece that was running.
func (s *Study) timed(job string, work func() error) error {
	start := time.Now()
	err := work()
	status := "done"
	switch {
	case errors.Is(err, nas.ErrInterrupted):
		status = "interrupted"
	case err != nil:
		status = "failed"
	}
	if lerr := appendJSONLine(filepath.Join(s.Dir, jobsFile), jobRecord{Job: job, Status: status,
		Seconds: time.Since(start).Seconds(), Machine: thisMachine()}); lerr != nil && err == nil {
		err = lerr
	}
	return err
}

// jobRecord is one line of jobs.jsonl.
type jobRecord struct {
	Job     string  `json:"job"`
	Status  string  `json:"status"`
	Seconds float64 `json:"seconds"`
	Machine Machine `json:"machine"`
}

// fileExists reports whether a file exists.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// decodeStrict decodes one JSON object, refusing unknown keys.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

// writeJSON writes v, indented, atomically.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}

// readJSON reads a JSON file into v.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// appendJSONLine appends one record to a JSON-lines file and syncs it. A
// crash in the middle of an earlier append leaves the file without its
// final newline; the record then starts a new line, so that the one cut
// short stays a line of its own (which readJobs skips) instead of
// swallowing this one.
func appendJSONLine(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := appendLine(f, b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// appendLine writes b and a newline at the end of f, after a newline of
// its own when f does not end with one, and syncs f.
func appendLine(f *os.File, b []byte) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	line := append(b, '\n')
	if fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err != nil {
			return err
		}
		if last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	if _, err := f.Write(line); err != nil {
		return err
	}
	return f.Sync()
}
