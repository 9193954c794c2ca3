package nas

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cifar"
	"github.com/autogan-go/autogan/inception/classifier"
)

// TestResumeRefusesADamagedCursor: a search checkpoint whose cursor has a
// stage or phase out of range (a damaged file; each edit keeps the file's
// length, so only the cursor is wrong) is refused with an error naming
// the file. A stage of 9 panicked (a shift by a negative or huge amount),
// and an unknown phase ran nothing.
func TestResumeRefusesADamagedCursor(t *testing.T) {
	cfg := MustPreset("tiny")
	scorer, err := classifier.NewEmbeddedScorer()
	if err != nil {
		t.Fatal(err)
	}
	data := cifar.Shapes10(cfg.DatasetN, cfg.Seed)
	dir := t.TempDir()
	s, err := NewSearcher(cfg, newRun(t, dir), scorer, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.OnStep = func(total int) {
		if total == 5 {
			cancel()
		}
	}
	if err := s.Run(ctx); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("run: %v", err)
	}
	good, err := os.ReadFile(filepath.Join(dir, checkpointFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, edit := range []struct{ field, bad string }{{`"stage":`, "9"}, {`"phase":`, "9"}} {
		i := bytes.Index(good, []byte(edit.field))
		if i < 0 {
			t.Fatalf("no %s in the checkpoint", edit.field)
		}
		damaged := bytes.Clone(good)
		damaged[i+len(edit.field)] = edit.bad[0]
		if err := os.WriteFile(filepath.Join(dir, checkpointFile), damaged, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Resume(openRun(t, dir), scorer, data, nil)
		if err == nil || !strings.Contains(err.Error(), "cursor is damaged") || !strings.Contains(err.Error(), checkpointFile) {
			t.Errorf("%s9: Resume gave %v, want a damaged cursor named", edit.field, err)
		}
	}
}
