package nas

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/internal/progress"

	"github.com/autogan-go/autogan/cifar"
)

// tinyRun runs the tiny preset in dir with procs workers; with stopAt > 0
// it interrupts the run after that many steps, then resumes it from its
// checkpoint (in a new Searcher, as a new process would) and finishes.
func tinyRun(t *testing.T, cfg Config, dir string, procs, stopAt int) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	scorer, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	data := cifar.Shapes10(cfg.DatasetN, cfg.Seed)
	s, err := NewSearcher(cfg, newRun(t, dir), scorer, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if stopAt > 0 {
		s.OnStep = func(total int) {
			if total == stopAt {
				cancel()
			}
		}
	}
	err = s.Run(ctx)
	if stopAt > 0 {
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("run stopped at %d: %v", stopAt, err)
		}
		var shown bytes.Buffer
		if s, err = Resume(openRun(t, dir), scorer, data, progress.New(&shown, true, 0)); err != nil {
			t.Fatal(err)
		}
		err = s.Run(context.Background())
		checkResumedProgress(t, stopAt, shown.String())
	}
	if err != nil {
		t.Fatal(err)
	}
}

// checkResumedProgress requires every progress line of a resumed search to
// count from where its checkpoint was, out of the phase's real total: the
// first line continues the phase the search was interrupted in, and no
// count exceeds its total or has none.
func checkResumedProgress(t *testing.T, stopAt int, shown string) {
	t.Helper()
	// "N/M unit", or "N/M  " where a line has lost its stage and unit.
	count := regexp.MustCompile(`(\d+)/(\d+) (?:D steps|steps|candidates|\s)`)
	lines := count.FindAllStringSubmatch(shown, -1)
	if len(lines) == 0 {
		t.Fatalf("resumed at step %d: no progress shown:\n%q", stopAt, shown)
	}
	for _, m := range lines {
		done, _ := strconv.Atoi(m[1])
		total, _ := strconv.Atoi(m[2])
		if total == 0 || done > total {
			t.Fatalf("resumed at step %d: progress %q in\n%q", stopAt, m[0], shown)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// events returns the metrics log without its wall-clock fields.
func events(t *testing.T, dir string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(readFile(t, filepath.Join(dir, "metrics.jsonl")))), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		delete(m, "seconds")
		b, _ := json.Marshal(m)
		out = append(out, string(b))
	}
	return strings.Join(out, "\n")
}

func sameRun(t *testing.T, what, a, b string) {
	t.Helper()
	for _, f := range []string{"result.json", checkpointFile} {
		if !bytes.Equal(readFile(t, filepath.Join(a, f)), readFile(t, filepath.Join(b, f))) {
			t.Fatalf("%s: %s differs", what, f)
		}
	}
	if events(t, a) != events(t, b) {
		t.Fatalf("%s: the metrics events differ", what)
	}
}

// TestSearchIsDeterministicAcrossWorkers: the tiny preset gives
// byte-identical result.json and checkpoint with GOMAXPROCS 1 and 4.
func TestSearchIsDeterministicAcrossWorkers(t *testing.T) {
	cfg := MustPreset("tiny")
	d1, d4 := filepath.Join(t.TempDir(), "p1"), filepath.Join(t.TempDir(), "p4")
	tinyRun(t, cfg, d1, 1, 0)
	tinyRun(t, cfg, d4, 4, 0)
	sameRun(t, "GOMAXPROCS 1 vs 4", d1, d4)
	var res Result
	json.Unmarshal(readFile(t, filepath.Join(d1, "result.json")), &res)
	if len(res.Architectures) != cfg.TopK || len(res.Architectures[0].Ints) != 14 {
		t.Fatalf("result %+v", res)
	}
	grids, _ := filepath.Glob(filepath.Join(d1, "samples", "iter_*.png"))
	if len(grids) != cfg.MaxIters {
		t.Fatalf("%d sample grids for %d iterations", len(grids), cfg.MaxIters)
	}
}

// TestInterruptedSearchResumesExactly interrupts the tiny search in the
// shared phase, in the controller phase and during a top-K selection, and
// requires the resumed runs to end exactly like the uninterrupted one.
func TestInterruptedSearchResumesExactly(t *testing.T) {
	cfg := MustPreset("tiny")
	ref := filepath.Join(t.TempDir(), "ref")
	tinyRun(t, cfg, ref, 2, 0)
	for _, stop := range []int{3, 8, 12, 17, 21, 30} { // 21: the shared training right after a growth
		dir := filepath.Join(t.TempDir(), "stop")
		tinyRun(t, cfg, dir, 2, stop)
		sameRun(t, "interrupted at step "+string(rune('0'+stop/10))+string(rune('0'+stop%10)), ref, dir)
	}
}

// TestStrategies runs every strategy and reward of the tiny preset.
func TestStrategies(t *testing.T) {
	for _, c := range []struct {
		strategy Strategy
		reward   Reward
	}{
		{SLAS, RewardIS}, {RandomShared, RewardIS}, {RandomIndependent, RewardIS}, {MLAS, RewardInvFID},
	} {
		cfg := MustPreset("tiny")
		cfg.Strategy, cfg.Reward = c.strategy, c.reward
		dir := filepath.Join(t.TempDir(), string(c.strategy))
		tinyRun(t, cfg, dir, 2, 0)
		var res Result
		if err := json.Unmarshal(readFile(t, filepath.Join(dir, "result.json")), &res); err != nil {
			t.Fatal(err)
		}
		if len(res.Architectures) == 0 || res.Architectures[0].Reward <= 0 {
			t.Fatalf("%s/%s: result %+v", c.strategy, c.reward, res)
		}
	}
}

// TestDynamicResetRecreatesTheGAN forces the reset (a threshold no loss
// window can stay under) and checks it fires, re-creates G and D, and that
// the search still finishes deterministically.
func TestDynamicResetRecreatesTheGAN(t *testing.T) {
	cfg := MustPreset("tiny")
	cfg.ResetThreshold = 1e9
	dir := filepath.Join(t.TempDir(), "reset")
	tinyRun(t, cfg, dir, 2, 0)
	var res Result
	json.Unmarshal(readFile(t, filepath.Join(dir, "result.json")), &res)
	if res.Resets == 0 {
		t.Fatal("the dynamic reset never fired")
	}
	if !strings.Contains(events(t, dir), `"event":"reset"`) {
		t.Fatal("no reset event in the metrics")
	}
}
