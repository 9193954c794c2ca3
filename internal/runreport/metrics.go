package runreport

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// metrics holds what a run's metrics.jsonl says, grouped by event. Every
// record of the file is added in order by add; nothing is derived here
// (the page builders do that), so that a growing file can be read
// incrementally. Values a record lacks are NaN.
type metrics struct {
	schemaVersion int    // 0: the file has no schema record
	schemaKind    string // "search", "train" or "eval"; "" when not given

	// search
	shared     sharedColumns
	resets     []resetEvent
	controller []controllerStep
	candidates []candidate
	topK       []topKEvent
	grows      []growEvent
	iterations []iterationEvent
	result     []string // the "result" event of a search: the final archs
	finished   bool     // a search "result" was seen

	// training
	train trainColumns
	evals []evaluation

	// evaluation
	shards     []shardEvent
	evalResult *evalResult
	merges     []mergeEvent

	diverged []divergence

	// reading
	lines    int            // records read (valid or not)
	bad      int            // lines that are not JSON objects
	badFirst []string       // the first few of them, for the notes
	unknown  map[string]int // events the report does not show, by name
	noEvent  int            // objects without an "event" key
}

// sharedColumns are the "shared" records of a search (one per logged D
// step of the shared GAN), by column: a paper-length run has 760,000.
type sharedColumns struct {
	iter, step, dLoss, gLoss, dVar, gVar []float64
}

type resetEvent struct{ iter, step, gVar, dVar float64 }

type controllerStep struct {
	iter, stage, step                  int
	reward, is, entropy, adv, baseline float64
	arch                               string
	probs                              [][]float64 // per token, per choice; nil when not logged
	tokens                             []string    // token names; nil when not logged
}

type candidate struct {
	iter, index float64
	reward, is  float64
	arch        string
}

type topKEvent struct {
	iter  int
	archs []string
}

type growEvent struct{ iter, stage, imageSize int }

type iterationEvent struct {
	iter, stage                     int
	dSteps, gSteps, resets, seconds float64
}

// trainColumns are the "train" records of a training run.
type trainColumns struct {
	epoch, step, gSteps, dLoss, gLoss, gLR, dLR []float64
}

type evaluation struct {
	epoch                                      int // 0-based, as logged (epoch+1 names the grid)
	gSteps, dSteps, isMean, isStd, fid, images float64
}

type shardEvent struct {
	shard, shards, firstBlock, endBlock, images, seconds float64
}

type evalResult struct {
	isMean, isStd, fid, n float64
	scorer, source        string
}

type mergeEvent struct{ parts, images, isMean, isStd, fid float64 }

type divergence struct {
	where, which      string
	iter, epoch, step float64
}

const maxBadExamples = 3

func newMetrics() *metrics { return &metrics{unknown: map[string]int{}} }

// addBad counts a line that could not be read.
func (m *metrics) addBad(line int, err error) {
	m.lines++
	m.bad++
	if len(m.badFirst) < maxBadExamples {
		m.badFirst = append(m.badFirst, fmt.Sprintf("line %d: %v", line, err))
	}
}

