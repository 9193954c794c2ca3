package doclines

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// finder collects the command lines of the repository at root.
type finder struct {
	root  string
	lines []Line
	seen  map[string]bool
	err   error
}

// add records a line once per file (a document may show the same command
// line several times).
func (f *finder) add(l Line) {
	file, _, _ := strings.Cut(l.Where, ":")
	key := file + "\x00" + l.Command + "\x00" + strings.Join(l.Args, "\x00")
	if f.seen[key] {
		return
	}
	f.seen[key] = true
	f.lines = append(f.lines, l)
}

// logical is a command line after joining its backslash continuations.
type logical struct {
	text string
	line int // of its first physical line, 1-based
}

// logicalLines joins the lines of text that end with a backslash with
// the next, after removing prefix (a comment marker) from each line.
func logicalLines(text, prefix string) []logical {
	var out []logical
	var cur strings.Builder
	first := 0
	for i, l := range strings.Split(text, "\n") {
		l = strings.TrimPrefix(l, prefix)
		if cur.Len() == 0 {
			first = i + 1
		}
		if strings.HasSuffix(l, "\\") {
			cur.WriteString(strings.TrimSuffix(l, "\\") + " ")
			continue
		}
		cur.WriteString(l)
		out = append(out, logical{cur.String(), first})
		cur.Reset()
	}
	return out
}

// markdown reads a Markdown file: every line of its shell code blocks, and
// the inline code spans of its text that run a command (as sketches: they
// may hold placeholders such as -n N).
func (f *finder) markdown(rel string) {
	b, err := os.ReadFile(filepath.Join(f.root, rel))
	if err != nil {
		f.err = err
		return
	}
	lines := strings.Split(string(b), "\n")
	var block []string
	inBlock, shellBlock, start := false, false, 0
	var para []string
	paraStart := 0
	flushPara := func() {
		text := strings.Join(para, "\n")
		for _, m := range inlineCode.FindAllStringSubmatchIndex(text, -1) {
			sh := f.newShell(rel + ":" + strconv.Itoa(paraStart+strings.Count(text[:m[0]], "\n")))
			sh.sketch = true
			sh.run(strings.ReplaceAll(text[m[2]:m[3]], "\n", " "))
		}
		para = nil
	}
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(trimmed, "```") && !inBlock:
			flushPara()
			lang := strings.TrimPrefix(trimmed, "```")
			inBlock, shellBlock, start, block = true, lang == "" || lang == "sh" || lang == "bash" || lang == "shell", i+1, nil
		case strings.HasPrefix(trimmed, "```"):
			inBlock = false
			if shellBlock {
				for _, ll := range logicalLines(strings.Join(block, "\n"), "") {
					f.newShell(rel + ":" + strconv.Itoa(start+ll.line)).run(ll.text)
				}
			}
		case inBlock:
			block = append(block, l)
		case trimmed == "":
			flushPara()
		default:
			if para == nil {
				paraStart = i + 1
			}
			para = append(para, l)
		}
	}
	flushPara()
}

var inlineCode = regexp.MustCompile("`([^`]+)`")

// goDoc reads the code blocks (tab-indented lines) of the doc comment of a
// command's main.go.
func (f *finder) goDoc(rel string) {
	b, err := os.ReadFile(filepath.Join(f.root, rel))
	if err != nil {
		f.err = err
		return
	}
	comment, _, _ := strings.Cut(string(b), "\npackage ")
	for _, l := range logicalLines(comment, "//") {
		if strings.HasPrefix(l.text, "\t") {
			f.newShell(rel + ":" + strconv.Itoa(l.line)).run(l.text)
		}
	}
}

