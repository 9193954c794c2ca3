package nas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/autogan-go/autogan/tensor"
)

// What the search configuration (Config) and the training configuration
// (TrainConfig) share: JSON files laid over a preset, and validation that
// reports every problem at once.

// overlayJSON decodes the JSON object of a file over *into: keys present in
// the file replace its values; unknown keys are an error, so a misspelt
// setting is not silently ignored, and so is anything but exactly one
// object (an empty file, null, a second object after the first).
func overlayJSON(path string, into any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return fmt.Errorf("%s: a configuration file holds one JSON object ({\"key\": value, ...})", path)
	}
	b = withoutEngine(b)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s: unexpected data after the JSON object", path)
	}
	return nil
}

// withEngine is what a run's config.json holds: the configuration, and
// under the key "engine" the arithmetic that ran it ([tensor.Policy]: the
// matrix-product kernel and its blocking, the convolution algorithms and
// the rule that picks them per layer). Two runs give the same bits only on
// the same engine, so a reader of a run directory can tell why two runs on
// different machines differ.
type withEngine struct{ cfg any }

// MarshalJSON writes the configuration's object with "engine" as its last
// key.
func (w withEngine) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(w.cfg)
	if err != nil {
		return nil, err
	}
	e, err := json.Marshal(tensor.Policy())
	if err != nil {
		return nil, err
	}
	if len(b) < 2 || b[len(b)-1] != '}' {
		return nil, fmt.Errorf("configuration is not a JSON object")
	}
	out := append([]byte{}, b[:len(b)-1]...)
	if len(b) > 2 {
		out = append(out, ',')
	}
	out = append(out, `"engine":`...)
	out = append(out, e...)
	return append(out, '}'), nil
}

// withoutEngine removes the key "engine" (what config.json records about
// the engine, see withEngine) from a JSON object, so that a run's
// config.json loads as a configuration; anything else is returned as it is.
func withoutEngine(b []byte) []byte {
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return b
	}
	if _, ok := top["engine"]; !ok {
		return b
	}
	delete(top, "engine")
	out, err := json.Marshal(top)
	if err != nil {
		return b
	}
	return out
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
