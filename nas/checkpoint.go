package nas

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/autogan-go/autogan/inception/metrics"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/layers"
	"github.com/autogan-go/autogan/tensor"
)

// checkpointFile is the name of the search checkpoint in the run directory.
const checkpointFile = "checkpoint.safetensors"

// checkpoint writes everything needed to continue the search: the cursor,
// G, D, the controller, the three optimisers, the loss windows, the top-K
// prefixes and their hidden states (in the cursor), the loader position,
// every random stream, and the length of the metrics log (events after it
// are dropped on resume; the recorder adds it). The file is replaced
// atomically, and its bytes depend only on the state: two runs in the same
// state write the same file.
func (s *Searcher) checkpoint() error {
	w := ckpt.NewWriter()
	w.Meta("format", "autogan-go search v1")
	cfg, err := json.Marshal(s.Cfg)
	if err != nil {
		return fmt.Errorf("checkpoint: configuration: %w", err)
	}
	w.Meta("config", string(cfg))
	cur, err := json.Marshal(s.cur)
	if err != nil {
		return fmt.Errorf("checkpoint: cursor: %w", err)
	}
	w.Bytes("cursor", cur)
	layers.Save(w, "G.", s.G)
	layers.Save(w, "D.", s.D)
	layers.Save(w, "ctrl.", s.ctrl)
	s.optG.Save(w, "optG.")
	s.optD.Save(w, "optD.")
	s.optC.Save(w, "optC.")
	for _, win := range s.windows() {
		w.Floats(win.name+".window", win.rs.Window)
		w.Floats(win.name+".stats", []float64{win.rs.Mean, win.rs.RunVar})
	}
	if s.loader != nil {
		pos := s.loader.Position()
		w.Ints("loader.position", []int64{int64(pos.Epoch), int64(pos.Index), int64(s.loaderStage)})
		w.Bytes("loader.rng", pos.RNG)
	}
	for _, st := range s.streams() {
		b, err := st.rng.MarshalBinary()
		if err != nil {
			return err
		}
		w.Bytes("rng."+st.name, b)
	}
	if err := s.Rec.SaveCheckpoint(checkpointFile, w); err != nil {
		return err
	}
	if s.overridden {
		s.overridden = false
		return s.Rec.WriteJSON("config.json", withEngine{s.Cfg})
	}
	return nil
}

type namedRNG struct {
	name string
	rng  *tensor.RNG
}

// streams lists the search's random streams (each a child of the seed).
func (s *Searcher) streams() []namedRNG {
	return []namedRNG{{"data", s.rngData}, {"z", s.rngZ}, {"arch", s.rngArch}, {"ctrl", s.rngCtrl}, {"reward", s.rngReward}}
}

type namedWindow struct {
	name string
	rs   *RunningStats
}

func (s *Searcher) windows() []namedWindow { return []namedWindow{{"gwin", s.gWin}, {"dwin", s.dWin}} }

