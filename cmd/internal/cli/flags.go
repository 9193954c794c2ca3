package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"unicode/utf8"
)

// FlagSet defines and parses the flags of a command (with package flag)
// in the conventions every command of the project follows, so that one
// flag language works everywhere:
//
//   - names are snake_case, like the keys of the -config JSON files and the
//     reference's arguments (-data_dir, -fid_stat, -gf_dim); each name is
//     also accepted in kebab-case (-data-dir), and a flag may have other
//     aliases, such as the name another command used to give it
//     (-weights for -scorer);
//   - -h prints the flags by group, each on one line with its type, its
//     meaning and its default, and names the aliases once at the end;
//   - positional arguments are an error unless the command takes some
//     (ArgsUsage), so a mistyped value does not pass unnoticed;
//   - booleans are set with -name or -name=false (-name false works too,
//     as when the settings were strings).
//
// Define flags with the methods below (StringVar, IntVar, …, Var), which
// take aliases as extra arguments, and Group to start a group.
type FlagSet struct {
	// Usage is the first line of the help: "search [flags]".
	Usage string
	// Summary is printed below it: what the command does.
	Summary string
	// ArgsUsage names the positional arguments ("part.eval ..."); empty
	// means the command takes none.
	ArgsUsage string
	// HelpOutput receives the help of -h (default os.Stdout).
	HelpOutput io.Writer

	fs        *flag.FlagSet
	groups    []flagGroup
	canonical map[string]string // alias -> the flag's name
	aliases   []string          // the explicit aliases, in definition order
}

type flagGroup struct {
	title string
	names []string
}

// NewFlagSet returns an empty FlagSet named by usage up to its first
// " [" ("eval merge" for "eval merge [flags]").
func NewFlagSet(usage, summary string) *FlagSet {
	name, _, _ := strings.Cut(usage, " [")
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	return &FlagSet{fs: fs, Usage: usage, Summary: summary, canonical: map[string]string{}}
}

// Group starts a group of flags in the help: the flags defined next are
// listed under title.
func (f *FlagSet) Group(title string) { f.groups = append(f.groups, flagGroup{title: title}) }

// Var defines a flag with a value of any type; see flag.FlagSet.Var. The
// value may report its type name for the help with a method Type() string.
func (f *FlagSet) Var(v flag.Value, name, usage string, aliases ...string) {
	f.fs.Var(v, name, usage)
	f.register(name, aliases)
}

// StringVar defines a string flag stored in p.
func (f *FlagSet) StringVar(p *string, name, value, usage string, aliases ...string) {
	f.fs.StringVar(p, name, value, usage)
	f.register(name, aliases)
}

// IntVar defines an int flag stored in p.
func (f *FlagSet) IntVar(p *int, name string, value int, usage string, aliases ...string) {
	f.fs.IntVar(p, name, value, usage)
	f.register(name, aliases)
}

// Uint64Var defines a uint64 flag stored in p.
func (f *FlagSet) Uint64Var(p *uint64, name string, value uint64, usage string, aliases ...string) {
	f.fs.Uint64Var(p, name, value, usage)
	f.register(name, aliases)
}

// Float64Var defines a float64 flag stored in p.
func (f *FlagSet) Float64Var(p *float64, name string, value float64, usage string, aliases ...string) {
	f.fs.Float64Var(p, name, value, usage)
	f.register(name, aliases)
}

// BoolVar defines a bool flag stored in p (-name, -name=true, -name=false).
func (f *FlagSet) BoolVar(p *bool, name string, value bool, usage string, aliases ...string) {
	f.fs.BoolVar(p, name, value, usage)
	f.register(name, aliases)
}

// register puts the flag just defined in the current group and defines
// its aliases: the given ones, the names other commands used to give
// (formerNames), and the kebab-case spelling of each.
func (f *FlagSet) register(name string, aliases []string) {
	aliases = append(aliases, formerNames(name)...)
	if len(f.groups) == 0 {
		f.Group("Flags")
	}
	g := &f.groups[len(f.groups)-1]
	g.names = append(g.names, name)
	f.aliases = append(f.aliases, aliases...)
	v := f.fs.Lookup(name).Value
	for _, a := range append([]string{name}, aliases...) {
		for _, alias := range []string{a, strings.ReplaceAll(a, "_", "-")} {
			if _, done := f.canonical[alias]; alias != name && !done {
				f.fs.Var(v, alias, "alias of -"+name) // panics if alias is another flag's name
				f.canonical[alias] = name
			}
		}
	}
}

// formerNames returns the other names a flag had in some commands before
// every command spelt it the same way; they stay aliases wherever the flag
// is defined, so that existing scripts keep working.
func formerNames(name string) []string {
	switch name {
	case "scorer": // eval and fidstats called the Inception weights -weights
		return []string{"weights"}
	case "fid_stat": // eval called the real statistics -stats
		return []string{"stats"}
	}
	return nil
}

// Lookup returns the flag of a name or alias, or nil.
func (f *FlagSet) Lookup(name string) *flag.Flag { return f.fs.Lookup(name) }

// Name is the command's name ("eval merge").
func (f *FlagSet) Name() string { return f.fs.Name() }

// Args returns the positional arguments after Parse.
func (f *FlagSet) Args() []string { return f.fs.Args() }

// ErrHelp is returned by Parse after -h printed the help; Exit ends the
// command with code 0 on it.
var ErrHelp = flag.ErrHelp

