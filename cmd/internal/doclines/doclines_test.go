package doclines

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree writes files (path -> content) under a temporary root.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, content := range files {
		p = filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// A small repository with every form the documentation uses.
var tree = map[string]string{
	"cmd/run/main.go": "// Command run.\n//\n//\tgo run ./cmd/run -a 1 \\\n//\t    -b 2   # comment\n//\tgo run ./cmd/run merge [-save F] p*.x\npackage main\n",
	"README.md": "Text with `go run ./cmd/run -n N\n-seed S` in prose and `-x` alone.\n\n" +
		"```sh\ngo run ./cmd/run -c 'a b' \"-d\" x \\\n    -e ... # trailing\nbin/run -f > out.txt 2>&1 && $BIN/run -g | tee log\n/usr/bin/python3 -h\n```\n\n" +
		"```go\ngo run ./cmd/run -not-shell\n```\n\n" +
		"```sh\nOUT=o SHARDS=2 deploy/slurm/submit.sh o 2 \"-k 1 -l 2\"\nRUN=r sbatch deploy/slurm/job.sbatch\n```\n",
	"deploy/slurm/job.sbatch": "#!/bin/bash\n# A job:\n#\n#   RUN=x sbatch deploy/slurm/job.sbatch\n#SBATCH --time=1\n" +
		": \"${AUTOGAN_BIN:=./bin}\"\n: \"${RUN:=runs/default}\"\n: \"${JOB_ARGS:=-preset paper -m 3}\"\n" +
		"if [ -f \"$RUN/ck\" ]; then\n    args=(-resume \"$RUN\")\nelse\n    args=(-run \"$RUN\" $JOB_ARGS)\nfi\n" +
		"srun --ntasks=1 \"$AUTOGAN_BIN/run\" \"${args[@]}\" -threads \"${SLURM_CPUS_PER_TASK:-1}\"\n",
	"deploy/slurm/submit.sh": "#!/bin/bash\n# Usage:\n#   deploy/slurm/submit.sh OUT SHARDS ARGS [MORE_ARGS]\n" +
		"here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\nexport OUT=\"$1\" SHARDS=\"$2\" ARGS=\"$3\"\n[ $# -ge 4 ] && export MORE=\"$4\"\n" +
		"array=$(sbatch --parsable ${SBATCH_OPTS:-} --array=\"0-$((SHARDS - 1))\" \"$here/shard.sbatch\")\n" +
		"sbatch --wrap=\"\\\"${AUTOGAN_BIN:-./bin}/run\\\" report \\\"$OUT\\\"\"\n",
	"deploy/slurm/shard.sbatch": ": \"${ARGS:?set ARGS}\"\n: \"${COMMAND:=run}\"\n\"./bin/$COMMAND\" $ARGS -o \"$OUT/part.x\"\n",
	"deploy/k8s/job.yaml": "spec:\n  containers:\n    - name: a\n      command: [\"/app/bin/run\"]\n      args:\n        - -p=1\n        - -q=$(INDEX)\n" +
		"    - name: b\n      command: [\"/bin/sh\", \"-c\"]\n      args:\n        - /app/bin/run merge -r 1\n          /data/p-*.x\n",
}

func TestFind(t *testing.T) {
	lines, err := Find(writeTree(t, tree))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lines {
		s := fmt.Sprintf("%s %q", l.Where, append([]string{l.Command}, l.Args...))
		if l.Sketch {
			s += " sketch"
		}
		got = append(got, s)
	}
	want := []string{
		`README.md:1 ["run" "-n" "N" "-seed" "S"] sketch`,
		`README.md:5 ["run" "-c" "a b" "-d" "x" "-e" "..."]`,
		`README.md:7 ["run" "-f"]`,
		`README.md:7 ["run" "-g"]`,
		// submit.sh binds ARGS from its third argument; shard.sbatch uses it.
		`README.md:16 → deploy/slurm/submit.sh:7 → deploy/slurm/shard.sbatch:3 ["run" "-k" "1" "-l" "2" "-o" "o/part.x"]`,
		`README.md:16 → deploy/slurm/submit.sh:8 ["run" "report" "o"]`,
		// Both branches of the if, with the variables' defaults.
		`README.md:17 → deploy/slurm/job.sbatch:14 ["run" "-resume" "r" "-threads" "1"]`,
		`README.md:17 → deploy/slurm/job.sbatch:14 ["run" "-run" "r" "-preset" "paper" "-m" "3" "-threads" "1"]`,
		`deploy/k8s/job.yaml:5 ["run" "-p=1" "-q=$(INDEX)"]`,
		`deploy/k8s/job.yaml:10 ["run" "merge" "-r" "1" "/data/p-*.x"]`,
		`deploy/slurm/job.sbatch:4 → deploy/slurm/job.sbatch:14 ["run" "-resume" "x" "-threads" "1"]`,
		`deploy/slurm/job.sbatch:4 → deploy/slurm/job.sbatch:14 ["run" "-run" "x" "-preset" "paper" "-m" "3" "-threads" "1"]`,
		`deploy/slurm/job.sbatch:14 ["run" "-resume" "runs/default" "-threads" "1"]`,
		`deploy/slurm/job.sbatch:14 ["run" "-run" "runs/default" "-preset" "paper" "-m" "3" "-threads" "1"]`,
		`deploy/slurm/shard.sbatch:3 ["run" "-o" "$OUT/part.x"]`,
		`deploy/slurm/submit.sh:7 → deploy/slurm/shard.sbatch:3 ["run" "-o" "$OUT/part.x"]`,
		`deploy/slurm/submit.sh:8 ["run" "report" "$OUT"]`,
		`cmd/run/main.go:3 ["run" "-a" "1" "-b" "2"]`,
		`cmd/run/main.go:5 ["run" "merge" "-save" "F" "p*.x"]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// flagSet adapts a flag.FlagSet to FlagSet.
type flagSet struct{ *flag.FlagSet }

func runFlags(args []string) (FlagSet, []string) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	fs.Bool("f", false, "")
	fs.Bool("g", false, "")
	for _, name := range []string{"a", "b", "c", "d", "e", "n", "seed", "run", "resume", "preset", "m", "k", "l", "o", "p", "q", "shard", "threads"} {
		fs.String(name, "", "")
	}
	if len(args) > 0 && (args[0] == "merge" || args[0] == "report") {
		fs = flag.NewFlagSet("run "+args[0], flag.ContinueOnError)
		fs.SetOutput(new(strings.Builder))
		fs.String("save", "", "")
		fs.Int("r", 0, "")
		return flagSet{fs}, args[1:]
	}
	return flagSet{fs}, args
}

// recorder is a testing.TB that keeps the errors a check reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}
func (r *recorder) Fatal(a ...any) { r.TB.Fatal(a...) }

// TestCheckReportsMisspelling: a documented flag the command does not
// define fails the check, with the file and line; a sketch's placeholder
// values do not.
func TestCheckReportsMisspelling(t *testing.T) {
	files := maps.Clone(tree)
	root := writeTree(t, files)
	r := &recorder{TB: t}
	if lines := Check(r, root, "run", runFlags); len(lines) != 19 || len(r.errs) != 0 {
		t.Fatalf("%d lines, errors %q", len(lines), r.errs)
	}
	files["README.md"] = strings.Replace(files["README.md"], "bin/run -f", "bin/run -ff", 1)
	files["deploy/slurm/job.sbatch"] = strings.Replace(files["deploy/slurm/job.sbatch"], "-m 3", "-m x3 -mm", 1)
	root = writeTree(t, files)
	r = &recorder{TB: t}
	Check(r, root, "run", runFlags)
	want := []string{
		"README.md:7: run -ff\n\tflag provided but not defined: -ff",
		"README.md:17 → deploy/slurm/job.sbatch:14: run -run r -preset paper -m x3 -mm -threads 1\n\tflag provided but not defined: -mm",
	}
	if len(r.errs) < 2 || r.errs[0] != want[0] || r.errs[1] != want[1] {
		t.Errorf("errors\n%s\nwant first\n%s", strings.Join(r.errs, "\n"), strings.Join(want, "\n"))
	}
	r = &recorder{TB: t}
	Check(r, root, "nothing", runFlags)
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "no documented command line runs nothing") {
		t.Errorf("a command without documented lines: %q", r.errs)
	}
}

func TestSubstitute(t *testing.T) {
	got := Substitute([]string{"-n", "10000", "-real_n=5", "-json"}, map[string]string{"n": "200", "real_n": "7", "limit": "3"})
	want := []string{"-n", "200", "-real_n=7", "-json", "-limit", "3"}
	if !slices.Equal(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}

// TestRepository: the documentation of this repository names only
// commands that exist, reaches the templates' defaults, and every command
// it shows has a test that checks its lines (cmd/X calls Check).
func TestRepository(t *testing.T) {
	const root = "../../.."
	lines, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	commands := Commands(root)
	shown := map[string]bool{}
	reached := map[string]bool{}
	for _, l := range lines {
		if !slices.Contains(commands, l.Command) {
			t.Errorf("%s: no command %s in cmd/", l, l.Command)
		}
		shown[l.Command] = true
		file, _, _ := strings.Cut(l.Where[strings.LastIndex(l.Where, " ")+1:], ":")
		reached[file] = true
	}
	for _, f := range []string{"README.md", "docs/cluster.md", "deploy/slurm/search.sbatch", "deploy/slurm/train-topk.sbatch",
		"deploy/slurm/eval-shards.sbatch", "deploy/slurm/eval-merge.sbatch", "deploy/slurm/submit-train.sh",
		"deploy/k8s/eval-indexed-job.yaml", "deploy/k8s/eval-merge-job.yaml", "cmd/search/main.go"} {
		if !reached[f] {
			t.Errorf("no command line found in %s", f)
		}
	}
	for _, c := range commands {
		if !shown[c] {
			continue
		}
		tests, _ := filepath.Glob(filepath.Join(root, "cmd", c, "*_test.go"))
		checked := false
		for _, p := range tests {
			b, _ := os.ReadFile(p)
			checked = checked || strings.Contains(string(b), "doclines.Check(t, \"../..\", \""+c+"\"")
		}
		if !checked {
			t.Errorf("cmd/%s has documented command lines but no test calls doclines.Check for it", c)
		}
	}
}
