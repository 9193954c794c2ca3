package metrics

import (
	"strings"
	"testing"
)

// wideLogitScorer is logitScorer with 5 classes: the same name, other
// shapes.
type wideLogitScorer struct{ logitScorer }

func (wideLogitScorer) NumClasses() int { return 5 }

// TestContinueRefusesOtherShapes: a partial evaluation is continued only by
// an evaluation of the same shapes. One saved by a scorer of the same name
// with other classes, or with other IS splits, is refused with a message
// (it used to panic at the next block, or to give a score over the wrong
// splits).
func TestContinueRefusesOtherShapes(t *testing.T) {
	src := make(firstPixels, 40)
	saved, err := NewEvaluator(src, logitScorer{}, EvalConfig{Splits: 4})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		sc   Scorer
		cfg  EvalConfig
	}{
		{"other classes", wideLogitScorer{}, EvalConfig{Splits: 4}},
		{"other splits", logitScorer{}, EvalConfig{Splits: 5}},
	} {
		ev, err := NewEvaluator(src, tc.sc, tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := ev.Continue(saved.Eval); err == nil || !strings.Contains(err.Error(), "the partial evaluation has") {
			t.Errorf("%s: Continue = %v, want a refusal", tc.name, err)
		}
	}
	same, err := NewEvaluator(src, logitScorer{}, EvalConfig{Splits: 4})
	if err != nil {
		t.Fatal(err)
	}
	if err := same.Continue(saved.Eval); err != nil {
		t.Errorf("the same evaluation: %v", err)
	}
}
