// Command oracle-replay replays a gomap oracle trace on Go's own runtime map and
// prints one result line per operation (see docs/oracle.md for the format).
//
// Built twice, with Go 1.19 (Debian's golang-1.19-go, the runtime map gomap
// ports) and with a Go >= 1.24 (a Swiss-table map), standard library only.
// go119.go and go123.go hold what differs between them: Go 1.19 has no clear
// builtin and no package maps, so there they are written out as Go 1.21 does
// them (docs/oracle.md); with current Go they are the real ones.  Both builds:
//   - reserve has no Go spelling: a no-op on a non-nil map (it only affects
//     capacity), a panic on a nil one.
//   - make with a bogus hint (negative, absurd) is made without a hint: gomap
//     ignores such hints; Go would ignore some and run out of memory on others.
//
// `oracle-replay -version` prints the Go version it was built with.
package main

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

const nslots = 4

type keyOps[K comparable] struct {
	parse  func(string) (K, error)
	format func(K) string
	less   func(a, b K) bool // fmt's order: numbers ascending, NaN first; strings bytewise
	isNaN  func(K) bool
}

// handle stands for a gomap::Map handle: slots that alias share one handle, so
// an emulated clear (which may replace the Go map) is seen through all of them.
type handle[K comparable] struct{ m map[K]int64 }

type entry[K comparable] struct {
	k K
	v int64
}

type replayer[K comparable] struct {
	ko    keyOps[K]
	slots [nslots]*handle[K]
	out   *bufio.Writer
	line  int
}

func (r *replayer[K]) fail(format string, args ...any) {
	r.out.Flush()
	fmt.Fprintf(os.Stderr, "oracle-replay: line %d: %s\n", r.line, fmt.Sprintf(format, args...))
	os.Exit(2)
}

func (r *replayer[K]) slot(s string) *handle[K] {
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= nslots {
		r.fail("bad slot %q", s)
	}
	return r.slots[i]
}

func (r *replayer[K]) slotIndex(s string) int {
	i, err := strconv.Atoi(s)
	if err != nil || i < 0 || i >= nslots {
		r.fail("bad slot %q", s)
	}
	return i
}

func (r *replayer[K]) key(s string) K {
	k, err := r.ko.parse(s)
	if err != nil {
		r.fail("bad key %q: %v", s, err)
	}
	return k
}

func (r *replayer[K]) int64(s string) int64 {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		r.fail("bad integer %q", s)
	}
	return v
}

// protect runs f and turns a Go panic into its message.
func protect(f func()) (msg string, panicked bool) {
	defer func() {
		if e := recover(); e != nil {
			panicked = true
			if err, ok := e.(error); ok {
				msg = err.Error()
			} else {
				msg = fmt.Sprint(e)
			}
		}
	}()
	f()
	return "", false
}

func okOrPanic(msg string, panicked bool) string {
	if panicked {
		return "panic " + msg
	}
	return "ok"
}

func (r *replayer[K]) sortEntries(es []entry[K]) {
	sort.Slice(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if r.ko.less(a.k, b.k) {
			return true
		}
		if r.ko.less(b.k, a.k) {
			return false
		}
		return a.v < b.v // only NaN keys tie
	})
}

func (r *replayer[K]) entries(m map[K]int64) []entry[K] {
	es := make([]entry[K], 0, len(m))
	for k, v := range m {
		es = append(es, entry[K]{k, v})
	}
	r.sortEntries(es)
	return es
}

func (r *replayer[K]) entriesText(es []entry[K]) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(len(es)))
	for _, e := range es {
		b.WriteByte(' ')
		b.WriteString(r.ko.format(e.k))
		b.WriteByte(':')
		b.WriteString(strconv.FormatInt(e.v, 10))
	}
	return b.String()
}

// action is one scheduled mutation of a mutating loop (miter).
type action[K comparable] struct {
	kind byte // '-', 'c', 'd', 's'
	k    K
	v    int64
}

