package classify

import (
	"testing"
)

// TestTablesUnique: a table with a key twice would answer with the first
// row only; a map literal refused that at compile time.
func TestTablesUnique(t *testing.T) {
	check := func(name string, keys []interface{}) {
		seen := map[interface{}]bool{}
		for _, k := range keys {
			if seen[k] {
				t.Errorf("%s: key %v twice", name, k)
			}
			seen[k] = true
		}
	}
	check("actionWords", keysOf(actionWords))
	check("kmsFailures", keysOf(kmsFailures))
	check("windowsVolume", keysOf(windowsVolume))
	check("officeVolume", keysOf(officeVolume))
	check("genericKeys", keysOf(genericKeys))
	check("skuNames", keysOf(skuNames))
	check("windowsEditions", keysOf(windowsEditions))
	check("officeEditions", keysOf(officeEditions))
	check("officeReleases", keysOf(officeReleases))
	check("channelWords", keysOf(channelWords))
	check("statusWords", keysOf(statusWords))
	check("sourceWords", keysOf(sourceWords))
	if _, ok := skuNames.get("no such id"); ok {
		t.Error("get found a missing key")
	}
	if !kmsFailures.has(0xC004F074) || kmsFailures.has(1) {
		t.Error("has")
	}
}

func keysOf[K comparable, V any](t table[K, V]) []interface{} {
	var out []interface{}
	for _, e := range t {
		out = append(out, e.k)
	}
	return out
}
