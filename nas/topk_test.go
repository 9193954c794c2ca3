package nas

import "testing"

// TestTopKTies: candidates are ranked by reward, highest first, and on a
// tie the later candidate comes first, as the reference's
// sorted(..., key=perf)[::-1] puts it.
func TestTopKTies(t *testing.T) {
	archs := []string{
		"0 0 0 0 0 0 0 0 0 0 0 0 0 0",
		"1 0 0 0 0 0 0 0 0 0 0 0 0 0",
		"0 1 0 0 0 0 0 0 0 0 0 0 0 0",
		"0 0 1 0 0 0 0 0 0 0 0 0 0 0",
	}
	rewards := []float64{2, 3, 2, 1}
	s := &Searcher{Cfg: Config{TopK: 3}, Rec: newRun(t, t.TempDir())}
	for i, a := range archs {
		s.cur.Candidates = append(s.cur.Candidates, Prefix{Arch: MustParse(a), Reward: rewards[i]})
	}
	top, err := s.keepTopK()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{archs[1], archs[2], archs[0]} // 3, then the tie at 2 with the later first
	if got := archStrings(top); len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("top-3 = %q, want %q", got, want)
	}
	if s.cur.Candidates != nil {
		t.Error("the candidates are kept after the ranking")
	}
}
