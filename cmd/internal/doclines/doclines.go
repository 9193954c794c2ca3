// Package doclines finds the command lines that the project's
// documentation shows — in README.md, docs/*.md, the Slurm and Kubernetes
// templates of deploy/ and the doc comments of the commands — so that each
// command's tests can check that every documented line still parses, and
// run the ones that can run on small data. The documentation then cannot
// drift from the code: a renamed or misspelt flag fails a test that names
// the file and line.
//
// The lines are found the way a reader would run them: code blocks and
// inline code of Markdown, with their backslash continuations; the
// example lines in the comments of the scripts; and, through a small model
// of the shell, what a script runs when a documented line submits it
// (RUN=dir sbatch deploy/slurm/search.sbatch runs search with the
// template's default SEARCH_ARGS; submit-eval.sh passes its third argument
// to eval). Go run ./cmd/X, bin/X, $AUTOGAN_BIN/X and the like all name
// command X.
package doclines

import (
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// Distinct returns the lines with different arguments, the first of each
// (documents repeat the same command line), for a test to run each once.
func Distinct(lines []Line) []Line {
	var out []Line
	seen := map[string]bool{}
	for _, l := range lines {
		if k := strings.Join(l.Args, "\x00"); !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out
}

// Line is one documented command line.
type Line struct {
	// Where the line is written, as file:line; a line run by a script
	// names the document and then the script ("docs/cluster.md:45 →
	// deploy/slurm/search.sbatch:33").
	Where string
	// Command is the name of the command (a folder of cmd/).
	Command string
	// Args are its arguments as the shell passes them, a subcommand's
	// name first (["merge", "-out", …] for fidstats merge).
	Args []string
	// Sketch marks a command in prose (a Markdown inline code span): it
	// may hold placeholders such as "-n N", so only its flag names are
	// checked.
	Sketch bool
}

func (l Line) String() string {
	return fmt.Sprintf("%s: %s", l.Where, strings.Join(append([]string{l.Command}, l.Args...), " "))
}

// FlagSet is what Check needs of a command's flags (cli.FlagSet).
type FlagSet interface {
	Lookup(name string) *flag.Flag
	Parse(args []string) error
}

// Check finds the documented lines of command in the repository at root
// and checks each: every flag must be one of the command's, and a line
// that is not a sketch must parse (values of the right types, no stray
// arguments). flags returns a new flag set for a line's arguments and the
// arguments it parses (without the name of a subcommand). An ellipsis
// "..." stands for elided flags, or for a flag's value. Check fails the
// test when the command has no documented line, and returns the lines so
// that the test can run some.
func Check(t testing.TB, root, command string, flags func(args []string) (FlagSet, []string)) []Line {
	t.Helper()
	all, err := Find(root)
	if err != nil {
		t.Fatal(err)
	}
	var lines []Line
	for _, l := range all {
		if l.Command != command {
			continue
		}
		lines = append(lines, l)
		fs, args := flags(l.Args)
		if err := parse(fs, args, l.Sketch); err != nil {
			t.Errorf("%s\n\t%v", l, err)
		}
	}
	if len(lines) == 0 {
		t.Errorf("no documented command line runs %s", command)
	}
	return lines
}

// parse checks args with fs, the flag names only for a sketch or a line
// that asks for the help.
func parse(fs FlagSet, args []string, sketch bool) error {
	clean, err := Clean(fs, args)
	if err != nil || sketch || slices.ContainsFunc(clean, isHelp) {
		return err
	}
	return fs.Parse(clean)
}

// isHelp reports whether a is -h or -help, which package flag handles
// itself.
func isHelp(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// Clean returns a documented line's arguments without the ellipses that
// stand for elided flags ("-top 5 ..."; one that stands for a flag's
// value, "-scorer ...", stays), checking that every flag is one of fs's.
func Clean(fs FlagSet, args []string) ([]string, error) {
	var clean []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "..." {
			continue
		}
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" { // the arguments after the flags
			for _, b := range args[i:] {
				if b != "..." {
					clean = append(clean, b)
				}
			}
			break
		}
		if isHelp(a) {
			clean = append(clean, a)
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		fl := fs.Lookup(name)
		if fl == nil {
			return nil, fmt.Errorf("flag provided but not defined: -%s", name)
		}
		clean = append(clean, a)
		b, ok := fl.Value.(interface{ IsBoolFlag() bool })
		isBool := ok && b.IsBoolFlag()
		if !hasValue && i+1 < len(args) && (!isBool || args[i+1] == "true" || args[i+1] == "false") {
			i++
			clean = append(clean, args[i]) // its value (cli.FlagSet takes -bool false too)
		}
	}
	return clean, nil
}

// Substitute returns args with the value of each flag in values replaced
// (under any of the names given for it, "-n" or "-n=…") and the flags not
// in args appended: the way a test runs a documented line on small data.
func Substitute(args []string, values map[string]string) []string {
	out := append([]string(nil), args...)
	done := map[string]bool{}
	for i := 0; i < len(out); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(out[i], "-"), "=")
		v, ok := values[name]
		if !ok || !strings.HasPrefix(out[i], "-") {
			continue
		}
		done[name] = true
		if hasValue {
			out[i] = "-" + name + "=" + v
		} else if i+1 < len(out) {
			out[i+1] = v
			i++
		}
	}
	for _, name := range slices.Sorted(maps.Keys(values)) {
		if !done[name] {
			out = append(out, "-"+name, values[name])
		}
	}
	return out
}
