package nas

// RunningStats is the loss window of the dynamic reset (AutoGAN
// utils/utils.py RunningStats): the last WinSize values with an
// incremental mean and sum of squared deviations, reproduced operation for
// operation so that the reset fires on exactly the same step.
//
//	filling: delta = x − m;  m += delta/len;  S += delta·(x − m)
//	full:    drop the oldest x_r:  m' = m + (x − x_r)/N;  S += (x + x_r − m − m')·(x − x_r)
//	variance = S/len (population), 0 with fewer than 2 values
//
// The windows persist across search iterations and stages; only a reset
// clears them.
type RunningStats struct {
	WinSize int
	Window  []float64
	Mean    float64
	RunVar  float64
}

// NewRunningStats returns an empty window of the given size.
func NewRunningStats(size int) *RunningStats { return &RunningStats{WinSize: size} }

// Push adds a value.
func (r *RunningStats) Push(x float64) {
	if len(r.Window) == r.WinSize {
		removed := r.Window[0]
		r.Window = append(r.Window[1:], x)
		old := r.Mean
		r.Mean += (x - removed) / float64(r.WinSize)
		r.RunVar += float64((x + removed - old - r.Mean) * (x - removed)) // float64(…): never fused into an FMA
		return
	}
	r.Window = append(r.Window, x)
	delta := x - r.Mean
	r.Mean += delta / float64(len(r.Window))
	r.RunVar += float64(delta * (x - r.Mean))
}

// Full reports whether the window holds WinSize values.
func (r *RunningStats) Full() bool { return len(r.Window) == r.WinSize }

// Var is the population variance of the window.
func (r *RunningStats) Var() float64 {
	if len(r.Window) > 1 {
		return r.RunVar / float64(len(r.Window))
	}
	return 0
}

// Clear empties the window.
func (r *RunningStats) Clear() {
	r.Window = r.Window[:0]
	r.Mean, r.RunVar = 0, 0
}
