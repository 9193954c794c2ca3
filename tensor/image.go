package tensor

import "fmt"

// FromUint8 converts 8-bit pixels to floats in [-1, 1] the way the
// reference's data pipeline does: torchvision's ToTensor (x/255) followed by
// Normalize(mean 0.5, std 0.5), i.e. (x/255 - 0.5)/0.5, with every step
// rounded to float32 as PyTorch does. The pixels keep their layout (NCHW
// in, NCHW out); the shape must match len(pix).
func FromUint8(pix []uint8, shape ...int) *Tensor {
	t := New(shape...)
	if len(pix) != len(t.data) {
		panic(fmt.Sprintf("tensor.FromUint8: %d pixels for shape %v", len(pix), shape))
	}
	for i, p := range pix {
		t.data[i] = PixelToFloat(p)
	}
	return t
}

// PixelToFloat is the per-pixel conversion of [FromUint8].
func PixelToFloat(p uint8) float32 {
	v := float32(p) / 255
	return (v - 0.5) / 0.5
}

// ToUint8 converts generator output in [-1, 1] to 8-bit pixels exactly as
// the reference does before scoring (AutoGAN functions.py, get_is and
// validate): x·127.5 + 127.5, clamped to [0, 255], then truncated toward
// zero (a plain dtype cast, not rounding). The layout is unchanged.
func ToUint8(t *Tensor) []uint8 {
	out := make([]uint8, len(t.data))
	for i, v := range t.data {
		out[i] = FloatToPixel(v)
	}
	return out
}

// FloatToPixel is the per-value conversion of [ToUint8].
func FloatToPixel(v float32) uint8 {
	x := float32(v*127.5) + 127.5 // two roundings, as mul_ then add_ in PyTorch
	if !(x > 0) {                 // also maps NaN to 0, as the cast does on x86
		return 0
	}
	if x >= 255 {
		return 255
	}
	return uint8(x)
}
