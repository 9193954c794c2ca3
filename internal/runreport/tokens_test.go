package runreport

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Controller events exactly as nas writes them (copied from the
// metrics.jsonl of `go run ./cmd/search -preset tiny`): the token names
// carry their cell, "cell2 norm".
var nasControllerLines = []string{
	`{"event":"schema","kind":"search","version":1}`,
	`{"adv":0,"arch":"1 1 1 1","baseline":1.5016412138938904,"entropy":0.8911686539649963,"event":"controller","is":1.5007500954888395,"iter":0,"loss":0,"probs":[[0.5579392313957214,0.44206076860427856],[0.2831824719905853,0.31518763303756714,0.40162989497184753],[0.3210030198097229,0.3476670980453491,0.3313298523426056],[0.48370030522346497,0.5162996649742126]],"reward":1.5016412138938904,"stage":0,"step":0,"tokens":["cell1 conv","cell1 norm","cell1 up","cell1 shortcut"]}`,
	`{"adv":0,"arch":"0 2 0 1 0 2 2 0 1","baseline":1.001486349105835,"entropy":0.8505934715270996,"event":"controller","is":1.000635692411254,"iter":1,"loss":0,"probs":[[0.5007681846618652,0.49923181533813477],[0.30244046449661255,0.32149603962898254,0.3760634958744049],[0.26417484879493713,0.3934769332408905,0.34234824776649475],[0.44687479734420776,0.5531252026557922],[0.4806823134422302,0.5193176865577698]],"reward":1.001486349105835,"stage":1,"step":0,"tokens":["cell2 conv","cell2 norm","cell2 up","cell2 shortcut","cell2 skip"]}`,
	`{"adv":0,"arch":"0 2 0 1 1 2 1 1 1 0 0 2 1 2","baseline":1.3793344020843505,"entropy":0.9840104579925537,"event":"controller","is":1.3783503285765852,"iter":2,"loss":0,"probs":[[0.43594449758529663,0.5640555620193481],[0.3126269280910492,0.3812312185764313,0.3061418831348419],[0.3681919574737549,0.3141646087169647,0.3176434338092804],[0.6231357455253601,0.3768642544746399],[0.2612541913986206,0.25312307476997375,0.2680651843547821,0.21755753457546234]],"reward":1.3793344020843505,"stage":2,"step":0,"tokens":["cell3 conv","cell3 norm","cell3 up","cell3 shortcut","cell3 skip"]}`,
}

// TestChoiceHeatmapLabelsNasFormat renders the heatmap of controller
// events as nas logs them: one row per choice, "cell2 norm: batch", the
// cell named once and every choice by its name.
func TestChoiceHeatmapLabelsNasFormat(t *testing.T) {
	dir := copyDir(t, "testdata/search")
	if err := os.WriteFile(filepath.Join(dir, "metrics.jsonl"), []byte(strings.Join(nasControllerLines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := mustOpen(t, dir)
	page := mustPage(t, Options{}, r)
	if notes := strings.Join(r.Notes(), "\n"); strings.Contains(notes, "choice heatmap") {
		t.Errorf("notes: %s", notes)
	}
	heat := chartSVG(t, page, "choices")
	var rows []string
	for _, m := range regexp.MustCompile(`<text[^>]*>(cell\d [^<]*)</text>`).FindAllStringSubmatch(heat, -1) {
		rows = append(rows, m[1])
	}
	want := []string{
		"cell1 conv: post-act", "cell1 conv: pre-act", "cell1 norm: none", "cell1 norm: batch", "cell1 norm: instance",
		"cell1 up: bilinear", "cell1 up: nearest", "cell1 up: deconv", "cell1 shortcut: no", "cell1 shortcut: yes",
		"cell2 conv: post-act", "cell2 conv: pre-act", "cell2 norm: none", "cell2 norm: batch", "cell2 norm: instance",
		"cell2 up: bilinear", "cell2 up: nearest", "cell2 up: deconv", "cell2 shortcut: no", "cell2 shortcut: yes",
		"cell2 skip: none", "cell2 skip: from cell1",
		"cell3 conv: post-act", "cell3 conv: pre-act", "cell3 norm: none", "cell3 norm: batch", "cell3 norm: instance",
		"cell3 up: bilinear", "cell3 up: nearest", "cell3 up: deconv", "cell3 shortcut: no", "cell3 shortcut: yes",
		"cell3 skip: none", "cell3 skip: from cell2", "cell3 skip: from cell1", "cell3 skip: from cell1+2",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("heatmap rows\n got %q\nwant %q", rows, want)
	}
	for _, cell := range []string{"cell2 norm: batch · search iteration 1: 0.3215", "cell3 skip: from cell1+2 · search iteration 2: 0.2176"} {
		if !strings.Contains(heat, cell) {
			t.Errorf("heatmap lacks the cell %q", cell)
		}
	}
}

func TestSlotsOfTokenNames(t *testing.T) {
	single := []string{"cell1 conv", "cell1 norm", "cell1 up", "cell1 shortcut",
		"cell2 conv", "cell2 norm", "cell2 up", "cell2 shortcut", "cell2 skip",
		"cell3 conv", "cell3 norm", "cell3 up", "cell3 shortcut", "cell3 skip"}
	for _, tc := range []struct {
		n, stage int
		names    []string
		want     []tokenSlot // nil: an error
	}{
		{4, 0, []string{"conv", "norm", "up", "shortcut"}, []tokenSlot{{1, "conv"}, {1, "norm"}, {1, "up"}, {1, "shortcut"}}},
		{4, 0, []string{"cell1 conv", "cell1 norm", "cell1 up", "cell1 shortcut"}, []tokenSlot{{1, "conv"}, {1, "norm"}, {1, "up"}, {1, "shortcut"}}},
		{5, 2, []string{"cell3 conv", "cell3 norm", "cell3 up", "cell3 shortcut", "cell3 skip"}, []tokenSlot{{3, "conv"}, {3, "norm"}, {3, "up"}, {3, "shortcut"}, {3, "skip"}}},
		{14, -1, single, []tokenSlot{{1, "conv"}, {1, "norm"}, {1, "up"}, {1, "shortcut"}, {2, "conv"}, {2, "norm"}, {2, "up"}, {2, "shortcut"}, {2, "skip"}, {3, "conv"}, {3, "norm"}, {3, "up"}, {3, "shortcut"}, {3, "skip"}}},
		{5, 1, []string{"cell3 conv", "cell3 norm", "cell3 up", "cell3 shortcut", "cell3 skip"}, nil}, // the cell disagrees with the stage
		{4, 0, []string{"cellX conv", "norm", "up", "shortcut"}, nil},
	} {
		got, err := slotsOf(tc.n, tc.stage, tc.names)
		if tc.want == nil {
			if err == nil {
				t.Errorf("slotsOf(%d, %d, %q) = %v, want an error", tc.n, tc.stage, tc.names, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("slotsOf(%d, %d, %q) = %v, %v; want %v", tc.n, tc.stage, tc.names, got, err, tc.want)
		}
	}
	if got := choiceRowLabel(tokenSlot{2, "norm"}, 1); got != "cell2 norm: batch" {
		t.Errorf("label %q", got)
	}
}