func (r *replayer[K]) parseAction(tok string) action[K] {
	parts := strings.Split(tok, ",")
	switch {
	case tok == "-":
		return action[K]{kind: '-'}
	case tok == "c":
		return action[K]{kind: 'c'}
	case parts[0] == "d" && len(parts) == 2:
		return action[K]{kind: 'd', k: r.key(parts[1])}
	case parts[0] == "s" && len(parts) == 3:
		return action[K]{kind: 's', k: r.key(parts[1]), v: r.int64(parts[2])}
	}
	r.fail("bad miter action %q", tok)
	panic("unreachable")
}

// parseStep parses one step's actions: A or A/A/....
func (r *replayer[K]) parseStep(tok string) []action[K] {
	var as []action[K]
	for _, a := range strings.Split(tok, "/") {
		as = append(as, r.parseAction(a))
	}
	return as
}

// apply runs one step's scheduled actions; it reports whether one was a
// clear.  A set on a nil map panics in Go; the schedule just goes on.
func apply[K comparable](as []action[K], h *handle[K]) bool {
	cleared := false
	for _, a := range as {
		switch a.kind {
		case 'c':
			clearMap(h)
			cleared = true
		case 'd':
			delete(h.m, a.k)
		case 's':
			protect(func() { h.m[a.k] = a.v })
		}
	}
	return cleared
}

// miter: a range loop that mutates the map as it goes (docs/oracle.md).
func (r *replayer[K]) miter(f []string) string {
	if len(f) < 5 {
		r.fail("miter needs SLOT MODE FORM STOP ACTIONS...")
	}
	h := r.slot(f[1])
	mode, form := f[2], f[3]
	if mode != "keep" && mode != "del" && mode != "upd" {
		r.fail("bad miter mode %q", mode)
	}
	if form != "for" && form != "fn" {
		r.fail("bad miter form %q", form)
	}
	stop := r.int64(f[4])
	if stop < 0 {
		r.fail("bad miter stop %d", stop)
	}
	acts := make([][]action[K], 0, len(f)-5)
	touched := map[K]bool{}
	for _, tok := range f[5:] {
		as := r.parseStep(tok)
		for _, a := range as {
			if a.kind == 'd' || a.kind == 's' {
				touched[a.k] = true
			}
		}
		acts = append(acts, as)
	}
	// Per-entry actions apply to keys present before the loop and not named
	// by the schedule (NaN keys are never found here), and never to a loop
	// that stops early: so the map's final state does not depend on the order.
	initial := map[K]bool{}
	for k := range h.m {
		if !touched[k] {
			initial[k] = true
		}
	}
	if stop > 0 {
		mode = "keep"
	}
	before := r.entriesText(r.entries(h.m))
	var seen strings.Builder
	step, next := 0, 0
	// form "for" and "fn" are the same Go loop: the C++ side uses range-for
	// and Map::range respectively.
	for k, v := range h.m {
		step++
		seen.WriteByte(' ')
		seen.WriteString(r.ko.format(k))
		seen.WriteByte(':')
		seen.WriteString(strconv.FormatInt(v, 10))
		if initial[k] {
			switch mode {
			case "del":
				delete(h.m, k)
			case "upd":
				h.m[k] = v + 1
			}
		}
		cleared := false
		if next < len(acts) {
			cleared = apply(acts[next], h)
			next++
		}
		if (cleared && clearEndsLoop) || (stop > 0 && int64(step) == stop) {
			break // emulated Go 1.21: a cleared loop produces nothing more
		}
	}
	for ; next < len(acts); next++ {
		apply(acts[next], h)
	}
	return fmt.Sprintf("miter %s | %d%s | %s", before, step, seen.String(), r.entriesText(r.entries(h.m)))
}

