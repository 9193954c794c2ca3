package nas

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
)

// What the search configuration (Config) and the training configuration
// (TrainConfig) share: JSON files laid over a preset, and validation that
// reports every problem at once.

// overlayJSON decodes the JSON object of a file over *into: keys present in
// the file replace its values; unknown keys are an error, so a misspelt
// setting is not silently ignored.
func overlayJSON(path string, into any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// problems collects the failed checks of a validation.
type problems []string

// check records the message when ok is false.
func (p *problems) check(ok bool, format string, args ...any) {
	if !ok {
		*p = append(*p, fmt.Sprintf(format, args...))
	}
}

// err returns all recorded problems as one error, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return fmt.Errorf("invalid configuration: %s", strings.Join(p, "; "))
}

// rate checks a learning rate: a finite number > 0.
func (p *problems) rate(name string, v float64) {
	p.check(v > 0 && !math.IsInf(v, 0), "%s must be a finite number > 0, not %v", name, v)
}

// unit checks a decay or a beta: a number in [0, 1).
func (p *problems) unit(name string, v float64) {
	p.check(v >= 0 && v < 1, "%s must be in [0, 1), not %v", name, v)
}
