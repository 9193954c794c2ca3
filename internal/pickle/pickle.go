// Package pickle decodes the subset of Python's pickle format that PyTorch
// checkpoints use (protocols 2 to 5), without executing anything: globals
// are returned as names, and calls (REDUCE, NEWOBJ) are resolved by a hook
// the caller provides or kept as inert Call values.
//
// Every length read from the stream is checked against the bytes that
// remain before anything is allocated, the memo and the stack are bounded,
// and malformed input returns an error, never a panic.
package pickle

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Value is a decoded pickle value: nil (None), bool, int64, BigInt,
// float64, string, []byte, Tuple, *List, *Dict, Global, *Call, or whatever
// the hooks return.
type Value = any

// Tuple is a Python tuple.
type Tuple []Value

// List is a Python list.
type List struct{ Items []Value }

// Dict is a Python dict (or OrderedDict) with its insertion order.
type Dict struct {
	Keys   []Value
	Values []Value
	// State holds what a BUILD opcode set on the dict (OrderedDict's
	// _metadata in PyTorch state dicts); it is not part of the mapping.
	State Value

	index map[Value]int // position in Keys of each hashable key
}

// Get returns the value of a string key.
func (d *Dict) Get(key string) (Value, bool) {
	for i, k := range d.Keys {
		if s, ok := k.(string); ok && s == key {
			return d.Values[i], true
		}
	}
	return nil, false
}

// set adds or replaces an entry. Only hashable keys can repeat (as in
// Python): comparing others (tuples, byte strings) with == would panic, so
// they are always added. The index keeps a dict of many keys linear to
// build.
func (d *Dict) set(k, v Value) {
	if isHashable(k) {
		if i, ok := d.index[k]; ok {
			d.Values[i] = v
			return
		}
		if d.index == nil {
			d.index = map[Value]int{}
		}
		d.index[k] = len(d.Keys)
	}
	d.Keys = append(d.Keys, k)
	d.Values = append(d.Values, v)
}

func isHashable(v Value) bool {
	switch v.(type) {
	case string, int64, bool, float64, nil:
		return true
	}
	return false
}

// BigInt is an integer too large for int64 (such as the magic number of
// PyTorch's legacy format), as its little-endian two's-complement bytes.
type BigInt []byte

// Global is a reference to a Python object by module and name.
type Global struct{ Module, Name string }

// Call is an unresolved call of a callable with arguments (REDUCE or
// NEWOBJ), with the state a later BUILD gave it.
type Call struct {
	Callable Value
	Args     Tuple
	State    Value
}

// Hooks customise decoding.
type Hooks struct {
	// Persistent resolves a persistent id (BINPERSID); PyTorch uses it for
	// tensor storages. Nil makes persistent ids an error.
	Persistent func(pid Value) (Value, error)
	// Reduce may resolve a call; it returns handled=false to leave the call
	// as a *Call value.
	Reduce func(callable Global, args Tuple) (v Value, handled bool, err error)
}

// Limits bound the decoder's memory use.
const (
	maxMemo  = 1 << 22
	maxStack = 1 << 22
)

type decoder struct {
	data  []byte
	pos   int
	hooks Hooks
	stack []Value
	marks []int
	memo  map[uint32]Value
}

// ErrFormat is wrapped by every decoding error.
var ErrFormat = errors.New("invalid pickle")

func (d *decoder) fail(format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", ErrFormat, d.pos, fmt.Sprintf(format, args...))
}

// Decode decodes one pickle from the start of data and returns the value
// and the number of bytes it used.
func Decode(data []byte, hooks Hooks) (Value, int, error) {
	d := &decoder{data: data, hooks: hooks, memo: map[uint32]Value{}}
	v, err := d.run()
	return v, d.pos, err
}