// Parse parses args. After -h it prints the help and returns ErrHelp;
// a wrong flag or value, or positional arguments the command does not take,
// give a usage error (ErrUsage) that says how to get the help.
func (f *FlagSet) Parse(args []string) error {
	f.fs.SetOutput(io.Discard) // the error is returned, not printed twice
	f.fs.Usage = func() {}
	err := f.fs.Parse(f.joinBoolValues(args))
	switch {
	case errors.Is(err, flag.ErrHelp):
		out := f.HelpOutput
		if out == nil {
			out = os.Stdout
		}
		f.PrintHelp(out)
		return ErrHelp
	case err != nil:
		return Usagef("%v (%s -h lists the flags)", err, f.Name())
	case len(f.Args()) > 0 && f.ArgsUsage == "":
		return Usagef("unexpected arguments %q (flags come before arguments; %s -h lists the flags)", f.Args(), f.Name())
	}
	return nil
}

// joinBoolValues rewrites "-name true" and "-name false" of a bool flag as
// -name=true and -name=false: the configuration flags were all strings
// once, and scripts written then give booleans that way.
func (f *FlagSet) joinBoolValues(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || a == "-" || !strings.HasPrefix(a, "-") {
			return append(out, args[i:]...) // the positional arguments
		}
		out = append(out, a)
		fl := f.fs.Lookup(strings.TrimLeft(a, "-")) // nil for -name=value and unknown flags
		switch {
		case fl == nil || i+1 == len(args):
		case !isBool(fl):
			out = append(out, args[i+1]) // its value, which may start with -
			i++
		case args[i+1] == "true" || args[i+1] == "false":
			out[len(out)-1] += "=" + args[i+1]
			i++
		}
	}
	return out
}

func isBool(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// IsSet reports whether the flag name was given, under any of its names.
func (f *FlagSet) IsSet(name string) bool {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || f.Canonical(fl.Name) == name })
	return set
}

// Canonical returns the name of the flag that name is an alias of, or
// name itself.
func (f *FlagSet) Canonical(name string) string {
	if c, ok := f.canonical[name]; ok {
		return c
	}
	return name
}

// PrintHelp writes the help: the usage line, the summary, the flags by
// group with type, meaning and default, and the aliases.
func (f *FlagSet) PrintHelp(w io.Writer) {
	args := ""
	if f.ArgsUsage != "" {
		args = " " + f.ArgsUsage
	}
	fmt.Fprintf(w, "Usage: %s%s\n", f.Usage, args)
	if f.Summary != "" {
		fmt.Fprintf(w, "\n%s\n", f.Summary)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, g := range f.groups {
		fmt.Fprintf(tw, "\n%s:\n", g.title)
		for _, name := range g.names {
			fl := f.Lookup(name)
			def := ""
			if showDefault(fl) {
				def = "(default " + fl.DefValue + ")"
			}
			// Long descriptions continue on the next lines, in their column.
			lines := wrap(fl.Usage, def, 76)
			fmt.Fprintf(tw, "  -%s %s\t%s\n", name, typeName(fl), lines[0])
			for _, l := range lines[1:] {
				fmt.Fprintf(tw, "\t%s\n", l)
			}
		}
	}
	tw.Flush()
	var notes []string
	for _, g := range f.groups { // the first flag with an underscore is the example
		for _, name := range g.names {
			if kebab := strings.ReplaceAll(name, "_", "-"); kebab != name && len(notes) == 0 {
				notes = append(notes, fmt.Sprintf("hyphens for underscores (-%s = -%s)", kebab, name))
			}
		}
	}
	for _, a := range f.aliases {
		notes = append(notes, "-"+a+" = -"+f.canonical[a])
	}
	if len(notes) > 0 {
		fmt.Fprintf(w, "\nAliases: %s.\n", strings.Join(notes, "; "))
	}
}

// showDefault says whether the help shows a flag's default: always for a
// configuration setting (its preset's value), otherwise as package flag
// does, when it is not the zero value, and never when the description
// already says what the default is.
func showDefault(fl *flag.Flag) bool {
	if strings.Contains(fl.Usage, "default") || fl.DefValue == "" {
		return false
	}
	_, setting := fl.Value.(*fieldValue)
	return setting || fl.DefValue != "0" && fl.DefValue != "false"
}

// wrap breaks text, followed by the unbreakable tail, into lines of at
// most width characters where it can: between words, or after a | in a
// long list of values.
func wrap(text, tail string, width int) []string {
	type piece struct {
		s     string
		glued bool // continues the previous piece without a space
	}
	var pieces []piece
	for _, w := range strings.Fields(text) {
		if utf8.RuneCountInString(w) <= width/2 {
			pieces = append(pieces, piece{w, false})
			continue
		}
		for i, part := range strings.SplitAfter(w, "|") {
			pieces = append(pieces, piece{part, i > 0})
		}
	}
	if tail != "" {
		pieces = append(pieces, piece{tail, false})
	}
	var lines []string
	line := ""
	for _, p := range pieces {
		sep := " "
		if p.glued || line == "" {
			sep = ""
		}
		if line != "" && utf8.RuneCountInString(line+sep+p.s) > width {
			lines = append(lines, line)
			line, sep = "", ""
		}
		line += sep + p.s
	}
	return append(lines, line)
}

// typeName is the type of a flag's value as the help shows it: bool, int,
// uint, float, string, duration, or what the value's Type method says.
func typeName(fl *flag.Flag) string {
	if v, ok := fl.Value.(interface{ Type() string }); ok {
		return v.Type()
	}
	if isBool(fl) {
		return "bool"
	}
	name, _ := flag.UnquoteUsage(fl)
	return name
}
