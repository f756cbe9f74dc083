package classify

// table is a lookup table kept as data: a slice, not a map, so that the
// binary holds it as it is rather than code that builds a map at start.
// The collector links this package and must stay small (docs/performance.md);
// the tables are a few dozen rows, so a scan costs nothing.
type table[K comparable, V any] []struct {
	k K
	v V
}

// get returns the value of k, and whether t has k.
func (t table[K, V]) get(k K) (V, bool) {
	for _, e := range t {
		if e.k == k {
			return e.v, true
		}
	}
	var zero V
	return zero, false
}

// has reports whether t has k with a true value (a table of bools is a
// set).
func (t table[K, V]) has(k K) bool {
	v, ok := t.get(k)
	return ok && any(v) == any(true)
}
