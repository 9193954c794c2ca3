package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/autogan-go/autogan/cmd/internal/cli"
)

// TestNegativeSizesRefused: -size -5 was accepted and ignored.
func TestNegativeSizesRefused(t *testing.T) {
	for _, args := range [][]string{{"-size", "-5"}, {"-n", "-1"}, {"-scale", "0"}} {
		if err := run(append([]string{"-name", "shapes10"}, args...), io.Discard); !errors.Is(err, cli.ErrUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

// TestHugeGridRefused: a grid too large to make (-scale 100000 panicked in
// image.NewNRGBA) is a usage error, and no file is written.
func TestHugeGridRefused(t *testing.T) {
	out := filepath.Join(t.TempDir(), "g.png")
	err := run([]string{"-name", "shapes10", "-dataset_n", "20", "-grid", out, "-scale", "100000"}, io.Discard)
	if !errors.Is(err, cli.ErrUsage) || !strings.Contains(err.Error(), "on a side") {
		t.Errorf("-scale 100000: %v, want a usage error", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a grid was written")
	}
}
