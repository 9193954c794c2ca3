package runreport

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// dStepsFact returns the value and tooltip of the page's "D steps" fact.
func dStepsFact(t *testing.T, page []byte) (value, title string) {
	t.Helper()
	m := regexp.MustCompile(`<div(?: title="([^"]*)")?><div class="k">D steps</div><div class="v">([^<]*)</div>`).FindSubmatch(page)
	if m == nil {
		t.Fatal("the page has no D steps fact")
	}
	return string(m[2]), string(m[1])
}

// The tiny training of the fixture ran 4 epochs of 4 D steps (64 images,
// batches of 16; n_critic 2, 8 G steps) but logged only every second
// step: the last record is step 14. Its log is older than d_steps, so the
// page can only say "at least 15" (it said 15, as if exact).
func TestTrainDStepsFixture(t *testing.T) {
	v, title := dStepsFact(t, mustPage(t, Options{}, mustOpen(t, "testdata/train")))
	if v != "≥ 15" || title == "" {
		t.Errorf("D steps %q (%q), want ≥ 15 with a note", v, title)
	}
}

// demoTrain writes a run as the demo preset logs it (8,192 images, batches
// of 32: 256 D steps per epoch; n_critic 1; 2,048 G steps in 8 epochs;
// a record every 32 D steps, an evaluation every 2 epochs) up to D step
// upTo, and the train_result.json of the finish if finished.
func demoTrain(t *testing.T, nCritic, upTo int, finished, old bool) string {
	t.Helper()
	dir := t.TempDir()
	const perEpoch, logEvery, epochs = 256, 32, 8
	cfg := `{"preset": "demo", "n_critic": ` + strconv.Itoa(nCritic) + `, "max_iter": ` + strconv.Itoa(perEpoch*epochs/nCritic) +
		`, "log_every": 32, "val_freq": 2, "dataset_n": 8192, "dis_batch_size": 32}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	recs := []map[string]any{{"event": "schema", "version": 1, "kind": "train"}}
	g := 0
	for s := 0; s < upTo; s++ {
		if s%nCritic == 0 {
			g++
		}
		e := s / perEpoch
		if s%logEvery == 0 {
			recs = append(recs, map[string]any{"event": "train", "epoch": e, "step": s, "g_steps": g, "d_loss": 1.0, "g_loss": 0.5})
		}
		if (s+1)%perEpoch == 0 && (e%2 == 1 || e == epochs-1) {
			ev := map[string]any{"event": "eval", "epoch": e, "g_steps": g, "d_steps": s + 1, "is_mean": 2.0, "is_std": 0.1, "fid": 50.0, "images": 2000}
			if old { // logs written before d_steps was added
				delete(ev, "d_steps")
			}
			recs = append(recs, ev)
		}
	}
	writeLines(t, filepath.Join(dir, "metrics.jsonl"), recs)
	if finished {
		res := `{"arch": "0 2 0 1 1 2 1 1 1 1 2 2 1 0", "epochs": 8, "gen_steps": ` + strconv.Itoa(g) + `}`
		if err := os.WriteFile(filepath.Join(dir, "train_result.json"), []byte(res), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// The demo training's 2,048 G steps with n_critic 1 are 2,048 D steps, not
// the last logged step + 1 (2,017).
func TestTrainDStepsDemo(t *testing.T) {
	for _, tc := range []struct {
		name           string
		nCritic, upTo  int
		finished, old  bool
		want, wantNote string
	}{
		{"finished", 1, 2048, true, false, "2,048", ""},
		{"finished, no train_result.json", 1, 2048, false, false, "2,048", ""},
		{"n_critic 5", 5, 2048, true, false, "2,048", ""},
		{"after the evaluation of epoch 4", 5, 1024, false, false, "1,024", ""},
		// Mid-epoch the log knows the last logged step only.
		{"in epoch 5", 1, 1100, false, false, "≥ 1,089", "at least: the count at the last logged D step (logged every log_every steps)"},
		// A log without d_steps knows only the last logged step.
		{"older log", 1, 2048, true, true, "≥ 2,017", "at least: the count at the last logged D step (logged every log_every steps)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, title := dStepsFact(t, mustPage(t, Options{}, mustOpen(t, demoTrain(t, tc.nCritic, tc.upTo, tc.finished, tc.old))))
			if v != tc.want || title != tc.wantNote {
				t.Errorf("D steps %q (%q), want %q (%q)", v, title, tc.want, tc.wantNote)
			}
		})
	}
}
