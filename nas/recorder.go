package nas

import "github.com/autogan-go/autogan/internal/ckpt"

// MetricsSchema is the version of the records a run writes to its
// metrics log (one JSON object per line, named by its "event" field). The
// first record of every log says it, and what kind of run wrote the log:
//
//	{"event": "schema", "version": 1, "kind": "search"}
//
// Non-finite numbers are written as the strings "NaN", "Inf" and "-Inf".
const MetricsSchema = 1

func schemaRecord(kind string) map[string]any {
	return map[string]any{"event": "schema", "version": MetricsSchema, "kind": kind}
}

// Recorder is where a search or a training run records what it produces:
// its configuration and results, the metrics log, sample grids and
// checkpoints. Package nas/rundir implements it as a run directory; the
// algorithm itself knows nothing of files or image formats.
type Recorder interface {
	// Path names the run (its directory), for messages.
	Path() string
	// File is the path of a file of the run (partial evaluations, the
	// real data's statistics), for code that writes its own files.
	File(name string) string
	// Exists reports whether the run has the named file.
	Exists(name string) bool
	// Event appends one record to the metrics log.
	Event(rec map[string]any) error
	// WriteJSON writes a result or configuration file atomically.
	WriteJSON(name string, v any) error
	// Grid writes n uint8 images (n×3×h×w) as a grid of cols columns,
	// each pixel enlarged scale times.
	Grid(name string, pix []uint8, n, h, w, cols, scale int) error
	// SaveCheckpoint writes a checkpoint atomically, after the metrics
	// written so far are safely on disk.
	SaveCheckpoint(name string, w *ckpt.Writer) error
	// OpenCheckpoint opens a checkpoint to resume from; the metrics log
	// continues from the state the checkpoint holds.
	OpenCheckpoint(name string) (*ckpt.Reader, error)
	// Close ends the recording.
	Close() error
}
