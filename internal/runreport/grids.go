package runreport

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html/template"
	"image"
	"image/draw"
	"image/png"
	"os"
)

// Sample grids are embedded in the page as base64 PNG. The run writes
// them enlarged by an integer factor with nearest-neighbour pixels (a 2,048
// pixel wide file for 8 × 8 images of 32 × 32), so the page undoes the
// enlargement, which loses nothing, and lets the browser enlarge them
// again without smoothing. A long run has one grid per iteration; the page
// shows an evenly spaced selection that always includes the first and the
// last, within a byte budget.

const (
	// gridPixels bounds the embedded size: larger grids are reduced by
	// averaging blocks of pixels.
	gridPixels = 512
	// gridBudget bounds the base64 bytes of all the grids of a page.
	gridBudget = 3 << 20
	// maxGridFile and maxGridArea refuse files no run writes before
	// decoding them.
	maxGridFile = 64 << 20
	maxGridArea = 8192 * 8192
)

// embeddedGrid is a grid ready for the page.
type embeddedGrid struct {
	src           string // data: URL
	width, height int
	enlarged      bool // the file was an enlargement that was undone
}

// embedGrid reads a PNG file and returns it as a data URL, reduced to its
// natural size and at most gridPixels wide and high.
func embedGrid(path string) (embeddedGrid, error) {
	var e embeddedGrid
	b, err := os.ReadFile(path)
	if err != nil {
		return e, err
	}
	if len(b) > maxGridFile {
		return e, fmt.Errorf("%d bytes, more than a sample grid has", len(b))
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return e, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxGridArea {
		return e, fmt.Errorf("%d × %d pixels, more than a sample grid has", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return e, err
	}
	src := toNRGBA(img)
	out := src
	if f := enlargement(src); f > 1 {
		out = shrink(src, f, false)
		e.enlarged = true
	}
	if big := max(out.Rect.Dx(), out.Rect.Dy()); big > gridPixels {
		out = shrink(out, (big+gridPixels-1)/gridPixels, true)
	}
	if out == src && len(b) < 1<<20 {
		// Nothing to reduce: embed the file as it is.
		e.src = "data:image/png;base64," + base64.StdEncoding.EncodeToString(b)
		e.width, e.height = src.Rect.Dx(), src.Rect.Dy()
		return e, nil
	}
	var enc bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&enc, out); err != nil {
		return e, err
	}
	e.src = "data:image/png;base64," + base64.StdEncoding.EncodeToString(enc.Bytes())
	e.width, e.height = out.Rect.Dx(), out.Rect.Dy()
	return e, nil
}

func toNRGBA(img image.Image) *image.NRGBA {
	if n, ok := img.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		return n
	}
	b := img.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(n, n.Rect, img, b.Min, draw.Src)
	return n
}

// enlargement returns the largest factor f such that img consists of
// f × f blocks of one colour each: the factor by which it was enlarged.
func enlargement(img *image.NRGBA) int {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	g := gcd(w, h)
	for f := g; f > 1; f-- {
		if g%f == 0 && uniformBlocks(img, f) {
			return f
		}
	}
	return 1
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// uniformBlocks reports whether every f × f block of img has one colour.
func uniformBlocks(img *image.NRGBA, f int) bool {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		top := img.Pix[(y/f*f)*img.Stride:]
		for x := 0; x < w; x++ {
			x0 := x / f * f
			if row[4*x] != top[4*x0] || row[4*x+1] != top[4*x0+1] || row[4*x+2] != top[4*x0+2] || row[4*x+3] != top[4*x0+3] {
				return false
			}
		}
	}
	return true
}