// add files one record.
func (m *metrics) add(r *record) {
	m.lines++
	switch string(r.event) {
	case "schema":
		m.schemaVersion = r.int(fVersion, 0)
		m.schemaKind = string(r.kind)
	case "shared":
		s := &m.shared
		s.iter = append(s.iter, r.get(fIter))
		s.step = append(s.step, r.get(fStep))
		s.dLoss = append(s.dLoss, r.get(fDLoss))
		s.gLoss = append(s.gLoss, r.get(fGLoss))
		s.dVar = append(s.dVar, r.get(fDVar))
		s.gVar = append(s.gVar, r.get(fGVar))
	case "reset":
		m.resets = append(m.resets, resetEvent{r.get(fIter), r.get(fStep), r.get(fGVar), r.get(fDVar)})
	case "controller":
		m.controller = append(m.controller, controllerStep{
			iter: r.int(fIter, -1), stage: r.int(fStage, -1), step: r.int(fStep, -1),
			reward: r.get(fReward), is: r.get(fIS), entropy: r.get(fEntropy), adv: r.get(fAdv),
			baseline: r.get(fBaseline), arch: string(r.arch),
			probs: decodeMatrix(r.probs), tokens: decodeStrings(r.tokens),
		})
	case "candidate":
		m.candidates = append(m.candidates, candidate{r.get(fIter), r.get(fIndex), r.get(fReward), r.get(fIS), string(r.arch)})
	case "topk":
		m.topK = append(m.topK, topKEvent{r.int(fIter, -1), decodeStrings(r.archs)})
	case "grow":
		m.grows = append(m.grows, growEvent{r.int(fIter, -1), r.int(fStage, -1), r.int(fImageSize, 0)})
	case "iteration":
		m.iterations = append(m.iterations, iterationEvent{r.int(fIter, -1), r.int(fStage, -1),
			r.get(fDSteps), r.get(fGSteps), r.get(fResets), r.get(fSeconds)})
	case "result":
		// A search's result lists the architectures; an evaluation's has
		// the scores.
		if r.archs != nil {
			m.result = decodeStrings(r.archs)
			m.finished = true
		} else {
			m.evalResult = &evalResult{r.get(fISMean), r.get(fISStd), r.get(fFID), r.get(fN), string(r.scorer), string(r.source)}
		}
	case "train":
		t := &m.train
		t.epoch = append(t.epoch, r.get(fEpoch))
		t.step = append(t.step, r.get(fStep))
		t.gSteps = append(t.gSteps, r.get(fGSteps))
		t.dLoss = append(t.dLoss, r.get(fDLoss))
		t.gLoss = append(t.gLoss, r.get(fGLoss))
		t.gLR = append(t.gLR, r.get(fGLR))
		t.dLR = append(t.dLR, r.get(fDLR))
	case "eval":
		m.evals = append(m.evals, evaluation{r.int(fEpoch, -1), r.get(fGSteps), r.get(fDSteps), r.get(fISMean), r.get(fISStd),
			r.get(fFID), r.get(fImages)})
	case "shard":
		m.shards = append(m.shards, shardEvent{r.get(fShard), r.get(fShards), r.get(fFirstBlock), r.get(fEndBlock), r.get(fImages), r.get(fSeconds)})
	case "merge":
		m.merges = append(m.merges, mergeEvent{r.get(fParts), r.get(fImages), r.get(fISMean), r.get(fISStd), r.get(fFID)})
	case "diverged":
		m.diverged = append(m.diverged, divergence{string(r.where), string(r.which), r.get(fIter), r.get(fEpoch), r.get(fStep)})
	case "":
		if r.event == nil {
			m.noEvent++
			return
		}
		m.unknown[""]++
	default:
		m.unknown[string(r.event)]++
	}
}

// kind guesses what wrote the file from its events, for files without a
// schema record: "search", "train", "eval" or "".
func (m *metrics) kind() string {
	switch {
	case m.schemaKind != "":
		return m.schemaKind
	case len(m.shared.iter) > 0 || len(m.controller) > 0 || len(m.candidates) > 0 || len(m.iterations) > 0 || m.finished:
		return "search"
	case len(m.train.step) > 0 || len(m.evals) > 0:
		return "train"
	case len(m.shards) > 0 || m.evalResult != nil || len(m.merges) > 0:
		return "eval"
	}
	return ""
}

// notes describes what was skipped while reading, for the page.
func (m *metrics) notes() []string {
	var notes []string
	if m.bad > 0 {
		n := fmt.Sprintf("%d of %d lines of metrics.jsonl are not JSON objects and were skipped", m.bad, m.lines)
		if m.bad == 1 {
			n = fmt.Sprintf("1 of %d lines of metrics.jsonl is not a JSON object and was skipped", m.lines)
		}
		for _, e := range m.badFirst {
			n += "; " + e
		}
		notes = append(notes, n)
	}
	if m.noEvent > 0 {
		notes = append(notes, fmt.Sprintf("%d records without an \"event\" key were skipped", m.noEvent))
	}
	if len(m.unknown) > 0 {
		names := make([]string, 0, len(m.unknown))
		for name := range m.unknown {
			names = append(names, name)
		}
		sort.Strings(names)
		s := "events this report does not show:"
		for _, name := range names {
			s += fmt.Sprintf(" %q ×%d", name, m.unknown[name])
		}
		notes = append(notes, s)
	}
	return notes
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// anyFinite reports whether some value of v is finite.
func anyFinite(v []float64) bool {
	return slices.ContainsFunc(v, finite)
}
