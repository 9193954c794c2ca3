package runreport

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sharedLine(iter, step int) string {
	return fmt.Sprintf(`{"event":"shared","iter":%d,"step":%d,"d_loss":1.5,"g_loss":0.5,"d_var":0.1,"g_var":0.2}`+"\n", iter, step)
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func mustUpdate(t *testing.T, tl *tail) bool {
	t.Helper()
	changed, err := tl.update()
	if err != nil {
		t.Fatal(err)
	}
	return changed
}

func TestTailFollowsAGrowingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "metrics.jsonl")
	tl := newTail(path)
	if mustUpdate(t, tl) || tl.exists {
		t.Fatal("a missing file changed something")
	}
	appendFile(t, path, sharedLine(0, 0)+sharedLine(0, 1))
	if !mustUpdate(t, tl) || len(tl.m.shared.step) != 2 {
		t.Fatalf("read %d records, want 2", len(tl.m.shared.step))
	}
	if mustUpdate(t, tl) {
		t.Error("an unchanged file reports a change")
	}
	// A torn line: left for the next update, and noted.
	full := sharedLine(0, 2)
	appendFile(t, path, full[:20])
	mustUpdate(t, tl)
	if len(tl.m.shared.step) != 2 || !tl.torn {
		t.Fatalf("after a torn line: %d records, torn %v", len(tl.m.shared.step), tl.torn)
	}
	appendFile(t, path, full[20:])
	mustUpdate(t, tl)
	if len(tl.m.shared.step) != 3 || tl.torn || tl.m.bad != 0 {
		t.Fatalf("after completing the line: %d records, torn %v, bad %d", len(tl.m.shared.step), tl.torn, tl.m.bad)
	}
}

func TestTailRereadsARewrittenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "metrics.jsonl")
	var all strings.Builder
	for s := 0; s < 10; s++ {
		all.WriteString(sharedLine(0, s))
	}
	if err := os.WriteFile(path, []byte(all.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	tl := newTail(path)
	mustUpdate(t, tl)
	if len(tl.m.shared.step) != 10 {
		t.Fatalf("%d records", len(tl.m.shared.step))
	}

	// A resume truncates the file in place to its checkpoint's records.
	if err := os.Truncate(path, int64(len(sharedLine(0, 0))*4)); err != nil {
		t.Fatal(err)
	}
	if !mustUpdate(t, tl) || len(tl.m.shared.step) != 4 || tl.restarts != 1 {
		t.Fatalf("after truncation: %d records, %d restarts; want 4, 1", len(tl.m.shared.step), tl.restarts)
	}
	// ... and writes on: even when the file grows past the old length
	// before the next update, the changed bytes are noticed.
	for s := 4; s < 12; s++ {
		appendFile(t, path, sharedLine(1, s))
	}
	mustUpdate(t, tl)
	if len(tl.m.shared.step) != 12 || tl.m.shared.iter[4] != 1 {
		t.Fatalf("after the resumed run wrote on: %d records, iter[4] = %v", len(tl.m.shared.step), tl.m.shared.iter[4])
	}
	// Truncated and rewritten to more than was read: the guard bytes
	// before the read position differ.
	var other strings.Builder
	for s := 0; s < 14; s++ {
		other.WriteString(sharedLine(2, s))
	}
	if err := os.WriteFile(path, []byte(other.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	mustUpdate(t, tl)
	if len(tl.m.shared.step) != 14 || tl.m.shared.iter[0] != 2 {
		t.Fatalf("after a rewrite: %d records, iter[0] = %v", len(tl.m.shared.step), tl.m.shared.iter[0])
	}
	// A removed file empties the run.
	os.Remove(path)
	if !mustUpdate(t, tl) || len(tl.m.shared.step) != 0 {
		t.Fatalf("after removal: %d records", len(tl.m.shared.step))
	}
}

func TestTailSkipsBadLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "metrics.jsonl")
	long := `{"event":"x","pad":"` + strings.Repeat("a", maxLine) + `"}`
	content := sharedLine(0, 0) + "not json\n\n" + `{"iter":1}` + "\n" + `{"event":"mystery","a":1}` + "\n" + long + "\n" + sharedLine(0, 1)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	tl := newTail(path)
	mustUpdate(t, tl)
	m := tl.m
	if len(m.shared.step) != 2 || m.bad != 2 || m.noEvent != 1 || m.unknown["mystery"] != 1 {
		t.Fatalf("records %d, bad %d, without event %d, unknown %v", len(m.shared.step), m.bad, m.noEvent, m.unknown)
	}
	notes := strings.Join(m.notes(), "\n")
	for _, want := range []string{"2 of 6 lines", "line 2:", "longer than", `"mystery" ×1`, "without an \"event\""} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}
