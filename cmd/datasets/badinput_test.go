package main

import (
	"errors"
	"io"
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
