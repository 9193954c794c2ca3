package runreport

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// Reading one line of metrics.jsonl. A search of the paper's length logged
// at every step writes about 760,000 lines (150 MB); encoding/json into a
// map takes several seconds for that, so lines are read by this small
// parser of flat JSON objects, which looks up the keys the report uses and
// keeps their values without allocating. Nested values (the "probs" matrix,
// lists of architectures) are rare and go through encoding/json. The parser
// accepts exactly the lines that are valid JSON objects (FuzzParseLine
// checks this against encoding/json).

// field names a numeric field of a record.
type field int

const (
	fIter field = iota
	fStage
	fEpoch
	fStep
	fDLoss
	fGLoss
	fDVar
	fGVar
	fIS
	fReward
	fEntropy
	fAdv
	fBaseline
	fIndex
	fImageSize
	fDSteps
	fGSteps
	fResets
	fSeconds
	fISMean
	fISStd
	fFID
	fImages
	fGLR
	fDLR
	fVersion
	fShard
	fShards
	fFirstBlock
	fEndBlock
	fN
	fParts
	numFields
)

// fieldOf returns the numeric field a key names. The switch on
// string(name) does not allocate.
func fieldOf(name []byte) (field, bool) {
	switch string(name) {
	case "iter":
		return fIter, true
	case "stage":
		return fStage, true
	case "epoch":
		return fEpoch, true
	case "step":
		return fStep, true
	case "d_loss":
		return fDLoss, true
	case "g_loss":
		return fGLoss, true
	case "d_var":
		return fDVar, true
	case "g_var":
		return fGVar, true
	case "is":
		return fIS, true
	case "reward":
		return fReward, true
	case "entropy":
		return fEntropy, true
	case "adv":
		return fAdv, true
	case "baseline":
		return fBaseline, true
	case "index":
		return fIndex, true
	case "image_size":
		return fImageSize, true
	case "d_steps":
		return fDSteps, true
	case "g_steps":
		return fGSteps, true
	case "resets":
		return fResets, true
	case "seconds":
		return fSeconds, true
	case "is_mean":
		return fISMean, true
	case "is_std":
		return fISStd, true
	case "fid":
		return fFID, true
	case "images":
		return fImages, true
	case "g_lr":
		return fGLR, true
	case "d_lr":
		return fDLR, true
	case "version":
		return fVersion, true
	case "shard":
		return fShard, true
	case "shards":
		return fShards, true
	case "first_block":
		return fFirstBlock, true
	case "end_block":
		return fEndBlock, true
	case "n":
		return fN, true
	case "parts":
		return fParts, true
	}
	return 0, false
}

// record is one parsed line. Byte slices point into the line and are
// valid until the next line is parsed.
type record struct {
	event []byte
	num   [numFields]float64
	has   uint64 // bit f set: num[f] was given

	// Strings: the raw JSON string contents (escapes undone only when the
	// line had any, see str).
	arch, kind, where, which, scorer, source []byte

	// Nested values, raw JSON, decoded on demand.
	archs, tokens, probs []byte
}

// get returns field f, or NaN when the line did not have it.
func (r *record) get(f field) float64 {
	if r.has&(1<<f) == 0 {
		return math.NaN()
	}
	return r.num[f]
}

// int returns field f as an integer, or def when absent or not finite.
func (r *record) int(f field, def int) int {
	v := r.get(f)
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1<<40 {
		return def
	}
	return int(v)
}

func (r *record) reset() {
	*r = record{}
}

var errSyntax = errors.New("not a JSON object")

// parseLine parses one line holding a JSON object into r. Numbers may be
// given as the strings "NaN", "Inf", "+Inf", "-Inf" (how the run writers
// encode non-finite values, which JSON cannot represent).
func parseLine(line []byte, r *record) error {
	r.reset()
	p := parser{b: line}
	p.ws()
	if !p.eat('{') {
		return errSyntax
	}
	p.ws()
	if p.eat('}') {
		return p.end()
	}
	for {
		p.ws()
		key, ok := p.str()
		if !ok {
			return p.err("a key")
		}
		p.ws()
		if !p.eat(':') {
			return p.err("':'")
		}
		p.ws()
		if err := p.value(key, r); err != nil {
			return err
		}
		p.ws()
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			return p.end()
		}
		return p.err("',' or '}'")
	}
}

type parser struct {
	b   []byte
	pos int
}

