package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
)

// anchorNames are the workloads of ../shared/bench/anchor_torch.py (its
// WORKLOADS list), which lives outside this repository; cmd/bench must
// implement every one under the same name.
var anchorNames = []string{
	"gemm/n256", "gemm/n512", "gemm/n1024",
	"conv/3x3_c256_s32_b16/fwd", "conv/3x3_c256_s32_b16/fwd_bwd",
	"gan/search_gf128_df64/d_step_b64", "gan/search_gf128_df64/g_step_b128",
	"gan/search_gf128_df64/g_sample_b100",
	"gan/derived_gf256_df128/d_step_b64", "gan/derived_gf256_df128/g_step_b128",
	"gan/derived_gf256_df128/g_sample_b100",
	"inception/fwd_b8_299",
}

func TestEveryAnchorWorkloadExists(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-list"}, &out); err != nil {
		t.Fatal(err)
	}
	names := strings.Fields(out.String())
	if !slices.Equal(names, anchorNames) {
		t.Errorf("workloads %q, want those of anchor_torch.py %q", names, anchorNames)
	}
}

// TestJSONLines runs the smallest workload as ../shared/bench/compare does
// and checks the line it reads.
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
	}
	if err := json.Unmarshal(bytes.TrimSpace(out.Bytes()), &r); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	if r.Name != "gemm/n256" || r.MS <= 0 || r.Threads != 1 || r.GFLOPS <= 0 {
		t.Errorf("result %+v", r)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-reps", "0"}, {"-threads", "0"}, {"-only", "nothing/like/this"}, {"-x"}} {
		if err := run(args, io.Discard); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}
