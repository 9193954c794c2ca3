package runreport

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/autogan-go/autogan/internal/chart"
)

// The page: one HTML file with the charts as inline SVG, the sample grids
// as base64 PNG and a few lines of plain JavaScript (zoom a grid on click,
// mark images that fail to decode, and on a live page poll the server for
// changes). It loads nothing, so it opens from disk anywhere.

// page is what the template shows.
type page struct {
	Title       string
	Subtitle    string
	Status      string // "finished", "running", ...
	StatusClass string // done, running, stopped, waiting
	Headline    []fact // the few numbers that matter most, shown large
	Facts       []fact // settings
	Progress    []fact
	Warnings    []string // shown at the top in red: divergence
	Notes       []string // what was skipped or absent
	Sections    []section
	Live        bool
	PollMS      int
	Version     string
}

type fact struct {
	Key, Value string
	Title      string // tooltip
	Class      string // "arch" for an architecture, "path" for a file name: monospace, two columns wide
}

type section struct {
	ID, Title, Intro string
	Items            []item
}

// item is one block of a section: exactly one of its fields is set.
type item struct {
	Chart   *chartItem
	Table   *table
	Gallery *gallery
}

// chartItem is a chart or, when its data is absent, a short note in its
// place. The id names it for the browser check (data-chart).
type chartItem struct {
	ID     string
	Wide   bool
	SVG    template.HTML
	Absent string
}

type table struct {
	ID        string
	Caption   string
	Head      []string
	HeadClass []string // per column: "num" for right-aligned numbers (set by render)
	Rows      [][]cell
	Wide      bool
}

type cell struct {
	Text  string
	Class string // num, arch, best, desc
	Title string
	Color string // CSS colour of the text, e.g. a run's colour swatch
}

type gallery struct {
	ID     string
	Note   string
	Images []galleryImage
}

type galleryImage struct {
	Src       template.URL
	Caption   string
	Width     int // size shown
	Height    int
	Pixelated bool // enlarged without smoothing
}

// Chart sizes: two charts side by side on a wide screen, or one wide.
const (
	chartW     = 580
	chartH     = 300
	wideChartW = 1180
)

// chartOf renders c as an item; a chart that cannot be drawn (which
// would be a bug in the data preparation) becomes a note, never a failed
// page.
func chartOf(id string, c chart.Chart) item {
	b, err := c.SVG()
	if err != nil {
		return item{Chart: &chartItem{ID: id, Absent: fmt.Sprintf("This chart could not be drawn: %v", err)}}
	}
	return item{Chart: &chartItem{ID: id, SVG: template.HTML(b)}}
}

func wideChartOf(id string, c chart.Chart) item {
	it := chartOf(id, c)
	it.Chart.Wide = true
	return it
}

// absent is the note shown in place of a chart whose data the run does
// not have.
func absent(id, note string) item {
	return item{Chart: &chartItem{ID: id, Absent: note}}
}

