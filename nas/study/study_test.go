package study

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/classifier"
	"github.com/autogan-go/autogan/inception/metrics"
	"github.com/autogan-go/autogan/internal/progress"
	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/nas/rundir"
)

// testEnv opens Shapes-10 and the embedded scorer (loaded once), like
// command study does, and calls onStep after every step of every run.
func testEnv(t testing.TB, onStep func(int)) Env {
	t.Helper()
	scorer, err := embeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	return Env{
		Runs: nas.Runs{
			Create: func(p string) (nas.Recorder, error) { return rundir.Create(p) },
			Open:   func(p string) (nas.Recorder, error) { return rundir.Open(p) },
			OnStep: onStep,
		},
		Open: func(cfg nas.GANConfig) (metrics.Scorer, cifar.Dataset, error) {
			data, err := cifar.Open(cfg.Dataset, cifar.Options{Seed: cfg.Seed, N: cfg.DatasetN})
			return scorer, data, err
		},
		Report: progress.Quiet(),
	}
}

var embeddedScorer = sync.OnceValues(func() (metrics.Scorer, error) { return classifier.NewEmbeddedScorer() })

// TestTinyStudy runs the tiny study end to end, interrupted inside its
// second search and continued, and checks the document: every piece
// finished, every section and chart present, the interrupted search
// identical to one run without interruption.
func TestTinyStudy(t *testing.T) {
	dir := t.TempDir()
	p, err := Preset("tiny", "shapes10")
	if err != nil {
		t.Fatal(err)
	}
	// Stop inside the second search: the first takes a few dozen steps.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var steps int
	var st *Study
	env := testEnv(t, func(int) {
		steps++
		if fileExists(filepath.Join(dir, "search", p.Searches()[0].Name, "result.json")) && steps > 60 {
			cancel()
		}
	})
	if st, err = Create(dir, p, env); err != nil {
		t.Fatal(err)
	}
	if err := st.Run(ctx); !errors.Is(err, nas.ErrInterrupted) {
		t.Fatalf("interrupted study: %v", err)
	}
	second := p.Searches()[1].Name
	if fileExists(filepath.Join(dir, "search", second, "result.json")) || !fileExists(filepath.Join(dir, "search", second, "checkpoint.safetensors")) {
		t.Fatalf("the interruption did not land inside search %s", second)
	}
	if _, err := Create(dir, p, env); err == nil {
		t.Fatal("Create accepted a directory that holds a study")
	}
	if _, err := st.Candidates(); err == nil || !strings.Contains(err.Error(), second) {
		t.Fatalf("Candidates before the searches end: %v", err)
	}

	if st, err = Open(dir, testEnv(t, nil)); err != nil {
		t.Fatal(err)
	}
	if err := st.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	res, err := st.Collect()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Missing) > 0 {
		t.Fatalf("missing after Run: %v", res.Missing)
	}
	if len(res.Trained) < p.MinProxy {
		t.Errorf("%d architectures trained, want at least %d", len(res.Trained), p.MinProxy)
	}
	for _, run := range p.ProxyRuns {
		if c := res.ProxyCorrelation(run, "is"); c.N != len(res.Trained) || c.CI.Resamples != p.Bootstrap {
			t.Errorf("proxy %s: %d points, %d resamples", run, c.N, c.CI.Resamples)
		}
	}
	checkDocument(t, filepath.Join(dir, "results"), res)

	// The interrupted search equals the same search run in one go.
	again, err := Create(t.TempDir(), p, testEnv(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := again.RunSearch(context.Background(), second); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"result.json", rundir.MetricsFile} {
		a, _ := os.ReadFile(filepath.Join(dir, "search", second, f))
		b, _ := os.ReadFile(filepath.Join(again.Dir, "search", second, f))
		if len(a) == 0 || !bytes.Equal(withoutSeconds(a), withoutSeconds(b)) {
			t.Errorf("search %s: %s differs between the interrupted and the uninterrupted run", second, f)
		}
	}
}

// withoutSeconds drops the wall-clock fields of metrics lines.
func withoutSeconds(b []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(b, []byte("\n")) {
		if i := bytes.Index(line, []byte(`"seconds":`)); i >= 0 {
			line = line[:i]
		}
		out = append(out, line)
	}
	return bytes.Join(out, []byte("\n"))
}

