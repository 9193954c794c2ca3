// Package rundir is the run directory of a search, a training run or an
// evaluation: everything a run leaves on disk, and the rules that make it
// safe to interrupt at any moment.
//
//	config.json              the resolved configuration
//	metrics.jsonl            one JSON object per event (losses, rewards, scores, …)
//	samples/*.png            sample grids
//	checkpoint.safetensors   the state to resume from (and other checkpoints)
//	result.json, …           results
//
// Every file is replaced atomically (a temporary file, fsync, rename), so
// a kill leaves either the old or the new version, never a torn one. The
// metrics log is the exception that makes it work: it only grows, and each
// checkpoint records how many of its lines the checkpointed state had
// produced; reopening a checkpoint cuts the log back to that many lines,
// since the resumed run writes the later events again.
//
// A Dir satisfies the Recorder interface of package nas, which never
// imports this package: the algorithm does not know about files or image
// formats.
package rundir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/ckpt"
	"github.com/autogan-go/autogan/internal/imgio"
)

// The name of the metrics log, and the checkpoint entry that records how
// many of its lines belong to the checkpointed state.
const (
	MetricsFile  = "metrics.jsonl"
	metricsLines = "metrics.lines"
)

// Dir is an open run directory.
type Dir struct {
	path string
	log  *eventLog
	// keep is the number of lines of the metrics log that a checkpoint
	// opened by OpenCheckpoint accounts for; the log is cut back to them
	// at the first Event, not when the checkpoint is opened, so that a
	// resume refused after opening (a checkpoint of another kind, a
	// config that does not match) leaves the log as it was.
	keep    int64
	pending bool
	// Hook, when set, is called inside every write: in the middle of each
	// metrics line ("metrics"), and when each file's new content is on
	// disk but not yet in place (the file's name). An error makes the
	// write fail, as a full disk would. Tests use it to kill a run inside
	// its writes and to simulate write failures; it is nil otherwise.
	Hook func(point string) error
}

// Create prepares a new run in path (created if needed, with samples/).
// A directory that already holds a run's checkpoint is refused: resuming
// it is the user's other choice. So is one that holds the result of a
// finished run (a search's result.json, a training's train_result.json)
// whose checkpoint has gone: starting again there would overwrite the
// results and the trained generators. A run interrupted before its first
// checkpoint has neither, and starts again.
func Create(path string) (*Dir, error) {
	if err := CheckNew(path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(path, "samples"), 0o755); err != nil {
		return nil, err
	}
	log, err := openEventLog(filepath.Join(path, MetricsFile), 0)
	if err != nil {
		return nil, err
	}
	return &Dir{path: path, log: log}, nil
}

// CheckNew returns the error of Create for a directory that holds a run
// (its checkpoint) or a finished run's result, without creating anything:
// the commands call it before their work.
func CheckNew(path string) error {
	// A finished run keeps its checkpoint too: the results are looked for
	// first, so that the message does not offer to resume it.
	for _, result := range []string{"result.json", "train_result.json"} {
		if _, err := os.Stat(filepath.Join(path, result)); err == nil {
			return fmt.Errorf("%s holds a finished run (%s); choose another -run, or move it away first", path, result)
		}
	}
	if _, err := os.Stat(filepath.Join(path, "checkpoint.safetensors")); err == nil {
		return fmt.Errorf("%s already holds a run; resume it with -resume %s or choose another -run", path, path)
	}
	return nil
}

// Open opens an existing run directory to resume it; its metrics log is
// cut back by OpenCheckpoint. The temporary files of writes a kill
// interrupted are removed.
func Open(path string) (*Dir, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(path, "samples"), 0o755); err != nil {
		return nil, err
	}
	for _, pattern := range []string{".*.tmp-*", "samples/.*.tmp-*"} {
		stale, _ := filepath.Glob(filepath.Join(path, pattern))
		for _, f := range stale {
			if err := os.Remove(f); err != nil {
				return nil, err
			}
		}
	}
	return &Dir{path: path}, nil
}

