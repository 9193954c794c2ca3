package study

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/autogan-go/autogan/nas"
)

// Results is everything a study's document reports, gathered from its
// directory: finished pieces only, so a document can be written (and
// say what is missing) while a study still runs.
type Results struct {
	Dir         string
	Plan        Plan
	Declaration string // endpoint.md
	Reference   *Reference
	Searches    []SearchResult
	Trained     []TrainedResult // one per candidate (nil until the searches end)
	Proxy       Proxy
	Seconds     map[string]float64 // wall time per piece (job name)
	Machines    []Machine          // every machine that ran a piece
	Missing     []string           // pieces not finished
}

// SearchResult is one finished (or unfinished) search.
type SearchResult struct {
	Run  SearchRun
	Done bool
	// Started: the search has a run directory but no result yet (it is
	// running, or was interrupted and continues when the study is rerun).
	Started bool
	// Top1 is the architecture the search found best, and its reward.
	Top1       string
	Top1Reward float64
	// What the search spent: discriminator steps, reward evaluations and
	// dynamic resets, counted from its metrics log.
	DSteps, Rewards, Resets int
	Seconds                 float64
	// Curve is the mean reward of the controller's samples per
	// iteration (NaN where the strategy trains no controller), and Stage
	// the stage of each iteration.
	Curve []float64
	Stage []int
}

// TrainedResult is one architecture trained from scratch.
type TrainedResult struct {
	Candidate
	Done    bool
	Started bool // a run directory but no result yet, as SearchResult.Started
	Summary nas.TrainSummary
	Seconds float64
	Grid    string // the last sample grid, relative to the study directory
}

// Collect gathers the results of the study so far.
func (s *Study) Collect() (*Results, error) {
	r := &Results{Dir: s.Dir, Plan: s.Plan, Seconds: map[string]float64{}}
	if b, err := os.ReadFile(filepath.Join(s.Dir, endpointFile)); err == nil {
		r.Declaration = string(b)
	}
	if err := s.readJobs(r); err != nil {
		return nil, err
	}
	var ref Reference
	if err := readJSON(filepath.Join(s.Dir, referenceFile), &ref); err == nil {
		r.Reference = &ref
	} else if errors.Is(err, os.ErrNotExist) {
		r.Missing = append(r.Missing, "reference")
	} else {
		return nil, err
	}
	for _, run := range s.Plan.Searches() {
		sr, err := s.collectSearch(run)
		if err != nil {
			return nil, err
		}
		sr.Seconds = r.Seconds["search/"+run.Name]
		if !sr.Done {
			r.Missing = append(r.Missing, "search/"+run.Name)
		}
		r.Searches = append(r.Searches, sr)
	}
	if cands, err := s.Candidates(); err == nil {
		for _, c := range cands {
			dir, slug, err := s.trainDir(c)
			if err != nil {
				return nil, err
			}
			tr := TrainedResult{Candidate: c, Seconds: r.Seconds["train/"+slug]}
			if err := readJSON(filepath.Join(dir, "train_result.json"), &tr.Summary); err == nil {
				tr.Done = true
				tr.Grid = lastGrid(dir, s.Dir)
			} else if errors.Is(err, os.ErrNotExist) {
				tr.Started = fileExists(filepath.Join(dir, "config.json"))
				r.Missing = append(r.Missing, "train/"+slug)
			} else {
				return nil, err
			}
			r.Trained = append(r.Trained, tr)
		}
	} else {
		r.Missing = append(r.Missing, "trainings (after the searches)")
	}
	if err := readJSON(filepath.Join(s.Dir, proxyFile), &r.Proxy); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		r.Missing = append(r.Missing, "proxy")
	}
	return r, nil
}

// readJobs sums the wall time of every piece over its segments and lists
// the machines. A record a crash cut short is skipped (that piece's time
// is lost, as a kill loses it): the last line when it lacks its newline,
// or a line that is the beginning of a record, which appendJSONLine leaves
// on a line of its own when a later piece appends after it. Any other line
// that is not a record means the file was damaged, an error naming its
// line.
func (s *Study) readJobs(r *Results) error {
	path := filepath.Join(s.Dir, jobsFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	lines := bytes.Split(b, []byte("\n"))
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue // (the end of the file, after the last newline)
		}
		var j jobRecord
		if err := json.Unmarshal(line, &j); err != nil {
			if i == len(lines)-1 || cutShort(line) {
				continue
			}
			rest, ok := afterTornRecord(line)
			if !ok {
				return fmt.Errorf("%s: line %d: %w", path, i+1, err)
			}
			j = rest
		}
		r.Seconds[j.Job] += j.Seconds
		if !slices.Contains(r.Machines, j.Machine) {
			r.Machines = append(r.Machines, j.Machine)
		}
	}
	return nil
}

