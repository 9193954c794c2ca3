package study

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/nas"
)

// syntheticResults is a finished cpu-scale study with made-up numbers:
// MLAS's top-1s train to FID 30–34, random search's to 40–44 (a difference
// every split of 5 against 5 puts at the extreme), SLAS's to 35–37, and the
// two seeds of MLAS without reset find MLAS's architectures, no reset ever
// firing in either arm.
func syntheticResults(t *testing.T) *Results {
	t.Helper()
	p, err := Preset("cpu", "shapes10")
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Arms {
		if p.Arms[i].Name == "mlas-no-reset" {
			p.Arms[i].Seeds = 2 // 5 against 2: the smallest possible p is 2/21
		}
	}
	r := &Results{Plan: p, Seconds: map[string]float64{}}
	fids := map[string]func(seed int) (arch string, fid float64){
		"mlas": func(k int) (string, float64) {
			return fmt.Sprintf("1 0 1 0 1 0 1 0 0 1 2 0 1 %d", k-1), float64(29 + k)
		},
		"mlas-no-reset": func(k int) (string, float64) {
			return fmt.Sprintf("1 0 1 0 1 0 1 0 0 1 2 0 1 %d", k-1), float64(29 + k)
		},
		"random": func(k int) (string, float64) {
			return fmt.Sprintf("0 1 1 1 1 1 0 0 0 0 0 1 0 %d", k-1), float64(39 + k)
		},
		"slas": func(k int) (string, float64) {
			return fmt.Sprintf("1 1 1 1 1 1 1 1 0 1 1 1 1 %d", k-1), float64(34 + k)
		},
	}
	trained := map[string]bool{}
	for _, run := range p.Searches() {
		arch, fid := fids[run.Arm.Name](run.Seed)
		r.Searches = append(r.Searches, SearchResult{Run: run, Done: true, Top1: arch, Top1Reward: 3, DSteps: 1152, Rewards: 102, Seconds: 180})
		if !trained[arch] {
			trained[arch] = true
			tr := TrainedResult{Candidate: Candidate{Arch: arch, Labels: []string{"top-1 of " + run.Name}}, Done: true, Seconds: 240}
			tr.Summary = nas.TrainSummary{LastFID: fid, LastIS: 10 - fid/10}
			r.Trained = append(r.Trained, tr)
		}
	}
	return r
}

// TestDocumentVerdicts: the conclusion and the tests say what the numbers
// allow: a significant primary difference, a comparison whose seeds cannot
// reach α, and an ablation whose searches never differed.
func TestDocumentVerdicts(t *testing.T) {
	r := syntheticResults(t)
	comps := r.Comparisons()
	primary := comps[0]
	if !primary.Primary || !primary.Significant || !primary.BetterA || primary.P != 2.0/252 {
		t.Errorf("primary: %+v, want MLAS significantly better with p = 2/252", primary)
	}
	var noReset, slas *Comparison
	for i := range comps {
		switch {
		case comps[i].B == "mlas-no-reset" && comps[i].Metric == "fid":
			noReset = &comps[i]
		case comps[i].B == "slas" && comps[i].Metric == "fid":
			slas = &comps[i]
		}
	}
	if noReset == nil || !noReset.CannotReach() || noReset.Significant || noReset.Note == "" {
		t.Errorf("MLAS vs no reset (5 vs 2 seeds, no reset fired): %+v", noReset)
	}
	if slas == nil || slas.CannotReach() || slas.MinP != 2.0/56 || !slas.Significant {
		t.Errorf("MLAS vs SLAS (5 vs 3 seeds, apart): %+v", slas)
	}
	var doc bytes.Buffer
	if err := r.markdown(&doc, nil); err != nil {
		t.Fatal(err)
	}
	text := doc.String()
	for _, want := range []string{
		"**Primary endpoint:** FID of the top-1: MLAS (AutoGAN) 32.00 ± 1.58 vs random search, shared weights 42.00 ± 1.58 over 5 and 5 seeds: MLAS (AutoGAN) is better, and the difference is significant (p = 0.008 < 0.05).",
		"the test cannot be significant with this few seeds (smallest possible p 0.095 ≥ 0.05",
		"no dynamic reset fired in any of the 5 finished searches of MLAS (AutoGAN)",
		"(An exploratory test, not corrected for multiple testing.)",
		"| data | shapes10, 4096 images, 32×32 | 8192 images, 32×32 |",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	if strings.Contains(text, "no significant difference") {
		t.Error("the document calls a difference no test could detect 'not significant'")
	}
}
