// Package buffer recycles large float32 slices.
//
// Fresh memory is expensive: the first touch of every page faults in the
// kernel (and, on a virtual machine, often in the hypervisor too), which on
// the machines this project is measured on costs about 12 µs per 4 KiB page,
// much more than the arithmetic done on it. Go's garbage collector frees
// memory only after a collection and may return it to the operating system,
// so a loop that allocates a fresh activation every step keeps paying that
// price. PyTorch avoids it with a caching allocator; this package is ours.
//
// Get hands out a slice of at least n elements whose contents are
// undefined; Put gives it back. Slices are grouped in size classes (four per
// power of two, so at most 25% is wasted) and kept on per-class free lists.
// At most maxCached bytes are kept; beyond that Put leaves the slice to the
// garbage collector. Slices below minPooled elements are not pooled at all.
//
// The free lists are package-level state, the one deliberate exception to
// the project's rule besides kernel dispatch. They cannot change any result:
// a recycled slice is indistinguishable from a fresh one once its owner has
// written it, and GetZeroed clears it first.
package buffer

import (
	"math/bits"
	"sync"
)

const (
	minPooled = 1 << 12 // elements; smaller slices are cheap to allocate
	maxCached = 4 << 30 // bytes kept on the free lists at most
)

var cache struct {
	sync.Mutex
	free  [4 * 64][][]float32 // classIndex(c) -> free slices of capacity exactly c
	bytes int
}

// classIndex numbers the size class c (above minPooled): 4m, 4m+1, 4m+2
// and 4m+3 for 2^m, 1.25·2^m, 1.5·2^m and 1.75·2^m, read from c's top
// three bits. (An array indexed so was a map before; assigning to the map
// in every Put cost 0.6% of a demo training step.)
func classIndex(c int) int {
	m := bits.Len(uint(c)) - 1
	return 4*m + (c>>(m-2))&3
}

// classSize rounds n up to its size class: the smallest value of the form
// 2^k, 1.25·2^k, 1.5·2^k or 1.75·2^k that is at least n.
func classSize(n int) int {
	if n <= minPooled {
		return n
	}
	k := bits.Len(uint(n-1)) - 1 // 2^k < n <= 2^(k+1)
	base := 1 << k
	for q := 1; q <= 4; q++ {
		if c := base + q*(base/4); c >= n {
			return c
		}
	}
	return 2 * base
}

// Get returns a slice of length n with undefined contents.
func Get(n int) []float32 {
	c := classSize(n)
	if c <= minPooled {
		return make([]float32, n)
	}
	cache.Lock()
	i := classIndex(c)
	list := cache.free[i]
	if k := len(list); k > 0 {
		s := list[k-1]
		list[k-1] = nil
		cache.free[i] = list[:k-1]
		cache.bytes -= 4 * c
		cache.Unlock()
		return s[:n]
	}
	cache.Unlock()
	return make([]float32, n, c)
}

// GetZeroed returns a slice of length n filled with zeros.
func GetZeroed(n int) []float32 {
	s := Get(n)
	clear(s)
	return s
}

// Put returns a slice obtained from Get for reuse. The caller must not use
// it, or any slice sharing its memory, afterwards.
func Put(s []float32) {
	c := cap(s)
	if c <= minPooled || classSize(c) != c {
		return // not one of ours, or too small to be worth keeping
	}
	cache.Lock()
	defer cache.Unlock()
	if cache.bytes+4*c > maxCached {
		return
	}
	i := classIndex(c)
	cache.free[i] = append(cache.free[i], s[:c])
	cache.bytes += 4 * c
}

// Release empties the free lists, leaving their slices to the garbage
// collector. A program calls it when the sizes it works with change for
// good, as when a search grows to larger images: the slices of the old
// sizes would otherwise stay cached, never asked for again, beside the new
// ones, and raise the peak memory by their size.
func Release() {
	cache.Lock()
	defer cache.Unlock()
	cache.free, cache.bytes = [len(cache.free)][][]float32{}, 0
}

// Cached reports how many bytes sit on the free lists.
func Cached() int {
	cache.Lock()
	defer cache.Unlock()
	return cache.bytes
}