// Append opens the run directory path of a run that only records (an
// evaluation), creating it if needed, to add records to its log: the lines
// already there are kept, and each record is one write to a file opened
// for appending, so the shards of one evaluation and its merge can add
// their records in turn, or at the same time on a local disk. It reports
// whether the log was empty, for the caller to write the run's settings
// and the schema line first.
func Append(path string) (d *Dir, fresh bool, err error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(filepath.Join(path, MetricsFile), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, false, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, false, err
	}
	return &Dir{path: path, log: &eventLog{f: f, shared: true, size: st.Size()}}, st.Size() == 0, nil
}

// Path is the directory's path.
func (d *Dir) Path() string { return d.path }

// File is the path of a file of the run.
func (d *Dir) File(name string) string { return filepath.Join(d.path, name) }

// Exists reports whether the run has the named file.
func (d *Dir) Exists(name string) bool {
	_, err := os.Stat(d.File(name))
	return err == nil
}

// Event appends one record to the metrics log. JSON has no NaN or
// infinity, so non-finite numbers (a diverged loss) are written as the
// strings "NaN", "Inf" and "-Inf": the record is kept, and readers can
// tell them apart from every number.
func (d *Dir) Event(rec map[string]any) error {
	if err := d.openLog(); err != nil {
		return err
	}
	return d.log.write(rec, d.hook("metrics"))
}

// openLog makes sure the metrics log is open for appending, cutting it
// back to the lines of the checkpoint that OpenCheckpoint opened.
func (d *Dir) openLog() error {
	if d.pending {
		log, err := openEventLog(d.File(MetricsFile), d.keep)
		if err != nil {
			return err
		}
		d.log, d.pending = log, false
	}
	if d.log == nil {
		return errors.New("rundir: the metrics log is not open (open a checkpoint first)")
	}
	return nil
}

// hook returns the hook of a write point (nil without a Hook).
func (d *Dir) hook(point string) func() error {
	if d.Hook == nil {
		return nil
	}
	return func() error { return d.Hook(point) }
}

// WriteJSON writes v, indented, to the named file atomically.
func (d *Dir) WriteJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	b = append(b, '\n')
	return atomicfile.WriteHook(d.File(name), func(w io.Writer) error { _, err := w.Write(b); return err }, d.hook(name))
}

// Grid writes n images (uint8, n×3×h×w) as a PNG grid of cols columns,
// each pixel enlarged scale times, to the named file.
func (d *Dir) Grid(name string, pix []uint8, n, h, w, cols, scale int) error {
	img := imgio.Upscale(imgio.Grid(pix, n, 3, h, w, cols, 2), max(1, scale))
	return atomicfile.WriteHook(d.File(name), func(w io.Writer) error { return png.Encode(w, img) }, d.hook(name))
}

// SaveCheckpoint flushes the metrics log to disk, records its length in
// the checkpoint and writes the checkpoint atomically.
func (d *Dir) SaveCheckpoint(name string, w *ckpt.Writer) error {
	if err := d.openLog(); err != nil {
		return err
	}
	if err := d.log.sync(); err != nil {
		return err
	}
	w.Int(metricsLines, d.log.lines)
	return atomicfile.WriteHook(d.File(name), w.Encode, d.hook(name))
}

// OpenCheckpoint opens a checkpoint to resume from. The metrics log must
// hold the lines the checkpoint's state had written; the next Event or
// SaveCheckpoint cuts it back to them.
func (d *Dir) OpenCheckpoint(name string) (*ckpt.Reader, error) {
	r, err := ckpt.Open(d.File(name))
	if err != nil {
		return nil, err
	}
	lines, err := r.Int(metricsLines)
	if err != nil {
		return nil, err
	}
	if lines < 0 { // a damaged file: keeping "-1 lines" would empty the log
		return nil, fmt.Errorf("%s: %s is %d, want at least 0", d.File(name), metricsLines, lines)
	}
	// The log must hold the lines the checkpoint expects; it is cut back
	// to them only at the next Event.
	if err := checkEventLog(d.File(MetricsFile), lines); err != nil {
		return nil, err
	}
	if d.log != nil {
		d.log.f.Close()
		d.log = nil
	}
	d.keep, d.pending = lines, true
	return r, nil
}

