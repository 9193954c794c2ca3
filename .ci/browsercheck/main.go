// Command browsercheck reads what headless Chromium made of a report page
// (the DOM printed by --dump-dom, its log from --enable-logging=stderr and
// a --screenshot) and fails unless the page loaded without console
// messages, its script finished, every chart expected for the kind of run
// is there and draws data, and the screenshot is a real image. It is run
// by .ci/browser-test; the checks themselves are runreport.CheckDOM and
// runreport.CheckConsole, which have unit tests.
//
//	go run ./.ci/browsercheck -kind search -dom page.dom -log chromium.log -screenshot page.png
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"os"

	"github.com/autogan-go/autogan/internal/runreport"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "browsercheck:", err)
		os.Exit(1)
	}
}

func run() error {
	kind := flag.String("kind", "", "kind of run: search, train or eval")
	domFile := flag.String("dom", "", "the page's DOM as chromium --dump-dom printed it")
	logFile := flag.String("log", "", "chromium's stderr with --enable-logging=stderr")
	shot := flag.String("screenshot", "", "chromium's --screenshot of the page (optional)")
	flag.Parse()
	if *kind == "" || *domFile == "" || *logFile == "" {
		flag.Usage()
		return errors.New("-kind, -dom and -log are required")
	}
	want, err := runreport.ExpectedFor(*kind)
	if err != nil {
		return err
	}
	dom, err := os.ReadFile(*domFile)
	if err != nil {
		return err
	}
	log, err := os.ReadFile(*logFile)
	if err != nil {
		return err
	}
	var problems []error
	if err := runreport.CheckConsole(log); err != nil {
		problems = append(problems, err)
	}
	ok, err := runreport.CheckDOM(dom, want)
	for _, s := range ok {
		fmt.Printf("  ok  %s\n", s)
	}
	if err != nil {
		problems = append(problems, err)
	}
	if *shot != "" {
		if s, err := checkScreenshot(*shot); err != nil {
			problems = append(problems, err)
		} else {
			fmt.Printf("  ok  %s\n", s)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s page %s:\n%w", *kind, *domFile, errors.Join(problems...))
	}
	fmt.Printf("%s page: loaded without console messages, everything expected is drawn\n", *kind)
	return nil
}

// checkScreenshot decodes the PNG and checks that it is not blank: a page
// that failed to render is one colour.
func checkScreenshot(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("screenshot %s: %v", path, err)
	}
	r := img.Bounds()
	colours := map[[3]uint32]bool{}
	for y := r.Min.Y; y < r.Max.Y; y += 7 {
		for x := r.Min.X; x < r.Max.X; x += 7 {
			c0, c1, c2, _ := img.At(x, y).RGBA()
			colours[[3]uint32{c0 >> 12, c1 >> 12, c2 >> 12}] = true
		}
	}
	if len(colours) < 16 {
		return "", fmt.Errorf("screenshot %s is nearly blank (%d colours)", path, len(colours))
	}
	return fmt.Sprintf("screenshot %d × %d, %d colours (sampled)", r.Dx(), r.Dy(), len(colours)), nil
}
