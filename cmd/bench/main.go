// Command bench times the project's workloads, one by one, under the names
// of ../shared/bench/anchor_torch.py so that the two can be compared:
//
//	go run ./cmd/bench                         # readable table, all workloads
//	go run ./cmd/bench -json -threads 2 -only gemm/ -reps 5
//
// With -json it prints one JSON object per workload with "name", "ms" (the
// median of -reps timed runs after two warm-up runs), "threads" and, where
// the work is known, "gflops". ../shared/bench/compare runs it beside PyTorch.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/gemm"
)

// workload is one timed operation. setup builds its inputs (untimed) and
// returns the function to time.
type workload struct {
	name  string
	flops float64 // floating-point operations per run, 0 when not meaningful
	setup func() func()
}

// result is one line of -json output.
type result struct {
	Name    string  `json:"name"`
	MS      float64 `json:"ms"`
	Threads int     `json:"threads"`
	GFLOPS  float64 `json:"gflops,omitempty"`
}

func main() {
	cli.Exit("bench", run(os.Args[1:], os.Stdout))
}

// options are the command line of bench.
type options struct {
	asJSON, list     bool
	threads, reps    int
	only, cpuProfile string
}

// flags defines the command line of bench.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("bench [flags]",
		"Times the project's workloads one by one: GEMM, convolutions, GAN steps, Inception-v3.")
	var o options
	fs.Group("Workloads")
	fs.StringVar(&o.only, "only", "", "run only the workloads whose name contains this")
	fs.BoolVar(&o.list, "list", false, "list the workload names and exit")
	fs.IntVar(&o.reps, "reps", 5, "timed runs per workload (the median is reported)")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines (sets GOMAXPROCS)")
	fs.Group("Output")
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object per workload")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the timed runs to this file")
	return fs, &o
}

func run(args []string, stdout io.Writer) error {
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.reps < 1 {
		return cli.Usagef("-reps must be at least 1")
	}
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}
	var selected []workload
	for _, w := range workloads() {
		if strings.Contains(w.name, o.only) {
			selected = append(selected, w)
		}
	}
	if o.list {
		for _, w := range selected {
			fmt.Fprintln(stdout, w.name)
		}
		return nil
	}
	if len(selected) == 0 {
		return cli.Usagef("no workload matches -only %q (see -list)", o.only)
	}
	if !o.asJSON {
		fmt.Fprintf(stdout, "threads=%d gemm kernel=%s\n", o.threads, gemm.Active().Name)
		fmt.Fprintf(stdout, "%-44s %10s %10s\n", "workload", "ms", "GFLOP/s")
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, w := range selected {
		f := w.setup()
		ms := median(timeRuns(f, o.reps))
		r := result{Name: w.name, MS: round3(ms), Threads: o.threads}
		if w.flops > 0 {
			r.GFLOPS = round3(w.flops / (ms / 1e3) / 1e9)
		}
		if o.asJSON {
			b, _ := json.Marshal(r)
			fmt.Fprintln(stdout, string(b))
		} else {
			fmt.Fprintf(stdout, "%-44s %10.3f %10.2f\n", r.Name, r.MS, r.GFLOPS)
		}
	}
	return nil
}

// timeRuns runs f twice to warm up, then reps times, returning milliseconds.
func timeRuns(f func(), reps int) []float64 {
	f()
	f()
	ts := make([]float64, reps)
	for i := range ts {
		start := time.Now()
		f()
		ts[i] = float64(time.Since(start).Nanoseconds()) / 1e6
	}
	return ts
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// workloads lists every workload, in the order of anchor_torch.py.
func workloads() []workload {
	var ws []workload
	ws = append(ws, gemmWorkloads()...)
	ws = append(ws, convWorkloads()...)
	ws = append(ws, ganWorkloads()...)
	ws = append(ws, inceptionWorkloads()...)
	return ws
}
