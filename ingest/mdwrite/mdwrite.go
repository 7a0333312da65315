// Package mdwrite writes record text into sheets (Markdown with YAML front matter) so that it
// cannot change a sheet's structure: folded to one line, escaped where a line starts, quoted in
// the front matter.
package mdwrite

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FrontMatter writes YAML front matter line by line. Values are written as double-quoted
// scalars with every character YAML does not print escaped, so no record text can end the
// front matter or change its structure. (yaml.Marshal does the same at many times the cost.)
type FrontMatter struct {
	B      *bytes.Buffer
	Indent string // written before each key
}

// Str writes key: "value", the value folded to one line.
func (f FrontMatter) Str(key, value string) { f.Raw(key, Quote(OneLine(value))) }

// OptStr writes key: "value" unless value is empty.
func (f FrontMatter) OptStr(key, value string) {
	if value != "" {
		f.Str(key, value)
	}
}

// List writes key: ["a", "b"] unless values is empty.
func (f FrontMatter) List(key string, values []string) {
	if len(values) == 0 {
		return
	}
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = Quote(OneLine(v))
	}
	f.Raw(key, "["+strings.Join(q, ", ")+"]")
}

// Raw writes key: value with value as given (a number or a flow sequence of numbers).
func (f FrontMatter) Raw(key, value string) {
	f.B.WriteString(f.Indent + key + ": " + value + "\n")
}

// Quote returns s as a YAML double-quoted scalar.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s { // an invalid byte comes as utf8.RuneError and is written as U+FFFD
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SplitLines splits text at every kind of line break.
func SplitLines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == '\u0085' || r == '\u2028' || r == '\u2029'
	})
}

// OneLine folds all white space (line breaks included) into single spaces and trims, so
// record text cannot start a line of its own.
func OneLine(s string) string { return Clean(s) }

// Clean collapses runs of white space (tabs, line breaks, no-break spaces) into one space
// and trims; control characters are dropped.
func Clean(s string) string {
	if isClean(s) {
		return s // the common case; no copy
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isSpace(r):
			space = b.Len() > 0
		case unicode.IsControl(r) || r == utf8.RuneError:
			continue
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isSpace reports whether r separates words (line and paragraph separators and zero-width
// spaces included).
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' || r == '\u200b' || r == '\ufeff'
}

// isClean reports whether Clean would return s unchanged.
func isClean(s string) bool {
	prevSpace := true // no leading space
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case r < 0x20 || r == 0x7f:
			return false
		case r < 0x80:
			prevSpace = false
		case isSpace(r) || unicode.IsControl(r) || r == utf8.RuneError:
			return false
		default:
			prevSpace = false
		}
	}
	return s == "" || !prevSpace
}

// EscapeStart escapes what would give a line's first characters Markdown meaning (a heading,
// quote, table, list item, thematic break, code fence, HTML block or link definition), so that
// record text starting a paragraph or a list item stays plain text.
func EscapeStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '>', '|', '-', '+', '*', '=', '_', '`', '~', '<', '[', ':', '\\', '!':
		return `\` + s
	}
	i := 0
	for i < len(s) && i < 10 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}
