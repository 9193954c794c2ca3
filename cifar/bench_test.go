package cifar

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkReadCIFAR10Train reads the 50,000 training images from five
// batch files of the official size (30,730,000 bytes each).
func BenchmarkReadCIFAR10Train(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "cifar-10-batches-bin")
	os.MkdirAll(bin, 0o755)
	data := make([]byte, cifar10FileBytes)
	for i := 0; i < cifar10PerFile; i++ {
		data[i*cifar10Record] = byte(i % 10)
	}
	for k := 1; k <= 5; k++ {
		os.WriteFile(filepath.Join(bin, "data_batch_"+string(rune('0'+k))+".bin"), data, 0o644)
	}
	for b.Loop() {
		m, err := CIFAR10(dir, true)
		if err != nil || m.Len() != 50000 {
			b.Fatal(err)
		}
	}
}
