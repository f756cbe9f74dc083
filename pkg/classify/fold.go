package classify

// The licensing platform's names, editions and OS captions are matched
// without regard to case. strings.ToLower copies any name holding an
// upper-case letter, and every name does ("Office 14,
// OfficeProPlus-Retail edition"): in a report of 100,000 devices those
// copies were about 4 % of the CPU. These helpers compare in place,
// folding ASCII letters only: the words they look for are ASCII, and a
// name that spells them with other letters (a Kelvin sign for a "k") is
// not the platform's.

// lowerASCII returns c in lower case if it is an ASCII letter.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold reports whether s is lower (which is in lower case),
// ignoring the case of s's ASCII letters.
func equalFold(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerASCII(s[i]) != lower[i] {
			return false
		}
	}
	return true
}

// hasPrefixFold is strings.HasPrefix(lower-cased s, prefix) for a prefix
// in lower case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && equalFold(s[:len(prefix)], prefix)
}

// hasSuffixFold is strings.HasSuffix(lower-cased s, suffix) for a suffix
// in lower case.
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && equalFold(s[len(s)-len(suffix):], suffix)
}

// containsFold is strings.Contains(lower-cased s, sub) for sub in lower
// case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if equalFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}