func (r *replayer[K]) op(f []string) string {
	need := func(n int) {
		if len(f) != n+1 {
			r.fail("%s takes %d arguments", f[0], n)
		}
	}
	switch f[0] {
	case "make":
		need(2)
		hint := r.int64(f[2])
		h := &handle[K]{}
		if hint >= 0 && hint <= 1<<24 {
			h.m = make(map[K]int64, hint)
		} else {
			h.m = make(map[K]int64)
		}
		r.slots[r.slotIndex(f[1])] = h
		return "make ok"
	case "nil":
		need(1)
		r.slots[r.slotIndex(f[1])] = &handle[K]{}
		return "nil ok"
	case "lit":
		if len(f) < 2 || len(f)%2 != 0 {
			r.fail("lit takes SLOT then KEY VALUE pairs")
		}
		m := make(map[K]int64)
		for i := 2; i < len(f); i += 2 {
			m[r.key(f[i])] = r.int64(f[i+1])
		}
		r.slots[r.slotIndex(f[1])] = &handle[K]{m}
		return "lit ok"
	case "alias":
		need(2)
		r.slots[r.slotIndex(f[1])] = r.slot(f[2])
		return "alias ok"
	case "swap":
		need(2)
		a, b := r.slotIndex(f[1]), r.slotIndex(f[2])
		r.slots[a], r.slots[b] = r.slots[b], r.slots[a]
		return "swap ok"
	case "clone": // maps.Clone: nil stays nil
		need(2)
		r.slots[r.slotIndex(f[1])] = &handle[K]{mapsClone(r.slot(f[2]).m)}
		return "clone ok"
	case "copy": // maps.Copy
		need(2)
		dst, src := r.slot(f[1]), r.slot(f[2])
		return "copy " + okOrPanic(protect(func() { mapsCopy(dst.m, src.m) }))
	case "isnil":
		need(1)
		return "isnil " + strconv.FormatBool(r.slot(f[1]).m == nil)
	case "set":
		need(3)
		h, k, v := r.slot(f[1]), r.key(f[2]), r.int64(f[3])
		return "set " + okOrPanic(protect(func() { h.m[k] = v }))
	case "add":
		need(3)
		h, k, d := r.slot(f[1]), r.key(f[2]), r.int64(f[3])
		return "add " + okOrPanic(protect(func() { h.m[k] += d }))
	case "get":
		need(2)
		return "get " + strconv.FormatInt(r.slot(f[1]).m[r.key(f[2])], 10)
	case "lookup":
		need(2)
		v, ok := r.slot(f[1]).m[r.key(f[2])]
		return "lookup " + strconv.FormatInt(v, 10) + " " + strconv.FormatBool(ok)
	case "has":
		need(2)
		_, ok := r.slot(f[1]).m[r.key(f[2])]
		return "has " + strconv.FormatBool(ok)
	case "erase":
		need(2)
		delete(r.slot(f[1]).m, r.key(f[2]))
		return "erase ok"
	case "clear":
		need(1)
		clearMap(r.slot(f[1]))
		return "clear ok"
	case "len":
		need(1)
		return "len " + strconv.Itoa(len(r.slot(f[1]).m))
	case "reserve":
		need(2)
		r.int64(f[2])
		if r.slot(f[1]).m == nil {
			return "reserve panic"
		}
		return "reserve ok"
	case "iter":
		need(1)
		return "iter " + r.entriesText(r.entries(r.slot(f[1]).m))
	case "keys": // maps.Keys, sorted here
		need(1)
		ks := mapsKeys(r.slot(f[1]).m)
		es := make([]entry[K], len(ks))
		for i, k := range ks {
			es[i].k = k
		}
		r.sortEntries(es)
		var b strings.Builder
		b.WriteString("keys " + strconv.Itoa(len(es)))
		for _, e := range es {
			b.WriteString(" " + r.ko.format(e.k))
		}
		return b.String()
	case "values": // maps.Values, sorted here
		need(1)
		vs := mapsValues(r.slot(f[1]).m)
		sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
		var b strings.Builder
		b.WriteString("values " + strconv.Itoa(len(vs)))
		for _, v := range vs {
			b.WriteString(" " + strconv.FormatInt(v, 10))
		}
		return b.String()
	case "fmt":
		need(1)
		return "fmt " + fmt.Sprint(r.slot(f[1]).m)
	case "equal": // maps.Equal
		need(2)
		return "equal " + strconv.FormatBool(mapsEqual(r.slot(f[1]).m, r.slot(f[2]).m))
	case "delfunc": // maps.DeleteFunc with del = (v mod 3 == R)
		need(2)
		rem := r.int64(f[2])
		mapsDeleteFunc(r.slot(f[1]).m, func(_ K, v int64) bool { return ((v%3)+3)%3 == rem })
		return "delfunc ok"
	case "miter":
		return r.miter(f)
	}
	r.fail("unknown op %q", f[0])
	return ""
}

