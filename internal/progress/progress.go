// Package progress reports the progress of long work: on a terminal, one
// live line (stage, step, rate, ETA and a note) rewritten in place, cut to
// the terminal's width (ending with "…") so that it never wraps; when the
// output is not a terminal (a batch job's log), a full plain line every
// interval, so logs stay readable.
package progress

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Reporter prints progress lines. It is safe for concurrent use.
type Reporter struct {
	mu       sync.Mutex
	w        io.Writer
	live     bool
	interval time.Duration
	stage    string
	total    int
	unit     string
	from     int // steps already done when the stage (re)started
	start    time.Time
	last     time.Time
	lastLen  int // runes of the last live line written
	now      func() time.Time
	width    func() int // the terminal's width in columns, asked at each live redraw
}

// New returns a reporter writing to w; live selects the rewritten line
// (use IsTerminal). Plain lines are written at most every interval. The
// live line is cut to the width of the terminal when w is an *os.File on
// one, otherwise to $COLUMNS, or 80 columns.
func New(w io.Writer, live bool, interval time.Duration) *Reporter {
	width := envWidth
	if f, ok := w.(*os.File); ok {
		width = func() int { return termWidth(f) }
	}
	return &Reporter{w: w, live: live, interval: interval, now: time.Now, width: width}
}

// Stderr returns a reporter on standard error, live when it is a terminal,
// otherwise printing a line every 30 seconds.
func Stderr() *Reporter { return New(os.Stderr, IsTerminal(os.Stderr), 30*time.Second) }

// Quiet returns a reporter that prints nothing (for tests and library
// callers that report by other means).
func Quiet() *Reporter { return New(io.Discard, false, 0) }

// IsTerminal reports whether f is a character device (a terminal).
func IsTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Start begins a stage of total steps counted in unit ("steps", "images").
func (r *Reporter) Start(stage string, total int, unit string) { r.StartAt(stage, total, 0, unit) }

// StartAt begins a stage of which done steps were finished before (by the
// run a resumed one continues): the count goes on from done, and the rate
// and ETA count only the steps done from now on.
func (r *Reporter) StartAt(stage string, total, done int, unit string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endLine()
	r.stage, r.total, r.from, r.unit = stage, total, done, unit
	r.start = r.now()
	r.last = time.Time{}
}

// Update reports that done steps of the stage are finished; note is shown
// after the numbers (the last rewards, a loss).
func (r *Reporter) Update(done int, note string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if !r.live && !r.last.IsZero() && now.Sub(r.last) < r.interval && done < r.total {
		return
	}
	r.last = now
	line := r.format(done, now, note)
	if r.live {
		// The cursor must never reach the last column: a line that wraps
		// leaves its first rows behind, as "\r" only returns to the start
		// of the last one.
		cols := max(r.width()-1, 1)
		line = cut(line, cols)
		n := utf8.RuneCountInString(line)
		pad := ""
		if p := min(r.lastLen, cols) - n; p > 0 {
			pad = strings.Repeat(" ", p)
		}
		fmt.Fprintf(r.w, "\r%s%s", line, pad)
		r.lastLen = n
		return
	}
	fmt.Fprintln(r.w, line)
}

// cut returns s cut to at most n runes, ending with "…" when cut (all the
// reporter's text is single-width, so runes count columns).
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for j := range s {
		if k == n-1 {
			i = j
			break
		}
		k++
	}
	return s[:i] + "…"
}

// envWidth is the width of a terminal that cannot be asked: $COLUMNS when
// it is a positive number, otherwise 80.
func envWidth() int {
	if n, err := strconv.Atoi(strings.TrimSpace(os.Getenv("COLUMNS"))); err == nil && n > 0 {
		return n
	}
	return 80
}

func (r *Reporter) format(done int, now time.Time, note string) string {
	el := now.Sub(r.start)
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d/%d %s", r.stage, done, r.total, r.unit)
	if done > r.from && el > 200*time.Millisecond { // too early for a meaningful rate
		rate := float64(done-r.from) / el.Seconds()
		fmt.Fprintf(&b, "  %.2f %s/s", rate, r.unit)
		if r.total > done {
			eta := time.Duration(float64(r.total-done) / rate * float64(time.Second))
			fmt.Fprintf(&b, "  ETA %s", eta.Round(time.Second))
		}
	}
	if note != "" {
		b.WriteString("  " + note)
	}
	return b.String()
}

// Log prints a message on its own line (ending the live line first).
func (r *Reporter) Log(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endLine()
	fmt.Fprintf(r.w, format+"\n", args...)
}

// Done ends the live line.
func (r *Reporter) Done() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.endLine()
}

func (r *Reporter) endLine() {
	if r.live && r.lastLen > 0 {
		fmt.Fprintln(r.w)
		r.lastLen = 0
	}
}
