package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestPlainLinesAreThrottledAndShowRateAndETA(t *testing.T) {
	var b bytes.Buffer
	r := New(&b, false, time.Minute)
	clock := time.Unix(0, 0)
	r.now = func() time.Time { return clock }
	r.Start("stage 1", 100, "steps")
	clock = clock.Add(10 * time.Second)
	r.Update(10, "loss 0.5")
	clock = clock.Add(time.Second)
	r.Update(11, "") // throttled
	clock = clock.Add(2 * time.Minute)
	r.Update(100, "")
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "stage 1 10/100 steps  1.00 steps/s  ETA 1m30s  loss 0.5") {
		t.Fatalf("output:\n%s", b.String())
	}
}

func TestLiveLineIsRewritten(t *testing.T) {
	var b bytes.Buffer
	r := New(&b, true, 0)
	r.Start("eval", 10, "images")
	r.Update(5, "")
	r.Log("done half")
	if !strings.HasPrefix(b.String(), "\reval 5/10 images") || !strings.Contains(b.String(), "\ndone half\n") {
		t.Fatalf("%q", b.String())
	}
}

// TestResumedStageCountsOnlyNewSteps: a stage resumed at step 60 of 100
// shows 70/100 after 10 more steps, at the rate of those 10.
func TestResumedStageCountsOnlyNewSteps(t *testing.T) {
	var b bytes.Buffer
	r := New(&b, false, time.Minute)
	clock := time.Unix(0, 0)
	r.now = func() time.Time { return clock }
	r.StartAt("top-5 of 100 candidates", 100, 60, "candidates")
	clock = clock.Add(10 * time.Second)
	r.Update(70, "")
	if !strings.Contains(b.String(), "top-5 of 100 candidates 70/100 candidates  1.00 candidates/s  ETA 30s") {
		t.Fatalf("output:\n%s", b.String())
	}
}
