package runreport

import (
	"fmt"
	"strconv"
	"strings"
)

// The search space as the heatmap of the controller's choices shows it:
// the generator has three cells; the controller picks for each a
// convolution block (post- or pre-activation), a normalisation, an
// up-sampling and whether to add a shortcut, and for cells 2 and 3 which
// earlier cells feed skip connections into it (one token whose binary
// digits select them, the least significant bit for the most recent cell).
// This mirrors nas/arch.go; the report reads files and does not import nas.

// cellTokenNames returns the token names of cell c (1, 2 or 3).
func cellTokenNames(c int) []string {
	if c == 1 {
		return []string{"conv", "norm", "up", "shortcut"}
	}
	return []string{"conv", "norm", "up", "shortcut", "skip"}
}

// choiceNames returns the names of the choices of a token of cell c, or
// nil for a token the report does not know.
func choiceNames(token string, c int) []string {
	switch token {
	case "conv":
		return []string{"post-act", "pre-act"}
	case "norm":
		return []string{"none", "batch", "instance"}
	case "up":
		return []string{"bilinear", "nearest", "deconv"}
	case "shortcut":
		return []string{"no", "yes"}
	case "skip":
		// Value v of cell c: bit k (from the least significant) is a skip
		// from cell c-1-k.
		n := 1 << (c - 1)
		names := make([]string, n)
		for v := 0; v < n; v++ {
			var from []string
			for j := 1; j < c; j++ {
				if v>>(c-1-j)&1 == 1 {
					from = append(from, strconv.Itoa(j))
				}
			}
			if len(from) == 0 {
				names[v] = "none"
			} else {
				names[v] = "from cell" + strings.Join(from, "+")
			}
		}
		return names
	}
	return nil
}

// tokenSlot is one token of the flat 14-integer encoding.
type tokenSlot struct {
	cell  int
	token string
}

// slotsOf returns the tokens a controller record covers: cell stage+1 for
// 4 or 5 values (the multi-level search), cells 1 to 3 for 14 (the
// single-level search, or a whole architecture). names, if given, are the
// token names the record lists; they must agree in number.
func slotsOf(n, stage int, names []string) ([]tokenSlot, error) {
	var cells []int
	switch {
	case n == 14:
		cells = []int{1, 2, 3}
	case n == 9:
		cells = []int{1, 2}
	case n == 4 && stage <= 0:
		cells = []int{1}
	case n == 5 && (stage == 1 || stage == 2):
		cells = []int{stage + 1}
	default:
		return nil, fmt.Errorf("%d tokens at stage %d match no cell of the search space", n, stage)
	}
	var slots []tokenSlot
	for _, c := range cells {
		for _, t := range cellTokenNames(c) {
			slots = append(slots, tokenSlot{c, t})
		}
	}
	if names != nil {
		if len(names) != len(slots) {
			return nil, fmt.Errorf("%d token names for %d tokens", len(names), len(slots))
		}
		for i, name := range names {
			c, token, err := parseTokenName(name)
			if err != nil {
				return nil, err
			}
			if c != 0 && c != slots[i].cell {
				return nil, fmt.Errorf("token %d is named %q, but it belongs to cell%d", i+1, name, slots[i].cell)
			}
			slots[i].token = token
		}
	}
	return slots, nil
}

// parseTokenName reads a logged token name: nas writes "cell2 norm" (the
// cell, a space, the token); a bare "norm" is accepted as well. It returns
// the cell (0 when the name gives none) and the token.
func parseTokenName(name string) (cell int, token string, err error) {
	first, rest, ok := strings.Cut(strings.TrimSpace(name), " ")
	if !ok {
		return 0, first, nil
	}
	n, aerr := strconv.Atoi(strings.TrimPrefix(first, "cell"))
	if !strings.HasPrefix(first, "cell") || aerr != nil || n < 1 {
		return 0, "", fmt.Errorf("token name %q is neither \"cellN token\" nor a bare token", name)
	}
	token = strings.TrimSpace(rest)
	if token == "" || strings.Contains(token, " ") {
		return 0, "", fmt.Errorf("token name %q is neither \"cellN token\" nor a bare token", name)
	}
	return n, token, nil
}

// choiceRowLabel labels a heatmap row: "cell2 norm: batch".
func choiceRowLabel(s tokenSlot, choice int) string {
	names := choiceNames(s.token, s.cell)
	if choice < len(names) {
		return fmt.Sprintf("cell%d %s: %s", s.cell, s.token, names[choice])
	}
	return fmt.Sprintf("cell%d %s: %d", s.cell, s.token, choice)
}

// parseArch reads an architecture's integers ("0 2 0 1"); nil if malformed.
func parseArch(s string) []int {
	f := strings.Fields(s)
	v := make([]int, len(f))
	for i, x := range f {
		n, err := strconv.Atoi(x)
		if err != nil || n < 0 {
			return nil
		}
		v[i] = n
	}
	return v
}
