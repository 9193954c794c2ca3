package runreport

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/chart"
)

// SchemaVersion is the newest version of metrics.jsonl this package reads
// (the "version" of the file's "schema" record; files without one are
// version 0). A newer file is shown as far as its events are known.
const SchemaVersion = 1

// FileName is the name of the page Write puts in a run directory.
const FileName = "report.html"

// Options tune a page. The zero value is the default.
type Options struct {
	// MaxGrids bounds the sample grids embedded per run; 0 means 12.
	// Fewer are embedded when they would exceed a few megabytes.
	MaxGrids int

	// Live makes a page that polls the server that served it (see
	// Server) every PollInterval and updates itself when the run changed.
	Live         bool
	PollInterval time.Duration
}

func (o Options) maxGrids() int {
	if o.MaxGrids > 0 {
		return o.MaxGrids
	}
	return 12
}

// Page returns the HTML page of one run, or the comparison of several
// runs with one colour per run.
func Page(runs []*Run, o Options) ([]byte, error) {
	if len(runs) == 0 {
		return nil, errors.New("no run to show")
	}
	var p *page
	if len(runs) == 1 {
		p = runPage(runs[0], o)
	} else {
		p = comparePage(runs, o)
	}
	if o.Live {
		p.Live = true
		p.PollMS = int(o.PollInterval / time.Millisecond)
		if p.PollMS <= 0 {
			p.PollMS = 2000
		}
		p.Version = versionOf(runs)
	}
	return p.render()
}

// Write writes the page of one run to its directory (RUN/report.html),
// replacing an older one atomically, and returns the path.
func Write(r *Run, o Options) (string, error) {
	b, err := Page([]*Run{r}, o)
	if err != nil {
		return "", err
	}
	path := filepath.Join(r.Dir, FileName)
	return path, atomicfile.WriteBytes(path, b)
}

func runPage(r *Run, o Options) *page {
	var p *page
	switch r.Kind() {
	case "search":
		p = searchPage(r, o)
	case "train":
		p = trainPage(r, o)
	case "eval":
		p = evalPage(r, o)
	default:
		p = &page{Title: "Run · " + r.Name, Subtitle: r.Dir, Status: "waiting for data", StatusClass: "waiting"}
		p.Sections = []section{{ID: "waiting", Title: "Nothing to show yet",
			Intro: "The run directory has no records yet: metrics.jsonl appears when cmd/search, cmd/train or cmd/eval starts writing."}}
	}
	p.Notes = append(schemaNotes(r), append(r.Notes(), p.Notes...)...)
	return p
}

func schemaNotes(r *Run) []string {
	if v := r.tail.m.schemaVersion; v > SchemaVersion {
		return []string{fmt.Sprintf("metrics.jsonl has schema version %d, newer than this report reads (%d): what it does not know is left out", v, SchemaVersion)}
	}
	return nil
}

// factSpec describes a setting of the header: its label, the config key
// (empty for a value computed by format) and how to show the value.
type factSpec struct {
	label, key string
	format     func(v string) string
}

// configFacts returns the settings of specs that the run has.
func configFacts(r *Run, specs []factSpec) []fact {
	var facts []fact
	for _, s := range specs {
		v := ""
		if s.key != "" {
			if v = r.cfg(s.key); v == "" {
				continue
			}
		}
		if s.format != nil {
			v = s.format(v)
		}
		if v != "" {
			f := fact{Key: s.label, Value: v}
			if strings.ContainsAny(v, "/\\") || strings.HasSuffix(v, ".pth") || strings.HasSuffix(v, ".pb") || strings.HasSuffix(v, ".safetensors") {
				f.Class = "path" // a file name: room to read it
			}
			facts = append(facts, f)
		}
	}
	return facts
}

// engineFact summarises config.json's "engine" object (tensor.Policy:
// the arithmetic that ran the run), e.g. "avx2 GEMM kernel, auto
// convolutions (F(4x4,3x3) Winograd)"; runs written before the key
// existed show nothing.
func engineFact(v string) string {
	var e struct {
		Kernel   string `json:"gemm_kernel"`
		Mode     string `json:"conv_mode"`
		Winograd string `json:"winograd"`
	}
	if json.Unmarshal([]byte(v), &e) != nil || e.Kernel == "" {
		return ""
	}
	s := e.Kernel + " GEMM kernel, " + e.Mode + " convolutions"
	if e.Mode != "direct" && e.Winograd != "" {
		s += " (" + e.Winograd + " Winograd)"
	}
	return s
}

func nan() float64 { return math.NaN() }

// fmtNum formats a value for a table or the header; "–" when absent.
func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return chart.FormatValue(v)
}

// fmtCount formats a count with thousands separators: 11,730.
func fmtCount(v float64) string {
	if !finite(v) {
		return "–"
	}
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

// fmtDuration formats seconds for people: 42 s, 3 min 18 s, 2 h 05 min.
func fmtDuration(s float64) string {
	switch {
	case !finite(s) || s < 0:
		return "–"
	case s < 10:
		return strconv.FormatFloat(s, 'f', 1, 64) + " s"
	case s < 60:
		return strconv.Itoa(int(math.Round(s))) + " s"
	case s < 3600:
		t := int(math.Round(s))
		return fmt.Sprintf("%d min %02d s", t/60, t%60)
	}
	t := int(math.Round(s / 60))
	return fmt.Sprintf("%d h %02d min", t/60, t%60)
}

// versionHash shortens a version string for the page (FNV-1a, 64 bits).
func versionHash(s string) string {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return strconv.FormatUint(h, 36)
}
