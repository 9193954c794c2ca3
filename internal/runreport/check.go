package runreport

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Checking a page as a browser rendered it. The CI opens the reports of
// a tiny search and a tiny training in headless Chromium, which prints the
// document after its scripts ran (--dump-dom) and the console messages
// (--enable-logging=stderr); CheckDOM and CheckConsole read those and say
// what a person would find wrong: a chart missing or empty, an image that
// did not decode, a script that failed.

// Expected lists what a page of a kind of run must show: charts and
// tables present with data, and the sample grids. Optional charts may
// instead be a note that the run lacks their data.
type Expected struct {
	Charts, Optional, Tables, Galleries []string
}

// ExpectedFor returns what the page of a run of kind ("search", "train"
// or "eval") must show.
func ExpectedFor(kind string) (Expected, error) {
	switch kind {
	case "search":
		return Expected{
			Charts:    []string{"losses", "variances", "reward", "advantage", "entropy", "iteration-time", "choices", "candidates"},
			Tables:    []string{"topk", "result"},
			Galleries: []string{"samples"},
		}, nil
	case "train":
		return Expected{
			Charts:    []string{"losses", "is", "fid"},
			Optional:  []string{"lr"},
			Tables:    []string{"evaluations"},
			Galleries: []string{"samples"},
		}, nil
	case "eval":
		return Expected{
			Tables:   []string{"results"},
			Optional: []string{"shard-time", "shard-rate"},
		}, nil
	}
	return Expected{}, fmt.Errorf("unknown kind of run %q (want search, train or eval)", kind)
}

// dataMark matches the elements of a chart that draw data: a line, a
// band, points, heatmap cells, bars or dots.
var dataMark = regexp.MustCompile(`class="(line|band|bar|dot)"|<g class="points">\s*<(circle|rect|path)|<g class="cells"[^>]*>\s*<rect`)

// CheckDOM checks a page as Chromium's --dump-dom prints it: the page's
// script ran to the end (data-ready on the root element), no image failed
// to decode, and everything in want is there with data. It returns one
// line per checked item and an error listing every problem.
func CheckDOM(dom []byte, want Expected) ([]string, error) {
	var ok, problems []string
	root := dom
	if i := bytes.Index(dom, []byte("<head")); i >= 0 {
		root = dom[:i]
	}
	if !bytes.Contains(root, []byte(`data-ready="1"`)) {
		problems = append(problems, "the page's script did not finish (no data-ready on <html>): a script error, or the page did not load")
	}
	if n := len(brokenImage.FindAllIndex(dom, -1)); n > 0 {
		problems = append(problems, fmt.Sprintf("%d images failed to decode (class broken)", n))
	}
	for _, id := range want.Charts {
		if s, err := checkChart(dom, id, false); err != nil {
			problems = append(problems, err.Error())
		} else {
			ok = append(ok, s)
		}
	}
	for _, id := range want.Optional {
		if s, err := checkChart(dom, id, true); err != nil {
			problems = append(problems, err.Error())
		} else {
			ok = append(ok, s)
		}
	}
	for _, id := range want.Tables {
		el, found := element(dom, `data-table="`+id+`"`, "table")
		switch {
		case !found:
			problems = append(problems, fmt.Sprintf("table %s: missing", id))
		case bytes.Count(el, []byte("<tr")) < 2: // the head row and at least one row
			problems = append(problems, fmt.Sprintf("table %s: no rows", id))
		default:
			ok = append(ok, fmt.Sprintf("table %s: %d rows", id, bytes.Count(el, []byte("<tr"))-1))
		}
	}
	for _, id := range want.Galleries {
		el, found := element(dom, `data-gallery="`+id+`"`, "div")
		n := bytes.Count(el, []byte(`src="data:image/png;base64,`))
		switch {
		case !found:
			problems = append(problems, fmt.Sprintf("sample grids %s: missing", id))
		case n == 0:
			problems = append(problems, fmt.Sprintf("sample grids %s: no embedded image", id))
		default:
			ok = append(ok, fmt.Sprintf("sample grids %s: %d images", id, n))
		}
	}
	if len(problems) > 0 {
		return ok, errors.New(strings.Join(problems, "\n"))
	}
	return ok, nil
}

// checkChart checks the figure data-chart=id: present, an SVG with data
// drawn and without "no data". An optional chart may be a note instead.
func checkChart(dom []byte, id string, optional bool) (string, error) {
	el, found := element(dom, `data-chart="`+id+`"`, "figure")
	if !found {
		return "", fmt.Errorf("chart %s: missing", id)
	}
	open := el[:bytes.IndexByte(el, '>')+1]
	if bytes.Contains(open, []byte("absent")) {
		if optional {
			return fmt.Sprintf("chart %s: absent with a note (the run lacks its data)", id), nil
		}
		return "", fmt.Errorf("chart %s: absent: %s", id, strings.TrimSpace(stripTags(el)))
	}
	if !bytes.Contains(el, []byte("<svg")) {
		return "", fmt.Errorf("chart %s: no <svg>", id)
	}
	if bytes.Contains(el, []byte(`class="no-data"`)) {
		return "", fmt.Errorf("chart %s: shows \"no data\"", id)
	}
	marks := len(dataMark.FindAllIndex(el, -1))
	if marks == 0 {
		return "", fmt.Errorf("chart %s: nothing drawn (no line, band, points, cells or bars)", id)
	}
	return fmt.Sprintf("chart %s: %d data elements", id, marks), nil
}

// element returns the element whose start tag contains attr, up to its
// end tag </tag> (the elements checked do not nest in themselves).
func element(dom []byte, attr, tag string) ([]byte, bool) {
	i := bytes.Index(dom, []byte(attr))
	if i < 0 {
		return nil, false
	}
	start := bytes.LastIndex(dom[:i], []byte("<"+tag))
	if start < 0 {
		return nil, false
	}
	end := bytes.Index(dom[i:], []byte("</"+tag+">"))
	if end < 0 {
		return dom[start:], true
	}
	return dom[start : i+end+len(tag)+3], true
}

var (
	tags        = regexp.MustCompile(`<[^>]*>`)
	brokenImage = regexp.MustCompile(`<img[^>]*class="[^"]*\bbroken\b`)
)

func stripTags(b []byte) string { return string(tags.ReplaceAll(b, nil)) }

// CheckConsole reads Chromium's log (--enable-logging=stderr) and returns
// an error listing the console messages of the page: the report writes
// none, so any is a script error or a resource that failed.
func CheckConsole(log []byte) error {
	var msgs []string
	for _, line := range strings.Split(string(log), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			msgs = append(msgs, strings.TrimSpace(line))
		}
	}
	if len(msgs) > 0 {
		return fmt.Errorf("%d console messages:\n%s", len(msgs), strings.Join(msgs, "\n"))
	}
	return nil
}
