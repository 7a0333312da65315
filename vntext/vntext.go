// Package vntext normalises Vietnamese text for matching: Unicode NFC, one tone-mark placement,
// lower case, diacritic folding (with đ→d) and tokenising into syllables.
//
// Folding merges distinct words (hộ, họ, hồ all fold to ho), so callers keep both the accented
// and the folded form and match on either.
package vntext

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Tone marks as combining characters (NFD).
const (
	toneGrave = '\u0300' // huyền
	toneAcute = '\u0301' // sắc
	toneTilde = '\u0303' // ngã
	toneHook  = '\u0309' // hỏi
	toneDot   = '\u0323' // nặng
)

func isTone(r rune) bool {
	switch r {
	case toneGrave, toneAcute, toneTilde, toneHook, toneDot:
		return true
	}
	return false
}

// Normalize returns s in NFC, lower case, with tone marks placed one way (the traditional
// placement: hòa, thủy, khỏe, also when typed hoà, thuỷ, khoẻ) and runs of white space
// folded to one space. Punctuation is kept.
func Normalize(s string) string {
	s = norm.NFC.String(s)
	s = strings.ToLower(s)
	var b strings.Builder
	b.Grow(len(s))
	start := -1
	flush := func(end int) {
		if start >= 0 {
			b.WriteString(placeTone(s[start:end]))
			start = -1
		}
	}
	space := false
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			space = false
			continue
		}
		flush(i)
		if unicode.IsSpace(r) {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	flush(len(s))
	return strings.TrimRight(b.String(), " ")
}

// placeTone moves the tone mark of a lower-case NFC word ending in oa, oe or uy (not qu-y)
// from the last vowel to the one before it: the new-style hoà becomes the traditional hòa.
// Other words are returned as they are.
func placeTone(w string) string {
	if !strings.ContainsFunc(w, func(r rune) bool { return r > unicode.MaxASCII }) {
		return w
	}
	d := []rune(norm.NFD.String(w))
	tone := rune(0)
	base := make([]rune, 0, len(d))
	for _, r := range d {
		if isTone(r) {
			tone = r
			continue
		}
		base = append(base, r)
	}
	if tone == 0 {
		return w
	}
	plain := []rune(norm.NFC.String(string(base)))
	n := len(plain)
	if n < 2 {
		return w
	}
	last, prev := plain[n-1], plain[n-2]
	pair := string([]rune{prev, last})
	if pair != "oa" && pair != "oe" && pair != "uy" {
		return w
	}
	if pair == "uy" && n >= 3 && plain[n-3] == 'q' {
		return w // quý: the u belongs to qu, the tone stays on y
	}
	// Only move the mark when it sits on the last vowel.
	if toneIndex(d) != lastLetterIndex(d) {
		return w
	}
	out := make([]rune, 0, n+1)
	out = append(out, plain[:n-1]...)
	out = append(out, tone, last)
	return norm.NFC.String(string(out))
}

// toneIndex returns the index in NFD runes of the base letter that carries the tone mark.
func toneIndex(d []rune) int {
	baseIdx := -1
	for i, r := range d {
		if unicode.Is(unicode.Mn, r) {
			if isTone(r) {
				return baseIdx
			}
			continue
		}
		baseIdx = i
	}
	return -1
}

func lastLetterIndex(d []rune) int {
	for i := len(d) - 1; i >= 0; i-- {
		if !unicode.Is(unicode.Mn, d[i]) {
			return i
		}
	}
	return -1
}

// Fold removes all diacritics from s and maps đ to d. It does not change case.
func Fold(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r > unicode.MaxASCII }) {
		return s
	}
	d := norm.NFD.String(s)
	var b strings.Builder
	b.Grow(len(d))
	for _, r := range d {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		default:
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// Tokens splits normalised text into words: runs of letters and digits. Dots and commas
// between digits stay inside the token so that 1.001456, 200.000 and 49/2019/QH14 are single
// tokens ('/' joins too, for document numbers); a hyphen between letters or digits is kept
// (NĐ-CP, TT-BCA).
func Tokens(s string) []string {
	var toks []string
	rs := []rune(s)
	start := -1
	for i := 0; i <= len(rs); i++ {
		if i < len(rs) {
			r := rs[i]
			if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
				if start < 0 {
					start = i
				}
				continue
			}
			if start >= 0 && i+1 < len(rs) && joiner(rs[start:i], r, rs[i+1]) {
				continue
			}
		}
		if start >= 0 {
			toks = append(toks, string(rs[start:i]))
			start = -1
		}
	}
	return toks
}

// joiner reports whether r, between the token so far and next, belongs inside the token.
func joiner(tok []rune, r, next rune) bool {
	prev := tok[len(tok)-1]
	switch r {
	case '.', ',':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	case '/':
		return (unicode.IsLetter(next) || unicode.IsDigit(next)) && containsDigit(tok)
	case '-':
		// Inside document numbers (123/2015/NĐ-CP) but not between plain words.
		return (unicode.IsLetter(next) || unicode.IsDigit(next)) && containsDigit(tok) && strings.ContainsRune(string(tok), '/')
	}
	return false
}

func containsDigit(rs []rune) bool {
	for _, r := range rs {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// Words returns the normalised tokens of s: Tokens(Normalize(s)).
func Words(s string) []string { return Tokens(Normalize(s)) }

// HasDiacritics reports whether s contains any Vietnamese diacritic or đ.
func HasDiacritics(s string) bool { return Fold(s) != s }

// Key returns the folded, normalised form of s with words joined by single spaces: a key for
// matching names regardless of case, diacritics, tone placement and punctuation.
func Key(s string) string { return strings.Join(Tokens(Fold(Normalize(s))), " ") }
