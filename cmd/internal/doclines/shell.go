package doclines

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// shell is a small model of the POSIX shell, enough to follow the command
// lines of the documentation into the deploy scripts: quoting, variables
// and their defaults (${X:-d}, ${X:=d}), word splitting of unquoted
// variables (the *_ARGS of the templates), positional parameters,
// command substitution, lists and pipelines, redirections, environment
// prefixes (RUN=dir sbatch …) and arrays assigned in alternative branches.
// It does not evaluate conditions: both branches of an if are followed, and
// an assignment whose value it cannot know is not made.
type shell struct {
	f      *finder
	vars   map[string]string
	pos    []string            // positional parameters ($1 …); nil outside a script
	arrays map[string][]string // array name -> the text of each assignment
	where  string              // where the line came from, for messages
	sketch bool                // the line is prose (an inline code span)
}

func (f *finder) newShell(where string) *shell {
	return &shell{f: f, vars: map[string]string{}, arrays: map[string][]string{}, where: where}
}

// token is a word or an operator of a command line.
type token struct {
	text    string
	op      bool // |, ||, &, &&, ;, (, ) or > (a redirection; the next word is its target)
	unknown bool // the word holds the expansion of a variable whose value is not known
}

var (
	arrayAssign = regexp.MustCompile(`^\s*([A-Za-z_]\w*)=\((.*)\)\s*$`)
	arrayUse    = regexp.MustCompile(`"?\$\{([A-Za-z_]\w*)\[@\]\}"?`)
	assignment  = regexp.MustCompile(`^([A-Za-z_]\w*)=`)
	goRunCmd    = regexp.MustCompile(`^(\./)?cmd/([\w-]+)/?$`)
	binCmd      = regexp.MustCompile(`^((\$\{?\w+\}?/|\./|/app/)?bin|\$\{?\w*BIN\}?)/([\w-]+)$`)
	synopsisArg = regexp.MustCompile(`^\[[A-Z_]+\]$`)
)

// run interprets one logical command line.
func (sh *shell) run(line string) {
	if m := arrayAssign.FindStringSubmatch(line); m != nil {
		sh.arrays[m[1]] = append(sh.arrays[m[1]], m[2])
		return
	}
	if m := arrayUse.FindStringSubmatchIndex(line); m != nil {
		for _, alt := range sh.arrays[line[m[2]:m[3]]] {
			sh.run(line[:m[0]] + alt + line[m[1]:])
		}
		return
	}
	toks, subs := sh.split(line)
	for _, s := range subs {
		sh.run(s)
	}
	var cmd []token
	for _, t := range append(toks, token{text: ";", op: true}) {
		if t.op && t.text != ">" {
			sh.simple(cmd)
			cmd = nil
			continue
		}
		cmd = append(cmd, t)
	}
}

// simple interprets a simple command: assignments, then either nothing
// (they set shell variables), one of our commands, or a deploy script.
func (sh *shell) simple(toks []token) {
	var words []token
	for i := 0; i < len(toks); i++ {
		if toks[i].op { // a redirection: drop it and its target
			i++
			continue
		}
		words = append(words, toks[i])
	}
	if len(words) > 0 && (words[0].text == "export" || words[0].text == "local") {
		words = words[1:]
		for _, w := range words {
			if !assignment.MatchString(w.text) {
				return
			}
		}
	}
	env := map[string]string{}
	for len(words) > 0 && assignment.MatchString(words[0].text) {
		name, val, _ := strings.Cut(words[0].text, "=")
		if !words[0].unknown {
			env[name] = val
		}
		words = words[1:]
	}
	if len(words) == 0 { // assignments alone set the shell's variables
		for k, v := range env {
			sh.vars[k] = v
		}
		return
	}
	optional := false
	for i, w := range words {
		if synopsisArg.MatchString(w.text) {
			return // a usage synopsis (script OUT SHARDS [MERGE_ARGS]), not a command line
		}
		// An optional flag of a synopsis, [-save FILE], is checked as a flag.
		if strings.HasPrefix(w.text, "[-") {
			words[i].text, optional = w.text[1:], true
		}
		if optional && strings.HasSuffix(words[i].text, "]") {
			words[i].text, optional = strings.TrimSuffix(words[i].text, "]"), false
		}
	}
	for k, w := range words {
		name, n := sh.invocation(words, k)
		if name != "" {
			var args []string
			for _, a := range words[k+n:] {
				args = append(args, a.text)
			}
			sh.f.add(Line{Where: sh.where, Command: name, Args: args, Sketch: sh.sketch})
			return
		}
		if v, ok := strings.CutPrefix(w.text, "--wrap="); ok { // sbatch --wrap="command"
			sh.run(v)
			continue
		}
		if script := sh.f.script(w.text, sh.where); script != "" {
			child := sh.f.newShell(sh.where)
			for k, v := range sh.vars {
				child.vars[k] = v
			}
			for k, v := range env {
				child.vars[k] = v
			}
			child.pos = []string{}
			for _, a := range words[k+1:] {
				child.pos = append(child.pos, a.text)
			}
			sh.f.runScript(child, script)
			return
		}
	}
}

