// Command bench times the project's workloads, one by one, and compares them
// with PyTorch running the same workloads on the same machine:
//
//	go run ./cmd/bench                         # readable table, all workloads
//	go run ./cmd/bench -json -threads 2 -only gemm/ -reps 5
//	go run ./cmd/bench -compare -threads 1 -only conv/          # beside PyTorch
//	go run ./cmd/bench -compare -isa avx2 -threads 2            # as on an AVX2-only CPU
//
// With -json it prints one JSON object per workload with "name", "ms" (the
// median of -reps timed runs after two warm-up runs), "cpu_ms" (the median
// CPU time of the same runs), "threads" and, where the work is known,
// "gflops".
//
// With -compare it runs, for each workload and for -rounds rounds, itself
// with -json and torch_twin.py (this folder's PyTorch twin of every
// workload, embedded in the binary) with /usr/bin/python3, alternating
// which goes first, and prints the medians of both sides and their ratio
// torch/go (above 1: this project is faster), in wall time and in CPU time,
// and the geometric mean of the ratios. -isa avx2 runs both sides as an
// AVX2-only CPU would, also on a machine with AVX-512: this project with
// AUTOGAN_GEMM_KERNEL=avx2, PyTorch with ATEN_CPU_CAPABILITY=avx2,
// DNNL_MAX_CPU_ISA=AVX2 and OPENBLAS_CORETYPE=Haswell; such figures are
// an emulation and should be labelled so. The twin needs Debian's
// python3-torch and python3-torchvision.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/buffer"
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
	CPUMS   float64 `json:"cpu_ms,omitempty"`
	Threads int     `json:"threads"`
	GFLOPS  float64 `json:"gflops,omitempty"`
}

func main() {
	cli.Exit("bench", run(os.Args[1:], os.Stdout))
}

// options are the command line of bench.
type options struct {
	asJSON, list, compare bool
	threads, reps, rounds int
	only, name            string
	cpuProfile            string
	isa, python           string
}

// flags defines the command line of bench.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("bench [flags]",
		"Times the project's workloads one by one: GEMM, convolutions, GAN steps, Inception-v3.")
	var o options
	fs.Group("Workloads")
	fs.StringVar(&o.only, "only", "", "run only the workloads whose name contains this")
	fs.StringVar(&o.name, "name", "", "run only the workload of exactly this name")
	fs.BoolVar(&o.list, "list", false, "list the workload names and exit")
	fs.IntVar(&o.reps, "reps", 5, "timed runs per workload (the median is reported)")
	fs.IntVar(&o.threads, "threads", runtime.GOMAXPROCS(0), "worker goroutines (sets GOMAXPROCS)")
	fs.Group("Output")
	fs.BoolVar(&o.asJSON, "json", false, "print one JSON object per workload")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the timed runs (not the set-up and warm-up) of one workload to this file")
	fs.Group("Comparison with PyTorch")
	fs.BoolVar(&o.compare, "compare", false, "run each workload beside its PyTorch twin (torch_twin.py) and print the ratios")
	fs.IntVar(&o.rounds, "rounds", 3, "with -compare: rounds of both sides, alternating which goes first (medians are reported)")
	fs.StringVar(&o.isa, "isa", "", "with -compare: avx2 runs both sides as an AVX2-only CPU would (empty: this CPU)")
	fs.StringVar(&o.python, "python", "/usr/bin/python3", "with -compare: the Python interpreter that has PyTorch")
	return fs, &o
}

func run(args []string, stdout io.Writer) error {
	fs, o := flags()
	fs.HelpOutput = stdout
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.reps < 1 || o.rounds < 1 {
		return cli.Usagef("-reps and -rounds must be at least 1")
	}
	if o.isa != "" && o.isa != "avx2" {
		return cli.Usagef("-isa %q: the only emulated instruction set is avx2", o.isa)
	}
	if err := cli.SetThreads(o.threads); err != nil {
		return err
	}
	var selected []workload
	for _, w := range workloads() {
		if strings.Contains(w.name, o.only) && (o.name == "" || w.name == o.name) {
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
		return cli.Usagef("no workload matches -only %q -name %q (see -list)", o.only, o.name)
	}
	if o.compare {
		return runCompare(compareOptions{threads: o.threads, reps: o.reps, rounds: o.rounds, isa: o.isa, python: o.python}, selected, stdout)
	}
	if !o.asJSON {
		fmt.Fprintf(stdout, "threads=%d gemm kernel=%s\n", o.threads, gemm.Active().Name)
		fmt.Fprintf(stdout, "%-44s %10s %10s\n", "workload", "ms", "GFLOP/s")
	}
	var profile *os.File
	if o.cpuProfile != "" {
		if len(selected) > 1 {
			return cli.Usagef("-cpuprofile profiles one workload; %d match (choose one with -name, see -list)", len(selected))
		}
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return cli.Usagef("-cpuprofile: %v", err)
		}
		defer f.Close()
		profile = f
	}
	for i, w := range selected {
		if i > 0 {
			// Each workload starts from the memory state of a fresh
			// process: the buffer cache of the one before (gigabytes
			// after a derived-width step) is let go and returned to the
			// system, so a sequence times like isolated runs.
			buffer.Release()
			debug.FreeOSMemory()
		}
		f := w.setup()
		wall, cpu, err := timeRuns(f, o.reps, profile)
		if err != nil {
			return err
		}
		ms := median(wall)
		r := result{Name: w.name, MS: round3(ms), CPUMS: round3(median(cpu)), Threads: o.threads}
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

// timeRuns runs f twice to warm up, then reps times, returning the wall
// and CPU milliseconds of each timed run. With a profile file it profiles
// the timed runs only: the set-up and the warm-up runs touch fresh memory
// for the first time (page faults cost more than the arithmetic on the
// page), and that cost would land on whichever kernel first writes an
// activation, not where the steady state spends its time.
func timeRuns(f func(), reps int, profile io.Writer) (wall, cpu []float64, err error) {
	f()
	f()
	if profile != nil {
		if err := pprof.StartCPUProfile(profile); err != nil {
			return nil, nil, err
		}
		defer pprof.StopCPUProfile()
	}
	wall, cpu = make([]float64, reps), make([]float64, reps)
	for i := range wall {
		start, c0 := time.Now(), processCPU()
		f()
		cpu[i] = processCPU() - c0
		wall[i] = float64(time.Since(start).Nanoseconds()) / 1e6
	}
	return wall, cpu, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func round3(x float64) float64 { return float64(int64(float64(x*1000)+0.5)) / 1000 }

// workloads lists every workload, in the order of torch_twin.py.
func workloads() []workload {
	var ws []workload
	ws = append(ws, gemmWorkloads()...)
	ws = append(ws, convWorkloads()...)
	ws = append(ws, ganWorkloads()...)
	ws = append(ws, inceptionWorkloads()...)
	return ws
}
