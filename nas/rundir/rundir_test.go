package rundir

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/ckpt"
)

// TestNonFiniteNumbersAreKept: a diverged loss is written as a string, and
// the record is not dropped.
func TestNonFiniteNumbersAreKept(t *testing.T) {
	d, err := Create(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Event(map[string]any{"event": "shared", "d_loss": math.NaN(), "g_loss": math.Inf(1),
		"probs": [][]float64{{0.5, math.Inf(-1)}}, "x": float32(2)}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	b, _ := os.ReadFile(d.File(MetricsFile))
	if got, want := strings.TrimSpace(string(b)), `{"d_loss":"NaN","event":"shared","g_loss":"Inf","probs":[[0.5,"-Inf"]],"x":2}`; got != want {
		t.Errorf("record %s, want %s", got, want)
	}
}

// TestCheckpointCutsTheLog: reopening a checkpoint keeps exactly the lines
// written before it, also when the last line was torn by a kill.
func TestCheckpointCutsTheLog(t *testing.T) {
	dir := runWithCheckpoint(t)
	f, _ := os.OpenFile(filepath.Join(dir, MetricsFile), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"event":"c","tor`) // a kill in the middle of a line
	f.Close()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.OpenCheckpoint("checkpoint.safetensors"); err != nil {
		t.Fatal(err)
	}
	r.Event(map[string]any{"event": "d"})
	r.Close()
	b, _ := os.ReadFile(filepath.Join(dir, MetricsFile))
	if got := string(b); got != "{\"event\":\"a\"}\n{\"event\":\"d\"}\n" {
		t.Errorf("log after resume:\n%s", got)
	}
	if _, err := Create(dir); err == nil {
		t.Error("Create accepted a directory holding a run")
	}
}

// TestCreateKeepsFinishedRuns: a directory whose run finished is refused
// as finished, with its checkpoint or without it (deleted to save space,
// say), so that its results and trained generators are not overwritten;
// one that holds only the beginning of a run that never checkpointed
// starts again.
func TestCreateKeepsFinishedRuns(t *testing.T) {
	for i, result := range []string{"result.json", "train_result.json", "result.json", "train_result.json"} {
		dir := t.TempDir()
		if i >= 2 {
			os.WriteFile(filepath.Join(dir, "checkpoint.safetensors"), nil, 0o644)
		}
		os.WriteFile(filepath.Join(dir, result), []byte("{}"), 0o644)
		os.WriteFile(filepath.Join(dir, "best.safetensors"), []byte("generator"), 0o644)
		if _, err := Create(dir); err == nil || !strings.Contains(err.Error(), "finished run ("+result+")") {
			t.Errorf("%s: Create gave %v", result, err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "best.safetensors")); string(b) != "generator" {
			t.Errorf("%s: the generator was changed", result)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, MetricsFile), []byte(`{"event":"started"}`+"\n"), 0o644)
	d, err := Create(dir)
	if err != nil {
		t.Fatalf("a run that never checkpointed: %v", err)
	}
	d.Close()
}

// A resume that is refused after its checkpoint was opened (a checkpoint of
// another kind, settings that do not match) must leave the metrics log as
// it was: the log is cut back only when the resumed run writes.
func TestRefusedResumeKeepsTheLog(t *testing.T) {
	dir := runWithCheckpoint(t)
	before, _ := os.ReadFile(filepath.Join(dir, MetricsFile))
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.OpenCheckpoint("checkpoint.safetensors"); err != nil {
		t.Fatal(err)
	}
	r.Close() // the caller refuses the checkpoint here
	after, _ := os.ReadFile(filepath.Join(dir, MetricsFile))
	if string(after) != string(before) {
		t.Fatalf("a refused resume changed the log from\n%s\nto\n%s", before, after)
	}
	// A checkpoint written right after resuming counts the cut log.
	r, _ = Open(dir)
	if _, err := r.OpenCheckpoint("checkpoint.safetensors"); err != nil {
		t.Fatal(err)
	}
	if err := r.SaveCheckpoint("checkpoint.safetensors", ckpt.NewWriter()); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, MetricsFile)); string(b) != "{\"event\":\"a\"}\n" {
		t.Errorf("log after resuming and checkpointing:\n%s", b)
	}
}

// runWithCheckpoint makes a run whose log has the event "a", then a
// checkpoint, then the event "b" (written after the checkpoint).
func runWithCheckpoint(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	d, err := Create(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.Event(map[string]any{"event": "a"})
	if err := d.SaveCheckpoint("checkpoint.safetensors", ckpt.NewWriter()); err != nil {
		t.Fatal(err)
	}
	d.Event(map[string]any{"event": "b"})
	d.Close()
	return dir
}

// TestNegativeLineCountKeepsTheLog: a checkpoint whose line count is
// negative (a damaged file) is refused, and the log stays whole (keeping
// "-1 lines" emptied it at the next record).
func TestNegativeLineCountKeepsTheLog(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, MetricsFile), []byte("{\"event\":\"a\"}\n"), 0o644)
	w := ckpt.NewWriter()
	w.Int(metricsLines, -1)
	if err := atomicfile.WriteHook(filepath.Join(dir, "checkpoint.safetensors"), w.Encode, nil); err != nil {
		t.Fatal(err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.OpenCheckpoint("checkpoint.safetensors"); err == nil || !strings.Contains(err.Error(), "want at least 0") {
		t.Fatalf("OpenCheckpoint: %v, want a refusal", err)
	}
	r.Event(map[string]any{"event": "b"})
	r.Close()
	if b, _ := os.ReadFile(filepath.Join(dir, MetricsFile)); string(b) != "{\"event\":\"a\"}\n" {
		t.Errorf("log after the refusal:\n%s", b)
	}
}