func (d *decoder) need(n int) ([]byte, error) {
	if n < 0 || n > len(d.data)-d.pos {
		return nil, d.fail("needs %d more bytes, %d left", n, len(d.data)-d.pos)
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

func (d *decoder) push(v Value) error {
	if len(d.stack) >= maxStack {
		return d.fail("stack too deep")
	}
	d.stack = append(d.stack, v)
	return nil
}

func (d *decoder) pop() (Value, error) {
	if len(d.stack) <= d.base() {
		return nil, d.fail("pop from an empty stack")
	}
	v := d.stack[len(d.stack)-1]
	d.stack = d.stack[:len(d.stack)-1]
	return v, nil
}

func (d *decoder) top() (Value, error) {
	if len(d.stack) == 0 {
		return nil, d.fail("empty stack")
	}
	return d.stack[len(d.stack)-1], nil
}

// base is the stack position of the last mark (0 without marks): what
// lies below it cannot be popped until the mark is.
func (d *decoder) base() int {
	if len(d.marks) == 0 {
		return 0
	}
	return d.marks[len(d.marks)-1]
}

// popMark pops everything above the last mark.
func (d *decoder) popMark() ([]Value, error) {
	if len(d.marks) == 0 {
		return nil, d.fail("no mark")
	}
	m := d.marks[len(d.marks)-1]
	d.marks = d.marks[:len(d.marks)-1]
	items := append([]Value(nil), d.stack[m:]...)
	d.stack = d.stack[:m]
	return items, nil
}

func (d *decoder) line() (string, error) {
	for i := d.pos; i < len(d.data); i++ {
		if d.data[i] == '\n' {
			s := string(d.data[d.pos:i])
			d.pos = i + 1
			return s, nil
		}
	}
	return "", d.fail("unterminated line")
}

func (d *decoder) memoize(idx uint32) error {
	v, err := d.top()
	if err != nil {
		return err
	}
	if _, ok := d.memo[idx]; !ok && len(d.memo) >= maxMemo {
		return d.fail("memo too large")
	}
	d.memo[idx] = v
	return nil
}

func (d *decoder) uint(n int) (uint64, error) {
	b, err := d.need(n)
	if err != nil {
		return 0, err
	}
	var v uint64
	for i := n - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v, nil
}

func (d *decoder) run() (Value, error) {
	for {
		op, err := d.need(1)
		if err != nil {
			return nil, err
		}
		switch op[0] {
		case 0x80: // PROTO
			if _, err := d.need(1); err != nil {
				return nil, err
			}
		case 0x95: // FRAME: an 8-byte frame length, framing is ignored
			if _, err := d.need(8); err != nil {
				return nil, err
			}
		case '.': // STOP
			return d.pop()
		case '(': // MARK
			if len(d.marks) >= maxStack {
				return nil, d.fail("too many marks")
			}
			d.marks = append(d.marks, len(d.stack))
		case 'N':
			err = d.push(nil)
		case 0x88:
			err = d.push(true)
		case 0x89:
			err = d.push(false)
		case 'K', 'M', 'J': // BININT1, BININT2, BININT
			n := map[byte]int{'K': 1, 'M': 2, 'J': 4}[op[0]]
			var v uint64
			if v, err = d.uint(n); err == nil {
				x := int64(v)
				if op[0] == 'J' {
					x = int64(int32(uint32(v)))
				}
				err = d.push(x)
			}
		case 0x8a: // LONG1
			var n uint64
			if n, err = d.uint(1); err != nil {
				return nil, err
			}
			var b []byte
			if b, err = d.need(int(n)); err != nil {
				return nil, err
			}
			if n > 8 {
				err = d.push(BigInt(append([]byte(nil), b...)))
				break
			}
			var v int64
			for i := len(b) - 1; i >= 0; i-- {
				v = v<<8 | int64(b[i])
			}
			if n > 0 && n < 8 && b[n-1]&0x80 != 0 { // sign-extend
				v -= int64(1) << (8 * n)
			}
			err = d.push(v)
		case 'G': // BINFLOAT, big-endian
			var b []byte
			if b, err = d.need(8); err == nil {
				err = d.push(math.Float64frombits(binary.BigEndian.Uint64(b)))
			}
		case 'X', 0x8c, 0x8d, 'T', 'U', 'B', 'C', 0x8e: // unicode and byte strings
			err = d.str(op[0])
		case ')':
			err = d.push(Tuple{})
		case 't':
			var items []Value
			if items, err = d.popMark(); err == nil {
				err = d.push(Tuple(items))
			}
		case 0x85, 0x86, 0x87: // TUPLE1..3
			// The items must lie above the last mark, as in Python, whose
			// MARK starts a new stack: taking them from below it left the
			// mark beyond the stack's end (a slice panic in popMark).
			n := int(op[0] - 0x84)
			if have := len(d.stack) - d.base(); have < n {
				return nil, d.fail("tuple of %d from a stack of %d above the mark", n, have)
			}
			items := append([]Value(nil), d.stack[len(d.stack)-n:]...)
			d.stack = d.stack[:len(d.stack)-n]
			err = d.push(Tuple(items))
		case ']':
			err = d.push(&List{})
		case 'l': // LIST
			var items []Value
			if items, err = d.popMark(); err == nil {
				err = d.push(&List{Items: items})
			}
		case 'a', 'e': // APPEND, APPENDS
			var items []Value
			if op[0] == 'a' {
				var v Value
				if v, err = d.pop(); err != nil {
					return nil, err
				}
				items = []Value{v}
			} else if items, err = d.popMark(); err != nil {
				return nil, err
			}
			var t Value
			if t, err = d.top(); err != nil {
				return nil, err
			}
			l, ok := t.(*List)
			if !ok {
				return nil, d.fail("append to %T", t)
			}
			l.Items = append(l.Items, items...)
		case '}':
			err = d.push(&Dict{})
		case 'd': // DICT
			var items []Value
			if items, err = d.popMark(); err == nil {
				err = d.setItems(&Dict{}, items, true)
			}
		case 's', 'u': // SETITEM, SETITEMS
			var items []Value
			if op[0] == 's' {
				var k, v Value
				if v, err = d.pop(); err != nil {
					return nil, err
				}
				if k, err = d.pop(); err != nil {
					return nil, err
				}
				items = []Value{k, v}
			} else if items, err = d.popMark(); err != nil {
				return nil, err
			}
			var t Value
			if t, err = d.top(); err != nil {
				return nil, err
			}
			dict, ok := t.(*Dict)
			if !ok {
				return nil, d.fail("setitem on %T", t)
			}
			err = d.setItems(dict, items, false)
		case 0x8f: // EMPTY_SET
			err = d.push(&List{})
		case 0x90: // ADDITEMS
			var items []Value
			if items, err = d.popMark(); err == nil {
				var t Value
				if t, err = d.top(); err == nil {
					if l, ok := t.(*List); ok {
						l.Items = append(l.Items, items...)
					} else {
						err = d.fail("additems on %T", t)
					}
				}
			}
		case 'c': // GLOBAL
			var mod, name string
			if mod, err = d.line(); err != nil {
				return nil, err
			}
			if name, err = d.line(); err != nil {
				return nil, err
			}
			err = d.push(Global{mod, name})
		case 0x93: // STACK_GLOBAL
			var n, m Value
			if n, err = d.pop(); err != nil {
				return nil, err
			}
			if m, err = d.pop(); err != nil {
				return nil, err
			}
			ms, ok1 := m.(string)
			ns, ok2 := n.(string)
			if !ok1 || !ok2 {
				return nil, d.fail("stack_global of %T and %T", m, n)
			}
			err = d.push(Global{ms, ns})
		case 'R', 0x81: // REDUCE, NEWOBJ
			var args, fn Value
			if args, err = d.pop(); err != nil {
				return nil, err
			}
			if fn, err = d.pop(); err != nil {
				return nil, err
			}
			tup, ok := args.(Tuple)
			if !ok {
				return nil, d.fail("call with %T arguments", args)
			}
			var v Value
			if v, err = d.call(fn, tup); err == nil {
				err = d.push(v)
			}
		case 'b': // BUILD
			var state, t Value
			if state, err = d.pop(); err != nil {
				return nil, err
			}
			if t, err = d.top(); err != nil {
				return nil, err
			}
			switch o := t.(type) {
			case *Dict:
				o.State = state
			case *Call:
				o.State = state
			default:
				// Objects built by hooks (tensors) ignore their state.
			}
		case 'Q': // BINPERSID
			var pid Value
			if pid, err = d.pop(); err != nil {
				return nil, err
			}
			if d.hooks.Persistent == nil {
				return nil, d.fail("persistent id without a loader")
			}
			var v Value
			if v, err = d.hooks.Persistent(pid); err == nil {
				err = d.push(v)
			}
		case 'q', 'r', 0x94: // BINPUT, LONG_BINPUT, MEMOIZE
			var idx uint64
			switch op[0] {
			case 'q':
				idx, err = d.uint(1)
			case 'r':
				idx, err = d.uint(4)
			default:
				idx = uint64(len(d.memo))
			}
			if err == nil {
				err = d.memoize(uint32(idx))
			}
		case 'h', 'j': // BINGET, LONG_BINGET
			n := 1
			if op[0] == 'j' {
				n = 4
			}
			var idx uint64
			if idx, err = d.uint(n); err != nil {
				return nil, err
			}
			v, ok := d.memo[uint32(idx)]
			if !ok {
				return nil, d.fail("memo %d not set", idx)
			}
			err = d.push(v)
		default:
			return nil, d.fail("unsupported opcode %#02x", op[0])
		}
		if err != nil {
			return nil, err
		}
	}
}

func (d *decoder) setItems(dict *Dict, items []Value, push bool) error {
	if len(items)%2 != 0 {
		return d.fail("odd number of dict items")
	}
	for i := 0; i < len(items); i += 2 {
		if !isHashable(items[i]) {
			if _, ok := items[i].(Tuple); !ok {
				return d.fail("unhashable dict key %T", items[i])
			}
		}
		dict.set(items[i], items[i+1])
	}
	if push {
		return d.push(dict)
	}
	return nil
}

// str decodes the string opcodes.
func (d *decoder) str(op byte) error {
	var n uint64
	var err error
	switch op {
	case 'X', 'T', 'B': // 4-byte length
		n, err = d.uint(4)
	case 0x8c, 'U', 'C': // 1-byte length
		n, err = d.uint(1)
	case 0x8d, 0x8e: // 8-byte length
		n, err = d.uint(8)
	}
	if err != nil {
		return err
	}
	if n > uint64(len(d.data)-d.pos) {
		return d.fail("string of %d bytes, %d left", n, len(d.data)-d.pos)
	}
	b, _ := d.need(int(n))
	switch op {
	case 'B', 'C', 0x8e: // BINBYTES, SHORT_BINBYTES, BINBYTES8
		return d.push(append([]byte(nil), b...))
	}
	return d.push(string(b))
}

// call resolves REDUCE/NEWOBJ: collections.OrderedDict() is a Dict, the hook
// may resolve others, and the rest stay inert Call values.
func (d *decoder) call(fn Value, args Tuple) (Value, error) {
	g, ok := fn.(Global)
	if ok && g.Module == "collections" && g.Name == "OrderedDict" {
		dict := &Dict{}
		if len(args) == 1 { // OrderedDict([(k, v), ...])
			if l, ok := args[0].(*List); ok {
				for _, it := range l.Items {
					kv, ok := it.(Tuple)
					if !ok || len(kv) != 2 {
						return nil, d.fail("OrderedDict item %T", it)
					}
					dict.set(kv[0], kv[1])
				}
			}
		}
		return dict, nil
	}
	if ok && d.hooks.Reduce != nil {
		v, handled, err := d.hooks.Reduce(g, args)
		if err != nil {
			return nil, fmt.Errorf("%w at byte %d: %s.%s: %v", ErrFormat, d.pos, g.Module, g.Name, err)
		}
		if handled {
			return v, nil
		}
	}
	return &Call{Callable: fn, Args: args}, nil
}