func run[K comparable](ko keyOps[K], sc *bufio.Scanner, out *bufio.Writer, line int) {
	r := &replayer[K]{ko: ko, out: out, line: line}
	for i := range r.slots {
		r.slots[i] = &handle[K]{}
	}
	for sc.Scan() {
		r.line++
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		out.WriteString(r.op(strings.Fields(text)))
		out.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		r.fail("read: %v", err)
	}
}

var int64Ops = keyOps[int64]{
	parse:  func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) },
	format: func(k int64) string { return strconv.FormatInt(k, 10) },
	less:   func(a, b int64) bool { return a < b },
	isNaN:  func(int64) bool { return false },
}

var float64Ops = keyOps[float64]{
	parse: func(s string) (float64, error) {
		switch s {
		case "NaN":
			return math.NaN(), nil
		case "+Inf":
			return math.Inf(1), nil
		case "-Inf":
			return math.Inf(-1), nil
		}
		return strconv.ParseFloat(s, 64)
	},
	format: func(k float64) string { return strconv.FormatFloat(k, 'g', -1, 64) },
	less:   func(a, b float64) bool { return a < b || (math.IsNaN(a) && !math.IsNaN(b)) },
	isNaN:  math.IsNaN,
}

var stringOps = keyOps[string]{
	parse: func(s string) (string, error) {
		if len(s) == 0 || s[0] != 'x' || len(s)%2 != 1 {
			return "", fmt.Errorf("string keys are x followed by hex bytes")
		}
		b := make([]byte, 0, len(s)/2)
		for i := 1; i < len(s); i += 2 {
			n, err := strconv.ParseUint(s[i:i+2], 16, 8)
			if err != nil {
				return "", err
			}
			b = append(b, byte(n))
		}
		return string(b), nil
	},
	format: func(k string) string { return "x" + fmt.Sprintf("%x", k) },
	less:   func(a, b string) bool { return a < b },
	isNaN:  func(string) bool { return false },
}

func main() {
	in := os.Stdin
	if len(os.Args) == 2 && os.Args[1] == "-version" {
		fmt.Println(runtime.Version())
		return
	}
	if len(os.Args) == 2 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "oracle-replay:", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	} else if len(os.Args) > 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle-replay [TRACE]")
		os.Exit(2)
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || text[0] == '#' {
			continue
		}
		f := strings.Fields(text)
		if len(f) != 3 || f[0] != "gomap-trace" || f[1] != "1" {
			fmt.Fprintf(os.Stderr, "oracle-replay: line %d: expected header `gomap-trace 1 KEYTYPE`\n", line)
			os.Exit(2)
		}
		switch f[2] {
		case "int64":
			run(int64Ops, sc, out, line)
		case "float64":
			run(float64Ops, sc, out, line)
		case "string":
			run(stringOps, sc, out, line)
		default:
			fmt.Fprintf(os.Stderr, "oracle-replay: unknown key type %q\n", f[2])
			os.Exit(2)
		}
		return
	}
	fmt.Fprintln(os.Stderr, "oracle-replay: empty trace")
	os.Exit(2)
}
