package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
)

// node is an element of a parsed SVG document, for the tests to query.
type node struct {
	name  string
	attr  map[string]string
	text  string // character data directly inside the element
	kids  []*node
	class string
}

// parseSVG parses a document with encoding/xml, failing the test if it is
// not well-formed or its root is not an svg element in the SVG namespace.
func parseSVG(t *testing.T, name string, b []byte) *node {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var root *node
	var stack []*node
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: not well-formed XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			n.class = n.attr["class"]
			if root == nil {
				if tok.Name.Local != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("%s: root element is {%s}%s, want the SVG namespace's svg", name, tok.Name.Space, tok.Name.Local)
				}
				root = n
			} else {
				if len(stack) == 0 {
					t.Fatalf("%s: more than one root element", name)
				}
				p := stack[len(stack)-1]
				p.kids = append(p.kids, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil {
		t.Fatalf("%s: no root element", name)
	}
	return root
}

func checkWellFormed(t *testing.T, name string, b []byte) { t.Helper(); parseSVG(t, name, b) }

// all returns the elements below n (n included) for which keep is true, in
// document order.
func (n *node) all(keep func(*node) bool) []*node {
	var out []*node
	var walk func(*node)
	walk = func(m *node) {
		if keep(m) {
			out = append(out, m)
		}
		for _, k := range m.kids {
			walk(k)
		}
	}
	walk(n)
	return out
}

func (n *node) byClass(c string) []*node {
	return n.all(func(m *node) bool { return m.class == c })
}

func (n *node) byName(name string) []*node {
	return n.all(func(m *node) bool { return m.name == name })
}

// texts returns the contents of the text elements below n.
func (n *node) texts() []string {
	var out []string
	for _, m := range n.byName("text") {
		out = append(out, m.text)
	}
	return out
}

// title returns the text of n's <title> child.
func (n *node) title() string {
	for _, k := range n.kids {
		if k.name == "title" {
			return k.text
		}
	}
	return ""
}

func (n *node) num(t *testing.T, attr string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr[attr], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, attr, n.attr[attr], err)
	}
	return v
}

// render returns the SVG of c, failing the test on an error.
func mustSVG(t *testing.T, c Chart) []byte {
	t.Helper()
	b, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), b) {
		t.Fatal("WriteSVG and SVG differ")
	}
	return b
}

// pathPoints decodes the d attribute written by pathBuilder (M with
// absolute coordinates, l with relative pairs, h0, Z) into its subpaths
// of absolute points.
func pathPoints(t *testing.T, d string) [][][2]float64 {
	t.Helper()
	var subs [][][2]float64
	var cx, cy, sx, sy float64
	cmd := byte(0)
	i := 0
	number := func() float64 {
		for i < len(d) && d[i] == ' ' {
			i++
		}
		j := i
		if j < len(d) && d[j] == '-' {
			j++
		}
		for j < len(d) && (d[j] >= '0' && d[j] <= '9' || d[j] == '.') {
			j++
		}
		v, err := strconv.ParseFloat(d[i:j], 64)
		if err != nil {
			t.Fatalf("path %q at %d: %v", d, i, err)
		}
		i = j
		return v
	}
	for i < len(d) {
		c := d[i]
		switch {
		case c == ' ':
			i++
			continue
		case strings.IndexByte("MlhZ", c) >= 0:
			cmd = c
			i++
		}
		switch cmd {
		case 'M':
			cx, cy = number(), number()
			sx, sy = cx, cy
			subs = append(subs, [][2]float64{{cx, cy}})
			cmd = 'l' // further pairs would be line-tos
		case 'l':
			cx, cy = cx+number(), cy+number()
			subs[len(subs)-1] = append(subs[len(subs)-1], [2]float64{cx, cy})
		case 'h':
			cx += number()
			subs[len(subs)-1] = append(subs[len(subs)-1], [2]float64{cx, cy})
		case 'Z':
			cx, cy = sx, sy
		default:
			t.Fatalf("path %q: unexpected %q at %d", d, c, i)
		}
	}
	return subs
}
