package sysmem

import (
	"runtime"
	"strings"
	"testing"
)

func TestLimits(t *testing.T) {
	m, d := Memory(), Disk(t.TempDir())
	if runtime.GOOS == "linux" && (m.Bytes == 0 || d.Bytes == 0) {
		t.Fatalf("memory %+v, disk %+v: unknown on Linux", m, d)
	}
	t.Logf("memory %s (%s), disk %s (%s)", Size(m.Bytes), m.Source, Size(d.Bytes), d.Source)
	if err := m.Check(m.Bytes+1<<40, "a dataset"); err == nil || !strings.Contains(err.Error(), "a dataset needs about") {
		t.Errorf("a terabyte too much: %v", err)
	}
	if err := m.Check(1, "a byte"); err != nil {
		t.Error(err)
	}
	if err := (Limit{}).Check(1<<62, "anything"); err != nil {
		t.Errorf("an unknown limit refused: %v", err)
	}
}
