// Package vntext normalises Vietnamese text for matching: Unicode NFC, one tone-mark placement,
// lower case, diacritic folding (with đ→d) and tokenising into syllables.
//
// Folding merges distinct words (hộ, họ, hồ all fold to ho), so callers keep both the accented
// and the folded form and match on either.
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

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
	// Only words ending in o or u and a toned a, e or y can change; checking that first
	// spares the decomposition of every other word.
	last, size := utf8.DecodeLastRuneInString(w)
	prev, _ := utf8.DecodeLastRuneInString(w[:len(w)-size])
	if (prev != 'o' && prev != 'u') || !strings.ContainsRune("àáảãạèéẻẽẹỳýỷỹỵ", last) {
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
	last, prev = plain[n-1], plain[n-2]
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
	i := strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case r <= unicode.MaxASCII:
			b.WriteRune(r)
		case r >= latinFirst && r <= latinLast && foldLatin[r-latinFirst] != 0:
			b.WriteRune(foldLatin[r-latinFirst])
		case r >= vietFirst && r <= vietLast && foldViet[r-vietFirst] != 0:
			b.WriteRune(foldViet[r-vietFirst])
		case unicode.Is(unicode.Mn, r):
		default:
			b.WriteString(foldSlow(string(r)))
		}
	}
	return b.String()
}

// Rune ranges folded through tables: Latin-1 Supplement to Latin Extended-B, and Latin
// Extended Additional (ạ…ỹ, where most Vietnamese letters with a tone mark live). Folding is
// on every indexed word, and decomposing each one (NFD, then NFC) made building the catalog's
// lexical index take 18 s.
const (
	latinFirst, latinLast = 0x00C0, 0x024F
	vietFirst, vietLast   = 0x1E00, 0x1EFF
)

var foldLatin, foldViet = foldTable(latinFirst, latinLast), foldTable(vietFirst, vietLast)

// foldTable maps each rune of [first, last] whose fold is a single rune to that rune (0 for
// the others, which take the slow path).
func foldTable(first, last rune) []rune {
	t := make([]rune, last-first+1)
	for r := first; r <= last; r++ {
		if f := []rune(foldSlow(string(r))); len(f) == 1 {
			t[r-first] = f[0]
		}
	}
	return t
}

// foldSlow folds by decomposition: drop the combining marks of NFD, map đ to d, recompose.
func foldSlow(s string) string {
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
	start := -1
	for i := 0; i <= len(s); {
		if i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') ||
				r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
				if start < 0 {
					start = i
				}
				i += size
				continue
			}
			if start >= 0 && i+size < len(s) {
				next, _ := utf8.DecodeRuneInString(s[i+size:])
				if joiner(s[start:i], r, next) {
					i += size
					continue
				}
			}
			if start >= 0 {
				toks = append(toks, s[start:i])
				start = -1
			}
			i += size
			continue
		}
		if start >= 0 {
			toks = append(toks, s[start:])
		}
		break
	}
	return toks
}

// joiner reports whether r, between the token so far and next, belongs inside the token.
func joiner(tok string, r, next rune) bool {
	prev, _ := utf8.DecodeLastRuneInString(tok)
	switch r {
	case '.', ',':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	case '/':
		return (unicode.IsLetter(next) || unicode.IsDigit(next)) && strings.ContainsFunc(tok, unicode.IsDigit)
	case '-':
		// Inside document numbers (123/2015/NĐ-CP) but not between plain words.
		return (unicode.IsLetter(next) || unicode.IsDigit(next)) && strings.ContainsFunc(tok, unicode.IsDigit) && strings.ContainsRune(tok, '/')
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

// WordsAt reports whether seq (accented) occurs in words at i; a word written without
// diacritics matches the folded form of the word of seq.
func WordsAt(words []string, i int, seq []string) bool {
	if i+len(seq) > len(words) {
		return false
	}
	for j, s := range seq {
		w := words[i+j]
		if w != s && (HasDiacritics(w) || w != Fold(s)) {
			return false
		}
	}
	return true
}
