package runreport

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server serves the live page of one or more runs over HTTP:
//
//	/             the page; it polls /state and updates itself when the run changes
//	/state        {"version": "..."}: changes whenever the page would
//	/report.html  the same page without polling, to save as a file
//
// Every request first reads what the runs appended since the last one
// (at most every MinRefresh), so the page follows a run that is being
// written, and one whose metrics.jsonl was rewritten shorter by a resume.
// The page is rebuilt only when the runs changed, and not more often than
// BuildShare allows: following a long run must not take the processor
// from it.
type Server struct {
	runs []*Run
	opt  Options
	// MinRefresh is the least time between two reads of the run
	// directories; requests in between see the last state.
	MinRefresh time.Duration
	// BuildShare bounds the share of time spent building pages: after a
	// build that took d, the next waits at least d/BuildShare (a page of
	// a paper-length search takes about a second to build). 0 rebuilds
	// whenever the runs changed.
	BuildShare float64

	mu      sync.Mutex
	last    time.Time
	lastErr error
	page    []byte // the live page last built
	version string // its version
	built   time.Time
	cost    time.Duration // how long it took
}

// NewServer returns a server of the runs' page with the options o (Live
// is set by the server).
func NewServer(runs []*Run, o Options) *Server {
	if o.PollInterval <= 0 {
		o.PollInterval = 2 * time.Second
	}
	return &Server{runs: runs, opt: o, MinRefresh: 500 * time.Millisecond, BuildShare: 0.25}
}

// current returns the live page and its version, rebuilt if the runs
// changed since it was built and BuildShare allows. The caller holds s.mu.
func (s *Server) current() ([]byte, string, error) {
	if err := s.refresh(); err != nil {
		return nil, "", err
	}
	v := versionOf(s.runs)
	if s.page != nil && v != s.version && s.BuildShare > 0 &&
		time.Since(s.built) < time.Duration(float64(s.cost)/s.BuildShare) {
		return s.page, s.version, nil // changed, but too soon to build again
	}
	if s.page == nil || v != s.version {
		start := time.Now()
		o := s.opt
		o.Live = true
		b, err := Page(s.runs, o)
		if err != nil {
			return nil, "", err
		}
		s.page, s.version, s.built, s.cost = b, v, time.Now(), time.Since(start)
	}
	return s.page, s.version, nil
}

// refresh reads the runs' changes unless that was done very recently.
// The caller holds s.mu.
func (s *Server) refresh() error {
	if !s.last.IsZero() && time.Since(s.last) < s.MinRefresh {
		return s.lastErr
	}
	s.last = time.Now()
	s.lastErr = nil
	for _, r := range s.runs {
		if err := r.Refresh(); err != nil {
			s.lastErr = err
		}
	}
	return s.lastErr
}

func versionOf(runs []*Run) string {
	v := make([]string, len(runs))
	for i, r := range runs {
		v[i] = r.Version()
	}
	return versionHash(strings.Join(v, "\n"))
}

func (s *Server) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch req.URL.Path {
	case "/", "/index.html", "/report.html", "/state":
	default:
		http.NotFound(w, req)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	if req.URL.Path == "/report.html" {
		// The page to keep: built now, without polling.
		if err := s.refresh(); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		// The options may ask for Live themselves (NewServer keeps them
		// as given); a saved page that polls would only fail.
		o := s.opt
		o.Live = false
		b, err := Page(s.runs, o)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
		return
	}
	page, version, err := s.current()
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	if req.URL.Path == "/state" {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(struct {
			Version string `json:"version"`
		}{version})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(page)
}