// Resume reopens a search at its last checkpoint. The configuration is the
// one the run started with.
func Resume(rec Recorder, scorer metrics.Scorer, data cifar.Dataset, rep *progress.Reporter) (*Searcher, error) {
	if !rec.Exists(checkpointFile) {
		return nil, errNoCheckpoint(rec, "cmd/search")
	}
	r, err := rec.OpenCheckpoint(checkpointFile)
	if err != nil {
		return nil, fmt.Errorf("resume: %w", err)
	}
	if f := r.Meta("format"); f != "autogan-go search v1" {
		return nil, fmt.Errorf("resume: %s is not a search checkpoint (format %q)", r.Path(), f)
	}
	var cfg Config
	if err := json.Unmarshal([]byte(r.Meta("config")), &cfg); err != nil {
		return nil, fmt.Errorf("resume: %s: configuration: %w", r.Path(), err)
	}
	// The checkpoint is a file like any other: its settings and cursor are
	// checked before they size a network or index a slice.
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("resume: %s: configuration: %w", r.Path(), err)
	}
	s := newSearcher(cfg, rec, scorer, data, rep)
	b, err := r.Bytes("cursor")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &s.cur); err != nil {
		return nil, fmt.Errorf("resume: %s: cursor: %w", r.Path(), err)
	}
	if err := s.checkCursor(); err != nil {
		return nil, fmt.Errorf("resume: %s: the cursor is damaged: %w", r.Path(), err)
	}
	if err := s.createGAN("init"); err != nil {
		return nil, err
	}
	s.newController(s.cur.Stage)
	// The baseline is used only by the controller's steps (a growth keeps
	// the old stage's until the next controller phase resets it).
	if n := len(s.ctrl.Tokens); s.cur.Phase == phaseController && s.cur.Baseline != nil && len(s.cur.Baseline) != n {
		return nil, fmt.Errorf("resume: %s: the cursor is damaged: a baseline of %d values for %d tokens", r.Path(), len(s.cur.Baseline), n)
	}
	for _, m := range []struct {
		prefix string
		mod    layers.Module
	}{{"G.", s.G}, {"D.", s.D}, {"ctrl.", s.ctrl}} {
		if err := layers.Load(r, m.prefix, m.mod); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
	}
	for _, o := range []struct {
		prefix string
		opt    interface {
			Load(*ckpt.Reader, string) error
		}
	}{{"optG.", s.optG}, {"optD.", s.optD}, {"optC.", s.optC}} {
		if err := o.opt.Load(r, o.prefix); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
	}
	for _, win := range s.windows() {
		if win.rs.Window, err = r.Floats(win.name + ".window"); err != nil {
			return nil, err
		}
		st, err := r.Floats(win.name + ".stats")
		if err != nil || len(st) != 2 || len(win.rs.Window) > win.rs.WinSize {
			return nil, fmt.Errorf("resume: %s: loss window %s is damaged", r.Path(), win.name)
		}
		win.rs.Mean, win.rs.RunVar = st[0], st[1]
	}
	for _, st := range s.streams() {
		b, err := r.Bytes("rng." + st.name)
		if err != nil {
			return nil, err
		}
		if err := st.rng.UnmarshalBinary(b); err != nil {
			return nil, fmt.Errorf("resume: random stream %s: %w", st.name, err)
		}
	}
	if r.Has("loader.position") {
		pos, err := r.Ints("loader.position", 3)
		if err != nil {
			return nil, err
		}
		rngState, err := r.Bytes("loader.rng")
		if err != nil {
			return nil, err
		}
		if pos[2] < 0 || pos[2] > 2 {
			return nil, fmt.Errorf("resume: %s: the loader's stage is %d, want 0, 1 or 2", r.Path(), pos[2])
		}
		// Rebuild the loader at the stage it was serving, then restore its position.
		stage := s.cur.Stage
		s.cur.Stage = int(pos[2])
		if err := s.ensureLoader(); err != nil {
			return nil, err
		}
		s.cur.Stage = stage
		if err := s.loader.Restore(cifar.Position{Epoch: int(pos[0]), Index: int(pos[1]), RNG: rngState}); err != nil {
			return nil, fmt.Errorf("resume: %w", err)
		}
	}
	if s.Finished() {
		s.Report.Log("%s: this search already finished (%d iterations); showing its results", rec.Path(), s.iterations())
	} else {
		s.Report.Log("resumed %s at %s (stage %d)", rec.Path(), s.where(), s.cur.Stage)
	}
	// The progress line of the phase it continues in, counting from where
	// the checkpoint was (a phase that has not begun starts its own).
	switch {
	case s.cur.Phase == phaseTopK:
		s.startTopKProgress()
	case s.cur.Phase == phaseShared && s.cur.Step > 0 && s.loader != nil:
		s.startSharedProgress(s.cur.Step)
	case s.cur.Phase == phaseController && s.Cfg.Strategy.UsesController():
		s.startControllerProgress()
	}
	return s, nil
}

// errNoCheckpoint explains why a run cannot be resumed: it stopped (or
// diverged) before it wrote its first checkpoint, so there is nothing to
// continue from.
func errNoCheckpoint(rec Recorder, command string) error {
	return fmt.Errorf("resume: %s holds no checkpoint: the run stopped before writing its first one, so there is nothing to continue; start it again (go run ./%s without -resume, in a new run directory)", rec.Path(), command)
}

// Result is the content of result.json: the discovered architectures,
// best first, with their rewards.
type Result struct {
	Strategy      Strategy     `json:"strategy"`
	Reward        Reward       `json:"reward"`
	Scorer        string       `json:"scorer"`
	Architectures []ResultArch `json:"architectures"`
	Resets        int          `json:"dynamic_resets"`
}

// ResultArch is one discovered architecture.
type ResultArch struct {
	Rank        int     `json:"rank"`
	Arch        string  `json:"arch"`
	Ints        []int   `json:"ints"`
	Reward      float64 `json:"reward"`
	Description string  `json:"description"`
}

// Finished reports whether the search has ended: its result is final,
// and Run returns at once (a finished run given to -resume).
func (s *Searcher) Finished() bool { return s.cur.Phase == phaseDone }

// Result returns the final architectures (nil before the search ends).
func (s *Searcher) Result() *Result {
	if s.cur.Final == nil {
		return nil
	}
	res := &Result{Strategy: s.Cfg.Strategy, Reward: s.Cfg.Reward, Scorer: s.Scorer.Name(), Resets: s.cur.Resets}
	for i, p := range s.cur.Final {
		res.Architectures = append(res.Architectures, ResultArch{Rank: i + 1, Arch: p.Arch.String(), Ints: p.Arch.Ints(),
			Reward: p.Reward, Description: p.Arch.Describe()})
	}
	return res
}

