package cli

import (
	"errors"
	"fmt"

	"github.com/autogan-go/autogan/nas"
	"github.com/autogan-go/autogan/nas/weights"
)

// OpenGenerator is weights.Open for the flags -checkpoint and -arch, with
// the mistakes of the command line as usage errors: a checkpoint that does
// not exist, an -arch that is no architecture, and no -arch for a PyTorch
// file, which needs one. A file that cannot be read, or that holds another
// architecture than -arch, stays an error of its own.
func OpenGenerator(path, arch string) (nas.Generator, error) {
	if err := CheckExists("checkpoint", path); err != nil {
		return nil, err
	}
	if arch != "" {
		if _, err := nas.Parse(arch); err != nil {
			return nil, Usagef("%v", err)
		}
	}
	g, err := weights.Open(path, arch)
	if errors.Is(err, weights.ErrNeedsArch) {
		return nil, fmt.Errorf("%w: %w", ErrUsage, err)
	}
	return g, err
}
