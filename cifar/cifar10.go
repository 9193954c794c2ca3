package cifar

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/autogan-go/autogan/internal/parallel"
)

// CIFAR record sizes: CIFAR-10 is <label><3072 pixels>, CIFAR-100 is
// <coarse label><fine label><3072 pixels>; pixels are three 32×32 planes
// (R, G, B), rows top to bottom — exactly our C×H×W layout.
const (
	cifarPixels      = 3 * 32 * 32
	cifar10Record    = 1 + cifarPixels
	cifar100Record   = 2 + cifarPixels
	cifar10PerFile   = 10000
	cifar10FileBytes = cifar10PerFile * cifar10Record // 30,730,000
)

// CIFAR-10 class names, used when batches.meta.txt is missing.
var cifar10Classes = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// CIFAR10 reads the binary version of CIFAR-10 (Krizhevsky, 2009) as its
// authors ship it: path is the folder cifar-10-batches-bin (or its parent)
// or the archive cifar-10-binary.tar.gz, which is read directly without
// extracting it. train selects the 50,000 training images (data_batch_1 …
// data_batch_5, in order) instead of the 10,000 test images (test_batch).
func CIFAR10(path string, train bool) (*Memory, error) {
	files := []string{"test_batch.bin"}
	name := "cifar10-test"
	if train {
		files = []string{"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"}
		name = "cifar10"
	}
	m := &Memory{Name: name, C: 3, H: 32, W: 32, ClassNames: cifar10Classes}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		// The common case, and the fast path: stream the files straight
		// into one preallocated pixel array.
		return m, readCIFAR10Folder(m, path, files)
	}
	want := append(append([]string(nil), files...), "batches.meta.txt")
	contents, err := readMembers(path, "cifar-10-batches-bin", want, map[string]bool{"batches.meta.txt": true})
	if err != nil {
		return nil, err
	}
	if meta, ok := contents["batches.meta.txt"]; ok {
		if names := classLines(meta.data); len(names) == 10 {
			m.ClassNames = names
		} else {
			return nil, fmt.Errorf("%s: %d class names, CIFAR-10 has 10", meta.where, len(names))
		}
	}
	for _, f := range files {
		if err := appendRecords(m, contents[f]); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// readCIFAR10Folder reads batch files from a folder. It checks every size
// first, allocates the pixels once, and then reads the files in parallel,
// each through a small buffer, so no memory beyond the result is touched
// (fresh memory is slow: every new page faults).
func readCIFAR10Folder(m *Memory, dir string, files []string) error {
	base := dir
	if _, err := os.Stat(filepath.Join(dir, "cifar-10-batches-bin")); err == nil {
		base = filepath.Join(dir, "cifar-10-batches-bin")
	}
	if b, err := os.ReadFile(filepath.Join(base, "batches.meta.txt")); err == nil {
		names := classLines(b)
		if len(names) != 10 {
			return fmt.Errorf("%s: %d class names, CIFAR-10 has 10", filepath.Join(base, "batches.meta.txt"), len(names))
		}
		m.ClassNames = names
	}
	starts := make([]int, len(files)+1)
	for i, f := range files {
		p := filepath.Join(base, f)
		st, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("CIFAR-10: %w", err)
		}
		if st.Size() == 0 || st.Size()%cifar10Record != 0 {
			return fmt.Errorf("%s: %d bytes is not a whole number of %d-byte CIFAR-10 records (an official batch has %d bytes)",
				p, st.Size(), cifar10Record, cifar10FileBytes)
		}
		starts[i+1] = starts[i] + int(st.Size()/cifar10Record)
	}
	n := starts[len(files)]
	m.Pixels = make([]uint8, n*cifarPixels)
	m.Labels = make([]int, n)
	errs := make([]error, len(files))
	parallel.For(len(files), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			errs[i] = streamRecords(m, filepath.Join(base, files[i]), starts[i], starts[i+1]-starts[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// streamRecords reads count records of path into m from record first on.
func streamRecords(m *Memory, path string, first, count int) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	const chunk = 256 // records per read
	buf := make([]byte, chunk*cifar10Record)
	for done := 0; done < count; {
		k := min(chunk, count-done)
		if _, err := io.ReadFull(f, buf[:k*cifar10Record]); err != nil {
			return fmt.Errorf("%s: reading record %d: %w", path, done, err)
		}
		for r := 0; r < k; r++ {
			rec := buf[r*cifar10Record : (r+1)*cifar10Record]
			if err := putRecord(m, first+done+r, rec, path, done+r); err != nil {
				return err
			}
		}
		done += k
	}
	return nil
}

// CIFAR100 reads the binary version of CIFAR-100 (train.bin or test.bin in
// cifar-100-binary, or the archive cifar-100-binary.tar.gz). fine selects
// the 100 fine labels instead of the 20 coarse ones.
func CIFAR100(path string, train, fine bool) (*Memory, error) {
	file, name := "test.bin", "cifar100-test"
	if train {
		file, name = "train.bin", "cifar100"
	}
	names := "coarse_label_names.txt"
	classes := 20
	if fine {
		names, classes = "fine_label_names.txt", 100
	}
	contents, err := readMembers(path, "cifar-100-binary", []string{file, names}, map[string]bool{names: true})
	if err != nil {
		return nil, err
	}
	m := &Memory{Name: name, C: 3, H: 32, W: 32}
	if meta, ok := contents[names]; ok {
		m.ClassNames = classLines(meta.data)
		if len(m.ClassNames) != classes {
			return nil, fmt.Errorf("%s: %d class names, want %d", meta.where, len(m.ClassNames), classes)
		}
	}
	labelByte := 0
	if fine {
		labelByte = 1
	}
	return m, appendRecords100(m, contents[file], labelByte)
}

// member is the content of one file of a dataset and where it came from.
type member struct {
	where string
	data  []byte
}

// readMembers reads the named files from a folder (path itself, or
// path/dir) or from a .tar.gz archive whose members live under dir/.
// Files in optional may be missing.
func readMembers(p, dir string, names []string, optional map[string]bool) (map[string]member, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("dataset not found: %w", err)
	}
	out := map[string]member{}
	if st.IsDir() {
		base := p
		if _, err := os.Stat(filepath.Join(p, dir)); err == nil {
			base = filepath.Join(p, dir)
		}
		for _, n := range names {
			f := filepath.Join(base, n)
			b, err := os.ReadFile(f)
			if errors.Is(err, os.ErrNotExist) && optional[n] {
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", f, err)
			}
			out[n] = member{f, b}
		}
		return out, nil
	}
	// An archive: stream it once, keep the members we need.
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: not a gzip archive: %w", p, err)
	}
	tr := tar.NewReader(gz)
	wanted := map[string]bool{}
	for _, n := range names {
		wanted[n] = true
	}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: damaged or truncated archive: %w", p, err)
		}
		clean := strings.TrimPrefix(path.Clean(h.Name), "./")
		d, base := path.Split(clean)
		if h.Typeflag != tar.TypeReg || strings.TrimSuffix(d, "/") != dir || !wanted[base] {
			continue
		}
		if h.Size < 0 || h.Size > 1<<31 {
			return nil, fmt.Errorf("%s: member %s claims %d bytes", p, clean, h.Size)
		}
		// Read what the member holds rather than allocate what its header
		// claims: a damaged header of a small file must not cost 2 GB.
		b, err := io.ReadAll(io.LimitReader(tr, h.Size))
		if err != nil || int64(len(b)) != h.Size {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("%s: member %s is truncated: %w", p, clean, err)
		}
		out[base] = member{p + ":" + clean, b}
	}
	for _, n := range names {
		if _, ok := out[n]; !ok && !optional[n] {
			return nil, fmt.Errorf("%s: archive has no %s/%s", p, dir, n)
		}
	}
	return out, nil
}

