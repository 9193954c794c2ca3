package npy

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestNPZClaimsBoundedInTotal: each member of an archive could claim up to
// the limit, so the limit applies to the sum of the claims, checked before
// any member is read (members of 3 GiB each, whose data is absent here,
// are refused for their claims, not read until found damaged).
func TestNPZClaimsBoundedInTotal(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"mu.npy", "sigma.npy"} {
		if _, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, UncompressedSize64: 3 << 30}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := ReadNPZ(b.Bytes())
	if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "in all") {
		t.Fatalf("got %v, want the archive's claims refused", err)
	}
}

// TestNPZClaimsBoundedByFileSize: deflate expands about 1000:1, so a 4 MB
// archive could make ReadNPZ read 4 GiB (and Decode allocate as much again
// in float64). Statistics of real features deflate less than 2:1, so the
// claims are bounded by 8× the archive's size as well: here 16 MiB of
// zeros, which deflate to 16 KiB, are refused before they are read.
func TestNPZClaimsBoundedByFileSize(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "sigma.npy", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(Encode(&Array{Shape: []int{1 << 11, 1 << 10}, Data: make([]float64, 1<<21)})); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = ReadNPZ(b.Bytes())
	if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "8×") {
		t.Fatalf("got %v, want the 16 MiB claim of a %d-byte archive refused", err, b.Len())
	}
}
