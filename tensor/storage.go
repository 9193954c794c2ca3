package tensor

import "unsafe"

// SharesStorage reports whether a and b are views of overlapping storage
// (one made from the other by Reshape or Rows, or both from a third): then
// releasing one ends the other too. Tapes use it to keep the storage of a
// value the caller still holds a view of.
func SharesStorage(a, b *Tensor) bool {
	if len(a.data) == 0 || len(b.data) == 0 {
		return false
	}
	a0 := uintptr(unsafe.Pointer(unsafe.SliceData(a.data)))
	b0 := uintptr(unsafe.Pointer(unsafe.SliceData(b.data)))
	a1 := a0 + uintptr(len(a.data))*4
	b1 := b0 + uintptr(len(b.data))*4
	return a0 < b1 && b0 < a1
}
