// Package npy reads and writes NumPy's .npy arrays and .npz archives, the
// format of FID statistics files (TTUR's fid_stats_cifar10_train.npz,
// pytorch-fid's outputs): a zip (stored or deflated) of .npy members, each a
// magic string, a version, a header dict and the raw data.
//
//	\x93NUMPY <major> <minor> <header length: 2 bytes (v1) or 4 (v2, v3)>
//	{'descr': '<f8', 'fortran_order': False, 'shape': (2048, 2048), }   padded
//	data
//
// Reading accepts every header version, little-endian float64 and float32
// data, and Fortran order; writing produces version 1.0 headers and a
// deflate-compressed zip like np.savez_compressed (also of uint8 images and
// int64 labels, which cmd/datasets exports for other tools).
package npy

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/autogan-go/autogan/internal/atomicfile"
)

// Array is a float64 array read from or written to .npy.
type Array struct {
	Shape []int
	Data  []float64 // row-major (C order)
}

// ErrFormat is wrapped by every format error.
var ErrFormat = errors.New("invalid npy data")

func errf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
}

var (
	descrRe   = regexp.MustCompile(`'descr'\s*:\s*'([^']*)'`)
	fortranRe = regexp.MustCompile(`'fortran_order'\s*:\s*(True|False)`)
	shapeRe   = regexp.MustCompile(`'shape'\s*:\s*\(([^)]*)\)`)
)

// Decode parses one .npy file.
func Decode(b []byte) (*Array, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return nil, errf("no NUMPY magic")
	}
	major := b[6]
	var hlen, start int
	switch major {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, errf("truncated header")
		}
		h := binary.LittleEndian.Uint32(b[8:])
		if h > 1<<20 {
			return nil, errf("header of %d bytes", h)
		}
		hlen, start = int(h), 12
	default:
		return nil, errf("version %d.%d", major, b[7])
	}
	if start+hlen > len(b) {
		return nil, errf("header of %d bytes exceeds the file", hlen)
	}
	header := string(b[start : start+hlen])
	body := b[start+hlen:]
	d := descrRe.FindStringSubmatch(header)
	f := fortranRe.FindStringSubmatch(header)
	s := shapeRe.FindStringSubmatch(header)
	if d == nil || f == nil || s == nil {
		return nil, errf("header %q lacks descr, fortran_order or shape", strings.TrimSpace(header))
	}
	var size int
	switch d[1] {
	case "<f8", "f8", "float64":
		size = 8
	case "<f4", "f4", "float32":
		size = 4
	default:
		return nil, errf("dtype %q (want little-endian float64 or float32)", d[1])
	}
	a := &Array{}
	n := 1
	for _, part := range strings.Split(s[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		v, err := strconv.Atoi(strings.TrimSuffix(part, "L"))
		if err != nil || v < 0 || v > 1<<31 {
			return nil, errf("shape %q", s[1])
		}
		a.Shape = append(a.Shape, v)
		n *= v
		if n > len(body) {
			return nil, errf("shape %v needs more data than the %d bytes present", a.Shape, len(body))
		}
	}
	if len(body) != n*size {
		return nil, errf("shape %v of %s needs %d bytes, found %d", a.Shape, d[1], n*size, len(body))
	}
	a.Data = make([]float64, n)
	for i := range a.Data {
		if size == 8 {
			a.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(body[8*i:]))
		} else {
			a.Data[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(body[4*i:])))
		}
	}
	if f[1] == "True" && len(a.Shape) > 1 {
		a.Data = fortranToC(a.Data, a.Shape)
	}
	return a, nil
}