// afterTornRecord reads the whole record that follows a torn one on the
// same line: what the writers before stop 25 left, which appended the next
// record right after a crash's partial line.
func afterTornRecord(line []byte) (jobRecord, bool) {
	for k := 1; k < len(line); k++ {
		if line[k] != '{' || !cutShort(line[:k]) {
			continue
		}
		var j jobRecord
		if json.Unmarshal(line[k:], &j) == nil {
			return j, true
		}
	}
	return jobRecord{}, false
}

// cutShort reports whether a line is the beginning of a JSON value with
// its end missing, what a crash in the middle of writing a record leaves.
func cutShort(line []byte) bool {
	var v any
	return errors.Is(json.NewDecoder(bytes.NewReader(line)).Decode(&v), io.ErrUnexpectedEOF)
}

// maxSearchIters bounds the iteration numbers read from a search's log (the
// paper's search has 65; a damaged line must not index outside the curve or
// grow it without bound).
const maxSearchIters = 1 << 20

// collectSearch reads a search's result and its metrics log.
func (s *Study) collectSearch(run SearchRun) (SearchResult, error) {
	sr := SearchResult{Run: run}
	dir := s.searchDir(run.Name)
	top, done, err := s.top1(run.Name)
	if err != nil {
		return sr, err
	}
	if !done {
		sr.Started = fileExists(filepath.Join(dir, "config.json"))
		return sr, nil
	}
	sr.Done = true
	sr.Top1, sr.Top1Reward = top.Arch, top.Reward
	f, err := os.Open(filepath.Join(dir, "metrics.jsonl"))
	if err != nil {
		return sr, err
	}
	defer f.Close()
	var sum []float64
	var count []int
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return sr, fmt.Errorf("%s/metrics.jsonl: %w", dir, err)
		}
		iter := int(number(ev["iter"]))
		if (ev["event"] == "controller" || ev["event"] == "iteration") && (iter < 0 || iter >= maxSearchIters) {
			return sr, fmt.Errorf("%s/metrics.jsonl: a %s record of iteration %v", dir, ev["event"], ev["iter"])
		}
		switch ev["event"] {
		case "controller":
			sr.Rewards++
			for len(sum) <= iter {
				sum, count = append(sum, 0), append(count, 0)
			}
			sum[iter] += number(ev["reward"])
			count[iter]++
		case "candidate":
			sr.Rewards++
		case "reset":
			sr.Resets++
		case "iteration":
			sr.DSteps += int(number(ev["d_steps"]))
			for len(sr.Stage) <= iter {
				sr.Stage = append(sr.Stage, 0)
			}
			sr.Stage[iter] = int(number(ev["stage"]))
		}
	}
	if err := sc.Err(); err != nil {
		return sr, err
	}
	sr.Curve = make([]float64, len(sr.Stage))
	for i := range sr.Curve {
		sr.Curve[i] = math.NaN()
		if i < len(sum) && count[i] > 0 {
			sr.Curve[i] = sum[i] / float64(count[i])
		}
	}
	return sr, nil
}

// number reads a number of the metrics log, where non-finite values are
// the strings "NaN", "Inf" and "-Inf".
func number(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		if f, err := strconv.ParseFloat(x, 64); err == nil {
			return f
		}
	}
	return math.NaN()
}

// lastGrid returns the newest sample grid of a training, relative to the
// study directory ("" if none).
func lastGrid(dir, studyDir string) string {
	grids, _ := filepath.Glob(filepath.Join(dir, "samples", "epoch_*.png"))
	if len(grids) == 0 {
		return ""
	}
	slices.Sort(grids)
	rel, err := filepath.Rel(studyDir, grids[len(grids)-1])
	if err != nil {
		return ""
	}
	return rel
}