func (p *parser) ws() {
	for p.pos < len(p.b) {
		switch p.b[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) eat(c byte) bool {
	if p.pos < len(p.b) && p.b[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *parser) err(want string) error {
	if p.pos >= len(p.b) {
		return fmt.Errorf("%w: want %s, line ends", errSyntax, want)
	}
	return fmt.Errorf("%w: want %s at byte %d", errSyntax, want, p.pos+1)
}

func (p *parser) end() error {
	p.ws()
	if p.pos != len(p.b) {
		return p.err("end of line")
	}
	return nil
}

// str reads a string and returns its contents: the raw bytes when there
// is no escape, the decoded bytes otherwise.
func (p *parser) str() ([]byte, bool) {
	if !p.eat('"') {
		return nil, false
	}
	start := p.pos
	escaped := false
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		switch {
		case c == '"':
			s := p.b[start:p.pos]
			p.pos++
			if !escaped && utf8.Valid(s) {
				return s, true
			}
			// Escapes to undo, or bytes that are not UTF-8 (which
			// encoding/json replaces by U+FFFD).
			var out string
			if json.Unmarshal(p.b[start-1:p.pos], &out) != nil {
				return nil, false
			}
			return []byte(out), true
		case c == '\\':
			escaped = true
			p.pos += 2
			continue
		case c < 0x20:
			return nil, false // control characters must be escaped
		}
		p.pos++
	}
	return nil, false
}

// number reads a JSON number (checking its grammar) and returns its value;
// a value beyond float64's range is ±Inf.
func (p *parser) number() (float64, bool) {
	start := p.pos
	p.eat('-')
	if p.eat('0') {
	} else if p.digits() == 0 {
		return 0, false
	}
	if p.eat('.') && p.digits() == 0 {
		return 0, false
	}
	if p.eat('e') || p.eat('E') {
		if !p.eat('+') {
			p.eat('-')
		}
		if p.digits() == 0 {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(string(p.b[start:p.pos]), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return v, true
}

func (p *parser) digits() int {
	n := 0
	for p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '9' {
		p.pos++
		n++
	}
	return n
}

func (p *parser) literal(s string) bool {
	if bytes.HasPrefix(p.b[p.pos:], []byte(s)) {
		p.pos += len(s)
		return true
	}
	return false
}

// nested reads an array or object and returns it raw, after checking it
// with json.Valid.
func (p *parser) nested() ([]byte, bool) {
	start := p.pos
	depth := 0
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		switch c {
		case '"':
			if _, ok := p.str(); !ok {
				return nil, false
			}
			continue
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				p.pos++
				raw := p.b[start:p.pos]
				return raw, json.Valid(raw)
			}
		}
		p.pos++
	}
	return nil, false
}

// value reads the value of key and stores it in r if the report uses it.
func (p *parser) value(key []byte, r *record) error {
	if p.pos >= len(p.b) {
		return p.err("a value")
	}
	f, numeric := fieldOf(key)
	switch c := p.b[p.pos]; {
	case c == '"':
		s, ok := p.str()
		if !ok {
			return p.err("a string")
		}
		if numeric {
			if v, ok := nonFinite(s); ok {
				r.num[f], r.has = v, r.has|1<<f
			}
			return nil
		}
		switch string(key) {
		case "event":
			r.event = s
		case "arch":
			r.arch = s
		case "kind":
			r.kind = s
		case "where":
			r.where = s
		case "which":
			r.which = s
		case "scorer":
			r.scorer = s
		case "source":
			r.source = s
		}
	case c == '-' || (c >= '0' && c <= '9'):
		v, ok := p.number()
		if !ok {
			return p.err("a number")
		}
		if numeric {
			r.num[f], r.has = v, r.has|1<<f
		}
	case c == '[' || c == '{':
		raw, ok := p.nested()
		if !ok {
			return p.err("a valid array or object")
		}
		switch string(key) {
		case "archs":
			r.archs = raw
		case "tokens":
			r.tokens = raw
		case "probs":
			r.probs = raw
		}
	default:
		if !p.literal("true") && !p.literal("false") && !p.literal("null") {
			return p.err("a value")
		}
	}
	return nil
}

// nonFinite reads the string encodings of non-finite numbers.
func nonFinite(s []byte) (float64, bool) {
	switch string(s) {
	case "NaN", "nan":
		return math.NaN(), true
	case "Inf", "+Inf", "Infinity", "inf", "+inf":
		return math.Inf(1), true
	case "-Inf", "-Infinity", "-inf":
		return math.Inf(-1), true
	}
	return 0, false
}

// jsonNumber is a float64 that also accepts the string encodings of
// non-finite numbers, for the nested values decoded by encoding/json.
type jsonNumber float64

func (n *jsonNumber) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, ok := nonFinite([]byte(s))
		if !ok {
			return fmt.Errorf("%q is not a number", s)
		}
		*n = jsonNumber(v)
		return nil
	}
	if string(b) == "null" {
		*n = jsonNumber(math.NaN())
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = jsonNumber(v)
	return nil
}

// decodeStrings decodes a raw JSON array of strings; nil when absent or
// malformed.
func decodeStrings(raw []byte) []string {
	if raw == nil {
		return nil
	}
	var s []string
	if json.Unmarshal(raw, &s) != nil {
		return nil
	}
	return s
}

// decodeMatrix decodes a raw JSON array of arrays of numbers (the
// controller's probabilities per token); nil when absent or malformed.
func decodeMatrix(raw []byte) [][]float64 {
	if raw == nil {
		return nil
	}
	var m [][]jsonNumber
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	out := make([][]float64, len(m))
	for i, row := range m {
		out[i] = make([]float64, len(row))
		for j, v := range row {
			out[i][j] = float64(v)
		}
	}
	return out
}
