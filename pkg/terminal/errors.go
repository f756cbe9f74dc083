package terminal

import "strings"

// Parts returns the errors that err is a list of, for a program to show
// one a line: the parts of a joined error (errors.Join, whose message is
// theirs with a newline between each), each flattened in turn, and when
// a step wraps such a list at the end of its message ("report into out:
// %w"), every part with the step's words before it. Any other error, nil
// too, is returned alone, whatever its message holds: a newline inside a
// part (a forged name, a system's error naming a path raw) is still the
// printer's to escape (Message), and an error that wraps two causes in
// one sentence (fmt.Errorf("%w: %w")) stays one line. A part with no
// words (an empty message) is left out of a list, where it would print
// as a line saying nothing. errors.Is and errors.As see each part's
// error underneath.
//
// Printed as one line, a joined error read "…first part\x0asecond part".
func Parts(err error) []error {
	switch e := err.(type) {
	case interface{ Unwrap() []error }:
		var parts []error
		var texts []string
		for _, p := range e.Unwrap() {
			if p != nil {
				texts = append(texts, p.Error())
				if texts[len(texts)-1] != "" { // no words, no line
					parts = append(parts, p)
				}
			}
		}
		if len(parts) == 0 || strings.Join(texts, "\n") != err.Error() {
			break // not a list (or only empty parts): its own sentence
		}
		// A list of one may be a list itself: errors.Join(err,
		// w.Abort()) when the abort went well, err joined of two.
		var all []error
		for _, p := range parts {
			all = append(all, Parts(p)...)
		}
		if len(all) == 1 && all[0].Error() == err.Error() {
			break // a list of one, as said
		}
		return all
	case interface{ Unwrap() error }:
		inner := e.Unwrap()
		if inner == nil {
			break
		}
		msg, in := err.Error(), inner.Error()
		if !strings.HasSuffix(msg, in) {
			break
		}
		parts := Parts(inner)
		if len(parts) == 1 && parts[0].Error() == in {
			break // not a list
		}
		for i, p := range parts {
			parts[i] = &stepError{step: msg[:len(msg)-len(in)], err: p}
		}
		return parts
	}
	return []error{err}
}

// stepError is one part of a list that a step wrapped, with the step's
// words before it.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.step + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }
