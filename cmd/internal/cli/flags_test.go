package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// settings stands for a configuration struct such as nas.Config.
type settings struct {
	Preset  string  `json:"preset" help:"not a flag: skipped"`
	GF      int     `json:"gf_dim" help:"channels of the generator"`
	LR      float64 `json:"g_lr" help:"learning rate"`
	Seed    uint64  `json:"seed" help:"seed"`
	Reset   bool    `json:"dynamic_reset" help:"reset"`
	DataDir string  `json:"data_dir" help:"folder of the dataset"`
}

func testFlags() (*FlagSet, *string, *bool, func(any)) {
	fs := NewFlagSet("cmd [flags]", "Does things.")
	var scorer string
	var asJSON bool
	fs.Group("Run")
	fs.StringVar(&scorer, "scorer", "", "weights file")
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	fs.Group("Settings")
	def := settings{GF: 32, LR: 2e-4, Seed: 7, Reset: true}
	apply := fs.Settings(&def, "preset")
	return fs, &scorer, &asJSON, apply
}

// TestSettingsOverrideOnlyWhatIsGiven: flags are typed, each has its
// kebab-case alias, booleans take =false, and a flag left out leaves the
// target's value (the preset's or the -config file's) alone.
func TestSettingsOverrideOnlyWhatIsGiven(t *testing.T) {
	fs, scorer, _, apply := testFlags()
	if err := fs.Parse([]string{"-gf-dim", "64", "-dynamic_reset=false", "-weights", "w.pth", "-g_lr=1e-3"}); err != nil {
		t.Fatal(err)
	}
	target := settings{GF: 1, LR: 1, Seed: 99, Reset: true, DataDir: "from the config file"}
	apply(&target)
	want := settings{GF: 64, LR: 1e-3, Seed: 99, Reset: false, DataDir: "from the config file"}
	if target != want {
		t.Errorf("got %+v, want %+v", target, want)
	}
	if *scorer != "w.pth" || !fs.IsSet("scorer") || fs.IsSet("seed") {
		t.Errorf("-weights: scorer %q, IsSet(scorer) %v, IsSet(seed) %v", *scorer, fs.IsSet("scorer"), fs.IsSet("seed"))
	}
}

// TestBoolValues: -name=false, and -name false as scripts wrote it when
// the settings were strings; a value that starts with - is a value.
func TestBoolValues(t *testing.T) {
	fs, scorer, asJSON, apply := testFlags()
	if err := fs.Parse([]string{"-dynamic_reset", "false", "-json", "true", "-scorer", "-odd-name.pth", "-gf_dim", "-3"}); err != nil {
		t.Fatal(err)
	}
	target := settings{Reset: true}
	apply(&target)
	if target.Reset || !*asJSON || *scorer != "-odd-name.pth" || target.GF != -3 {
		t.Errorf("dynamic_reset %v, json %v, scorer %q, gf_dim %d", target.Reset, *asJSON, *scorer, target.GF)
	}
	fs, _, asJSON, _ = testFlags()
	fs.ArgsUsage = "FILE"
	if err := fs.Parse([]string{"-json", "file"}); err != nil || !*asJSON || fs.Args()[0] != "file" {
		t.Errorf("-json file: %v %v %q", err, *asJSON, fs.Args())
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-gf_dim", "x"}, `invalid value "x" for flag -gf_dim`},
		{[]string{"-seed", "-1"}, `invalid value "-1" for flag -seed`},
		{[]string{"-data_dri", "d"}, "flag provided but not defined: -data_dri (cmd -h lists the flags)"},
		{[]string{"-json", "extra"}, `unexpected arguments ["extra"]`},
		{[]string{"-preset", "tiny"}, "not defined: -preset"},
	} {
		fs, _, _, _ := testFlags()
		err := fs.Parse(c.args)
		if !errors.Is(err, ErrUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want a usage error with %q", c.args, err, c.want)
		}
	}
	fs, _, _, _ := testFlags()
	fs.ArgsUsage = "FILE ..."
	if err := fs.Parse([]string{"-json", "a", "b"}); err != nil || len(fs.Args()) != 2 {
		t.Errorf("positional arguments of a command that takes them: %v %q", err, fs.Args())
	}
}

// TestHelp: -h prints every flag with its type, meaning and default, by
// group, and the aliases once.
func TestHelp(t *testing.T) {
	fs, _, _, _ := testFlags()
	var out bytes.Buffer
	fs.HelpOutput = &out
	if err := fs.Parse([]string{"-h"}); !errors.Is(err, ErrHelp) {
		t.Fatalf("-h: %v", err)
	}
	want := `Usage: cmd [flags]

Does things.

Run:
  -scorer string  weights file
  -json bool      print JSON

Settings:
  -gf_dim int          channels of the generator (default 32)
  -g_lr float          learning rate (default 0.0002)
  -seed uint           seed (default 7)
  -dynamic_reset bool  reset (default true)
  -data_dir string     folder of the dataset

Aliases: hyphens for underscores (-gf-dim = -gf_dim); -weights = -scorer.
`
	if out.String() != want {
		t.Errorf("help:\n%s\nwant:\n%s", out.String(), want)
	}
	if u := fs.Undescribed(settings{}, out.String(), "preset"); len(u) != 0 {
		t.Errorf("Undescribed: %v, want none", u)
	}
	// A setting the help leaves out, or shows without its type, is named;
	// one the FlagSet does not know at all is too.
	partial := strings.Replace(out.String(), "  -g_lr float ", "  -g_lr ", 1)
	partial = strings.Replace(partial, "  -seed uint ", "", 1)
	if u := fs.Undescribed(settings{}, partial, "preset"); strings.Join(u, " ") != "g_lr seed" {
		t.Errorf("Undescribed with g_lr untyped and seed missing: %v", u)
	}
	if u := fs.Undescribed(settings{}, out.String()); strings.Join(u, " ") != "preset" {
		t.Errorf("Undescribed without skipping preset (no flag): %v", u)
	}
}

func TestWrap(t *testing.T) {
	got := wrap("dataset: shapes10|cifar10|cifar10-test|cifar100|stl10 of the list", "(default shapes10)", 24)
	want := []string{"dataset: shapes10|", "cifar10|cifar10-test|", "cifar100|stl10 of the", "list (default shapes10)"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("wrap: %q, want %q", got, want)
	}
}
