package main

import (
	"fmt"
	"os"

	"filippo.io/age"
)

// loadIdentities reads every age identity from the given files. Several
// files may be given during a key rotation.
func loadIdentities(given []string) ([]age.Identity, error) {
	var paths []string
	for _, p := range given {
		if p != "" { // an empty ACTCOURIER_IDENTITY means none
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return nil, &usageError{"no identity file given", "pass the site's identity file with -i or ACTCOURIER_IDENTITY"}
	}
	var ids []age.Identity
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, &usageError{fmt.Sprintf("open identity %s: %v", p, err), "check the path of the identity file"}
		}
		got, err := age.ParseIdentities(f)
		f.Close()
		if err != nil {
			return nil, &usageError{fmt.Sprintf("read identity %s: %v", p, err), "pass a file written by 'importer keygen' or age-keygen"}
		}
		ids = append(ids, got...)
	}
	return ids, nil
}
