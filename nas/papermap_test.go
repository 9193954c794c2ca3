package nas

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestPaperMap checks docs/paper-map.md against the tree: every file it
// names exists, and every identifier it names after a file
// ("`nas/shared.go`: `trainShared`, `sharedStep`") is declared in that
// file, so the map cannot drift from the code.
func TestPaperMap(t *testing.T) {
	const root = ".."
	doc, err := os.ReadFile(filepath.Join(root, "docs", "paper-map.md"))
	if err != nil {
		t.Fatal(err)
	}
	// An entry: a backquoted path, optionally ": " and backquoted names.
	entry := regexp.MustCompile("`([a-z0-9_/]+\\.(?:go|md))`(?:: ((?:`\\w+`(?:, )?)+))?")
	files, names := 0, 0
	for _, m := range entry.FindAllStringSubmatch(string(doc), -1) {
		path := filepath.Join(root, filepath.FromSlash(m[1]))
		if strings.HasPrefix(m[1], "docs/") || !strings.Contains(m[1], "/") {
			path = filepath.Join(root, "docs", filepath.Base(m[1]))
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("paper-map.md names %s: %v", m[1], err)
			continue
		}
		files++
		for _, name := range regexp.MustCompile("`(\\w+)`").FindAllStringSubmatch(m[2], -1) {
			decl := regexp.MustCompile(fmt.Sprintf(`(?m)^(func (\([^)]*\) )?%[1]s\b|type %[1]s\b|\t%[1]s\s|var %[1]s\b|const %[1]s\b)`, name[1]))
			if !decl.Match(src) {
				t.Errorf("paper-map.md: %s declares no %s", m[1], name[1])
			}
			names++
		}
	}
	if files < 30 || names < 60 {
		t.Errorf("only %d files and %d names found: is the map's format still `file`: `name`?", files, names)
	}
	t.Logf("%d files and %d names checked", files, names)
}
