package runreport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Run is one run directory of cmd/search, cmd/train or cmd/eval, read
// for a report. Refresh reads what was added since the last call, so one
// Run can follow a run while it is being written.
type Run struct {
	// Dir is the run directory; Name labels the run on a page (its base
	// name unless set otherwise).
	Dir, Name string

	tail       *tail
	config     map[string]any // config.json, numbers as json.Number
	search     *searchResult  // result.json
	train      *trainResult   // train_result.json
	grids      []grid         // samples/*.png
	notes      []string       // what could not be read, for the page
	fileStamps string         // sizes and times of the small files, for Version
	gridCache  map[string]cachedGrid
}

// searchResult is result.json of cmd/search.
type searchResult struct {
	Strategy      string `json:"strategy"`
	Reward        string `json:"reward"`
	Scorer        string `json:"scorer"`
	Architectures []struct {
		Rank        int        `json:"rank"`
		Arch        string     `json:"arch"`
		Reward      jsonNumber `json:"reward"`
		Description string     `json:"description"`
	} `json:"architectures"`
	DynamicResets int `json:"dynamic_resets"`
}

// trainResult is train_result.json of cmd/train.
type trainResult struct {
	Arch             string     `json:"arch"`
	Epochs           int        `json:"epochs"`
	GenSteps         int        `json:"gen_steps"`
	BestIS           jsonNumber `json:"best_is"`
	BestISStd        jsonNumber `json:"best_is_std"`
	BestISEpoch      int        `json:"best_is_epoch"`
	BestISCheckpoint string     `json:"best_is_checkpoint"`
	BestFID          jsonNumber `json:"best_fid"`
	BestEpoch        int        `json:"best_epoch"`
	BestFIDCheckpt   string     `json:"best_fid_checkpoint"`
	EvalImages       int        `json:"eval_images"`
	Scorer           string     `json:"scorer"`
}

// grid is a sample grid of the run: samples/iter_NNN.png or
// samples/epoch_NNN.png.
type grid struct {
	path  string
	unit  string // "iteration", "epoch" or "" (another name)
	index int    // the number in the name; -1 if none
	name  string
	size  int64 // bytes and modification time (ns) of the file
	mod   int64
}

// The files of a run directory.
const (
	metricsFile     = "metrics.jsonl"
	configFile      = "config.json"
	resultFile      = "result.json"
	trainResultFile = "train_result.json"
	samplesDir      = "samples"
)

// Open reads the run directory dir. It fails when dir does not exist or
// holds none of the files a run writes (metrics.jsonl, config.json,
// result.json, train_result.json); files that cannot be read are noted on
// the page instead. Giving a run's metrics.jsonl instead of its directory
// is accepted.
func Open(dir string) (*Run, error) {
	r, err := open(dir)
	if err != nil {
		return nil, err
	}
	if !r.hasAnyFile() {
		return nil, fmt.Errorf("%s is not a run directory: it has none of %s, %s, %s, %s", dir, metricsFile, configFile, resultFile, trainResultFile)
	}
	if err := r.Refresh(); err != nil {
		return nil, err
	}
	return r, nil
}

// Watch is Open for a run that may not have started yet: an existing
// directory with none of a run's files gives a page that waits for them.
func Watch(dir string) (*Run, error) {
	r, err := open(dir)
	if err != nil {
		return nil, err
	}
	if err := r.Refresh(); err != nil {
		return nil, err
	}
	return r, nil
}

func open(dir string) (*Run, error) {
	st, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("run directory %s does not exist", dir)
		}
		return nil, err
	}
	if !st.IsDir() {
		if filepath.Base(dir) != metricsFile {
			return nil, fmt.Errorf("%s is not a directory: give a run directory (e.g. runs/demo)", dir)
		}
		dir = filepath.Dir(dir)
	}
	clean := filepath.Clean(dir)
	name := filepath.Base(clean)
	if abs, err := filepath.Abs(clean); err == nil {
		name = filepath.Base(abs)
	}
	return &Run{Dir: clean, Name: name, tail: newTail(filepath.Join(clean, metricsFile))}, nil
}

func (r *Run) hasAnyFile() bool {
	for _, f := range []string{metricsFile, configFile, resultFile, trainResultFile} {
		if _, err := os.Stat(filepath.Join(r.Dir, f)); err == nil {
			return true
		}
	}
	return false
}