// scriptFile reads a deploy script: the example command lines of its
// comments (indented by two spaces or more), and its code run as is, so
// that the defaults of its variables (: "${SEARCH_ARGS:=…}") are checked.
func (f *finder) scriptFile(rel string) {
	b, err := os.ReadFile(filepath.Join(f.root, rel))
	if err != nil {
		f.err = err
		return
	}
	var comments []string
	for _, l := range strings.Split(string(b), "\n") {
		if c, ok := strings.CutPrefix(l, "#"); ok && (strings.HasPrefix(c, "  ") || strings.HasPrefix(c, "\t")) {
			comments = append(comments, c)
		} else {
			comments = append(comments, "")
		}
	}
	for _, l := range logicalLines(strings.Join(comments, "\n"), "") {
		if strings.TrimSpace(l.text) != "" {
			f.newShell(rel + ":" + strconv.Itoa(l.line)).run(l.text)
		}
	}
	sh := f.newShell("")
	sh.pos = []string{}
	f.runScript(sh, filepath.Join(f.root, rel))
}

// yaml reads a Kubernetes manifest: a container whose command is one of
// ours takes its args list as arguments; a command ["/bin/sh", "-c"] takes
// its args as shell command lines. Plain scalars may continue on more
// indented lines.
func (f *finder) yaml(rel string) {
	b, err := os.ReadFile(filepath.Join(f.root, rel))
	if err != nil {
		f.err = err
		return
	}
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		rest, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "command:")
		if !ok {
			continue
		}
		var command []string
		for _, w := range strings.Split(strings.Trim(strings.TrimSpace(rest), "[]"), ",") {
			command = append(command, strings.Trim(strings.TrimSpace(w), `"'`))
		}
		args, at := yamlList(lines, i+1, "args:")
		where := rel + ":" + strconv.Itoa(at)
		if len(command) == 2 && strings.HasSuffix(command[0], "sh") && command[1] == "-c" {
			for _, a := range args {
				f.newShell(where).run(a)
			}
			continue
		}
		sh := f.newShell(where)
		words := []token{{text: command[0]}}
		for _, a := range args {
			words = append(words, token{text: a})
		}
		sh.simple(words)
	}
}

// yamlList returns the items of the list under key in the lines from
// start on (within the same mapping), and the line number of the key.
func yamlList(lines []string, start int, key string) ([]string, int) {
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	for i := start; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != key {
			continue
		}
		var items []string
		base := indent(lines[i])
		for j := i + 1; j < len(lines) && (strings.TrimSpace(lines[j]) == "" || indent(lines[j]) > base || strings.HasPrefix(strings.TrimSpace(lines[j]), "- ") && indent(lines[j]) == base); j++ {
			t := strings.TrimSpace(lines[j])
			if item, ok := strings.CutPrefix(t, "- "); ok {
				items = append(items, strings.Trim(item, `"'`))
			} else if t != "" && len(items) > 0 {
				items[len(items)-1] += " " + t
			}
		}
		return items, i + 1
	}
	return nil, start
}

// Find returns the command lines of our commands shown in the
// documentation of the repository at root: README.md, docs/*.md, the
// scripts and manifests of deploy/ (their examples, and their code with
// the defaults of its variables) and the doc comments of cmd/*/main.go.
// A line that runs a deploy script yields the command lines the script
// runs with the variables and arguments the line gives it.
func Find(root string) ([]Line, error) {
	f := &finder{root: root, seen: map[string]bool{}}
	docs, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	sort.Strings(docs)
	for _, p := range append([]string{filepath.Join(root, "README.md")}, docs...) {
		rel, _ := filepath.Rel(root, p)
		f.markdown(rel)
	}
	err := filepath.WalkDir(filepath.Join(root, "deploy"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch filepath.Ext(p) {
		case ".sh", ".sbatch":
			f.scriptFile(rel)
		case ".yaml", ".yml":
			f.yaml(rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	mains, _ := filepath.Glob(filepath.Join(root, "cmd", "*", "main.go"))
	sort.Strings(mains)
	for _, p := range mains {
		rel, _ := filepath.Rel(root, p)
		f.goDoc(rel)
	}
	return f.lines, f.err
}

// Commands returns the names of the commands of the repository at root
// (the folders of cmd/ that hold a main.go).
func Commands(root string) []string {
	mains, _ := filepath.Glob(filepath.Join(root, "cmd", "*", "main.go"))
	var names []string
	for _, p := range mains {
		names = append(names, filepath.Base(filepath.Dir(p)))
	}
	sort.Strings(names)
	return names
}