// classLines splits a class-name file into its non-empty lines.
func classLines(b []byte) []string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// putRecord stores CIFAR-10 record rec (a label byte, then 3×32×32 pixels)
// as image i of m; where and index name the record in an error.
func putRecord(m *Memory, i int, rec []byte, where string, index int) error {
	if rec[0] >= 10 {
		return fmt.Errorf("%s: record %d has label %d, want 0…9", where, index, rec[0])
	}
	m.Labels[i] = int(rec[0])
	copy(m.Pixels[i*cifarPixels:], rec[1:])
	return nil
}

// appendRecords parses CIFAR-10 records (label byte first) into m.
func appendRecords(m *Memory, f member) error {
	if len(f.data)%cifar10Record != 0 || len(f.data) == 0 {
		return fmt.Errorf("%s: %d bytes is not a whole number of %d-byte CIFAR-10 records (an official batch has %d bytes)",
			f.where, len(f.data), cifar10Record, cifar10FileBytes)
	}
	n := len(f.data) / cifar10Record
	start := len(m.Labels)
	m.Labels = append(m.Labels, make([]int, n)...)
	m.Pixels = append(m.Pixels, make([]uint8, n*cifarPixels)...)
	for i := 0; i < n; i++ {
		if err := putRecord(m, start+i, f.data[i*cifar10Record:(i+1)*cifar10Record], f.where, i); err != nil {
			return err
		}
	}
	return nil
}

// appendRecords100 parses CIFAR-100 records (coarse, fine, pixels).
func appendRecords100(m *Memory, f member, labelByte int) error {
	if len(f.data)%cifar100Record != 0 || len(f.data) == 0 {
		return fmt.Errorf("%s: %d bytes is not a whole number of %d-byte CIFAR-100 records", f.where, len(f.data), cifar100Record)
	}
	n := len(f.data) / cifar100Record
	m.Labels = make([]int, n)
	m.Pixels = make([]uint8, n*cifarPixels)
	for i := 0; i < n; i++ {
		rec := f.data[i*cifar100Record : (i+1)*cifar100Record]
		if rec[0] >= 20 || rec[1] >= 100 {
			return fmt.Errorf("%s: record %d has labels %d/%d, want coarse 0…19 and fine 0…99", f.where, i, rec[0], rec[1])
		}
		m.Labels[i] = int(rec[labelByte])
		copy(m.Pixels[i*cifarPixels:], rec[2:])
	}
	return nil
}