// Refresh reads what changed since the last call: the lines appended to
// metrics.jsonl (all of it again if the file was rewritten shorter, as a
// resumed run does), the result and configuration files and the list of
// sample grids. It fails only if the directory cannot be read.
func (r *Run) Refresh() error {
	r.notes = nil
	if _, err := r.tail.update(); err != nil {
		r.notes = append(r.notes, fmt.Sprintf("%s: %v", metricsFile, err))
	}
	var stamps strings.Builder
	r.config = nil
	if b, ok := r.readSmall(configFile, &stamps); ok {
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		var c map[string]any
		if err := d.Decode(&c); err != nil {
			r.notes = append(r.notes, fmt.Sprintf("%s could not be read (%v); the settings are not shown", configFile, err))
		} else {
			r.config = c
		}
	}
	r.search = nil
	if b, ok := r.readSmall(resultFile, &stamps); ok {
		var s searchResult
		if err := json.Unmarshal(b, &s); err != nil {
			r.notes = append(r.notes, fmt.Sprintf("%s could not be read (%v); the final table is not shown", resultFile, err))
		} else {
			r.search = &s
		}
	}
	r.train = nil
	if b, ok := r.readSmall(trainResultFile, &stamps); ok {
		var t trainResult
		if err := json.Unmarshal(b, &t); err != nil {
			r.notes = append(r.notes, fmt.Sprintf("%s could not be read (%v)", trainResultFile, err))
		} else {
			r.train = &t
		}
	}
	grids, err := listGrids(filepath.Join(r.Dir, samplesDir))
	if err != nil {
		r.notes = append(r.notes, fmt.Sprintf("%s: %v", samplesDir, err))
	}
	r.grids = grids
	keep := map[string]bool{}
	for _, g := range grids {
		fmt.Fprintf(&stamps, "%s:%d:%d;", g.name, g.size, g.mod)
		keep[g.path] = true
	}
	for path := range r.gridCache {
		if !keep[path] {
			delete(r.gridCache, path)
		}
	}
	r.fileStamps = stamps.String()
	if _, err := os.Stat(r.Dir); err != nil {
		return fmt.Errorf("run directory %s: %w", r.Dir, err)
	}
	return nil
}

// maxSmallFile bounds the JSON files read whole (a result file is a few
// kilobytes).
const maxSmallFile = 16 << 20

// readSmall reads a small file of the run directory; a missing file is
// not an error, others are noted.
func (r *Run) readSmall(name string, stamps *strings.Builder) ([]byte, bool) {
	path := filepath.Join(r.Dir, name)
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	if err == nil && st.Size() > maxSmallFile {
		err = fmt.Errorf("%d bytes, more than a run writes", st.Size())
	}
	var b []byte
	if err == nil {
		b, err = os.ReadFile(path)
	}
	if err != nil {
		r.notes = append(r.notes, fmt.Sprintf("%s: %v", name, err))
		return nil, false
	}
	fmt.Fprintf(stamps, "%s:%d:%d;", name, st.Size(), st.ModTime().UnixNano())
	return b, true
}

// listGrids lists the PNG files of the samples folder, ordered by the
// number in their names.
func listGrids(dir string) ([]grid, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var grids []grid
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".png") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed since the listing
		}
		g := grid{path: filepath.Join(dir, name), index: -1, name: name, size: info.Size(), mod: info.ModTime().UnixNano()}
		stem := strings.TrimSuffix(name, ".png")
		for _, u := range []struct{ prefix, unit string }{{"iter_", "iteration"}, {"epoch_", "epoch"}} {
			if rest, ok := strings.CutPrefix(stem, u.prefix); ok {
				if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
					g.unit, g.index = u.unit, n
				}
			}
		}
		grids = append(grids, g)
	}
	sort.SliceStable(grids, func(i, j int) bool {
		if grids[i].index != grids[j].index {
			return grids[i].index < grids[j].index
		}
		return grids[i].name < grids[j].name
	})
	return grids, nil
}

// Kind returns what wrote the run: "search", "train", "eval", or "" when
// nothing tells yet. The schema record of metrics.jsonl says it; older
// files are recognised by their events, the result files and the
// configuration.
func (r *Run) Kind() string {
	if k := r.tail.m.kind(); k != "" {
		return k
	}
	switch {
	case r.search != nil:
		return "search"
	case r.train != nil:
		return "train"
	case r.config != nil && r.config["max_search_iter"] != nil:
		return "search"
	case r.config != nil && r.config["max_iter"] != nil:
		return "train"
	}
	return ""
}

// Version changes whenever the page of the run would: a live page polls
// it to know when to refresh.
func (r *Run) Version() string {
	t := r.tail
	return fmt.Sprintf("%d.%d.%d|%s", t.restarts, t.off, t.line, r.fileStamps)
}

// Notes returns what could not be read at the last Refresh.
func (r *Run) Notes() []string {
	notes := append([]string(nil), r.notes...)
	notes = append(notes, r.tail.m.notes()...)
	if r.tail.torn {
		notes = append(notes, "the last line of metrics.jsonl is incomplete (the run is being written, or was cut off) and was left out")
	}
	return notes
}

// cfg returns a configuration value as text ("" when absent).
func (r *Run) cfg(key string) string {
	if r.config == nil {
		return ""
	}
	switch v := r.config[key].(type) {
	case nil:
		return ""
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// cfgFloat returns a numeric configuration value, or NaN.
func (r *Run) cfgFloat(key string) float64 {
	v, err := strconv.ParseFloat(r.cfg(key), 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// cfgInt returns an integer configuration value, or def.
func (r *Run) cfgInt(key string, def int) int {
	v, err := strconv.Atoi(r.cfg(key))
	if err != nil {
		return def
	}
	return v
}
