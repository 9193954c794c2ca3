package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
)

// frozenNames are the workload names, which comparisons recorded over
// time depend on: they never change.
var frozenNames = []string{
	"gemm/n256", "gemm/n512", "gemm/n1024",
	"conv/3x3_c256_s32_b16/fwd", "conv/3x3_c256_s32_b16/fwd_bwd",
	"gan/search_gf128_df64/d_step_b64", "gan/search_gf128_df64/g_step_b128",
	"gan/search_gf128_df64/g_sample_b100",
	"gan/derived_gf256_df128/d_step_b64", "gan/derived_gf256_df128/g_step_b128",
	"gan/derived_gf256_df128/g_sample_b100",
	"inception/fwd_b8_299",
}

// TestWorkloadsMatchTheTwin checks that the workloads are the frozen ones
// and that the PyTorch twin (its NAMES list) has every one of them.
func TestWorkloadsMatchTheTwin(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-list"}, &out); err != nil {
		t.Fatal(err)
	}
	names := strings.Fields(out.String())
	if !slices.Equal(names, frozenNames) {
		t.Errorf("workloads %q, want %q", names, frozenNames)
	}
	m := regexp.MustCompile(`(?s)\nNAMES = \[(.*?)\]`).FindSubmatch(twinScript)
	if m == nil {
		t.Fatal("torch_twin.py has no NAMES list")
	}
	var twin []string
	for _, q := range regexp.MustCompile(`"([^"]+)"`).FindAllSubmatch(m[1], -1) {
		twin = append(twin, string(q[1]))
	}
	if !slices.Equal(twin, frozenNames) {
		t.Errorf("torch_twin.py's workloads %q, want %q", twin, frozenNames)
	}
}

// TestJSONLines runs the smallest workload as -compare does and checks the
// line it reads.
func TestJSONLines(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-json", "-threads", "1", "-only", "gemm/n256", "-reps", "1"}, &out); err != nil {
		t.Fatal(err)
	}
	var r struct {
		Name    string  `json:"name"`
		MS      float64 `json:"ms"`
		Threads int     `json:"threads"`
		GFLOPS  float64 `json:"gflops"`
		CPUMS   float64 `json:"cpu_ms"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &r); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if r.Name != "gemm/n256" || r.MS <= 0 || r.Threads != 1 || r.GFLOPS <= 0 || r.CPUMS <= 0 {
		t.Errorf("result %+v", r)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-reps", "0"}, {"-threads", "0"}, {"-only", "nothing/like/this"}, {"-x"},
		{"-name", "gemm/n"}, {"-compare", "-isa", "sse2"}, {"-compare", "-rounds", "0"},
		// A profile that cannot be written is refused before any timing (it exited 1).
		{"-name", "gemm/n256", "-cpuprofile", filepath.Join(t.TempDir(), "missing", "cpu.prof")},
		// A profile covers the timed runs of one workload.
		{"-only", "gemm/", "-cpuprofile", filepath.Join(t.TempDir(), "cpu.prof")}} {
		if err := run(args, io.Discard); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// TestProfile profiles one workload: the file is a CPU profile whose
// samples are the timed runs.
func TestProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	if err := run([]string{"-json", "-threads", "1", "-name", "gemm/n256", "-reps", "3", "-cpuprofile", path}, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	// pprof writes gzip-compressed protocol buffers.
	if err != nil || len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile %s: %d bytes, %v; want a gzip-compressed profile", path, len(b), err)
	}
}

// TestMain lets the test binary stand in for the command: -compare runs its
// own executable for the Go side.
func TestMain(m *testing.M) {
	if os.Getenv("AUTOGAN_BENCH_TEST_AS_COMMAND") == "1" {
		cli.Exit("bench", run(os.Args[1:], os.Stdout))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestCompare runs -compare with a stand-in for the PyTorch side (the
// tests never need Python) and checks the table.
func TestCompare(t *testing.T) {
	t.Setenv("AUTOGAN_BENCH_TEST_AS_COMMAND", "1")
	fake := filepath.Join(t.TempDir(), "python")
	script := "#!/bin/sh\necho '{\"name\": \"gemm/n256\", \"ms\": 1000, \"cpu_ms\": 1000, \"threads\": 1}'\n"
	if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"-compare", "-name", "gemm/n256", "-reps", "1", "-rounds", "2", "-python", fake}, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[2], "gemm/n256") || !strings.HasPrefix(lines[3], "geomean speedup") {
		t.Fatalf("output:\n%s", out.String())
	}
	f := strings.Fields(lines[2])
	if torch, _ := strconv.ParseFloat(f[2], 64); torch != 1000 {
		t.Errorf("torch_ms %v, want the stand-in's 1000:\n%s", f[2], out.String())
	}
}
