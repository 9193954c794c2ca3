package cli

import "testing"

func TestShard(t *testing.T) {
	for _, c := range []struct {
		spec string
		i, n int
		ok   bool
	}{{"", 0, 1, true}, {"2/7", 2, 7, true}, {"7/7", 0, 0, false}, {"x", 0, 0, false}, {"-1/3", 0, 0, false}} {
		i, n, err := Shard(c.spec)
		if (err == nil) != c.ok || c.ok && (i != c.i || n != c.n) {
			t.Errorf("%q: %d/%d %v", c.spec, i, n, err)
		}
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "3")
	if i, n, err := Shard("env/4"); err != nil || i != 3 || n != 4 {
		t.Errorf("env: %d/%d %v", i, n, err)
	}
}
