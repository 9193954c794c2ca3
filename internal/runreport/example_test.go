package runreport_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/autogan-go/autogan/internal/runreport"
)

func Example() {
	// A finished tiny search (testdata/search holds its run directory).
	run, err := runreport.Open("testdata/search")
	if err != nil {
		log.Fatal(err)
	}
	page, err := runreport.Page([]*runreport.Run{run}, runreport.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// runreport.Write(run, runreport.Options{}) would save it as
	// testdata/search/report.html.
	fmt.Println(run.Kind())
	fmt.Println(bytes.Count(page, []byte("<svg")), "charts")
	fmt.Println(bytes.Count(page, []byte(`src="data:image/png`)), "sample grids")
	// Output:
	// search
	// 8 charts
	// 3 sample grids
}

func ExampleCheckDOM() {
	// What the browser check expects on the page of a training run.
	want, _ := runreport.ExpectedFor("train")
	fmt.Println(want.Charts, want.Optional, want.Tables)
	// Output: [losses is fid] [lr] [evaluations]
}
