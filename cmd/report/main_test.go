package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/autogan-go/autogan/cmd/internal/cli"
)

// fixture copies a run directory of internal/runreport's test data.
func fixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "internal", "runreport", "testdata", name)
	dst := filepath.Join(t.TempDir(), name)
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func TestWritesThePageIntoTheRun(t *testing.T) {
	dir := fixture(t, "search")
	var out bytes.Buffer
	if err := run(context.Background(), []string{dir}, &out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("Architecture search")) || !strings.Contains(out.String(), "wrote "+filepath.Join(dir, "report.html")) {
		t.Errorf("output %q", out.String())
	}
}

func TestComparesRunsIntoOut(t *testing.T) {
	a, b := fixture(t, "search"), fixture(t, "train")
	page := filepath.Join(t.TempDir(), "cmp.html")
	// Flags after the run directories are read too.
	if err := run(context.Background(), []string{a, b, "-out", page, "-grids", "2"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(got, []byte("Comparing 2 runs")) {
		t.Error("not a comparison page")
	}
}

// TestErrors: the mistakes of the command line are usage errors, a run
// directory that does not exist, an -addr that is not host:port and an
// -out in a missing folder among them (they exited 1, -out's after the
// page was made), and a -poll under 1ms (it became 2s silently); a
// directory that is not a run's is an error of its own.
func TestErrors(t *testing.T) {
	run1 := fixture(t, "search")
	page := filepath.Join(t.TempDir(), "missing", "r.html")
	for _, c := range []struct {
		args  []string
		usage bool
		want  string
	}{
		{nil, true, "give a run directory"},
		{[]string{"-nosuchflag", "x"}, true, "nosuchflag"},
		{[]string{"-grids", "0", "x"}, true, "-grids"},
		{[]string{filepath.Join(t.TempDir(), "missing")}, true, "does not exist"},
		{[]string{"-serve", filepath.Join(t.TempDir(), "missing")}, true, "does not exist"},
		{[]string{"-serve", "-addr", "8080", t.TempDir()}, true, "-addr"},
		{[]string{"-out", page, run1}, true, "-out " + page},
		{[]string{"-poll", "0s", run1}, true, "-poll"},
		// (with a bad -addr, so that a -poll accepted would not serve)
		{[]string{"-serve", "-addr", "8080", "-poll", "-1s", run1}, true, "-poll"},
		{[]string{"-serve", "-addr", "8080", "-poll", "500us", run1}, true, "-poll"},
		{[]string{t.TempDir()}, false, "not a run directory"},
	} {
		err := run(context.Background(), c.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, cli.ErrUsage) != c.usage {
			t.Errorf("%q: error %v, want %q (usage error %v)", c.args, err, c.want, c.usage)
		}
	}
}

func TestServesLive(t *testing.T) {
	dir := fixture(t, "train")
	// A free port on the loopback interface.
	ln, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out syncBuffer
	go func() { done <- run(ctx, []string{"-serve", "-addr", addr, dir}, &out) }()
	var resp *http.Response
	for i := 0; i < 100; i++ {
		if resp, err = http.Get("http://" + addr + "/"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte(`data-live="2000"`)) {
		t.Error("the served page is not live")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("after Ctrl-C: %v", err)
	}
	if !strings.Contains(out.String(), "serving "+dir+" at http://localhost:") {
		t.Errorf("output %q", out.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