func (s *Searcher) writeResult() error {
	res := s.Result()
	var archs []string
	for _, a := range res.Architectures {
		archs = append(archs, a.Arch)
	}
	if err := s.Rec.Event(map[string]any{"event": "result", "archs": archs}); err != nil {
		return err
	}
	return s.Rec.WriteJSON("result.json", res)
}

// LoadResult reads the result.json of a finished search.
func LoadResult(dir string) (*Result, error) {
	b, err := os.ReadFile(filepath.Join(dir, "result.json"))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			// Say what the directory is, so that a mistyped path or a
			// training run is not taken for an unfinished search.
			if _, err := os.Stat(dir); err != nil {
				return nil, fmt.Errorf("%s: no such run directory", dir)
			}
			if RunKind(dir) == "search" {
				return nil, fmt.Errorf("%s has no result.json: its search has not finished (resume it with go run ./cmd/search -resume %s)", dir, dir)
			}
			return nil, fmt.Errorf("%s has no result.json: it is not the directory of a search", dir)
		}
		return nil, err
	}
	var res Result
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, fmt.Errorf("%s/result.json: %w", dir, err)
	}
	return &res, nil
}

// RunKind tells what the run directory dir holds from the keys of its
// config.json: the value of its "kind" when it names one (cmd/eval's
// records say "eval"), "search" (it has max_search_iter), "train" (arch and
// max_iter), or "" when it has no such file or none of these keys.
func RunKind(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return ""
	}
	var keys map[string]json.RawMessage
	switch {
	case json.Unmarshal(b, &keys) != nil:
		return ""
	case keys["kind"] != nil: // a run that names its kind (cmd/eval's "eval")
		var kind string
		json.Unmarshal(keys["kind"], &kind)
		return kind
	case keys["max_search_iter"] != nil:
		return "search"
	case keys["arch"] != nil && keys["max_iter"] != nil:
		return "train"
	}
	return ""
}

// checkCursor checks a cursor read from a checkpoint against the
// configuration: every position inside its range, and without weight
// sharing one architecture per iteration begun, so that no damaged file
// makes the search index outside a slice or build a network of a stage
// that does not exist.
func (s *Searcher) checkCursor() error {
	c := &s.cur
	switch {
	case c.Stage < 0 || c.Stage > 2:
		return fmt.Errorf("stage %d, want 0, 1 or 2", c.Stage)
	case c.Phase < phaseStart || c.Phase > phaseDone:
		return fmt.Errorf("phase %d", c.Phase)
	case c.Iter < 0 || c.Iter > s.iterations():
		return fmt.Errorf("iteration %d of %d", c.Iter, s.iterations())
	case c.Phase == phaseTopK && (c.Evaluated < 0 || c.Evaluated > len(c.Candidates)):
		// (Outside the scoring, Evaluated keeps the last selection's count.)
		return fmt.Errorf("%d of %d candidates scored", c.Evaluated, len(c.Candidates))
	case c.Epoch < 0 || c.Step < 0 || c.GenStep < 0 || c.CtrlStep < 0 || c.TotalSteps < 0:
		return fmt.Errorf("a negative step count")
	}
	inIteration := c.Phase == phaseShared || c.Phase == phaseController || c.Phase == phaseEnd
	if !s.Cfg.Strategy.SharesWeights() && inIteration && c.Iter >= len(c.Candidates) {
		return fmt.Errorf("iteration %d of a search without sharing, with %d architectures drawn", c.Iter, len(c.Candidates))
	}
	return nil
}

// writeGrid saves samples/iter_NNN.png: GridSize images of the iteration's
// best-rewarded architecture from fixed latents (the same every iteration,
// so the grids show the shared weights evolving).
func (s *Searcher) writeGrid() error {
	arch := s.cur.BestArch
	if arch == "" {
		if len(s.cur.Prefixes) > 0 {
			arch = s.cur.Prefixes[0].Arch.String()
		} else {
			return nil
		}
	}
	a, err := Parse(arch)
	if err != nil {
		return err
	}
	stage := min(len(a.Cells)-1, s.cur.Stage)
	n := s.Cfg.GridSize
	z := s.root.Child("grid").Normals(n, s.Cfg.Latent)
	s.G.SetArch(a, stage)
	s.G.SetTraining(false)
	img := Generate(s.G, z)
	s.G.SetTraining(true)
	pix := tensor.ToUint8(img)
	img.Release()
	side := s.Cfg.ImageSizeOf(stage)
	return s.Rec.Grid(fmt.Sprintf("samples/iter_%03d.png", s.cur.Iter), pix, n, side, side, 8, 64/side)
}