// fortranToC reorders column-major data to row-major.
func fortranToC(src []float64, shape []int) []float64 {
	dst := make([]float64, len(src))
	r := len(shape)
	idx := make([]int, r)
	for k := range dst { // k walks C order; compute the Fortran offset
		off, stride := 0, 1
		for i := 0; i < r; i++ {
			off += idx[i] * stride
			stride *= shape[i]
		}
		dst[k] = src[off]
		for i := r - 1; i >= 0; i-- {
			if idx[i]++; idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return dst
}

// Encode writes a version 1.0 .npy of little-endian float64, C order.
func Encode(a *Array) []byte {
	b := header("<f8", a.Shape)
	buf := make([]byte, 8)
	for _, v := range a.Data {
		binary.LittleEndian.PutUint64(buf, math.Float64bits(v))
		b.Write(buf)
	}
	return b.Bytes()
}

// EncodeFloat32 writes a version 1.0 .npy of little-endian float32, C order.
func EncodeFloat32(shape []int, data []float32) []byte {
	b := header("<f4", shape)
	buf := make([]byte, 4)
	for _, v := range data {
		binary.LittleEndian.PutUint32(buf, math.Float32bits(v))
		b.Write(buf)
	}
	return b.Bytes()
}

// Float32Header is the header of a version 1.0 .npy of little-endian
// float32 in C order; the values follow it (AppendFloat32), so a large
// array can be written block by block.
func Float32Header(shape []int) []byte { return header("<f4", shape).Bytes() }

// Uint8Header is the header of a version 1.0 .npy of uint8 in C order;
// the bytes follow it.
func Uint8Header(shape []int) []byte { return header("|u1", shape).Bytes() }

// EncodeInt64 writes a version 1.0 .npy of little-endian int64, C order.
func EncodeInt64(shape []int, data []int64) []byte {
	b := header("<i8", shape)
	for _, v := range data {
		binary.Write(b, binary.LittleEndian, v)
	}
	return b.Bytes()
}

// AppendFloat32 appends the little-endian bytes of data to dst.
func AppendFloat32(dst []byte, data []float32) []byte {
	for _, v := range data {
		dst = binary.LittleEndian.AppendUint32(dst, math.Float32bits(v))
	}
	return dst
}

// header starts a version 1.0 .npy: magic, version, header length and the
// header dict, padded with spaces and a newline so that the data starts at
// a multiple of 64 bytes, as NumPy writes it.
func header(descr string, shape []int) *bytes.Buffer {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	s := strings.Join(dims, ", ")
	if len(shape) == 1 {
		s += "," // a one-element Python tuple
	}
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, s)
	total := 10 + len(h) + 1
	h += strings.Repeat(" ", (64-total%64)%64) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	return &b
}

// maxNPZBytes bounds the uncompressed size of all the arrays of an archive.
const maxNPZBytes = 1 << 32

// ReadNPZ reads every member of an .npz archive (stored or deflated),
// keyed by name without the .npy suffix.
func ReadNPZ(data []byte) (map[string]*Array, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errf("not a zip archive: %v", err)
	}
	// A member may claim any size; 4 GiB for the whole archive bounds what
	// a statistics file can need (a 2048-d covariance is 32 MiB) and what
	// deflate bombs can make us read, however many members they come in.
	// So does 8× the archive's size plus 1 MiB: statistics of real features
	// deflate less than 2:1, while deflate's ratio of about 1000:1 would let
	// a 4 MB archive claim 4 GiB (and Decode allocate as much again).
	// The claims are checked before anything is read; ReadAll then grows
	// with the data actually present.
	limit := min(maxNPZBytes, 8*uint64(len(data))+1<<20)
	var total uint64
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".npy") {
			continue
		}
		// Compared with the room left, so that a claim near 2^64 cannot wrap
		// the sum.
		if f.UncompressedSize64 > limit-total {
			return nil, errf("members claim more than %d bytes in all, the limit for an archive of %d bytes (4 GiB, and 8× its size plus 1 MiB; %s claims %d)", limit, len(data), f.Name, f.UncompressedSize64)
		}
		total += f.UncompressedSize64
	}
	out := map[string]*Array{}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".npy") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, errf("member %s: %v", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		rc.Close()
		if err != nil || uint64(len(b)) != f.UncompressedSize64 {
			return nil, errf("member %s is damaged: %v", f.Name, err)
		}
		a, err := Decode(b)
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", f.Name, err)
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = a
	}
	return out, nil
}

// WriteNPZ writes arrays (in the given key order) as a deflate-compressed
// .npz file, atomically.
func WriteNPZ(path string, keys []string, arrays map[string]*Array) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		zw := zip.NewWriter(w)
		for _, k := range keys {
			f, err := zw.CreateHeader(&zip.FileHeader{Name: k + ".npy", Method: zip.Deflate})
			if err != nil {
				return err
			}
			if _, err := f.Write(Encode(arrays[k])); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}