// invocation recognises one of our commands at words[k]: go run ./cmd/X,
// a built binary (bin/X, ./bin/X, $W/bin/X, $BIN/X, $AUTOGAN_BIN/X,
// /app/bin/X), or, in prose, cmd/X. It returns the command and
// the number of words the invocation takes.
func (sh *shell) invocation(words []token, k int) (string, int) {
	if k+2 < len(words) && words[k].text == "go" && words[k+1].text == "run" {
		if m := goRunCmd.FindStringSubmatch(words[k+2].text); m != nil {
			return m[2], 3
		}
	}
	if m := binCmd.FindStringSubmatch(words[k].text); m != nil {
		return m[3], 1
	}
	if m := goRunCmd.FindStringSubmatch(words[k].text); m != nil && sh.sketch && k == 0 && m[1] == "" {
		return m[2], 1
	}
	return "", 0
}

// split breaks a command line into tokens, removing quotes and expanding
// variables; an unquoted variable's value is split into words. It returns
// the command substitutions $(…) separately, to be interpreted as
// commands themselves.
func (sh *shell) split(s string) (toks []token, subs []string) {
	var cur strings.Builder
	inWord, unknown := false, false
	flush := func() {
		if inWord {
			toks = append(toks, token{text: cur.String(), unknown: unknown})
		}
		cur.Reset()
		inWord, unknown = false, false
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			flush()
			i++
		case c == '#' && !inWord:
			flush()
			return toks, subs
		case c == '\\':
			if i+1 < len(s) {
				cur.WriteByte(s[i+1])
				inWord = true
			}
			i += 2
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				j = len(s) - i - 1
			}
			cur.WriteString(s[i+1 : i+1+j])
			inWord = true
			i += j + 2
		case c == '"':
			inWord = true
			for i++; i < len(s) && s[i] != '"'; {
				switch {
				case s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0:
					cur.WriteByte(s[i+1])
					i += 2
				case s[i] == '$':
					v, n, unk, sub := sh.dollar(s[i:])
					cur.WriteString(v)
					unknown = unknown || unk
					subs = append(subs, sub...)
					i += n
				default:
					cur.WriteByte(s[i])
					i++
				}
			}
			i++
		case c == '$':
			v, n, unk, sub := sh.dollar(s[i:])
			subs = append(subs, sub...)
			i += n
			alone := !inWord && (i >= len(s) || strings.IndexByte(" \t\n;&|>)", s[i]) >= 0)
			switch {
			case unk && alone && strings.HasPrefix(v, "$") && !strings.HasPrefix(v, "$("):
				// An unset variable alone expands to no word at all.
			case unk:
				cur.WriteString(v)
				inWord, unknown = true, true
			default: // word splitting
				if v != "" && strings.IndexByte(" \t\n", v[0]) >= 0 {
					flush()
				}
				for k, field := range strings.Fields(v) {
					if k > 0 {
						flush()
					}
					cur.WriteString(field)
					inWord = true
				}
				if v != "" && strings.IndexByte(" \t\n", v[len(v)-1]) >= 0 {
					flush()
				}
			}
		case c == '|' || c == '&' || c == ';':
			flush()
			op := s[i : i+1]
			if i+1 < len(s) && s[i+1] == c {
				op = s[i : i+2]
			}
			toks = append(toks, token{text: op, op: true})
			i += len(op)
		case c == '>' || c == '<':
			if inWord && strings.Trim(cur.String(), "0123456789") == "" { // the 2 of 2>
				cur.Reset()
				inWord = false
			}
			flush()
			for i++; i < len(s) && s[i] == '>'; i++ {
			}
			if i < len(s) && s[i] == '&' { // >&2, 2>&1: no target word
				for i++; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
				}
				continue
			}
			toks = append(toks, token{text: ">", op: true})
		case c == '(' || c == ')':
			flush()
			toks = append(toks, token{text: s[i : i+1], op: true})
			i++
		default:
			cur.WriteByte(c)
			inWord = true
			i++
		}
	}
	flush()
	return toks, subs
}

