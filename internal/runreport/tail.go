package runreport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// tail reads a metrics.jsonl that may still be growing: each update reads
// the lines appended since the last one. A run being written may end in a
// torn line (no newline yet); it is left for the next update. A resumed run
// truncates the file to the records of its checkpoint and appends from
// there, in place: the tail notices that the file is shorter than what it
// has read, or that the bytes before its position changed, and reads the
// file again from the start.
type tail struct {
	path  string
	m     *metrics
	off   int64  // bytes of complete lines read
	guard []byte // the last bytes before off, to detect a rewrite
	line  int    // lines read
	torn  bool   // the file ends in an incomplete line
	// restarts counts the rereads from the start after a truncation; the
	// live page uses it (with off) to know that it must refresh.
	restarts int
	exists   bool
}

const (
	guardBytes = 64
	chunkBytes = 1 << 20
	// maxLine bounds a line: longer ones (a file that is not JSON lines,
	// say) are skipped as bad without being held in memory.
	maxLine = 4 << 20
)

func newTail(path string) *tail { return &tail{path: path, m: newMetrics()} }

// update reads what was appended since the last call. It reports whether
// anything changed.
func (t *tail) update() (bool, error) {
	f, err := os.Open(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		changed := t.exists
		if t.exists {
			t.restart()
			t.exists = false
		}
		return changed, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, err
	}
	if st.IsDir() {
		return false, fmt.Errorf("%s is a directory", t.path)
	}
	changed := !t.exists
	t.exists = true
	if st.Size() < t.off || !t.guardHolds(f) {
		t.restart()
		changed = true
	}
	if st.Size() == t.off {
		return changed, nil
	}
	n, err := t.read(f)
	return changed || n > 0, err
}

func (t *tail) restart() {
	t.m = newMetrics()
	t.off, t.guard, t.line, t.torn = 0, nil, 0, false
	t.restarts++
}

// guardHolds reports whether the bytes before off are those read before.
func (t *tail) guardHolds(f *os.File) bool {
	if len(t.guard) == 0 {
		return true
	}
	b := make([]byte, len(t.guard))
	if _, err := f.ReadAt(b, t.off-int64(len(b))); err != nil {
		return false
	}
	return bytes.Equal(b, t.guard)
}

// read parses the complete lines from off to the end of the file and
// returns how many it read.
func (t *tail) read(f *os.File) (int, error) {
	var rec record
	buf := make([]byte, chunkBytes)
	var carry []byte  // the start of a line that continues in the next chunk
	skipping := false // inside an overlong line
	pos := t.off
	lines := 0
	for {
		n, err := f.ReadAt(buf, pos)
		chunk := buf[:n]
		pos += int64(n)
		for len(chunk) > 0 {
			i := bytes.IndexByte(chunk, '\n')
			if i < 0 {
				if !skipping && len(carry)+len(chunk) <= maxLine {
					carry = append(carry, chunk...)
				} else {
					skipping, carry = true, carry[:0]
				}
				break
			}
			piece := chunk[:i]
			chunk = chunk[i+1:]
			t.line++
			lines++
			switch {
			case skipping:
				t.m.addBad(t.line, fmt.Errorf("line longer than %d MB", maxLine>>20))
				skipping = false
			case len(carry)+len(piece) > maxLine:
				t.m.addBad(t.line, fmt.Errorf("line longer than %d MB", maxLine>>20))
			default:
				line := piece
				if len(carry) > 0 {
					line = append(carry, piece...)
				}
				t.parse(line, &rec)
			}
			carry = carry[:0]
			t.off = pos - int64(len(chunk))
		}
		if err == io.EOF || n == 0 {
			break
		}
		if err != nil {
			return lines, err
		}
	}
	t.torn = skipping || len(carry) > 0
	t.setGuard(f)
	return lines, nil
}

func (t *tail) parse(line []byte, rec *record) {
	if len(bytes.TrimSpace(line)) == 0 {
		return // blank lines are not records
	}
	if err := parseLine(line, rec); err != nil {
		t.m.addBad(t.line, err)
		return
	}
	t.m.add(rec)
}

func (t *tail) setGuard(f *os.File) {
	k := min(int64(guardBytes), t.off)
	t.guard = make([]byte, k)
	if _, err := f.ReadAt(t.guard, t.off-k); err != nil {
		t.guard = nil
	}
}
