package runreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// asRendered marks a page as its script does when it loaded in a browser,
// so that CheckDOM can check the page as written.
func asRendered(page []byte) []byte {
	return bytes.Replace(page, []byte("<html lang=\"en\""), []byte("<html lang=\"en\" data-ready=\"1\""), 1)
}

func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		if info.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func mustOpen(t *testing.T, dir string) *Run {
	t.Helper()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustPage(t *testing.T, o Options, runs ...*Run) []byte {
	t.Helper()
	b, err := Page(runs, o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// chartSVG returns the SVG of the figure data-chart=id.
func chartSVG(t *testing.T, page []byte, id string) string {
	t.Helper()
	el, ok := element(page, `data-chart="`+id+`"`, "figure")
	if !ok {
		t.Fatalf("no chart %s", id)
	}
	return string(el)
}

func checkPage(t *testing.T, page []byte, kind string) {
	t.Helper()
	want, err := ExpectedFor(kind)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckDOM(asRendered(page), want); err != nil {
		t.Errorf("%s page:\n%v", kind, err)
	}
}

func TestSearchPage(t *testing.T) {
	r := mustOpen(t, "testdata/search")
	if r.Kind() != "search" {
		t.Fatalf("kind %q", r.Kind())
	}
	page := mustPage(t, Options{}, r)
	checkPage(t, page, "search")
	s := string(page)
	for _, want := range []string{
		"Architecture search · search", "finished", // header and status
		"mlas", "shapes10 (96 images)", "embedded shapes10 scorer", "8 / 8 channels", // settings
		"0 2 0 1 1 2 1 1 1 1 2 2 1 0", "1.228", // best architecture and reward
		"cell1: post-activation, instance norm, bilinear", // description in the result table
		"iteration 2 · stage 2",                           // grid caption
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	losses := chartSVG(t, page, "losses")
	for _, want := range []string{"stage 1 · 16×16", "stage 2 · 32×32"} {
		if !strings.Contains(losses, want) {
			t.Errorf("losses chart lacks the growth marker %q", want)
		}
	}
	if v := chartSVG(t, page, "variances"); !strings.Contains(v, "reset threshold 0.001") || !strings.Contains(v, `class="ref"`) {
		t.Error("variance chart lacks the reset threshold line")
	}
	heat := chartSVG(t, page, "choices")
	// The fixture logs no probabilities: the heatmap shows the sampled
	// choices. In iteration 0 the controller sampled "1 1 1 1", "0 2 1 1"
	// and "1 2 1 1": cell1 conv pre-activation (1) twice in three; in
	// iteration 2 cell3's skip token was 2 (from cell1), 1 (from cell2), 2.
	if !strings.Contains(heat, "Choices the controller sampled") {
		t.Error("heatmap title")
	}
	for _, want := range []string{"cell1 conv: pre-act · search iteration 0: 0.6667", "cell3 skip: from cell1 · search iteration 2: 0.6667",
		"cell3 skip: from cell2 · search iteration 2: 0.3333", "cell3 skip: from cell1+2 · search iteration 2: 0<"} {
		if !strings.Contains(heat, want) {
			t.Errorf("heatmap lacks the cell %q", want)
		}
	}
	// Cells of tokens the iteration's controller did not sample are empty.
	if !strings.Contains(heat, "cell1 conv: post-act · search iteration 1: no value") {
		t.Error("heatmap: cell1 has a value at stage 1")
	}
	if n := strings.Count(chartSVG(t, page, "candidates"), "<circle") + strings.Count(chartSVG(t, page, "candidates"), "<rect x"); n < 12 {
		t.Errorf("candidates chart has %d points, want 12", n)
	}
	if len(page) > 400<<10 {
		t.Errorf("page of the tiny search is %d bytes", len(page))
	}
}

func TestTrainPage(t *testing.T) {
	r := mustOpen(t, "testdata/train")
	if r.Kind() != "train" {
		t.Fatalf("kind %q", r.Kind())
	}
	page := mustPage(t, Options{}, r)
	checkPage(t, page, "train")
	s := string(page)
	for _, want := range []string{"Training · train", "1 0 1 1 1 0 0 1 1 1 0 1 0 3", "62.24 (epoch 2)", "8 / 8"} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.Contains(chartSVG(t, page, "is"), "best IS (best_is.safetensors)") {
		t.Error("IS chart lacks the best checkpoint")
	}
	if !strings.Contains(chartSVG(t, page, "fid"), "best FID (best.safetensors)") {
		t.Error("FID chart lacks the best checkpoint")
	}
	if lr := chartSVG(t, page, "lr"); !strings.Contains(lr, "absent") || !strings.Contains(lr, "do not record") {
		t.Errorf("learning-rate chart should be a note for this run: %s", lr)
	}
	// Epochs are whole numbers on the axis.
	if strings.Contains(chartSVG(t, page, "is"), ">2.5<") {
		t.Error("the epoch axis has a tick at 2.5")
	}
}

// writeLines writes records as JSON lines.
func writeLines(t *testing.T, path string, recs []map[string]any) {
	t.Helper()
	var b bytes.Buffer
	for _, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The fields and events newer runs write: schema record, learning rates,
// choice probabilities, non-finite values as strings, divergence, and an
// evaluation's shards.

func TestTrainPageNewFields(t *testing.T) {
	dir := t.TempDir()
	recs := []map[string]any{{"event": "schema", "version": 1, "kind": "train"}}
	// As a real run, the records stop at the divergence: the trainer
	// checks step 30 before it logs it.
	for s := 0; s < 30; s++ {
		lr := 2e-4 * (1 - float64(s)/40)
		rec := map[string]any{"event": "train", "epoch": s / 10, "step": s, "g_steps": s / 5, "d_loss": 1.0, "g_loss": 0.5,
			"g_lr": lr, "d_lr": lr, "seconds": 0.1 * float64(s)}
		if s == 20 {
			// Non-finite values, as strings. The trainer would stop
			// here too, but the report does not rely on that.
			rec["d_loss"], rec["g_loss"] = "NaN", "Inf"
		}
		recs = append(recs, rec)
		if s%10 == 9 {
			recs = append(recs, map[string]any{"event": "eval", "epoch": s / 10, "g_steps": s / 5, "is_mean": 2 + float64(s)/100,
				"is_std": 0.1, "fid": 50 - float64(s)/10, "images": 100, "time": "2024-01-01T00:00:00Z"})
		}
	}
	recs = append(recs, map[string]any{"event": "diverged", "where": "train", "epoch": 3, "step": 30, "which": "d_loss"})
	writeLines(t, filepath.Join(dir, "metrics.jsonl"), recs)
	r := mustOpen(t, dir)
	page := mustPage(t, Options{}, r)
	want, _ := ExpectedFor("train")
	want.Galleries = nil // no grids in this directory
	want.Charts = append(want.Charts, "lr")
	if _, err := CheckDOM(asRendered(page), want); err != nil {
		t.Errorf("with learning rates: %v", err)
	}
	losses := chartSVG(t, page, "losses")
	if !strings.Contains(losses, `class="marker"`) || !strings.Contains(losses, "diverged (d_loss) at discriminator step 30") {
		t.Error("losses chart lacks the divergence marker")
	}
	// The NaN at step 20 breaks the line: two pieces.
	if m := regexp.MustCompile(`<path d="([^"]*)" class="line"`).FindStringSubmatch(losses); m == nil || strings.Count(m[1], "M") != 2 {
		t.Errorf("D loss line should have 2 pieces around the NaN: %v", m)
	}
	if !strings.Contains(string(page), "The run diverged in epoch 4, step 30 (train): d_loss is not finite") {
		t.Error("no divergence warning")
	}
	if n := len(r.Notes()); n != 0 {
		t.Errorf("notes for a valid file: %q", r.Notes())
	}
}

// A search that diverges stops before it logs the step that did, in the
// shared phase or the controller's; the marker goes where that step's
// record would have been.
func TestSearchPageDivergenceMarkers(t *testing.T) {
	fixture, err := os.ReadFile("testdata/search/metrics.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(fixture), "\n")
	for _, tc := range []struct {
		name  string
		keep  int // lines of the fixture logged before the divergence
		rec   string
		chart string
		want  string
	}{
		// At the first D step of iteration 1, before any of its records:
		// iteration 0 had 6 D steps.
		{"shared", 13, `{"event":"diverged","where":"shared","iter":1,"step":0,"ctrl_step":0,"which":"d_loss","value":"NaN"}`,
			"losses", "diverged (d_loss) at discriminator step 6"},
		// At controller step 2 of iteration 1, after 3 steps of
		// iteration 0 and 2 of iteration 1.
		{"controller", 18, `{"event":"diverged","where":"controller","iter":1,"step":2,"ctrl_step":2,"which":"reward","value":"NaN"}`,
			"reward", "diverged (reward) at controller step 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, "testdata/search")
			text := strings.Join(lines[:tc.keep], "") + tc.rec + "\n"
			if err := os.WriteFile(filepath.Join(dir, "metrics.jsonl"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			page := mustPage(t, Options{}, mustOpen(t, dir))
			svg := chartSVG(t, page, tc.chart)
			if !strings.Contains(svg, `class="marker"`) || !strings.Contains(svg, tc.want) {
				t.Errorf("%s chart lacks the marker %q", tc.chart, tc.want)
			}
		})
	}
}

func TestSearchPageProbabilities(t *testing.T) {
	dir := copyDir(t, "testdata/search")
	// Rewrite the fixture with a schema record and the controller's
	// probabilities per token, as newer runs log them.
	old, err := os.ReadFile(filepath.Join(dir, "metrics.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	recs := []map[string]any{{"event": "schema", "version": 1, "kind": "search"}}
	for _, line := range bytes.Split(bytes.TrimSpace(old), []byte("\n")) {
		var rec map[string]any
		if err := json.Unmarshal(line, &rec); err != nil {
			t.Fatal(err)
		}
		if rec["event"] == "controller" {
			stage := int(rec["stage"].(float64))
			if stage == 0 {
				rec["probs"] = [][]any{{0.25, 0.75}, {0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}, {"NaN", 0.5}}
				rec["tokens"] = []string{"conv", "norm", "up", "shortcut"}
			} else {
				skip := []any{0.5, 0.5}
				if stage == 2 {
					skip = []any{0.1, 0.2, 0.3, 0.4}
				}
				rec["probs"] = [][]any{{0.5, 0.5}, {0.2, 0.3, 0.5}, {0.1, 0.1, 0.8}, {0.6, 0.4}, skip}
			}
		}
		if rec["event"] == "shared" && rec["step"].(float64) == 2 && rec["iter"].(float64) == 1 {
			rec["g_var"] = "-Inf"
		}
		recs = append(recs, rec)
	}
	writeLines(t, filepath.Join(dir, "metrics.jsonl"), recs)
	page := mustPage(t, Options{}, mustOpen(t, dir))
	checkPage(t, page, "search")
	heat := chartSVG(t, page, "choices")
	for _, want := range []string{"Controller&#39;s choice probabilities", "cell1 conv: pre-act · search iteration 0: 0.75",
		"cell3 skip: from cell1+2 · search iteration 2: 0.4", "cell2 skip: from cell1 · search iteration 1: 0.5",
		"cell1 shortcut: no · search iteration 0: no value"} {
		if !strings.Contains(heat, want) {
			t.Errorf("heatmap lacks %q", want)
		}
	}
}

func TestEvalPage(t *testing.T) {
	dir := t.TempDir()
	recs := []map[string]any{{"event": "schema", "version": 1, "kind": "eval"}}
	for i := 0; i < 4; i++ {
		recs = append(recs, map[string]any{"event": "shard", "shard": i, "shards": 4, "first_block": 10 * i, "end_block": 10*i + 10,
			"images": 1000, "seconds": 20 + float64(i)})
	}
	recs = append(recs,
		map[string]any{"event": "merge", "parts": 4, "images": 4000, "is_mean": 7.5, "is_std": 0.12, "fid": 21.5},
		map[string]any{"event": "result", "is_mean": 7.5, "is_std": 0.12, "fid": 21.5, "n": 4000, "scorer": "inception", "source": "runs/x/best.safetensors"})
	writeLines(t, filepath.Join(dir, "metrics.jsonl"), recs)
	r := mustOpen(t, dir)
	if r.Kind() != "eval" {
		t.Fatalf("kind %q", r.Kind())
	}
	page := mustPage(t, Options{}, r)
	want, _ := ExpectedFor("eval")
	want.Charts = append(want.Charts, "shard-time", "shard-rate")
	want.Tables = append(want.Tables, "shard-records")
	if _, err := CheckDOM(asRendered(page), want); err != nil {
		t.Error(err)
	}
	s := string(page)
	for _, want := range []string{"7.5 ± 0.12", "21.5", "4,000", "runs/x/best.safetensors", "merge of 4 parts", "30–40", "3/4"} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// A shard whose time is not known is shown as missing, not as 0 s.
func TestEvalShardWithoutSeconds(t *testing.T) {
	dir := t.TempDir()
	writeLines(t, filepath.Join(dir, "metrics.jsonl"), []map[string]any{
		{"event": "shard", "shard": 0, "shards": 3, "images": 1000, "seconds": 20},
		{"event": "shard", "shard": 1, "shards": 3, "images": 1000},
		{"event": "shard", "shard": 2, "shards": 3, "images": 1000, "seconds": "NaN"},
	})
	page := mustPage(t, Options{}, mustOpen(t, dir))
	for _, id := range []string{"shard-time", "shard-rate"} {
		svg := chartSVG(t, page, id)
		for _, shard := range []string{"1/3", "2/3"} {
			if !strings.Contains(svg, shard+": no value") || strings.Contains(svg, shard+": 0<") {
				t.Errorf("%s: shard %s is not shown as missing", id, shard)
			}
		}
		if !strings.Contains(svg, "0/3: ") || strings.Contains(svg, "0/3: no value") {
			t.Errorf("%s: shard 0/3 has no bar", id)
		}
	}
}

func TestCorruptInputIsNoted(t *testing.T) {
	dir := copyDir(t, "testdata/search")
	appendFile(t, filepath.Join(dir, "metrics.jsonl"), "\x00\x01garbage\n"+`{"event":"newthing"}`+"\n"+`{"event":"shared","iter":2,"st`)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte("{not json"), 0o644)
	os.WriteFile(filepath.Join(dir, "samples", "iter_001.png"), []byte("not a png"), 0o644)
	r := mustOpen(t, dir)
	page := mustPage(t, Options{}, r)
	s := string(page)
	for _, want := range []string{"1 of 41 lines of metrics.jsonl is not a JSON object", `&#34;newthing&#34; ×1`,
		"the last line of metrics.jsonl is incomplete", "config.json could not be read", "sample grid iter_001.png could not be read"} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks the note %q", want)
		}
	}
	checkPage(t, page, "search") // the rest is still drawn
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing directory: %v", err)
	}
	file := filepath.Join(dir, "file.txt")
	os.WriteFile(file, []byte("x"), 0o644)
	if _, err := Open(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("a file: %v", err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "not a run directory") {
		t.Errorf("an empty directory: %v", err)
	}
	// Watch accepts an empty directory: the run may not have started.
	r, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	page := mustPage(t, Options{}, r)
	if !strings.Contains(string(page), "Nothing to show yet") {
		t.Error("empty run page")
	}
	// The metrics file itself names its run.
	if r, err := Open("testdata/search/metrics.jsonl"); err != nil || r.Kind() != "search" {
		t.Errorf("opening metrics.jsonl: %v", err)
	}
}

func TestComparePage(t *testing.T) {
	a := copyDir(t, "testdata/search")
	b := filepath.Join(t.TempDir(), "seed2", "search")
	os.MkdirAll(filepath.Dir(b), 0o755)
	os.Rename(copyDir(t, "testdata/search"), b)
	runs := []*Run{mustOpen(t, a), mustOpen(t, b), mustOpen(t, "testdata/train")}
	page := mustPage(t, Options{}, runs...)
	s := string(page)
	if !strings.Contains(s, "Comparing 3 runs") {
		t.Error("title")
	}
	// The two search runs share their base name: labels add the parent.
	labels := runLabels(runs)
	if labels[0] == labels[1] || !strings.HasSuffix(labels[1], "seed2/search") || labels[2] != "train" {
		t.Errorf("labels %q", labels)
	}
	want := Expected{Charts: []string{"losses", "variances", "reward", "entropy", "candidates", "is", "fid", "train-d-loss"}, Tables: []string{"runs"}, Galleries: []string{"samples"}}
	if _, err := CheckDOM(asRendered(page), want); err != nil {
		t.Error(err)
	}
	// One line per search run in the loss chart, each with its legend entry.
	losses := chartSVG(t, page, "losses")
	if n := strings.Count(losses, `class="line"`); n != 2 {
		t.Errorf("%d lines in the compared losses, want 2", n)
	}
	for _, l := range labels[:2] {
		if !strings.Contains(losses, ">"+l+"<") {
			t.Errorf("legend lacks %q", l)
		}
	}
}

func TestPageIsDeterministic(t *testing.T) {
	a := mustPage(t, Options{}, mustOpen(t, "testdata/search"))
	b := mustPage(t, Options{}, mustOpen(t, "testdata/search"))
	if !bytes.Equal(a, b) {
		t.Error("two pages of the same run differ")
	}
}

func TestCheckDOMFindsProblems(t *testing.T) {
	page := asRendered(mustPage(t, Options{}, mustOpen(t, "testdata/search")))
	want, _ := ExpectedFor("search")
	if _, err := CheckDOM(page, want); err != nil {
		t.Fatal(err)
	}
	breakages := []struct{ name, old, new, problem string }{
		{"script did not run", `data-ready="1"`, ``, "did not finish"},
		{"chart missing", `data-chart="entropy"`, `data-chart="other"`, "chart entropy: missing"},
		{"chart empty", `class="line"`, `class="xline"`, "nothing drawn"},
		{"image broken", `class="pixelated"`, `class="pixelated broken"`, "failed to decode"},
		{"table empty", `<tr><td class="num">`, `<xx><td class="num">`, "table result: no rows"},
	}
	for _, b := range breakages {
		broken := bytes.ReplaceAll(page, []byte(b.old), []byte(b.new))
		if bytes.Equal(broken, page) {
			t.Fatalf("%s: nothing replaced", b.name)
		}
		if _, err := CheckDOM(broken, want); err == nil || !strings.Contains(err.Error(), b.problem) {
			t.Errorf("%s: error %v, want %q", b.name, err, b.problem)
		}
	}
	log := "[1:1:INFO:CONSOLE:5] \"Uncaught ReferenceError: x is not defined\", source: file:///r.html (5)\n"
	if err := CheckConsole([]byte("[1:1:ERROR:dbus/bus.cc:405] Failed to connect to the bus\n")); err != nil {
		t.Errorf("a log without console messages: %v", err)
	}
	if err := CheckConsole([]byte(log)); err == nil || !strings.Contains(err.Error(), "Uncaught ReferenceError") {
		t.Errorf("console error not found: %v", err)
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{fmtCount(762450), "762,450"}, {fmtCount(-1234), "−1,234"}, {fmtCount(12), "12"},
		{fmtDuration(4.25), "4.2 s"}, {fmtDuration(198), "3 min 18 s"}, {fmtDuration(7500), "2 h 05 min"},
		{fmtNum(nan()), "–"}, {fmtNum(0.012345), "0.01235"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if got := fmt.Sprint(pickGrids(65, 12)); got != "[0 6 12 17 23 29 35 41 47 52 58 64]" {
		t.Errorf("pickGrids(65, 12) = %s", got)
	}
}