// shrink reduces img by the factor f: each f × f block becomes one pixel,
// its top-left one (exact for an enlargement) or, with average, the mean
// of the block (a partial block at the edge averages what it has).
func shrink(img *image.NRGBA, f int, average bool) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ow, oh := (w+f-1)/f, (h+f-1)/f
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			o := out.Pix[oy*out.Stride+4*ox:]
			if !average {
				copy(o[:4], img.Pix[oy*f*img.Stride+4*ox*f:])
				continue
			}
			var sum [4]int
			n := 0
			for y := oy * f; y < min(h, oy*f+f); y++ {
				for x := ox * f; x < min(w, ox*f+f); x++ {
					p := img.Pix[y*img.Stride+4*x:]
					sum[0] += int(p[0])
					sum[1] += int(p[1])
					sum[2] += int(p[2])
					sum[3] += int(p[3])
					n++
				}
			}
			for c := range 4 {
				o[c] = uint8((sum[c] + n/2) / n)
			}
		}
	}
	return out
}

// thumbWidth is the width the grids are shown at on the page, all alike
// (five to a row); a click doubles it.
const thumbWidth = 220

// galleryImage shows the grid thumbWidth wide; a grid smaller than that
// is enlarged with square pixels, as the run wrote it, a larger one
// reduced smoothly.
func (e embeddedGrid) galleryImage(caption string) galleryImage {
	h := (e.height*thumbWidth + e.width/2) / max(1, e.width)
	return galleryImage{Src: template.URL(e.src), Caption: caption, Width: thumbWidth, Height: h,
		Pixelated: e.width < thumbWidth}
}

// pickGrids returns the indices of at most k of n grids, evenly spaced,
// always including the first and the last.
func pickGrids(n, k int) []int {
	if n <= k {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	if k <= 1 {
		return []int{n - 1}
	}
	idx := make([]int, 0, k)
	for j := 0; j < k; j++ {
		i := (j*(n-1) + (k-1)/2) / (k - 1)
		if len(idx) == 0 || idx[len(idx)-1] != i {
			idx = append(idx, i)
		}
	}
	return idx
}

// embed returns a grid of the run ready for the page, from a cache kept
// while the file's size and time stay the same: a live page is rebuilt
// every few seconds, and decoding the grids would be most of the work.
// Failures are not kept: a grid may be read while the run writes it.
func (r *Run) embed(g grid) (embeddedGrid, error) {
	if c, ok := r.gridCache[g.path]; ok && c.size == g.size && c.mod == g.mod {
		return c.grid, nil
	}
	e, err := embedGrid(g.path)
	if err != nil {
		return e, err
	}
	if r.gridCache == nil {
		r.gridCache = map[string]cachedGrid{}
	}
	r.gridCache[g.path] = cachedGrid{g.size, g.mod, e}
	return e, nil
}

// cachedGrid is an embedded grid with the size and time of its file.
type cachedGrid struct {
	size int64
	mod  int64
	grid embeddedGrid
}

// galleryOf embeds a selection of at most maxGrids of the grids, fewer if
// they exceed the byte budget. caption names each grid. Grids that cannot
// be read are left out with a note.
func galleryOf(id string, grids []grid, maxGrids int, caption func(grid) string, embed func(grid) (embeddedGrid, error)) (*gallery, []string) {
	var notes []string
	cache := map[int]embeddedGrid{}
	failed := map[int]bool{}
	k := maxGrids
	for {
		g := &gallery{ID: id}
		total := 0
		for _, i := range pickGrids(len(grids), k) {
			e, ok := cache[i]
			if !ok && !failed[i] {
				var err error
				if e, err = embed(grids[i]); err != nil {
					failed[i] = true
					notes = append(notes, fmt.Sprintf("sample grid %s could not be read: %v", grids[i].name, err))
					continue
				}
				cache[i] = e
			}
			if failed[i] {
				continue
			}
			total += len(e.src)
			g.Images = append(g.Images, e.galleryImage(caption(grids[i])))
		}
		if total <= gridBudget || k <= 1 {
			if len(g.Images) < len(grids) {
				g.Note = fmt.Sprintf("%d of the %d sample grids, evenly spaced (the first and the last always).", len(g.Images), len(grids))
			}
			return g, notes
		}
		k /= 2
	}
}
