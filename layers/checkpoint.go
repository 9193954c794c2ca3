package layers

import "github.com/autogan-go/autogan/internal/ckpt"

// Save writes every entry of m into a checkpoint under prefix: float
// tensors as they are, counters as int64.
func Save(w *ckpt.Writer, prefix string, m Module) {
	for _, e := range m.State(prefix) {
		if e.Counter != nil {
			w.Int(e.Name, *e.Counter)
			continue
		}
		w.Tensor(e.Name, e.Tensor())
	}
}

// Load restores every entry of m from a checkpoint written by Save; each
// shape must match, and an error names the entry.
func Load(r *ckpt.Reader, prefix string, m Module) error {
	for _, e := range m.State(prefix) {
		if e.Counter != nil {
			v, err := r.Int(e.Name)
			if err != nil {
				return err
			}
			*e.Counter = v
			continue
		}
		if err := r.TensorInto(e.Name, e.Tensor()); err != nil {
			return err
		}
	}
	return nil
}