func (p *page) render() ([]byte, error) {
	// Column heads align like their column's numbers.
	for _, s := range p.Sections {
		for _, it := range s.Items {
			if t := it.Table; t != nil {
				t.HeadClass = make([]string, len(t.Head))
				if len(t.Rows) > 0 {
					for j, c := range t.Rows[0] {
						if j < len(t.HeadClass) && strings.HasPrefix(c.Class, "num") {
							t.HeadClass[j] = "num"
						}
					}
				}
			}
		}
	}
	var b bytes.Buffer
	if err := pageTemplate.Execute(&b, p); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

const pageHTML = `<!DOCTYPE html>
<html lang="en"{{if .Live}} data-live="{{.PollMS}}" data-version="{{.Version}}"{{end}}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="autogan-go cmd/report">
<title>{{.Title}}</title>
<style>
:root{--fg:#1d2125;--muted:#5c6570;--line:#dde1e6;--bg:#f4f6f8;--card:#fff;--accent:#0072B2}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:var(--card);border-bottom:1px solid var(--line);padding:18px 28px 10px}
.wrap{max-width:1240px;margin:0 auto}
h1{font-size:22px;margin:0;font-weight:650}
.sub{color:var(--muted);font-size:13px;margin-top:2px;word-break:break-all}
.badge{display:inline-block;padding:2px 9px;border-radius:11px;font-size:12px;font-weight:600;vertical-align:3px;margin-left:10px}
.badge.done{background:#dff3e9;color:#0a6640}.badge.running{background:#fff1d6;color:#7a4a00}
.badge.stopped{background:#eceef1;color:#3d444c}.badge.waiting{background:#e6f0fa;color:#0b4f80}.badge.failed{background:#fde5e2;color:#8c1d12}
.headline{display:flex;flex-wrap:wrap;gap:10px 36px;margin:14px 0 4px}
.headline .v{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
.k{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.05em}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:6px 20px;margin:12px 0 4px}
.facts .v{font-weight:600;overflow-wrap:anywhere}
.facts .span2{grid-column:span 2}
.v.arch{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;white-space:nowrap}
.headline .v.arch{font-size:20px;padding-top:3px}
.v.path{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-weight:500}
table.data th.num{text-align:right}
.facts.progress{padding-top:10px;border-top:1px dashed var(--line)}
nav.toc{margin-top:12px;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
nav.toc a{color:var(--accent);text-decoration:none}nav.toc a:hover{text-decoration:underline}
main{padding:6px 28px 28px}
section{margin-top:22px}
h2{font-size:17px;margin:0 0 4px;font-weight:650}
.intro{color:var(--muted);margin:0 0 10px;max-width:960px}
.items{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px}
.wide{grid-column:1/-1}
figure{margin:0}
figure.chart{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:6px;text-align:center}
figure.chart svg{display:block;margin:0 auto}
figure.absent{display:flex;align-items:center;justify-content:center;min-height:64px;color:var(--muted);font-style:italic;padding:12px 18px}
.tablebox{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:4px 0;overflow-x:auto}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data caption{text-align:left;font-weight:600;padding:6px 12px}
table.data th{text-align:left;color:var(--muted);font-weight:600;font-size:12px;padding:5px 12px;border-bottom:1px solid var(--line)}
table.data td{padding:5px 12px;border-bottom:1px solid #eef0f2;vertical-align:top}
table.data tr:last-child td{border-bottom:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.arch{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;white-space:nowrap}
td.desc{color:#3d444c}
td.best{font-weight:650;color:#0a6640}
.gallery{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
.gallery figure{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:6px}
.gallery img{display:block;height:auto;cursor:zoom-in}
.gallery img.pixelated{image-rendering:pixelated}
.gallery img.big{cursor:zoom-out}
.gallery img.broken{outline:3px solid #c0392b}
.gallery figcaption{font-size:12px;color:var(--muted);text-align:center;margin-top:4px}
.gallerynote{color:var(--muted);font-size:12px;margin:0 0 8px}
.warn{background:#fde5e2;border:1px solid #f3b8b0;color:#8c1d12;padding:8px 12px;border-radius:6px;margin-top:14px}
ul.notes{color:var(--muted);margin:4px 0;padding-left:20px;font-size:13px}
footer{color:var(--muted);font-size:12px;padding:0 28px 24px}
</style>
</head>
<body>
<div id="page">
<header class="top"><div class="wrap">
<h1>{{.Title}}{{if .Status}} <span class="badge {{.StatusClass}}">{{.Status}}</span>{{end}}</h1>
{{if .Subtitle}}<div class="sub">{{.Subtitle}}</div>{{end}}
{{if .Headline}}<div class="headline">{{range .Headline}}<div{{if .Title}} title="{{.Title}}"{{end}}><div class="k">{{.Key}}</div><div class="v{{if .Class}} {{.Class}}{{end}}">{{.Value}}</div></div>{{end}}</div>{{end}}
{{if .Facts}}<div class="facts">{{range .Facts}}<div{{if .Title}} title="{{.Title}}"{{end}}{{if .Class}} class="span2"{{end}}><div class="k">{{.Key}}</div><div class="v{{if .Class}} {{.Class}}{{end}}">{{.Value}}</div></div>{{end}}</div>{{end}}
{{if .Progress}}<div class="facts progress">{{range .Progress}}<div{{if .Title}} title="{{.Title}}"{{end}}><div class="k">{{.Key}}</div><div class="v">{{.Value}}</div></div>{{end}}</div>{{end}}
{{if .Sections}}<nav class="toc">{{range .Sections}}<a href="#{{.ID}}">{{.Title}}</a>{{end}}{{if .Notes}}<a href="#notes">Notes</a>{{end}}</nav>{{end}}
</div></header>
<main><div class="wrap">
{{range .Warnings}}<div class="warn">{{.}}</div>
{{end}}
{{- range .Sections}}
<section id="{{.ID}}">
<h2>{{.Title}}</h2>
{{if .Intro}}<p class="intro">{{.Intro}}</p>{{end}}
<div class="items">
{{- range .Items}}
{{- with .Chart}}
{{if .Absent}}<figure class="chart absent{{if .Wide}} wide{{end}}" data-chart="{{.ID}}">{{.Absent}}</figure>
{{else}}<figure class="chart{{if .Wide}} wide{{end}}" data-chart="{{.ID}}">{{.SVG}}</figure>
{{end}}
{{- end}}
{{- with .Table}}{{$t := .}}
<div class="tablebox{{if .Wide}} wide{{end}}"><table class="data" data-table="{{.ID}}">{{if .Caption}}<caption>{{.Caption}}</caption>{{end}}
<thead><tr>{{range $i, $h := .Head}}<th{{with index $t.HeadClass $i}} class="{{.}}"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr>{{range .}}<td{{if .Class}} class="{{.Class}}"{{end}}{{if .Title}} title="{{.Title}}"{{end}}{{if .Color}} style="color:{{.Color}}"{{end}}>{{.Text}}</td>{{end}}</tr>
{{end}}</tbody></table></div>
{{- end}}
{{- with .Gallery}}
<div class="wide" data-gallery="{{.ID}}">{{if .Note}}<p class="gallerynote">{{.Note}}</p>{{end}}<div class="gallery">
{{range .Images}}<figure><img src="{{.Src}}" width="{{.Width}}" height="{{.Height}}" alt="{{.Caption}}"{{if .Pixelated}} class="pixelated"{{end}}><figcaption>{{.Caption}}</figcaption></figure>
{{end}}</div></div>
{{- end}}
{{- end}}
</div>
</section>
{{- end}}
{{if .Notes}}<section id="notes"><h2>Notes</h2><ul class="notes">{{range .Notes}}<li>{{.}}</li>{{end}}</ul></section>{{end}}
</div></main>
<footer><div class="wrap">Written by <code>go run ./cmd/report</code> (AutoGAN in pure Go). Hover over a chart for values; click a sample grid to enlarge it.{{if .Live}} <span id="live-status">Live: the page follows the run.</span>{{end}}</div></footer>
</div>
<script>
(function () {
  "use strict";
  var root = document.documentElement;
  // Mark images that failed to decode, so that a broken page shows it
  // (and the browser check in .ci finds it). At the window's load every
  // image is done; the content a live page puts in may still be decoding,
  // so an image not yet done is checked again when it is.
  function checkImages() {
    var imgs = document.querySelectorAll("img");
    for (var i = 0; i < imgs.length; i++) {
      checkImage(imgs[i]);
    }
  }
  function checkImage(img) {
    if (!img.complete) {
      img.addEventListener("load", imageDone);
      img.addEventListener("error", imageDone);
    } else if (img.naturalWidth === 0) {
      img.classList.add("broken");
    }
  }
  function imageDone(e) { checkImage(e.target); }
  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.tagName === "IMG" && t.closest(".gallery")) {
      var big = t.classList.toggle("big");
      t.style.width = big ? (2 * parseInt(t.getAttribute("width"), 10)) + "px" : "";
    }
  });
  window.addEventListener("load", function () {
    checkImages();
    root.setAttribute("data-ready", "1");
  });
  // A live page asks the server for the run's version and, when it
  // changed, replaces its content with the new page (keeping the scroll
  // position).
  var poll = parseInt(root.getAttribute("data-live") || "0", 10);
  if (poll > 0) {
    var version = root.getAttribute("data-version");
    var busy = false;
    var status = function (s) {
      var el = document.getElementById("live-status");
      if (el) { el.textContent = s; }
    };
    setInterval(function () {
      if (busy) { return; }
      busy = true;
      fetch("state", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
        if (s.version === version) {
          status("Live: up to date at " + new Date().toLocaleTimeString() + ".");
          return null;
        }
        return fetch("./", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var next = doc.getElementById("page");
          if (next) {
            document.getElementById("page").innerHTML = next.innerHTML;
            document.title = doc.title;
            version = doc.documentElement.getAttribute("data-version");
            checkImages(); // the load handler saw only the first content
          }
          status("Live: updated at " + new Date().toLocaleTimeString() + ".");
        });
      }).catch(function () {
        status("Live: the server does not answer; retrying.");
      }).then(function () { busy = false; });
    }, poll);
  }
})();
</script>
</body>
</html>
`