// Close closes the metrics log.
func (d *Dir) Close() error {
	d.pending = false
	if d.log == nil {
		return nil
	}
	return d.log.f.Close()
}

// eventLog appends JSON lines to the run's metrics file. It counts its
// lines: a checkpoint records the count (not the byte length, which
// depends on timing fields).
type eventLog struct {
	f      *os.File
	shared bool // opened by Append: other processes may write too, so a failed write is not cut back
	lines  int64
	size   int64 // bytes of the complete lines
}

// openEventLog opens (creating) the log and keeps only its first keep lines.
func openEventLog(path string, keep int64) (*eventLog, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	off, err := firstLines(path, b, keep)
	if err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Truncate(off); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &eventLog{f: f, lines: keep, size: off}, nil
}

// checkEventLog reports an error unless the log at path has at least keep
// whole lines (a missing log has none).
func checkEventLog(path string, keep int64) error {
	b, err := os.ReadFile(path)
	if err != nil && !(errors.Is(err, os.ErrNotExist) && keep == 0) {
		return err
	}
	_, err = firstLines(path, b, keep)
	return err
}

// firstLines returns the length in bytes of the first keep lines of b, the
// content of the log at path, or an error if it has fewer.
func firstLines(path string, b []byte, keep int64) (int64, error) {
	var off, n int64
	for off < int64(len(b)) && n < keep {
		i := bytes.IndexByte(b[off:], '\n')
		if i < 0 {
			break
		}
		off += int64(i) + 1
		n++
	}
	if n < keep {
		return 0, fmt.Errorf("%s has %d lines, the checkpoint expects at least %d", path, n, keep)
	}
	return off, nil
}

// write appends one record as a line. With a hook, the line is written in
// two halves and the hook runs between them, where a kill leaves a torn
// last line (which reopening the log from a checkpoint removes).
func (e *eventLog) write(rec map[string]any, hook func() error) error {
	b, err := json.Marshal(finite(rec))
	if err != nil {
		return fmt.Errorf("metrics record %v: %w", rec["event"], err)
	}
	b = append(b, '\n')
	if err := e.append(b, hook); err != nil {
		// Cut a partly written line, so that the log stays whole lines
		// (not in a shared log, where lines of others may follow it).
		if !e.shared {
			e.f.Truncate(e.size)
			e.f.Seek(e.size, io.SeekStart)
		}
		return fmt.Errorf("writing the metrics: %w", err)
	}
	e.lines++
	e.size += int64(len(b))
	return nil
}

func (e *eventLog) append(b []byte, hook func() error) error {
	if hook != nil {
		half := len(b) / 2
		if _, err := e.f.Write(b[:half]); err != nil {
			return err
		}
		if err := hook(); err != nil {
			return err
		}
		b = b[half:]
	}
	_, err := e.f.Write(b)
	return err
}

func (e *eventLog) sync() error { return e.f.Sync() }

// finite returns v with every non-finite float replaced by its name
// ("NaN", "Inf", "-Inf"), in maps and slices at any depth.
func finite(v any) any {
	switch x := v.(type) {
	case float64:
		return finiteFloat(x)
	case float32:
		return finiteFloat(float64(x))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = finite(e)
		}
		return out
	case []float64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = finiteFloat(e)
		}
		return out
	case [][]float64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = finite(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = finite(e)
		}
		return out
	}
	return v
}

func finiteFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return f
}