// dollar expands the $-expression at the start of s. It returns the value,
// the bytes it took, whether the value is unknown (then the value is the
// expression's text) and the command substitutions it holds.
func (sh *shell) dollar(s string) (val string, n int, unknown bool, subs []string) {
	switch {
	case strings.HasPrefix(s, "$(("): // arithmetic
		n = closing(s, 1) + 1
		return s[:n], n, true, nil
	case strings.HasPrefix(s, "$("):
		n = closing(s, 1) + 1
		return s[:n], n, true, []string{s[2 : n-1]}
	case strings.HasPrefix(s, "${"):
		n = closing(s, 1) + 1
		inner := s[2 : n-1]
		name := inner[:len(inner)-len(strings.TrimLeft(inner, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"))]
		if name == "" {
			return s[:n], n, true, nil
		}
		op, word := inner[len(name):], ""
		for _, o := range []string{":-", ":=", ":?", ":+", "-", "=", "?", "+"} {
			if strings.HasPrefix(op, o) {
				op, word = o, op[len(o):]
				break
			}
		}
		v, ok := sh.get(name)
		empty := !ok || v == "" && strings.HasPrefix(op, ":")
		switch strings.TrimPrefix(op, ":") {
		case "":
			if !ok {
				return s[:n], n, true, nil
			}
			return v, n, false, nil
		case "-", "=":
			if !empty {
				return v, n, false, nil
			}
			w, unk, sub := sh.expand(word)
			if op[len(op)-1] == '=' && !unk {
				sh.vars[name] = w
			}
			return w, n, unk, sub
		case "?":
			if !empty {
				return v, n, false, nil
			}
			return s[:n], n, true, nil // an error in the shell: required
		case "+":
			if empty {
				return "", n, false, nil
			}
			w, unk, sub := sh.expand(word)
			return w, n, unk, sub
		}
		return s[:n], n, true, nil
	}
	n = 1
	if n < len(s) && (s[n] >= '0' && s[n] <= '9' || strings.IndexByte("#@*?$!", s[n]) >= 0) {
		n++
	} else {
		for n < len(s) && (s[n] == '_' || s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
			n++
		}
	}
	if n == 1 {
		return "$", 1, false, nil
	}
	if v, ok := sh.get(s[1:n]); ok {
		return v, n, false, nil
	}
	return s[:n], n, true, nil
}

// expand expands the variables of a default value (${X:-word}), without
// word splitting.
func (sh *shell) expand(word string) (string, bool, []string) {
	var b strings.Builder
	unknown := false
	var subs []string
	for i := 0; i < len(word); {
		switch word[i] {
		case '$':
			v, n, unk, sub := sh.dollar(word[i:])
			b.WriteString(v)
			unknown = unknown || unk
			subs = append(subs, sub...)
			i += n
		case '"', '\'':
			i++
		case '\\':
			if i+1 < len(word) {
				b.WriteByte(word[i+1])
			}
			i += 2
		default:
			b.WriteByte(word[i])
			i++
		}
	}
	return b.String(), unknown, subs
}

// get returns a variable or positional parameter.
func (sh *shell) get(name string) (string, bool) {
	if name == "#" && sh.pos != nil {
		return strconv.Itoa(len(sh.pos)), true
	}
	if k, err := strconv.Atoi(name); err == nil {
		if k >= 1 && k <= len(sh.pos) {
			return sh.pos[k-1], true
		}
		return "", false
	}
	v, ok := sh.vars[name]
	return v, ok
}

// closing returns the index of the bracket that closes the one at s[open],
// skipping quoted text; len(s)-1 when it is missing.
func closing(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '(', '{':
			depth++
		case ')', '}':
			if depth--; depth == 0 {
				return i
			}
		case '\'', '"':
			if j := strings.IndexByte(s[i+1:], s[i]); j >= 0 {
				i += j + 1
			}
		case '\\':
			i++
		}
	}
	return len(s) - 1
}

// runScript interprets the code (not the comments) of a deploy script in
// sh, whose variables and positional parameters the caller has set.
func (f *finder) runScript(sh *shell, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.err = err
		return
	}
	rel, _ := filepath.Rel(f.root, path)
	from := sh.where
	for _, l := range logicalLines(string(b), "") {
		if strings.HasPrefix(strings.TrimSpace(l.text), "#") {
			continue
		}
		sh.where = rel + ":" + strconv.Itoa(l.line)
		if from != "" {
			sh.where = from + " → " + sh.where
		}
		sh.run(l.text)
	}
}

// script returns the deploy script a word names (a path from the
// repository root, or a file next to the script being read), or "".
func (f *finder) script(word, where string) string {
	if !strings.HasSuffix(word, ".sh") && !strings.HasSuffix(word, ".sbatch") {
		return ""
	}
	if p := filepath.Join(f.root, word); !strings.Contains(word, "$") && fileExists(p) {
		return p
	}
	// "$here/eval-shards.sbatch" in a script: the file next to it.
	last := where[strings.LastIndex(where, " ")+1:]
	file, _, _ := strings.Cut(last, ":")
	if p := filepath.Join(f.root, filepath.Dir(file), filepath.Base(word)); strings.HasPrefix(file, "deploy") && fileExists(p) {
		return p
	}
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
