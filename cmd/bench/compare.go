package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// twinScript is the PyTorch twin of the workloads (torch_twin.py), carried
// in the binary so that -compare works from any directory.
//
//go:embed torch_twin.py
var twinScript []byte

type compareOptions struct {
	threads, reps, rounds int
	isa                   string // "" or "avx2"
	python                string
}

// side is one measured side of a comparison: the command to run and its
// environment.
type side struct {
	name string
	cmd  []string
	env  []string
}

// runCompare measures every selected workload with this binary and with
// the PyTorch twin, one workload at a time, alternating which side goes
// first from round to round so that both see the same machine load, and
// prints the medians and ratios.
func runCompare(o compareOptions, selected []workload, stdout io.Writer) error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to run it: %w", err)
	}
	dir, err := os.MkdirTemp("", "autogan-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	twin := filepath.Join(dir, "torch_twin.py")
	if err := os.WriteFile(twin, twinScript, 0o644); err != nil {
		return err
	}
	goSide := side{name: "go", cmd: []string{self}, env: os.Environ()}
	torchSide := side{name: "torch", cmd: []string{o.python, twin}, env: os.Environ()}
	if o.isa == "avx2" {
		goSide.env = append(goSide.env, "AUTOGAN_GEMM_KERNEL=avx2")
		// ATen's own kernels, oneDNN (convolutions) and OpenBLAS (matrix
		// products) each have a switch that caps the instruction set.
		torchSide.env = append(torchSide.env, "ATEN_CPU_CAPABILITY=avx2", "DNNL_MAX_CPU_ISA=AVX2", "OPENBLAS_CORETYPE=Haswell")
	}
	label := fmt.Sprintf("threads=%d", o.threads)
	if o.isa != "" {
		label += ", isa=" + o.isa + " (emulated when the CPU has more)"
	}
	fmt.Fprintf(stdout, "# %s, medians of %d rounds of %d runs each\n", label, o.rounds, o.reps)
	fmt.Fprintf(stdout, "%-40s %10s %10s %8s %10s %10s %8s\n", "workload", "go_ms", "torch_ms", "speedup", "go_cpu", "torch_cpu", "cpu_x")
	var wallRatios, cpuRatios []float64
	for _, w := range selected {
		var goMS, torchMS, goCPU, torchCPU []float64
		for r := 0; r < o.rounds; r++ {
			order := []side{goSide, torchSide}
			if r%2 == 1 {
				order[0], order[1] = order[1], order[0]
			}
			for _, s := range order {
				args := append(append([]string(nil), s.cmd...), "-json", "-threads", strconv.Itoa(o.threads), "-name", w.name, "-reps", strconv.Itoa(o.reps))
				if s.name == "torch" {
					args = append(append([]string(nil), s.cmd...), "--threads", strconv.Itoa(o.threads), "--name", w.name, "--reps", strconv.Itoa(o.reps))
				}
				rec, err := runSide(args, s.env, w.name)
				if err != nil {
					return fmt.Errorf("%s side of %s: %w", s.name, w.name, err)
				}
				if s.name == "go" {
					goMS, goCPU = append(goMS, rec.MS), append(goCPU, rec.CPUMS)
				} else {
					torchMS, torchCPU = append(torchMS, rec.MS), append(torchCPU, rec.CPUMS)
				}
			}
		}
		gm, tm, gc, tc := median(goMS), median(torchMS), median(goCPU), median(torchCPU)
		wallRatios = append(wallRatios, tm/gm)
		cpuX := math.NaN()
		if gc > 0 && tc > 0 {
			cpuX = tc / gc
			cpuRatios = append(cpuRatios, cpuX)
		}
		fmt.Fprintf(stdout, "%-40s %10.1f %10.1f %8.2f %10.1f %10.1f %8.2f\n", w.name, gm, tm, tm/gm, gc, tc, cpuX)
	}
	fmt.Fprintf(stdout, "geomean speedup %.3f (wall), %.3f (cpu) over %d workloads (%s)\n",
		geomean(wallRatios), geomean(cpuRatios), len(selected), label)
	return nil
}

// runSide runs one side for one workload and returns its JSON record.
func runSide(args, env []string, name string) (result, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := stderr.String()
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return result{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(msg))
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var r result
		if err := json.Unmarshal(line, &r); err != nil {
			return result{}, fmt.Errorf("reading %q: %v", line, err)
		}
		if r.Name == name {
			return r, nil
		}
	}
	return result{}, fmt.Errorf("no result for %s in its output", name)
}

func geomean(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	var s float64
	for _, x := range xs {
		s += math.Log(x)
	}
	return math.Exp(s / float64(len(xs)))
}
