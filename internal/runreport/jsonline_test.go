package runreport

import (
	"encoding/json"
	"math"
	"testing"
)

func TestParseLine(t *testing.T) {
	var r record
	line := `{"event":"shared","iter":3,"stage":1,"step":16,"d_loss":-0.5e1,"g_loss":"NaN","d_var":"Inf","g_var":"-Inf",` +
		`"arch":"0 1 2","unknown":{"a":[1,"]"]},"ok":true,"none":null}`
	if err := parseLine([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	if string(r.event) != "shared" || string(r.arch) != "0 1 2" {
		t.Errorf("event %q arch %q", r.event, r.arch)
	}
	if r.get(fIter) != 3 || r.get(fStep) != 16 || r.get(fDLoss) != -5 {
		t.Errorf("iter %v step %v d_loss %v", r.get(fIter), r.get(fStep), r.get(fDLoss))
	}
	if !math.IsNaN(r.get(fGLoss)) || !math.IsInf(r.get(fDVar), 1) || !math.IsInf(r.get(fGVar), -1) {
		t.Errorf("non-finite: %v %v %v", r.get(fGLoss), r.get(fDVar), r.get(fGVar))
	}
	if !math.IsNaN(r.get(fReward)) {
		t.Errorf("absent field reads %v, want NaN", r.get(fReward))
	}

	// Nested values and escapes.
	line = `{"event":"controller","probs":[[0.4,0.6],["NaN",0.5,0.5]],"tokens":["conv","norm"],"arch":"a\"b\u00e9"}`
	if err := parseLine([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	if string(r.arch) != `a"bé` {
		t.Errorf("escaped arch %q", r.arch)
	}
	p := decodeMatrix(r.probs)
	if len(p) != 2 || len(p[1]) != 3 || p[0][1] != 0.6 || !math.IsNaN(p[1][0]) {
		t.Errorf("probs %v", p)
	}
	if tok := decodeStrings(r.tokens); len(tok) != 2 || tok[1] != "norm" {
		t.Errorf("tokens %v", tok)
	}
	if math.IsNaN(r.get(fIter)) == false {
		t.Error("a field of the previous line survived")
	}

	for _, bad := range []string{
		``, `[]`, `{`, `{"a":1`, `{"a":1,}`, `{"a" 1}`, `{"a":01}`, `{"a":1.}`, `{"a":.5}`, `{"a":-}`, `{"a":1e}`,
		`{"a":tru}`, `{"a":"x}`, "{\"a\":\"\x01\"}", `{"a":"\x"}`, `{"a":[1,2}`, `{"a":1} x`, `{a:1}`, `{"a":+1}`,
	} {
		if err := parseLine([]byte(bad), &r); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// FuzzParseLine checks the parser against encoding/json: it accepts
// exactly the JSON objects, and reads the same numbers and strings.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`{"event":"shared","iter":0,"step":2,"d_loss":9.62,"d_var":0.54}`,
		`{"event":"controller","probs":[[0.5,0.5]],"tokens":["conv"],"is":"NaN"}`,
		`{"event":"result","archs":["0 1","1 0"]}`,
		`{"event":"x","arch":"\u0041\n","n":-0,"time":1e400}`,
		` { } `, `{"a":[{"b":"]"}]}`, `{"a":1,"a":2}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var r record
		err := parseLine(b, &r)
		var m map[string]json.RawMessage
		jerr := json.Unmarshal(b, &m)
		isObject := json.Valid(b) && jerr == nil && m != nil // null decodes to a nil map
		if (err == nil) != isObject {
			t.Fatalf("%q: parseLine error %v, JSON object %v", b, err, isObject)
		}
		if err != nil {
			return
		}
		for key, raw := range m {
			f, numeric := fieldOf([]byte(key))
			if !numeric {
				continue
			}
			var v float64
			if json.Unmarshal(raw, &v) == nil { // a number within range
				if got := r.get(f); got != v {
					t.Fatalf("%q: %s = %v, encoding/json reads %v", b, key, got, v)
				}
			}
		}
		if ev, ok := m["event"]; ok {
			var s string
			if json.Unmarshal(ev, &s) == nil && string(r.event) != s {
				t.Fatalf("%q: event %q, encoding/json reads %q", b, r.event, s)
			}
		}
	})
}
