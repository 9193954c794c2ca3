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
