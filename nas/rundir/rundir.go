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
	"io"
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
}

// Create prepares a new run in path (created if needed, with samples/).
// A directory that already holds a run's checkpoint is refused: resuming
// it is the user's other choice.
func Create(path string) (*Dir, error) {
	if _, err := os.Stat(filepath.Join(path, "checkpoint.safetensors")); err == nil {
		return nil, fmt.Errorf("%s already holds a run; resume it with -resume %s or choose another -run", path, path)
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

// Open opens an existing run directory to resume it; its metrics log is
// cut back by OpenCheckpoint.
func Open(path string) (*Dir, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(path, "samples"), 0o755); err != nil {
		return nil, err
	}
	return &Dir{path: path}, nil
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

// Event appends one record to the metrics log.
func (d *Dir) Event(rec map[string]any) error {
	if d.log == nil {
		return errors.New("rundir: the metrics log is not open (open a checkpoint first)")
	}
	return d.log.write(rec)
}

// WriteJSON writes v, indented, to the named file atomically.
func (d *Dir) WriteJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return atomicfile.WriteBytes(d.File(name), append(b, '\n'))
}

// Grid writes n images (uint8, n×3×h×w) as a PNG grid of cols columns,
// each pixel enlarged scale times, to the named file.
func (d *Dir) Grid(name string, pix []uint8, n, h, w, cols, scale int) error {
	grid := imgio.Grid(pix, n, 3, h, w, cols, 2)
	return imgio.WritePNG(d.File(name), imgio.Upscale(grid, max(1, scale)))
}

// SaveCheckpoint flushes the metrics log to disk, records its length in
// the checkpoint and writes the checkpoint atomically.
func (d *Dir) SaveCheckpoint(name string, w *ckpt.Writer) error {
	if d.log == nil {
		return errors.New("rundir: the metrics log is not open")
	}
	if err := d.log.sync(); err != nil {
		return err
	}
	w.Int(metricsLines, d.log.lines)
	return w.Save(d.File(name))
}

// OpenCheckpoint opens a checkpoint to resume from and reopens the metrics
// log cut back to the lines the checkpoint's state had written.
func (d *Dir) OpenCheckpoint(name string) (*ckpt.Reader, error) {
	r, err := ckpt.Open(d.File(name))
	if err != nil {
		return nil, err
	}
	lines, err := r.Int(metricsLines)
	if err != nil {
		return nil, err
	}
	if d.log != nil {
		d.log.f.Close()
	}
	if d.log, err = openEventLog(d.File(MetricsFile), lines); err != nil {
		return nil, err
	}
	return r, nil
}

// Close closes the metrics log.
func (d *Dir) Close() error {
	if d.log == nil {
		return nil
	}
	return d.log.f.Close()
}

// eventLog appends JSON lines to the run's metrics file. It counts its
// lines: a checkpoint records the count (not the byte length, which
// depends on timing fields).
type eventLog struct {
	f     *os.File
	lines int64
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
		f.Close()
		return nil, fmt.Errorf("%s has %d lines, the checkpoint expects at least %d", path, n, keep)
	}
	if err := f.Truncate(off); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &eventLog{f: f, lines: n}, nil
}

func (e *eventLog) write(rec map[string]any) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("metrics record %v: %w", rec["event"], err)
	}
	if _, err := e.f.Write(append(b, '\n')); err != nil {
		return err
	}
	e.lines++
	return nil
}

func (e *eventLog) sync() error { return e.f.Sync() }
