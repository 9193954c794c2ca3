package runreport

import (
	"bufio"
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A search of the paper's length logged at every step: 65 iterations of
// 11,730 discriminator steps (762,450 "shared" records), 30 controller
// steps per iteration with the choice probabilities, 10 candidates at each
// growth and at the end, and 65 sample grids. The page must stay under
// 10 MB and be generated in well under 10 s. Wall time on a shared
// machine says little, so the test bounds the processor time (generously:
// it is about 2.5 s) and logs both; BenchmarkPaperLengthPage measures it.
const (
	paperIters      = 65
	paperSteps      = 11730
	paperCtrlSteps  = 30
	paperGrow1      = 15
	paperGrow2      = 35
	paperCandidates = 10
)

func writePaperRun(t testing.TB, dir string) (records int) {
	t.Helper()
	config := fmt.Sprintf(`{"preset":"paper","seed":1,"dataset":"cifar10","dataset_n":50000,"gf_dim":256,"df_dim":128,`+
		`"latent_dim":128,"gen_batch_size":128,"dis_batch_size":64,"max_search_iter":%d,"grow_step1":%d,"grow_step2":%d,`+
		`"ctrl_step":%d,"num_candidate":%d,"topk":5,"reward":"is","scorer":"pt_inception-2015-12-05.pth","dynamic_reset":true,`+
		`"dynamic_reset_threshold":0.001,"dynamic_reset_window":500,"strategy":"mlas","log_every":1}`,
		paperIters, paperGrow1, paperGrow2, paperCtrlSteps, paperCandidates)
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "metrics.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	num := func(b []byte, v float64) []byte {
		if math.IsNaN(v) {
			return append(b, `"NaN"`...)
		}
		return strconv.AppendFloat(b, v, 'g', 8, 64)
	}
	var b []byte
	line := func() {
		w.Write(append(b, '\n'))
		records++
	}
	b = append(b[:0], `{"event":"schema","version":1,"kind":"search"}`...)
	line()
	stage := 0
	for it := 0; it < paperIters; it++ {
		if it == paperGrow1 || it == paperGrow2 {
			writeCandidates(&b, line, rng, it, stage)
			stage++
			b = fmt.Appendf(b[:0], `{"event":"grow","iter":%d,"stage":%d,"image_size":%d}`, it, stage, 8<<stage)
			line()
		}
		for s := 0; s < paperSteps; s++ {
			phase := float64(s) / paperSteps
			d := 1 + 0.3*math.Sin(40*phase) + 0.1*rng.NormFloat64()
			g := 0.5 + 0.2*math.Cos(30*phase) + 0.1*rng.NormFloat64()
			dv := 0.05 * math.Exp(-3*phase) * (1 + 0.2*rng.Float64())
			gv := 0.02 * math.Exp(-2*phase) * (1 + 0.2*rng.Float64())
			if it == 40 && s == 5000 {
				d = 500 // one spike: decimation must keep it
			}
			if it == 50 && s == 100 {
				d = math.NaN() // a gap
			}
			b = fmt.Appendf(b[:0], `{"arch":"1 0 1 1 1 0 0 1 1","d_loss":`)
			b = num(b, d)
			b = append(b, `,"d_var":`...)
			b = num(b, dv)
			b = append(b, `,"epoch":0,"event":"shared","g_loss":`...)
			b = num(b, g)
			b = append(b, `,"g_var":`...)
			b = num(b, gv)
			b = fmt.Appendf(b, `,"iter":%d,"stage":%d,"step":%d}`, it, stage, s)
			line()
		}
		if it%9 == 4 {
			b = fmt.Appendf(b[:0], `{"event":"reset","iter":%d,"step":%d,"g_var":0.0009,"d_var":0.01}`, it, paperSteps-1)
			line()
		}
		k := 4
		if stage > 0 {
			k = 5
		}
		for c := 0; c < paperCtrlSteps; c++ {
			reward := 3 + float64(it)/20 + 0.3*rng.NormFloat64()
			b = fmt.Appendf(b[:0], `{"event":"controller","iter":%d,"stage":%d,"step":%d,"arch":"1 0 1 1","is":%g,"reward":%g,`+
				`"entropy":%g,"adv":%g,"baseline":%g,"loss":0.1,"probs":[`, it, stage, c, reward, reward, 1-float64(it)/100, 0.1*rng.NormFloat64(), reward-0.1)
			for tok := 0; tok < k; tok++ {
				if tok > 0 {
					b = append(b, ',')
				}
				n := []int{2, 3, 3, 2, 1 << stage}[tok]
				b = append(b, '[')
				for ch := 0; ch < n; ch++ {
					if ch > 0 {
						b = append(b, ',')
					}
					b = strconv.AppendFloat(b, 1/float64(n), 'g', 6, 64)
				}
				b = append(b, ']')
			}
			b = append(b, "]}"...)
			line()
		}
		b = fmt.Appendf(b[:0], `{"event":"iteration","iter":%d,"stage":%d,"d_steps":%d,"g_steps":%d,"resets":0,"seconds":%g}`,
			it, stage, paperSteps, paperSteps/5, 3000+100*rng.Float64())
		line()
	}
	writeCandidates(&b, line, rng, paperIters, stage)
	b = append(b[:0], `{"event":"result","archs":["1 0 1 1 1 0 0 1 1 1 0 1 0 3"]}`...)
	line()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return records
}

