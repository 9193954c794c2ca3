package runreport

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func state(t *testing.T, url string) string {
	t.Helper()
	code, body := get(t, url+"/state")
	var s struct{ Version string }
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil || s.Version == "" {
		t.Fatalf("/state: %d %q", code, body)
	}
	return s.Version
}

// recordsShown reads the number of records from the page's progress.
func recordsShown(t *testing.T, page string) string {
	t.Helper()
	const key = `<div class="k">records</div><div class="v">`
	i := strings.Index(page, key)
	if i < 0 {
		t.Fatal("no record count on the page")
	}
	rest := page[i+len(key):]
	return rest[:strings.IndexByte(rest, '<')]
}

// The page to save does not poll, even when the options given to the
// server ask for a live page.
func TestServerReportIsNotLive(t *testing.T) {
	r := mustOpen(t, copyDir(t, "testdata/search"))
	ts := httptest.NewServer(NewServer([]*Run{r}, Options{Live: true}))
	defer ts.Close()
	if _, page := get(t, ts.URL+"/report.html"); strings.Contains(page, `data-live="`) {
		t.Error("/report.html polls")
	}
	if _, page := get(t, ts.URL+"/"); !strings.Contains(page, `data-live="`) {
		t.Error("/ does not poll")
	}
}

func TestServerFollowsTheRun(t *testing.T) {
	dir := copyDir(t, "testdata/search")
	metrics := filepath.Join(dir, "metrics.jsonl")
	full, err := os.ReadFile(metrics)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(full), "\n")
	os.WriteFile(metrics, []byte(strings.Join(lines[:10], "")), 0o644)
	os.Remove(filepath.Join(dir, "result.json"))

	r, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer([]*Run{r}, Options{PollInterval: time.Second})
	s.MinRefresh, s.BuildShare = 0, 0
	ts := httptest.NewServer(s)
	defer ts.Close()

	code, page := get(t, ts.URL+"/")
	if code != 200 || !strings.Contains(page, `data-live="1000"`) || recordsShown(t, page) != "10" {
		t.Fatalf("first page: %d, live %v, records %s", code, strings.Contains(page, "data-live"), recordsShown(t, page))
	}
	if !strings.Contains(page, "not finished") {
		t.Error("a run without its result is shown finished")
	}
	v1 := state(t, ts.URL)
	if v := state(t, ts.URL); v != v1 {
		t.Error("the version changed without a change of the run")
	}
	if !strings.Contains(page, `data-version="`+v1+`"`) {
		t.Error("the page does not carry the version /state reports")
	}

	// The run writes on.
	appendFile(t, metrics, strings.Join(lines[10:30], ""))
	v2 := state(t, ts.URL)
	if v2 == v1 {
		t.Fatal("the version did not change as metrics.jsonl grew")
	}
	if _, page = get(t, ts.URL+"/"); recordsShown(t, page) != "30" {
		t.Errorf("after growth: %s records, want 30", recordsShown(t, page))
	}

	// Interrupted and resumed: the file is cut back to 20 records, and
	// written on with other values to 25.
	os.Truncate(metrics, int64(len(strings.Join(lines[:20], ""))))
	appendFile(t, metrics, strings.ReplaceAll(strings.Join(lines[20:25], ""), `"iter":`, `"time":1,"iter":`))
	v3 := state(t, ts.URL)
	if v3 == v2 {
		t.Fatal("the version did not change after the rewrite")
	}
	if _, page = get(t, ts.URL+"/"); recordsShown(t, page) != "25" {
		t.Errorf("after a resume rewrote the file shorter: %s records, want 25", recordsShown(t, page))
	}

	// The static copy does not poll; other paths and methods are refused.
	if _, page = get(t, ts.URL+"/report.html"); strings.Contains(page, `data-live="`) {
		t.Error("/report.html is live")
	}
	if code, _ := get(t, ts.URL+"/nothing"); code != http.StatusNotFound {
		t.Errorf("/nothing: %d", code)
	}
	resp, err := http.Post(ts.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}

	// A run directory that disappears is an error, not a crash.
	os.RemoveAll(dir)
	if code, _ := get(t, ts.URL+"/state"); code != http.StatusServiceUnavailable {
		t.Errorf("after the run directory was removed: %d", code)
	}
}

func TestServerWaitsForARunToStart(t *testing.T) {
	dir := t.TempDir()
	r, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer([]*Run{r}, Options{})
	s.MinRefresh, s.BuildShare = 0, 0
	ts := httptest.NewServer(s)
	defer ts.Close()
	if _, page := get(t, ts.URL+"/"); !strings.Contains(page, "Nothing to show yet") {
		t.Error("empty run")
	}
	v := state(t, ts.URL)
	// The search starts: config and first records.
	src := "testdata/search"
	for _, f := range []string{"config.json", "metrics.jsonl"} {
		b, _ := os.ReadFile(filepath.Join(src, f))
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	if state(t, ts.URL) == v {
		t.Fatal("no change after the run started")
	}
	if _, page := get(t, ts.URL+"/"); !strings.Contains(page, "Architecture search") {
		t.Error("the page did not become a search page")
	}
}

func TestServerBoundsItsBuildTime(t *testing.T) {
	dir := copyDir(t, "testdata/search")
	metrics := filepath.Join(dir, "metrics.jsonl")
	r, err := Watch(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer([]*Run{r}, Options{})
	s.MinRefresh = 0
	s.BuildShare = 1e-6 // the next build waits a million times the last one's duration
	ts := httptest.NewServer(s)
	defer ts.Close()
	_, first := get(t, ts.URL+"/")
	v := state(t, ts.URL)
	appendFile(t, metrics, sharedLine(3, 0))
	// Changed, but too soon: the same page and version.
	if state(t, ts.URL) != v {
		t.Error("rebuilt although the build share forbids it")
	}
	if _, page := get(t, ts.URL+"/"); page != first {
		t.Error("the page changed although the build share forbids it")
	}
	// The static page is always current.
	if _, page := get(t, ts.URL+"/report.html"); recordsShown(t, page) != "40" {
		t.Errorf("static page shows %s records, want 40", recordsShown(t, page))
	}
	s.mu.Lock()
	s.BuildShare = 0
	s.mu.Unlock()
	if state(t, ts.URL) == v {
		t.Error("not rebuilt once allowed")
	}
}