// checkDocument checks what a reader sees: every section, the charts as
// well-formed SVG, the grids, and a CSV row per search.
func checkDocument(t *testing.T, dir string, res *Results) {
	t.Helper()
	md, err := os.ReadFile(filepath.Join(dir, "results.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Conclusion", "**Primary endpoint:**", "declared before the runs", "| MLAS (AutoGAN) | 2/2 |",
		"### Tests", "(primary)", "## Baselines", "SNGAN-style", "AutoGAN-A (paper)", "## The searches", "Spearman ρ", "## Budget", "## Setup",
		"go run ./cmd/study -preset tiny", "![Proxy against trained IS](proxy.svg)"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("results.md lacks %q", want)
		}
	}
	if bytes.Contains(md, []byte("Incomplete")) || bytes.Contains(md, []byte("not finished")) {
		t.Error("results.md says the study is incomplete")
	}
	for _, svg := range []string{"reward.svg", "final_fid.svg", "final_is.svg", "proxy.svg"} {
		b, err := os.ReadFile(filepath.Join(dir, svg))
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		for {
			if _, err := dec.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Errorf("%s: %v", svg, err)
				}
				break
			}
		}
		if bytes.Contains(b, []byte("no data")) {
			t.Errorf("%s has no data", svg)
		}
		if !bytes.Contains(md, []byte("("+svg+")")) {
			t.Errorf("results.md does not show %s", svg)
		}
	}
	if !bytes.Contains(md, []byte("(samples-mlas.png)")) || !fileExists(filepath.Join(dir, "samples-mlas.png")) {
		t.Error("the MLAS sample grid is missing")
	}
	f, err := os.Open(filepath.Join(dir, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 1+len(res.Searches) {
		t.Fatalf("runs.csv: %d rows, %v", len(rows), err)
	}
}

// TestBudgets: every arm gets the MLAS search's reward evaluations and D
// steps, spent its own way.
func TestBudgets(t *testing.T) {
	p, err := Preset("cpu", "shapes10")
	if err != nil {
		t.Fatal(err)
	}
	p.Arms = append(p.Arms, armFID(1), armIndependent(1))
	images := p.Search.DatasetN
	budget := p.RewardBudget()
	dSteps := p.Search.MaxIters * p.Search.SharedEpochs * ((images + p.Search.DisBatch - 1) / p.Search.DisBatch)
	for _, r := range p.Searches() {
		c := p.SearchConfig(r, images)
		if err := c.Validate(); err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
		var rewards, steps int
		switch c.Strategy {
		case nas.MLAS:
			rewards, steps = c.MaxIters*c.CtrlSteps+3*c.NumCandidates, dSteps
		case nas.SLAS:
			rewards, steps = c.MaxIters*c.CtrlSteps+c.NumCandidates, dSteps
		case nas.RandomShared:
			rewards, steps = c.NumCandidates, dSteps
		case nas.RandomIndependent:
			rewards, steps = c.RandomArchs, c.RandomArchs*c.RandomSteps
			if rewards > budget || steps > dSteps || steps < dSteps-c.RandomArchs {
				t.Errorf("%s: %d rewards, %d D steps; budget %d and %d", r.Name, rewards, steps, budget, dSteps)
			}
			continue
		}
		if rewards != budget || steps != dSteps {
			t.Errorf("%s: %d rewards and %d D steps, want %d and %d", r.Name, rewards, steps, budget, dSteps)
		}
		if c.Seed != p.Search.Seed+uint64(r.Seed)-1 || c.DynamicReset != r.Arm.DynamicReset || c.Reward != r.Arm.Reward {
			t.Errorf("%s: seed %d, reset %v, reward %s", r.Name, c.Seed, c.DynamicReset, c.Reward)
		}
	}
}

// TestPlanValidation: plans that cannot run are refused with the reason.
func TestPlanValidation(t *testing.T) {
	for _, tc := range []struct {
		change func(*Plan)
		want   string
	}{
		{func(p *Plan) { p.Primary.B = "nope" }, "primary endpoint"},
		{func(p *Plan) { p.Arms[1].Name = p.Arms[0].Name }, "unique"},
		{func(p *Plan) { p.Arms[0].Seeds = 0 }, "seeds"},
		{func(p *Plan) { p.ProxyRuns = []string{"mlas-s9"} }, "proxy run"},
		{func(p *Plan) { p.Search.MaxIters = 0 }, "search settings"},
		{func(p *Plan) { p.Train.MaxIter = 0 }, "training settings"},
		{func(p *Plan) { p.Arms[0].Seeds = 20 }, "seeds must be 1…12"},
		{func(p *Plan) { p.MinProxy = 400000 }, "min_proxy_archs must be 0…1024"},
		{func(p *Plan) { p.RandomBaselines = -1 }, "random_baselines must be 0…1024"},
		{func(p *Plan) { p.RandomBaselines = 5000 }, "random_baselines must be 0…1024"},
		{func(p *Plan) { p.Bootstrap = 1e9 }, "bootstrap must be 100…1000000"},
	} {
		p, err := Preset("cpu", "shapes10")
		if err != nil {
			t.Fatal(err)
		}
		tc.change(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want an error about %q, got %v", tc.want, err)
		}
	}
	if _, err := Preset("huge", ""); err == nil || !strings.Contains(err.Error(), "cpu, paper, tiny") {
		t.Errorf("unknown preset: %v", err)
	}
	if _, err := Open(t.TempDir(), Env{}); err == nil || !strings.Contains(err.Error(), "holds no study") {
		t.Errorf("Open of an empty directory: %v", err)
	}
}

// TestPlanFileArms: an arm of a -config file is laid over the arm of its
// name, not over whichever arm of the preset stood at its position, and
// the file's list of arms replaces the preset's.
func TestPlanFileArms(t *testing.T) {
	p, err := Preset("cpu", "shapes10")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	file := `{"arms": [{"name": "mlas-no-reset", "seeds": 5}, {"name": "mlas-fid", "seeds": 2}, {"name": "mlas", "seeds": 6}], "alpha": 0.1}`
	if err := os.WriteFile(path, []byte(file), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := LoadPlanFile(path, &p); err != nil {
		t.Fatal(err)
	}
	want := []Arm{armNoReset(5), armFID(2), armMLAS(6)}
	if len(p.Arms) != len(want) {
		t.Fatalf("arms %+v, want %+v", p.Arms, want)
	}
	for i := range want {
		if p.Arms[i] != want[i] {
			t.Errorf("arm %d: %+v, want %+v", i, p.Arms[i], want[i])
		}
	}
	if p.Alpha != 0.1 || p.Search.MaxIters != 9 {
		t.Errorf("the other keys: alpha %v, max_search_iter %d", p.Alpha, p.Search.MaxIters)
	}
	if err := os.WriteFile(path, []byte(`{"arms": [{"name": "mlas", "seed": 5}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := LoadPlanFile(path, &p); err == nil || !strings.Contains(err.Error(), `unknown field "seed"`) {
		t.Errorf("a misspelt key of an arm: %v", err)
	}
}

// TestCandidates: the trained architectures are distinct, keep every
// reason they are trained for, and are at least MinProxy.
func TestCandidates(t *testing.T) {
	dir := t.TempDir()
	p, _ := Preset("tiny", "shapes10")
	p.MinProxy = 9
	st := &Study{Dir: dir, Plan: p}
	// Every search "found" the SNGAN-style generator.
	for _, r := range p.Searches() {
		d := filepath.Join(dir, "search", r.Name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		res := nas.Result{Architectures: []nas.ResultArch{{Rank: 1, Arch: SNGANStyle.String()}}}
		if err := writeJSON(filepath.Join(d, "result.json"), res); err != nil {
			t.Fatal(err)
		}
	}
	cands, err := st.Candidates()
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != p.MinProxy {
		t.Errorf("%d candidates, want %d", len(cands), p.MinProxy)
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if seen[c.Arch] {
			t.Errorf("%s twice", c.Arch)
		}
		seen[c.Arch] = true
	}
	if c := cands[0]; c.Arch != SNGANStyle.String() || len(c.Labels) != len(p.Searches())+1 || c.Labels[len(c.Labels)-1] != "SNGAN-style" {
		t.Errorf("first candidate %+v", c)
	}
	if got, err := Slug("1 0 1 1 1 0 0 1 1 1 0 1 0 3"); got != "1-0-1-1_1-0-0-1-1_1-0-1-0-3" || err != nil {
		t.Errorf("Slug: %s, %v", got, err)
	}
	if _, err := Slug("1 0 1"); err == nil {
		t.Error("Slug of an invalid architecture: no error")
	}
}

// TestDamagedSearchResult: a search's result.json that lists no
// architecture, or one that does not parse, is an error naming the file
// for the pieces that read it (-status, -document, the trainings), not a
// panic, and not a search taken for unfinished.
func TestDamagedSearchResult(t *testing.T) {
	for _, c := range []struct {
		name, result string
	}{
		{"no architectures", `{"architectures": []}`},
		{"an invalid architecture", `{"architectures": [{"rank": 1, "arch": "1 0 1 x"}]}`},
		{"not JSON", `{"architectures": [`},
	} {
		dir := t.TempDir()
		p, _ := Preset("tiny", "shapes10")
		st := &Study{Dir: dir, Plan: p}
		// Every search finished; the first one's result is damaged.
		for k, r := range p.Searches() {
			d := filepath.Join(dir, "search", r.Name)
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
			result := `{"architectures": [{"rank": 1, "arch": "` + SNGANStyle.String() + `"}]}`
			if k == 0 {
				result = c.result
			}
			if err := os.WriteFile(filepath.Join(d, "result.json"), []byte(result), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(d, "metrics.jsonl"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		damaged := filepath.Join(dir, "search", p.Searches()[0].Name, "result.json")
		if _, err := st.Collect(); err == nil || !strings.Contains(err.Error(), damaged) {
			t.Errorf("%s: Collect: %v", c.name, err)
		}
		if _, err := st.Candidates(); err == nil || !strings.Contains(err.Error(), damaged) {
			t.Errorf("%s: Candidates: %v", c.name, err)
		}
	}
}

// TestJobLog: the job log skips a record a crash cut short, at the end of
// the file or followed by the records of pieces run after it, and reports
// any other line that is not a record with its number.
func TestJobLog(t *testing.T) {
	dir := t.TempDir()
	st := &Study{Dir: dir}
	path := filepath.Join(dir, jobsFile)
	good := `{"job":"reference","status":"done","seconds":2,"machine":{"cpu":"x"}}` + "\n"
	torn := `{"job":"search/mlas-s1","status":"do`
	if err := os.WriteFile(path, []byte(good+torn), 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Results{Seconds: map[string]float64{}}
	if err := st.readJobs(r); err != nil || r.Seconds["reference"] != 2 || len(r.Machines) != 1 {
		t.Fatalf("a torn last line: %v, %v", err, r.Seconds)
	}
	// The piece run next appends after the torn record.
	if err := st.timed("search/mlas-s1", func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	r = &Results{Seconds: map[string]float64{}}
	if err := st.readJobs(r); err != nil || r.Seconds["reference"] != 2 || len(r.Seconds) != 2 {
		t.Fatalf("a torn line followed by a record: %v, %v", err, r.Seconds)
	}
	// What the writer before stop 25 left: the next record right after the
	// torn one, on the same line.
	if err := os.WriteFile(path, []byte(good+torn+good), 0o644); err != nil {
		t.Fatal(err)
	}
	r = &Results{Seconds: map[string]float64{}}
	if err := st.readJobs(r); err != nil || r.Seconds["reference"] != 4 {
		t.Fatalf("a torn record followed on its line by a whole one: %v, %v", err, r.Seconds)
	}
	for _, bad := range []string{"not a record", `{"job":"reference","seconds":"two"}`, `{"job":"a"} {"job":"b"}`} {
		if err := os.WriteFile(path, []byte(good+bad+"\n"+good), 0o644); err != nil {
			t.Fatal(err)
		}
		err := st.readJobs(&Results{Seconds: map[string]float64{}})
		if err == nil || !strings.Contains(err.Error(), path+": line 2:") {
			t.Errorf("%q on line 2: %v", bad, err)
		}
	}
}

// TestSearchLogWithImpossibleIteration: a search log whose controller or
// iteration record has a negative or absurd iteration is an error naming
// the file (a negative one indexed outside the reward curve and panicked).
func TestSearchLogWithImpossibleIteration(t *testing.T) {
	for _, line := range []string{`{"event":"controller","iter":-3,"reward":1}`, `{"event":"iteration","iter":1e12,"stage":2}`} {
		s := &Study{Dir: t.TempDir()}
		dir := s.searchDir("mlas-s1")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		res := `{"architectures":[{"arch":"1 0 1 0 1 0 1 0 0 1 2 0 1 1","reward":1}]}`
		if err := os.WriteFile(filepath.Join(dir, "result.json"), []byte(res), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "metrics.jsonl"), []byte(line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := s.collectSearch(SearchRun{Name: "mlas-s1"}); err == nil || !strings.Contains(err.Error(), "metrics.jsonl") {
			t.Errorf("%s: %v, want an error naming metrics.jsonl", line, err)
		}
	}
}
