package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
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

// visible returns what a terminal shows of live output: the text after
// the last "\r".
func visible(s string) string { return s[strings.LastIndex(s, "\r")+1:] }

// TestLiveLineIsCutToTheTerminalWidth: on a 40-column terminal, a long
// line is cut to 39 runes ending with "…" (so the cursor never wraps), a
// shorter line that follows is padded to cover it, by runes not bytes, and
// Log lines stay whole.
func TestLiveLineIsCutToTheTerminalWidth(t *testing.T) {
	var b bytes.Buffer
	r := New(&b, true, 0)
	r.width = func() int { return 40 }
	r.Start("top-5 of 10 candidates", 10, "candidates")
	note := "IS 1.530 1 1 0 0 2 1 0 1 1 0 0 2 1 1 … 32×32 ≥ 0.5"
	r.Update(3, note)
	v := visible(b.String())
	if n := utf8.RuneCountInString(v); n != 39 || !strings.HasSuffix(v, "…") || !strings.HasPrefix(v, "top-5 of 10 candidates 3/10") {
		t.Fatalf("cut line %q has %d runes, want 39 ending with …", v, n)
	}
	r.Update(4, "×") // "top-5 of 10 candidates 4/10 candidates  ×" is 41 runes
	v = visible(b.String())
	if n := utf8.RuneCountInString(v); n != 39 || v != "top-5 of 10 candidates 4/10 candidates…" {
		t.Fatalf("second line %q has %d runes", v, n)
	}

	b.Reset()
	r.Start("a×b", 10, "steps")
	r.Update(1, "…×…×…×…×") // 24 runes, 37 bytes: not cut
	if v := visible(b.String()); v != "a×b 1/10 steps  …×…×…×…×" {
		t.Fatalf("uncut line %q", v)
	}
	r.Update(2, "×") // 17 runes: padded with 7 spaces to cover the 24
	v = visible(b.String())
	if want := "a×b 2/10 steps  ×" + strings.Repeat(" ", 7); v != want {
		t.Fatalf("padded line %q, want %q", v, want)
	}
	long := strings.Repeat("log × line ", 10)
	r.Log("%s", long)
	if !strings.Contains(b.String(), "\n"+long+"\n") {
		t.Fatalf("Log line was cut: %q", b.String())
	}
}

// TestPlainLinesAreNotCut: output to a file or a pipe gets the whole line
// whatever the width.
func TestPlainLinesAreNotCut(t *testing.T) {
	var b bytes.Buffer
	r := New(&b, false, 0)
	r.width = func() int { return 40 }
	r.Start("top-5 of 10 candidates", 10, "candidates")
	note := "IS 1.530 1 1 0 0 2 1 0 1 1 0 0 2 1 1 … 32×32 ≥ 0.5"
	r.Update(3, note)
	if want := "top-5 of 10 candidates 3/10 candidates  " + note + "\n"; b.String() != want {
		t.Fatalf("got %q, want %q", b.String(), want)
	}
}

// TestWidthFallsBackToColumns: a file that is not a terminal has the
// width $COLUMNS, or 80 when that is not a positive number.
func TestWidthFallsBackToColumns(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cols, want := range map[string]int{"50": 50, "": 80, "0": 80, "-3": 80, "wide": 80} {
		t.Setenv("COLUMNS", cols)
		if got := New(f, true, 0).width(); got != want {
			t.Errorf("COLUMNS=%q: width %d, want %d", cols, got, want)
		}
		if got := New(&bytes.Buffer{}, true, 0).width(); got != want {
			t.Errorf("COLUMNS=%q, not a file: width %d, want %d", cols, got, want)
		}
	}
}