func writeCandidates(b *[]byte, line func(), rng *rand.Rand, it, stage int) {
	var archs []string
	for c := 0; c < paperCandidates; c++ {
		arch := fmt.Sprintf("%d %d %d 1", c%2, c%3, (c+1)%3)
		*b = fmt.Appendf((*b)[:0], `{"event":"candidate","iter":%d,"index":%d,"arch":"%s","reward":%g,"is":%g}`,
			it, c, arch, 4+rng.Float64(), 4+rng.Float64())
		line()
		if c < 5 {
			archs = append(archs, `"`+arch+`"`)
		}
	}
	*b = fmt.Appendf((*b)[:0], `{"event":"topk","iter":%d,"archs":[%s]}`, it, strings.Join(archs, ","))
	line()
}

// writePaperGrids writes 65 grids as cmd/search does: 8 × 8 images of
// 32 × 32 pixels with 2-pixel gaps, enlarged 4 times (a few hundred kB
// each, incompressible noise: the worst case for the page size).
func writePaperGrids(t testing.TB, dir string) {
	t.Helper()
	const side, pad, f = 32, 2, 4
	n := 8*(side+pad) + pad
	rng := rand.New(rand.NewPCG(3, 4))
	small := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			small.Set(x, y, color.NRGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255})
		}
	}
	big := image.NewNRGBA(image.Rect(0, 0, n*f, n*f))
	for y := 0; y < n*f; y++ {
		for x := 0; x < n*f; x++ {
			big.Set(x, y, small.At(x/f, y/f))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, big); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "samples"), 0o755)
	for it := 0; it < paperIters; it++ {
		if err := os.WriteFile(filepath.Join(dir, "samples", fmt.Sprintf("iter_%03d.png", it)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPaperLengthSearchPage(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Now()
	records := writePaperRun(t, dir)
	writePaperGrids(t, dir)
	st, _ := os.Stat(filepath.Join(dir, "metrics.jsonl"))
	t.Logf("wrote %d records (%.0f MB) and %d grids in %.1f s", records, float64(st.Size())/1e6, paperIters, time.Since(t0).Seconds())

	start, cpu0 := time.Now(), cpuTime()
	r := mustOpen(t, dir)
	read, cpu1 := time.Since(start), cpuTime()
	page := mustPage(t, Options{}, r)
	total, cpu2 := time.Since(start), cpuTime()
	t.Logf("page of the paper-length search: %.2f MB in %.2f s wall, %.2f s CPU (reading %.2f s wall, %.2f s CPU; building %.2f s wall, %.2f s CPU)",
		float64(len(page))/1e6, total.Seconds(), (cpu2 - cpu0).Seconds(), read.Seconds(), (cpu1 - cpu0).Seconds(),
		(total - read).Seconds(), (cpu2 - cpu1).Seconds())
	// A live server rebuilds the page as the run writes on: the new lines
	// are read, the grids come from the cache.
	appendFile(t, filepath.Join(dir, "metrics.jsonl"), sharedLine(paperIters, 0))
	start, cpu0 = time.Now(), cpuTime()
	if err := r.Refresh(); err != nil {
		t.Fatal(err)
	}
	mustPage(t, Options{Live: true}, r)
	t.Logf("rebuilt after one more record: %.2f s wall, %.2f s CPU", time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds())
	if len(r.tail.m.shared.step) != paperIters*paperSteps+1 {
		t.Fatalf("read %d shared records, want %d", len(r.tail.m.shared.step), paperIters*paperSteps+1)
	}
	if len(page) >= 10e6 {
		t.Errorf("page is %d bytes, want < 10 MB", len(page))
	}
	if cpu := cpu2 - cpu0; cpu > 20*time.Second && !raceEnabled {
		t.Errorf("the page took %.1f s of processor time, want well under 10 s", cpu.Seconds())
	}
	checkPage(t, page, "search")
	// The spike of 500 survives decimation: the y axis reaches it.
	losses := chartSVG(t, page, "losses")
	if !strings.Contains(losses, ">500<") {
		t.Error("the loss spike of 500 is not on the y axis: decimation dropped it")
	}
	if n := strings.Count(string(page), `src="data:image/png`); n < 2 || n > 12 {
		t.Errorf("%d grids embedded", n)
	}
	if n := len(r.Notes()); n != 0 {
		t.Errorf("notes: %q", r.Notes())
	}
}

// BenchmarkPaperLengthPage reads the paper-length run and builds its page.
func BenchmarkPaperLengthPage(b *testing.B) {
	dir := b.TempDir()
	writePaperRun(b, dir)
	writePaperGrids(b, dir)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Page([]*Run{r}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
