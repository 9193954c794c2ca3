package chart

// The series palette is Okabe and Ito's (Okabe & Ito, "Color Universal
// Design", 2008; also Wong, Nature Methods 8:441, 2011): eight colours that
// stay distinct for the common forms of colour blindness. The order puts
// the pairs that are easiest to tell apart first (blue, vermillion, green,
// purple) and the yellow, which is faint on white, last.
var okabeIto = [...]string{
	"#0072B2", // blue
	"#D55E00", // vermillion
	"#009E73", // bluish green
	"#CC79A7", // reddish purple
	"#E69F00", // orange
	"#56B4E9", // sky blue
	"#000000", // black
	"#F0E442", // yellow
}

// PaletteSize is the number of distinct series colours.
const PaletteSize = len(okabeIto)

// Palette returns the colour of the i-th series as "#RRGGBB"; colours
// repeat after PaletteSize series. An XY chart tells the repeats apart by
// their point shapes (see pointShape) and draws their lines dashed.
func Palette(i int) string {
	return okabeIto[floorMod(i, PaletteSize)]
}

// Point shapes cycle with the series index as the colours do, with a
// period (5) that shares no factor with the palette's (8): series 0 and 8,
// which have the same colour, differ in shape, and points stay
// distinguishable in grey-scale print.
const (
	shapeCircle = iota
	shapeSquare
	shapeTriangle
	shapeDiamond
	shapeTriangleDown
	numShapes
)

func pointShape(i int) int { return floorMod(i, numShapes) }
