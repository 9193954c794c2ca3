// Command report shows a run of cmd/search, cmd/train or cmd/eval as one
// self-contained HTML page: charts of the losses and their variances with
// the dynamic resets, the controller's reward, entropy and choices, the
// candidates and the result of a search; losses, learning rates, IS and FID
// of a training; the scores and shard timings of an evaluation; and the
// sample grids. The page loads nothing from the network and opens from
// disk in any browser.
//
//	go run ./cmd/report runs/demo                  # writes runs/demo/report.html
//	go run ./cmd/report -serve runs/demo           # live at http://localhost:8080/ while the run goes on
//	go run ./cmd/report -out seeds.html runs/s1 runs/s2 runs/s3   # compare runs, one colour each
//
// With several runs the page overlays their charts; it is written to -out
// (default report.html in the current directory). -serve serves the page
// with net/http on -addr (default localhost:8080, reachable from this
// machine only) and the page updates itself as metrics.jsonl grows.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/autogan-go/autogan/cmd/internal/cli"
	"github.com/autogan-go/autogan/internal/atomicfile"
	"github.com/autogan-go/autogan/internal/runreport"
)

func main() {
	ctx, stop := cli.Interruptible("stopping")
	defer stop()
	cli.Exit("report", run(ctx, os.Args[1:], os.Stdout))
}

// options are the command line of report.
type options struct {
	serve     bool
	addr, out string
	grids     int
	poll      time.Duration
}

// flags defines the command line of report.
func flags() (*cli.FlagSet, *options) {
	fs := cli.NewFlagSet("report [flags]",
		"Writes RUN/report.html, the charts and sample grids of a search, training or evaluation run;\n"+
			"with several runs, one page that overlays them; with -serve, the live page.")
	fs.ArgsUsage = "RUN [RUN ...]"
	var o options
	fs.Group("Page")
	fs.StringVar(&o.out, "out", "", "page to write (default RUN/report.html for one run, report.html for several)")
	fs.IntVar(&o.grids, "grids", 12, "sample grids to embed per run at most")
	fs.Group("Live")
	fs.BoolVar(&o.serve, "serve", false, "serve the page live instead of writing it")
	fs.StringVar(&o.addr, "addr", "localhost:8080", "address to serve on with -serve (host:port; a bare :port listens on every interface)")
	fs.Var(durationValue{&o.poll}, "poll", "how often a live page checks for changes (default 2s)")
	o.poll = 2 * time.Second
	return fs, &o
}

// durationValue is a time.Duration flag.
type durationValue struct{ d *time.Duration }

func (v durationValue) String() string {
	if v.d == nil {
		return ""
	}
	return v.d.String()
}

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs, o := flags()
	fs.HelpOutput = stdout
	dirs, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return cli.Usagef("give a run directory, e.g. report runs/demo")
	}
	serve, addr, out, grids, poll := &o.serve, &o.addr, &o.out, &o.grids, &o.poll
	if *grids < 1 {
		return cli.Usagef("-grids must be at least 1")
	}
	// The live page counts in milliseconds, and replaced an interval of
	// 0 ms or less with 2 s silently: the help gives it no meaning.
	if *poll < time.Millisecond {
		return cli.Usagef("-poll %v: want at least 1ms, e.g. 2s", *poll)
	}
	for _, d := range dirs {
		if cli.CheckExists("", d) != nil {
			return cli.Usagef("run directory %s does not exist", d)
		}
	}
	opt := runreport.Options{MaxGrids: *grids, PollInterval: *poll}
	if *serve {
		if _, _, err := net.SplitHostPort(*addr); err != nil {
			return cli.Usagef("-addr: %v (want host:port, e.g. localhost:8080)", err)
		}
		return serveRuns(ctx, dirs, *addr, opt, stdout)
	}

	start := time.Now()
	runs := make([]*runreport.Run, len(dirs))
	for i, d := range dirs {
		if runs[i], err = runreport.Open(d); err != nil {
			return err
		}
	}
	path := *out
	if path == "" {
		path = runreport.FileName
		if len(runs) == 1 {
			path = filepath.Join(runs[0].Dir, runreport.FileName)
		}
	}
	// The page is written once it is made: a path that cannot take it is
	// refused first.
	if err := cli.CheckOutput("out", path); err != nil {
		return err
	}
	page, err := runreport.Page(runs, opt)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(path, page); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%s, %.2f s)\n", path, size(len(page)), time.Since(start).Seconds())
	for _, r := range runs {
		for _, n := range r.Notes() {
			fmt.Fprintf(stdout, "  note: %s: %s\n", r.Dir, n)
		}
	}
	return nil
}

// parseInterspersed parses flags that may come after the run directories
// too (report runs/demo -serve).
func parseInterspersed(fs *cli.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func serveRuns(ctx context.Context, dirs []string, addr string, opt runreport.Options, stdout io.Writer) error {
	runs := make([]*runreport.Run, len(dirs))
	for i, d := range dirs {
		var err error
		if runs[i], err = runreport.Watch(d); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		fmt.Fprintf(stdout, "warning: %s listens on every network interface; use localhost:PORT to keep the page on this machine\n", addr)
	}
	srv := &http.Server{Handler: runreport.NewServer(runs, opt), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "serving %s at http://%s/ (Ctrl-C to stop)\n", strings.Join(dirs, ", "), urlHost(ln.Addr()))
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// urlHost returns the host:port to print for the listener: localhost for
// the loopback address.
func urlHost(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP.IsLoopback() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
