// Package runcheck compares two run directories the way the tests of
// resumption require them to agree: results, sample grids and checkpoint
// tensors byte for byte, configurations and cursors as parsed JSON (their
// layout may change), metrics record by record except wall-clock fields.
// It is used by tests only.
package runcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/autogan-go/autogan/internal/safetensors"
)

// wallClock lists the metrics fields that measure time, which differ
// between any two runs.
func wallClock() []string { return []string{"seconds", "time", "elapsed"} }

// Diff returns the differences between run directories a and b (nil when
// they agree). Files are compared when either directory has them, except
// temporary files and the report page.
func Diff(a, b string) []string {
	var diffs []string
	names := map[string]bool{}
	for _, dir := range []string{a, b} {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			base := filepath.Base(rel)
			if strings.HasPrefix(base, ".") || base == "report.html" {
				return nil
			}
			names[rel] = true
			return nil
		})
	}
	var sorted []string
	for n := range names {
		sorted = append(sorted, n)
	}
	slices.Sort(sorted)
	for _, rel := range sorted {
		x, errA := os.ReadFile(filepath.Join(a, rel))
		y, errB := os.ReadFile(filepath.Join(b, rel))
		if errA != nil || errB != nil {
			diffs = append(diffs, fmt.Sprintf("%s: only in one run (%v, %v)", rel, errA, errB))
			continue
		}
		var d string
		switch {
		case strings.HasSuffix(rel, ".safetensors") || strings.HasSuffix(rel, ".eval"):
			d = diffCheckpoints(x, y)
		case filepath.Base(rel) == "metrics.jsonl":
			d = diffMetrics(x, y)
		case strings.HasSuffix(rel, ".json"):
			d = diffJSON(x, y)
		default:
			if !bytes.Equal(x, y) {
				d = "bytes differ"
			}
		}
		if d != "" {
			diffs = append(diffs, rel+": "+d)
		}
	}
	return diffs
}

func diffCheckpoints(x, y []byte) string {
	fx, err := safetensors.Decode(x)
	if err != nil {
		return err.Error()
	}
	fy, err := safetensors.Decode(y)
	if err != nil {
		return err.Error()
	}
	if !slices.Equal(fx.Names(), fy.Names()) {
		return fmt.Sprintf("entries differ: %v vs %v", fx.Names(), fy.Names())
	}
	for _, n := range fx.Names() {
		tx, _ := fx.Get(n)
		ty, _ := fy.Get(n)
		if n == "cursor" {
			if d := diffJSON(tx.Data, ty.Data); d != "" {
				return "cursor: " + d
			}
			continue
		}
		if tx.DType != ty.DType || !slices.Equal(tx.Shape, ty.Shape) || !bytes.Equal(tx.Data, ty.Data) {
			return "tensor " + n + " differs"
		}
	}
	for k, v := range fx.Metadata {
		if d := diffJSON([]byte(v), []byte(fy.Metadata[k])); d != "" && v != fy.Metadata[k] {
			return "metadata " + k + ": " + d
		}
	}
	if len(fx.Metadata) != len(fy.Metadata) {
		return "metadata keys differ"
	}
	return ""
}

func diffJSON(x, y []byte) string {
	var vx, vy any
	if err := json.Unmarshal(x, &vx); err != nil {
		if bytes.Equal(x, y) {
			return ""
		}
		return "not JSON and not equal"
	}
	if err := json.Unmarshal(y, &vy); err != nil {
		return err.Error()
	}
	if !reflect.DeepEqual(vx, vy) {
		return "JSON values differ"
	}
	return ""
}

func diffMetrics(x, y []byte) string {
	lx, ly := strings.Split(strings.TrimSpace(string(x)), "\n"), strings.Split(strings.TrimSpace(string(y)), "\n")
	if len(lx) != len(ly) {
		return fmt.Sprintf("%d records vs %d", len(lx), len(ly))
	}
	for i := range lx {
		var a, b map[string]any
		if err := json.Unmarshal([]byte(lx[i]), &a); err != nil {
			return fmt.Sprintf("line %d: %v", i+1, err)
		}
		if err := json.Unmarshal([]byte(ly[i]), &b); err != nil {
			return fmt.Sprintf("line %d: %v", i+1, err)
		}
		for _, k := range wallClock() {
			delete(a, k)
			delete(b, k)
		}
		if !reflect.DeepEqual(a, b) {
			return fmt.Sprintf("record %d differs: %s vs %s", i+1, lx[i], ly[i])
		}
	}
	return ""
}
